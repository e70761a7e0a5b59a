"""Nothing leaves the machine when the app starts: Streamlit is told its address instead of looking up its
external IP, and a start under an audit hook attempts no outbound connection."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import urllib.request

import pytest

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.ui.serve import free_port, wait_until_healthy

from .conftest import ARTIFACTS


def test_the_config_names_the_server_address_so_streamlit_does_not_look_it_up() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["serverAddress"] == "localhost"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["headless"] is True


@pytest.mark.e2e
def test_starting_the_app_attempts_no_outbound_connection(tmp_path) -> None:  # type: ignore[no-untyped-def]
    attempts = tmp_path / "outbound.txt"
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "streamlit_no_outbound.log"
    with log.open("w") as out:
        # the server listens on every interface (the setting that makes Streamlit list its external URL)
        proc = subprocess.Popen([sys.executable, "-m", "tests.outbound_guard",
                                 "--server.port", str(port)], cwd=PROJECT_ROOT,
                                env={**os.environ, "OUTBOUND_LOG": str(attempts)}, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/map", timeout=10) as page:
            assert page.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    text = log.read_text()
    assert "You can now view your Streamlit app" in text
    assert "External URL" not in text and "external IP" not in text
    assert not attempts.exists(), attempts.read_text()

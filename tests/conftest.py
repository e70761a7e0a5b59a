"""Shared fixtures: the real installed data, a running app server and headless Chromium."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Catalogue, load_catalogue
from mutte_geo.model.indicators import UnitsByVintage
from mutte_geo.model.units import VINTAGES, load_units
from mutte_geo.ui.serve import free_port, wait_until_healthy

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-features=Translate,MediaRouter",
]
LOCAL_PREFIXES = ("http://localhost", "http://127.0.0.1", "data:", "blob:", "about:", "chrome")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return Atlas.load()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def units() -> UnitsByVintage:
    return {v: load_units(v) for v in VINTAGES}


@contextlib.contextmanager
def running_app(log_name: str, *, env: dict[str, str] | None = None) -> Iterator[str]:
    """The app started as `make run` starts it, on a free loopback port; its URL."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / log_name).open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mutte_geo.ui.serve", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with running_app("streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: `make test` installs Debian's chromium (scripts/ensure_chromium.sh)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page that records every request leaving localhost in ``page.external_requests``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    external: list[str] = []
    pg.on("request", lambda req: None if req.url.startswith(LOCAL_PREFIXES) else external.append(req.url))
    pg.external_requests = external  # type: ignore[attr-defined]
    yield pg
    context.close()


def map_frame(pg, timeout_ms: int = 90000, *, legend_contains: str = ""):  # type: ignore[no-untyped-def]
    """The frame of the first map on the page in which Leaflet has drawn the units (and, if given, whose
    legend, folded or not, contains ``legend_contains``), waited for by Playwright; maps are same-origin
    iframes. The first visit to a fresh server loads the atlas, hence the long default timeout. A map
    replaced by a rerun between finding it and reading its frame is looked for again."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        found = pg.wait_for_function(
            """legend => [...document.querySelectorAll("iframe")].find(f => {
                   const doc = f.contentDocument;
                   return doc && doc.querySelector("path.leaflet-interactive")
                       && (doc.querySelector(".atlas-legend")?.textContent || "").includes(legend);
               })""",
            arg=legend_contains, timeout=max(1.0, (deadline - time.monotonic()) * 1000),
        )
        element = found.as_element()
        frame = element.content_frame() if element is not None else None
        if frame is not None:
            wait_until_idle(pg)  # the map's first value may have started a run: a click now could be overtaken
            return frame
        assert time.monotonic() < deadline, "the map kept being replaced"


@contextlib.contextmanager
def staff_app(tmp: Path, accounts: dict[str, dict[str, object]], log_name: str) -> Iterator[tuple[str, str]]:
    """The app with its own users file (``accounts``: login -> fields with a plain ``password``, TEST DATA)
    and its own SQLite store, so a test writes nothing shared; yields (url, store url)."""
    from mutte_geo.storage.auth import hash_password

    users = tmp / "users.json"
    users.write_text(json.dumps({"users": {login: {**fields, "password": hash_password(str(fields["password"]))}
                                           for login, fields in accounts.items()}}), encoding="utf-8")
    url_db = f"sqlite:///{tmp / 'store.sqlite'}"
    with running_app(log_name, env={**os.environ, "MUTTE_USERS_FILE": str(users), "MUTTE_DATABASE_URL": url_db}) as url:
        yield url, url_db


def wait_until_idle(pg, timeout: float = 60000) -> None:  # type: ignore[no-untyped-def]
    """Until no script run is going on (Streamlit's running icon is gone): a button clicked while the map
    component's first value starts another run can be overtaken by that run, as a person would see."""
    expect(pg.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=timeout)


def sign_in(pg, url: str, login: str, password: str, *, path: str = "/") -> None:  # type: ignore[no-untyped-def]
    """Sign in through the sidebar's staff form, as a person does, and wait until the app says so."""
    pg.goto(url + path)
    pg.get_by_text("Đăng nhập (cán bộ)").click()
    pg.get_by_label("Tên đăng nhập").fill(login)
    pg.get_by_label("Mật khẩu", exact=True).fill(password)
    pg.get_by_label("Mật khẩu", exact=True).press("Enter")
    expect(pg.get_by_text("Đã đăng nhập")).to_have_count(1, timeout=60000)
    # the page trades its one-time code for the session cookie in the background: a reload or a link
    # opened before that would be signed out (a person takes longer than that)
    deadline = time.monotonic() + 30
    while not any(c["name"] == "atlas_session" for c in pg.context.cookies()):
        assert time.monotonic() < deadline, "no session cookie 30 s after signing in"
        pg.wait_for_timeout(50)


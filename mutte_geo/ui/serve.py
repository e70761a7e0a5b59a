"""Start the app: ``python -m mutte_geo.ui.serve [streamlit options]`` (what `make run` calls).

Streamlit treats a top-level ``pages/`` folder as its legacy multipage layout until the main
script has called ``st.navigation`` once in the process. A first visitor who opens a page URL
directly (a bookmarked filter, a profile link) would get that page alone, without app.py's
navigation and language and boundary switches. Declaring the app as ``st.navigation``-based
before the server starts avoids that.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(url: str, *, timeout: float = 60) -> None:
    """Wait until the Streamlit server at ``url`` answers its health check."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the app at {url} did not start within {timeout:.0f} s")


def _warm_up() -> None:
    """Load the atlas while the server starts, so the first visitor does not wait for it. The pages find
    it in the same ``st.cache_resource``.

    Not streamlit_folium: a component declared outside a page's script run is not served (its iframe
    gets a 404), so the first map page imports it. Not the modules that make files (matplotlib,
    python-docx): the first export imports them (mutte_geo.ui.exportui).
    """
    from streamlit.runtime import Runtime, RuntimeState

    # Once the server is up: it answers the first visitor's page at once, and the atlas loads while the
    # browser starts the frontend. Started before that, the two fight for the interpreter and the first
    # map comes later (bench/RESULTS.md).
    while not Runtime.exists() or Runtime.instance().state == RuntimeState.INITIAL:
        time.sleep(0.02)
    from mutte_geo.ui import appstate

    appstate.warm_up()


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    sys.argv = ["streamlit", "run", str(Path(__file__).with_name("asgi.py")), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()

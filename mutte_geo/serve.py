"""Start the app: ``python -m mutte_geo.serve [streamlit options]`` (what `make run` calls).

Streamlit treats a top-level ``pages/`` folder as its legacy multipage layout until the main
script has called ``st.navigation`` once in the process. A first visitor who opens a page URL
directly (a bookmarked filter, a profile link) would get that page alone, without app.py's
navigation and language and boundary switches. Declaring the app as ``st.navigation``-based
before the server starts avoids that.
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from .paths import PROJECT_ROOT


def main(argv: list[str] | None = None) -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(PROJECT_ROOT / "app.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()

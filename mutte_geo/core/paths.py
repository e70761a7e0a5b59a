"""Where the project keeps its data and assets."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
BOUNDARY_DIR = DATA_DIR / "boundaries"
REFERENCE_DIR = DATA_DIR / "reference"
INDICATOR_DIR = DATA_DIR / "indicators"
STATIC_DIR = PROJECT_ROOT / "static"
DEFAULT_SHARED_DIR = PROJECT_ROOT.parent / "shared"


def user_boundary_file(vintage: int) -> Path | None:
    """A boundary file the user chose for ``vintage`` (env ``MUTTE_BOUNDARIES_<vintage>``)."""
    value = os.environ.get(f"MUTTE_BOUNDARIES_{vintage}")
    return Path(value).expanduser() if value else None

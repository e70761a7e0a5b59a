"""Names and media types of exported files, and what a report can include: what a page shows before
anything is made, without the modules that make the files (matplotlib, python-docx)."""

from __future__ import annotations

import re

from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import RESULT_KINDS

MIME = {
    "png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml", "html": "text/html",
    "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
    "pack-pdf": "application/pdf", "pack-zip": "application/zip",
}
EXTENSIONS = {"pack-pdf": "pdf", "pack-zip": "zip"}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REPORT_MIME = {"docx": DOCX_MIME, "atlas": "application/pdf", "brief": "application/pdf"}


def file_name(indicator_id: str, vintage: int, period: str, fmt: str, *, prefix: str = "muongte") -> str:
    """A file name that names the region (``prefix``) and the boundary vintage (codes are reused across vintages).

    >>> file_name("population", 2024, "latest", "pdf"), file_name("area", 2025, "2025", "png", prefix="laichau")
    ('muongte_v2024_population_latest.pdf', 'laichau_v2025_area_2025.png')
    """
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{indicator_id}_{period}")
    return f"{prefix}_v{vintage}_{safe}.{EXTENSIONS.get(fmt, fmt)}"


def report_file_name(fmt: str, vintage: int, unit: str | None = None) -> str:
    """E.g. ``muongte_v2024_report.docx``, ``muongte_v2024_atlas.pdf``, ``muongte_v2024_03433_atlas.pdf``.

    >>> report_file_name("atlas", 2025, "03433")
    'muongte_v2025_03433_atlas.pdf'
    """
    if fmt == "docx":
        return f"muongte_v{vintage}_report.docx"
    if fmt == "brief":
        return "muongte_brief_2025_targets.pdf"
    return f"muongte_v{vintage}_{unit + '_' if unit else ''}atlas.pdf"


def report_choices(atlas: Atlas, vintage: int) -> list[str]:
    """Indicators with at least one actual or estimated value (commune or district) in ``vintage``."""
    values = atlas.values
    present = set(values.loc[(values["vintage"] == vintage) & values["kind"].isin(RESULT_KINDS), "indicator"])
    return [i for i in atlas.catalogue if i in present]

"""The report formats (Word report, commune atlas, leaders' brief) behind one call, for the CLI and the app."""

from __future__ import annotations

import datetime as dt

from mutte_geo.core.errors import ExportError
from mutte_geo.exports.brief import brief_pdf
from mutte_geo.exports.commune_atlas import commune_atlas_pdf
from mutte_geo.exports.docx_report import DOCX_MIME, ReportRequest, word_report
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST
from mutte_geo.storage.auth import User, load_accounts

REPORT_FORMATS = ("docx", "atlas", "brief")
REPORT_MIME = {"docx": DOCX_MIME, "atlas": "application/pdf", "brief": "application/pdf"}


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


def report_bytes(fmt: str, atlas: Atlas, *, user: User | None, indicators: tuple[str, ...] = (), vintage: int = 2024,
                 period: str = LATEST, lang: str = "vi", units: list[str] | None = None, title: str | None = None,
                 export_date: dt.date | None = None) -> bytes:
    """One report in ``fmt``; a bad choice raises ExportError with one clear sentence and makes no file."""
    day = export_date or dt.date.today()
    if fmt == "docx":
        return word_report(atlas, ReportRequest(indicators, vintage, period, lang, title, day), user=user)
    if fmt == "atlas":
        return commune_atlas_pdf(atlas, vintage, lang, user=user, codes=units, export_date=day)
    if fmt == "brief":
        return brief_pdf(atlas, lang, user=user, export_date=day)
    raise ExportError(f"unknown report format '{fmt}': choose one of {', '.join(REPORT_FORMATS)}")


def cli_user(login: str | None) -> User | None:
    """The account whose view a command-line report shows (``--user``); None (a visitor) when not given.

    The command line runs with read access to the data files, so no password is asked; the option only
    decides whether layers such as security hotspots may appear in the report.
    """
    if not login:
        return None
    accounts = load_accounts()
    if login not in accounts:
        raise ExportError(f"unknown user '{login}': not in the users file (MUTTE_USERS_FILE or MUTTE_USERS)")
    return accounts[login].user

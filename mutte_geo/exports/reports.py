"""The report formats (Word report, commune atlas, leaders' brief) behind one call, for the CLI and the app."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from mutte_geo.analysis.ntm import newest_tracker
from mutte_geo.core.errors import ExportError
from mutte_geo.exports.brief import brief_pdf
from mutte_geo.exports.commune_atlas import commune_atlas_pdf
from mutte_geo.exports.docx_report import ReportRequest, word_report
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST
from mutte_geo.model.ntm import load_criteria_sets, set_for_vintage
from mutte_geo.storage.auth import User, load_accounts

REPORT_FORMATS = ("docx", "atlas", "brief")




def report_bytes(fmt: str, atlas: Atlas, *, user: User | None, indicators: tuple[str, ...] = (), vintage: int = 2024,
                 period: str = LATEST, lang: str = "vi", units: list[str] | None = None, title: str | None = None,
                 export_date: dt.date | None = None, ntm_assessments: pd.DataFrame | None = None) -> bytes:
    """One report in ``fmt``; a bad choice raises ExportError with one clear sentence and makes no file.

    ``ntm_assessments`` (the stored NTM assessments): the Word report adds the grid of the newest year
    assessed against the vintage's criteria set, when there is one, and the atlas each commune's result.
    """
    day = export_date or dt.date.today()
    ntm = None if ntm_assessments is None or vintage not in atlas.units else newest_tracker(
        atlas, ntm_assessments, set_for_vintage(load_criteria_sets(), vintage))
    if fmt == "docx":
        return word_report(atlas, ReportRequest(indicators, vintage, period, lang, title, day), user=user, ntm=ntm)
    if fmt == "atlas":
        return commune_atlas_pdf(atlas, vintage, lang, user=user, codes=units, export_date=day, ntm=ntm)
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

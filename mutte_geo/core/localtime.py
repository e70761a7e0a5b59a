"""Times shown to people: Vietnam's local time (Asia/Ho_Chi_Minh, UTC+7); stored times are UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time_text(moment: dt.datetime | None, lang: str) -> str:
    """``moment`` in Vietnam time; a naive time (SQLite drops the zone) is read as UTC.

    >>> local_time_text(dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC), "vi")
    '02/12/2026 00:30'
    >>> local_time_text(dt.datetime(2026, 12, 1, 10, 5), "en")
    '2026-12-01 17:05'
    """
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_ZONE).strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")

"""Language helpers: Vietnamese first, English second; numbers and dates by convention.

Texts are English msgids in the code, translated to Vietnamese by the gettext catalogue
``mutte_geo/locale/vi/LC_MESSAGES/messages.po`` (read with Babel when this module is imported).
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE_PATH = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES" / "messages.po"


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogue where it is defined; translate it where it is shown (``gettext``)."""
    return msgid


LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
NO_DATA = {"vi": "Không có dữ liệu", "en": "No data"}
KIND_LABELS = {
    "actual": N_("actual"),
    "estimate": N_("estimate"),
    "target": N_("target"),
}
YES_NO_LABELS = {"yes": N_("Yes"), "no": N_("No")}


@cache
def vietnamese_catalogue(path: Path = CATALOGUE_PATH) -> dict[tuple[str | None, str], str]:
    """(context, English msgid) -> Vietnamese, the translated entries of the catalogue (fuzzy ones left out)."""
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    return {(m.context, m.id): m.string for m in catalogue
            if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy}


def gettext(lang: str, msgid: str) -> str:
    """The text ``msgid`` (English) in ``lang``; placeholders are named, filled with ``.format`` afterwards.

    >>> gettext("en", "Map")
    'Map'
    """
    return vietnamese_catalogue().get((None, msgid), msgid) if lang == "vi" else msgid


def pgettext(lang: str, context: str, msgid: str) -> str:
    """Like ``gettext``, for an English text translated differently in ``context``."""
    return vietnamese_catalogue().get((context, msgid), msgid) if lang == "vi" else msgid


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """Format a number by the language's convention.

    >>> format_number(17860, "vi")
    '17.860'
    >>> format_number(28.6, "vi", 1)
    '28,6'
    >>> format_number(17860.5, "en", 1)
    '17,860.5'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA[lang]
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_period(period: str, lang: str) -> str:
    """'2024-H1' -> '6 tháng đầu năm 2024' / 'H1 2024'; 'n.d.' -> 'không rõ kỳ' / 'undated'."""
    if period == "n.d.":
        return gettext(lang, "undated")
    if "-H" in period:
        year, half = period.split("-H")
        if lang == "vi":
            return f"6 tháng {'đầu' if half == '1' else 'cuối'} năm {year}"
        return f"H{half} {year}"
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return gettext(lang, "Q{quarter} {year}").format(quarter=quarter, year=year)
    if "-" in period:
        year, month = period.split("-")
        month_number = int(month)
        return gettext(lang, "{year}-{month_number:02d}").format(year=year, month_number=month_number)
    return period


def format_date(day: dt.date, lang: str) -> str:
    """dd/mm/yyyy in Vietnamese, ISO in English.

    >>> format_date(dt.date(2025, 7, 1), "vi")
    '01/07/2025'
    """
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def kind_label(kind: str, lang: str) -> str:
    return gettext(lang, KIND_LABELS[kind])


def yes_no_label(value: str, lang: str) -> str:
    return gettext(lang, YES_NO_LABELS[value])

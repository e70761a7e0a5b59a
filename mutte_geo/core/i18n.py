"""Language helpers: Vietnamese first, English second; numbers and dates by convention."""

from __future__ import annotations

import datetime as dt
import math

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
NO_DATA = {"vi": "Không có dữ liệu", "en": "No data"}
KIND_LABELS = {
    "actual": ("thực hiện", "actual"),
    "estimate": ("ước thực hiện", "estimate"),
    "target": ("chỉ tiêu", "target"),
}
YES_NO_LABELS = {"yes": ("Có", "Yes"), "no": ("Không", "No")}


def tr(lang: str, vi: str, en: str) -> str:
    """Pick the text for ``lang``.

    >>> tr("en", "Bản đồ", "Map")
    'Map'
    """
    return vi if lang == "vi" else en


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
        return tr(lang, "không rõ kỳ", "undated")
    if "-H" in period:
        year, half = period.split("-H")
        if lang == "vi":
            return f"6 tháng {'đầu' if half == '1' else 'cuối'} năm {year}"
        return f"H{half} {year}"
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return tr(lang, f"quý {quarter}/{year}", f"Q{quarter} {year}")
    if "-" in period:
        year, month = period.split("-")
        return tr(lang, f"tháng {int(month)}/{year}", f"{year}-{month}")
    return period


def format_date(day: dt.date, lang: str) -> str:
    """dd/mm/yyyy in Vietnamese, ISO in English.

    >>> format_date(dt.date(2025, 7, 1), "vi")
    '01/07/2025'
    """
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def kind_label(kind: str, lang: str) -> str:
    vi, en = KIND_LABELS[kind]
    return tr(lang, vi, en)


def yes_no_label(value: str, lang: str) -> str:
    vi, en = YES_NO_LABELS[value]
    return tr(lang, vi, en)

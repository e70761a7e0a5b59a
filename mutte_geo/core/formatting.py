"""Numbers with their units, written the way each language writes them.

Vietnamese: ``28,6 tỷ đồng``, ``17.860 tấn``, ``0,7‰``, ``84,6%``.
English: ``28.6 billion VND``, ``17,860 tonnes``, ``0.7‰``, ``84.6%``.
"""

from __future__ import annotations

import math

from mutte_geo.core.i18n import NO_DATA, format_number

# Signs written straight after the number, without a space.
TIGHT_UNITS = ("%", "‰")
MINUS = "\u2212"
PERCENT_POINTS = {"vi": "điểm %", "en": "pp"}


def format_plain(value: float, lang: str, decimals: int = 0, *, trim: bool = True) -> str:
    """A number by the language's convention; ``trim`` drops trailing zero decimals.

    >>> format_plain(21.70, "vi", 2)
    '21,7'
    >>> format_plain(100.0, "en", 1)
    '100'
    >>> format_plain(17860, "vi")
    '17.860'
    """
    text = format_number(value, lang, decimals)
    if trim and decimals > 0 and text != NO_DATA[lang]:
        point = "," if lang == "vi" else "."
        text = text.rstrip("0").rstrip(point)
    return text


def format_quantity(value: float | None, unit: str, lang: str, decimals: int = 0, *, trim: bool = True) -> str:
    """A number with its unit: ``%`` and ``‰`` stick to the number, other units follow a space.

    ``unit`` is already in ``lang`` (catalogue ``unit_vi`` / ``unit_en``). A missing value gives
    the no-data text, never 0.

    >>> format_quantity(28.6, "tỷ đồng", "vi", 1)
    '28,6 tỷ đồng'
    >>> format_quantity(17860, "tonnes", "en")
    '17,860 tonnes'
    >>> format_quantity(0.7, "‰", "vi", 2)
    '0,7‰'
    >>> format_quantity(None, "%", "vi", 1)
    'Không có dữ liệu'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA[lang]
    number = format_plain(value, lang, decimals, trim=trim)
    if not unit:
        return number
    return f"{number}{unit}" if unit in TIGHT_UNITS else f"{number} {unit}"


def format_gap(value: float | None, unit: str, lang: str, decimals: int = 0) -> str:
    """A signed difference with its unit; a gap between two percentages is in percentage points.

    >>> format_gap(-4.0, "%", "vi", 1)
    '−4 điểm %'
    >>> format_gap(40.4, "billion VND", "en", 1)
    '+40.4 billion VND'
    >>> format_gap(0.0, "%", "en", 1)
    '0 pp'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA[lang]
    rounded = round(value, decimals)
    sign = "+" if rounded > 0 else (MINUS if rounded < 0 else "")
    gap_unit = PERCENT_POINTS[lang] if unit == "%" else unit
    return sign + format_quantity(abs(rounded), gap_unit, lang, decimals)

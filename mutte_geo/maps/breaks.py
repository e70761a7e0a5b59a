"""Manual class breaks typed by a user, read the way the user's language writes numbers.

Vietnamese groups thousands with a dot and writes decimals after a comma ("3.000" is three
thousand, "3,5" three and a half); English the other way round ("3,000", "3.5"). Breaks are
separated by ";". Anything that is not a clear, increasing list of numbers is refused with a
message naming the break, never turned into a single silent class.
"""

from __future__ import annotations

import re

from mutte_geo.core.errors import AtlasError
from mutte_geo.core.formatting import MINUS, format_plain

SEPARATOR = ";"
# (thousands separator, decimal mark) of each language.
MARKS = {"vi": (".", ","), "en": (",", ".")}


class BreaksError(AtlasError):
    """Manual breaks that cannot be used; the reason in Vietnamese and English."""

    def __init__(self, reason_vi: str, reason_en: str):
        self.reason_vi, self.reason_en = reason_vi, reason_en
        super().__init__(reason_en)

    def describe(self, lang: str) -> str:
        return self.reason_vi if lang == "vi" else self.reason_en


def example(lang: str) -> str:
    """Breaks as the language writes them, for labels and messages.

    >>> example("vi"), example("en")
    ('2.000; 3.000; 4.500,5', '2,000; 3,000; 4,500.5')
    """
    return f"{SEPARATOR} ".join(format_plain(b, lang, 1) for b in (2000, 3000, 4500.5))


def parse_number(text: str, lang: str) -> float | None:
    """One number as ``lang`` writes it; None if it is not written that way.

    >>> parse_number("3.000", "vi"), parse_number("3,5", "vi"), parse_number("−1.234,5", "vi")
    (3000.0, 3.5, -1234.5)
    >>> parse_number("3,000", "en"), parse_number("3.5", "en"), parse_number("12000", "en")
    (3000.0, 3.5, 12000.0)
    >>> parse_number("3.00", "vi") is None, parse_number("3,5", "en") is None, parse_number("abc", "vi") is None
    (True, True, True)
    """
    group, point = MARKS[lang]
    g, p = re.escape(group), re.escape(point)
    pattern = rf"[-{MINUS}+]?(?:\d{{1,3}}(?:{g}\d{{3}})+|\d+)(?:{p}\d+)?"
    text = text.strip()
    if not re.fullmatch(pattern, text):
        return None
    return float(text.replace(MINUS, "-").replace(group, "").replace(point, "."))


def parse_breaks(text: str, lang: str) -> tuple[float, ...]:
    """The upper bounds of the lower classes, typed as ``"2.000; 3.000"`` (vi) or ``"2,000; 3,000"`` (en).

    >>> parse_breaks("2.000; 3.000; 4.500,5", "vi")
    (2000.0, 3000.0, 4500.5)
    >>> parse_breaks("2,000; 3,000", "en")
    (2000.0, 3000.0)
    >>> parse_breaks("3.000; 2.000", "vi")
    Traceback (most recent call last):
    ...
    mutte_geo.maps.breaks.BreaksError: Breaks must increase from left to right: 2,000 comes after 3,000.
    """
    if not text.strip():
        raise BreaksError(f"Chưa nhập ngưỡng nào. Ví dụ: {example('vi')}",
                          f"No breaks entered. For example: {example('en')}")
    numbers: list[float] = []
    for position, piece in enumerate(text.split(SEPARATOR), start=1):
        if not piece.strip():
            raise BreaksError(f"Ngưỡng thứ {position} bị trống: xóa dấu “{SEPARATOR}” thừa.",
                              f"Break {position} is empty: remove the extra “{SEPARATOR}”.")
        number = parse_number(piece, lang)
        if number is None:
            raise BreaksError(
                f"Ngưỡng thứ {position} (“{piece.strip()}”) không phải là số viết theo kiểu Việt Nam: dấu chấm "
                f"ngăn cách hàng nghìn, dấu phẩy trước phần thập phân, các ngưỡng cách nhau bởi “{SEPARATOR}”. "
                f"Ví dụ: {example('vi')}",
                f"Break {position} (“{piece.strip()}”) is not a number as English writes it: a comma between "
                f"thousands, a point before decimals, breaks separated by “{SEPARATOR}”. For example: {example('en')}")
        if number in numbers:
            raise BreaksError(f"Ngưỡng {_both(number)[0]} được nhập hai lần.",
                              f"Break {_both(number)[1]} is given twice.")
        if numbers and number < numbers[-1]:
            raise BreaksError(
                f"Các ngưỡng phải tăng dần từ trái sang phải: {_both(number)[0]} đứng sau {_both(numbers[-1])[0]}.",
                f"Breaks must increase from left to right: {_both(number)[1]} comes after {_both(numbers[-1])[1]}.")
        numbers.append(number)
    return tuple(numbers)


def _both(number: float) -> tuple[str, str]:
    return format_plain(number, "vi", 6), format_plain(number, "en", 6)

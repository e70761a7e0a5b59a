"""Checks of imported values beyond their format: impossible values are refused, unusual ones flagged.

Refused: an ``actual`` value for a period that has not begun, a value below the catalogue's minimum
(``value_limits.csv``), text that is mis-decoded UTF-8 (mojibake such as "BÃ¡o cÃ¡o"). Flagged for
confirmation: a number more than ``UNUSUAL_FACTOR`` times the largest magnitude the store holds for the
indicator (a slip of units or digits), when the store holds any value of it.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import ftfy
import pandas as pd

from mutte_geo.core.errors import Problem
from mutte_geo.core.i18n import format_number
from mutte_geo.model.catalogue import Catalogue

UNUSUAL_FACTOR = 10
MIN_REFERENCE = 1  # one published figure already gives the order of magnitude
_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")


def period_start(period: str) -> dt.date | None:
    """The first day of a period; None for an undated one.

    >>> period_start("2024-H2"), period_start("2099-Q3"), period_start("n.d.")
    (datetime.date(2024, 7, 1), datetime.date(2099, 7, 1), None)
    """
    match = _PERIOD.match(period)
    if not match:
        return None
    year, part = int(match.group(1)), match.group(2) or ""
    month = {"": 1, "H1": 1, "H2": 7}.get(part) or (3 * int(part[1]) - 2 if part.startswith("Q") else int(part))
    return dt.date(year, month, 1)


def impossible_values(rows: pd.DataFrame, catalogue: Catalogue, today: dt.date | None = None) -> list[Problem]:
    """Checked long rows (with ``number``, ``file``, ``row``) that cannot be true."""
    today = today or dt.date.today()
    problems = []
    for r in rows.to_dict("records"):
        start = period_start(str(r["period"]))
        if r["kind"] == "actual" and start is not None and start > today:
            problems.append(Problem(
                r["file"], int(r["row"]), "period",
                f"số liệu thực hiện cho kỳ {r['period']} chưa bắt đầu (hôm nay {today:%d/%m/%Y}): dùng loại "
                "kế hoạch (target) hoặc ước (estimate)",
                f"an actual value for {r['period']}, which has not begun (today is {today:%Y-%m-%d}): use the kind "
                "target or estimate"))
        indicator = catalogue.get(str(r["indicator"]))
        minimum = indicator.minimum if indicator else None
        number = r.get("number", math.nan)
        if indicator and minimum is not None and isinstance(number, float) and number < minimum:
            problems.append(Problem(
                r["file"], int(r["row"]), "value",
                f"{r['value']} nhỏ hơn mức tối thiểu {format_number(minimum, 'vi', 0)} của chỉ tiêu "
                f"{indicator.name_vi}", f"{r['value']} is below the minimum {minimum:g} of {indicator.name_en}"))
    return problems


def unusual_values(rows: pd.DataFrame, stored: pd.DataFrame, catalogue: Catalogue) -> list[Problem]:
    """Rows whose number is far beyond every value the store holds for the same indicator."""
    numbers = pd.to_numeric(stored["value"], errors="coerce")
    largest = numbers.abs().groupby(stored["indicator"]).agg(["max", "count"])
    flagged = []
    for r in rows.to_dict("records"):
        number = r.get("number", math.nan)
        if r["indicator"] not in largest.index or not isinstance(number, float) or math.isnan(number):
            continue
        biggest, count = largest.loc[r["indicator"]]
        if count >= MIN_REFERENCE and biggest > 0 and abs(number) > UNUSUAL_FACTOR * biggest:
            name = catalogue[r["indicator"]]
            flagged.append(Problem(
                r["file"], int(r["row"]), "value",
                f"{r['value']} lớn hơn {UNUSUAL_FACTOR} lần giá trị lớn nhất đã lưu của {name.name_vi} "
                f"({format_number(biggest, 'vi', 2)}): hãy kiểm tra đơn vị tính và chữ số",
                f"{r['value']} is more than {UNUSUAL_FACTOR} times the largest stored value of {name.name_en} "
                f"({biggest:,.2f}): check the unit and the digits"))
    return flagged


def mojibake_problems(records: list[dict], where: list[tuple[int, dict[str, str]]],
                      file: str) -> list[Problem]:
    """Text fields that are UTF-8 read as Windows-1252 (each distinct text once, at its first row)."""
    problems, seen = [], set()
    for record, (row_no, columns) in zip(records, where, strict=True):
        for name in ("source", "note", "status"):
            text = record.get(name)
            if not isinstance(text, str) or not text or (name, text) in seen:
                continue
            seen.add((name, text))
            fixed = ftfy.fix_encoding(text)
            if fixed != text:
                problems.append(Problem(
                    file, row_no, columns.get(name, name),
                    f"'{text[:80]}' là chữ bị lỗi mã hóa (UTF-8 đọc như Windows-1252), có lẽ là '{fixed[:80]}': "
                    "hãy sửa tệp (lưu bằng 'CSV UTF-8')",
                    f"'{text[:80]}' is garbled text (UTF-8 read as Windows-1252), probably '{fixed[:80]}': fix the "
                    "file (save as 'CSV UTF-8')"))
    return problems

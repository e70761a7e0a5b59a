"""Indicator values in the documented long format: load, validate and select.

One row per value: ``vintage, unit_code, indicator, period, kind, value, status, source, note``.
A value nobody published is simply absent; it is never written as 0.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from mutte_geo.core.errors import Problem, ValidationError
from mutte_geo.core.paths import INDICATOR_DIR
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.units import DISTRICT_CODE, Unit, normalise_code

COLUMNS = ("vintage", "unit_code", "indicator", "period", "kind", "value", "status", "source", "note")
REQUIRED = ("unit_code", "indicator", "period", "kind", "value", "source")
KINDS = ("actual", "estimate", "target")
STATUSES = ("VERIFIED", "UNCERTAIN", "")
UNDATED = "n.d."
LATEST = "latest"
YES_NO = ("yes", "no")
NOT_VALUE_FILES = ("catalogue.csv", "categories.csv", "remarks.csv", "value_limits.csv")
_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$")

UnitsByVintage = dict[int, dict[str, Unit]]
# What a "kind of value" choice selects: results (the actual figure, else the estimate) or plan targets.
KIND_CHOICES: dict[str, tuple[str, ...]] = {"actual": ("actual", "estimate"), "target": ("target",)}
RESULT_KINDS = KIND_CHOICES["actual"]


def kinds_of(choice: str) -> tuple[str, ...]:
    """The stored kinds that a "kind of value" choice selects, in order of preference.

    >>> kinds_of("actual"), kinds_of("target")
    (('actual', 'estimate'), ('target',))
    """
    return KIND_CHOICES[choice]


def period_sort_key(period: str) -> tuple[int, int]:
    """Order periods in time; an undated value sorts before every dated one.

    >>> sorted(["2025", "2024-H1", "n.d.", "2024"], key=period_sort_key)
    ['n.d.', '2024-H1', '2024', '2025']
    """
    match = _PERIOD.match(period)
    if not match:
        return (0, 0)
    year, part = int(match.group(1)), match.group(2)
    if part is None or part == "H2":
        return (year, 12)
    if part == "H1":
        return (year, 6)
    if part.startswith("Q"):
        return (year, 3 * int(part[1]))
    return (year, int(part))


def is_valid_period(period: str) -> bool:
    return period == UNDATED or _PERIOD.match(period) is not None


def validate_table(
    table: pd.DataFrame, *, file: str, catalogue: Catalogue, units: UnitsByVintage
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row of a long-format table; return the clean rows and the problems found."""
    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        return _empty(), [Problem(file, 1, c, "thiếu cột bắt buộc", "required column is missing") for c in missing]
    table = table.fillna("").astype(str)
    for column in COLUMNS:
        if column not in table.columns:
            table[column] = ""
    records = []
    for offset, row in enumerate(table.to_dict("records")):
        row_no = offset + 2  # spreadsheet row: the header is row 1
        found: list[Problem] = []

        def bad(column: str, vi: str, en: str, found: list[Problem] = found, row_no: int = row_no) -> None:
            found.append(Problem(file, row_no, column, vi, en))

        row = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
        vintage_text = row["vintage"] or "2024"
        vintage = int(vintage_text) if vintage_text.isdigit() else None
        if vintage not in units:
            bad("vintage", f"năm ranh giới '{vintage_text}' không hợp lệ (2024 hoặc 2025)",
                f"boundary vintage '{vintage_text}' must be 2024 or 2025")
        code = normalise_code(row["unit_code"])
        if vintage in units and code not in units[vintage] and not (vintage == 2024 and code == DISTRICT_CODE):
            bad("unit_code", f"mã đơn vị '{code}' không có trong danh mục năm {vintage}",
                f"unit code '{code}' is not a {vintage} unit (5-digit commune code, or 107 for the district)")
        indicator = catalogue.get(row["indicator"])
        if indicator is None:
            bad("indicator", f"chỉ tiêu '{row['indicator']}' không có trong danh mục",
                f"unknown indicator id '{row['indicator']}'")
        if not is_valid_period(row["period"]):
            bad("period", f"kỳ '{row['period']}' không hợp lệ (ví dụ 2024, 2024-H1, n.d.)",
                f"period '{row['period']}' is not valid (e.g. 2024, 2024-H1, 2024-Q3, n.d.)")
        if row["kind"] not in KINDS:
            bad("kind", f"loại '{row['kind']}' không hợp lệ (actual, estimate, target)",
                f"kind '{row['kind']}' must be actual, estimate or target")
        if row["status"] not in STATUSES:
            bad("status", "trạng thái phải là VERIFIED hoặc UNCERTAIN", "status must be VERIFIED or UNCERTAIN")
        if not row["source"]:
            bad("source", "thiếu nguồn số liệu", "source is empty: every value needs its source")
        number = math.nan
        if indicator is not None:
            number = _check_value(row["value"], indicator.value_type, indicator.category_labels, bad)
        if found:
            problems.extend(found)
            continue
        records.append({**row, "vintage": vintage, "unit_code": code, "number": number,
                        "file": file, "row": row_no})
    clean = pd.DataFrame.from_records(records, columns=[*COLUMNS, "number", "file", "row"])
    return clean, problems


def _check_value(text: str, value_type: str, labels: dict, bad) -> float:
    if text == "":
        bad("value", "giá trị trống: bỏ dòng này nếu chưa có số liệu",
            "value is empty: leave the row out when there is no data (never write 0)")
        return math.nan
    if value_type == "yes/no":
        if text not in YES_NO:
            bad("value", f"'{text}' không phải yes/no", f"'{text}' is not yes or no")
        return math.nan
    if value_type == "category":
        if labels and text not in labels:
            bad("value", f"'{text}' không có trong danh sách phân loại", f"'{text}' is not a known category")
        return math.nan
    try:
        number = float(text)
    except ValueError:
        bad("value", f"'{text}' không phải là số", f"'{text}' is not a number")
        return math.nan
    if not math.isfinite(number):
        bad("value", f"'{text}' không phải là số hữu hạn", f"'{text}' is not a finite number")
    elif value_type == "percentage" and not 0 <= number <= 100:
        bad("value", f"tỷ lệ {text} nằm ngoài 0–100", f"percentage {text} is outside 0–100")
    elif value_type == "count" and (number < 0 or number != int(number)):
        bad("value", f"{text} không phải số đếm (số nguyên không âm)", f"{text} is not a count (whole number ≥ 0)")
    return number


def find_duplicates(values: pd.DataFrame) -> list[Problem]:
    """Two rows for the same unit, indicator, period and kind are an error."""
    key = ["vintage", "unit_code", "indicator", "period", "kind"]
    dupes = values[values.duplicated(key, keep=False)]
    problems = []
    for _, group in dupes.groupby(key, sort=False):
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            problems.append(Problem(
                row["file"], int(row["row"]), None,
                f"trùng với {first['file']} dòng {first['row']} (cùng đơn vị, chỉ tiêu, kỳ và loại)",
                f"duplicates {first['file']} row {first['row']} (same unit, indicator, period and kind)",
            ))
    return problems


def load_values(
    catalogue: Catalogue, units: UnitsByVintage, directory: Path = INDICATOR_DIR
) -> pd.DataFrame:
    """Load every value file in ``directory``; raise ValidationError listing all problems."""
    frames, problems = [], []
    for path in sorted(directory.glob("*.csv")):
        if path.name in NOT_VALUE_FILES:
            continue
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        clean, found = validate_table(table, file=path.name, catalogue=catalogue, units=units)
        frames.append(clean)
        problems.extend(found)
    values = pd.concat(frames, ignore_index=True) if frames else _empty()
    problems.extend(find_duplicates(values))
    if problems:
        raise ValidationError(problems)
    return values


def is_later(period: str, than: str) -> bool:
    """Whether ``period`` can be shown to be later than ``than``: both dated and ``period`` after.

    >>> is_later("2019", "2009"), is_later("2009", "n.d."), is_later("n.d.", "2009")
    (True, False, False)
    """
    if period == UNDATED or than == UNDATED:
        return False
    return period_sort_key(period) > period_sort_key(than)


def newest_first(rows: pd.DataFrame, kinds: tuple[str, ...]) -> pd.DataFrame:
    """``rows`` of one unit and indicator, best candidate for "latest" first (see :func:`pick_latest`)."""
    kind_rank = {k: i for i, k in enumerate(kinds)}
    order = rows.assign(_order=rows["period"].map(period_sort_key), _kind=rows["kind"].map(kind_rank))
    return order.sort_values(["_order", "_kind"], ascending=[False, True]).drop(columns=["_order", "_kind"])


def latest_per_unit(rows: pd.DataFrame, kinds: tuple[str, ...] = ("actual", "estimate"), *,
                    by: str = "unit_code") -> pd.DataFrame:
    """The "latest" row of each ``by`` (unit code; or indicator, for one unit) in ``rows``, indexed by ``by``.

    The rule (documented in data/indicators/README.md): the newest period wins; in one period the
    kinds rank in the order given (actual before estimate); an undated value comes after every dated
    one — but a value not marked UNCERTAIN is never displaced by an UNCERTAIN one unless the
    uncertain one's period can be shown to be later (both dated, strictly later). So Ka Lăng's
    VERIFIED undated 2,599 stays ahead of an UNCERTAIN 3,825 whose year is only inferred.
    """
    ranked = newest_first(rows, kinds)
    best = ranked.drop_duplicates(by).set_index(by)
    strong = ranked[ranked["status"] != "UNCERTAIN"].drop_duplicates(by).set_index(by)
    weak = best.index[(best["status"] == "UNCERTAIN").to_numpy()].intersection(strong.index)
    keep_strong = [c for c in weak if not is_later(best.at[c, "period"], strong.at[c, "period"])]
    if keep_strong:
        best = pd.concat([best.drop(index=keep_strong), strong.loc[keep_strong]])
    return best


def select(
    values: pd.DataFrame, *, indicator: str, vintage: int, period: str = LATEST,
    kinds: tuple[str, ...] = RESULT_KINDS,
) -> pd.DataFrame:
    """One value per unit (commune rows only), indexed by unit code.

    With ``period='latest'`` each unit gets its value chosen by :func:`latest_per_unit`.
    """
    rows = values[(values["indicator"] == indicator) & (values["vintage"] == vintage)
                  & (values["unit_code"] != DISTRICT_CODE) & values["kind"].isin(kinds)]
    if period != LATEST:
        rows = rows[rows["period"] == period]
        return newest_first(rows, kinds).drop_duplicates("unit_code").set_index("unit_code")
    return latest_per_unit(rows, kinds)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=[*COLUMNS, "number", "file", "row"])

"""One number format per column: shown and exported tables never mix '17.860' with '17860' or 17860,
nor one indicator's values with different decimals."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mutte_geo.analysis.completeness import completeness, completeness_table, unit_counts
from mutte_geo.analysis.profile import indicator_table
from mutte_geo.exports.layers import values_table as export_table
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.ui.datapage import values_table as data_table

GROUPED = re.compile(r"^-?\d{1,3}(?P<sep>[.,])?(?:\d{3}(?:(?P=sep)\d{3})*)?(?:(?P<dec>[.,])(?P<digits>\d+))?(?: ?%)?$")
UNGROUPED = re.compile(r"^-?\d{4,}(?:[.,]\d+)?$")
YEAR = re.compile(r"^(19|20)\d\d$")


def shape(value: object, lang: str) -> str | None:
    """How a cell writes a number: 'raw', 'ungrouped', 'decimals=N', or None for no number."""
    if isinstance(value, bool) or value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, int | float):
        return "raw"
    text = str(value).strip()
    if YEAR.match(text):
        return None
    if UNGROUPED.match(text):
        return "ungrouped"
    found = GROUPED.match(text)
    if not found:
        return None
    thousands, decimal = (".", ",") if lang == "vi" else (",", ".")
    if (found["sep"] and found["sep"] != thousands) or (found["dec"] and found["dec"] != decimal):
        return "other language"
    return f"decimals={len(found['digits'] or '')}"


def mixed_columns(table: pd.DataFrame, lang: str, skip: set[str], group: str | None = None) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    groups = table.groupby(group) if group and group in table.columns else [(None, table)]
    for name, part in groups:
        for column in part.columns:
            if column in skip:
                continue
            shapes = {s for s in (shape(v, lang) for v in part[column]) if s is not None}
            if len(shapes) > 1 or "other language" in shapes:
                found[f"{column} ({name})"] = shapes
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tables_write_each_column_one_way(atlas: Atlas, lang: str) -> None:
    codes = {"Mã" if lang == "vi" else "Code"}
    indicator = "Chỉ tiêu" if lang == "vi" else "Indicator"
    problems = {"data page": mixed_columns(data_table(atlas, lang), lang, codes, indicator)}
    for vintage in (2024, 2025):
        for indicator_id in sorted(atlas.mappable_indicators(vintage)):
            request = MapRequest(indicator_id, vintage=vintage, lang=lang)
            problems[f"export {indicator_id} {vintage}"] = mixed_columns(
                export_table(atlas, map_view(atlas, request), request=request), lang, codes)
        for code in atlas.units[vintage]:
            problems[f"profile {vintage} {code}"] = mixed_columns(indicator_table(atlas, vintage, code, lang), lang,
                                                                  codes, indicator)
        result = completeness(atlas, vintage)
        problems[f"completeness {vintage}"] = mixed_columns(completeness_table(atlas, result, vintage, lang), lang,
                                                            codes)
        problems[f"unit counts {vintage}"] = mixed_columns(unit_counts(atlas, result, vintage, lang), lang, codes)
    assert {where: found for where, found in problems.items() if found} == {}


def test_the_check_sees_a_mixed_column() -> None:
    table = pd.DataFrame({"Giá trị": ["17.860", "17860", "28,6"], "Số": [1, "2", 3], "Mã": ["03010", "302", "x"],
                          "Tỷ lệ": ["28,6 %", "31,0 %", "—"], "Dân số": ["17,860", "18.001", None]})
    assert mixed_columns(table, "vi", {"Mã"}) == {
        "Giá trị (None)": {"decimals=0", "ungrouped", "decimals=1"},
        "Số (None)": {"raw", "decimals=0"},
        "Dân số (None)": {"other language", "decimals=0"},
    }

"""Moving 2024 values onto the 2025 communes: each rule by hand on small frames, then on the real data."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from mutte_geo.core.errors import ValidationError
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Indicator
from mutte_geo.model.crosswalk import Crosswalk
from mutte_geo.model.indicators import select
from mutte_geo.model.join import value_text
from mutte_geo.model.reform import DERIVED_COLUMN, derive_values, with_derived
from mutte_geo.model.units import Unit


def _indicator(ident: str, value_type: str, aggregation: str, weight: str = "") -> Indicator:
    return Indicator(ident, "demography", value_type, "", "", None, 1, aggregation, weight, None, False,
                     ident, ident, {"x": ("X", "X"), "y": ("Y", "Y")})


CATALOGUE = {
    "people": _indicator("people", "count", "sum"),
    "homes": _indicator("homes", "count", "sum"),
    "poor": _indicator("poor", "percentage", "weighted_mean", "homes"),
    "hotspot": _indicator("hotspot", "yes/no", "flag"),
    "group": _indicator("group", "category", "list"),
    "growth": _indicator("growth", "numeric", "none"),
}
# New commune N1 = old A + B (wholly inside the old district); N2 = old C plus land outside it.
CROSSWALK = Crosswalk({"00001": "00010", "00002": "00010", "00003": "00020"}, {"00010": 1.0, "00020": 0.27})
UNITS = {c: Unit(2024, c, f"Old {c[-1]}", "xã", "", "", s, "") for c, s in CROSSWALK.links.items()}


def _values(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (unit, indicator, period, value[, status])."""
    records = []
    for unit, ind, period, value, *status in rows:
        number = float(value) if CATALOGUE[ind].is_numeric else math.nan
        records.append({"vintage": 2024, "unit_code": unit, "indicator": ind, "period": period, "kind": "actual",
                        "value": value, "status": status[0] if status else "VERIFIED", "source": f"src-{unit}",
                        "note": "", "number": number, "file": "t.csv", "row": 2})
    return pd.DataFrame.from_records(records)


def _derive(rows: list[tuple]) -> pd.DataFrame:
    return derive_values(_values(rows), CATALOGUE, CROSSWALK, UNITS)  # type: ignore[arg-type]


def _one(derived: pd.DataFrame, unit: str, ind: str, period: str = "2024") -> pd.Series | None:
    hit = derived[(derived["unit_code"] == unit) & (derived["indicator"] == ind) & (derived["period"] == period)]
    assert len(hit) <= 1
    return None if hit.empty else hit.iloc[0]


def test_sum_needs_every_former_unit_in_the_same_period() -> None:
    derived = _derive([("00001", "people", "2024", "1200"), ("00002", "people", "2024", "345.5", "UNCERTAIN"),
                       ("00001", "people", "2023", "1100")])
    row = _one(derived, "00010", "people")
    assert row is not None and row["value"] == "1545.5" and row["number"] == 1545.5
    assert row["status"] == "UNCERTAIN"  # one source is uncertain
    assert re.findall(r"2024:\d{5}", row[DERIVED_COLUMN]) == ["2024:00001", "2024:00002"]
    assert "Tổng của 2 đơn vị" in row["note"] and "src-00001" in row["source"] and "src-00002" in row["source"]
    assert _one(derived, "00010", "people", "2023") is None  # B has no 2023 value: not shown, never B = 0


def test_weighted_mean_uses_the_denominator_of_every_former_unit() -> None:
    rows = [("00001", "poor", "2024", "50"), ("00002", "poor", "2024", "20"),
            ("00001", "homes", "2024", "100"), ("00002", "homes", "2024", "300")]
    row = _one(_derive(rows), "00010", "poor")
    assert row is not None and row["number"] == pytest.approx(27.5)  # (50·100 + 20·300) / 400
    assert "trọng số: homes" in row["note"]
    # a plain mean would be 35: the weight matters; without B's households nothing is shown
    assert _one(_derive(rows[:3]), "00010", "poor") is None


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("yes", "yes", "all"), ("yes", "no", "some"), ("no", "no", "none"), ("yes", None, "some"), ("no", None, None),
])
def test_flag_becomes_all_some_or_none_of_the_former_units(a: str, b: str | None, expected: str | None) -> None:
    rows = [("00001", "hotspot", "2024", a)] + ([("00002", "hotspot", "2024", b)] if b else [])
    row = _one(_derive(rows), "00010", "hotspot")
    assert (None if row is None else row["value"]) == expected


def test_categories_are_listed_and_none_rule_moves_nothing() -> None:
    derived = _derive([("00001", "group", "2024", "y"), ("00002", "group", "2024", "x"),
                       ("00001", "growth", "2024", "3"), ("00002", "growth", "2024", "4")])
    row = _one(derived, "00010", "group")
    assert row is not None and row["value"] == "x+y"
    assert value_text(CATALOGUE["group"], row, "en").startswith("X + Y (derived from 2024:00001")
    assert _one(derived, "00010", "growth") is None
    same = _one(_derive([("00001", "group", "2024", "x"), ("00002", "group", "2024", "x")]), "00010", "group")
    assert same is not None and same["value"] == "x"


def test_a_commune_reaching_outside_gets_no_sum_and_at_most_some() -> None:
    derived = _derive([("00003", "people", "2024", "900"), ("00003", "group", "2024", "x"),
                       ("00003", "hotspot", "2024", "no")])
    assert derived[derived["unit_code"] == "00020"].empty  # the part outside has no data
    flagged = _one(_derive([("00003", "hotspot", "2024", "yes")]), "00020", "hotspot")
    assert flagged is not None and flagged["value"] == "some"
    assert "ngoài huyện Mường Tè cũ" in flagged["note"]


def test_loaded_2025_values_win_over_derived_ones() -> None:
    derived = _derive([("00001", "people", "2024", "1200"), ("00002", "people", "2024", "300")])
    official = pd.DataFrame([{**derived.iloc[0].to_dict(), "value": "1600", "number": 1600.0, "file": "o.csv",
                              "source": "official", DERIVED_COLUMN: ""}]).drop(columns=[DERIVED_COLUMN])
    merged = with_derived(official, derived)
    assert len(merged) == 1 and merged.iloc[0]["value"] == "1600" and merged.iloc[0][DERIVED_COLUMN] == ""


def test_unknown_weight_in_the_catalogue_is_refused() -> None:
    catalogue = {**CATALOGUE, "poor": _indicator("poor", "percentage", "weighted_mean", "nobody")}
    with pytest.raises(ValidationError, match="weight 'nobody' is not an indicator id"):
        derive_values(_values([]), catalogue, CROSSWALK, UNITS)


# --- the real data ----------------------------------------------------------------------------------------

def _real(atlas: Atlas, unit: str, ind: str, period: str) -> pd.DataFrame:
    v = atlas.values
    return v[(v["vintage"] == 2025) & (v["unit_code"] == unit) & (v["indicator"] == ind) & (v["period"] == period)]


def test_real_population_2009_of_bum_to_is_the_sum_of_its_three_former_units(atlas: Atlas) -> None:
    row = _real(atlas, "03433", "population", "2009").iloc[0]
    assert row["number"] == 4558 + 2923 + 2027  # town, Bum Tở, Can Hồ (citypopulation, all UNCERTAIN)
    assert row["status"] == "UNCERTAIN"
    assert re.findall(r"2024:\d{5}", row[DERIVED_COLUMN]) == ["2024:03433", "2024:03454", "2024:03469"]
    assert _real(atlas, "03442", "population", "2009").empty  # Tá Bạ has no 2009 figure


def test_real_flags_and_the_vang_san_rule(atlas: Atlas) -> None:
    assert _real(atlas, "03442", "attendance_priority", "2025").iloc[0]["value"] == "all"  # Tá Bạ and Pa Ủ
    assert _real(atlas, "03433", "security_hotspot", "2024").iloc[0]["value"] == "some"  # only the town
    hua_bum = atlas.values[(atlas.values["vintage"] == 2025) & (atlas.values["unit_code"] == "03460")]
    assert set(hua_bum["file"]) == {"units_2025_official.csv"}  # Vàng San's "no" never becomes Hua Bum's "none"
    view = map_view(atlas, MapRequest("security_hotspot", vintage=2025, lang="en"))
    hb = view.joined.set_index("code").loc["03460"]
    assert not hb["has_data"] and hb["name"].endswith("↗") and "reaches outside" in hb["label"]
    assert "Hua Bum: only about 27%" in view.classification.note("en")
    # an open list: units not named are no data, so no 2025 commune is ever "none of the former units"
    assert [e.label for e in view.legend] == ["At least one of the former units", "No data"]
    assert [e.count for e in view.legend] == [3, 5]


def test_real_official_2025_figures_win(atlas: Atlas) -> None:
    rows = _real(atlas, "03451", "population", "2025")
    assert len(rows) == 1 and rows.iloc[0]["file"] == "units_2025_official.csv" and rows.iloc[0]["number"] == 3299


def test_code_reuse_trap_town_values_never_land_on_the_new_bum_to(atlas: Atlas) -> None:
    v = atlas.values
    new_bum_to = v[(v["vintage"] == 2025) & (v["unit_code"] == "03433")]
    assert not new_bum_to.empty
    for _, row in new_bum_to.iterrows():
        if row["file"] == "units_2025_official.csv":
            continue
        # anything else is a derived value naming all three former units, the town among them, or (a flag
        # of an open list) the former units that have a value
        codes = re.findall(r"2024:\d{5}", row[DERIVED_COLUMN])
        full = ["2024:03433", "2024:03454", "2024:03469"]
        assert codes == full or (row["value"] == "some" and set(codes) < set(full)), row.to_dict()
    town = v[(v["vintage"] == 2024) & (v["unit_code"] == "03433")]
    assert set(town["indicator"]) >= {"area", "population", "ntm_status"}
    latest = select(v, indicator="area", vintage=2025).loc["03433"]
    assert latest["number"] == 384.07  # the official area, not the town's 12.45 km²
    assert _real(atlas, "03433", "ntm_status", "n.d.").empty  # the town's "not applicable" is not Bum Tở's
    shown = map_view(atlas, MapRequest("population", vintage=2025, lang="en", period="2009")).joined.set_index("code")
    assert shown.loc["03433", "value_text"].startswith("9,508 people (derived from 2024:03433")

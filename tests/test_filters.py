"""The filter logic: operators, no-data handling, three-valued AND/OR, ready-made questions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mutte_geo.analysis.filters import (
    MATCH,
    NO_MATCH,
    QUESTION_BY_ID,
    UNKNOWN,
    Condition,
    Criteria,
    combine,
    condition_outcome,
    describe_criteria,
    evaluate,
)
from mutte_geo.core.errors import CriteriaError
from mutte_geo.exports.tables import to_csv_bytes
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Indicator
from mutte_geo.ui.filterpage import (
    criteria_from_widgets,
    export_notes,
    load_widgets,
    repair_condition,
    result_table,
)


def _indicator(value_type: str, labels: dict | None = None) -> Indicator:
    return Indicator("x", "economy", value_type, "%", "%", True, 1, "none", "", None, False, "Chỉ tiêu X",
                     "Indicator X", labels or {})


def _row(value: str, number: float = math.nan) -> pd.Series:
    return pd.Series({"value": value, "number": number})


NUM = _indicator("percentage")
YN = _indicator("yes/no")
CAT = _indicator("category", {"a": ("A", "A"), "b": ("B", "B"), "c": ("C", "C")})


@pytest.mark.parametrize(("op", "numbers", "x", "expected"), [
    ("eq", (20.0,), 20.0, MATCH), ("eq", (20.0,), 20.5, NO_MATCH),
    ("ne", (20.0,), 20.5, MATCH), ("ne", (20.0,), 20.0, NO_MATCH),
    ("lt", (20.0,), 19.9, MATCH), ("lt", (20.0,), 20.0, NO_MATCH),
    ("le", (20.0,), 20.0, MATCH), ("le", (20.0,), 20.1, NO_MATCH),
    ("gt", (20.0,), 20.1, MATCH), ("gt", (20.0,), 20.0, NO_MATCH),
    ("ge", (20.0,), 20.0, MATCH), ("ge", (20.0,), 19.9, NO_MATCH),
    ("between", (10.0, 20.0), 10.0, MATCH), ("between", (10.0, 20.0), 20.0, MATCH),
    ("between", (10.0, 20.0), 15.0, MATCH), ("between", (10.0, 20.0), 20.01, NO_MATCH),
    ("between", (10.0, 20.0), 9.99, NO_MATCH),
])
def test_number_operators(op: str, numbers: tuple[float, ...], x: float, expected) -> None:  # type: ignore[no-untyped-def]
    assert condition_outcome(Condition("x", op, numbers=numbers), NUM, _row(str(x), x)) is expected


def test_equality_tolerates_float_rounding() -> None:
    assert condition_outcome(Condition("x", "eq", numbers=(0.3,)), NUM, _row("0.3", 0.1 + 0.2)) is MATCH


@pytest.mark.parametrize(("indicator", "condition", "value", "expected"), [
    (YN, Condition("x", "is", codes=("yes",)), "yes", MATCH),
    (YN, Condition("x", "is", codes=("yes",)), "no", NO_MATCH),
    (YN, Condition("x", "is_not", codes=("yes",)), "no", MATCH),
    (YN, Condition("x", "is_not", codes=("yes",)), "yes", NO_MATCH),
    (YN, Condition("x", "one_of", codes=("yes", "no")), "no", MATCH),
    (CAT, Condition("x", "one_of", codes=("a", "c")), "c", MATCH),
    (CAT, Condition("x", "one_of", codes=("a", "c")), "b", NO_MATCH),
    (CAT, Condition("x", "is", codes=("b",)), "b", MATCH),
    (CAT, Condition("x", "is_not", codes=("b",)), "a", MATCH),
])
def test_choice_operators(indicator: Indicator, condition: Condition, value: str, expected) -> None:  # type: ignore[no-untyped-def]
    assert condition_outcome(condition, indicator, _row(value)) is expected


@pytest.mark.parametrize("condition", [
    Condition("x", "gt", numbers=(0.0,)), Condition("x", "between", numbers=(0.0, 1.0)),
    Condition("x", "ne", numbers=(5.0,)), Condition("x", "is_not", codes=("yes",)),
])
def test_without_data_a_value_test_cannot_tell(condition: Condition) -> None:
    indicator = NUM if condition.numbers else YN
    assert condition_outcome(condition, indicator, None) is UNKNOWN


def test_has_data_and_no_data_always_decide() -> None:
    assert condition_outcome(Condition("x", "has_data"), NUM, None) is NO_MATCH
    assert condition_outcome(Condition("x", "has_data"), NUM, _row("1", 1.0)) is MATCH
    assert condition_outcome(Condition("x", "no_data"), NUM, None) is MATCH
    assert condition_outcome(Condition("x", "no_data"), YN, _row("no")) is NO_MATCH


@pytest.mark.parametrize(("outcomes", "how", "expected"), [
    ([MATCH, MATCH], "and", MATCH),
    ([MATCH, UNKNOWN], "and", UNKNOWN),
    ([NO_MATCH, UNKNOWN], "and", NO_MATCH),  # false AND unknown is false
    ([UNKNOWN, UNKNOWN], "and", UNKNOWN),
    ([NO_MATCH, NO_MATCH], "or", NO_MATCH),
    ([NO_MATCH, UNKNOWN], "or", UNKNOWN),
    ([MATCH, UNKNOWN], "or", MATCH),  # true OR unknown is true
    ([MATCH, NO_MATCH], "or", MATCH),
    ([MATCH, NO_MATCH], "and", NO_MATCH),
])
def test_three_valued_logic(outcomes, how: str, expected) -> None:  # type: ignore[no-untyped-def]
    assert combine(outcomes, how) is expected


@pytest.mark.parametrize(("criteria", "reason"), [
    (Criteria((Condition("nope", "is", codes=("yes",)),)), "not in the catalogue"),
    (Criteria((Condition("population", "is", codes=("yes",)),)), "does not apply"),
    (Criteria((Condition("borders_china", "gt", numbers=(1.0,)),)), "does not apply"),
    (Criteria((Condition("population", "gt"),)), "exactly 1 number"),
    (Criteria((Condition("population", "between", numbers=(5.0,)),)), "exactly 2 number"),
    (Criteria((Condition("population", "between", numbers=(5.0, 1.0)),)), "lower bound exceeds"),
    (Criteria((Condition("population", "gt", numbers=(math.inf,)),)), "finite"),
    (Criteria((Condition("borders_china", "is", codes=("maybe",)),)), "unknown value"),
    (Criteria((Condition("borders_china", "is", codes=("yes", "no")),)), "choose one"),
    (Criteria((Condition("ntm_status", "one_of"),)), "at least one"),
    (Criteria((Condition("area", "has_data", numbers=(1.0,)),)), "takes no value"),
    (Criteria(combine="xor"), "'and' or 'or'"),
    (Criteria(period="last year"), "period"),
    (Criteria(kind="plan"), "value kind"),
])
def test_bad_criteria_are_refused_with_a_reason(atlas: Atlas, criteria: Criteria, reason: str) -> None:
    with pytest.raises(CriteriaError) as info:
        evaluate(criteria, values=atlas.values, catalogue=atlas.catalogue, units=atlas.units[2024], vintage=2024)
    assert reason in str(info.value)
    assert all(vi and en for vi, en in info.value.problems)


def _run(atlas: Atlas, criteria: Criteria, vintage: int = 2024, lang: str = "vi"):  # type: ignore[no-untyped-def]
    return evaluate(criteria, values=atlas.values, catalogue=atlas.catalogue, units=atlas.units[vintage],
                    vintage=vintage, lang=lang)


def _flag_codes(atlas: Atlas, indicator: str, value: str) -> set[str]:
    rows = atlas.values[(atlas.values["indicator"] == indicator) & (atlas.values["vintage"] == 2024)
                        & (atlas.values["unit_code"] != "107")]
    return set(rows.loc[rows["value"] == value, "unit_code"])


def test_hotspots_are_the_three_units_named_in_the_report(atlas: Atlas) -> None:
    result = _run(atlas, QUESTION_BY_ID["hotspots"].criteria)
    assert set(result.codes(MATCH)) == {"03442", "03448", "03433"}  # Pa Ủ, Pa Vệ Sủ, the town
    # an open list ("như:"): the 11 units not named are "cannot tell", never "no match"
    assert result.count(UNKNOWN) == 11 and result.count(NO_MATCH) == 0
    pa_u = next(u for u in result.units if u.code == "03442")
    assert pa_u.label == "Xã Pa Ủ"
    assert [(v.value, v.period) for v in pa_u.deciding] == [("yes", "2024")]
    assert "Báo cáo" in pa_u.deciding[0].source


@pytest.mark.parametrize(("question", "indicator"), [
    ("ntm_2025", "ntm_candidate_2025"), ("attendance", "attendance_priority"), ("border", "borders_china"),
])
def test_single_flag_questions_match_the_data(atlas: Atlas, question: str, indicator: str) -> None:
    result = _run(atlas, QUESTION_BY_ID[question].criteria)
    assert set(result.codes(MATCH)) == _flag_codes(atlas, indicator, "yes")
    assert set(result.codes(NO_MATCH)) == _flag_codes(atlas, indicator, "no")
    assert result.codes(MATCH) and not result.codes(UNKNOWN)


def test_plan_designations_are_targets_and_need_the_target_kind(atlas: Atlas) -> None:
    """The 2025 lists of the plan are targets: asked about actual values, nobody is known."""
    actual = Criteria((Condition("attendance_priority", "is", codes=("yes",)),))
    assert _run(atlas, actual).count(UNKNOWN) == 14
    assert set(_run(atlas, QUESTION_BY_ID["attendance"].criteria).codes(MATCH)) == _flag_codes(
        atlas, "attendance_priority", "yes")


def test_border_and_la_hu_majority(atlas: Atlas) -> None:
    criteria = Criteria((Condition("borders_china", "is", codes=("yes",)),
                         Condition("main_ethnic_group", "is", codes=("la_hu",))))
    result = _run(atlas, criteria)
    assert sorted(u.label for u in result.units if u.outcome is MATCH) == ["Xã Pa Vệ Sủ", "Xã Pa Ủ", "Xã Tá Bạ"]


def test_waste_gap_invents_no_waste_values(atlas: Atlas) -> None:
    """No commune has a waste-collection value: nobody matches, and nobody is dropped for it."""
    result = _run(atlas, QUESTION_BY_ID["waste_gap"].criteria)
    assert result.missing_indicators == ("waste_collection_units",)
    assert result.codes(MATCH) == []
    for unit in result.units:
        waste = unit.values[0]
        assert waste.value is None and waste.outcome is UNKNOWN
    # Only a unit already meeting the NTM standard is decided (it is not "not yet NTM").
    meets = _flag_codes(atlas, "ntm_status", "meets_standard")
    assert set(result.codes(NO_MATCH)) == meets
    assert set(result.codes(UNKNOWN)) == set(atlas.units[2024]) - meets


def test_border_stunting_cannot_tell_for_border_communes(atlas: Atlas) -> None:
    result = _run(atlas, QUESTION_BY_ID["border_stunting"].criteria)
    assert result.codes(MATCH) == []
    assert set(result.codes(UNKNOWN)) == _flag_codes(atlas, "borders_china", "yes")
    assert set(result.codes(NO_MATCH)) == _flag_codes(atlas, "borders_china", "no")
    unknown = next(u for u in result.units if u.outcome is UNKNOWN)
    assert [v.condition.indicator for v in unknown.deciding] == ["stunting_u5"]


def test_numeric_condition_on_real_values(atlas: Atlas) -> None:
    """Poverty rate > 60 %: Ka Lăng (62.41) and Tá Bạ (90, 2015) match; the rest have no value."""
    result = _run(atlas, Criteria((Condition("poverty_rate", "gt", numbers=(60.0,)),)))
    rows = atlas.values[(atlas.values["indicator"] == "poverty_rate") & (atlas.values["unit_code"] != "107")
                        & (atlas.values["vintage"] == 2024)]
    assert set(result.codes(MATCH)) == set(rows.loc[rows["number"] > 60, "unit_code"]) == {"03439", "03440"}
    assert set(result.codes(UNKNOWN)) == set(atlas.units[2024]) - set(rows["unit_code"])
    has = _run(atlas, Criteria((Condition("poverty_rate", "has_data"),)))
    assert set(has.codes(MATCH)) == set(rows["unit_code"]) and has.count(UNKNOWN) == 0


def test_period_and_kind_select_the_values(atlas: Atlas) -> None:
    by_2009 = _run(atlas, Criteria((Condition("population", "lt", numbers=(2100.0,)),), period="2009"))
    assert set(by_2009.codes(MATCH)) == {"03457", "03469", "03451", "03436"}  # 1041, 2027, 2097, 2005
    census = atlas.values[(atlas.values["indicator"] == "population") & (atlas.values["period"] == "2009")
                         & (atlas.values["vintage"] == 2024)]
    assert set(by_2009.codes(UNKNOWN)) == set(atlas.units[2024]) - set(census["unit_code"]) != set()
    target = _run(atlas, Criteria((Condition("borders_china", "is", codes=("yes",)),), kind="target"))
    assert target.count(UNKNOWN) == 14  # nobody published a target for it


def test_vintage_2025_uses_that_vintage_s_codes(atlas: Atlas) -> None:
    result = _run(atlas, QUESTION_BY_ID["hotspots"].criteria, vintage=2025)
    rows = atlas.values[(atlas.values["indicator"] == "security_hotspot") & (atlas.values["vintage"] == 2025)]
    assert result.vintage == 2025 and {u.code for u in result.units} == set(atlas.units[2025])
    assert set(result.codes(MATCH)) == set(rows.loc[rows["value"] == "yes", "unit_code"])
    assert set(result.codes(UNKNOWN)) == set(atlas.units[2025]) - set(rows["unit_code"])


def test_questions_need_their_indicators(atlas: Atlas) -> None:
    """A user who may not see the security layer gets neither the question nor its conditions."""
    public = {k: v for k, v in atlas.catalogue.items() if not v.sensitive}
    assert "security_hotspot" not in public
    assert QUESTION_BY_ID["hotspots"].available(atlas.catalogue)
    assert not QUESTION_BY_ID["hotspots"].available(public)
    assert QUESTION_BY_ID["attendance"].available(public)
    both = Criteria((Condition("security_hotspot", "is", codes=("yes",)),
                     Condition("attendance_priority", "is", codes=("yes",))), combine="or")
    assert [c.indicator for c in both.restricted_to(public).conditions] == ["attendance_priority"]
    assert both.restricted_to(public).combine == "or"


def test_criteria_in_words(atlas: Atlas) -> None:
    criteria = QUESTION_BY_ID["border_stunting"].criteria
    vi = describe_criteria(criteria, atlas.catalogue, "vi")
    en = describe_criteria(criteria, atlas.catalogue, "en")
    assert "“Giáp biên giới Trung Quốc” là Có và" in vi and "thấp còi” > 20%" in vi and "mới nhất" in vi
    assert "“Borders China” is Yes and “Stunted children under 5” > 20%" in en
    between = Criteria((Condition("poverty_rate", "between", numbers=(10.5, 62.41)),), combine="or", period="2015")
    assert "từ 10,5% đến 62,41%" in describe_criteria(between, atlas.catalogue, "vi")
    assert "between 10.5% and 62.41%" in describe_criteria(between, atlas.catalogue, "en")


def test_result_table_and_exports(atlas: Atlas) -> None:
    result = _run(atlas, QUESTION_BY_ID["border_stunting"].criteria)
    table = result_table(result, atlas.catalogue, "vi")
    assert list(table["Kết quả"].iloc[:6]) == ["Không xác định được (thiếu dữ liệu)"] * 6
    assert set(table["Năm ranh giới"]) == {2024} and table["Mã"].str.len().eq(5).all()
    assert "Giáp biên giới Trung Quốc" in table.columns
    assert table.loc[table["Mã"] == "03442", "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi"].item() == (
        "Không có dữ liệu")
    notes = export_notes(result, atlas.catalogue, atlas.attribution(2024), "vi")
    csv = to_csv_bytes(table, notes=notes).decode("utf-8-sig")
    assert "Xã Pa Ủ" in csv and "# Tiêu chí: Đơn vị thỏa mãn tất cả" in csv
    assert all(line in csv for line in atlas.attribution(2024))


def test_widgets_round_trip_and_repair(atlas: Atlas) -> None:
    criteria = Criteria((Condition("poverty_rate", "between", numbers=(1.0, 2.0)),
                         Condition("ntm_status", "one_of", codes=("meets_standard",)),
                         Condition("borders_china", "is_not", codes=("no",)),
                         Condition("area", "no_data")), combine="or", period="2015", kind="target")
    state: dict = {"fc9_ind": "stale", "lang": "vi"}
    load_widgets(state, criteria)
    assert "fc9_ind" not in state and state["lang"] == "vi"
    assert criteria_from_widgets(state, 4, atlas.catalogue) == criteria
    state["fc2_ind"] = "population"  # the user picks a numeric indicator for the yes/no row
    repair_condition(state, 2, atlas.catalogue["population"])
    assert criteria_from_widgets(state, 4, atlas.catalogue).conditions[2] == Condition(
        "population", "gt", numbers=(0.0,))


def test_xlsx_export_holds_the_table_and_the_notes(atlas: Atlas) -> None:
    import io

    from openpyxl import load_workbook

    from mutte_geo.exports.tables import to_xlsx_bytes

    result = _run(atlas, QUESTION_BY_ID["attendance"].criteria, lang="en")
    table = result_table(result, atlas.catalogue, "en")
    notes = export_notes(result, atlas.catalogue, atlas.attribution(2024), "en")
    book = load_workbook(io.BytesIO(to_xlsx_bytes(table, sheet="filter", notes=notes)))
    rows = list(book["filter"].values)
    assert rows[0][:4] == ("Boundary vintage", "Code", "Unit", "Result")
    assert [r[1] for r in rows[1:7]] == sorted(result.codes(MATCH))  # codes stay text: "03440"
    assert all(r[3] == "Match" for r in rows[1:7]) and rows[7][3] == "No match"
    note_lines = [r[0] for r in book["notes"].values]
    assert any(str(n).startswith("Criteria: Units where “Commune named as a 2025 school-attendance priority "
                                 "(the report's list)” is In the list") for n in note_lines)


def test_map_of_a_result(atlas: Atlas) -> None:
    from mutte_geo.maps.filtermap import OUTCOME_COLORS, filter_map

    result = _run(atlas, QUESTION_BY_ID["border_stunting"].criteria)
    fmap = filter_map(result, atlas.web_layer(2024), units=atlas.units[2024], catalogue=atlas.catalogue,
                      attribution=atlas.attribution(2024), lang="vi")
    html = fmap.get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html and "cdn" not in html.lower()
    assert "Không xác định được (thiếu dữ liệu)" in html and "(6)" in html
    assert html.count("filter-unknown") >= 1 and OUTCOME_COLORS[UNKNOWN] in html
    # the dashed outlines of the 6 units that cannot tell are counted in the browser (test_e2e_filter)
    assert "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi: Không có dữ liệu" in html

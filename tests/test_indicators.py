"""Indicator values: the report's figures are all there, and bad rows are reported precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from mutte_geo.analysis.consistency import find_inconsistencies
from mutte_geo.core.errors import ValidationError
from mutte_geo.core.paths import INDICATOR_DIR
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import load_values, select, validate_table

GOOD = {"vintage": "2024", "unit_code": "03442", "indicator": "population", "period": "2019",
        "kind": "actual", "value": "2700", "status": "", "source": "test source", "note": ""}


def _problems(atlas: Atlas, **changes: str) -> list[tuple[int | None, str | None, str]]:
    table = pd.DataFrame([{**GOOD, **changes}])
    _, problems = validate_table(table, file="x.csv", catalogue=atlas.catalogue, units=atlas.units)
    return [(p.row, p.column, p.reason_en) for p in problems]


def test_a_good_row_has_no_problem(atlas) -> None:  # type: ignore[no-untyped-def]
    assert _problems(atlas) == []


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"unit_code": "99999"}, "unit_code", "unit code '99999' is not a 2024 unit"),
        ({"unit_code": "03460"}, "unit_code", "'03460' is not a 2024 unit"),  # a 2025-only code
        ({"vintage": "2025", "unit_code": "107"}, "unit_code", "'107' is not a 2025 unit"),
        ({"indicator": "nope"}, "indicator", "unknown indicator id 'nope'"),
        ({"period": "2024/25"}, "period", "period '2024/25' is not valid"),
        ({"kind": "plan"}, "kind", "kind 'plan' must be actual, estimate or target"),
        ({"value": "nhiều"}, "value", "'nhiều' is not a number"),
        ({"value": ""}, "value", "never write 0"),
        ({"indicator": "poverty_rate", "value": "120"}, "value", "percentage 120 is outside 0–100"),
        ({"value": "12.5"}, "value", "12.5 is not a count"),
        ({"indicator": "borders_china", "value": "maybe"}, "value", "'maybe' is not yes or no"),
        ({"indicator": "main_ethnic_group", "value": "kinh"}, "value", "'kinh' is not a known category"),
        ({"source": ""}, "source", "source is empty"),
        ({"status": "SURE"}, "status", "status must be VERIFIED or UNCERTAIN"),
        ({"vintage": "2023"}, "vintage", "boundary vintage '2023' must be 2024 or 2025"),
    ],
)
def test_each_bad_value_is_reported_with_row_and_column(atlas, changes, column, reason) -> None:  # type: ignore[no-untyped-def]
    problems = _problems(atlas, **changes)
    assert len(problems) == 1
    row, col, text = problems[0]
    assert (row, col) == (2, column)
    assert reason in text


def test_spreadsheet_dropped_leading_zero_is_restored(atlas) -> None:  # type: ignore[no-untyped-def]
    table = pd.DataFrame([{**GOOD, "unit_code": "3442"}])
    clean, problems = validate_table(table, file="x.csv", catalogue=atlas.catalogue, units=atlas.units)
    assert problems == [] and clean.loc[0, "unit_code"] == "03442"


def test_missing_required_column(atlas) -> None:  # type: ignore[no-untyped-def]
    table = pd.DataFrame([GOOD]).drop(columns=["source"])
    _, problems = validate_table(table, file="x.csv", catalogue=atlas.catalogue, units=atlas.units)
    assert [(p.row, p.column) for p in problems] == [(1, "source")]


def _copy_indicators(tmp_path: Path) -> Path:
    target = tmp_path / "indicators"
    shutil.copytree(INDICATOR_DIR, target)
    return target


def test_duplicates_across_files_name_both_places(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _copy_indicators(tmp_path)
    row = "2024,03442,households,n.d.,actual,900,,staff sheet,\n"
    (folder / "extra.csv").write_text("vintage,unit_code,indicator,period,kind,value,status,source,note\n" + row)
    with pytest.raises(ValidationError) as caught:
        load_values(atlas.catalogue, atlas.units, folder)
    [problem] = caught.value.problems
    assert (problem.file, problem.row) == ("extra.csv", 2)
    assert "duplicates commune_facts.csv row" in problem.reason_en


def test_a_bad_file_stops_the_whole_load(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _copy_indicators(tmp_path)
    (folder / "bad.csv").write_text("unit_code,indicator,period,kind,value,source\n03442,population,2020,actual,"
                                    "abc,s\n03442,bogus,2020,actual,1,s\n")
    with pytest.raises(ValidationError) as caught:
        Atlas.load(indicator_dir=folder)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [
        ("bad.csv", 2, "value"), ("bad.csv", 3, "indicator")]


def test_every_figure_of_report_sections_i21_and_ii3_is_present(atlas) -> None:  # type: ignore[no-untyped-def]
    district = atlas.values[atlas.values["unit_code"] == "107"]
    got = {(r.indicator, r.period, r.kind): r.number for r in district.itertuples()}
    # A sample checked by hand against the report text, one per sentence of I.2.1 and II.3.
    expected = {
        ("budget_revenue", "n.d.", "estimate"): 28.6, ("grain_output", "2024-H1", "estimate"): 5375,
        ("livestock_growth", "2024", "estimate"): 1.9, ("forest_cover", "2024", "estimate"): 66.8,
        ("household_grid_electricity", "2024", "estimate"): 91, ("enrol_upper_secondary", "2024", "estimate"): 57.2,
        ("national_standard_schools", "2024", "estimate"): 23, ("stunting_u5", "2024", "estimate"): 24.08,
        ("trained_labour", "2024", "estimate"): 61, ("cultural_houses", "2024", "estimate"): 88.2,
        ("waste_collection_pct", "2024", "estimate"): 84.6, ("income_per_capita", "2025", "target"): 32.07,
        ("budget_revenue", "2025", "target"): 69, ("grain_output", "2025", "target"): 17860,
        ("ntm_avg_criteria", "2025", "target"): 16.54, ("household_grid_electricity", "2025", "target"): 95,
        ("national_standard_schools_pct", "2025", "target"): 66.7, ("health_standard_communes", "2025", "target"): 11,
        ("birth_rate_reduction", "2025", "target"): 0.7, ("underweight_u5", "2025", "target"): 17.4,
        ("poverty_reduction", "2025", "target"): 9.2, ("vocational_training", "2025", "target"): 1100,
        ("cultural_households", "2025", "target"): 82.8, ("waste_collection_pct", "2025", "target"): 84.6,
        ("land_notice_days_agricultural", "2024-06", "actual"): 90,
        ("land_notice_days_non_agricultural", "2024-06", "actual"): 180,
    }
    for key, value in expected.items():
        assert got.get(key) == pytest.approx(value), key
    # II.3 counted by hand, item (1)..(9): 1 + 1 + 7 + 6 + 7 + 6 + 4 + 4 + 2 targets.
    assert sum(1 for k in got if k[2] == "target" and k[1] == "2025") == 38
    # I.2.1 counted by hand, bullet by bullet: 1 + 4 + 6 + 9 + 5 + 3 + 1 + 3 figures.
    results = district[district["source"].str.contains("mục I.2.1 «Kết quả thực hiện các chỉ tiêu chủ yếu»")]
    assert len(results) == 32
    # the report (6/2024) gives estimates for the whole of 2024 ("ước thực hiện cả năm 2024"): none is an actual
    assert set(results["kind"]) == {"estimate"}
    assert results.loc[results["indicator"] == "grain_output", "period"].tolist() == ["2024-H1"]


def test_plan_designations_are_2025_targets_and_the_open_list_has_no_no(atlas) -> None:  # type: ignore[no-untyped-def]
    values = atlas.values[atlas.values["vintage"] == 2024]
    for indicator in ("attendance_priority", "ntm_candidate_2025"):
        rows = values[values["indicator"] == indicator]
        assert len(rows) == 14 and set(rows["kind"]) == {"target"} and set(rows["period"]) == {"2025"}
    hotspots = values[values["indicator"] == "security_hotspot"]
    assert set(hotspots["value"]) == {"yes"} and len(hotspots) == 3  # "như:" names examples only
    label = atlas.catalogue["attendance_priority"].choice_label
    assert (label("no", "vi"), label("yes", "en")) == ("Không có trong danh sách", "In the list")


def test_latest_never_lets_an_uncertain_value_displace_a_verified_one(atlas) -> None:  # type: ignore[no-untyped-def]
    rows = select(atlas.values, indicator="population", vintage=2024)
    ka_lang = rows.loc["03439"]
    assert (ka_lang["number"], ka_lang["status"], ka_lang["period"]) == (2599, "VERIFIED", "n.d.")  # not 3,825 (2009)
    table = pd.DataFrame([
        {**GOOD, "unit_code": "03442", "period": "n.d.", "status": "VERIFIED", "value": "100"},
        {**GOOD, "unit_code": "03442", "period": "2019", "status": "UNCERTAIN", "value": "200"},
        {**GOOD, "unit_code": "03448", "period": "2009", "status": "VERIFIED", "value": "300"},
        {**GOOD, "unit_code": "03448", "period": "2019", "status": "UNCERTAIN", "value": "400"},  # shown later
        {**GOOD, "unit_code": "03440", "period": "2019", "status": "UNCERTAIN", "value": "500"},
        {**GOOD, "unit_code": "03440", "period": "2009", "status": "UNCERTAIN", "value": "600"},
    ])
    clean, problems = validate_table(table, file="TEST DATA", catalogue=atlas.catalogue, units=atlas.units)
    assert not problems
    chosen = select(clean, indicator="population", vintage=2024)["value"].to_dict()
    assert chosen == {"03442": "100", "03448": "400", "03440": "500"}


def test_inferred_facts_are_uncertain_and_sources_are_publications(atlas) -> None:  # type: ignore[no-untyped-def]
    values = atlas.values[atlas.values["vintage"] == 2024]
    ta_ba = values[(values["unit_code"] == "03440") & (values["indicator"] == "main_ethnic_group")]
    assert ta_ba["status"].tolist() == ["UNCERTAIN"] and "Suy ra" in ta_ba["note"].iloc[0]
    town_ntm = values[(values["unit_code"] == "03433") & (values["indicator"] == "ntm_status")].iloc[0]
    assert town_ntm["status"] == "UNCERTAIN" and "263/QĐ-TTg" in town_ntm["source"]
    assert not values["source"].str.contains("commune_facts.csv").any()  # a rationale is not a source


def test_reductions_are_in_points(atlas) -> None:  # type: ignore[no-untyped-def]
    assert atlas.catalogue["poverty_reduction"].unit("vi") == "điểm %"
    assert atlas.catalogue["birth_rate_reduction"].unit("en") == "per-mille points"
    names = " ".join(i.name_en for i in atlas.catalogue.values())
    assert "year-round" not in names and "cultural house" in atlas.catalogue["cultural_houses"].name_en


def test_commune_facts_named_by_the_report(atlas) -> None:  # type: ignore[no-untyped-def]
    def named(indicator: str) -> set[str]:
        rows = select(atlas.values, indicator=indicator, vintage=2024, kinds=("actual", "estimate", "target"))
        return set(rows.index[rows["value"] == "yes"])

    assert named("security_hotspot") == {"03442", "03448", "03433"}
    assert named("attendance_priority") == {"03442", "03440", "03463", "03448", "03454", "03457"}
    assert named("ntm_candidate_2025") == {"03469", "03439"}
    assert named("borders_china") == {"03442", "03439", "03436", "03451", "03440", "03448"}


def test_uncertain_facts_keep_their_status(atlas) -> None:  # type: ignore[no-untyped-def]
    rows = select(atlas.values, indicator="ntm_status", vintage=2024)
    assert rows.loc["03436", "status"] == "UNCERTAIN"
    assert rows.loc["03433", "value"] == "not_applicable"


def test_no_missing_value_is_written_as_zero(atlas) -> None:  # type: ignore[no-untyped-def]
    numeric = atlas.values[atlas.values["number"].notna()]
    zeros = numeric[numeric["number"] == 0]
    assert zeros.empty


def test_waste_collection_contradiction_is_detected(atlas) -> None:  # type: ignore[no-untyped-def]
    [issue] = find_inconsistencies(atlas.values, atlas.catalogue)
    assert (issue.indicator, issue.reported) == ("waste_collection_pct", 84.6)
    assert issue.computed == pytest.approx(85.714, abs=1e-3)
    assert issue.describe("vi") == "Báo cáo ghi 84,6% nhưng 12/14 = 85,7%"


def test_consistent_school_share_is_not_flagged(atlas) -> None:  # type: ignore[no-untyped-def]
    flagged = {i.indicator for i in find_inconsistencies(atlas.values, atlas.catalogue)}
    assert "national_standard_schools_pct" not in flagged  # 23/39 = 58.97 rounds to the reported 59


def test_select_latest_prefers_the_newest_period(atlas) -> None:  # type: ignore[no-untyped-def]
    rows = select(atlas.values, indicator="population", vintage=2024)
    assert rows.loc["03451", "period"] == "2025"
    assert rows.loc["03448", "period"] == "2019"
    assert "03440" not in rows.index  # Tá Bạ: nobody published a population


def test_vintage_2024_values_never_reach_2025_codes(atlas) -> None:  # type: ignore[no-untyped-def]
    rows = select(atlas.values, indicator="population", vintage=2025, period="2025")
    assert rows.loc["03433", "number"] == 11711  # new Bum Tở, not the old town's 5,421

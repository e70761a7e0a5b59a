"""2025 targets against the latest result: direction-aware status, gaps from the report, grouping."""

from __future__ import annotations

import pandas as pd
import pytest

from mutte_geo.analysis.targets import (
    BEHIND,
    HEADINGS,
    NO_DATA,
    NO_DIRECTION,
    NOT_COMPARABLE,
    ON_TRACK,
    PERIOD_UNCLEAR,
    PERIODS_DIFFER,
    STATUS_LABELS,
    TargetRow,
    district_targets,
    group_by_heading,
    latest_results,
    status_counts,
    status_label,
    target_status,
)
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.remarks import not_comparable_reasons


@pytest.mark.parametrize(("actual", "target", "higher", "expected"), [
    (99.9, 98.5, True, ON_TRACK),      # pre-school enrolment already above its target
    (100.0, 100.0, True, ON_TRACK),    # reaching the target exactly counts
    (91.0, 95.0, True, BEHIND),        # grid electricity
    (24.08, 21.7, False, BEHIND),      # stunting: lower is better, 24,08% is above 21,7%
    (20.0, 21.7, False, ON_TRACK),     # stunting below its ceiling
    (21.7, 21.7, False, ON_TRACK),
    (None, 32.07, True, NO_DATA),
    (float("nan"), 32.07, True, NO_DATA),
    (5.0, 3.0, None, NO_DIRECTION),
])
def test_status_is_direction_aware(actual: float | None, target: float, higher: bool | None, expected: str) -> None:
    assert target_status(actual, target, higher) == expected


def test_a_part_year_result_is_not_called_behind() -> None:
    assert target_status(5375, 17860, True, comparable=False) == PERIODS_DIFFER
    assert target_status(None, 17860, True, comparable=False) == NO_DATA


def test_float_noise_does_not_flip_the_status() -> None:
    assert target_status(0.1 + 0.2, 0.3, True) == ON_TRACK
    assert target_status(0.1 + 0.2, 0.3, False) == ON_TRACK


@pytest.fixture(scope="module")
def rows(atlas: Atlas) -> dict[str, TargetRow]:
    return {r.indicator.id: r for r in district_targets(atlas.values, atlas.catalogue,
                                                         not_comparable=not_comparable_reasons(atlas.remarks))}


def test_every_section_ii3_target_is_listed(rows: dict[str, TargetRow]) -> None:
    # The report's section II.3 gives 38 figures for 2025 (points 1–9), all in report_2025_plan.csv.
    assert len(rows) == 38
    assert all(r.target_period == "2025" for r in rows.values())


@pytest.mark.parametrize(("indicator", "actual", "target", "gap", "status"), [
    # figures from sections I.2.1 (2024 estimate) and II.3 (2025 target); gap = result − target
    ("household_grid_electricity", 91.0, 95.0, -4.0, BEHIND),
    ("health_stations_solid", 92.9, 100.0, -7.1, BEHIND),
    ("enrol_preschool", 99.9, 98.5, 1.4, ON_TRACK),
    ("enrol_upper_secondary", 57.2, 58.0, -0.8, BEHIND),
    ("national_standard_schools_pct", 59.0, 66.7, -7.7, BEHIND),
    ("birth_rate_reduction", 0.62, 0.7, -0.08, BEHIND),
    ("underweight_u5", 18.1, 17.4, 0.7, BEHIND),
    ("stunting_u5", 24.08, 21.7, 2.38, BEHIND),
    ("jobs_created", 270.0, 800.0, -530.0, BEHIND),
    ("doctors_per_10k", 10.0, 10.0, 0.0, ON_TRACK),
])
def test_gaps_match_the_report(rows: dict[str, TargetRow], indicator: str, actual: float, target: float,
                               gap: float, status: str) -> None:
    row = rows[indicator]
    assert row.actual == pytest.approx(actual)
    assert row.target == pytest.approx(target)
    assert row.gap == pytest.approx(gap)
    assert row.status == status
    assert row.actual_period == "2024" and row.is_estimate  # "ước thực hiện cả năm 2024"


@pytest.mark.parametrize(("indicator", "reason"), [
    ("village_road_access", "xe máy hoặc ô tô"), ("pcgd_primary", "mức độ 2 trở lên"),
    ("cultural_houses", "nhà sinh hoạt cộng đồng"), ("vocational_training", "học viên"),
    ("waste_collection_pct", "11/13"),
])
def test_changed_definitions_are_not_compared(rows: dict[str, TargetRow], indicator: str, reason: str) -> None:
    row = rows[indicator]
    assert row.status == NOT_COMPARABLE and row.gap is None
    assert row.reason is not None and reason in row.reason.text("vi")


def test_a_result_of_unclear_period_is_not_judged(rows: dict[str, TargetRow]) -> None:
    revenue = rows["budget_revenue"]
    assert (revenue.actual, revenue.actual_period, revenue.status, revenue.gap) == (28.6, "n.d.", PERIOD_UNCLEAR, None)


def test_status_words_say_what_is_compared() -> None:
    assert (status_label(BEHIND, "vi"), status_label(BEHIND, "en")) == ("Chưa đạt chỉ tiêu 2025",
                                                                      "Not yet at the 2025 target")
    assert status_label(ON_TRACK, "vi") == "Đã đạt chỉ tiêu 2025"
    assert not any("tiến độ" in status_label(status, "vi") for status in STATUS_LABELS)


def test_grain_estimate_for_six_months_is_flagged_not_compared(rows: dict[str, TargetRow]) -> None:
    grain = rows["grain_output"]
    assert grain.actual == 5375 and grain.actual_period == "2024-H1"
    assert grain.is_estimate
    assert grain.status == PERIODS_DIFFER
    assert grain.gap is None


def test_targets_without_a_result_have_no_data(rows: dict[str, TargetRow]) -> None:
    for indicator in ("income_per_capita", "new_forest_planting", "poverty_reduction", "cultural_households",
                      "health_standard_communes"):
        assert rows[indicator].status == NO_DATA
        assert rows[indicator].actual is None and rows[indicator].gap is None
    assert status_counts(list(rows.values())) == {ON_TRACK: 9, BEHIND: 13, NO_DATA: 9, PERIODS_DIFFER: 1,
                                                 PERIOD_UNCLEAR: 1, NOT_COMPARABLE: 5, NO_DIRECTION: 0}


def test_groups_follow_the_report_headings_and_order(rows: dict[str, TargetRow]) -> None:
    groups = group_by_heading(list(rows.values()))
    assert [c for c, _ in groups] == list(HEADINGS)
    economy = [r.indicator.id for r in groups[0][1]]
    assert economy[:3] == ["income_per_capita", "budget_revenue", "grain_output"]  # points (1), (2), (3)
    health = [r.indicator.id for r in dict(groups)["health"]]
    assert health[-2:] == ["underweight_u5", "stunting_u5"]


def test_latest_result_prefers_newer_period_then_actual_over_estimate(atlas: Atlas) -> None:
    base = {"vintage": 2024, "unit_code": "107", "indicator": "forest_cover", "status": "VERIFIED",
            "source": "test", "note": "", "file": "test.csv", "row": 2}
    values = pd.DataFrame([
        {**base, "period": "2023", "kind": "actual", "value": "60", "number": 60.0},
        {**base, "period": "2024", "kind": "estimate", "value": "66", "number": 66.0},
        {**base, "period": "2024", "kind": "actual", "value": "66.8", "number": 66.8},
        {**base, "period": "2025", "kind": "target", "value": "68.5", "number": 68.5},
    ])
    latest = latest_results(values)["forest_cover"]
    assert latest["number"] == 66.8 and latest["kind"] == "actual"
    assert latest_results(values.iloc[:2])["forest_cover"]["kind"] == "estimate"
    assert "forest_cover" not in latest_results(values.iloc[3:])
    [row] = district_targets(values, atlas.catalogue)
    assert row.status == BEHIND and row.gap == pytest.approx(-1.7)

"""Year-end evaluation: a target meets the result of its own period when there is one, else the latest
earlier result, labelled; across the 2025 reform the crosswalk's rules apply and say so.

Values from tests/fixtures/TEST_DATA_series.csv (invented TEST DATA) unless a test says otherwise.
"""

from __future__ import annotations

import pytest

from mutte_geo.analysis.overview import flags, targets_frame, targets_html
from mutte_geo.analysis.targets import (
    BEHIND,
    EARLIER,
    PERIODS_DIFFER,
    SAME_PERIOD,
    TargetRow,
    district_targets,
    evaluate_targets,
    pairing_label,
    plan_years,
)
from mutte_geo.model.atlas import Atlas

from .seriesdata import series_atlas


@pytest.fixture(scope="module")
def test_atlas(atlas: Atlas) -> Atlas:
    return series_atlas(atlas)


@pytest.fixture(scope="module")
def rows_2025(test_atlas: Atlas) -> dict[str, TargetRow]:
    return {r.indicator.id: r for r in district_targets(test_atlas.values, test_atlas.catalogue, target_year="2025")}


def test_a_2025_target_meets_the_2025_result_not_the_2024_one(rows_2025: dict[str, TargetRow]) -> None:
    poverty = rows_2025["poverty_rate"]  # 2024: 38, 2025: 36, 2025 target: 35 (lower is better)
    assert poverty.pairing == SAME_PERIOD and poverty.actual_period == "2025" and poverty.actual == 36
    assert poverty.gap == pytest.approx(1.0) and poverty.status == BEHIND
    assert pairing_label(poverty, "vi") == "cùng kỳ 2025" and pairing_label(poverty, "en") == "same period 2025"


def test_without_a_same_period_result_the_latest_earlier_one_is_used_and_labelled(
        rows_2025: dict[str, TargetRow]) -> None:
    budget = rows_2025["budget_revenue"]
    assert budget.pairing == EARLIER and budget.actual_period == "2024" and budget.actual == 28.6
    assert pairing_label(budget, "vi") == "kết quả gần nhất trước đó: 2024"
    grain = rows_2025["grain_output"]  # half a year against a full-year target: not compared
    assert grain.pairing == EARLIER and grain.status == PERIODS_DIFFER and grain.gap is None


def test_a_second_plan_is_a_plan_year_and_never_uses_later_results(test_atlas: Atlas) -> None:
    assert plan_years(test_atlas.values) == ["2025", "2026"]
    [row] = district_targets(test_atlas.values, test_atlas.catalogue, target_year="2026")
    assert row.indicator.id == "poverty_rate" and row.target == 33
    assert row.pairing == EARLIER and row.actual_period == "2025" and row.actual == 36


def test_the_real_report_pairs_every_2025_target_with_an_earlier_result(atlas: Atlas) -> None:
    # real data: the plan report (6/2024) has no 2025 results yet
    rows = district_targets(atlas.values, atlas.catalogue)
    assert plan_years(atlas.values) == ["2025"]
    assert {r.pairing for r in rows if r.actual is not None} == {EARLIER}


def test_tables_name_the_pairing(rows_2025: dict[str, TargetRow]) -> None:
    rows = list(rows_2025.values())
    frame = targets_frame(rows, "en").set_index("Indicator")
    assert frame.loc["Poor-household rate", "Compared with"] == "same period 2025"
    assert frame.loc["State budget revenue collected locally", "Compared with"] == "latest earlier result: 2024"
    assert "2025 target" in frame.columns
    html = targets_html(rows, "vi")
    assert '<span class="note pairing-same_period">(cùng kỳ 2025)</span>' in html
    assert "(kết quả gần nhất trước đó: 2024)" in html


def test_a_2025_commune_target_uses_a_result_moved_across_the_reform_and_says_so(test_atlas: Atlas) -> None:
    # TEST DATA: 2022 population of Thu Lũm (1000) + Ka Lăng (2000), summed onto Thu Lũm 2025 by the
    # crosswalk's rule; its 2026 target is 3300
    assert plan_years(test_atlas.values, vintage=2025, unit_code="03439") == ["2026"]
    [row] = evaluate_targets(test_atlas.values, test_atlas.catalogue, vintage=2025, unit_code="03439",
                             target_year="2026")
    assert row.actual == 3000 and row.actual_period == "2022" and row.pairing == EARLIER
    assert row.crosses_reform and "2024:03436" in row.actual_derived_from and "2024:03439" in row.actual_derived_from
    assert "Tổng của 2 đơn vị năm 2024" in row.actual_note
    assert "suy ra qua sắp xếp 2025" in flags(row, "vi")
    assert "derived across the 2025 reform" in flags(row, "en")

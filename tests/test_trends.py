"""Trend charts: the data each chart draws and how its marks tell results, estimates and targets apart.

Values from tests/fixtures/TEST_DATA_series.csv (invented TEST DATA) unless a test says otherwise.
"""

from __future__ import annotations

import json

import pytest

from mutte_geo.analysis.trends import KIND_SHAPES, trend_chart, trend_frame, undated_count
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.units import DISTRICT_CODE

from .seriesdata import series_atlas


@pytest.fixture(scope="module")
def test_atlas(atlas: Atlas) -> Atlas:
    return series_atlas(atlas)


def test_the_commune_series_has_every_period_with_gaps_left_as_gaps(test_atlas: Atlas) -> None:
    frame = trend_frame(test_atlas, 2024, "03436", "vi")
    mine = frame[frame["series"] == "Xã Thu Lũm"]
    poverty = mine[mine["indicator"] == "poverty_rate"]
    assert list(zip(poverty["period"], poverty["kind"], poverty["number"])) == [
        ("2022", "actual", 40.0), ("2024", "actual", 35.0), ("2025", "target", 30.0)]  # no 2023: not drawn as 0
    assert set(mine["indicator"]) == {"poverty_rate", "households", "population"}


def test_the_district_series_sits_beside_the_communes(test_atlas: Atlas) -> None:
    frame = trend_frame(test_atlas, 2024, "03433", "vi")
    assert list(dict.fromkeys(frame["series"])) == ["Thị trấn Mường Tè", "Huyện Mường Tè"]
    district = frame[frame["series"] == "Huyện Mường Tè"]
    assert list(zip(district["period"], district["kind"])) == [
        ("2021", "actual"), ("2022", "actual"), ("2023", "estimate"), ("2024", "actual"), ("2025", "actual"),
        ("2025", "target"), ("2026", "target")]
    # the district's own 2024 figures are shown beside a 2025 commune too, named as the former district
    new = trend_frame(test_atlas, 2025, "03439", "en")
    assert set(new["series"]) == {"Thu Lũm commune", "Former Mường Tè district"}
    moved = new[(new["series"] == "Thu Lũm commune") & (new["indicator"] == "population")]
    assert list(zip(moved["period"], moved["kind"], moved["derived"])) == [("2022", "actual", True),
                                                                            ("2026", "target", False)]


def test_the_chart_data_and_marks(test_atlas: Atlas) -> None:
    frame = trend_frame(test_atlas, 2024, "03433", "vi", indicators=["poverty_rate"])
    spec = trend_chart(frame, "vi").to_dict()
    [data] = spec["datasets"].values()
    assert [(r["series"], r["period"], r["kind"], r["number"]) for r in data][:4] == [
        ("Thị trấn Mường Tè", "2022", "actual", 10.0), ("Thị trấn Mường Tè", "2023", "estimate", 9.0),
        ("Thị trấn Mường Tè", "2024", "actual", 8.0), ("Thị trấn Mường Tè", "2025", "target", 6.0)]
    line, points = spec["spec"]["layer"]
    assert line["mark"]["type"] == "line"
    assert line["transform"] == [{"filter": {"field": "kind", "oneOf": ["actual", "estimate"]}}]  # targets apart
    shape = points["encoding"]["shape"]["scale"]
    assert shape == {"domain": ["thực hiện", "ước thực hiện", "chỉ tiêu"], "range": list(KIND_SHAPES.values())}
    assert points["encoding"]["color"]["scale"]["range"][0] != points["encoding"]["color"]["scale"]["range"][2]
    assert spec["facet"]["field"] == "panel" and spec["resolve"]["scale"]["y"] == "independent"
    assert spec["facet"]["sort"] == ["Thị trấn Mường Tè", "Huyện Mường Tè"]  # the unit, then the district
    # nothing in the spec points outside the machine (no data URL, no font, no tiles)
    assert "http" not in json.dumps({k: v for k, v in spec.items() if k != "$schema"})


def test_real_population_series_and_undated_values_left_out(atlas: Atlas) -> None:
    # real data: Mù Cả's census figures; undated values are counted, not placed on the axis
    frame = trend_frame(atlas, 2024, "03451", "vi", indicators=["population"])
    mine = frame[frame["series"] == "Xã Mù Cả"]
    assert list(mine["period"]) == ["1999", "2009", "2025"]
    assert "n.d." not in set(frame["period"])
    assert undated_count(atlas, 2024, "03451") > 0


def test_the_overview_draws_the_district_alone(test_atlas: Atlas) -> None:
    frame = trend_frame(test_atlas, 2024, DISTRICT_CODE, "vi", indicators=["poverty_rate", "budget_revenue"])
    assert set(frame["series"]) == {"Huyện Mường Tè"}
    spec = trend_chart(frame, "vi", facet="indicator_name").to_dict()
    # one panel per indicator in catalogue order, long names wrapped onto lines
    assert spec["facet"]["sort"] == ["Thu ngân sách nhà nước trên\nđịa bàn", "Tỷ lệ hộ nghèo"]

"""Split view (one classification on both sides), change map and locked classes, on the rendered maps.

Values come from tests/fixtures/TEST_DATA_series.csv (invented TEST DATA) unless a test says otherwise.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from mutte_geo.exports.comparisons import change_bytes, split_bytes
from mutte_geo.maps.change import BETTER, NO_CHANGE, WORSE, ChangeRequest, change_view
from mutte_geo.maps.classify import NO_DATA_FILL, classify_numeric
from mutte_geo.maps.comparemap import compare_split
from mutte_geo.maps.printoptions import PrintOptions
from mutte_geo.maps.split import split_legend_entries, split_legend_html, split_maps, split_view
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.maps.webmap import choropleth_map
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST, RESULT_KINDS

from .seriesdata import series_atlas


@pytest.fixture(scope="module")
def test_atlas(atlas: Atlas) -> Atlas:
    return series_atlas(atlas)


def _payload(html: str) -> dict:  # type: ignore[type-arg]
    return json.loads(html.split("var d = ", 1)[1].split("; window.atlasData = d;", 1)[0])


def _fills(fmap) -> dict[str, str]:  # type: ignore[no-untyped-def]
    payload = _payload(fmap.get_root().render())
    return {code: payload["styles"][u[0]]["fillColor"] for code, u in payload["units"].items()}


def _poverty_split(test_atlas: Atlas, **kwargs):  # type: ignore[no-untyped-def]
    left = MapRequest("poverty_rate", 2024, "2022", k=3, **kwargs)
    right = MapRequest("poverty_rate", 2024, "2024", k=3, **kwargs)
    return split_view(test_atlas, left, right)


def test_both_sides_are_classed_on_breaks_computed_over_both(test_atlas: Atlas) -> None:
    split = _poverty_split(test_atlas)
    left, right = split.sides
    pooled = [10, 40, 50, 60, 30, 8, 35, 52, 45, 20]  # every 2022 and 2024 TEST DATA value
    expected = classify_numeric(pd.Series(pooled, index=[str(i) for i in range(10)], dtype=float),
                                k=3, higher_is_better=False)
    for side in (left, right):
        assert [(b.lower, b.upper, b.color) for b in side.classification.bins] == \
            [(b.lower, b.upper, b.color) for b in expected.bins]
    # classed on its own, the 2022 map would have other breaks: the shared scale is not a no-op
    alone = map_view(test_atlas, MapRequest("poverty_rate", 2024, "2022", k=3))
    assert [b.upper for b in alone.classification.bins] != [b.upper for b in left.classification.bins]
    assert [e.label for e in left.legend] == [e.label for e in right.legend]
    assert sum(b.count for b in left.classification.bins) == 5 and sum(b.count for b in right.classification.bins) == 5


def test_rendered_maps_use_the_shared_colours_and_no_data_where_a_side_is_missing(test_atlas: Atlas) -> None:
    split = _poverty_split(test_atlas)
    bins = split.sides[0].classification.bins
    uppers = np.array([b.upper for b in bins])
    values = {0: {"03433": 10, "03436": 40, "03439": 50, "03440": 60, "03442": 30},
              1: {"03433": 8, "03436": 35, "03439": 52, "03440": 45, "03445": 20}}
    for side, fmap in enumerate(split_maps(test_atlas, split, group="t")):
        fills = _fills(fmap)
        for code, value in values[side].items():
            assert fills[code] == bins[int(np.searchsorted(uppers, value))].color, (side, code)
        assert len(fills) == 14
        assert all(fills[c] == NO_DATA_FILL for c in fills if c not in values[side])
    left_fills, right_fills = (_fills(m) for m in split_maps(test_atlas, split, group="t"))
    assert left_fills["03445"] == NO_DATA_FILL and right_fills["03445"] != NO_DATA_FILL  # only in 2024
    assert left_fills["03442"] != NO_DATA_FILL and right_fills["03442"] == NO_DATA_FILL  # only in 2022


def test_the_maps_sync_within_their_group_and_load_nothing_from_outside(test_atlas: Atlas) -> None:
    split = _poverty_split(test_atlas)
    pages = [m.get_root().render() for m in split_maps(test_atlas, split, group="periods")]
    for page in pages:
        assert 'var group = "periods"; window.atlasSyncGroup = group;' in page
        assert "w.atlasMap.setView([c.lat, c.lng], z, {animate: false})" in page
        urls = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
        assert urls == []
    assert "2022 · thực hiện" in pages[0] and "2024 · thực hiện" in pages[1]  # what each side shows


def test_one_legend_counts_each_side(test_atlas: Atlas) -> None:
    split = _poverty_split(test_atlas)
    rows = split_legend_entries(split)
    assert [n for _, n, _ in rows][-1] == 9 and [n for *_, n in rows][-1] == 9  # no data: 9 of 14 each side
    html = split_legend_html(test_atlas, split, "vi")
    assert html.count('class="legend-row"') == len(rows)
    assert "cùng màu là cùng giá trị" in html


def test_manual_breaks_fix_the_scale_of_both_sides(test_atlas: Atlas) -> None:
    split = _poverty_split(test_atlas, scheme="manual", manual_breaks=(20.0, 40.0))
    for side in split.sides:
        assert [b.upper for b in side.classification.bins] == [20.0, 40.0, 60.0]


def test_categories_keep_one_colour_per_category_on_both_sides(atlas: Atlas) -> None:
    # real data: main ethnic group, 2015 and 2021 on the 2024 units
    split = split_view(atlas, MapRequest("main_ethnic_group", 2024, "2015"), MapRequest("main_ethnic_group", 2024,
                                                                                          "2021"))
    left, right = split.sides
    assert [(b.code, b.color) for b in left.classification.bins] == [(b.code, b.color) for b in
                                                                        right.classification.bins]


def test_compare_2024_2025_shares_one_scale(atlas: Atlas) -> None:
    # real data: the example (1.041–2.162 on one map, 3.299–4.300 on the other) cannot happen
    split = compare_split(atlas, "population", lang="vi", period=LATEST, kinds=RESULT_KINDS)
    old, new = split.sides
    assert [(b.lower, b.upper, b.color) for b in old.classification.bins] == \
        [(b.lower, b.upper, b.color) for b in new.classification.bins]
    assert any("Hua Bum" in vi for vi, _ in new.classification.notes)


def test_change_map_colours_a_known_difference_by_direction(test_atlas: Atlas) -> None:
    # poverty: lower is better. 03440 60 → 45 (−15 pp), 03433 10 → 8 (−2), 03439 50 → 52 (+2)
    change = change_view(test_atlas, ChangeRequest("poverty_rate", 2024, "2022", "2024"))
    view = change.view
    number = view.joined.set_index("code")["number"]
    assert number["03440"] == -15 and number["03433"] == -2 and number["03439"] == 2
    colors = view.classification.colors
    assert colors["03440"] == BETTER[-1]  # the largest fall of a lower-is-better rate: darkest blue
    assert colors["03433"] == BETTER[0] and colors["03439"] == WORSE[0]
    labels = [e.label for e in view.legend]
    assert labels[0] == "−15 – −10 điểm %" and "0 (không đổi)" in labels
    assert view.title == "Thay đổi tỷ lệ hộ nghèo (điểm %), 2022 → 2024"
    fills = _fills(choropleth_map(
        view.joined, view.classification, legend="", attribution=[], lang="vi"))
    assert fills["03440"] == BETTER[-1] and fills["03439"] == WORSE[0]
    # a unit with one value only is no data, never a change of 0
    assert fills["03442"] == NO_DATA_FILL and fills["03445"] == NO_DATA_FILL
    assert NO_CHANGE not in fills.values()


def test_change_map_of_an_indicator_where_higher_is_better_turns_increases_blue(test_atlas: Atlas) -> None:
    values = test_atlas.values.copy()
    values = values[values["indicator"] == "poverty_rate"].assign(indicator="trained_labour")  # higher is better
    flipped = test_atlas.with_values(values[values["derived_from"] == ""].drop(columns="derived_from"))
    colors = change_view(flipped, ChangeRequest("trained_labour", 2024, "2022", "2024")).view.classification.colors
    assert colors["03439"] == BETTER[0] and colors["03440"] == WORSE[-1]


def test_per_cent_change_and_no_data_from_a_zero_base(test_atlas: Atlas) -> None:
    change = change_view(test_atlas, ChangeRequest("poverty_rate", 2024, "2022", "2024", mode="percent"))
    number = change.view.joined.set_index("code")["number"]
    assert number["03433"] == pytest.approx(-20.0) and number["03440"] == pytest.approx(-25.0)
    assert change.view.title.endswith("(%), 2022 → 2024")


def test_locked_classes_keep_one_set_of_breaks_for_every_period(test_atlas: Atlas) -> None:
    views = [map_view(test_atlas, MapRequest("poverty_rate", 2024, p, k=3, locked=True)) for p in ("2022", "2024")]
    assert [b.upper for b in views[0].classification.bins] == [b.upper for b in views[1].classification.bins]
    assert views[0].classification.bins[-1].upper == 60.0 and views[0].classification.bins[0].lower == 8.0
    unlocked = map_view(test_atlas, MapRequest("poverty_rate", 2024, "2024", k=3))
    assert unlocked.classification.bins[-1].upper == 52.0  # without the lock: 2024's own range
    assert "Classes locked across every period" in views[1].classification.note("en")


def test_split_and_change_export_to_png_and_pdf_with_both_periods_in_the_title(test_atlas: Atlas) -> None:
    split = _poverty_split(test_atlas)
    png = split_bytes("png", test_atlas, split, PrintOptions(orientation="landscape"))
    assert Image.open(io.BytesIO(png)).size == PrintOptions(orientation="landscape").pixel_size()
    pdf = split_bytes("pdf", test_atlas, split)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "2022 | 2024" in text and "Tỷ lệ hộ nghèo" in text
    change = change_view(test_atlas, ChangeRequest("poverty_rate", 2024, "2022", "2024"))
    text = PdfReader(io.BytesIO(change_bytes("pdf", test_atlas, change))).pages[0].extract_text()
    assert "2022 → 2024" in text
    with pytest.raises(ValueError, match="svg"):
        split_bytes("svg", test_atlas, split)

"""The rendered map HTML: colours, legend entries, no-data style, labels, attribution, no CDN."""

from __future__ import annotations

import json
import re

import pytest

from mutte_geo.maps.classify import NO_DATA_FILL, luminance
from mutte_geo.maps.legend import direction_text, legend_title
from mutte_geo.maps.view import MapRequest, legend_note, map_view
from mutte_geo.maps.webmap import LEAFLET_CSS, LEAFLET_JS, choropleth_map, legend_html


def _render(atlas, indicator: str, lang: str = "vi", **kwargs) -> str:  # type: ignore[no-untyped-def]
    view = map_view(atlas, MapRequest(indicator, vintage=2024, lang=lang, **kwargs))
    legend = legend_html(legend_title(atlas.catalogue[indicator], lang), view.legend, legend_note(view, lang))
    fmap = choropleth_map(view.joined, view.classification, legend=legend, attribution=atlas.attribution(2024),
                          lang=lang)
    return fmap.get_root().render()


@pytest.fixture(scope="module")
def population_html(atlas) -> str:  # type: ignore[no-untyped-def]
    return _render(atlas, "population")


def _style_payload(html: str) -> dict:  # type: ignore[type-arg]
    return json.loads(html.split("var d = ", 1)[1].split("; window.atlasData = d;", 1)[0])


def test_each_unit_is_styled_with_its_class_colour(atlas, population_html) -> None:  # type: ignore[no-untyped-def]
    view = map_view(atlas, MapRequest("population", vintage=2024, lang="vi"))
    payload = _style_payload(population_html)
    for code in view.joined["code"]:
        style = payload["styles"][payload["units"][code][0]]
        assert style["fillColor"] == (view.classification.colors.get(code) or NO_DATA_FILL), code
    assert payload["units"]["03440"][1] == "Không có dữ liệu"  # Tá Bạ: no population published


def test_no_data_units_are_grey_and_dashed(population_html) -> None:  # type: ignore[no-untyped-def]
    assert f'"fillColor": "{NO_DATA_FILL}"' in population_html
    assert '"dashArray": "4 4"' in population_html
    assert "Không có dữ liệu" in population_html
    assert re.search(r'data-no-data=\\"true\\"', population_html)


def test_legend_lists_class_ranges_in_vietnamese_format(population_html) -> None:  # type: ignore[no-untyped-def]
    assert "Dân số (người)" in population_html
    assert "1.041 – " in population_html  # Vietnamese thousands separator
    assert "số liệu chưa chắc chắn" in population_html


def test_every_unit_is_labelled(atlas, population_html) -> None:  # type: ignore[no-untyped-def]
    found = re.search(r"window\.atlasLabels = L\.layerGroup\((\[.*?\]\])\.map", population_html)
    assert found is not None, "no label data in the map"
    labels = [text for _lat, _lng, text in json.loads(found.group(1))]
    assert len(labels) == 14
    # the town and the commune of the same name never carry the same label
    assert sum(label.startswith("TT. Mường Tè") for label in labels) == 1
    assert sum(label.startswith("xã Mường Tè") for label in labels) == 1
    assert not any(label.startswith("Mường Tè") for label in labels)


def test_tooltip_has_name_code_value_period_and_source(population_html) -> None:  # type: ignore[no-untyped-def]
    for field in ("label", "code", "value_text", "period_text", "source"):
        assert f'"{field}"' in population_html
    assert "citypopulation" in population_html


def test_attribution_from_provenance_is_shown(atlas, population_html) -> None:  # type: ignore[no-untyped-def]
    for line in atlas.attribution(2024):
        assert line.split(",")[0] in population_html


def test_only_local_assets_are_loaded(population_html) -> None:  # type: ignore[no-untyped-def]
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', population_html)
    assert set(sources) == {LEAFLET_JS, LEAFLET_CSS}
    assert "cdn" not in population_html.lower()
    assert "openstreetmap" not in population_html.lower()  # no tiles: nothing may leave the machine


def test_yes_no_legend_in_english(atlas) -> None:  # type: ignore[no-untyped-def]
    html = _render(atlas, "borders_china", lang="en")
    assert "Borders China" in html
    assert "Yes" in html and "No data" in html
    assert "Không có dữ liệu" not in html


def test_higher_is_worse_indicator_reverses_colours(atlas) -> None:  # type: ignore[no-untyped-def]
    view = map_view(atlas, MapRequest("poverty_rate", vintage=2024, lang="vi", k=2))
    colours = view.classification.colors
    # Tá Bạ (>90 % poor households) is worse than Ka Lăng (62.41 %): the darker end of a warm ramp.
    assert colours["03440"] == view.classification.bins[-1].color
    assert luminance(colours["03440"]) < luminance(colours["03439"])
    red, green = int(colours["03440"][1:3], 16), int(colours["03440"][3:5], 16)
    assert red > green  # warm: higher is worse
    html = legend_html(legend_title(atlas.catalogue["poverty_rate"], "vi"), view.legend, "",
                       direction_text(atlas.catalogue["poverty_rate"], "vi"))
    assert "Màu đậm hơn = cao hơn · ↑ xấu hơn" in html and html.startswith("<details open")


def test_the_note_on_mixed_periods_says_hover_tap_or_table_by_medium(atlas) -> None:  # type: ignore[no-untyped-def]
    view = map_view(atlas, MapRequest("population", vintage=2024, lang="vi"))  # values of several periods
    assert "(rê chuột để xem)." in legend_note(view, "vi")
    assert "(chạm vào xã để xem)." in legend_note(view, "vi", touch=True)
    assert "rê chuột" not in legend_note(view, "vi", touch=True)
    assert "(tap a unit to see)." in legend_note(view, "en", touch=True)
    assert "(xem bảng số liệu)." in legend_note(view, "vi", interactive=False, touch=True)

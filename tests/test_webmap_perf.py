"""Structure behind a fast map (no timings): geometry sent once, reruns send only styles."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.maps import webmap
from mutte_geo.maps.legend import legend_title
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.maps.webmap import encode_polyline, geometry_json, legend_html, map_parts


def _decode(text: str, decimals: int) -> np.ndarray:
    """The Encoded Polyline Algorithm, decoded (the inverse of ``encode_polyline``)."""
    values, i = [], 0
    while i < len(text):
        result = shift = 0
        while True:
            b = ord(text[i]) - 63
            i += 1
            result |= (b & 0x1F) << shift
            shift += 5
            if b < 0x20:
                break
        values.append(~(result >> 1) if result & 1 else result >> 1)
    latlng = np.cumsum(np.array(values, dtype=np.int64).reshape(-1, 2), axis=0) / 10**decimals
    return latlng[:, ::-1]


def _parts(atlas, indicator: str, tmp_path):  # type: ignore[no-untyped-def]
    view = map_view(atlas, MapRequest(indicator, vintage=2024, lang="vi"))
    legend = legend_html(legend_title(atlas.catalogue[indicator], "vi"), view.legend)
    return view, map_parts(view.joined, view.classification, legend=legend, attribution=atlas.attribution(2024),
                           lang="vi", serve_geometry=True)


def _map_page_component(monkeypatch, indicator: str) -> dict:  # type: ignore[type-arg]
    """The arguments the map page gives the map component (what the browser receives), for ``indicator``."""
    at = AppTest.from_file(str(PROJECT_ROOT / "pages/map.py"), default_timeout=60)
    at.query_params["lang"] = "vi"
    at.query_params["indicator"] = indicator
    at.run()
    assert not at.exception
    return json.loads(at.get("component_instance")[0].proto.json_args)


@pytest.fixture(autouse=True)
def _geometry_dir(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(webmap, "GEOMETRY_DIR", tmp_path)


def test_another_indicator_keeps_the_same_map_and_sends_only_styles(atlas, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    view = map_view(atlas, MapRequest("population", vintage=2024, lang="vi"))
    first = _map_page_component(monkeypatch, "population")
    second = _map_page_component(monkeypatch, "borders_china")
    # Same map page and component key, so the browser keeps the same Leaflet map (no remount) ...
    assert first["script"] == second["script"] and first["key"] == second["key"]
    # ... and only the feature group (styles, legend, labels) changes.
    assert first["feature_group"] != second["feature_group"]
    assert "Dân số" in first["feature_group"] and "Giáp biên giới Trung Quốc" in second["feature_group"]
    colour = next(iter(set(view.classification.colors.values())))
    assert colour in first["feature_group"] and colour not in first["script"]
    # The geometry is in neither: it is a static file the browser fetches once.
    encoded = json.loads(geometry_json(view.joined))["features"][0]["rings"][0][0]
    assert encoded not in first["script"] and encoded not in first["feature_group"]
    assert encoded not in second["feature_group"]
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1 and f"{webmap.GEOMETRY_URL}/{files[0].name}" in first["script"]


def test_served_geometry_decodes_to_the_web_layer(atlas, tmp_path) -> None:  # type: ignore[no-untyped-def]
    view, _ = _parts(atlas, "population", tmp_path)
    data = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    assert [f["code"] for f in data["features"]] == list(view.joined["code"])
    for feature, geom in zip(data["features"], view.joined.geometry):
        polygons = shapely.get_parts(geom)
        assert len(feature["rings"]) == len(polygons)
        for rings, polygon in zip(feature["rings"], polygons):
            expected = [polygon.exterior, *polygon.interiors]
            assert len(rings) == len(expected)
            for text, ring in zip(rings, expected):
                np.testing.assert_allclose(_decode(text, data["precision"]), shapely.get_coordinates(ring),
                                           atol=0.6e-5)


def test_geometry_is_built_once_per_layer(atlas) -> None:  # type: ignore[no-untyped-def]
    first = map_view(atlas, MapRequest("population", vintage=2024, lang="vi")).joined
    again = map_view(atlas, MapRequest("households", vintage=2024, lang="vi")).joined
    assert geometry_json(first) is geometry_json(again)
    assert geometry_json(first, decimals=4) is not geometry_json(first)


def test_canvas_only_for_large_layers(atlas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    view = map_view(atlas, MapRequest("population", vintage=2024, lang="vi"))
    small = webmap.base_map(view.joined, attribution=[])
    assert small.options["prefer_canvas"] is False  # SVG paths: the e2e test counts them
    monkeypatch.setattr(webmap, "CANVAS_FROM", len(view.joined))
    assert webmap.base_map(view.joined, attribution=[]).options["prefer_canvas"] is True


coordinate = st.tuples(st.floats(-180, 180), st.floats(-90, 90))


@settings(max_examples=60, deadline=None)
@given(st.lists(coordinate, min_size=1, max_size=40), st.integers(3, 6))
def test_polyline_round_trip(points: list[tuple[float, float]], decimals: int) -> None:
    xy = np.array(points)
    np.testing.assert_allclose(_decode(encode_polyline(xy, decimals), decimals), np.round(xy, decimals),
                               atol=10.0 ** -decimals / 2 + 1e-12)


def test_geometry_goes_inline_when_static_is_not_writable(atlas, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(webmap, "GEOMETRY_DIR", blocker / "cache")  # a directory under a file: OSError
    view, parts = _parts(atlas, "population", tmp_path)
    script = parts.base.get_root().render()
    assert webmap.GEOMETRY_URL not in script
    assert '"FeatureCollection"' in script and '"03445"' in script


@pytest.mark.parametrize("which", ["indicator", "choropleth", "locator"])
def test_skipping_the_second_render_sends_the_same_map(atlas, which, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Pages showing these maps call st_folium(render=False): folium's full-figure render, which st_folium
    would run before rendering the map again, compiles every element's output as a template a second time.
    (Maps with folium markers, the attention and merge maps, need that render: their icons are set in it.)"""
    import re

    import streamlit_folium

    from mutte_geo.maps.attentionmap import locator_map

    def build():  # type: ignore[no-untyped-def]
        if which == "indicator":
            _, parts = _parts(atlas, "population", tmp_path)
            return parts.base, parts.styles
        if which == "choropleth":  # filter, split and change maps
            return _parts(atlas, "poverty_rate", tmp_path)[1].combined(), None
        return locator_map(atlas, 2024, "03442", "vi"), None

    sent: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.append(kw) or {})
    for render in (True, False):
        fig, styles = build()
        streamlit_folium.st_folium(fig, feature_group_to_add=styles, render=render, returned_objects=[], key="m")
    full, skipped = ({k: re.sub(r"[0-9a-f]{32}", "ID", v) if isinstance(v, str) else v
                      for k, v in kw.items() if k != "on_change"} for kw in sent)
    assert "L.map(" in full["script"]
    assert skipped == full

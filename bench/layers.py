"""The benchmark's data sets: the real district (2024 communes) and synthetic coverages of n polygons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd

from bench import synthetic
from mutte_geo.maps.classify import Classification
from mutte_geo.maps.webmap import LEAFLET_CSS, LEAFLET_JS, legend_html
from mutte_geo.model.boundaries import simplify_coverage

OUT = Path(__file__).resolve().parent / "out"
DISTRICT_INDICATORS = ("population", "borders_china", "poverty_rate", "households")
PROVINCE_INDICATORS = ("population", "area")  # the figures all 38 units have
TOOLTIP = ["label", "code", "value_text", "period_text", "source"]


@dataclass
class Dataset:
    name: str
    raw: gpd.GeoDataFrame  # full-resolution geometry
    web: gpd.GeoDataFrame  # coverage-simplified and rounded, as the app sends it
    unrounded: gpd.GeoDataFrame  # coverage-simplified, coordinates not rounded
    indicators: list[str]
    view: Callable[[str], tuple[gpd.GeoDataFrame, Classification, str]]  # joined, classes, legend html


def synthetic_layers(n: int) -> tuple[gpd.GeoDataFrame, ...]:
    """Raw, web and unrounded layer of the n-polygon coverage, generated once and kept in bench/out/."""
    path = OUT / f"synth-{n}.gpkg"
    names = ("raw", "web", "unrounded")
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        raw = synthetic.coverage(n)
        made = (raw, simplify_coverage(raw), simplify_coverage(raw, grid_deg=0))
        for name, layer in zip(names, made):
            layer.to_file(path, layer=name, engine="pyogrio", index=False)
    return tuple(gpd.read_file(path, layer=name, engine="pyogrio").set_index("code", drop=False) for name in names)


def load(name: str) -> Dataset:
    """``district``, ``province`` (the Lai Châu pack's 38 units, 2025) or ``synth-<n>``."""
    if name == "province":
        return _province()
    if name == "district":
        from mutte_geo.maps.legend import legend_title
        from mutte_geo.maps.view import MapRequest, legend_note, map_view
        from mutte_geo.model.atlas import Atlas

        atlas = Atlas.load()

        def district_view(indicator: str) -> tuple[gpd.GeoDataFrame, Classification, str]:
            view = map_view(atlas, MapRequest(indicator))
            legend = legend_html(legend_title(atlas.catalogue[indicator], "vi"), view.legend, legend_note(view, "vi"))
            return view.joined, view.classification, legend

        raw = atlas.boundaries(2024)
        return Dataset(name, raw, atlas.web_layer(2024), simplify_coverage(raw, grid_deg=0),
                       list(DISTRICT_INDICATORS), district_view)
    n = int(name.split("-")[1])
    raw, web, unrounded = synthetic_layers(n)
    names = ["Chỉ tiêu A", "Chỉ tiêu B", "Chỉ tiêu C"]

    def synthetic_view(indicator: str) -> tuple[gpd.GeoDataFrame, Classification, str]:
        joined, classification = synthetic.joined(web, names.index(indicator))
        no_data = int((~joined["has_data"]).sum())
        return joined, classification, legend_html(indicator, synthetic.legend(classification, no_data))

    return Dataset(name, raw, web, unrounded, names, synthetic_view)


def _province() -> Dataset:
    from mutte_geo.maps.legend import legend_title
    from mutte_geo.maps.view import MapRequest, legend_note, map_view
    from mutte_geo.model.atlas import Atlas

    atlas = Atlas.load().in_region("laichau")

    def province_view(indicator: str) -> tuple[gpd.GeoDataFrame, Classification, str]:
        view = map_view(atlas, MapRequest(indicator, vintage=2025))
        legend = legend_html(legend_title(atlas.catalogue[indicator], "vi"), view.legend, legend_note(view, "vi"))
        return view.joined, view.classification, legend

    raw = atlas.boundaries(2025)
    return Dataset("province", raw, atlas.web_layer(2025), simplify_coverage(raw, grid_deg=0),
                   list(PROVINCE_INDICATORS), province_view)


def explore(joined: gpd.GeoDataFrame) -> folium.Map:
    """The peer baseline: ``GeoDataFrame.explore()`` as a planner would call it (offline: local Leaflet,
    no tiles, no branca colour bar, which would pull d3 from a CDN)."""
    column = "number" if joined["number"].notna().any() else "value"  # categories: yes/no, names
    data = joined[[*TOOLTIP, column, "geometry"]].reset_index(drop=True)
    fmap = data.explore(column=column, tooltip=TOOLTIP, tiles=None, legend=False, cmap="YlGnBu",
                        missing_kwds={"color": "#cfcfcf"})
    for element in _walk(fmap):
        if hasattr(element, "default_js"):
            element.default_js = []
            element.default_css = []
    fmap.default_js = [("leaflet", LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    return fmap


def _walk(element: object):  # type: ignore[no-untyped-def]
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)

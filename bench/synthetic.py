"""Synthetic but realistic commune coverages for the benchmark (a province up to a whole country).

A Voronoi tessellation of random points, clipped to a wobbly region, with every edge densified to
the vertex density of the real Mường Tè boundaries and bent by one smooth noise field. Neighbours
share their vertices exactly before bending, so they still share borders after it (a valid coverage).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mutte_geo.maps.classify import Classification, classify_numeric
from mutte_geo.maps.legend import LegendEntry
from mutte_geo.model.boundaries import simplify_coverage

KM_PER_DEG = 111.32
MEAN_AREA_KM2 = 33.0  # Vietnam: about 331,000 km² in about 10,000 communes (before 2025)
VERTEX_SPACING_KM = 0.026  # the real 2024 Mường Tè file: 39,353 vertices on 1,016 km of rings
CENTRE = (105.0, 20.0)  # lon, lat: somewhere in northern Vietnam


def _bend(xy: np.ndarray, cell_deg: float, seed: int) -> np.ndarray:
    """Move every vertex by the same smooth, multi-scale field (a function of position only)."""
    rng = np.random.default_rng(seed + 7)
    out = xy.copy()
    # Gentle enough never to fold (the gradients sum to about 0.6 at worst).
    for scale, amplitude in ((1.0, 0.03), (0.3, 0.008), (0.1, 0.002), (0.03, 0.0005)):
        k = 2 * np.pi / (cell_deg * scale)
        for axis in (0, 1):
            theta, phase = rng.uniform(0, 2 * np.pi, 2)
            out[:, axis] += amplitude * cell_deg * np.sin(k * (np.cos(theta) * xy[:, 0] + np.sin(theta) * xy[:, 1])
                                                          + phase)
    return out


def coverage(n: int, *, seed: int = 1) -> gpd.GeoDataFrame:
    """About ``n`` commune polygons (columns ``code``, ``geometry``) in EPSG:4326."""
    rng = np.random.default_rng(seed)
    side_km = float(np.sqrt(n * MEAN_AREA_KM2))
    cos_lat = np.cos(np.radians(CENTRE[1]))
    half_x, half_y = side_km / 2 / KM_PER_DEG / cos_lat, side_km / 2 / KM_PER_DEG
    # A wobbly outline (a province is not a square).
    angles = np.linspace(0, 2 * np.pi, 400, endpoint=False)
    radius = 1 + 0.08 * np.sin(3 * angles + 1) + 0.05 * np.sin(7 * angles + 2) + 0.03 * np.sin(17 * angles)
    outline = shapely.Polygon(np.c_[CENTRE[0] + 1.128 * half_x * radius * np.cos(angles),
                                    CENTRE[1] + 1.128 * half_y * radius * np.sin(angles)])
    minx, miny, maxx, maxy = outline.bounds
    points: list[np.ndarray] = []
    while sum(len(p) for p in points) < n:
        cand = np.c_[rng.uniform(minx, maxx, 4 * n), rng.uniform(miny, maxy, 4 * n)]
        points.append(cand[shapely.contains_xy(outline, cand[:, 0], cand[:, 1])])
    seeds = np.concatenate(points)[:n]
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=outline.buffer(1)))
    cells = shapely.intersection(cells, outline)
    # Node the shared linework once, densify and bend it, then rebuild the faces: shared borders by construction.
    lines = shapely.union_all(shapely.boundary(cells[~shapely.is_empty(cells)]))
    lines = shapely.segmentize(lines, VERTEX_SPACING_KM / KM_PER_DEG)
    cell_deg = np.sqrt(MEAN_AREA_KM2) / KM_PER_DEG
    lines = shapely.transform(lines, lambda xy: _bend(xy, cell_deg, seed))
    cells = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    cells = cells[shapely.is_valid(cells)]
    codes = [f"{i:05d}" for i in range(len(cells))]
    return gpd.GeoDataFrame({"code": codes}, geometry=list(cells), crs=4326).set_index("code", drop=False)


def web_layer(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same coverage simplification and rounding the app applies to the real boundaries."""
    return simplify_coverage(layer)


def joined(layer: gpd.GeoDataFrame, indicator: int, *, seed: int = 1) -> tuple[gpd.GeoDataFrame, Classification]:
    """The columns ``join_indicator`` produces, with synthetic values (5 % missing), and their classes."""
    rng = np.random.default_rng(seed * 100 + indicator)
    n = len(layer)
    values = rng.lognormal(mean=7 + indicator, sigma=0.6, size=n).round(1)
    values[rng.uniform(size=n) < 0.05] = np.nan
    out = layer[["code", "geometry"]].copy()
    out["name"] = [f"Xã {c}" for c in out["code"]]
    out["label"] = [f"Xã {c}" for c in out["code"]]
    out["type_label"] = "xã"
    out["map_label"] = out["label"]
    out["uncertain"] = False
    out["number"] = values
    out["has_data"] = ~np.isnan(values)
    out["value"] = values
    out["value_text"] = [f"{v:,.1f}".replace(",", " ") if v == v else "Không có dữ liệu" for v in values]
    out["period_text"] = "2024"
    out["source"] = "synthetic"
    classification = classify_numeric(pd.Series(values, index=out["code"]), scheme="quantiles", k=5)
    return out, classification


def legend(classification: Classification, no_data: int) -> list[LegendEntry]:
    entries = [LegendEntry(b.color, f"{b.lower:,.0f} – {b.upper:,.0f}", b.count) for b in classification.bins]
    return [*entries, LegendEntry("#cfcfcf", "Không có dữ liệu", no_data, no_data=True)]

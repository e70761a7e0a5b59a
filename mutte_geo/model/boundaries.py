"""Commune boundary layers: read with pyogrio, check codes and shapes, simplify for the web."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from mutte_geo.core.errors import BoundaryError
from mutte_geo.core.paths import BOUNDARY_DIR, user_boundary_file
from mutte_geo.model.datasetup import FIX_HINT, verify_installed
from mutte_geo.model.units import Unit, normalise_code

DEFAULT_FILES = {2024: "communes_2024.geojson", 2025: "communes_2025.geojson"}
CODE_FIELDS = ("gso_code", "gso_code_2025", "ma_xa", "code")
# Lambert azimuthal equal-area centred on the district: areas in km² and tolerances in metres.
DISTRICT_LAEA = "+proj=laea +lat_0=22.45 +lon_0=102.7 +datum=WGS84 +units=m +no_defs"
WEB_TOLERANCE_M = 60.0
WEB_GRID_DEG = 1e-5  # about 1 m: coordinates rounded to 5 decimals


def boundary_path(vintage: int, boundary_dir: Path = BOUNDARY_DIR) -> Path:
    """The user's file for ``vintage`` if one is set, else the installed, hash-checked default."""
    user_file = user_boundary_file(vintage)
    if user_file is not None:
        if not user_file.exists():
            raise BoundaryError(f"Boundary file {user_file} (MUTTE_BOUNDARIES_{vintage}) does not exist.")
        return user_file
    verify_installed(boundary_dir)
    return boundary_dir / DEFAULT_FILES[vintage]


def read_boundaries(path: Path, units: dict[str, Unit]) -> gpd.GeoDataFrame:
    """Read a GeoJSON, GeoPackage or zipped Shapefile and key it by official code.

    Returns columns ``code, name_vi, unit_type, area_km2, geometry`` in EPSG:4326, indexed
    by code. Names come from the official reference table, never from the file.
    """
    try:
        layer = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise BoundaryError(f"Cannot read boundary file {path}: {exc}") from exc
    if layer.crs is None:
        raise BoundaryError(f"{path} has no coordinate reference system (a Shapefile needs its .prj).")
    field = next((f for f in CODE_FIELDS if f in layer.columns), None)
    if field is None:
        raise BoundaryError(f"{path} has no commune code column (expected one of {', '.join(CODE_FIELDS)}).")
    codes = layer[field].astype(str).map(normalise_code)
    unknown = sorted(set(codes) - set(units))
    missing = sorted(set(units) - set(codes))
    repeated = sorted(set(codes[codes.duplicated()]))
    if unknown or missing or repeated:
        parts = []
        if unknown:
            parts.append(f"unknown codes {unknown}")
        if missing:
            parts.append(f"missing units {[f'{c} {units[c].name_vi}' for c in missing]}")
        if repeated:
            parts.append(f"codes repeated {repeated}")
        raise BoundaryError(f"{path}: {'; '.join(parts)}.")
    geometry = layer.geometry.to_crs(4326)
    if geometry.is_empty.any() or geometry.isna().any():
        raise BoundaryError(f"{path}: empty geometry for {sorted(codes[geometry.is_empty | geometry.isna()])}.")
    geometry = gpd.GeoSeries(shapely.make_valid(geometry.values), crs=4326)
    result = gpd.GeoDataFrame(
        {
            "code": codes.values,
            "name_vi": [units[c].name_vi for c in codes],
            "unit_type": [units[c].unit_type for c in codes],
        },
        geometry=geometry.values,
        crs=4326,
    )
    result["area_km2"] = result.geometry.to_crs(DISTRICT_LAEA).area / 1e6
    result.index = result["code"].to_numpy()
    return result.sort_index()


def load_boundaries(vintage: int, units: dict[str, Unit], boundary_dir: Path = BOUNDARY_DIR) -> gpd.GeoDataFrame:
    """The boundary layer of ``vintage`` with a clear error if it is missing or altered."""
    path = boundary_path(vintage, boundary_dir)
    if not path.exists():
        raise BoundaryError(f"Boundary file {path} is missing: {FIX_HINT}.")
    return read_boundaries(path, units)


def simplify_coverage(
    layer: gpd.GeoDataFrame, *, tolerance_m: float = WEB_TOLERANCE_M, grid_deg: float = WEB_GRID_DEG
) -> gpd.GeoDataFrame:
    """Simplify the layer as one coverage, so neighbours keep shared edges (no gaps or slivers),
    then round coordinates to ``grid_deg``."""
    projected = layer.geometry.to_crs(DISTRICT_LAEA)
    simplified = shapely.coverage_simplify(projected.values, tolerance_m, simplify_boundary=True)
    back = gpd.GeoSeries(simplified, crs=DISTRICT_LAEA).to_crs(4326)
    rounded = shapely.set_precision(back.values, grid_deg, mode="pointwise")
    return layer.set_geometry(gpd.GeoSeries(_polygonal(rounded), index=layer.index, crs=4326))


def _polygonal(geometries):
    """Repair what rounding broke (a tiny ring collapsing) and keep only polygon parts."""
    repaired = []
    for geom in geometries:
        if not geom.is_valid:
            parts = shapely.get_parts(shapely.make_valid(geom))
            geom = shapely.union_all([p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")])
        repaired.append(geom)
    return repaired


def coverage_gaps_and_overlaps(layer: gpd.GeoDataFrame) -> tuple[float, float]:
    """Total overlap area and gap area (km²) between neighbours, in the district projection."""
    projected = layer.geometry.to_crs(DISTRICT_LAEA)
    union = shapely.union_all(projected.values)
    overlap = projected.area.sum() - union.area
    hull_holes = shapely.Polygon(union.exterior) if union.geom_type == "Polygon" else shapely.union_all(
        [shapely.Polygon(p.exterior) for p in union.geoms])
    gaps = hull_holes.area - union.area
    return overlap / 1e6, gaps / 1e6

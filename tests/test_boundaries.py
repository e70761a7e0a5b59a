"""Boundary layers: reading any supported format, code checks, topology-safe simplification."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import shapely

from mutte_geo.core.errors import BoundaryError
from mutte_geo.model.boundaries import coverage_gaps_and_overlaps, read_boundaries, simplify_coverage


def test_2024_layer_has_14_units_keyed_by_code(atlas) -> None:  # type: ignore[no-untyped-def]
    layer = atlas.boundaries(2024)
    assert len(layer) == 14
    assert layer.loc["03433", "unit_type"] == "thị trấn"
    assert layer.loc["03445", "unit_type"] == "xã"
    assert layer.loc["03433", "name_vi"] == layer.loc["03445", "name_vi"] == "Mường Tè"
    assert layer.crs.to_epsg() == 4326
    assert layer.is_valid.all()
    assert layer["area_km2"].sum() == pytest.approx(2678.48, abs=1.0)  # district's published area


def test_2025_layer_has_8_communes(atlas) -> None:  # type: ignore[no-untyped-def]
    layer = atlas.boundaries(2025)
    assert sorted(layer.index) == sorted(atlas.units[2025])
    assert layer.loc["03460", "name_vi"] == "Hua Bum"


def test_web_layer_keeps_the_coverage_and_is_small(atlas) -> None:  # type: ignore[no-untyped-def]
    for vintage in (2024, 2025):
        web = atlas.web_layer(vintage)
        assert web.is_valid.all()
        overlap, gaps = coverage_gaps_and_overlaps(web)
        assert overlap < 0.01 and gaps < 0.01  # km²
        full = shapely.get_num_coordinates(atlas.boundaries(vintage).geometry.values).sum()
        assert shapely.get_num_coordinates(web.geometry.values).sum() < full / 4


def test_web_layer_rounds_coordinates(atlas) -> None:  # type: ignore[no-untyped-def]
    coords = shapely.get_coordinates(atlas.web_layer(2024).geometry.values)
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()


def test_simplification_is_computed_once(atlas) -> None:  # type: ignore[no-untyped-def]
    assert atlas.web_layer(2024) is atlas.web_layer(2024)


def test_geopackage_and_zipped_shapefile_read_the_same(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layer = atlas.boundaries(2024)[["code", "geometry"]].rename(columns={"code": "ma_xa"}).to_crs(3405)
    layer.to_file(tmp_path / "xa.gpkg", engine="pyogrio")
    layer.to_file(tmp_path / "xa.shp", engine="pyogrio")
    with zipfile.ZipFile(tmp_path / "xa.zip", "w") as archive:
        for part in tmp_path.glob("xa.*"):
            if part.suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                archive.write(part, part.name)
    units = atlas.units[2024]
    for path in (tmp_path / "xa.gpkg", tmp_path / "xa.zip"):
        read = read_boundaries(path, units)
        assert list(read.index) == sorted(units)
        assert read.crs.to_epsg() == 4326  # reprojected from VN-2000 / UTM 48N (EPSG:3405)
        assert read["area_km2"].sum() == pytest.approx(atlas.boundaries(2024)["area_km2"].sum(), rel=1e-3)


def test_missing_unit_is_reported_by_code_and_name(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layer = atlas.boundaries(2024).drop(index="03467")
    layer.to_file(tmp_path / "x.geojson", engine="pyogrio")
    with pytest.raises(BoundaryError, match="missing units.*03467 Vàng San"):
        read_boundaries(tmp_path / "x.geojson", atlas.units[2024])


def test_unknown_and_repeated_codes_are_reported(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layer = atlas.boundaries(2024).copy()
    layer.loc["03467", "code"] = "03433"
    layer.to_file(tmp_path / "x.geojson", engine="pyogrio")
    with pytest.raises(BoundaryError, match=r"codes repeated \['03433'\]"):
        read_boundaries(tmp_path / "x.geojson", atlas.units[2024])


def test_no_code_column_is_a_clear_error(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    atlas.boundaries(2024)[["geometry"]].to_file(tmp_path / "x.geojson", engine="pyogrio")
    with pytest.raises(BoundaryError, match="no commune code column"):
        read_boundaries(tmp_path / "x.geojson", atlas.units[2024])


def test_not_a_spatial_file_is_a_clear_error(atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.geojson"
    path.write_text("không phải GeoJSON")
    with pytest.raises(BoundaryError, match="Cannot read boundary file"):
        read_boundaries(path, atlas.units[2024])


def test_simplify_coverage_keeps_shared_edges_identical(atlas) -> None:  # type: ignore[no-untyped-def]
    web = simplify_coverage(atlas.boundaries(2024), tolerance_m=500)
    a, b = web.loc["03454", "geometry"], web.loc["03433", "geometry"]  # Bum Tở around the town
    assert a.intersection(b).area < 1e-10
    assert a.touches(b) or a.intersects(b)

"""Official boundary files: VN-2000 with or without .prj, invalid rings, names for codes, gaps and overlaps."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.affinity import translate

from mutte_geo.core.paths import BOUNDARY_DIR
from mutte_geo.model.boundaries import DISTRICT_LAEA, read_boundaries
from mutte_geo.model.units import load_units
from mutte_geo.storage.boundaryimport import accept, check_boundaries

pytestmark = pytest.mark.filterwarnings("ignore:'crs' was not provided")


@pytest.fixture(scope="module")
def units():  # type: ignore[no-untyped-def]
    return load_units(2024)


@pytest.fixture(scope="module")
def official(units) -> gpd.GeoDataFrame:  # type: ignore[no-untyped-def]
    return read_boundaries(BOUNDARY_DIR / "communes_2024.geojson", units)


def file_bytes(layer: gpd.GeoDataFrame, tmp_path: Path, name: str) -> bytes:
    path = tmp_path / name
    layer.to_file(path, engine="pyogrio")
    return path.read_bytes()


def zipped_shapefile(layer: gpd.GeoDataFrame, tmp_path: Path, *, prj: bool) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    layer.to_file(folder / "xa.shp", engine="pyogrio", encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in folder.iterdir():
            if prj or part.suffix != ".prj":
                archive.write(part, part.name)
    return buffer.getvalue()


def areas(layer: gpd.GeoDataFrame) -> dict[str, float]:
    return dict(zip(layer["gso_code"], layer.geometry.to_crs(DISTRICT_LAEA).area / 1e6, strict=True))


def test_vn2000_shapefile_without_prj_and_with_names(official, units, tmp_path: Path) -> None:
    layer = official.to_crs("EPSG:9205")  # VN-2000 / TM-3 103-00, the provincial zone
    layer = gpd.GeoDataFrame({"TEN_XA": [("TT. " if u.unit_type == "thị trấn" else "Xã ") + u.name_ascii.upper()
                                         for u in (units[c] for c in layer["code"])]},
                             geometry=layer.geometry.values, crs=None)
    report = check_boundaries(zipped_shapefile(layer, tmp_path, prj=False), "xa.zip", vintage=2024, units=units)
    assert report.ok, report.lines("en")
    assert "the file has no coordinate system (no .prj): the shapes fit VN-2000 / TM-3 103-00" in report.lines("en")
    expected = dict(zip(official["code"], official["area_km2"], strict=True))
    assert areas(report.layer) == pytest.approx(expected, rel=1e-3)
    path = accept(report, tmp_path / "store")
    assert list(read_boundaries(path, units)["code"]) == sorted(units)  # the app's reader takes it as is


def test_utm_geopackage_with_an_invalid_ring_is_repaired(official, units, tmp_path: Path) -> None:
    layer = official[["code", "geometry"]].rename(columns={"code": "gso_code"}).to_crs("EPSG:3405")
    shape = layer.geometry.iloc[0]
    ring = list((shape if shape.geom_type == "Polygon" else max(shape.geoms, key=lambda g: g.area)).exterior.coords)
    ring[10], ring[12] = ring[12], ring[10]  # two swapped vertices: the ring crosses itself
    broken = shapely.Polygon(ring)
    assert not broken.is_valid
    layer.loc[layer.index[0], "geometry"] = broken
    report = check_boundaries(file_bytes(layer, tmp_path, "xa.gpkg"), "xa.gpkg", vintage=2024, units=units)
    assert report.ok, report.lines("en")
    assert "repaired 1 invalid polygon(s)" in report.lines("en")
    assert report.layer.geometry.is_valid.all()
    assert "reprojected from VN-2000 / UTM zone 48N to WGS 84" in report.lines("en")


def test_unmatched_missing_and_ambiguous_units_are_refused(official, units, tmp_path: Path) -> None:
    layer = official.iloc[:13][["code", "geometry"]].copy()  # the last unit is missing
    layer = layer.assign(name_vi=[units[c].label("vi") for c in layer["code"]]).drop(columns="code")
    layer.loc[layer.index[0], "name_vi"] = "Mường Tè"  # ambiguous: town or commune
    layer.loc[layer.index[1], "name_vi"] = "Xã Không Có"
    report = check_boundaries(file_bytes(layer, tmp_path, "xa.geojson"), "xa.geojson", vintage=2024, units=units)
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(1, "name_vi"), (2, "name_vi")]
    assert "ambiguous" in report.problems[0].reason_en
    assert report.problems[1].reason_en == "no unit is named 'Xã Không Có'; use the 5-digit code"
    layer = official.iloc[:13][["code", "geometry"]]
    report = check_boundaries(file_bytes(layer, tmp_path, "b.geojson"), "b.geojson", vintage=2024, units=units)
    missing = sorted(set(units) - set(layer["code"]))
    assert [p.reason_en for p in report.problems] == [f"no boundary for {units[c].label('en')} ({c})" for c in missing]


def test_overlaps_and_gaps_are_reported(official, units, tmp_path: Path) -> None:
    layer = official[["code", "geometry"]].copy()
    layer.loc[layer.index[3], "geometry"] = translate(layer.geometry.iloc[3], xoff=0.01)  # ~1 km east
    report = check_boundaries(file_bytes(layer, tmp_path, "xa.geojson"), "xa.geojson", vintage=2024, units=units)
    summary = report.lines("en")[-1]
    overlap = float(summary.split("overlaps ")[1].split(" km²")[0])
    gaps = float(summary.split("gaps ")[1].split(" km²")[0])
    clean = check_boundaries(file_bytes(official[["code", "geometry"]], tmp_path, "c.geojson"), "c.geojson",
                             vintage=2024, units=units).lines("en")[-1]
    assert overlap > 1 and gaps > 0.5
    assert not report.ok and report.layer is None
    assert [p.reason_en.split(" overlap by")[0].count("(") for p in report.problems] == [2] * len(report.problems)
    assert report.problems and all("tolerance 0.5 km²" in p.reason_en for p in report.problems)
    assert float(clean.split("overlaps ")[1].split(" km²")[0]) < 0.1


def test_wrong_place_and_not_a_boundary_file(official, units, tmp_path: Path) -> None:
    far = official[["code", "geometry"]].to_crs("EPSG:3405")
    far = far.set_geometry(far.geometry.translate(xoff=400_000)).set_crs(None, allow_override=True)
    report = check_boundaries(file_bytes(far, tmp_path, "far.gpkg"), "far.gpkg", vintage=2024, units=units)
    assert [p.reason_en for p in report.problems] == [
        "the file has no coordinate system (no .prj) and fits neither WGS 84 nor VN-2000 (UTM 48N, TM-3 103°) at "
        "Mường Tè"]
    assert check_boundaries(b"%PDF-1.4", "ranh_gioi.pdf", vintage=2024, units=units).problems[0].reason_en == \
        "only GeoJSON, GeoPackage or a zipped Shapefile can be read"
    assert check_boundaries(b"PK\x03\x04junk", "xa.zip", vintage=2024, units=units).problems[0].reason_en == \
        "the .zip file is damaged (the zip container cannot be opened)"


def test_command_line_checks_a_boundary_file(official, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from mutte_geo.cli.cli import main

    path = tmp_path / "xa.geojson"
    official[["code", "geometry"]].iloc[:12].to_file(path, engine="pyogrio")
    assert main(["import", str(path), "--dry-run"]) == 1
    assert "ERROR xa.geojson: no boundary for" in capsys.readouterr().err
    official[["code", "geometry"]].to_file(path, engine="pyogrio")
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "14 units, total area" in out and "Dry run: nothing written." in out

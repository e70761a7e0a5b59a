"""Check an official boundary file before it is used: coordinate system, ring repair, unit matching, coverage.

Accepts GeoJSON, GeoPackage or a zipped Shapefile. Files in VN-2000 without a .prj are placed by
trying the national projections that fit the district (UTM 48N, TM-3 103°); the result is a clean
GeoPackage (``gso_code`` + geometry, EPSG:4326) that ``MUTTE_BOUNDARIES_<vintage>`` can point to.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from mutte_geo.core.errors import Problem
from mutte_geo.model.boundaries import CODE_FIELDS, DISTRICT_LAEA, coverage_gaps_and_overlaps
from mutte_geo.model.names import fold, match_unit
from mutte_geo.model.units import Unit
from mutte_geo.storage.filelimits import MAX_BOUNDARY_UNCOMPRESSED, zip_problems

# VN-2000 projections used for Lai Châu: UTM zone 48N and the provincial TM-3 zone (central meridian 103°).
VN2000_CANDIDATES = ("EPSG:3405", "EPSG:9205")
NAME_FIELDS = ("name_vi", "ten_xa", "ten", "tenxa", "ten_dvhc", "name", "xa", "name_3")
DISTRICT_BOUNDS = (101.9, 21.9, 103.4, 23.0)  # lon/lat box around Mường Tè with margin
SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
# Neighbours digitised separately overlap by slivers; more than this between two units is an error.
OVERLAP_TOLERANCE_KM2 = 0.5


@dataclass
class BoundaryReport:
    file: str
    vintage: int
    problems: list[Problem] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (vi, en), shown but not blocking
    layer: gpd.GeoDataFrame | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.layer is not None

    def lines(self, lang: str) -> list[str]:
        out = [f"ERROR {p.describe(lang)}" for p in self.problems]
        out += [vi if lang == "vi" else en for vi, en in self.notes]
        return out


def is_boundary_file(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def check_boundaries(data: bytes, file: str, *, vintage: int, units: dict[str, Unit]) -> BoundaryReport:
    """Read, place, repair and match ``data``; nothing is written."""
    report = BoundaryReport(file, vintage)

    def bad(vi: str, en: str, row: int | None = None, column: str | None = None) -> None:
        report.problems.append(Problem(file, row, column, vi, en))

    with tempfile.TemporaryDirectory() as tmp:
        layer = _read(data, file, Path(tmp), bad)
    if layer is None:
        return report
    if layer.empty:
        bad("tệp không có đối tượng nào", "the file holds no features")
        return report
    layer = _place(layer, report, bad)
    if layer is None:
        return report
    codes = _match(layer, units, bad)
    if codes is None:
        return report
    invalid = ~layer.geometry.is_valid
    if invalid.any():
        report.notes.append((f"đã sửa {int(invalid.sum())} vùng có vòng không hợp lệ",
                             f"repaired {int(invalid.sum())} invalid polygon(s)"))
    geometry = shapely.make_valid(layer.geometry.values, method="structure", keep_collapsed=False)
    frame = gpd.GeoDataFrame({"gso_code": codes}, geometry=geometry, crs=layer.crs)
    frame = frame[frame["gso_code"] != ""]
    for code, rows in frame.groupby("gso_code").groups.items():
        if len(rows) > 1:
            listed = ", ".join(str(i + 1) for i in rows)
            name = units[str(code)]
            bad(f"các đối tượng {listed} cùng mang mã {code} ({name.label('vi')}): mỗi đơn vị một đối tượng (gộp "
                "các mảnh thành một multipolygon)",
                f"features {listed} all carry the code {code} ({name.label('en')}): one feature per unit (merge "
                "the parts into one multipolygon)")
    missing = sorted(set(units) - set(frame["gso_code"]))
    for code in missing:
        bad(f"thiếu ranh giới của {units[code].label('vi')} ({code})",
            f"no boundary for {units[code].label('en')} ({code})")
    if report.problems:
        return report
    overlap, gaps = coverage_gaps_and_overlaps(frame)
    for a, b, km2 in overlapping_pairs(frame):
        bad(f"{units[a].label('vi')} ({a}) và {units[b].label('vi')} ({b}) chồng lấn {km2:,.2f} km² "
            f"(cho phép {OVERLAP_TOLERANCE_KM2} km²)",
            f"{units[a].label('en')} ({a}) and {units[b].label('en')} ({b}) overlap by {km2:,.2f} km² "
            f"(tolerance {OVERLAP_TOLERANCE_KM2} km²)")
    area = frame.geometry.to_crs(DISTRICT_LAEA).area.sum() / 1e6
    report.notes.append((f"{len(frame)} đơn vị, tổng diện tích {area:,.1f} km², chồng lấn {overlap:.3f} km², "
                         f"khe hở {gaps:.3f} km²",
                         f"{len(frame)} units, total area {area:,.1f} km², overlaps {overlap:.3f} km², "
                         f"gaps {gaps:.3f} km²"))
    if not report.problems:
        report.layer = frame.sort_values("gso_code").reset_index(drop=True)
    return report


def overlapping_pairs(frame: gpd.GeoDataFrame) -> list[tuple[str, str, float]]:
    """Pairs of units whose shapes overlap by more than the tolerance: (code, code, km²)."""
    projected = frame.geometry.to_crs(DISTRICT_LAEA).reset_index(drop=True)
    codes = list(frame["gso_code"])
    left, right = projected.sindex.query(projected, predicate="intersects")
    pairs = []
    for i, j in zip(left, right, strict=True):
        if i < j:
            km2 = projected.iloc[i].intersection(projected.iloc[j]).area / 1e6
            if km2 > OVERLAP_TOLERANCE_KM2:
                pairs.append((codes[i], codes[j], km2))
    return pairs


def accept(report: BoundaryReport, directory: Path) -> Path:
    """Write a clean report's layer as ``boundaries_<vintage>.gpkg`` in ``directory``."""
    if not report.ok or report.layer is None:
        raise ValueError("a boundary file with problems cannot be accepted")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"boundaries_{report.vintage}.gpkg"
    report.layer.to_file(path, driver="GPKG", engine="pyogrio")
    return path


def _read(data: bytes, file: str, tmp: Path, bad) -> gpd.GeoDataFrame | None:
    if not is_boundary_file(file):
        bad("chỉ nhận GeoJSON, GeoPackage hoặc Shapefile nén .zip", "only GeoJSON, GeoPackage or a zipped "
            "Shapefile can be read")
        return None
    path = tmp / Path(file).name
    if path.suffix.lower() == ".zip":
        refused = zip_problems(data, file, what=".zip", max_uncompressed=MAX_BOUNDARY_UNCOMPRESSED)
        for problem in refused:
            bad(problem.reason_vi, problem.reason_en)
        if refused:
            return None
    path.write_bytes(data)
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(tmp / "unzipped")
        except zipfile.BadZipFile:
            bad("tệp .zip bị hỏng", "the .zip file is damaged")
            return None
        shapefiles = sorted((tmp / "unzipped").rglob("*.shp"))
        if len(shapefiles) != 1:
            bad(f"tệp .zip cần đúng một Shapefile (.shp), có {len(shapefiles)}",
                f"the .zip must hold exactly one Shapefile (.shp); it holds {len(shapefiles)}")
            return None
        path = shapefiles[0]
    try:
        return gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several types for unreadable files
        bad(f"không đọc được tệp ranh giới ({type(exc).__name__})", f"cannot read the boundary file: {exc}")
        return None


def _inside_district(layer: gpd.GeoDataFrame) -> bool:
    minx, miny, maxx, maxy = layer.to_crs(4326).total_bounds
    lon0, lat0, lon1, lat1 = DISTRICT_BOUNDS
    return bool(lon0 <= minx and maxx <= lon1 and lat0 <= miny and maxy <= lat1)


def _place(layer: gpd.GeoDataFrame, report: BoundaryReport, bad) -> gpd.GeoDataFrame | None:
    """Reproject to EPSG:4326; a layer without a coordinate system is placed by trying VN-2000 projections."""
    if layer.crs is not None:
        if _inside_district(layer):
            if layer.crs.to_epsg() != 4326:
                report.notes.append((f"đã chuyển từ {layer.crs.name} sang WGS 84",
                                     f"reprojected from {layer.crs.name} to WGS 84"))
            return layer.to_crs(4326)
        bad(f"theo hệ tọa độ của tệp ({layer.crs.name}) các vùng nằm ngoài huyện Mường Tè: tệp .prj sai?",
            f"in the file's coordinate system ({layer.crs.name}) the shapes lie outside Mường Tè district: "
            "a wrong .prj?")
        return None
    minx, miny, maxx, maxy = layer.total_bounds
    candidates = ["EPSG:4326"] if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90 else []
    candidates += list(VN2000_CANDIDATES)
    for crs in candidates:
        placed = layer.set_crs(crs, allow_override=True)
        if _inside_district(placed):
            name = placed.crs.name
            report.notes.append((f"tệp không ghi hệ tọa độ (thiếu .prj): các vùng khớp với {name}",
                                 f"the file has no coordinate system (no .prj): the shapes fit {name}"))
            return placed.to_crs(4326)
    bad("tệp không ghi hệ tọa độ (thiếu .prj) và không khớp WGS 84 hay VN-2000 (UTM 48N, TM-3 103°) ở Mường Tè",
        "the file has no coordinate system (no .prj) and fits neither WGS 84 nor VN-2000 (UTM 48N, TM-3 103°) "
        "at Mường Tè")
    return None


def _match(layer: gpd.GeoDataFrame, units: dict[str, Unit], bad) -> list[str] | None:
    """The official code of every feature, from a code column or else a name column."""
    columns = {fold(c): c for c in layer.columns if c != "geometry"}
    code_field = next((columns[f] for f in CODE_FIELDS if f in columns), None)
    name_field = next((columns[f] for f in NAME_FIELDS if f in columns), None)
    if code_field is None and name_field is None:
        bad("không có cột mã hoặc tên đơn vị", f"no unit code or name column (expected one of "
            f"{', '.join(CODE_FIELDS + NAME_FIELDS)})")
        return None
    field_name = code_field or name_field
    codes = []
    for row, value in enumerate(layer[field_name].astype(str), start=1):
        text = value.strip()
        match = match_unit(text, units, allow_district=False)
        if match.code is None:
            bad(match.reason_vi, match.reason_en, row, field_name)
            codes.append("")
        else:
            codes.append(match.code)
    return codes if not pd.Series(codes).eq("").any() else None

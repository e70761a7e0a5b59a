"""Region packs: loading and verification, codes shared with the district, the one store, the published
gaps, and titles that name the region (web legend, PDF text, HTML)."""

from __future__ import annotations

import io
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import shapely
from pypdf import PdfReader

from mutte_geo.core.errors import DataFileError
from mutte_geo.core.paths import DEFAULT_SHARED_DIR
from mutte_geo.exports.formats import export_bytes
from mutte_geo.maps.printoptions import PrintOptions, default_subtitle
from mutte_geo.maps.view import MapRequest, legend_note, map_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.boundaries import DISTRICT_LAEA, coverage_gaps_and_overlaps
from mutte_geo.model.indicators import select
from mutte_geo.model.regions import (
    MANIFEST,
    REGIONS_DIR,
    check_contained,
    install_packs,
    load_pack,
    pack_reference_values,
    pack_units,
    parse_manifest,
    region_ids,
    verify_pack,
)
from mutte_geo.model.units import Unit

PROVINCE_SOURCE = DEFAULT_SHARED_DIR / "data/province"
MUONG_TE_2025 = {"03433", "03439", "03442", "03445", "03451", "03460", "03463", "03466"}


@pytest.fixture(scope="module")
def province(atlas: Atlas) -> Atlas:
    return atlas.in_region("laichau")


def _pack_copy(tmp_path: Path) -> Path:
    """The Lai Châu pack (manifest and installed files) copied into ``tmp_path/regions/laichau``."""
    target = tmp_path / "regions" / "laichau"
    shutil.copytree(REGIONS_DIR / "laichau", target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- loading and verification ------------------------------------------------------------------

def test_the_packs_are_the_district_first_then_the_province() -> None:
    assert region_ids() == ("mutte", "laichau")
    district, province = load_pack("mutte"), load_pack("laichau")
    assert district.vintages == (2024, 2025) and province.vintages == (2025,)
    assert province.name("vi") == "tỉnh Lai Châu" and province.name("en") == "Lai Châu province"
    assert province.place[2025]("vi") == "Tỉnh Lai Châu"


def test_an_unknown_region_is_refused_with_the_choices() -> None:
    with pytest.raises(DataFileError, match="Unknown region 'hanoi': choose one of mutte, laichau"):
        load_pack("hanoi")


def test_the_installed_pack_files_match_the_provenance() -> None:
    verify_pack(load_pack("laichau"))  # raises on a missing or altered file


def test_an_altered_pack_file_is_named_with_both_checksums(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    with (folder / "lai_chau_units_2025.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    with pytest.raises(DataFileError, match=r"lai_chau_units_2025\.csv is altered \(SHA-256 .*expected 848aa88afaa0"):
        verify_pack(parse_manifest(folder / MANIFEST))


def test_a_missing_pack_file_is_named_with_what_to_do(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    (folder / "lai_chau_2025.geojson").unlink()
    with pytest.raises(DataFileError, match=r"lai_chau_2025\.geojson is missing: run `make data`"):
        verify_pack(parse_manifest(folder / MANIFEST))


def test_a_manifest_without_a_required_key_names_the_file_and_key(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    (folder / MANIFEST).write_text(text.replace('file_prefix = "laichau"\n', ""), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"laichau/region\.toml lacks the key 'file_prefix'"):
        parse_manifest(folder / MANIFEST)


def test_install_copies_the_pack_files_and_refuses_an_altered_source(tmp_path: Path) -> None:
    regions = tmp_path / "regions"
    folder = _pack_copy(tmp_path)
    for name in ("lai_chau_2025.geojson", "lai_chau_units_2025.csv", "PROVENANCE.md"):
        (folder / name).unlink()
    shared = tmp_path / "shared"
    shutil.copytree(PROVINCE_SOURCE, shared / "data/province")
    for path in (shared / "data/province").iterdir():
        path.chmod(0o644)
    report = install_packs(shared, regions)
    assert report == ["installed regions/laichau/lai_chau_2025.geojson (sha256 c7721e3291d7…)",
                      "installed regions/laichau/lai_chau_units_2025.csv (sha256 848aa88afaa0…)"]
    verify_pack(parse_manifest(folder / MANIFEST))
    (folder / "lai_chau_2025.geojson").unlink()
    with (shared / "data/province/lai_chau_2025.geojson").open("a", encoding="utf-8") as handle:
        handle.write(" ")
    with pytest.raises(DataFileError, match=r"data/province/lai_chau_2025\.geojson is altered"):
        install_packs(shared, regions)
    assert not (folder / "lai_chau_2025.geojson").exists()  # nothing copied from an altered source


# --- codes: the province holds the district's 2025 communes under the same codes -----------------

def test_the_eight_mutte_communes_have_the_same_codes_names_and_types(atlas: Atlas) -> None:
    units = pack_units(load_pack("laichau"), 2025)
    assert len(units) == 38
    assert check_contained(load_pack("laichau"), units, atlas.units[2025]) == MUONG_TE_2025
    for code in MUONG_TE_2025:
        assert (units[code].name_vi, units[code].unit_type) == (atlas.units[2025][code].name_vi,
                                                                 atlas.units[2025][code].unit_type)


def test_a_code_meaning_another_unit_is_refused_naming_the_code(atlas: Atlas) -> None:
    units = dict(pack_units(load_pack("laichau"), 2025))
    units["03433"] = replace(units["03433"], name_vi="Mường Tè")  # as if the 2024 town's meaning
    with pytest.raises(DataFileError, match=r"03433 xã Bum Tở \(in 'laichau': xã Mường Tè\)"):
        check_contained(load_pack("laichau"), units, atlas.units[2025])


def test_no_2024_code_enters_the_province_view(atlas: Atlas, province: Atlas) -> None:
    assert set(province.units) == {2025}
    assert set(province.values["vintage"]) == {2025}
    vang_san_2024 = "03467"  # a 2024 unit whose code is not a 2025 unit anywhere in the province
    assert vang_san_2024 in atlas.units[2024] and vang_san_2024 not in set(province.values["unit_code"])


def test_the_district_communes_have_the_same_boundaries_in_both_packs(atlas: Atlas, province: Atlas) -> None:
    district = atlas.boundaries(2025).to_crs(DISTRICT_LAEA)
    same = province.boundaries(2025).loc[sorted(MUONG_TE_2025)].to_crs(DISTRICT_LAEA)
    for code in MUONG_TE_2025:
        assert shapely.symmetric_difference(district.geometry[code], same.geometry[code]).area / 1e6 < 0.01


def test_the_province_web_layer_stays_a_coverage(province: Atlas) -> None:
    overlaps, gaps = coverage_gaps_and_overlaps(province.web_layer(2025))
    assert len(province.web_layer(2025)) == 38 and overlaps < 0.05 and gaps < 0.05


# --- one store -------------------------------------------------------------------------------------

def test_a_district_commune_has_the_same_values_in_both_views(atlas: Atlas, province: Atlas) -> None:
    for indicator in atlas.mappable_indicators(2025):
        mine = select(atlas.values, indicator=indicator, vintage=2025)
        theirs = select(province.values, indicator=indicator, vintage=2025).loc[lambda t: t.index.isin(MUONG_TE_2025)]
        pd.testing.assert_frame_equal(mine.sort_index()[["value", "period", "kind", "source", "status"]],
                                      theirs.sort_index()[["value", "period", "kind", "source", "status"]])


def test_an_edit_in_the_store_shows_in_the_province_view(atlas: Atlas) -> None:
    values = atlas.values.copy()
    row = (values["vintage"] == 2025) & (values["unit_code"] == "03451") & (values["indicator"] == "population") \
        & (values["period"] == "2025") & (values["derived_from"].fillna("") == "")
    assert row.sum() == 1
    values.loc[row, ["value", "number"]] = ["3300", 3300.0]
    edited = atlas.with_values(values[values["derived_from"].fillna("") == ""]).in_region("laichau")
    assert select(edited.values, indicator="population", vintage=2025).at["03451", "value"] == "3300"
    assert select(atlas.in_region("laichau").values, indicator="population", vintage=2025).at["03451", "value"] \
        == "3299"


def test_the_pack_figures_of_the_district_communes_agree_with_the_store(atlas: Atlas) -> None:
    pack = load_pack("laichau")
    reference = pack_reference_values(pack, 2025, pack_units(pack, 2025), atlas.catalogue).set_index(
        ["unit_code", "indicator"])
    for indicator in ("area", "population"):
        stored = select(atlas.values, indicator=indicator, vintage=2025)
        for code in MUONG_TE_2025:
            assert float(reference.at[(code, indicator), "value"]) == float(stored.at[code, "value"]), (code, indicator)


# --- official values and published gaps -----------------------------------------------------------

def test_the_38_official_areas_and_37_populations_are_values_with_source_period_kind(province: Atlas) -> None:
    for indicator, count in (("area", 38), ("population", 37)):
        shown = select(province.values, indicator=indicator, vintage=2025)
        assert len(shown) == count
        assert set(shown["period"]) == {"2025"} and set(shown["kind"]) == {"actual"}
        assert shown["source"].str.contains("sapnhap.bando.com.vn").all()
    assert select(province.values, indicator="area", vintage=2025).at["03388", "value"] == "134.31"  # Đoàn Kết


def test_nam_so_population_is_no_data_never_zero(province: Atlas) -> None:
    view = map_view(province, MapRequest("population", vintage=2025))
    nam_so = view.joined.set_index("code").loc["03613"]
    assert not nam_so["has_data"] and pd.isna(nam_so["number"])
    assert "Nậm Sỏ: dân số chưa được công bố" in legend_note(view, "vi")
    no_data = [e for e in view.legend if e.no_data]
    assert len(no_data) == 1 and no_data[0].count == 1


def test_le_loi_is_kept_as_published_and_flagged(province: Atlas) -> None:
    view = map_view(province, MapRequest("population", vintage=2025, lang="en"))
    le_loi = view.joined.set_index("code").loc["03487"]
    assert le_loi["number"] == 911 and bool(le_loi["uncertain"])
    assert "Lê Lợi: the published population of 911 for 288 km²" in legend_note(view, "en")


def test_an_empty_cell_not_declared_a_gap_is_refused(tmp_path: Path, atlas: Atlas) -> None:
    folder = _pack_copy(tmp_path)
    pack = parse_manifest(folder / MANIFEST)
    pack = replace(pack, gaps=())
    units = {c: Unit(2025, c, "x", "xã", "", "x", None, "") for c in pack_units(load_pack("laichau"), 2025)}
    with pytest.raises(DataFileError, match=r"row \d+ \(03613 Nậm Sỏ\), column population: empty, but not declared"):
        pack_reference_values(pack, 2025, units, atlas.catalogue)


# --- titles name the region ---------------------------------------------------------------------------

def test_subtitles_name_the_region() -> None:
    assert default_subtitle("2025", ("actual",), 2025, "vi", load_pack("laichau")) == (
        "Tỉnh Lai Châu · Kỳ: 2025 (thực hiện) · Ranh giới 2025 (38 xã, phường từ 01/07/2025)")
    assert default_subtitle("2025", ("actual",), 2025, "vi").startswith("Các xã trên địa bàn huyện Mường Tè cũ")


def test_the_province_pdf_names_the_province_never_the_district(province: Atlas) -> None:
    request = MapRequest("population", vintage=2025)
    data = export_bytes("pdf", province, map_view(province, request), request=request, options=PrintOptions())
    text = _pdf_text(data)
    assert "Tỉnh Lai Châu · Kỳ" in text and "Vị trí tỉnh Lai Châu" in text
    assert "Atlas xã, phường tỉnh Lai Châu" in text and "sapnhap.bando.com.vn" in text
    assert "huyện Mường Tè" not in text.lower() and "Mường Tè district" not in text
    assert "Nậm Sỏ: dân số chưa được công bố" in text  # the gap, in the printed legend note
    assert PdfReader(io.BytesIO(data)).metadata["/Creator"] == "Atlas xã, phường tỉnh Lai Châu"


def test_the_district_pdf_still_names_the_district(atlas: Atlas) -> None:
    request = MapRequest("population", vintage=2024)
    text = _pdf_text(export_bytes("pdf", atlas, map_view(atlas, request), request=request, options=PrintOptions()))
    assert "Huyện Mường Tè, tỉnh Lai Châu · Kỳ" in text and "Vị trí huyện Mường Tè" in text


def test_the_province_html_and_table_exports_name_the_province(province: Atlas) -> None:
    request = MapRequest("area", vintage=2025)
    view = map_view(province, request)
    page = export_bytes("html", province, view, request=request, options=PrintOptions()).decode()
    assert "Tỉnh Lai Châu · Kỳ" in page and "huyện Mường Tè" not in page.lower()
    table = export_bytes("csv", province, view, request=request, options=PrintOptions()).decode("utf-8-sig")
    assert "Tỉnh Lai Châu · Kỳ" in table and "Đoàn Kết" in table

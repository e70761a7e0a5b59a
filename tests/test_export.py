"""Exports: print layout (PDF text, PNG size, colours, regression image), offline HTML, data, CLI."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import pytest
from matplotlib.colors import to_rgb
from matplotlib.text import Annotation
from PIL import Image
from pypdf import PdfReader

from mutte_geo.cli.cli import main
from mutte_geo.core.errors import ExportError
from mutte_geo.exports.filenames import file_name
from mutte_geo.exports.formats import export_bytes
from mutte_geo.exports.offline_html import standalone_html
from mutte_geo.exports.pack import report_pack_pdf, report_pack_zip
from mutte_geo.maps.classify import NO_DATA_FILL
from mutte_geo.maps.printmap import map_figure
from mutte_geo.maps.printoptions import PrintOptions
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.boundaries import DISTRICT_LAEA

REFERENCE = Path(__file__).parent / "reference" / "map_poverty_rate_a4_150.png"
REFERENCE_SIZE = (310, 438)  # the A4 150 dpi page scaled down by 4
DAY = dt.date(2025, 7, 1)
POP = MapRequest("population")


@pytest.fixture(scope="module")
def pop_view(atlas):  # type: ignore[no-untyped-def]
    return map_view(atlas, POP)


def pdf_text(data: bytes) -> str:
    """All text of a PDF, NFC-normalised, whitespace collapsed (wrapped lines join with a space)."""
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_pdf_text_has_title_legend_source_attribution_and_diacritics(atlas, pop_view):  # type: ignore[no-untyped-def]
    title = "Dân số các xã Pa Ủ, Pa Vệ Sủ, Bum Tở"  # stacked marks: Ủ, ệ, ủ, ở
    data = export_bytes("pdf", atlas, pop_view, request=POP, options=PrintOptions(title=title, export_date=DAY))
    assert data[:5] == b"%PDF-"
    assert b"/FontFile2" in data and b"Type3" not in data  # TrueType fonts embedded (pdf.fonttype 42)
    text = pdf_text(data)
    assert title in text
    for entry in pop_view.legend:
        assert f"{entry.label} ({entry.count})" in text
    assert "Không có dữ liệu (2)" in text
    assert "Nguồn số liệu: " in text and "citypopulation.de" in text
    for line in atlas.attribution(2024):
        assert line in text
    assert "Ngày xuất bản đồ: 01/07/2025" in text
    assert "Vị trí huyện Mường Tè" in text and "15 km" in text
    for name in ("Pa Vệ Sủ", "Tà Tổng", "Nậm Khao", "TT. Mường Tè"):
        assert name in text
    assert "Huyện Mường Tè, tỉnh Lai Châu" in text and "Ranh giới 2024" in text


def test_default_title_and_english(atlas):  # type: ignore[no-untyped-def]
    request = MapRequest("poverty_rate", lang="en")
    data = export_bytes("pdf", atlas, map_view(atlas, request), request=request, options=PrintOptions(export_date=DAY))
    text = pdf_text(data)
    assert "Poor-household rate (%) Mường Tè district, Lai Châu province" in text
    assert "Exported on: 2025-07-01" in text and "No data (12)" in text


@pytest.mark.parametrize("paper, orientation, size", [
    ("a4", "portrait", (1240, 1754)),
    ("a3", "landscape", (2480, 1754)),
])
def test_png_pixel_size_matches_paper_and_dpi(atlas, pop_view, paper, orientation, size):  # type: ignore[no-untyped-def]
    options = PrintOptions(paper, orientation, 150)
    image = Image.open(io.BytesIO(export_bytes("png", atlas, pop_view, request=POP, options=options)))
    assert abs(image.size[0] - size[0]) <= 1 and abs(image.size[1] - size[1]) <= 1
    assert options.pixel_size() == size
    assert image.info.get("dpi") and round(image.info["dpi"][0]) == 150


def test_png_300_dpi_is_twice_the_150_dpi_size():  # type: ignore[no-untyped-def]
    assert PrintOptions("a4", "landscape", 300).pixel_size() == (3508, 2480)


def test_bad_print_options_are_refused():  # type: ignore[no-untyped-def]
    with pytest.raises(ExportError, match="paper"):
        PrintOptions(paper="letter")
    with pytest.raises(ExportError, match="dpi"):
        PrintOptions(dpi=96)


def _pixels(fig):  # type: ignore[no-untyped-def]
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3]


def _colour_away_from_label(fig, pixels, geometry):  # type: ignore[no-untyped-def]
    """The rendered colour inside a unit, away from its label and edges."""
    inner = geometry.buffer(-800).difference(geometry.representative_point().buffer(5000))
    point = inner.representative_point()
    x, y = fig.axes[0].transData.transform((point.x, point.y))
    return tuple(int(v) for v in pixels[pixels.shape[0] - int(round(y)), int(round(x))])


def _rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(round(c * 255) for c in to_rgb(hex_colour))


def test_printed_colours_are_the_interactive_map_classes(atlas, pop_view):  # type: ignore[no-untyped-def]
    fig = map_figure(atlas, pop_view, POP, PrintOptions(export_date=DAY))
    pixels = _pixels(fig)
    layer = pop_view.joined.to_crs(DISTRICT_LAEA).set_index("code")
    checked = 0
    for code in ("03463", "03451", "03442", "03469", "03448"):  # large units with data
        expected = _rgb(pop_view.classification.colors[code])
        got = _colour_away_from_label(fig, pixels, layer.geometry[code])
        assert max(abs(a - b) for a, b in zip(got, expected)) <= 2, (code, got, expected)
        checked += 1
    assert checked == 5
    # Tá Bạ has no population figure: grey no-data fill (or its hatch), never a class colour.
    got = _colour_away_from_label(fig, pixels, layer.geometry["03440"])
    assert got not in {_rgb(c) for c in pop_view.classification.colors.values()}
    assert max(got) - min(got) <= 3  # grey


def test_highlight_keeps_matches_and_fades_the_rest(atlas, pop_view):  # type: ignore[no-untyped-def]
    fig = map_figure(atlas, pop_view, POP, PrintOptions(highlight=frozenset({"03463"}), export_date=DAY))
    pixels = _pixels(fig)
    layer = pop_view.joined.to_crs(DISTRICT_LAEA).set_index("code")
    assert _colour_away_from_label(fig, pixels, layer.geometry["03463"]) == _rgb(
        pop_view.classification.colors["03463"])
    faded = _colour_away_from_label(fig, pixels, layer.geometry["03451"])
    full = _rgb(pop_view.classification.colors["03451"])
    assert faded != full and sum(faded) > sum(full)  # lighter: 25 % of the colour over white


def _reference_render(atlas, indicator_id: str = "poverty_rate") -> Image.Image:  # type: ignore[no-untyped-def]
    request = MapRequest(indicator_id)
    data = export_bytes("png", atlas, map_view(atlas, request), request=request, options=PrintOptions(export_date=DAY))
    return Image.open(io.BytesIO(data)).convert("RGB").resize(REFERENCE_SIZE, Image.Resampling.LANCZOS)


def _mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16)).mean())


def test_rendered_map_matches_reference_image(atlas):  # type: ignore[no-untyped-def]
    """Regenerate with MUTTE_UPDATE_REFERENCE=1 after a deliberate change of the layout."""
    image = _reference_render(atlas)
    if os.environ.get("MUTTE_UPDATE_REFERENCE") == "1":
        REFERENCE.parent.mkdir(exist_ok=True)
        image.save(REFERENCE, optimize=True)
    reference = Image.open(REFERENCE).convert("RGB")
    assert reference.size == image.size
    assert _mean_abs_diff(image, reference) < 1.0
    # The comparison can fail: another indicator's map differs from the reference by far more.
    assert _mean_abs_diff(_reference_render(atlas, "borders_china"), reference) > 3.0


def test_svg_export_is_vector(atlas, pop_view):  # type: ignore[no-untyped-def]
    data = export_bytes("svg", atlas, pop_view, request=POP, options=PrintOptions(export_date=DAY))
    assert data.lstrip().startswith(b"<?xml") and b"<svg" in data[:2000]
    assert b'width="595' in data[:2000]  # A4 width in points
    text = unicodedata.normalize("NFC", data.decode("utf-8"))
    # Text stays text (svg.fonttype 'none'), so it can be edited in a vector editor.
    assert "<text" in text and "Dân số" in text and "Mường Tè" in text
    assert 'id="DejaVuSans-' not in text  # no glyph outlines (svg.fonttype 'path' writes them so)


def test_standalone_html_inlines_leaflet_and_loads_nothing_from_outside(atlas, pop_view):  # type: ignore[no-untyped-def]
    page = standalone_html(atlas, pop_view, request=POP, options=PrintOptions(export_date=DAY))
    leaflet = (Path(__file__).parents[1] / "static" / "vendor" / "leaflet" / "leaflet.js").read_text()
    assert leaflet[:300].replace("</script", "<\\/script") in page  # Leaflet's own code, inlined
    assert "L.map(" in page and ".leaflet-container" in page  # map script and Leaflet CSS
    assert "/app/static" not in page
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=", page)
    hosts = {re.sub(r"^https?://", "", u).split("/")[0] for u in re.findall(r"https?://[^\s\"'<>)]+", page)}
    assert not {h for h in hosts if re.search(r"cdn|unpkg|jsdelivr|googleapis|bootstrap|jquery|cloudflare", h)}
    assert "url(images/" not in page  # Leaflet's images as data URIs
    assert "Dân số (người)" in page and atlas.attribution(2024)[2] in page.replace("&#x27;", "'")


def test_geopackage_and_geojson_round_trip_with_attribution(atlas, pop_view, tmp_path):  # type: ignore[no-untyped-def]
    attribution = " | ".join(atlas.attribution(2024))
    for fmt in ("gpkg", "geojson"):
        path = tmp_path / f"layer.{fmt}"
        path.write_bytes(export_bytes(fmt, atlas, pop_view, request=POP))
        layer = pyogrio.read_dataframe(path)
        assert len(layer) == 14 and layer.crs.to_epsg() == 4326
        assert set(layer["attribution"]) == {attribution}
        row = layer.set_index("code").loc["03463"]
        assert row["unit_key"] == "2024:03463" and row["number"] == 7967
        assert row["class_color"] == pop_view.classification.colors["03463"]
        assert layer.set_index("code").loc["03440", "class_color"] == NO_DATA_FILL
        metadata = pyogrio.read_info(path).get("layer_metadata") or {}
        assert attribution in metadata.values()


def test_csv_and_xlsx_carry_vintage_and_attribution(atlas, pop_view):  # type: ignore[no-untyped-def]
    import openpyxl

    csv = export_bytes("csv", atlas, pop_view, request=POP, options=PrintOptions(export_date=DAY))
    assert csv[:3] == b"\xef\xbb\xbf"
    text = csv.decode("utf-8-sig")
    assert text.startswith("Năm ranh giới,Mã,Đơn vị")
    assert "2024,03433,Thị trấn Mường Tè" in text
    assert f"# {atlas.attribution(2024)[0]}" in text
    book = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", atlas, pop_view, request=POP)))
    notes = [c.value for c in book["notes"]["A"]]
    assert atlas.attribution(2024)[2] in notes


def test_report_pack_pdf_and_zip(atlas):  # type: ignore[no-untyped-def]
    requests = [MapRequest("population"), MapRequest("borders_china")]
    data = report_pack_pdf(atlas, requests, PrintOptions(export_date=DAY))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3  # two maps and one table page (28 rows)
    table = " ".join(unicodedata.normalize("NFC", reader.pages[2].extract_text()).split())
    assert "Bảng số liệu theo đơn vị" in table and "Giáp biên giới Trung Quốc" in table and "7.967 người" in table
    with zipfile.ZipFile(io.BytesIO(report_pack_zip(atlas, requests, PrintOptions(export_date=DAY)))) as archive:
        names = archive.namelist()
        assert names[:2] == [f"01_{file_name('population', 2024, 'latest', 'png')[:-4]}.png",
                             f"02_{file_name('borders_china', 2024, 'latest', 'png')[:-4]}.png"]
        assert archive.read(names[0])[:8] == b"\x89PNG\r\n\x1a\n"
        assert "muongte_v2024_values.csv" in names


@pytest.mark.parametrize("args, message", [
    (["--indicator", "no_such_indicator"], "unknown indicator 'no_such_indicator'"),
    (["--indicator", "population", "--period", "2023"], "no commune values of 'population' for period '2023'"),
    (["--indicator", "population", "--format", "odt"], "unknown format 'odt'"),
    (["--indicator", "population", "--paper", "letter"], "unknown paper 'letter'"),
    (["--indicator", "population", "--highlight", "99999"], "unknown unit codes to highlight"),
])
def test_cli_errors_are_one_line_with_exit_code_2(tmp_path, capsys, args, message):  # type: ignore[no-untyped-def]
    out = tmp_path / "map.pdf"
    assert main(["export", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err
    assert not out.exists()


def test_cli_writes_the_requested_format(tmp_path, capsys):  # type: ignore[no-untyped-def]
    out = tmp_path / "map.pdf"
    assert main(["export", "--indicator", "poverty_rate", "--period", "2015", "--format", "pdf",
                 "--out", str(out), "--title", "Tỷ lệ hộ nghèo ở Tá Bạ"]) == 0
    data = out.read_bytes()
    assert data[:5] == b"%PDF-" and "Tỷ lệ hộ nghèo ở Tá Bạ" in pdf_text(data)
    assert "6 tháng" not in pdf_text(data) and "Kỳ: 2015" in pdf_text(data)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_unit_labels_do_not_collide(atlas, pop_view, orientation):  # type: ignore[no-untyped-def]
    fig = map_figure(atlas, pop_view, POP, PrintOptions(orientation=orientation, export_date=DAY))
    renderer = fig.canvas.get_renderer()
    names = [t for t in fig.axes[0].texts if isinstance(t, Annotation) and t.get_color() != "white"]  # no halos
    assert len(names) == 14
    boxes = [t.get_window_extent(renderer) for t in names]
    overlaps = [(names[i].get_text(), names[j].get_text()) for i in range(14) for j in range(i + 1, 14)
                if boxes[i].overlaps(boxes[j])]
    assert overlaps == []
    town = next(t for t in names if t.get_text().startswith("TT. Mường Tè"))
    assert town.arrow_patch is not None  # the tiny town's name sits outside it, with a leader line

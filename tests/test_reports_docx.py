"""The Word report: opened again with python-docx, its page, styles, captions, tables and drafted
sentences are checked against the stored values."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from docx.shared import Mm

from mutte_geo.analysis.targets import atlas_targets, status_label
from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import NO_DATA, format_period
from mutte_geo.exports.docx_report import MARGINS_MM, ReportRequest, word_report
from mutte_geo.exports.narrative import draft_indicator
from mutte_geo.model.indicators import select
from mutte_geo.model.join import value_text
from mutte_geo.storage.auth import User

DAY = dt.date(2025, 7, 1)
CHOSEN = ("population", "borders_china", "waste_collection_pct")  # numeric, yes/no, district-only rate
EDITOR = User("lan", "editor")


@pytest.fixture(scope="module")
def report(atlas):  # type: ignore[no-untyped-def]
    data = word_report(atlas, ReportRequest(CHOSEN, export_date=DAY), user=None)
    return Document(io.BytesIO(data))


def _captions(doc, word: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs if p.style.name == "Caption" and p.text.startswith(word + " ")]


def _close(a: Mm, b: float) -> bool:
    return abs(a.mm - b) < 0.05


def test_page_is_a4_with_the_decree_margins_and_page_numbers(report) -> None:  # type: ignore[no-untyped-def]
    section = report.sections[0]
    assert _close(section.page_width, 210) and _close(section.page_height, 297)
    assert _close(section.top_margin, 20) and _close(section.bottom_margin, 20)
    assert _close(section.left_margin, 30) and _close(section.right_margin, 15)
    # Nghị định 30/2020/NĐ-CP ranges: top/bottom 20–25, left 30–35, right 15–20 mm.
    assert 20 <= MARGINS_MM["top"] <= 25 and 20 <= MARGINS_MM["bottom"] <= 25
    assert 30 <= MARGINS_MM["left"] <= 35 and 15 <= MARGINS_MM["right"] <= 20
    assert section.different_first_page_header_footer  # no number on page 1
    assert "PAGE" in section.header.paragraphs[0]._p.xml


def test_styles_are_times_new_roman_13_to_14_pt(report) -> None:  # type: ignore[no-untyped-def]
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "Table Text"):
        font = report.styles[name].font
        assert font.name == "Times New Roman", name
        assert 13 <= font.size.pt <= 14, name
        fonts = report.styles[name].element.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == \
            "Times New Roman"
    body = [p for p in report.paragraphs if p.style.name == "Normal" and len(p.text) > 80]
    assert body and all(p.alignment == 3 for p in body)  # justified


def test_title_and_headings(report) -> None:  # type: ignore[no-untyped-def]
    titles = [p.text for p in report.paragraphs if p.style.name == "Title"]
    assert titles == ["BÁO CÁO", "Số liệu một số chỉ tiêu phát triển kinh tế - xã hội theo xã, thị trấn"]
    headings = [p.text for p in report.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["1. Dân số", "2. Giáp biên giới Trung Quốc",
                        "3. Tỷ lệ xã, thị trấn được thu gom, xử lý rác thải sinh hoạt"]
    letterhead = report.tables[0].rows[0].cells
    assert "HUYỆN MƯỜNG TÈ" in letterhead[0].text and "Độc lập - Tự do - Hạnh phúc" in letterhead[1].text


def test_figures_and_tables_are_numbered_in_order_with_sources(report, atlas) -> None:  # type: ignore[no-untyped-def]
    figures = _captions(report, "Hình")
    tables = _captions(report, "Bảng")
    # Two indicators have commune values (a map each); the waste rate is district-only (no map).
    assert [re.match(r"Hình (\d+)\.", c).group(1) for c in figures] == ["1", "2"]  # type: ignore[union-attr]
    assert [re.match(r"Bảng (\d+)\.", c).group(1) for c in tables] == ["1", "2", "3"]  # type: ignore[union-attr]
    assert figures[0].startswith("Hình 1. Dân số.")
    assert tables[2] == "Bảng 3. Kết quả thực hiện so với chỉ tiêu năm 2025 (toàn huyện)"
    for caption in figures:
        assert "Nguồn số liệu:" in caption and "Ranh giới mang tính tham khảo" in caption
        assert "sapnhap.bando.com.vn" in caption  # boundary attribution
    seq = [p for p in report.paragraphs if p.style.name == "Caption"]
    assert all("SEQ" in p._p.xml for p in seq)  # Word renumbers them when staff edit
    pictures = report.inline_shapes
    assert len(pictures) == 2
    assert all(abs(s.width.mm - 135) < 0.1 for s in pictures)


def test_map_pictures_are_300_dpi_print_layouts(report) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    blobs = [rel.target_part.blob for rel in report.part.rels.values() if "image" in rel.reltype]
    assert len(blobs) == 2
    for blob in blobs:
        image = Image.open(io.BytesIO(blob))
        assert image.size == (2480, 3508)  # A4 at 300 dpi


def test_commune_tables_hold_the_stored_values(report, atlas) -> None:  # type: ignore[no-untyped-def]
    tables = [t for t in report.tables if t.rows[0].cells[0].text == "STT"]
    population, candidates, targets = tables
    units = atlas.units[2024]
    for table, ident in ((population, "population"), (candidates, "borders_china")):
        indicator = atlas.catalogue[ident]
        stored = select(atlas.values, indicator=ident, vintage=2024)
        body = table.rows[1:]
        assert len(body) == len(units)
        for row in body:
            cells = [c.text for c in row.cells]
            code = cells[2]
            assert cells[1] == units[code].label("vi")
            if code in stored.index:
                expected = value_text(indicator, stored.loc[code], "vi")
                assert cells[3].removesuffix(" (chưa chắc chắn)") == expected
                assert cells[4].startswith(format_period(str(stored.loc[code, "period"]), "vi"))
            else:
                assert cells[3] == NO_DATA["vi"] and cells[4] == ""
    assert population.style.name == "Table Grid"
    for cell in population.rows[1].cells:
        assert cell.paragraphs[0].style.name == "Table Text"
    rows = atlas_targets(atlas)
    numbered = [r for r in targets.rows[1:] if r.cells[0].text]
    assert len(numbered) == len(rows)
    forest = next(r for r in numbered if r.cells[1].text == "Tỷ lệ che phủ rừng")
    assert [c.text for c in forest.cells[2:]] == ["66,8% (2024, ước)", "68,5%", "−1,7 điểm %",
                                                  status_label("behind", "vi")]


def test_drafted_sentences_quote_the_stored_numbers(report, atlas) -> None:  # type: ignore[no-untyped-def]
    body = [p.text for p in report.paragraphs if p.style.name == "Normal"]
    waste = next(t for t in body if "rác thải" in t)
    # The report's own figures: 12 of 14 units, reported as 84.6% although 12/14 = 85.7%.
    assert "Năm 2024, số xã, thị trấn được thu gom, xử lý rác thải sinh hoạt là 12/14 (báo cáo ghi 84,6%; " \
           "12/14 = 85,7%)." in waste
    values = atlas.values
    district = values[(values["unit_code"] == "107") & (values["period"] == "2024")].set_index("indicator")
    assert district.loc["waste_collection_units", "number"] == 12
    assert district.loc["commune_units", "number"] == 14
    assert district.loc["waste_collection_pct", "number"] == 84.6

    candidates = next(t for t in body if "giáp biên giới Trung Quốc”" in t)
    stored = select(values, indicator="borders_china", vintage=2024)
    named = [atlas.units[2024][c].label("vi") for c in stored.index[stored["value"] == "yes"]]
    assert f"có {len(named)}/{len(stored)} xã, thị trấn thuộc diện" in candidates
    assert all(name in candidates for name in named)

    population = next(t for t in body if t.startswith("Theo số liệu mới nhất của từng đơn vị, dân số"))
    latest = select(values, indicator="population", vintage=2024)
    high, low = latest["number"].idxmax(), latest["number"].idxmin()
    people = atlas.catalogue["population"]
    units = atlas.units[2024]
    assert f"cao nhất ở {units[high].label('vi')} ({value_text(people, latest.loc[high], 'vi')}" in population
    assert f"thấp nhất ở {units[low].label('vi')} ({value_text(people, latest.loc[low], 'vi')}" in population
    assert f"{len(latest)}/14 xã, thị trấn có số liệu" in population


def _spellings(number: float) -> set[str]:
    """Every way a report may write ``number``: 0–3 decimals, trimmed or not, Vietnamese or English."""
    out = set()
    for decimals in range(4):
        en = f"{number:,.{decimals}f}"
        vi = en.replace(",", "\0").replace(".", ",").replace("\0", ".")
        out |= {en, vi}
        if decimals:
            out |= {en.rstrip("0").rstrip("."), vi.rstrip("0").rstrip(",")}
    return out


@pytest.mark.parametrize("ident", ["population", "poverty_rate", "area", "borders_china", "main_ethnic_group",
                                   "forest_cover", "waste_collection_pct", "income_per_capita"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_number_in_a_draft_comes_from_a_stored_value(atlas, ident, lang) -> None:  # type: ignore[no-untyped-def]
    """Each number of the paragraph is a quoted stored value, the difference or ratio of two quoted
    values (gap to target, 12/14 = 85,7%), a period, the target year or a count of units."""
    draft = draft_indicator(atlas, ident, vintage=2024, lang=lang)
    assert draft.facts
    quoted = [float(f.value) for f in draft.facts if re.fullmatch(r"\d+(\.\d+)?", f.value)]
    allowed = {"2025"} | {str(n) for n in range(15)}  # the target year; counts of units (14 in 2024)
    for a in quoted:
        allowed |= _spellings(a)
        for b in quoted:
            allowed |= _spellings(abs(a - b))
            if b:
                allowed |= _spellings(100 * a / b)
    for fact in draft.facts:
        allowed |= set(re.findall(r"\d+", fact.period))
        allowed |= set(re.findall(r"\d+(?:[.,]\d+)*", fact.source))  # "năm 2025", "mục I.2.1" in source names
    numbers = re.findall(r"\d+(?:[.,]\d+)*", draft.text)
    assert numbers
    assert [n for n in numbers if n not in allowed] == [], draft.text


def test_the_sentence_check_can_fail(atlas) -> None:  # type: ignore[no-untyped-def]
    """The waste sentence changes when the stored count changes: its numbers are read, not written in."""
    values = atlas.values.copy()
    row = (values["indicator"] == "waste_collection_units") & (values["unit_code"] == "107")
    values.loc[row, ["value", "number"]] = ["11", 11.0]
    text = draft_indicator(atlas.with_values(values), "waste_collection_pct", vintage=2024, lang="vi").text
    assert "là 11/14 (báo cáo ghi 84,6%; 11/14 = 78,6%)" in text


def test_english_report(atlas) -> None:  # type: ignore[no-untyped-def]
    doc = Document(io.BytesIO(word_report(atlas, ReportRequest(("population",), lang="en", export_date=DAY),
                                          user=None)))
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"][0] == "REPORT"
    assert _captions(doc, "Figure")[0].startswith("Figure 1. Population.")
    assert _captions(doc, "Table")[0] == "Table 1. Population by communes and towns (latest value of each unit)"
    assert doc.core_properties.language == "en"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Hình" not in text and "Bảng" not in text


@pytest.mark.parametrize(("indicators", "vintage", "message"), [
    ((), 2024, "choose at least one indicator"),
    (("income_per_capita",), 2025, "has no values in the 2025 boundaries"),
    (("no_such_indicator",), 2024, "unknown indicator 'no_such_indicator'"),
])
def test_a_bad_choice_gives_a_clear_message_and_no_file(atlas, indicators, vintage, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExportError, match=message):
        word_report(atlas, ReportRequest(indicators, vintage), user=EDITOR)


def test_a_period_without_values_is_refused_and_one_with_values_is_reported(atlas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExportError, match="'population' has no values for period '2023'"):
        word_report(atlas, ReportRequest(("population",), period="2023"), user=None)
    doc = Document(io.BytesIO(word_report(atlas, ReportRequest(("population",), period="2009"), user=None)))
    assert _captions(doc, "Bảng")[0] == "Bảng 1. Dân số theo xã, thị trấn (2009)"
    body = [p.text for p in doc.paragraphs if p.style.name == "Normal"]
    assert any(t.startswith("Năm 2009, dân số cao nhất ở") for t in body)


def test_the_sensitive_layer_never_reaches_a_visitor(atlas) -> None:  # type: ignore[no-untyped-def]
    hotspot = atlas.catalogue["security_hotspot"]
    with pytest.raises(ExportError, match="unknown indicator 'security_hotspot'"):
        word_report(atlas, ReportRequest(("security_hotspot",)), user=None)
    with pytest.raises(ExportError, match="unknown indicator"):
        word_report(atlas, ReportRequest(("security_hotspot",)), user=User("intern", "editor", sensitive=False))
    visitor = Document(io.BytesIO(word_report(atlas, ReportRequest(("population",)), user=User("v", "viewer"))))
    editor = Document(io.BytesIO(word_report(atlas, ReportRequest(("population", "security_hotspot")), user=EDITOR)))

    def everything(doc) -> str:  # type: ignore[no-untyped-def]
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)

    assert hotspot.name_vi in everything(editor)  # the check can fail: an allowed user gets the layer
    assert hotspot.name_vi not in everything(visitor) and "an ninh" not in everything(visitor).lower()

"""The Word report's NTM commune × criterion grid (TEST DATA assessments), read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pandas as pd
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.exports.reports import report_bytes
from mutte_geo.model.ntm import empty_assessments, load_criteria_sets
from mutte_geo.model.units import TOWN_TYPE
from mutte_geo.storage.ntm_import import parse_ntm_file
from tests.ntm_testdata import TEST_SOURCE, filled_workbook, sample_status

DAY = dt.date(2025, 7, 1)
SETS = load_criteria_sets()
QD318 = SETS["qd318_2021_2025"]
MARKS = {"vi": {"Đạt": "Đ", "Chưa đạt": "C", "": ""}, "en": {"Đạt": "M", "Chưa đạt": "N", "": ""}}


@pytest.fixture(scope="module")
def assessments(units):  # type: ignore[no-untyped-def]
    """TEST DATA: the filled template's 2023 and 2024 self-assessments, as the store holds them."""
    frames = []
    for year in (2023, 2024):
        parsed = parse_ntm_file(filled_workbook(QD318, units, year=year, assessor="xã"), f"TEST_{year}.xlsx",
                                sets=SETS, units=units)
        assert parsed.ok, parsed.problems
        frames.append(parsed.rows)
    return pd.concat(frames, ignore_index=True)


def report(atlas, assessments, lang: str = "vi"):  # type: ignore[no-untyped-def]
    data = report_bytes("docx", atlas, user=None, indicators=("population",), lang=lang, export_date=DAY,
                        ntm_assessments=assessments)
    return Document(io.BytesIO(data))


def grid_of(doc):  # type: ignore[no-untyped-def]
    tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells][2:4] == ["1", "2"]]
    assert len(tables) == 1
    return [[c.text for c in row.cells] for row in tables[0].rows]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_grid_holds_every_communes_stored_result_of_the_newest_year(atlas, assessments, lang) -> None:  # type: ignore[no-untyped-def]
    rows = grid_of(report(atlas, assessments, lang))
    numbers = [c.number for c in QD318.criteria]
    assert rows[0] == ["STT" if lang == "vi" else "No.", "Xã" if lang == "vi" else "Commune",
                       *map(str, numbers), "Đạt" if lang == "vi" else "Met"]
    communes = [u for u in atlas.units[2024].values() if u.unit_type != TOWN_TYPE]
    assert [r[1] for r in rows[1:-1]] == [u.name_vi for u in communes]
    for index, row in enumerate(rows[1:-1]):
        expected = [MARKS[lang][sample_status(index, n, 2024)] for n in numbers]  # 2024: the newest year
        assert row[2:-1] == expected, row[1]
        assert row[-1] == f"{expected.count(MARKS[lang]['Đạt'])}/19"
    met_per_criterion = [sum(sample_status(i, n, 2024) == "Đạt" for i in range(len(communes))) for n in numbers]
    assert rows[-1][2:] == [*map(str, met_per_criterion), f"/{len(communes)}"]


def test_the_grid_cites_its_criteria_set_and_sources_and_is_numbered_in_order(atlas, assessments) -> None:  # type: ignore[no-untyped-def]
    doc = report(atlas, assessments)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ("Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025 ban hành kèm theo Quyết định số "
            "318/QĐ-TTg ngày 08/03/2022 của Thủ tướng Chính phủ (19 tiêu chí)") in text
    assert QD318.source in text and TEST_SOURCE in text and "17 Môi trường và an toàn thực phẩm" in text
    assert "Đ: đạt; C: chưa đạt; ô trống: chưa đánh giá" in text
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption" and p.text.startswith("Bảng ")]
    assert [c.split(".")[0] for c in captions] == [f"Bảng {i}" for i in range(1, len(captions) + 1)]
    assert captions[-1].endswith("Kết quả thực hiện tiêu chí nông thôn mới năm 2024 theo xã (Quyết định 318/QĐ-TTg)")
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert round(doc.sections[1].page_width.mm) == 297


def test_without_assessments_the_report_has_no_grid(atlas) -> None:  # type: ignore[no-untyped-def]
    doc = report(atlas, empty_assessments())
    assert not any("nông thôn mới" in p.text for p in doc.paragraphs if p.style.name == "Caption")
    assert len(doc.sections) == 1


def test_the_export_panel_reads_ntm_assessments_without_declaring_the_map_component() -> None:
    """The server's warm-up imports the export panel; a map component declared then is never served (404)."""
    code = "import sys, mutte_geo.ui.exportui; print('streamlit_folium' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert done.stdout.strip() == "False"


def test_the_commune_atlas_page_shows_the_communes_ntm_result_and_gaps(atlas, assessments) -> None:  # type: ignore[no-untyped-def]
    from tests.test_reports_pdf import pages_text

    ka_lang, town = (" ".join(pages_text(report_bytes("atlas", atlas, user=None, vintage=2024, units=[code],
                                                       export_date=DAY, ntm_assessments=assessments)))
                     for code in ("03439", "03433"))
    statuses = {n: sample_status(1, n, 2024) for n in range(1, 20)}  # Ka Lăng: the template's second commune
    met = sum(s == "Đạt" for s in statuses.values())
    missing = ", ".join(QD318.criterion(n).label("vi") for n, s in statuses.items() if s == "Chưa đạt")  # type: ignore[union-attr]
    unassessed = ", ".join(str(n) for n, s in statuses.items() if not s)
    assert f"Nông thôn mới Năm 2024: đạt {met}/19 tiêu chí (Quyết định 318/QĐ-TTg)" in ka_lang
    assert f"Còn thiếu: {missing}" in ka_lang and f"Chưa đánh giá: tiêu chí {unassessed}" in ka_lang
    assert f"Nguồn đánh giá: {TEST_SOURCE}" in ka_lang
    assert "Nông thôn mới" not in town  # the programme applies to communes only

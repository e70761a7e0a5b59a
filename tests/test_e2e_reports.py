"""End to end: the brief (overview), the Word report (map page) and a unit's atlas page (profile)
are made with visible progress and downloaded; a visitor's files hold no sensitive layer."""

from __future__ import annotations

import io

import pymupdf
import pytest
from docx import Document

from mutte_geo.maps.view import default_indicator
from mutte_geo.model.atlas import Atlas

from .conftest import ARTIFACTS, map_frame, wait_until_idle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _make_and_download(page, make: str, download: str) -> bytes:  # type: ignore[no-untyped-def]
    button = page.get_by_role("button", name=make)
    button.scroll_into_view_if_needed()
    wait_until_idle(page)
    button.click()
    link = page.get_by_role("button", name=download)
    link.wait_for(timeout=120000)
    with page.expect_download(timeout=60000) as info:
        link.click()
    assert info.value.failure() is None
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def _pdf_text(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return " ".join(" ".join(p.get_text() for p in doc).split())


def test_overview_makes_the_one_page_brief(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(DESKTOP)
    page.goto(app_url)
    data = _make_and_download(page, "Tạo bản tóm tắt một trang (PDF)", "Tải xuống muongte_brief_2025_targets.pdf")
    assert page.get_by_text("Đã tạo muongte_brief_2025_targets.pdf").count() == 1  # the progress box, completed
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports_overview_desktop.png"))
    text = _pdf_text(data)
    assert "TÓM TẮT CHO LÃNH ĐẠO" in text and "Trọng tâm chuyên cần" in text
    assert "An ninh" not in text  # not signed in: no security hotspots
    assert page.external_requests == []


def test_overview_brief_on_a_phone(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(app_url)
    data = _make_and_download(page, "Tạo bản tóm tắt một trang (PDF)", "Tải xuống muongte_brief_2025_targets.pdf")
    assert data[:5] == b"%PDF-"
    page.get_by_role("button", name="Tải xuống muongte_brief_2025_targets.pdf").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "reports_overview_phone.png"))
    context.close()


def test_map_page_makes_the_word_report(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(DESKTOP)
    page.goto(f"{app_url}/map")
    map_frame(page)
    page.get_by_text("Báo cáo Word (bản đồ, bảng số liệu, nhận xét) và atlas xã (PDF)").click()
    data = _make_and_download(page, "Tạo báo cáo Word", "Tải xuống muongte_v2024_report.docx")
    page.screenshot(path=str(ARTIFACTS / "reports_map_desktop.png"), full_page=True)
    doc = Document(io.BytesIO(data))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    atlas = Atlas.load()
    shown = default_indicator(atlas, 2024)  # the map page opens on the trusted default map
    name = atlas.catalogue[shown].name("vi")
    assert captions[0].startswith(f"Hình 1. {name}.") and captions[1].startswith(f"Bảng 1. {name} theo xã, thị trấn")
    assert doc.sections[0].left_margin.mm == pytest.approx(30, abs=0.05)


def test_profile_makes_the_units_atlas_page(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    page.goto(f"{app_url}/profile?unit=2024:03439")
    page.get_by_role("heading", name="Xã Ka Lăng").wait_for(timeout=60000)
    data = _make_and_download(page, "Tạo trang atlas của đơn vị này (PDF)", "Tải xuống muongte_v2024_03439_atlas.pdf")
    page.screenshot(path=str(ARTIFACTS / "reports_profile_phone.png"), full_page=True)
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert doc.page_count == 1
    text = _pdf_text(data)
    assert "Xã Ka Lăng Mã 03439 · ranh giới năm 2024" in text
    assert "An ninh" not in text

"""End to end: the Lai Châu region in headless Chromium — 38 coloured units, the region in the title, the
published gap in the legend; screenshots at desktop and phone size."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, map_frame

pytestmark = pytest.mark.e2e

NO_DATA_FILL = "#cfcfcf"
PENDING_FILL = "#ffffff"  # the style before the style layer arrives


def _fills(frame) -> list[str]:  # type: ignore[no-untyped-def]
    return frame.locator("path.leaflet-interactive").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")


def test_province_map_colours_38_units_and_names_the_province(page, app_url):  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map?region=laichau")
    frame = map_frame(page, legend_contains="Diện tích tự nhiên")  # the province's trustworthy default
    fills = _fills(frame)
    assert len(fills) == 38
    assert all(f and f.lower() not in (NO_DATA_FILL, PENDING_FILL) for f in fills), fills
    assert page.get_by_role("heading", name="Bản đồ chỉ tiêu theo xã – tỉnh Lai Châu").is_visible()
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("2025 (38 xã, phường)").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "region_laichau_desktop.png"))

    page.get_by_label("Chỉ tiêu", exact=True).click()
    page.get_by_role("option", name="Dân số · Dân cư").click()
    frame = map_frame(page, legend_contains="Nậm Sỏ")
    legend = frame.locator(".atlas-legend").inner_text()
    assert "Không có dữ liệu (1)" in legend and "Lê Lợi" in legend
    assert [f.lower() for f in _fills(frame)].count(NO_DATA_FILL) == 1  # Nậm Sỏ only
    assert "huyện Mường Tè" not in page.get_by_test_id("stMain").inner_text().split("Tải xuống")[0]
    assert page.external_requests == []


def test_province_map_on_a_phone(browser, app_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/map?region=laichau")
        frame = map_frame(page, legend_contains="Diện tích tự nhiên")
        assert frame.locator("path.leaflet-interactive").count() == 38
        page.locator("iframe").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "region_laichau_phone.png"), full_page=False)
    finally:
        context.close()

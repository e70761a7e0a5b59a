"""End to end: split views pan and zoom together, trends draw offline; screenshots on desktop and phone."""

from __future__ import annotations

import time

import pytest

from .conftest import ARTIFACTS, LOCAL_PREFIXES, map_frame

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _group_frames(pg, group: str, count: int = 2, timeout_s: float = 40.0):  # type: ignore[no-untyped-def]
    """The map frames of one sync group once each has drawn its polygons."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = []
        for frame in pg.frames:
            try:
                if "st_folium" in frame.url and frame.evaluate("window.atlasSyncGroup || ''") == group \
                        and frame.locator("path.leaflet-interactive").count() > 0:
                    found.append(frame)
            except Error:
                continue
        if len(found) >= count:
            return found
        pg.wait_for_timeout(250)
    raise AssertionError(f"the {count} maps of group {group!r} were not drawn")


def _shoot(pg, locator, path) -> None:  # type: ignore[no-untyped-def]
    """A screenshot of the viewport with ``locator`` scrolled to its top (Streamlit scrolls inside the page)."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    pg.wait_for_timeout(700)
    pg.screenshot(path=str(path))


def _context(browser, viewport):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport)
    pg = context.new_page()
    external: list[str] = []
    pg.on("request", lambda req: None if req.url.startswith(LOCAL_PREFIXES) else external.append(req.url))
    return context, pg, external


def test_compare_page_maps_share_one_legend_and_move_together(page, app_url):  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/compare")
    left, right = _group_frames(page, "compare")
    assert {left.locator("path.leaflet-interactive").count(), right.locator("path.leaflet-interactive").count()} \
        == {14, 8}
    legend = page.locator(".split-legend").inner_text()
    assert "cùng màu là cùng giá trị" in legend and "Ranh giới 2024:" in legend
    page.wait_for_timeout(500)  # the sync starts after each map's first fit
    zoom = left.evaluate("window.atlasMap.getZoom()")
    left.evaluate("window.atlasMap.setView([22.3, 102.6], window.atlasMap.getZoom() + 1, {animate: false})")
    page.wait_for_timeout(300)
    assert right.evaluate("window.atlasMap.getZoom()") == zoom + 1
    center = right.evaluate("[window.atlasMap.getCenter().lat, window.atlasMap.getCenter().lng]")
    assert center == pytest.approx([22.3, 102.6], abs=1e-6)
    right.evaluate("window.atlasMap.setZoom(window.atlasMap.getZoom() - 1, {animate: false})")  # and back
    page.wait_for_timeout(300)
    assert left.evaluate("window.atlasMap.getZoom()") == zoom
    assert page.external_requests == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screens_of_the_comparisons_and_trends(browser, app_url, viewport):  # type: ignore[no-untyped-def]
    context, pg, external = _context(browser, viewport)
    name = "desktop" if viewport is DESKTOP else "phone"
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        pg.goto(f"{app_url}/compare")
        _group_frames(pg, "compare")
        _shoot(pg, pg.locator(".split-legend"), ARTIFACTS / f"split_compare_{name}.png")
        if viewport is PHONE:
            _shoot(pg, pg.locator("iframe[title='streamlit_folium.st_folium']").nth(1),
                   ARTIFACTS / f"split_compare_{name}_2.png")

        pg.goto(f"{app_url}/periods")
        _group_frames(pg, "periods")
        _shoot(pg, pg.locator(".split-legend"), ARTIFACTS / f"split_periods_{name}.png")
        pg.get_by_text("Bản đồ thay đổi").click()
        pg.locator("iframe[title='streamlit_folium.st_folium']").first.wait_for(timeout=30000)
        pg.wait_for_timeout(2500)
        _shoot(pg, pg.locator("iframe[title='streamlit_folium.st_folium']").first, ARTIFACTS / f"change_map_{name}.png")

        pg.goto(f"{app_url}/profile?unit=2024:03451")
        pg.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=30000)
        pg.wait_for_timeout(1500)
        charts = pg.locator("[data-testid='stVegaLiteChart']")
        assert charts.count() >= 2  # area and population of Mù Cả
        assert pg.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").count() >= 2
        _shoot(pg, pg.get_by_text("Diễn biến qua các kỳ", exact=True), ARTIFACTS / f"trends_profile_{name}.png")

        pg.goto(f"{app_url}/map?indicator=population")  # a numeric map (the default map is a yes/no list)
        map_frame(pg, legend_contains="Dân số")
        pg.get_by_text("Giữ lớp cho mọi kỳ").click()
        map_frame(pg, legend_contains="Các lớp giữ nguyên cho mọi kỳ")  # the legend says the classes are locked
        pg.get_by_role("button", name="◀ Kỳ trước").click()
        frame = map_frame(pg, legend_contains="Không có dữ liệu (12)")  # 2025: two communes have a value
        legend = frame.locator(".atlas-legend").text_content() or ""  # closed on a phone
        assert "Các lớp giữ nguyên cho mọi kỳ" in legend
        _shoot(pg, pg.get_by_role("heading", name="Bản đồ chỉ tiêu theo xã – huyện Mường Tè"),
               ARTIFACTS / f"map_stepper_{name}.png")

        pg.goto(app_url)
        expander = pg.get_by_text("Diễn biến qua các kỳ (toàn huyện)").nth(3)  # health
        expander.click()
        pg.locator("[data-testid='stVegaLiteChart'] >> visible=true").first.wait_for(timeout=30000)
        pg.wait_for_timeout(1500)
        _shoot(pg, expander, ARTIFACTS / f"trends_overview_{name}.png")
        assert external == []
    finally:
        context.close()

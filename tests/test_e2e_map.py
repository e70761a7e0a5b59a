"""End to end: the app in headless Chromium, offline, as a user drives it."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, map_frame, running_app

pytestmark = pytest.mark.e2e


def _legend_text(frame) -> str:  # type: ignore[no-untyped-def]
    return frame.locator(".atlas-legend").inner_text()


def test_map_draws_14_units_and_legend_changes_with_indicator(page, app_url):  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map")
    frame = map_frame(page, legend_contains="Giáp biên giới Trung Quốc")  # the trustworthy default
    assert frame.locator("path.leaflet-interactive").count() == 14
    first_legend = _legend_text(frame)
    assert "Có (6)" in first_legend and "Không (8)" in first_legend
    attribution = frame.locator(".leaflet-control-attribution")
    assert "Ranh giới mang tính tham khảo" not in attribution.inner_text()  # one short line ...
    attribution.locator("summary").click()
    assert "Ranh giới mang tính tham khảo" in attribution.inner_text()  # ... that expands

    page.get_by_label("Chỉ tiêu", exact=True).click()
    page.get_by_role("option", name="Dân số · Dân cư").click()
    frame = map_frame(page, legend_contains="Dân số")
    legend = _legend_text(frame)
    assert legend != first_legend
    assert "Dân số" in legend and "Không có dữ liệu" in legend and "Màu đậm hơn = cao hơn" in legend
    assert frame.locator("path.leaflet-interactive").count() == 14
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map_borders_china.png"))
    assert page.external_requests == []


def test_clicking_a_unit_opens_its_profile(page, app_url):  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map")
    frame = map_frame(page, legend_contains="Giáp biên giới Trung Quốc")
    frame.locator("path.leaflet-interactive").nth(4).click()  # features are in code order: 03442 Pa Ủ
    heading = page.get_by_role("heading", name="Hồ sơ: Xã Pa Ủ (03442)")
    heading.wait_for(timeout=20000)
    profile = page.get_by_test_id("stDataFrame").first
    assert profile.is_visible()
    assert page.external_requests == []


def test_a_shared_page_link_opens_inside_the_app_on_a_fresh_server(page, app_url):  # type: ignore[no-untyped-def]
    # The session server may already have served "/"; start a fresh one for a first visit by link.
    with running_app("streamlit_fresh.log") as url:
        page.goto(f"{url}/map?lang=en")
        map_frame(page, legend_contains="Borders China")
        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_by_text("Ngôn ngữ / Language").is_visible()
        assert sidebar.get_by_text("Indicator map").is_visible()
        assert not sidebar.get_by_text("completeness", exact=True).is_visible()

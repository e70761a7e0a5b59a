"""End to end: the overview is the landing page, with its attention map, entirely offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, map_frame

pytestmark = pytest.mark.e2e


def test_overview_opens_with_targets_and_switchable_attention_layers(page, app_url):  # type: ignore[no-untyped-def]
    page.goto(app_url)
    frame = map_frame(page)  # the overview's only map
    assert frame.locator("path.leaflet-interactive").count() == 14  # every 2024 unit, under the layers
    legend = frame.locator(".attention-legend").inner_text()
    assert "Xã được báo cáo nêu tên" in legend
    for name in ("Trọng tâm chuyên cần (kế hoạch 2025) (6)", "Dự kiến đạt NTM (kế hoạch 2025) (2)",
                 "Giáp biên giới Trung Quốc (6)"):
        assert name in legend
    # security hotspots are a sensitive layer: a visitor who has not signed in never sees it
    assert "An ninh trật tự phức tạp" not in legend
    assert "Ranh giới mang tính tham khảo" in frame.locator(".leaflet-control-attribution").text_content()

    symbols = frame.locator(".attention-symbol")
    expect(symbols).to_have_count(6 + 2 + 6)
    switches = frame.locator(".leaflet-control-layers-overlays input[type=checkbox]")
    expect(switches).to_have_count(3)
    switches.nth(0).uncheck()  # school-attendance priority off
    expect(symbols).to_have_count(2 + 6)
    switches.nth(0).check()
    expect(symbols).to_have_count(6 + 2 + 6)

    page.get_by_text("Chưa đạt chỉ tiêu 2025").first.wait_for()
    assert page.locator(".badge.status-behind").count() == 13 + 1
    assert page.get_by_text("17.860 tấn").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    heading = page.get_by_role("heading", name="Y tế")
    expect(heading).not_to_be_in_viewport()  # below the fold
    # Streamlit scrolls inside the page: a viewport as tall as the page's content shows all of it
    tall = page.evaluate("() => document.querySelector('[data-testid=stMainBlockContainer]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": int(tall) + 200})
    expect(heading).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / "overview.png"))
    assert page.external_requests == []

"""End to end: build a two-condition filter in headless Chromium and check the highlighted polygons."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from mutte_geo.analysis.filters import MATCH, UNKNOWN
from mutte_geo.maps.filtermap import OUTCOME_COLORS

from .conftest import ARTIFACTS, map_frame

pytestmark = pytest.mark.e2e

ETHNIC = "Dân tộc chiếm đa số"


def _styles(frame) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    paths = frame.locator("path.leaflet-interactive")
    return [(paths.nth(i).get_attribute("stroke-width") or "", paths.nth(i).get_attribute("fill") or "")
            for i in range(paths.count())]


def _names_of_highlighted(frame) -> list[str]:  # type: ignore[no-untyped-def]
    """Hover each strongly outlined polygon and read the unit name from its tooltip."""
    names = []
    paths = frame.locator("path.leaflet-interactive")
    for i in range(paths.count()):
        path = paths.nth(i)
        if path.get_attribute("stroke-width") != "3":
            continue
        box = path.bounding_box()
        assert box is not None
        path.dispatch_event("mouseover", {"clientX": box["x"] + box["width"] / 2,
                                          "clientY": box["y"] + box["height"] / 2})
        tooltip = frame.locator(".leaflet-tooltip").last
        names.append(tooltip.inner_text().splitlines()[0].split("\t")[-1].strip())
        path.dispatch_event("mouseout")
    return names


def test_two_condition_filter_highlights_the_matching_units(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url)
    page.get_by_role("link", name="Lọc xã theo tiêu chí").click()
    add = page.get_by_role("button", name="Thêm điều kiện")
    add.click()
    map_frame(page, legend_contains="Giáp biên giới Trung Quốc")  # condition 1: borders China is Yes
    add.click()
    page.get_by_label("Chỉ tiêu 2", exact=True).click()
    page.keyboard.type(ETHNIC)  # the list is long: type to find the indicator
    page.get_by_role("option", name=re.compile(f"^{ETHNIC}")).click()
    map_frame(page, legend_contains=ETHNIC)
    page.get_by_label("Giá trị", exact=True).nth(1).click()
    page.get_by_role("option", name="La Hủ").click()
    frame = map_frame(page, legend_contains="La Hủ")

    legend = frame.locator(".atlas-legend").inner_text()
    assert "thỏa mãn tất cả" in legend and "“Giáp biên giới Trung Quốc” là Có và" in legend
    assert "Thỏa mãn (3)" in legend and "Không thỏa mãn (11)" in legend
    styles = _styles(frame)
    assert len(styles) == 14
    highlighted = [fill for width, fill in styles if width == "3"]
    assert highlighted == [OUTCOME_COLORS[MATCH]] * 3
    assert all(fill != OUTCOME_COLORS[MATCH] for width, fill in styles if width != "3")
    assert sorted(_names_of_highlighted(frame)) == ["Xã Pa Vệ Sủ", "Xã Pa Ủ", "Xã Tá Bạ"]

    assert "c=borders_china:is:yes;main_ethnic_group:is:la_hu" in unquote(page.url)
    assert "vintage=2024" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1700})  # builder, legend and map in one picture
    map_frame(page, legend_contains=ETHNIC)
    expect(page.locator("iframe").first).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / "filter.png"))

    # The link alone reproduces the result in a new tab.
    other = page.context.new_page()
    other.goto(page.url)
    again = map_frame(other, legend_contains=ETHNIC)
    assert [fill for width, fill in _styles(again) if width == "3"] == [OUTCOME_COLORS[MATCH]] * 3
    other.close()
    assert page.external_requests == []


def test_cannot_tell_is_drawn_apart(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/filter?vintage=2024&c=borders_china:is:yes;stunting_u5:gt:20")
    frame = map_frame(page, legend_contains="thấp còi")
    assert "Không xác định được (thiếu dữ liệu) (6)" in frame.locator(".atlas-legend").inner_text()
    fills = [fill for _, fill in _styles(frame)]
    assert fills.count(OUTCOME_COLORS[UNKNOWN]) == 6 and OUTCOME_COLORS[MATCH] not in fills
    outlines = frame.locator("path.filter-unknown")  # dashed outline layer, not interactive
    assert outlines.count() == 6 and outlines.first.get_attribute("stroke-dasharray") == "6 4"
    assert page.external_requests == []

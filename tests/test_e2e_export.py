"""End to end: the export button of the map page delivers a real file; the offline HTML works offline."""

from __future__ import annotations

import datetime as dt

import pytest

from mutte_geo.exports.offline_html import standalone_html
from mutte_geo.maps.printoptions import PrintOptions
from mutte_geo.maps.view import MapRequest, map_view

from .conftest import ARTIFACTS, map_frame

pytestmark = pytest.mark.e2e


def _download(page, name: str) -> bytes:  # type: ignore[no-untyped-def]
    button = page.get_by_role("button", name=name)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60000) as info:
        button.click()
    download = info.value
    assert download.failure() is None
    with open(download.path(), "rb") as handle:
        return handle.read()


def test_export_button_downloads_png_then_pdf(page, app_url):  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map")
    map_frame(page)
    png = _download(page, "Tải xuống muongte_v2024_borders_china_latest.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000

    page.get_by_label("Định dạng", exact=True).click()
    page.get_by_role("option", name="PDF (in ấn)").click()
    pdf = _download(page, "Tải xuống muongte_v2024_borders_china_latest.pdf")
    assert pdf[:5] == b"%PDF-" and b"%%EOF" in pdf[-64:]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map_export_panel.png"))
    assert page.external_requests == []


def test_standalone_html_draws_the_map_offline(page, atlas, tmp_path):  # type: ignore[no-untyped-def]
    request = MapRequest("population")
    html = standalone_html(atlas, map_view(atlas, request), request=request,
                           options=PrintOptions(export_date=dt.date(2025, 7, 1)))
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length === 14", timeout=15000)
    assert "Dân số (người)" in page.locator(".atlas-legend").inner_text()
    assert "Ranh giới mang tính tham khảo" in page.locator(".leaflet-control-attribution").text_content()
    assert [u for u in page.external_requests if not u.startswith("file:")] == []

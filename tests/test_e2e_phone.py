"""In Chromium as a phone (390×844, touch, a phone's user agent): the map page shows the map first, the
choices folded under it, the legend closed and 'chạm' (tap) instead of 'rê chuột' (hover); the desktop
keeps the controls beside the map. Screenshots of both."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, LOCAL_PREFIXES, map_frame

pytestmark = pytest.mark.e2e
WAIT = 90000
PHONE_AGENT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/17.0 Mobile/15E148 Safari/604.1")


def test_the_map_comes_first_on_a_phone_and_beside_the_controls_on_a_desktop(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    link = f"{app_url}/map?indicator=population"
    phone = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=PHONE_AGENT, has_touch=True,
                                is_mobile=True)
    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        pg = phone.new_page()
        external: list[str] = []
        pg.on("request", lambda r: None if r.url.startswith(LOCAL_PREFIXES) else external.append(r.url))
        pg.goto(link)
        frame = map_frame(pg, legend_contains="Dân số")
        iframe = pg.locator("iframe[title='streamlit_folium.st_folium']").first.bounding_box()
        options = pg.get_by_text("Chọn chỉ tiêu, kỳ, cách phân lớp")
        expect(options).to_be_visible(timeout=WAIT)
        assert iframe and iframe["y"] < 844 and iframe["width"] > 340  # on the first screen, full width
        assert options.bounding_box()["y"] > iframe["y"] + iframe["height"]  # type: ignore[index]  # under the map
        expect(pg.get_by_role("combobox", name="Chỉ tiêu", exact=True)).to_be_hidden()  # folded
        legend = frame.locator("details.atlas-legend")
        assert legend.get_attribute("open") is None  # closed: the map stays visible
        note = legend.text_content() or ""
        assert "(chạm vào xã để xem)" in note and "rê chuột" not in note
        expect(pg.get_by_text("Chạm vào một xã trên bản đồ")).to_be_attached()
        # a tap at the map's right edge: the tooltip opens towards the centre and stays on the screen
        tip = frame.evaluate("""() => {
            const layer = window.atlasLayer, map = window.atlasMap, east = map.getBounds().getEast();
            let best = null;
            layer.eachLayer(l => { if (!best || l.getBounds().getEast() > best.getBounds().getEast()) best = l; });
            const b = best.getBounds();
            const at = L.latLng((b.getNorth() + b.getSouth()) / 2, Math.min(b.getEast(), east));
            best.fire('mouseover', {latlng: at, originalEvent: new MouseEvent('mouseover')}, true);  // as a tap does
            const r = document.querySelector('.atlas-tooltip').getBoundingClientRect();
            return {left: r.left, right: r.right, width: window.innerWidth};
        }""")
        assert 0 <= tip["left"] and tip["right"] <= tip["width"], tip
        # a tap in the middle of every unit: however wide its tooltip, it stays on the screen
        tips = frame.evaluate("""() => {
            const out = [];
            window.atlasLayer.eachLayer(l => {
                const tap = {latlng: l.getBounds().getCenter(), originalEvent: new MouseEvent('mouseover')};
                l.fire('mouseover', tap, true);
                const r = document.querySelector('.atlas-tooltip').getBoundingClientRect();
                out.push({code: l.feature.properties.code, left: r.left, right: r.right, width: window.innerWidth});
                l.fire('mouseout', {originalEvent: new MouseEvent('mouseout')}, true);
            });
            return out;
        }""")
        assert len(tips) == 14 and all(0 <= t["left"] and t["right"] <= t["width"] for t in tips), tips
        pg.screenshot(path=str(ARTIFACTS / "phone_map.png"))
        options.click()
        expect(pg.get_by_role("combobox", name="Chỉ tiêu", exact=True)).to_be_visible(timeout=WAIT)
        assert external == []

        big = desktop.new_page()
        big.goto(link)
        frame = map_frame(big, legend_contains="Dân số")
        box = big.locator("iframe[title='streamlit_folium.st_folium']").first.bounding_box()
        indicator = big.get_by_role("combobox", name="Chỉ tiêu", exact=True).bounding_box()
        assert box and indicator and indicator["x"] + indicator["width"] < box["x"]  # controls beside the map
        assert "(rê chuột để xem)" in (frame.locator(".atlas-legend").text_content() or "")
        assert big.get_by_text("Chọn chỉ tiêu, kỳ, cách phân lớp").count() == 0
        big.screenshot(path=str(ARTIFACTS / "desktop_map.png"))
    finally:
        phone.close()
        desktop.close()

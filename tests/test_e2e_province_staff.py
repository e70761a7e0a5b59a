"""In the browser, in the Lai Châu region: an editor of a Sìn Hồ commune imports its population, an approver
approves it, and the province map's tooltip shows the new figure. Accounts, file and value are TEST DATA."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mutte_geo.storage.approval import Approvals, Decision
from mutte_geo.storage.auth import User
from mutte_geo.storage.store import Store

from .conftest import ARTIFACTS, map_frame, sign_in
from .conftest import staff_app as staff_app_running

pytestmark = pytest.mark.e2e
SIN_HO = "03478"
# Hover every unit as a pointer does; the tooltip naming ``name`` is left open (for the screenshot), its text returned.
TOOLTIP_OF = """name => {
    const hover = l => l.fire('mouseover', {latlng: l.getBounds().getCenter(),
                                           originalEvent: new MouseEvent('mouseover')}, true);
    let text = null, found = null;
    window.atlasLayer.eachLayer(l => {
        hover(l);
        const tip = document.querySelector('.atlas-tooltip');
        if (tip && tip.innerText.includes(name)) { text = tip.innerText; found = l; }
        l.fire('mouseout', {originalEvent: new MouseEvent('mouseout')}, true);
    });
    if (found) hover(found);
    return text;
}"""


@pytest.fixture(scope="module")
def staff_app(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("province_staff")
    sinho = {"role": "editor", "name": "Cán bộ xã Sìn Hồ (TEST DATA)", "password": "mat-khau-sin-ho",
             "units": [f"2025:{SIN_HO}"]}
    with staff_app_running(tmp, {"sinho": sinho}, "streamlit_province_staff.log") as (url, url_db):
        yield url, url_db, tmp


def test_a_sin_ho_editor_imports_its_population_and_the_province_map_shows_it(staff_app, page):  # type: ignore[no-untyped-def]
    url, url_db, tmp = staff_app
    sheet = tmp / "dan_so_sin_ho.csv"
    sheet.write_text("Kỳ;2025\nLoại;thực hiện\nNguồn;TEST DATA: UBND xã Sìn Hồ\nTên xã;Dân số\nSìn Hồ;14.100\n",
                     encoding="utf-8")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, url, "sinho", "mat-khau-sin-ho", path="/?region=laichau")
    page.get_by_role("link", name="Nhập số liệu").click()  # the sidebar's link keeps the region
    page.get_by_text("Tải mẫu XLSX").wait_for(timeout=90000)
    assert "region=laichau" in page.url
    expect(page.get_by_text("Trang này chỉ hiển thị")).to_have_count(0)  # no "Mường Tè only" notice here
    version = Store(url_db).version()
    page.locator("input[type=file]").set_input_files(str(sheet))
    page.get_by_role("button", name="Gửi để duyệt").wait_for(timeout=60000)
    page.get_by_text("Xã Sìn Hồ (2025:03478)").wait_for(state="attached", timeout=10000)
    page.screenshot(path=str(ARTIFACTS / "province_import_desktop.png"), full_page=True)
    page.get_by_role("button", name="Gửi để duyệt").click()
    page.get_by_text("Đã gửi 1 giá trị, đang chờ duyệt.").wait_for(timeout=60000)
    store = Store(url_db)
    assert store.version() == version  # waiting for an approver
    approvals = Approvals(store)
    waiting = approvals.submissions(User("duyet", "approver"), ("submitted",))
    assert waiting[["vintage", "unit_code", "indicator", "period", "value", "submitted_by"]].values.tolist() == [
        [2025, SIN_HO, "population", "2025", "14100", "sinho"]]
    approvals.approve([Decision(int(i), int(v)) for i, v in zip(waiting["id"], waiting["version"])],
                      user=User("duyet", "approver"))

    page.goto(url + "/map?region=laichau&indicator=population")
    frame = map_frame(page, legend_contains="Dân số")
    tooltip = frame.evaluate(TOOLTIP_OF, "Sìn Hồ")
    assert tooltip is not None and "14.100" in tooltip, tooltip
    assert "14.012" not in tooltip  # the pack's figure, replaced by the approved one
    page.screenshot(path=str(ARTIFACTS / "province_staff_map_desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()  # laid out for a phone from the start
    frame = map_frame(page, legend_contains="Dân số")
    assert "14.100" in (frame.evaluate(TOOLTIP_OF, "Sìn Hồ") or "")
    page.locator("iframe").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "province_staff_map_phone.png"))
    assert page.external_requests == []

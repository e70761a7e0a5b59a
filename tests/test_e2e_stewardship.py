"""In the browser: an editor signs in, a bad file is refused with its problems, a good one is previewed,
confirmed and shows up in the history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.storage.approval import Approvals
from mutte_geo.storage.auth import User
from mutte_geo.storage.store import Store

from .conftest import staff_app as staff_app_running

pytestmark = pytest.mark.e2e
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def staff_app(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:  # type: ignore[no-untyped-def]
    """The app with its own users file and store, so the test writes nothing shared."""
    tmp = tmp_path_factory.mktemp("staff")
    lan = {"role": "editor", "name": "Nguyễn Thị Lan", "password": "mat-khau-lan"}  # TEST DATA
    with staff_app_running(tmp, {"lan": lan}, "streamlit_stewardship.log") as (url, url_db):
        yield url, url_db, tmp


def test_editor_imports_a_file(staff_app, page) -> None:  # type: ignore[no-untyped-def]
    url, url_db, tmp = staff_app
    bad = tmp / "bieu_loi.csv"
    bad.write_text("Kỳ;2024\nLoại;thực hiện\nNguồn;Phòng Thống kê\nTên xã;Dân số\nMường Tè;5.123\n", encoding="utf-8")
    good = tmp / "bieu.csv"
    good.write_text("Kỳ;2024\nLoại;thực hiện\nNguồn;Phòng Thống kê\nTên xã;Dân số\nTT Mường Tè;5.123\n",
                    encoding="utf-8")
    page.goto(url + "/")
    page.get_by_role("heading", name="Kinh tế").wait_for(timeout=90000)
    page.get_by_text("Đăng nhập (cán bộ)").click()
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Mật khẩu").fill("wrong")
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_text("Sai tên đăng nhập hoặc mật khẩu.")).to_be_visible(timeout=60000)
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Mật khẩu").fill("mat-khau-lan")
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_text("Đã đăng nhập")).to_have_count(1, timeout=60000)
    page.get_by_role("link", name="Nhập số liệu").click()
    page.get_by_text("Tải mẫu XLSX").wait_for(timeout=60000)
    version = Store(url_db).version()

    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("Tệp có 1 lỗi: chưa có gì được ghi").wait_for(timeout=60000)
    page.get_by_text("không rõ là đơn vị nào", exact=False).first.wait_for(state="attached", timeout=10000)
    assert Store(url_db).version() == version

    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Gửi để duyệt").wait_for(timeout=60000)
    page.get_by_text("Thị trấn Mường Tè (2024:03433)").wait_for(state="attached", timeout=10000)
    assert Store(url_db).version() == version  # the preview writes nothing
    page.get_by_role("button", name="Gửi để duyệt").click()
    page.get_by_text("Đã gửi 1 giá trị, đang chờ duyệt.").wait_for(timeout=60000)
    assert Store(url_db).version() == version  # waiting for an approver, not live yet
    waiting = Approvals(Store(url_db)).submissions(User("duyet", "approver"))
    assert waiting[["unit_code", "indicator", "period", "value", "submitted_by"]].values.tolist() == [
        ["03433", "population", "2024", "5123", "lan"]]

    page.get_by_role("link", name="Duyệt số liệu").click()
    page.get_by_text("chờ duyệt").first.wait_for(state="attached", timeout=60000)
    page.screenshot(path=str(ARTIFACTS / "stewardship_history.png"), full_page=True)
    assert page.external_requests == []

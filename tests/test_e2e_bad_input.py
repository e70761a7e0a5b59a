"""In Chromium: a representative part of the bad-input corpus through the import page (message, bounded
time, store unchanged), and user text from the URL never turned into links or images."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from mutte_geo.core.paths import PROJECT_ROOT
from tests.badinput import CASES
from tests.test_bad_input_corpus import store_hash

from .conftest import sign_in
from .conftest import staff_app as staff_app_running

pytestmark = pytest.mark.e2e
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SECONDS = 30  # upload, child process and rerun on a loaded machine
PAGE_CASES = {  # corpus file -> what the import page says (Vietnamese)
    "zip_bomb.xlsx": "khi giải nén là 300 MB",
    "million_rows.csv": "tệp có hơn 20.000 dòng",
    "many_bad_rows.csv": "Tệp có 15.000 lỗi (liệt kê 50 lỗi đầu)",
    "hidden_old_sheet.xlsx": "không đọc các trang khác có số liệu: 'BẢN CŨ – KHÔNG DÙNG'",
    "formula.xlsx": "ô B6 là công thức =B5*2 chưa có kết quả lưu sẵn",
    "mojibake.csv": "có lẽ là 'Báo cáo (TEST DATA)'",
}


@pytest.fixture(scope="module")
def staff_app(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("badinput")
    lan = {"role": "editor", "name": "TEST DATA Lan", "password": "mat-khau-lan"}  # TEST DATA
    with staff_app_running(tmp, {"lan": lan}, "streamlit_bad_input.log") as (url, url_db):
        yield url, url_db, tmp


def test_import_page_refuses_the_corpus_quickly_and_writes_nothing(staff_app, page) -> None:  # type: ignore[no-untyped-def]
    url, url_db, tmp = staff_app
    sign_in(page, url, "lan", "mat-khau-lan")
    page.get_by_role("link", name="Nhập số liệu").click()
    page.get_by_text("Tải mẫu XLSX").wait_for(timeout=60000)
    before = store_hash(url_db)
    for case in CASES:
        if case.name not in PAGE_CASES:
            continue
        path = tmp / case.name
        path.write_bytes(case.make())
        started = time.monotonic()
        page.locator("input[type=file]").set_input_files(str(path))
        page.get_by_text(PAGE_CASES[case.name], exact=False).first.wait_for(state="attached", timeout=SECONDS * 1000)
        assert time.monotonic() - started < SECONDS, case.name
        page.screenshot(path=str(ARTIFACTS / f"bad_input_{case.name}.png"), full_page=True)
        assert store_hash(url_db) == before, case.name
    assert page.get_by_text("Traceback").count() == 0
    assert page.external_requests == []


def test_two_data_sheets_ask_which_one(staff_app, page) -> None:  # type: ignore[no-untyped-def]
    url, _url_db, tmp = staff_app
    sign_in(page, url, "lan", "mat-khau-lan")
    page.get_by_role("link", name="Nhập số liệu").click()
    page.get_by_text("Tải mẫu XLSX").wait_for(timeout=60000)
    path = tmp / "two_sheets.xlsx"
    path.write_bytes(next(c for c in CASES if c.name == "two_sheets.xlsx").make())
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("Tệp có 1 lỗi").wait_for(timeout=SECONDS * 1000)
    page.get_by_label("Trang tính cần nhập").click()
    page.get_by_role("option", name="Quý 2").click()
    page.get_by_text("đọc trang tính 'Quý 2'").wait_for(timeout=SECONDS * 1000)
    page.get_by_role("button", name="Gửi để duyệt").wait_for(timeout=10000)
    page.screenshot(path=str(ARTIFACTS / "bad_input_sheet_choice.png"), full_page=True)


@pytest.mark.parametrize("path", [
    "/profile?unit=" + quote("[bấm vào đây](http://evil.example/login)"),
    "/profile?unit=" + quote("![x](http://127.0.0.1:9/beacon.png)"),
    "/filter?vintage=" + quote("[bấm vào đây](http://evil.example/login)"),
    "/filter?vintage=" + quote("![x](http://127.0.0.1:9/beacon.png)"),
])
def test_text_from_the_url_is_shown_never_interpreted(app_url, page, path: str) -> None:  # type: ignore[no-untyped-def]
    beacons: list[str] = []
    page.on("request", lambda request: beacons.append(request.url) if ":9/" in request.url else None)
    page.goto(app_url + path)
    alert = page.get_by_role("alert").first
    alert.wait_for(timeout=90000)
    page.wait_for_timeout(1500)
    assert page.locator("a[href^='http://evil.example']").count() == 0  # (page links keep the query, encoded)
    assert page.locator("img[src*='beacon']").count() == 0
    assert beacons == []
    assert "](http" in page.locator("[data-testid='stMain']").first.inner_text()  # shown as typed
    page.screenshot(path=str(ARTIFACTS / f"markdown_injection_{abs(hash(path)) % 1000}.png"))

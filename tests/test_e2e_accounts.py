"""In Chromium: sign-in delays measured, a commune editor limited to its unit, submit → approve → locked,
a reset forcing a new (policy-checked) password. Accounts, passwords and files are TEST DATA."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.storage import audit
from mutte_geo.storage.accounts import AccountStore
from mutte_geo.storage.approval import Approvals
from mutte_geo.storage.auth import User, hash_password
from mutte_geo.storage.store import Store

from .conftest import running_app, sign_in

pytestmark = pytest.mark.e2e
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PASSWORDS = {"minh": "Quản trị huyện Mường Tè", "duyet": "Phòng Thống kê duyệt số", "pau": "Số liệu xã Pa Ủ 2025"}
WIDE = "Ranh giới;2025\nKỳ;2025-H1\nLoại;thực hiện\nNguồn;TEST DATA\nMã;Số bản\n{rows}"


@pytest.fixture(scope="module")
def accounts_app(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("accounts")
    users = tmp / "users.json"
    users.write_text(json.dumps({"users": {
        "minh": {"role": "admin", "name": "Lò Văn Minh", "password": hash_password(PASSWORDS["minh"])},
        "duyet": {"role": "approver", "name": "Người duyệt", "password": hash_password(PASSWORDS["duyet"])},
        "pau": {"role": "editor", "name": "Cán bộ Pa Ủ", "units": ["2025:03442"], "sensitive": False,
                "password": hash_password(PASSWORDS["pau"])},
    }}), encoding="utf-8")
    url_db = f"sqlite:///{tmp / 'store.sqlite'}"
    env = {**os.environ, "MUTTE_USERS_FILE": str(users), "MUTTE_DATABASE_URL": url_db}
    with running_app("streamlit_accounts.log", env=env) as url:
        yield url, url_db, tmp


def open_sign_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/?vintage=2025")
    page.get_by_role("heading", name="Kinh tế").wait_for(timeout=90000)
    page.get_by_text("Đăng nhập (cán bộ)").click()


def attempt(page, login: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def failures(url_db: str, login: str) -> int:
    log = audit.events(Store(url_db).engine)
    return int(((log["actor"] == login) & (log["action"] == "sign_in_failed")).sum())


def wait_for_failures(url_db: str, login: str, n: int) -> None:
    """Until the server has recorded ``n`` failed attempts (so the page shows the answer to the n-th)."""
    deadline = time.monotonic() + 30
    while failures(url_db, login) < n:
        assert time.monotonic() < deadline, f"attempt {n} was not recorded"
        time.sleep(0.1)


def test_wrong_attempts_are_delayed_and_a_right_one_after_the_delay_works(accounts_app, page) -> None:  # type: ignore[no-untyped-def]
    url, url_db, _ = accounts_app
    open_sign_in(page, url)
    error = page.locator("[data-testid=stAlertContentError]")
    for n in range(1, 8):  # a patient attacker: waits out every announced delay
        attempt(page, "minh", f"sai mật khẩu {n}")
        wait_for_failures(url_db, "minh", n)
        delay = 0 if n <= 3 else 2 ** (n - 4)  # 3 free attempts, then 1, 2, 4, 8 s
        if delay:
            expect(error).to_contain_text(f"Sai tên đăng nhập hoặc mật khẩu. Lần thử tiếp theo sau {delay} giây.",
                                          timeout=30000)
        else:
            expect(error).to_have_text("Sai tên đăng nhập hoặc mật khẩu.", timeout=30000)
        if n < 7:
            page.wait_for_timeout(delay * 1000 + 300)
    attempt(page, "minh", PASSWORDS["minh"])  # right, but too soon: refused without being checked
    expect(error).to_contain_text("Đã thử sai nhiều lần: hãy đợi", timeout=30000)
    page.wait_for_timeout(8000)
    attempt(page, "minh", PASSWORDS["minh"])
    expect(page.get_by_text("Đã đăng nhập")).to_be_visible(timeout=30000)
    # measured on the server's own clock (the audit log)
    events = audit.events(Store(url_db).engine)
    events = events[events["actor"] == "minh"].iloc[::-1]
    at = {action: list(events[events["action"] == action]["at"]) for action in set(events["action"])}
    last_failure = at["sign_in_failed"][-1]
    refused = (at["sign_in_delayed"][0] - last_failure).total_seconds()
    accepted = (at["sign_in"][0] - last_failure).total_seconds()
    gaps = [(b - a).total_seconds() for a, b in zip(at["sign_in_failed"], at["sign_in_failed"][1:])]
    print(f"gaps between wrong attempts {[round(g, 1) for g in gaps]} s; after the 7th (8 s delay) the right "
          f"password was refused at +{refused:.1f} s and accepted at +{accepted:.1f} s")
    assert refused < 8 <= accepted
    assert all(g >= d for g, d in zip(gaps[3:], (1, 2, 4, 8)))  # every announced delay was waited out
    log = audit.events(Store(url_db).engine)
    mine = log[log["actor"] == "minh"]["action"].tolist()
    assert mine[:2] == ["sign_in", "sign_in_delayed"] and mine.count("sign_in_failed") == 7
    assert set(log[log["actor"] == "minh"]["client"]) == {"localhost"}
    page.get_by_role("link", name="Nhật ký kiểm tra").click()
    expect(page.get_by_text("đăng nhập bị hoãn").first).to_be_attached(timeout=60000)
    page.screenshot(path=str(ARTIFACTS / "audit_page.png"), full_page=True)
    page.get_by_role("link", name="Tài khoản").click()
    expect(page.get_by_text("Cán bộ Pa Ủ")).to_be_attached(timeout=60000)
    expect(page.get_by_text("Xã Pa Ủ (2025:03442)")).to_be_attached()
    page.screenshot(path=str(ARTIFACTS / "accounts_page.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "accounts_page_phone.png"), full_page=True)
    assert page.external_requests == []


def test_a_commune_submits_its_unit_only_and_an_approved_value_is_locked(accounts_app, browser, page) -> None:  # type: ignore[no-untyped-def]
    url, url_db, tmp = accounts_app
    mixed, own, again = tmp / "hai_xa.csv", tmp / "pa_u.csv", tmp / "pa_u_lai.csv"
    mixed.write_text(WIDE.format(rows="03442;12\n03451;9\n"), encoding="utf-8")
    own.write_text(WIDE.format(rows="03442;12\n"), encoding="utf-8")
    again.write_text(WIDE.format(rows="03442;15\n"), encoding="utf-8")
    sign_in(page, url, "pau", PASSWORDS["pau"], path="/?vintage=2025")
    page.get_by_role("link", name="Nhập số liệu").click()
    page.get_by_text("Tài khoản của bạn nhập cho: 2025:03442").wait_for(timeout=60000)
    page.locator("input[type=file]").set_input_files(str(mixed))
    expect(page.get_by_text("Tệp có 1 lỗi: chưa có gì được ghi")).to_be_visible(timeout=60000)
    expect(page.get_by_text("ngoài phạm vi của tài khoản pau").first).to_be_attached()
    page.screenshot(path=str(ARTIFACTS / "import_out_of_scope.png"), full_page=True)
    flow = Approvals(Store(url_db))
    assert flow.submissions(User("x", "approver")).empty
    page.locator("input[type=file]").set_input_files(str(own))
    page.get_by_role("button", name="Gửi để duyệt").click()
    expect(page.get_by_text("Đã gửi 1 giá trị, đang chờ duyệt.")).to_be_visible(timeout=60000)
    version = Store(url_db).version()

    approver = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(approver, url, "duyet", PASSWORDS["duyet"], path="/?vintage=2025")
    approver.get_by_role("link", name="Duyệt số liệu").click()
    expect(approver.get_by_text("Đang chờ duyệt")).to_be_visible(timeout=60000)
    approver.get_by_text("Chọn giá trị để duyệt hoặc trả lại").wait_for(timeout=30000)
    approver.locator("[data-testid=stMultiSelect] input").first.click()
    approver.get_by_role("option", name="Xã Pa Ủ (2025:03442)", exact=False).click()
    approver.keyboard.press("Escape")
    approver.screenshot(path=str(ARTIFACTS / "review_waiting.png"), full_page=True)
    approver.set_viewport_size({"width": 390, "height": 844})
    approver.screenshot(path=str(ARTIFACTS / "review_waiting_phone.png"), full_page=True)
    approver.set_viewport_size({"width": 1280, "height": 800})
    approve = approver.get_by_role("button", name="Duyệt 1 giá trị đã chọn")
    expect(approve).to_be_enabled(timeout=30000)
    approve.click()
    expect(approver.get_by_text("Đã duyệt 1 giá trị")).to_be_visible(timeout=60000)
    assert Store(url_db).version() == version + 1
    approver.context.close()

    page.locator("input[type=file]").set_input_files(str(again))
    expect(page.get_by_text("đã được duyệt và bị khóa").first).to_be_attached(timeout=60000)
    current = Store(url_db).current()
    row = current[(current["unit_code"] == "03442") & (current["period"] == "2025-H1")]
    assert row["value"].tolist() == ["12"]
    assert page.external_requests == []


def test_a_reset_forces_a_new_password_that_meets_the_policy(accounts_app, page) -> None:  # type: ignore[no-untyped-def]
    url, url_db, _ = accounts_app
    accounts = AccountStore(Store(url_db).engine)
    accounts.reset_password("minh", "pau", "Mật khẩu tạm thời 01")
    open_sign_in(page, url)
    attempt(page, "pau", "Mật khẩu tạm thời 01")
    expect(page.get_by_text("hãy đặt mật khẩu mới trước khi làm việc")).to_be_visible(timeout=30000)
    assert page.get_by_role("link", name="Nhập số liệu").count() == 0  # no staff pages before the change
    page.get_by_label("Mật khẩu hiện tại").fill("Mật khẩu tạm thời 01")
    page.get_by_label("Mật khẩu mới (ít nhất").fill("password123")
    page.get_by_label("Nhập lại mật khẩu mới").fill("password123")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_text("đây là mật khẩu phổ biến")).to_be_visible(timeout=30000)
    page.screenshot(path=str(ARTIFACTS / "forced_password_change.png"), full_page=True)
    page.get_by_label("Mật khẩu hiện tại").fill("Mật khẩu tạm thời 01")
    page.get_by_label("Mật khẩu mới (ít nhất").fill("Bản Nậm Khao mùa lúa")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Bản Nậm Khao mùa lúa")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_text("Đã đăng nhập")).to_be_visible(timeout=30000)
    record = accounts.get("pau")
    assert record is not None and not record.must_change_password and record.user.sensitive is False
    assert record.user.units == {"2025:03442"}

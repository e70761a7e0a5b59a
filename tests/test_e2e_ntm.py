"""End to end: the NTM tracker with a filled TEST DATA template in the store, offline, desktop and phone; an
editor's import, an admin's edit in place and restore."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mutte_geo.model.atlas import Atlas
from mutte_geo.model.ntm import load_criteria_sets
from mutte_geo.storage.auth import User, hash_password
from mutte_geo.storage.ntm_import import parse_ntm_file
from mutte_geo.storage.ntmstore import NtmStore
from mutte_geo.storage.stewardship import open_store

from .conftest import ARTIFACTS, map_frame, running_app, sign_in
from .ntm_testdata import filled_workbook

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ntm_app_url(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The app over a store holding TEST DATA assessments of 2024 (self) and 2025 (district)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ntm') / 'store.sqlite'}"
    atlas, sets = Atlas.load(), load_criteria_sets()
    ntm = NtmStore(open_store(atlas.catalogue, atlas.units, url))
    for year, assessor, layout in ((2024, "xã", "per-commune"), (2025, "huyện", "communes-as-columns")):
        data = filled_workbook(sets["qd318_2021_2025"], atlas.units, year=year, assessor=assessor, layout=layout)
        parsed = parse_ntm_file(data, f"TEST_{year}.xlsx", sets=sets, units=atlas.units)
        assert parsed.ok, parsed.problems
        ntm.apply(ntm.check(parsed), user=User("test-editor", "editor"))
    with running_app("streamlit_ntm.log", env={**os.environ, "MUTTE_DATABASE_URL": url}) as app:
        yield app


def test_tracker_shows_maps_grid_and_risks_offline(page, ntm_app_url):  # type: ignore[no-untyped-def]
    page.goto(f"{ntm_app_url}/ntm")
    frame = map_frame(page, legend_contains="Số tiêu chí nông thôn mới đạt")
    assert frame.locator("path.leaflet-interactive").count() == 14
    assert "Chưa đánh giá" in frame.locator(".atlas-legend").inner_text()
    text = page.locator("section.main").inner_text() if page.locator("section.main").count() else page.inner_text(
        "body")
    assert "Nguy cơ mất chuẩn" in text and "Thu Lũm (công nhận 2021): 10 Thu nhập, 17 Môi trường" in text
    assert "16,54" in text and "03 xã" in text and "Can Hồ, Ka Lăng" in text
    page.set_viewport_size({"width": 1280, "height": 800})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ntm_desktop.png"))
    page.get_by_role("tab", name="Bảng xã × tiêu chí").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải bảng XLSX").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames == ["bảng xã – tiêu chí", "tỷ lệ đạt", "notes"]
    assert any("TEST DATA" in str(r[0]) for r in book["notes"].iter_rows(values_only=True))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "ntm_phone.png"))
    assert page.external_requests == []


def staff_env(tmp: Path, login: str, role: str) -> tuple[dict[str, str], str]:
    """The environment of an app with one TEST account (password ``mat-khau-<login>``) and a store of its own."""
    users = tmp / "users.json"
    users.write_text(json.dumps({"users": {login: {"role": role, "name": f"TEST {role}",
                                                   "password": hash_password(f"mat-khau-{login}")}}}),
                     encoding="utf-8")
    url_db = f"sqlite:///{tmp / 'store.sqlite'}"
    return {**os.environ, "MUTTE_USERS_FILE": str(users), "MUTTE_DATABASE_URL": url_db}, url_db


@pytest.fixture(scope="module")
def ntm_staff_app(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The app with an editor account and an empty store of its own."""
    tmp = tmp_path_factory.mktemp("ntm_staff")
    env, url_db = staff_env(tmp, "lan", "editor")
    with running_app("streamlit_ntm_staff.log", env=env) as app:
        yield app, url_db, tmp


def test_editor_imports_a_filled_template_on_the_tracker(ntm_staff_app, page):  # type: ignore[no-untyped-def]
    app, url_db, tmp = ntm_staff_app
    atlas, sets = Atlas.load(), load_criteria_sets()
    good = tmp / "TEST_ntm_2024.xlsx"
    good.write_bytes(filled_workbook(sets["qd318_2021_2025"], atlas.units, year=2024, assessor="huyện thẩm định"))
    book = load_workbook(io.BytesIO(good.read_bytes()))
    book["Xã Pa Ủ"]["C5"] = "có lẽ"  # criterion 3: not a result word
    bad = tmp / "TEST_ntm_2024_loi.xlsx"
    book.save(bad)
    sign_in(page, app, "lan", "mat-khau-lan")
    page.get_by_role("link", name="Nông thôn mới").click()
    page.get_by_text("Tệp kết quả đánh giá").wait_for(timeout=60000)
    store = NtmStore(open_store(atlas.catalogue, atlas.units, url_db))
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("Tệp có 1 lỗi: chưa có gì được ghi").wait_for(timeout=60000)
    page.get_by_text("'có lẽ' không phải kết quả hợp lệ", exact=False).first.wait_for(state="attached",
                                                                                     timeout=10000)
    assert store.assessments().empty
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.get_by_text("Đã ghi phiên bản", exact=False).wait_for(timeout=60000)
    assert set(store.assessments()["assessor"]) == {"district"} and len(store.assessments()) > 200
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    page.get_by_text("nhập đánh giá nông thôn mới").first.wait_for(state="attached", timeout=60000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ntm_history.png"), full_page=True)
    assert page.external_requests == []


@pytest.fixture(scope="module")
def ntm_admin_app(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The app with an admin account and a store holding TEST DATA self-assessments of 2024."""
    env, url_db = staff_env(tmp_path_factory.mktemp("ntm_admin"), "hoa", "admin")
    atlas, sets = Atlas.load(), load_criteria_sets()
    ntm = NtmStore(open_store(atlas.catalogue, atlas.units, url_db))
    data = filled_workbook(sets["qd318_2021_2025"], atlas.units, year=2024, assessor="xã")
    ntm.apply(ntm.check(parse_ntm_file(data, "TEST_2024.xlsx", sets=sets, units=atlas.units)),
              user=User("test-admin", "admin"))
    with running_app("streamlit_ntm_admin.log", env=env) as app:
        yield app, ntm


def _thu_lum_criterion_1(ntm: NtmStore) -> str:
    rows = ntm.assessments()
    return str(rows[(rows["unit_code"] == "03436") & (rows["criterion"] == 1)]["status"].iloc[0])


def test_admin_edits_a_result_in_place_then_restores_it(ntm_admin_app, page):  # type: ignore[no-untyped-def]
    app, ntm = ntm_admin_app
    assert _thu_lum_criterion_1(ntm) == "dat"
    sign_in(page, app, "hoa", "mat-khau-hoa")
    page.get_by_role("link", name="Nông thôn mới").click()
    page.get_by_text("Sửa kết quả đánh giá trực tiếp").wait_for(timeout=90000)
    grid = page.get_by_test_id("stDataFrame").filter(has_text="Giá trị đo")  # the edit table
    grid.wait_for(timeout=60000)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # the first row's first cell
    for _ in range(2):
        page.keyboard.press("ArrowRight")  # to the Result column
    page.keyboard.press("Enter")
    page.locator("#portal input").first.wait_for(timeout=30000)  # the result's drop-down editor
    page.keyboard.type("Chưa đạt")
    page.keyboard.press("Enter")
    page.get_by_text("Có lỗi, chưa lưu được").wait_for(timeout=60000)  # the edit arrived: no source yet
    page.get_by_label("Nguồn cho kết quả sửa", exact=False).fill("TEST DATA – biên bản thử")
    page.get_by_label("Nguồn cho kết quả sửa", exact=False).press("Enter")
    page.get_by_role("button", name="Lưu kết quả").click(timeout=60000)
    page.get_by_text("Đã lưu phiên bản", exact=False).wait_for(timeout=60000)
    assert _thu_lum_criterion_1(ntm) == "chua_dat"
    newest = ntm.revisions()[0]
    assert (newest.action, newest.user_name) == ("ntm-edit", "hoa")
    page.get_by_text("Lịch sử của Xã Thu Lũm").wait_for(timeout=30000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_text("Sửa kết quả đánh giá trực tiếp").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "ntm_edit_desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1000)
    page.get_by_text("Sửa kết quả đánh giá trực tiếp").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "ntm_edit_phone.png"))
    page.set_viewport_size({"width": 1280, "height": 800})
    first = ntm.revisions()[-1].id  # the TEST DATA import
    page.get_by_label("Phiên bản nông thôn mới").click()
    page.get_by_role("option", name=re.compile(rf"^{first} · ")).click()
    page.get_by_text("Tôi muốn đưa kết quả nông thôn mới về trạng thái sau phiên bản", exact=False).click()
    page.get_by_role("button", name="Khôi phục").click()
    page.get_by_text("Đã khôi phục", exact=False).wait_for(timeout=60000)
    assert _thu_lum_criterion_1(ntm) == "dat" and ntm.revisions()[0].action == "ntm-restore"
    assert page.external_requests == []

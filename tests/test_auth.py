"""Roles, password hashes, credentials from outside the repository, and who sees sensitive layers."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import insert, select
from streamlit.testing.v1 import AppTest

from mutte_geo.core.errors import AtlasError
from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.model.catalogue import load_catalogue
from mutte_geo.storage.accounts import AccountStore, accounts_table
from mutte_geo.storage.auth import (
    User,
    can,
    can_see,
    hash_password,
    load_accounts,
    verify_password,
    visible_catalogue,
)
from mutte_geo.ui.appstate import value_store

VIEWER, EDITOR, ADMIN = User("binh", "viewer"), User("lan", "editor"), User("minh", "admin")


def test_passwords_are_salted_scrypt_hashes() -> None:
    one, two = hash_password("Mật khẩu 1"), hash_password("Mật khẩu 1")
    assert one != two and one.startswith("scrypt$") and "Mật khẩu" not in one
    assert verify_password("Mật khẩu 1", one) and verify_password("Mật khẩu 1", two)
    assert not verify_password("mật khẩu 1", one)
    assert not verify_password("x", "scrypt$broken") and not verify_password("x", "plain")


def test_roles() -> None:
    assert [can(u, "import") for u in (None, VIEWER, EDITOR, ADMIN)] == [False, False, True, True]
    assert [can(u, "restore") for u in (None, VIEWER, EDITOR, ADMIN)] == [False, False, False, True]
    assert [can(u, "users") for u in (None, VIEWER, EDITOR, ADMIN)] == [False, False, False, True]


def test_sensitive_layers_only_for_roles_that_allow_them() -> None:
    catalogue = load_catalogue()
    hotspot = catalogue["security_hotspot"]
    assert hotspot.sensitive
    assert [can_see(hotspot, u) for u in (None, VIEWER, EDITOR, ADMIN)] == [False, False, True, True]
    assert can_see(hotspot, User("leader", "viewer", sensitive=True))
    assert not can_see(hotspot, User("intern", "editor", sensitive=False))
    assert "security_hotspot" not in visible_catalogue(catalogue, None)
    assert len(visible_catalogue(catalogue, None)) == len(catalogue) - 1
    assert list(visible_catalogue(catalogue, EDITOR)) == list(catalogue)


def test_accounts_from_a_toml_file_named_in_the_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "users.toml"
    path.write_text(f'[users.lan]\nrole = "editor"\nname = "Nguyễn Thị Lan"\npassword = "{hash_password("a1")}"\n',
                    encoding="utf-8")
    monkeypatch.setenv("MUTTE_USERS_FILE", str(path))
    accounts = load_accounts()
    assert accounts["lan"].user == User("lan", "editor", "Nguyễn Thị Lan")
    assert verify_password("a1", accounts["lan"].password_hash)
    assert not verify_password("a2", accounts["lan"].password_hash)


def test_accounts_from_json_in_the_environment_and_bad_entries(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MUTTE_USERS_FILE", raising=False)
    monkeypatch.delenv("MUTTE_USERS", raising=False)
    assert load_accounts() == {}
    monkeypatch.setenv("MUTTE_USERS", json.dumps({"users": {"minh": {"role": "admin",
                                                                     "password": hash_password("b2")}}}))
    assert load_accounts()["minh"].user == User("minh", "admin")
    monkeypatch.setenv("MUTTE_USERS", json.dumps({"users": {"x": {"role": "admin", "password": "b2"}}}))
    with pytest.raises(AtlasError, match="must be a scrypt hash"):
        load_accounts()
    monkeypatch.setenv("MUTTE_USERS", json.dumps({"users": {"x": {"role": "boss", "password": hash_password("b")}}}))
    with pytest.raises(AtlasError, match="role must be one of"):
        load_accounts()


@pytest.fixture
def temp_store(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MUTTE_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    value_store.clear()
    yield
    value_store.clear()


def signed_in(user: User, password: str = "Sông Đà chảy về xuôi") -> User:
    """``user`` as an account of the page's store (TEST DATA), as a session holds it after signing in."""
    engine = value_store().engine
    AccountStore(engine)
    with engine.begin() as conn:
        if conn.execute(select(accounts_table.c.login).where(accounts_table.c.login == user.login)).first() is None:
            now = dt.datetime.now(dt.UTC)
            conn.execute(insert(accounts_table).values(
                login=user.login, name=user.name, role=user.role, units=",".join(sorted(user.units)),
                sensitive=user.sensitive, password_hash=hash_password(password), must_change_password=False,
                disabled=False, credentials_version=1, created_at=now, updated_at=now))
    return replace(user, credentials_version=1)


def page(name: str, user: User | None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=90)
    at.query_params["lang"] = "vi"
    if user is not None:
        at.session_state["user"] = signed_in(user)
    return at.run()


@pytest.mark.parametrize("name", ["import.py", "edit.py", "history.py"])
def test_staff_pages_are_closed_to_visitors_and_viewers(name: str, temp_store) -> None:  # type: ignore[no-untyped-def]
    at = page(name, None)
    assert not at.exception
    assert [i.value for i in at.info] == ["Trang này dành cho cán bộ: hãy đăng nhập để mở trang."]
    assert not at.title
    at = page(name, VIEWER)
    assert [w.value for w in at.warning] == ["Vai trò của bạn không được phép làm việc này."]
    assert not at.title


def test_editor_pages_and_restore_only_for_admins(temp_store) -> None:  # type: ignore[no-untyped-def]
    at = page("import.py", EDITOR)
    assert not at.exception and at.title[0].value == "Nhập số liệu từ tệp"
    at = page("edit.py", EDITOR)
    assert not at.exception and at.title[0].value == "Sửa số liệu trực tiếp"
    editor_history = page("history.py", EDITOR)
    assert not editor_history.exception and not editor_history.checkbox
    admin_history = page("history.py", ADMIN)
    assert not admin_history.exception
    assert admin_history.dataframe[0].value.iloc[0]["Thao tác"] == "dữ liệu ban đầu"


def test_map_page_lists_the_sensitive_layer_only_for_allowed_users(temp_store) -> None:  # type: ignore[no-untyped-def]
    name = load_catalogue()["security_hotspot"].name_vi
    visitor = page("map.py", None)
    assert not visitor.exception
    options = visitor.selectbox(key="indicator").options
    assert len(options) > 40 and not [o for o in options if o.startswith(name)]
    editor = page("map.py", EDITOR)
    assert len([o for o in editor.selectbox(key="indicator").options if o.startswith(name)]) == 1


def _atlas_script() -> None:
    import streamlit as st

    from mutte_geo.ui.appstate import atlas_or_stop

    atlas = atlas_or_stop("vi")
    st.text(",".join(sorted(set(atlas.values["indicator"]))))
    st.text(",".join(atlas.catalogue))


@pytest.mark.parametrize(("user", "shown"), [(None, False), (VIEWER, False), (EDITOR, True), (ADMIN, True)])
def test_every_page_and_export_gets_an_atlas_without_what_the_user_may_not_see(user, shown, temp_store) -> None:  # type: ignore[no-untyped-def]
    at = AppTest.from_function(_atlas_script, default_timeout=90)
    if user is not None:
        at.session_state["user"] = signed_in(user)
    at.run()
    assert not at.exception
    values, catalogue = (t.value.split(",") for t in at.text)
    assert len(values) > 20 and len(catalogue) > 40
    assert ("security_hotspot" in values, "security_hotspot" in catalogue) == (shown, shown)


def test_admin_adds_an_account_on_the_users_page_and_a_reset_keeps_its_restriction(temp_store) -> None:  # type: ignore[no-untyped-def]
    assert page("users.py", EDITOR).warning[0].value == "Vai trò của bạn không được phép làm việc này."
    at = page("users.py", ADMIN)
    assert not at.exception and len(at.dataframe[0].value) == 2  # lan (just above) and minh
    at.text_input(key="user_new_login").set_value("hoa")
    at.text_input(key="user_new_name").set_value("Trần Thị Hoa")
    at.selectbox(key="user_new_role").set_value("editor")
    at.multiselect(key="user_new_units").set_value(["2025:03442"])
    at.selectbox(key="user_new_sensitive").set_value(False)
    at.text_input(key="user_new_password").set_value("password123")
    at.button[0].click().run()
    assert at.error[0].value == "Mật khẩu không đạt: đây là mật khẩu phổ biến."
    at.text_input(key="user_new_password").set_value("một mật khẩu dài")
    at.button[0].click().run()
    assert at.success[0].value == "Đã thêm tài khoản hoa."
    table = at.dataframe[0].value.set_index("Tên đăng nhập")
    assert table.loc["hoa", "Lớp nhạy cảm"] == "không được xem" and table.loc["hoa", "Đơn vị"] == "Xã Pa Ủ (2025:03442)"
    # the reset that used to drop the sensitive-layer restriction
    at.selectbox(key="user_reset_login").set_value("hoa")
    at.text_input(key="user_reset_password").set_value("Mật khẩu mới cho chị")
    [b for b in at.button if b.label == "Đặt lại"][0].click().run()
    assert at.success[0].value == "Đã đặt lại mật khẩu của hoa; người dùng phải đổi khi đăng nhập."
    hoa = AccountStore(value_store().engine).get("hoa")
    assert hoa is not None and hoa.must_change_password
    assert (hoa.user.role, hoa.user.units, hoa.user.sensitive) == ("editor", frozenset({"2025:03442"}), False)
    table = at.dataframe[0].value.set_index("Tên đăng nhập")
    assert table.loc["hoa", "Lớp nhạy cảm"] == "không được xem" and table.loc["hoa", "Phải đổi mật khẩu"] == "có"
    # the last admin stays
    at.selectbox(key="user_state_login").set_value("minh")
    at.run()
    at.button(key="user_toggle").click().run()
    assert at.error[0].value == "Không thể bỏ quản trị viên cuối cùng còn hoạt động."


def test_admin_restores_an_earlier_state_on_the_history_page(temp_store) -> None:  # type: ignore[no-untyped-def]
    from mutte_geo.storage.importer import Change

    at = page("history.py", ADMIN)  # opens (and seeds) the page's store
    store = value_store()
    seed = store.current()
    store.apply([Change((2024, "03442", "villages", "2024-Q3", "actual"),
                        {"value": "9", "status": "", "source": "x", "note": ""}, None, None, "b.csv", 2)], user="lan")
    at.run()
    at.selectbox(key="history_revision").set_value(1).run()
    assert at.button(key="history_restore").disabled
    at.checkbox(key="history_sure").check().run()
    at.button(key="history_restore").click().run()
    assert at.success[0].value == "Đã khôi phục (phiên bản 3)."
    pd.testing.assert_frame_equal(store.current()[list(seed.columns[:9])].reset_index(drop=True),
                                  seed[list(seed.columns[:9])].reset_index(drop=True))
    editor = page("history.py", EDITOR)
    assert not editor.checkbox and not [b for b in editor.button if b.key == "history_restore"]

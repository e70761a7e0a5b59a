"""Roles, password hashes, credentials from outside the repository, and who sees sensitive layers."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mutte_geo.core.errors import AtlasError
from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.model.catalogue import load_catalogue
from mutte_geo.storage.auth import (
    User,
    authenticate,
    can,
    can_see,
    hash_password,
    load_accounts,
    save_account,
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
    assert authenticate("lan", "a1", accounts) == User("lan", "editor", "Nguyễn Thị Lan")
    assert authenticate("lan", "a2", accounts) is None
    assert authenticate("nobody", "a1", accounts) is None


def test_accounts_from_json_in_the_environment_and_bad_entries(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MUTTE_USERS_FILE", raising=False)
    monkeypatch.delenv("MUTTE_USERS", raising=False)
    assert load_accounts() == {}
    monkeypatch.setenv("MUTTE_USERS", json.dumps({"users": {"minh": {"role": "admin",
                                                                     "password": hash_password("b2")}}}))
    assert authenticate("minh", "b2", load_accounts()) == User("minh", "admin")
    monkeypatch.setenv("MUTTE_USERS", json.dumps({"users": {"x": {"role": "admin", "password": "b2"}}}))
    with pytest.raises(AtlasError, match="must be a scrypt hash"):
        load_accounts()
    monkeypatch.setenv("MUTTE_USERS", json.dumps({"users": {"x": {"role": "boss", "password": hash_password("b")}}}))
    with pytest.raises(AtlasError, match="role must be one of"):
        load_accounts()


def test_admin_saves_an_account_as_a_hash(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    save_account(path, "hoa", role="editor", password="c3", name="Hoa")
    text = path.read_text(encoding="utf-8")
    assert "c3" not in json.loads(text)["users"]["hoa"]["password"].split("$")[-2:]
    assert authenticate("hoa", "c3", load_accounts(path)) == User("hoa", "editor", "Hoa")
    assert path.stat().st_mode & 0o077 == 0


@pytest.fixture
def temp_store(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MUTTE_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    value_store.clear()
    yield
    value_store.clear()


def page(name: str, user: User | None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=90)
    at.query_params["lang"] = "vi"
    if user is not None:
        at.session_state["user"] = user
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
        at.session_state["user"] = user
    at.run()
    assert not at.exception
    values, catalogue = (t.value.split(",") for t in at.text)
    assert len(values) > 20 and len(catalogue) > 40
    assert ("security_hotspot" in values, "security_hotspot" in catalogue) == (shown, shown)


def test_admin_adds_an_account_on_the_users_page(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "users.json"
    save_account(path, "minh", role="admin", password="minh-password")
    monkeypatch.setenv("MUTTE_USERS_FILE", str(path))
    assert page("users.py", EDITOR).warning[0].value == "Vai trò của bạn không được phép làm việc này."
    at = page("users.py", ADMIN)
    assert not at.exception and len(at.dataframe[0].value) == 1
    at.text_input[0].set_value("hoa")
    at.text_input[1].set_value("Trần Thị Hoa")
    at.selectbox[0].set_value("editor")
    at.text_input[2].set_value("short")
    at.button[0].click().run()
    assert at.error[0].value.startswith("Cần tên đăng nhập")
    at.text_input[0].set_value("hoa")
    at.text_input[2].set_value("một mật khẩu dài")
    at.selectbox[0].set_value("editor")
    at.button[0].click().run()
    assert at.success[0].value == "Đã lưu tài khoản hoa."
    assert authenticate("hoa", "một mật khẩu dài", load_accounts(path)) == User("hoa", "editor", "")
    assert "một mật khẩu dài" not in path.read_text(encoding="utf-8")


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

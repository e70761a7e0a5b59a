"""User accounts (admins): every attribute shown and kept; create, change, reset, disable, delete."""

import pandas as pd
import streamlit as st

from mutte_geo.core.i18n import tr
from mutte_geo.core.localtime import local_time_text
from mutte_geo.storage.accounts import AccountError
from mutte_geo.storage.auth import REGION, ROLES
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.authpage import ROLE_LABELS, account_store, require
from mutte_geo.ui.flash import rerun_with, show_flash

SENSITIVE = {None: ("theo vai trò", "as the role says"), True: ("được xem", "granted"),
             False: ("không được xem", "withheld")}

lang = current_lang()
admin = require("users", lang)
atlas = atlas_or_stop(lang)
accounts = account_store()
st.title(tr(lang, "Tài khoản người dùng", "User accounts"))
show_flash()

unit_choices = [REGION] + [f"{v}:{c}" for v in sorted(atlas.units, reverse=True) for c in atlas.units[v]]


def unit_label(key: str) -> str:
    if key == REGION:
        return tr(lang, "Toàn huyện", "Whole region")
    vintage, _, code = key.partition(":")
    unit = atlas.units[int(vintage)].get(code)
    return f"{unit.label(lang) if unit else code} ({key})"


records = accounts.all()
st.dataframe(pd.DataFrame.from_records([{
    tr(lang, "Tên đăng nhập", "User name"): r.user.login, tr(lang, "Họ tên", "Name"): r.user.name,
    tr(lang, "Vai trò", "Role"): tr(lang, *ROLE_LABELS[r.user.role]),
    tr(lang, "Đơn vị", "Units"): "; ".join(unit_label(u) for u in sorted(r.user.units)),
    tr(lang, "Lớp nhạy cảm", "Sensitive layer"): tr(lang, *SENSITIVE[r.user.sensitive]),
    tr(lang, "Trạng thái", "State"): tr(lang, "đã khóa", "disabled") if r.disabled else tr(lang, "hoạt động", "active"),
    tr(lang, "Phải đổi mật khẩu", "Must change password"): tr(lang, "có", "yes") if r.must_change_password else "",
    tr(lang, "Sửa lần cuối (giờ VN)", "Last changed (Vietnam time)"): local_time_text(r.updated_at, lang),
} for r in records]), hide_index=True, width="stretch")


def attempt(action, message: str) -> None:
    try:
        action()
    except AccountError as exc:
        st.error(exc.text(lang))
    else:
        rerun_with(message)


new_tab, change_tab, reset_tab, state_tab = st.tabs([
    tr(lang, "Thêm tài khoản", "Add an account"), tr(lang, "Sửa vai trò, đơn vị", "Change role, units"),
    tr(lang, "Đặt lại mật khẩu", "Reset a password"), tr(lang, "Khóa, mở, xóa", "Disable, enable, delete")])
with new_tab, st.form("user_new", clear_on_submit=False):
    login = st.text_input(tr(lang, "Tên đăng nhập", "User name"), key="user_new_login").strip()
    name = st.text_input(tr(lang, "Họ tên", "Name"), key="user_new_name")
    role = st.selectbox(tr(lang, "Vai trò", "Role"), ROLES, format_func=lambda r: tr(lang, *ROLE_LABELS[r]),
                        key="user_new_role")
    units = st.multiselect(tr(lang, "Đơn vị (xã 2025; đơn vị 2024 cho số liệu cũ) hoặc toàn huyện",
                              "Units (2025 communes; 2024 units for older data) or the whole region"),
                           unit_choices, format_func=unit_label, key="user_new_units",
                           placeholder=tr(lang, "Chọn đơn vị", "Choose units"))
    sensitive = st.selectbox(tr(lang, "Lớp nhạy cảm", "Sensitive layer"), list(SENSITIVE),
                             format_func=lambda s: tr(lang, *SENSITIVE[s]), key="user_new_sensitive")
    password = st.text_input(tr(lang, "Mật khẩu ban đầu (người dùng phải đổi khi đăng nhập)",
                                "First password (the user must change it at sign-in)"), type="password",
                             key="user_new_password")
    if st.form_submit_button(tr(lang, "Thêm", "Add")):
        attempt(lambda: accounts.create(admin.login, login, password=password, role=role, name=name,
                                        units=frozenset(units), sensitive=sensitive),
                tr(lang, f"Đã thêm tài khoản {login}.", f"Account {login} added."))

logins = [r.user.login for r in records]
by_login = {r.user.login: r for r in records}
with change_tab:
    chosen = st.selectbox(tr(lang, "Tài khoản", "Account"), logins, key="user_change_login")
    if chosen:
        held = by_login[chosen].user
        with st.form(f"user_change_{chosen}"):  # every field starts as stored, so nothing is dropped
            name = st.text_input(tr(lang, "Họ tên", "Name"), held.name)
            role = st.selectbox(tr(lang, "Vai trò", "Role"), ROLES, index=ROLES.index(held.role),
                                format_func=lambda r: tr(lang, *ROLE_LABELS[r]))
            units = st.multiselect(tr(lang, "Đơn vị", "Units"), unit_choices, default=sorted(held.units),
                                   format_func=unit_label, placeholder=tr(lang, "Chọn đơn vị", "Choose units"))
            sensitive = st.selectbox(tr(lang, "Lớp nhạy cảm", "Sensitive layer"), list(SENSITIVE),
                                     index=list(SENSITIVE).index(held.sensitive),
                                     format_func=lambda s: tr(lang, *SENSITIVE[s]))
            if st.form_submit_button(tr(lang, "Lưu", "Save")):
                attempt(lambda: accounts.change(admin.login, chosen, role=role, name=name, units=frozenset(units),
                                                sensitive=sensitive),
                        tr(lang, f"Đã lưu tài khoản {chosen}.", f"Account {chosen} saved."))
with reset_tab, st.form("user_reset", clear_on_submit=True):
    chosen = st.selectbox(tr(lang, "Tài khoản", "Account"), logins, key="user_reset_login")
    password = st.text_input(tr(lang, "Mật khẩu mới (chỉ đổi mật khẩu; vai trò, đơn vị, quyền giữ nguyên)",
                                "New password (only the password changes; role, units and grants are kept)"),
                             type="password", key="user_reset_password")
    if st.form_submit_button(tr(lang, "Đặt lại", "Reset")) and chosen:
        attempt(lambda: accounts.reset_password(admin.login, chosen, password),
                tr(lang, f"Đã đặt lại mật khẩu của {chosen}; người dùng phải đổi khi đăng nhập.",
                   f"Password of {chosen} reset; the user must change it at sign-in."))
with state_tab:
    chosen = st.selectbox(tr(lang, "Tài khoản", "Account"), logins, key="user_state_login")
    if chosen:
        disabled = by_login[chosen].disabled
        left, right = st.columns(2)
        if left.button(tr(lang, "Mở lại", "Re-enable") if disabled else tr(lang, "Khóa", "Disable"),
                       key="user_toggle"):
            attempt(lambda: accounts.set_disabled(admin.login, chosen, not disabled),
                    tr(lang, f"Đã mở lại tài khoản {chosen}.", f"Account {chosen} re-enabled.") if disabled
                    else tr(lang, f"Đã khóa tài khoản {chosen}.", f"Account {chosen} disabled."))
        sure = right.checkbox(tr(lang, f"Tôi muốn xóa hẳn {chosen}", f"I want to delete {chosen}"),
                              key="user_delete_sure")
        if right.button(tr(lang, "Xóa", "Delete"), disabled=not sure, key="user_delete"):
            attempt(lambda: accounts.delete(admin.login, chosen),
                    tr(lang, f"Đã xóa tài khoản {chosen}.", f"Account {chosen} deleted."))

"""User accounts (admins): who may do what; passwords are stored only as salted hashes."""

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from mutte_geo.core.errors import AtlasError
from mutte_geo.core.i18n import tr
from mutte_geo.storage.auth import ROLES, USERS_FILE_ENV, load_accounts, save_account
from mutte_geo.ui.appstate import current_lang
from mutte_geo.ui.authpage import ROLE_LABELS, require
from mutte_geo.ui.flash import rerun_with, show_flash
from mutte_geo.ui.sessionroutes import sessions

lang = current_lang()
require("users", lang)
st.title(tr(lang, "Tài khoản người dùng", "User accounts"))
show_flash()
accounts = load_accounts()
st.dataframe(pd.DataFrame.from_records([{
    tr(lang, "Tên đăng nhập", "User name"): a.user.login, tr(lang, "Họ tên", "Name"): a.user.name,
    tr(lang, "Vai trò", "Role"): tr(lang, *ROLE_LABELS[a.user.role]),
} for a in accounts.values()]), hide_index=True, width="stretch")

path = os.environ.get(USERS_FILE_ENV, "")
if not path.endswith(".json"):
    st.info(tr(lang, f"Muốn thêm hoặc sửa tài khoản trong ứng dụng, hãy đặt {USERS_FILE_ENV} trỏ tới một tệp .json.",
               f"To add or change accounts in the app, point {USERS_FILE_ENV} to a .json file."))
    st.stop()
with st.form("user_form", clear_on_submit=True):
    st.subheader(tr(lang, "Thêm tài khoản hoặc đặt lại mật khẩu", "Add an account or reset a password"))
    login = st.text_input(tr(lang, "Tên đăng nhập", "User name")).strip()
    name = st.text_input(tr(lang, "Họ tên", "Name")).strip()
    role = st.selectbox(tr(lang, "Vai trò", "Role"), ROLES, format_func=lambda r: tr(lang, *ROLE_LABELS[r]))
    password = st.text_input(tr(lang, "Mật khẩu (ít nhất 10 ký tự)", "Password (10 characters or more)"),
                             type="password")
    if st.form_submit_button(tr(lang, "Lưu", "Save")):
        if not login or len(password) < 10:
            st.error(tr(lang, "Cần tên đăng nhập và mật khẩu ít nhất 10 ký tự.",
                        "A user name and a password of at least 10 characters are needed."))
        else:
            try:
                save_account(Path(path), login, role=role, password=password, name=name)
            except AtlasError as exc:
                st.error(str(exc))
            else:
                sessions().revoke_all(login)  # a new password signs the account out everywhere
                rerun_with(tr(lang, f"Đã lưu tài khoản {login}.", f"Account {login} saved."))

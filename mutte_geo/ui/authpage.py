"""Streamlit glue for signing in and for pages that need a role."""

from __future__ import annotations

import streamlit as st

from mutte_geo.core.errors import AtlasError
from mutte_geo.core.i18n import tr
from mutte_geo.storage.auth import ROLES, User, authenticate, can, load_accounts
from mutte_geo.ui.markdown import md_escape

USER_KEY = "user"
ROLE_LABELS = {"viewer": ("xem", "viewer"), "editor": ("biên tập", "editor"), "admin": ("quản trị", "admin")}


def current_user() -> User | None:
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, User) and user.role in ROLES else None


def sign_in_sidebar(lang: str) -> None:
    """Signed-in name and a sign-out button, or a small sign-in form."""
    user = current_user()
    if user is not None:
        role = tr(lang, *ROLE_LABELS[user.role])
        st.caption(tr(lang, f"Đã đăng nhập: **{md_escape(user.name or user.login)}** ({role})",
                      f"Signed in: **{md_escape(user.name or user.login)}** ({role})"))
        if st.button(tr(lang, "Đăng xuất", "Sign out"), key="sign_out"):
            del st.session_state[USER_KEY]
            st.rerun()
        return
    with st.expander(tr(lang, "Đăng nhập (cán bộ)", "Sign in (staff)")):
        with st.form("sign_in", clear_on_submit=True):
            login = st.text_input(tr(lang, "Tên đăng nhập", "User name"), key="sign_in_login")
            password = st.text_input(tr(lang, "Mật khẩu", "Password"), type="password", key="sign_in_password")
            submitted = st.form_submit_button(tr(lang, "Đăng nhập", "Sign in"))
        if submitted:
            try:
                accounts = load_accounts()
            except AtlasError as exc:
                st.error(md_escape(exc))
                return
            signed_in = authenticate(login, password, accounts)
            if signed_in is None:
                st.error(tr(lang, "Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."))
            else:
                st.session_state[USER_KEY] = signed_in
                st.rerun()


def require(action: str, lang: str) -> User:
    """The signed-in user allowed to do ``action``; otherwise a message and a stopped page."""
    user = current_user()
    if can(user, action):
        assert user is not None
        return user
    if user is None:
        st.info(tr(lang, "Trang này dành cho cán bộ: hãy đăng nhập ở thanh bên.",
                   "This page is for staff: sign in in the sidebar."))
    else:
        st.warning(tr(lang, "Vai trò của bạn không được phép làm việc này.", "Your role does not allow this."))
    st.stop()
    raise AssertionError("unreachable")

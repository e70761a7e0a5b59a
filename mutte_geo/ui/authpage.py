"""Streamlit glue for signing in and for pages that need a role."""

from __future__ import annotations

import json
import time

import streamlit as st

from mutte_geo.core.errors import AtlasError
from mutte_geo.core.i18n import tr
from mutte_geo.storage.auth import ROLES, User, authenticate, can, load_accounts
from mutte_geo.ui.sessionroutes import COOKIE, SESSION_PATH, sessions

USER_KEY = "user"
SESSION_KEY = "_sign_in"  # ("grant", code) for the tab that signed in, ("token", token) from the cookie
CHECKED_KEY = "_sign_in_checked"  # when the session was last confirmed with the server
ENDED_KEY = "_sign_in_ended"  # the cookie token of a session that ended (not adopted again)
SENT_KEY = "_sign_in_cookie_sent"  # the one-time code went to the browser
CLEAR_COOKIE_KEY = "_sign_in_clear_cookie"
CHECK_EVERY = 20.0  # seconds: a revoked or expired session ends in every tab within this time
ROLE_LABELS = {"viewer": ("xem", "viewer"), "editor": ("biên tập", "editor"), "admin": ("quản trị", "admin")}


def current_user() -> User | None:
    """The signed-in user: from this tab's sign-in, or the session cookie of an earlier one
    (reload, new tab); None once the session was signed out, revoked or idle for 8 hours."""
    state = st.session_state
    cookie = st.context.cookies.get(COOKIE)
    if (SESSION_KEY not in state and USER_KEY not in state and isinstance(cookie, str) and cookie
            and cookie != state.get(ENDED_KEY)):
        state[SESSION_KEY] = ("token", cookie)
        state[CHECKED_KEY] = float("-inf")
    ref = state.get(SESSION_KEY)
    if ref is not None and time.monotonic() - state.get(CHECKED_KEY, float("-inf")) > CHECK_EVERY:
        _confirm(ref)
    user = state.get(USER_KEY)
    return user if isinstance(user, User) and user.role in ROLES else None


def _confirm(ref: tuple[str, str]) -> None:
    """Ask the server whether the session is alive and who it belongs to (the role as the accounts say now)."""
    state = st.session_state
    kind, secret = ref
    login = sessions().login_for_grant(secret) if kind == "grant" else sessions().login_for_token(secret)
    try:
        account = load_accounts().get(login) if login else None
    except AtlasError:
        account = None
    if account is None:
        _forget(ref)
        return
    state[USER_KEY] = account.user
    state[CHECKED_KEY] = time.monotonic()


def _forget(ref: tuple[str, str] | None) -> None:
    """Sign this tab out; the cookie (if it held ``ref``) is cleared by a page script on the next run."""
    state = st.session_state
    for key in (USER_KEY, SESSION_KEY, SENT_KEY):
        state.pop(key, None)
    state[ENDED_KEY] = ref[1] if ref is not None and ref[0] == "token" else st.context.cookies.get(COOKIE, "")
    state[CLEAR_COOKIE_KEY] = True


def _page_script(code: str) -> None:
    st.html(f"<script>{code}</script>", unsafe_allow_javascript=True)


def sign_in_sidebar(lang: str) -> None:
    """Signed-in name and a sign-out button, or a small sign-in form."""
    user = current_user()
    if user is not None:
        role = tr(lang, *ROLE_LABELS[user.role])
        st.caption(tr(lang, f"Đã đăng nhập: **{user.name or user.login}** ({role})",
                      f"Signed in: **{user.name or user.login}** ({role})"))
        ref = st.session_state.get(SESSION_KEY)
        if ref is not None and ref[0] == "grant" and not st.session_state.get(SENT_KEY):
            # this tab signed in: the browser trades the one-time code for its HttpOnly cookie
            st.session_state[SENT_KEY] = True
            body = json.dumps(json.dumps({"code": ref[1]}))
            _page_script(f"fetch({json.dumps(SESSION_PATH)}, {{method: 'POST', credentials: 'same-origin',"
                         f" headers: {{'Content-Type': 'application/json'}}, body: {body}}});")
        if st.button(tr(lang, "Đăng xuất", "Sign out"), key="sign_out"):
            sign_out()
            st.rerun()
        return
    if st.session_state.pop(CLEAR_COOKIE_KEY, False):
        _page_script(f"fetch({json.dumps(SESSION_PATH + '/end')}, {{method: 'POST', credentials: 'same-origin'}});")
    with st.expander(tr(lang, "Đăng nhập (cán bộ)", "Sign in (staff)")):
        sign_in_form(lang, "sign_in")


def sign_out() -> None:
    """End the session on the server (every tab) and, on the next run, clear the browser's cookie."""
    ref = st.session_state.get(SESSION_KEY)
    if ref is not None:
        sessions().revoke(**{"code" if ref[0] == "grant" else "token": ref[1]})
    _forget(ref)


def sign_in_form(lang: str, form_key: str) -> None:
    """User name and password; on success the user is signed in and the page runs again."""
    with st.form(form_key, clear_on_submit=True):
        login = st.text_input(tr(lang, "Tên đăng nhập", "User name"), key=f"{form_key}_login")
        password = st.text_input(tr(lang, "Mật khẩu", "Password"), type="password", key=f"{form_key}_password")
        submitted = st.form_submit_button(tr(lang, "Đăng nhập", "Sign in"))
    if submitted:
        try:
            accounts = load_accounts()
        except AtlasError as exc:
            st.error(str(exc))
            return
        signed_in = authenticate(login, password, accounts)
        if signed_in is None:
            st.error(tr(lang, "Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."))
        else:
            st.session_state[USER_KEY] = signed_in
            st.session_state[SESSION_KEY] = ("grant", sessions().grant(signed_in.login))
            st.session_state[CHECKED_KEY] = time.monotonic()
            st.session_state.pop("_cookie_sent", None)
            st.rerun()


def require(action: str, lang: str) -> User:
    """The signed-in user allowed to do ``action``; otherwise a message and a stopped page."""
    user = current_user()
    if can(user, action):
        assert user is not None
        return user
    if user is None:
        st.info(tr(lang, "Trang này dành cho cán bộ: hãy đăng nhập để mở trang.",
                   "This page is for staff: sign in to open it."))
        sign_in_form(lang, "sign_in_page")
    else:
        st.warning(tr(lang, "Vai trò của bạn không được phép làm việc này.", "Your role does not allow this."))
    st.stop()
    raise AssertionError("unreachable")

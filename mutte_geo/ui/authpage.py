"""Streamlit glue for signing in, changing one's password and pages that need a role."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import streamlit as st

from mutte_geo.core.i18n import N_, gettext
from mutte_geo.maps.viewstate import decode_include_submitted
from mutte_geo.storage import audit
from mutte_geo.storage.accounts import AccountError, AccountStore
from mutte_geo.storage.auth import ROLES, User, can, load_accounts
from mutte_geo.ui.markdown import md_escape
from mutte_geo.ui.sessionroutes import COOKIE, SESSION_PATH, sessions
from mutte_geo.ui.viewstate import bound

USER_KEY = "user"
SIGN_IN_PROBLEM_KEY = "sign_in_problem"
PENDING_KEY = "password_change_due"  # login that signed in with a password it must change first
CHANGED_NOTE_KEY = "password_changed"
SESSION_KEY = "_sign_in"  # ("grant", code) for the tab that signed in, ("token", token) from the cookie
ENDED_KEY = "_sign_in_ended"  # the cookie token of a session that ended (not adopted again)
SENT_KEY = "_sign_in_cookie_sent"  # the one-time code went to the browser
CLEAR_COOKIE_KEY = "_sign_in_clear_cookie"
ROLE_LABELS = {"viewer": N_("viewer"), "editor": N_("editor"), "approver": N_("approver"),
               "admin": N_("admin")}
_held: list[AccountStore] = []


def account_store() -> AccountStore:
    """The accounts of the value store's database, bootstrapped once from MUTTE_USERS_FILE / MUTTE_USERS."""
    from mutte_geo.ui.appstate import value_store

    engine = value_store().engine
    if not _held or _held[0].engine is not engine:
        accounts = AccountStore(engine)
        accounts.bootstrap(load_accounts())
        _held[:] = [accounts]
    return _held[0]


def client_address() -> str:
    """The client's address as Streamlit sees the connection (a proxy's forwarded address, else 'localhost')."""
    candidates = [st.context.ip_address, str(st.context.headers.get("X-Forwarded-For") or "").split(",")[0].strip(),
                  st.context.headers.get("X-Real-Ip")]
    return next((c for c in candidates if isinstance(c, str) and c), "localhost")


def current_user() -> User | None:
    """The signed-in user as the accounts table now says: from this tab's sign-in, or the session cookie
    of an earlier one (reload, new tab); None once the session was signed out, revoked or idle for 8 hours,
    or the account was disabled, deleted or changed."""
    state = st.session_state
    cookie = st.context.cookies.get(COOKIE)
    if (SESSION_KEY not in state and USER_KEY not in state and isinstance(cookie, str) and cookie
            and cookie != state.get(ENDED_KEY)):
        state[SESSION_KEY] = ("token", cookie)
    ref = state.get(SESSION_KEY)
    if ref is not None:  # every use: a session ended elsewhere (sign-out, expiry) ends here on the next action
        _confirm(ref)
    user = state.get(USER_KEY)
    if not isinstance(user, User) or user.role not in ROLES:
        return None
    fresh = account_store().session_user(user)
    if fresh is None:
        _forget(state.get(SESSION_KEY))
    return fresh


def _confirm(ref: tuple[str, str]) -> None:
    """Ask the server whether the session is alive and who it belongs to (the account as stored now)."""
    state = st.session_state
    kind, secret = ref
    login = sessions().login_for_grant(secret) if kind == "grant" else sessions().login_for_token(secret)
    record = account_store().get(login) if login else None
    if record is None or record.disabled or record.must_change_password:
        _forget(ref)
        return
    state[USER_KEY] = record.user


def _forget(ref: tuple[str, str] | None) -> None:
    """Sign this tab out; the cookie (if it held ``ref``) is cleared by a page script on the next run."""
    state = st.session_state
    for key in (USER_KEY, SESSION_KEY, SENT_KEY):
        state.pop(key, None)
    state[ENDED_KEY] = ref[1] if ref is not None and ref[0] == "token" else st.context.cookies.get(COOKIE, "")
    state[CLEAR_COOKIE_KEY] = True


def _start_session(user: User) -> None:
    """Sign this tab in as ``user`` with a new server-side session; the browser gets its cookie next run."""
    state = st.session_state
    state[USER_KEY] = user
    state[SESSION_KEY] = ("grant", sessions().grant(user.login))
    state.pop(SENT_KEY, None)


def _page_script(code: str) -> None:
    st.html(f"<script>{code}</script>", unsafe_allow_javascript=True)


def include_submitted() -> bool:
    """Whether the signed-in user chose to see values still waiting for approval (marked)."""
    return decode_include_submitted(st.query_params.to_dict()) and current_user() is not None



def sign_in_sidebar(lang: str) -> None:
    """Signed-in name, the switch for submitted values, password change and sign-out; or a sign-in form."""
    user = current_user()
    if user is not None:
        role = gettext(lang, ROLE_LABELS[user.role])
        st.caption(gettext(lang, "Signed in: **{md_escape}** ({role})").format(
                       md_escape=md_escape(user.name or user.login), role=role))
        if st.session_state.pop(CHANGED_NOTE_KEY, False):
            st.success(gettext(lang, "Password changed."))
        st.toggle(gettext(lang, "Include values waiting for approval"),
                  **bound("include_submitted", include_submitted()),
                  help=gettext(lang, "By default only approved values are shown; waiting ones are marked “NOT "
                                     "APPROVED”."))
        with st.expander(gettext(lang, "Change password")):
            _password_form(user.login, lang, key="own_password")
        ref = st.session_state.get(SESSION_KEY)
        if ref is not None and ref[0] == "grant" and not st.session_state.get(SENT_KEY):
            # this tab signed in: the browser trades the one-time code for its HttpOnly cookie
            st.session_state[SENT_KEY] = True
            body = json.dumps(json.dumps({"code": ref[1]}))
            _page_script(f"fetch({json.dumps(SESSION_PATH)}, {{method: 'POST', credentials: 'same-origin',"
                         f" headers: {{'Content-Type': 'application/json'}}, body: {body}}});")
        if st.button(gettext(lang, "Sign out"), key="sign_out"):
            sign_out()
            st.rerun()
        return
    if st.session_state.pop(CLEAR_COOKIE_KEY, False):
        _page_script(f"fetch({json.dumps(SESSION_PATH + '/end')}, {{method: 'POST', credentials: 'same-origin'}});")
    if st.session_state.get(PENDING_KEY):
        st.warning(gettext(lang, "Your password was set by an admin: choose a new one before you continue."))
        _password_form(st.session_state[PENDING_KEY], lang, key="forced_password")
        return
    with st.expander(gettext(lang, "Sign in (staff)")):
        sign_in_form(lang, "sign_in")


def sign_out() -> None:
    """End every session of this user on the server (every browser and tab) and, on the next run, clear
    this browser's cookie."""
    ref = st.session_state.get(SESSION_KEY)
    if ref is not None:
        sessions().end_everywhere(**{"code" if ref[0] == "grant" else "token": ref[1]})
    _forget(ref)


def sign_in_form(lang: str, form_key: str) -> None:
    """User name and password; on success the user is signed in (with a session cookie) and the page runs again."""
    with st.form(form_key, clear_on_submit=True):
        st.text_input(gettext(lang, "User name"), key=f"{form_key}_login")
        st.text_input(gettext(lang, "Password"), type="password", key=f"{form_key}_password")
        # A callback, not `if submitted:` in the body: Streamlit resets a submit button after the run
        # that received it, so a run interrupted before that line (by any other rerun request) lost
        # the sign-in. Callbacks run while the click is applied, before the body starts.
        st.form_submit_button(gettext(lang, "Sign in"), on_click=_sign_in, args=(form_key,))
    problem = st.session_state.pop(f"{form_key}_{SIGN_IN_PROBLEM_KEY}", None)
    if problem:
        st.error(problem[0] if lang == "vi" else problem[1])


def _sign_in(form_key: str) -> None:
    """Check the submitted name and password; sign in, or remember the reason (vi, en) it failed."""
    result = account_store().sign_in(st.session_state.get(f"{form_key}_login", ""),
                                     st.session_state.get(f"{form_key}_password", ""), client=client_address())
    seconds = math.ceil(result.wait_seconds)
    problem_key = f"{form_key}_{SIGN_IN_PROBLEM_KEY}"
    if not result.checked:
        st.session_state[problem_key] = (f"Đã thử sai nhiều lần: hãy đợi {seconds} giây rồi thử lại.",
                                                 f"Too many failed attempts: wait {seconds} s and try again.")
    elif result.user is None:
        later = (f" Lần thử tiếp theo sau {seconds} giây.", f" Next attempt in {seconds} s.") if seconds else ("", "")
        st.session_state[problem_key] = ("Sai tên đăng nhập hoặc mật khẩu." + later[0],
                                                 "Wrong user name or password." + later[1])
    elif result.must_change_password:
        st.session_state[PENDING_KEY] = result.user.login
    else:
        _start_session(result.user)


def _password_form(login: str, lang: str, *, key: str) -> None:
    with st.form(key, clear_on_submit=True):
        current = st.text_input(gettext(lang, "Current password"), type="password", key=f"{key}_old")
        new = st.text_input(gettext(lang, "New password (10+ characters, not common, without your name)"),
                            type="password", key=f"{key}_new")
        again = st.text_input(gettext(lang, "New password again"), type="password",
                              key=f"{key}_again")
        submitted = st.form_submit_button(gettext(lang, "Change password"))
    if not submitted:
        return
    if new != again:
        st.error(gettext(lang, "The two new passwords differ."))
        return
    try:
        user = account_store().change_own_password(login, current, new, client=client_address())
    except AccountError as exc:
        st.error(exc.text(lang))
        return
    st.session_state.pop(PENDING_KEY, None)
    _start_session(user)  # the change ended every session of the user (in storage)
    st.session_state[CHANGED_NOTE_KEY] = True
    st.rerun()


def recorded(make: Callable[[], bytes], action: str, target: str, detail: str = "") -> Callable[[], bytes]:
    """``make`` (a download's deferred data) that adds ``action`` by the signed-in user to the audit log
    when it runs, i.e. when the file is actually downloaded."""
    user = current_user()
    login, engine, client = user.login if user else "(visitor)", account_store().engine, client_address()

    def run() -> bytes:
        data = make()
        audit.record_now(engine, login, action, target=target, detail=detail, client=client)
        return data
    return run


def sensitive_export(data: bytes | Callable[[], bytes], includes_sensitive: bool,
                     what: str) -> bytes | Callable[[], bytes]:
    """A download's data (bytes or deferred), recorded in the audit log (who, when, what) when the file is
    downloaded, if it includes the sensitive layer; otherwise ``data`` unchanged."""
    if not includes_sensitive:
        return data
    return recorded(data if callable(data) else (lambda: data), "export_sensitive", what)


def require(action: str, lang: str) -> User:
    """The signed-in user allowed to do ``action``; otherwise a message and a stopped page."""
    user = current_user()
    if can(user, action):
        assert user is not None
        return user
    if user is None:
        st.info(gettext(lang, "This page is for staff: sign in to open it."))
        if not st.session_state.get(PENDING_KEY):  # else the sidebar asks for the new password
            sign_in_form(lang, "sign_in_page")
    else:
        st.warning(gettext(lang, "Your role does not allow this."))
    st.stop()
    raise AssertionError("unreachable")


def display_names() -> dict[str, str]:
    """Login → display name of every account (deleted accounts keep their login in the history)."""
    return {record.user.login: record.user.name for record in account_store().all()}

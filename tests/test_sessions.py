"""Sign-in sessions: one-time codes, tokens only as digests, idle expiry and revocation (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text, update

from mutte_geo.storage.accounts import AccountStore
from mutte_geo.storage.sessions import SessionStore, sign_ins
from mutte_geo.storage.store import database_url

from .test_store import postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request, tmp_path: Path) -> SessionStore:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return SessionStore(create_engine(f"sqlite:///{tmp_path / 'sessions.sqlite'}"))
    os.environ["MUTTE_DATABASE_URL"] = postgres_url()
    try:
        engine = create_engine(database_url())
    finally:
        del os.environ["MUTTE_DATABASE_URL"]
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS sign_in_sessions"))
    return SessionStore(engine)


def test_a_code_is_redeemed_once_for_a_token_that_names_the_login(sessions: SessionStore) -> None:
    code = sessions.grant("lan")
    token = sessions.redeem(code)
    assert token is not None and token != code and len(token) >= 40
    assert sessions.redeem(code) is None  # a code works once
    assert sessions.redeem("not-a-code") is None
    assert sessions.login_for_token(token) == "lan"
    assert sessions.login_for_grant(code) == "lan"
    assert sessions.login_for_token("forged") is None


def test_only_digests_are_stored(sessions: SessionStore) -> None:
    code = sessions.grant("lan")
    token = sessions.redeem(code)
    assert token is not None
    with sessions.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(select(sign_ins)) for v in row)
    assert code not in stored and token not in stored and "lan" in stored


def test_an_old_code_cannot_be_redeemed(sessions: SessionStore) -> None:
    code = sessions.grant("lan")
    with sessions.engine.begin() as conn:
        conn.execute(update(sign_ins).values(grant_expires=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert sessions.redeem(code) is None


def test_a_session_idle_for_eight_hours_ends(sessions: SessionStore) -> None:
    token = sessions.redeem(sessions.grant("lan"))
    assert token is not None
    with sessions.engine.begin() as conn:
        conn.execute(update(sign_ins).values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(hours=7, minutes=59)))
    assert sessions.login_for_token(token) == "lan"  # in use: kept alive, last seen now
    with sessions.engine.begin() as conn:
        conn.execute(update(sign_ins).values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(hours=8, minutes=1)))
    assert sessions.login_for_token(token) is None
    with sessions.engine.connect() as conn:
        assert conn.execute(select(sign_ins)).first() is None  # and is deleted


def test_sign_out_ends_every_session_of_that_login_and_no_other(sessions: SessionStore) -> None:
    first_code = sessions.grant("lan")  # the tab that signed in knows its code, not the cookie
    first = sessions.redeem(first_code)
    second = sessions.redeem(sessions.grant("lan"))  # another browser
    other = sessions.redeem(sessions.grant("minh"))
    assert first and second and other
    assert sessions.end_everywhere(code=first_code) == 2
    assert sessions.login_for_token(first) is None and sessions.login_for_token(second) is None
    assert sessions.login_for_token(other) == "minh"
    third = sessions.redeem(sessions.grant("lan"))
    fourth = sessions.redeem(sessions.grant("lan"))
    assert third and fourth
    assert sessions.end_everywhere(token=fourth) == 2  # signing out through the cookie
    assert sessions.login_for_token(third) is None
    assert sessions.end_everywhere(token="forged") == 0 and sessions.login_for_token(other) == "minh"


def test_revoke_all_ends_every_session_of_a_login(sessions: SessionStore) -> None:
    token = sessions.redeem(sessions.grant("lan"))
    other = sessions.redeem(sessions.grant("minh"))
    assert sessions.revoke_all("lan") == 1
    assert token and sessions.login_for_token(token) is None
    assert sessions.login_for_token(other) == "minh"


def test_every_change_of_an_accounts_credentials_ends_its_sessions(sessions: SessionStore) -> None:
    accounts = AccountStore(sessions.engine)
    accounts.create("admin", "lan", password="Sông Đà chảy về xuôi", role="editor")
    accounts.change_own_password("lan", "Sông Đà chảy về xuôi", "Núi Pu Si Lung mây trắng")
    other = sessions.redeem(sessions.grant("minh"))

    def signed_in() -> str:
        token = sessions.redeem(sessions.grant("lan"))
        assert token and sessions.login_for_token(token) == "lan"
        return token

    for change in (lambda: accounts.change_own_password("lan", "Núi Pu Si Lung mây trắng", "Mường Tè mùa lúa chín"),
                   lambda: accounts.reset_password("admin", "lan", "Nậm Nhùn nước trong xanh"),
                   lambda: accounts.set_disabled("admin", "lan", True),
                   lambda: accounts.delete("admin", "lan")):
        token = signed_in()
        change()
        assert sessions.login_for_token(token) is None  # in the same transaction, in any process
    assert sessions.login_for_token(other) == "minh"

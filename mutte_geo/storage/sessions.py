"""Sign-in sessions kept by the server, so staff stay signed in across reloads and tabs.

The browser holds only an opaque random token (256 bits) in an HttpOnly, SameSite cookie; the
server keeps its SHA-256 digest with the login, so a stolen database gives no usable token and
any session can be revoked: sign-out ends every session of that user (:meth:`SessionStore.end_everywhere`),
so does any change of the account's credentials (:func:`end_sessions_of`, in the same transaction);
8 hours idle end one. Neither the password nor the role ever reaches the browser; the role is read
from the accounts at each use.

Streamlit talks to the browser over a WebSocket and cannot set a cookie, so signing in takes two
steps: the app :meth:`grant` s a one-time code (valid two minutes) to the signed-in tab, whose page
script sends it to the app's own route (``mutte_geo.ui.sessionroutes``); the route
:meth:`redeem` s it for the token and sets the cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Column, ColumnElement, DateTime, Integer, MetaData, String, Table, delete, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, ProgrammingError

IDLE_LIMIT = dt.timedelta(hours=8)
GRANT_LIFETIME = dt.timedelta(minutes=2)
SEEN_EVERY = dt.timedelta(minutes=1)  # last-seen is written at most this often

metadata = MetaData()
sign_ins = Table(
    "sign_in_sessions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("login", String(100), nullable=False, index=True),
    Column("grant_digest", String(64), nullable=False, unique=True),
    Column("grant_expires", DateTime(timezone=True), nullable=False),
    Column("token_digest", String(64), unique=True),  # set once the grant is redeemed
    Column("last_seen", DateTime(timezone=True), nullable=False),
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class SessionStore:
    """Sign-in sessions in the app's database (the value store's engine, SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, *, idle_limit: dt.timedelta = IDLE_LIMIT):
        self.engine = engine
        self.idle_limit = idle_limit
        try:
            metadata.create_all(engine)
        except (IntegrityError, ProgrammingError):  # another process created the table at the same moment
            metadata.create_all(engine)

    def grant(self, login: str) -> str:
        """A new session for ``login``; the one-time code that the browser redeems for its cookie."""
        code = secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(delete(sign_ins).where(sign_ins.c.last_seen < now - self.idle_limit))  # forgotten ones
            conn.execute(sign_ins.insert().values(login=login, grant_digest=_digest(code),
                                                  grant_expires=now + GRANT_LIFETIME, last_seen=now))
        return code

    def redeem(self, code: str) -> str | None:
        """The cookie token for a fresh, unused ``code``; None otherwise (each code works once)."""
        token = secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as conn:
            row = conn.execute(select(sign_ins.c.id, sign_ins.c.grant_expires, sign_ins.c.token_digest)
                               .where(sign_ins.c.grant_digest == _digest(code))).first()
            if row is None or row.token_digest is not None or _aware(row.grant_expires) < now:
                return None
            done = conn.execute(update(sign_ins).where(sign_ins.c.id == row.id, sign_ins.c.token_digest.is_(None))
                                .values(token_digest=_digest(token), last_seen=now))
        return token if done.rowcount == 1 else None

    def login_for_token(self, token: str) -> str | None:
        """The login a cookie token belongs to, if its session is alive (and keep it alive)."""
        return self._alive(sign_ins.c.token_digest == _digest(token))

    def login_for_grant(self, code: str) -> str | None:
        """The login of the session started with ``code`` (the tab that signed in), if alive."""
        return self._alive(sign_ins.c.grant_digest == _digest(code))

    def _alive(self, where: ColumnElement[bool]) -> str | None:
        now = _now()
        with self.engine.begin() as conn:
            row = conn.execute(select(sign_ins.c.id, sign_ins.c.login, sign_ins.c.last_seen).where(where)).first()
            if row is None:
                return None
            if now - _aware(row.last_seen) > self.idle_limit:
                conn.execute(delete(sign_ins).where(sign_ins.c.id == row.id))
                return None
            if now - _aware(row.last_seen) > SEEN_EVERY:
                conn.execute(update(sign_ins).where(sign_ins.c.id == row.id).values(last_seen=now))
            return str(row.login)

    def end_everywhere(self, *, token: str | None = None, code: str | None = None) -> int:
        """Sign-out: end every session of the login holding ``token`` or started with ``code`` (every
        browser and tab it is signed in on); how many ended."""
        where = sign_ins.c.token_digest == _digest(token) if token else sign_ins.c.grant_digest == _digest(code or "")
        with self.engine.begin() as conn:
            login = conn.execute(select(sign_ins.c.login).where(where)).scalar()
            if login is None:
                return 0
            return int(conn.execute(delete(sign_ins).where(sign_ins.c.login == login)).rowcount)

    def revoke_all(self, login: str) -> int:
        """End every session of ``login``; how many."""
        with self.engine.begin() as conn:
            return end_sessions_of(conn, login)


def end_sessions_of(conn: Connection, login: str) -> int:
    """End every session of ``login`` inside the caller's transaction: the accounts call it with every
    password change, reset, disable, delete or change of access (:mod:`mutte_geo.storage.accounts`)."""
    return int(conn.execute(delete(sign_ins).where(sign_ins.c.login == login)).rowcount)

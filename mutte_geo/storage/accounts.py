"""Accounts in the database: lifecycle (create, change, reset, disable, delete), password policy,
sign-in with growing delays per account and per client address, all recorded in the audit log.

Accounts live in the same database as the values (SQLite or PostgreSQL). ``MUTTE_USERS_FILE`` /
``MUTTE_USERS`` are read only to bootstrap an empty accounts table (see data/indicators/README.md).
Every change keeps the attributes it does not name (role, units, sensitive-layer grant, name), so a
password reset never widens access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from mutte_geo.core.errors import BilingualError, Problem
from mutte_geo.storage import audit, sessions
from mutte_geo.storage.auth import (
    DUMMY_HASH,
    REGION,
    REGION_ROLES,
    ROLES,
    Account,
    User,
    hash_password,
    password_problems,
    verify_password,
)
from mutte_geo.storage.sessions import end_sessions_of

metadata = MetaData()
accounts_table = Table(
    "accounts", metadata,
    Column("login", String(100), primary_key=True),
    Column("name", String(200), nullable=False, default=""),
    Column("role", String(20), nullable=False),
    Column("units", Text, nullable=False),  # comma-separated vintage-qualified codes, or "*"
    Column("sensitive", Boolean, nullable=True),  # NULL: as the role says
    Column("password_hash", String(300), nullable=False),
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("credentials_version", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
attempts_table = Table(
    "sign_in_attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("login", String(100), nullable=False, index=True),  # as typed (folded to lower case)
    Column("client", String(100), nullable=False, index=True),
    Column("ok", Boolean, nullable=False),
)


class AccountError(BilingualError):
    """A refused account change, with the reason in both languages."""


@dataclass(frozen=True)
class DelayPolicy:
    """Failures allowed without delay, then a delay doubling from ``base_seconds`` up to ``max_seconds``.

    Failures count from the last successful sign-in, within ``window_seconds``.
    """

    free_per_account: int = 3
    free_per_client: int = 10
    base_seconds: float = 1.0
    max_seconds: float = 900.0
    window_seconds: float = 24 * 3600

    def delay(self, failures: int, free: int) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure.

        >>> [DelayPolicy().delay(n, 3) for n in (1, 3, 4, 5, 8, 30)]
        [0.0, 0.0, 1.0, 2.0, 16.0, 900.0]
        """
        if failures <= free:
            return 0.0
        return min(self.base_seconds * 2 ** min(failures - free - 1, 40), self.max_seconds)


@dataclass(frozen=True)
class SignIn:
    """The result of a sign-in attempt. ``user`` is set on success; ``wait_seconds`` when it was too soon."""

    user: User | None = None
    wait_seconds: float = 0.0
    must_change_password: bool = False
    checked: bool = True  # False: refused before the password was looked at (too soon)


@dataclass(frozen=True)
class AccountRecord:
    user: User
    must_change_password: bool
    disabled: bool
    created_at: dt.datetime
    updated_at: dt.datetime


def parse_units(text: str) -> frozenset[str]:
    return frozenset(u for u in text.split(",") if u)


def units_text(units: frozenset[str]) -> str:
    return REGION if REGION in units else ",".join(sorted(units))


class AccountStore:
    """The accounts of one database (the value store's engine)."""

    def __init__(self, engine: Engine, *, policy: DelayPolicy | None = None):
        self.engine = engine
        self.policy = policy or DelayPolicy()
        metadata.create_all(engine)
        sessions.metadata.create_all(engine)
        audit.ensure_tables(engine)

    # --- reading -------------------------------------------------------------------------------------

    def get(self, login: str) -> AccountRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(accounts_table).where(accounts_table.c.login == login)).mappings().first()
        return None if row is None else _record(row)

    def all(self) -> list[AccountRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(accounts_table).order_by(accounts_table.c.login)).mappings().all()
        return [_record(r) for r in rows]

    def session_user(self, user: User) -> User | None:
        """``user`` as now stored, or None when the account was disabled, deleted or its credentials changed
        since that sign-in (every page view checks this, so a change takes effect at once)."""
        record = self.get(user.login)
        if record is None or record.disabled or record.must_change_password \
                or record.user.credentials_version != user.credentials_version:
            return None
        return record.user

    # --- lifecycle -----------------------------------------------------------------------------------

    def bootstrap(self, accounts: dict[str, Account]) -> int:
        """Copy ``accounts`` (from MUTTE_USERS_FILE / MUTTE_USERS) in when the table is empty; how many."""
        if not accounts:
            return 0
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(func.count()).select_from(accounts_table)).scalar_one():
                    return 0
                for login, account in accounts.items():
                    _check_role_units(account.user.role, account.user.units)
                    conn.execute(insert(accounts_table).values(
                        **_columns(account.user), login=login, password_hash=account.password_hash,
                        must_change_password=False, disabled=False, credentials_version=1,
                        created_at=_now(), updated_at=_now()))
                audit.record(conn, "system", "accounts_bootstrapped", detail=", ".join(sorted(accounts)))
        except IntegrityError:
            return 0  # another process bootstrapped at the same moment
        return len(accounts)

    def create(self, actor: str, login: str, *, password: str, role: str, name: str = "",
               units: frozenset[str] = frozenset({REGION}), sensitive: bool | None = None) -> AccountRecord:
        """A new account; the user must change ``password`` at the first sign-in."""
        login = login.strip()
        if not login or len(login) > 100 or any(c.isspace() or c == "," for c in login):
            raise AccountError("Tên đăng nhập không được rỗng, chứa khoảng trắng hay dấu phẩy.",
                               "A user name must not be empty or hold spaces or commas.")
        user = User(login, role, name.strip(), sensitive, frozenset(units))
        _check_role_units(role, user.units)
        _check_password(password, login, user.name)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(accounts_table).values(
                    **_columns(user), login=login, password_hash=hash_password(password),
                    must_change_password=True, disabled=False, credentials_version=1,
                    created_at=_now(), updated_at=_now()))
                audit.record(conn, actor, "account_created", target=login, detail=_describe(user))
        except IntegrityError as exc:
            raise AccountError(f"Tài khoản {login} đã có.", f"Account {login} already exists.") from exc
        return self._must_get(login)

    def change(self, actor: str, login: str, *, role: str, name: str, units: frozenset[str],
               sensitive: bool | None) -> AccountRecord:
        """Set role, name, units and sensitive-layer grant (each given explicitly; nothing is dropped)."""
        with self.engine.begin() as conn:
            admins = self._lock_admins(conn)
            before = self._locked(conn, login)
            user = User(login, role, name.strip(), sensitive, frozenset(units), before.user.credentials_version)
            _check_role_units(role, user.units)
            access_changed = (before.user.role, before.user.units, before.user.sensitive) != (role, user.units,
                                                                                            sensitive)
            conn.execute(update(accounts_table).where(accounts_table.c.login == login).values(
                **_columns(user), updated_at=_now(),
                credentials_version=accounts_table.c.credentials_version + (1 if access_changed else 0)))
            self._require_an_admin(conn, admins)
            audit.record(conn, actor, "account_changed", target=login,
                         detail=f"{_describe(before.user)} → {_describe(user)}")
            if access_changed:
                end_sessions_of(conn, login)
        return self._must_get(login)

    def reset_password(self, actor: str, login: str, password: str) -> AccountRecord:
        """A new password set by an admin: only the password changes; it must be changed at next sign-in."""
        with self.engine.begin() as conn:
            before = self._locked(conn, login)
            _check_password(password, login, before.user.name)
            conn.execute(update(accounts_table).where(accounts_table.c.login == login).values(
                password_hash=hash_password(password), must_change_password=True, updated_at=_now(),
                credentials_version=accounts_table.c.credentials_version + 1))
            audit.record(conn, actor, "password_reset", target=login, detail=_describe(before.user))
            end_sessions_of(conn, login)
        return self._must_get(login)

    def change_own_password(self, login: str, current: str, new: str, *, client: str = "") -> User:
        """The user's own change (also the forced one after a reset); the signed-in user afterwards."""
        record = self.get(login)
        if record is None or record.disabled or not verify_password(current, self._hash(login)):
            raise AccountError("Mật khẩu hiện tại không đúng.", "The current password is wrong.")
        if new == current:
            raise AccountError("Mật khẩu mới phải khác mật khẩu cũ.", "The new password must differ from the old one.")
        _check_password(new, login, record.user.name)
        with self.engine.begin() as conn:
            conn.execute(update(accounts_table).where(accounts_table.c.login == login).values(
                password_hash=hash_password(new), must_change_password=False, updated_at=_now(),
                credentials_version=accounts_table.c.credentials_version + 1))
            audit.record(conn, login, "password_changed", target=login, client=client)
            end_sessions_of(conn, login)
        return self._must_get(login).user

    def set_disabled(self, actor: str, login: str, disabled: bool) -> AccountRecord:
        with self.engine.begin() as conn:
            admins = self._lock_admins(conn)
            self._locked(conn, login)
            conn.execute(update(accounts_table).where(accounts_table.c.login == login).values(
                disabled=disabled, updated_at=_now(), credentials_version=accounts_table.c.credentials_version + 1))
            self._require_an_admin(conn, admins)
            audit.record(conn, actor, "account_disabled" if disabled else "account_enabled", target=login)
            end_sessions_of(conn, login)
        return self._must_get(login)

    def delete(self, actor: str, login: str) -> None:
        with self.engine.begin() as conn:
            admins = self._lock_admins(conn)
            before = self._locked(conn, login)
            conn.execute(delete(accounts_table).where(accounts_table.c.login == login))
            self._require_an_admin(conn, admins)
            audit.record(conn, actor, "account_deleted", target=login, detail=_describe(before.user))
            end_sessions_of(conn, login)

    # --- signing in ----------------------------------------------------------------------------------

    def sign_in(self, login: str, password: str, *, client: str = "", now: dt.datetime | None = None) -> SignIn:
        """Check the password unless the account name or the client address must still wait.

        The answer never tells whether the account exists: unknown, disabled and wrong all fail alike,
        and the delays count attempts per name typed, existing or not.
        """
        now = now or _now()
        login = login.strip()
        key = login.lower()
        wait = self.wait_seconds(key, client, now)
        if wait > 0:
            with self.engine.begin() as conn:
                audit.record(conn, login, "sign_in_delayed", detail=f"{wait:.0f} s", client=client)
            return SignIn(wait_seconds=wait, checked=False)
        record = self.get(login)
        usable = record is not None and not record.disabled
        ok = verify_password(password, self._hash(login) if usable else DUMMY_HASH) and usable
        with self.engine.begin() as conn:
            conn.execute(insert(attempts_table).values(at=now, login=key, client=client, ok=ok))
            audit.record(conn, login, "sign_in" if ok else "sign_in_failed", client=client)
        if not ok or record is None:
            return SignIn(wait_seconds=self.wait_seconds(key, client, now))
        return SignIn(user=record.user, must_change_password=record.must_change_password)

    def wait_seconds(self, key: str, client: str, now: dt.datetime) -> float:
        """How long ``key`` (a login, lower case) and ``client`` must still wait before the next attempt."""
        since = now - dt.timedelta(seconds=self.policy.window_seconds)
        waits = [self._wait(attempts_table.c.login == key, self.policy.free_per_account, since, now)]
        if client:
            waits.append(self._wait(attempts_table.c.client == client, self.policy.free_per_client, since, now))
        return max(waits)

    def _wait(self, who, free: int, since: dt.datetime, now: dt.datetime) -> float:
        with self.engine.connect() as conn:
            last_ok = conn.execute(select(func.max(attempts_table.c.at)).where(
                and_(who, attempts_table.c.ok, attempts_table.c.at >= since))).scalar_one()
            start = max(since, _aware(last_ok)) if last_ok is not None else since
            failures, last = conn.execute(select(func.count(), func.max(attempts_table.c.at)).where(
                and_(who, ~attempts_table.c.ok, attempts_table.c.at > start))).one()
        if not failures:
            return 0.0
        ready = _aware(last) + dt.timedelta(seconds=self.policy.delay(int(failures), free))
        return max(0.0, (ready - now).total_seconds())

    # --- helpers -------------------------------------------------------------------------------------

    def _hash(self, login: str) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(select(accounts_table.c.password_hash)
                                    .where(accounts_table.c.login == login)).scalar_one_or_none() or DUMMY_HASH)

    def _must_get(self, login: str) -> AccountRecord:
        record = self.get(login)
        if record is None:
            raise AccountError(f"Không có tài khoản {login}.", f"There is no account {login}.")
        return record

    def _locked(self, conn: Connection, login: str) -> AccountRecord:
        """The account, row-locked for the rest of the transaction (PostgreSQL; SQLite locks the file)."""
        row = conn.execute(select(accounts_table).where(accounts_table.c.login == login)
                           .with_for_update()).mappings().first()
        if row is None:
            raise AccountError(f"Không có tài khoản {login}.", f"There is no account {login}.")
        return _record(row)

    def _lock_admins(self, conn: Connection) -> int:
        """Lock the enabled admins' rows (PostgreSQL) so two admins removing each other are serialised;
        how many there are."""
        return len(conn.execute(select(accounts_table.c.login).where(and_(
            accounts_table.c.role == "admin", ~accounts_table.c.disabled)).with_for_update()).all())

    def _require_an_admin(self, conn: Connection, before: int) -> None:
        """After a write in the same transaction: refuse (roll back) when it removed the last enabled admin."""
        left = conn.execute(select(func.count()).select_from(accounts_table).where(and_(
            accounts_table.c.role == "admin", ~accounts_table.c.disabled))).scalar_one()
        if before and not left:
            raise AccountError("Không thể bỏ quản trị viên cuối cùng còn hoạt động.",
                               "The last active admin cannot be removed, disabled or demoted.")


def scope_problems(user: User, keyed_rows: Sequence[tuple[tuple[Any, ...], int | None]], file: str,
                   label: Callable[[int, str], str] | None = None) -> list[Problem]:
    """One problem per row whose unit the account may not enter (key, file row); empty when all are its own."""
    problems = []
    for (vintage, code, *_), row in keyed_rows:  # a key starts with (vintage, unit code)
        if not user.covers(vintage, code):
            unit = f"{label(vintage, code)} ({vintage}:{code})" if label else f"{vintage}:{code}"
            problems.append(Problem(file, row, "unit_code",
                                    f"đơn vị {unit} ngoài phạm vi của tài khoản {user.login}",
                                    f"unit {unit} is outside the units of account {user.login}"))
    return problems


class ScopeError(AccountError):
    """A write for units the account may not enter, or by an account that may not write."""


def refuse_out_of_scope(conn: Connection, login: str, keys: Sequence[tuple[Any, ...]]) -> None:
    """Raise ScopeError when ``login`` is an account that may not write every one of ``keys``.

    Names that are not accounts (``system``, the bundled data) are not limited here.
    """
    row = conn.execute(select(accounts_table).where(accounts_table.c.login == login)).mappings().first()
    if row is None:
        return
    record = _record(row)
    if record.disabled or not record.user.can("edit"):
        raise ScopeError(f"Tài khoản {login} không được ghi số liệu.", f"Account {login} may not write values.")
    outside = sorted({f"{v}:{c}" for v, c, *_ in keys if not record.user.covers(v, c)})
    if outside:
        raise ScopeError(f"Tài khoản {login} không được ghi số liệu của đơn vị {', '.join(outside)}.",
                         f"Account {login} may not write values of unit(s) {', '.join(outside)}.")


def _check_role_units(role: str, units: frozenset[str]) -> None:
    if role not in ROLES:
        raise AccountError(f"Vai trò phải là một trong {', '.join(ROLES)}.",
                           f"The role must be one of {', '.join(ROLES)}.")
    if not units:
        raise AccountError("Cần chọn ít nhất một đơn vị hoặc toàn huyện.",
                           "Choose at least one unit or the whole region.")
    if role in REGION_ROLES and REGION not in units:
        raise AccountError("Người duyệt và quản trị viên làm việc cho toàn huyện.",
                           "Approvers and admins act for the whole region.")
    for unit in units - {REGION}:
        vintage, _, code = unit.partition(":")
        if vintage not in ("2024", "2025") or not code.isdigit():
            raise AccountError(f"Đơn vị '{unit}' không hợp lệ (dạng 2025:03445).",
                               f"Unit '{unit}' is not valid (write 2025:03445).")


def _check_password(password: str, login: str, name: str) -> None:
    problems = password_problems(password, login, name)
    if problems:
        raise AccountError("Mật khẩu không đạt: " + "; ".join(vi for vi, _ in problems) + ".",
                           "The password is refused: " + "; ".join(en for _, en in problems) + ".")


def _columns(user: User) -> dict[str, object]:
    return {"name": user.name, "role": user.role, "units": units_text(user.units), "sensitive": user.sensitive}


def _record(row) -> AccountRecord:
    user = User(row["login"], row["role"], row["name"], row["sensitive"], parse_units(row["units"]),
                int(row["credentials_version"]))
    return AccountRecord(user, bool(row["must_change_password"]), bool(row["disabled"]),
                         row["created_at"], row["updated_at"])


def _describe(user: User) -> str:
    sensitive = {None: "as role", True: "granted", False: "withheld"}[user.sensitive]
    return f"role={user.role}; units={units_text(user.units)}; sensitive={sensitive}; name={user.name}"


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

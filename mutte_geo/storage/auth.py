"""Users, roles and what each role may do; passwords kept only as salted scrypt hashes.

Roles: ``viewer`` (read only, also anyone not signed in), ``editor`` (submit values of its units, see
sensitive layers), ``approver`` (region-wide: also approve, return and reopen submitted values),
``admin`` (also restore earlier states, manage accounts, read the audit log). An account may set
``sensitive = true/false`` to grant or withhold the sensitive layers regardless of role, and holds
``units``: vintage-qualified codes (``2025:03445``) or ``*`` for the whole region.

Accounts live in the database (storage/accounts.py). The file named by ``MUTTE_USERS_FILE`` (TOML or
JSON) or ``MUTTE_USERS`` (JSON text) only bootstraps an empty accounts table; both are shaped
``{"users": {"lan": {"role": "editor", "password": "scrypt$...", "name": "Nguyễn Thị Lan",
"units": ["2025:03445"]}}}``.
Make a hash with ``python -c "from mutte_geo.storage.auth import hash_password; print(hash_password('...'))"``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mutte_geo.core.errors import AtlasError
from mutte_geo.model.catalogue import Catalogue, Indicator
from mutte_geo.model.indicators import UnitsByVintage
from mutte_geo.model.names import fold

USERS_FILE_ENV = "MUTTE_USERS_FILE"
USERS_ENV = "MUTTE_USERS"
ROLES = ("viewer", "editor", "approver", "admin")
PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset(),
    "editor": frozenset({"import", "edit", "sensitive"}),
    "approver": frozenset({"import", "edit", "sensitive", "approve"}),
    "admin": frozenset({"import", "edit", "sensitive", "approve", "restore", "users", "audit"}),
}
REGION = "*"  # an account's units: the whole region
WHOLE_REGION = frozenset({REGION})
REGION_ROLES = ("approver", "admin")  # roles that act for the whole region only
MIN_PASSWORD_LENGTH = 10
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class User:
    """A signed-in user. ``None`` stands for a visitor who is not signed in (a viewer)."""

    login: str
    role: str
    name: str = ""
    sensitive: bool | None = None  # None: as the role says
    units: frozenset[str] = field(default=WHOLE_REGION)  # vintage-qualified codes, or {REGION}
    credentials_version: int = 0  # changes with the password, the state or the access of the account

    def can(self, action: str) -> bool:
        if action == "sensitive" and self.sensitive is not None:
            return self.sensitive
        return action in PERMISSIONS[self.role]

    @property
    def whole_region(self) -> bool:
        return REGION in self.units

    def covers(self, vintage: int, code: str) -> bool:
        """Whether the account may enter values of unit ``vintage:code``.

        >>> User("a", "editor", units=frozenset({"2025:03445"})).covers(2025, "03445")
        True
        >>> User("a", "editor", units=frozenset({"2025:03445"})).covers(2024, "03445")
        False
        """
        return self.whole_region or f"{vintage}:{code}" in self.units


@dataclass(frozen=True)
class Account:
    user: User
    password_hash: str


def can(user: User | None, action: str) -> bool:
    """Whether ``user`` may do ``action`` (import, edit, sensitive, restore, users).

    >>> can(None, "sensitive"), can(User("a", "editor"), "import"), can(User("a", "editor"), "restore")
    (False, True, False)
    """
    return user is not None and user.can(action)


def can_see(indicator: Indicator, user: User | None) -> bool:
    """Sensitive indicators (security hotspots) only for signed-in users whose role allows it."""
    return not indicator.sensitive or can(user, "sensitive")


def visible_catalogue(catalogue: Catalogue, user: User | None) -> Catalogue:
    """The catalogue without the indicators ``user`` may not see (same order)."""
    return {ident: ind for ident, ind in catalogue.items() if can_see(ind, user)}


def own_units(user: User, units: UnitsByVintage) -> UnitsByVintage:
    """The units of each vintage that ``user`` may enter values for."""
    return {v: {c: u for c, u in by_code.items() if user.covers(v, c)} for v, by_code in units.items()}


def visible_values(values: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The value rows of the indicators in ``catalogue`` (already filtered by :func:`visible_catalogue`)."""
    return values[values["indicator"].isin(list(catalogue))]


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` with a fresh random 16-byte salt."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Compare in constant time; a malformed stored hash never matches."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                  dklen=len(digest) // 2, maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed.hex(), digest)


def password_problems(password: str, login: str, name: str = "") -> list[tuple[str, str]]:
    """What is wrong with ``password`` as a new password of ``login`` (Vietnamese, English); empty: fine.

    Rules: at least 10 characters, not one of the 30 000 most common passwords (zxcvbn's list, any case,
    also with digits appended), and not containing the user name or a word of the display name.

    >>> password_problems("matkhau2024", "lan")[0][1]
    'it is a common password'
    >>> password_problems("lan-mat-khau-dai", "lan")[0][1]
    'it contains the user name'
    >>> password_problems("Sông Đà chảy về xuôi", "lan")
    []
    """
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append((f"cần ít nhất {MIN_PASSWORD_LENGTH} ký tự",
                         f"it needs at least {MIN_PASSWORD_LENGTH} characters"))
    folded = fold(password).replace(" ", "")
    common = _common_passwords()
    if folded in common or folded.rstrip("0123456789") in common or password.lower() in common:
        problems.append(("đây là mật khẩu phổ biến", "it is a common password"))
    words = [w for w in [fold(login).replace(" ", ""), *fold(name).split()] if len(w) >= 3]
    if words and words[0] in folded:
        problems.append(("mật khẩu chứa tên đăng nhập", "it contains the user name"))
    elif any(w in folded for w in words[1:]):
        problems.append(("mật khẩu chứa tên người dùng", "it contains the name of the user"))
    return problems


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


# Shown to whoever tries to sign in (possibly anyone): no path, no parser message; those go to the server log.
_BROKEN_USERS = ("Đăng nhập tạm thời không dùng được: tệp tài khoản bị lỗi (chi tiết trong nhật ký máy chủ). / "
                 "Signing in is unavailable: the users file is broken (details in the server log).")
log = logging.getLogger(__name__)


def load_accounts(path: Path | None = None) -> dict[str, Account]:
    """Accounts from ``path``, ``MUTTE_USERS_FILE`` or ``MUTTE_USERS``; none when nothing is configured."""
    if path is None and os.environ.get(USERS_FILE_ENV):
        path = Path(os.environ[USERS_FILE_ENV]).expanduser()
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
        except (OSError, ValueError) as exc:
            log.error("cannot read the users file %s", path, exc_info=exc)
            raise AtlasError(_BROKEN_USERS) from exc
    elif os.environ.get(USERS_ENV):
        try:
            data = json.loads(os.environ[USERS_ENV])
        except ValueError as exc:
            log.error("%s is not valid JSON", USERS_ENV, exc_info=exc)
            raise AtlasError(_BROKEN_USERS) from exc
    else:
        return {}
    users = data.get("users", {}) if isinstance(data, dict) else None
    if not isinstance(users, dict) or not all(isinstance(e, dict) for e in users.values()):
        log.error("the users file has no [users.<login>] tables")
        raise AtlasError(_BROKEN_USERS)
    accounts = {}
    for login, entry in users.items():
        role = entry.get("role", "viewer")
        stored = entry.get("password", "")
        if role not in ROLES:
            raise AtlasError(f"User '{login}': role must be one of {', '.join(ROLES)}, not '{role}'")
        if not str(stored).startswith("scrypt$"):
            raise AtlasError(f"User '{login}': 'password' must be a scrypt hash (never a plain password)")
        sensitive = entry.get("sensitive")
        units = entry.get("units", [REGION])
        if isinstance(units, str):
            units = [units]
        accounts[login] = Account(User(login, role, entry.get("name", ""), sensitive if isinstance(sensitive, bool)
                                       else None, frozenset(str(u) for u in units)), stored)
    return accounts


DUMMY_HASH = hash_password("not a password", salt=b"\x00" * 16)  # checked for unknown logins (same work)

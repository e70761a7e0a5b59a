"""Users, roles and what each role may do; passwords kept only as salted scrypt hashes.

Roles: ``viewer`` (read only, also anyone not signed in), ``editor`` (import and edit values, see
sensitive layers), ``admin`` (also restore earlier states and manage users). A user entry may set
``sensitive = true/false`` to grant or withhold the sensitive layers regardless of role.

Credentials never live in the repository: they come from the file named by ``MUTTE_USERS_FILE``
(TOML or JSON) or from ``MUTTE_USERS`` (JSON text), both shaped
``{"users": {"lan": {"role": "editor", "password": "scrypt$...", "name": "Nguyễn Thị Lan"}}}``.
Make a hash with ``python -c "from mutte_geo.storage.auth import hash_password; print(hash_password('...'))"``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mutte_geo.core.errors import AtlasError
from mutte_geo.model.catalogue import Catalogue, Indicator

USERS_FILE_ENV = "MUTTE_USERS_FILE"
USERS_ENV = "MUTTE_USERS"
ROLES = ("viewer", "editor", "admin")
PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset(),
    "editor": frozenset({"import", "edit", "sensitive"}),
    "admin": frozenset({"import", "edit", "sensitive", "restore", "users"}),
}
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class User:
    """A signed-in user. ``None`` stands for a visitor who is not signed in (a viewer)."""

    login: str
    role: str
    name: str = ""
    sensitive: bool | None = None  # None: as the role says

    def can(self, action: str) -> bool:
        if action == "sensitive" and self.sensitive is not None:
            return self.sensitive
        return action in PERMISSIONS[self.role]


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
        accounts[login] = Account(User(login, role, entry.get("name", ""), sensitive if isinstance(sensitive, bool)
                                       else None), stored)
    return accounts


_DUMMY_HASH = hash_password("not a password", salt=b"\x00" * 16)


def authenticate(login: str, password: str, accounts: dict[str, Account]) -> User | None:
    """The user when ``password`` matches; the same work is done for unknown logins."""
    account = accounts.get(login.strip())
    ok = verify_password(password, account.password_hash if account else _DUMMY_HASH)
    return account.user if account and ok else None


def save_account(path: Path, login: str, *, role: str, password: str, name: str = "") -> None:
    """Add or replace one account in a JSON users file (admins' user management)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if path.suffix.lower() != ".json":
        raise AtlasError("Users can be changed in the app only when MUTTE_USERS_FILE is a .json file")
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"users": {}}
    data.setdefault("users", {})[login] = {"role": role, "name": name, "password": hash_password(password)}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)

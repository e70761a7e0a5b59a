"""The audit log: who did what, when and from where — sign-ins, value changes, approvals, account
changes and exports that include the sensitive layer. Rows are only ever added.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Column, Connection, DateTime, Engine, Integer, MetaData, String, Table, Text, insert, select

from mutte_geo.core.i18n import N_, gettext
from mutte_geo.core.localtime import local_time_text

metadata = MetaData()
audit_events = Table(
    "audit_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(100), nullable=False),  # the login (or the name typed at a failed sign-in)
    Column("action", String(40), nullable=False),
    Column("target", String(300), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
    Column("client", String(100), nullable=False, default=""),
)

# action -> (Vietnamese, English)
ACTIONS = {
    "sign_in": N_("sign-in"),
    "sign_in_failed": N_("failed sign-in"),
    "sign_in_delayed": N_("sign-in delayed"),
    "password_changed": N_("password changed"),
    "password_reset": N_("password reset"),
    "account_created": N_("account created"),
    "account_changed": N_("account changed"),
    "account_disabled": N_("account disabled"),
    "account_enabled": N_("account re-enabled"),
    "account_deleted": N_("account deleted"),
    "accounts_bootstrapped": N_("accounts bootstrapped"),
    "submitted": N_("values submitted"),
    "approved": N_("values approved"),
    "returned": N_("values returned"),
    "reopened": N_("values reopened"),
    "restored": N_("restore"),
    "ntm_saved": N_("NTM assessments saved"),
    "export_sensitive": N_("export with the sensitive layer"),
    "audit_export": N_("audit log export"),
}


def ensure_tables(engine: Engine) -> None:
    metadata.create_all(engine)


def record(conn: Connection, actor: str, action: str, *, target: str = "", detail: str = "",
           client: str = "") -> None:
    """Add one event inside the caller's transaction (so it is kept exactly when the action is)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    conn.execute(insert(audit_events).values(at=dt.datetime.now(dt.UTC), actor=actor[:100], action=action,
                                             target=target[:300], detail=detail, client=client[:100]))


def record_now(engine: Engine, actor: str, action: str, **fields: str) -> None:
    """One event in its own transaction (e.g. an export)."""
    with engine.begin() as conn:
        record(conn, actor, action, **fields)


def events(engine: Engine, *, limit: int = 5000) -> pd.DataFrame:
    """The newest events first: id, at (UTC), actor, action, target, detail, client."""
    with engine.connect() as conn:
        rows = conn.execute(select(audit_events).order_by(audit_events.c.id.desc()).limit(limit)).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in audit_events.columns])


def _person(login: str, names: dict[str, str], lang: str) -> str:
    """Display name and login ("Lò Văn Minh (minh)"); the system in words."""
    if login == "system":
        return gettext(lang, "system")
    name = names.get(login, "")
    return f"{name} ({login})" if name and name != login else login


def audit_table(frame: pd.DataFrame, lang: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The events for people: local time, who (display name and login), what, on what, details, client address."""
    names = names or {}
    vi = lang == "vi"
    return pd.DataFrame({
        "Thời điểm (giờ Việt Nam)" if vi else "When (Vietnam time)": [local_time_text(t, lang) for t in frame["at"]],
        "Người" if vi else "Who": [_person(a, names, lang) for a in frame["actor"]],
        "Việc" if vi else "What": [gettext(lang, ACTIONS.get(a, a)) for a in frame["action"]],
        "Đối tượng" if vi else "Target": frame["target"],
        "Chi tiết" if vi else "Details": frame["detail"],
        "Địa chỉ máy" if vi else "Client address": frame["client"],
    })

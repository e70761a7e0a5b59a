"""Locks on approved values: the store refuses to change a locked value until an approver reopens it."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    and_,
    or_,
    select,
)

from mutte_geo.core.errors import AtlasError

Key = tuple[int, str, str, str, str]
KEY = ("vintage", "unit_code", "indicator", "period", "kind")
metadata = MetaData()
value_locks = Table(
    "value_locks", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("vintage", Integer, nullable=False), Column("unit_code", String(10), nullable=False),
    Column("indicator", String(100), nullable=False), Column("period", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("submission_id", Integer, nullable=False),
    Column("locked_by", String(100), nullable=False),
    Column("locked_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(*KEY, name="one_lock_per_key"),
)


class LockedError(AtlasError):
    """A write would change approved, locked values; nothing was written."""

    def __init__(self, keys: list[Key]):
        self.keys = keys
        shown = "; ".join(f"{v}:{c} {i} {p} {k}" for v, c, i, p, k in keys[:10])
        super().__init__(f"{len(keys)} value(s) are approved and locked (reopen them first): {shown}")


def key_condition(key: Key):
    return and_(*[value_locks.c[k] == v for k, v in zip(KEY, key, strict=True)])


def locked_among(conn: Connection, keys: list[Key]) -> list[Key]:
    """Which of ``keys`` are locked (in batches, so a large import stays one short query per batch)."""
    found: list[Key] = []
    if not keys or conn.execute(select(value_locks.c.id).limit(1)).first() is None:
        return found
    for start in range(0, len(keys), 200):
        batch = keys[start:start + 200]
        rows = conn.execute(select(*[value_locks.c[k] for k in KEY]).where(or_(*[key_condition(k) for k in batch])))
        found += [(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]
    return sorted(found)


def refuse_locked(conn: Connection, keys: list[Key]) -> None:
    locked = locked_among(conn, keys)
    if locked:
        raise LockedError(locked)

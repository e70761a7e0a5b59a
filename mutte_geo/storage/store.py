"""The indicator value store: SQLite by default, PostgreSQL when ``MUTTE_DATABASE_URL`` is set.

Every change is written in one transaction together with its history (who, when, from which file,
old and new value), so any earlier state can be rebuilt and restored. Each value row carries a
``row_version``: an update names the version it was based on, and a change made meanwhile by someone
else is reported as a conflict instead of being overwritten. ``version()`` (the newest revision id)
lets every app process notice changes made by the others.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    delete,
    func,
    insert,
    make_url,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, ProgrammingError

from mutte_geo.core.errors import AtlasError, ValidationError
from mutte_geo.core.paths import DATA_DIR
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.indicators import COLUMNS, UnitsByVintage, validate_table
from mutte_geo.storage import accounts, audit, locks
from mutte_geo.storage.importer import FIELDS, KEY, Change

URL_ENV = "MUTTE_DATABASE_URL"
DEFAULT_PATH = DATA_DIR / "store" / "atlas.sqlite"

metadata = MetaData()
revisions = Table(
    "revisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(100), nullable=False),
    Column("action", String(20), nullable=False),
    Column("file", String(300), nullable=False, default=""),
    Column("summary", Text, nullable=False, default=""),
)


def _key_columns() -> list[Column]:
    return [Column("vintage", Integer, nullable=False), Column("unit_code", String(10), nullable=False),
            Column("indicator", String(100), nullable=False), Column("period", String(20), nullable=False),
            Column("kind", String(20), nullable=False)]


def current_table(name: str, key_columns: list[Column], fields: Sequence[str], *, unique: str) -> Table:
    """A table of current records (in ``metadata``): id, the key, text fields, where they came from (file,
    row), the row version and the revision that last wrote them; one row per key."""
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        *key_columns,
        *[Column(f, Text, nullable=False, default="") for f in fields],
        Column("file", String(300), nullable=False, default=""),
        Column("row", Integer),
        Column("row_version", Integer, nullable=False),
        Column("revision_id", Integer, ForeignKey("revisions.id"), nullable=False),
        UniqueConstraint(*[c.name for c in key_columns], name=unique),
    )


values_table = current_table("indicator_values", _key_columns(), FIELDS, unique="one_value_per_key")
history = Table(
    "value_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("revision_id", Integer, ForeignKey("revisions.id"), nullable=False, index=True),
    *_key_columns(),
    *[Column(f"old_{f}", Text) for f in FIELDS],  # NULL value: the key had no value before
    *[Column(f"new_{f}", Text) for f in FIELDS],  # NULL value: the value was removed
    Column("file", String(300), nullable=False, default=""),
    Column("row", Integer),
)
store_meta = Table("store_meta", metadata, Column("key", String(50), primary_key=True), Column("value", Text))


class ConflictError(AtlasError):
    """Someone else changed the same values meanwhile; nothing was written."""

    def __init__(self, keys: Sequence[tuple[Any, ...]], rows: dict | None = None):
        self.keys = list(keys)  # (vintage, unit code, …): a value's key, or an NTM record's
        self.rows: dict[tuple[Any, ...], int] = rows or {}  # key -> file row, when known
        shown = "; ".join(f"{key[0]}:{key[1]} " + " ".join(map(str, key[2:]))
                          + (f" (row {self.rows[key]})" if self.rows.get(key) else "") for key in keys[:10])
        more = f" and {len(keys) - 10} more" if len(keys) > 10 else ""
        super().__init__(f"{len(keys)} value(s) were changed by someone else meanwhile: {shown}{more}")


class StoreUnavailable(AtlasError):
    """The database refused the write or the read (locked, full, read-only, unreachable); nothing was written.

    The message is for users; the database's own error (SQL, paths) goes to the server log only.
    """

    def __init__(self, reason_vi: str, reason_en: str):
        self.reason_vi, self.reason_en = reason_vi, reason_en
        super().__init__(reason_en)

    def describe(self, lang: str) -> str:
        return self.reason_vi if lang == "vi" else self.reason_en


def database_url() -> str:
    """``MUTTE_DATABASE_URL`` (PostgreSQL via psycopg 3) or the SQLite file under data/store/."""
    url = os.environ.get(URL_ENV, "").strip()
    if not url:
        return f"sqlite:///{DEFAULT_PATH}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@dataclass(frozen=True)
class Revision:
    id: int
    at: dt.datetime
    user_name: str
    action: str
    file: str
    summary: str


class Store:
    """Indicator values with history, in one database reached through SQLAlchemy."""

    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        if self.url.startswith("sqlite:///"):
            Path(make_url(self.url).database or DEFAULT_PATH).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(self.url, connect_args={"timeout": 30})
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        from mutte_geo.storage import ntmstore  # noqa: F401  its tables are part of the schema (it imports this module)

        try:
            for tables in (metadata, accounts.metadata, locks.metadata, audit.metadata):
                tables.create_all(self.engine)
        except (IntegrityError, ProgrammingError):  # another process created the tables at the same moment
            for tables in (metadata, accounts.metadata, locks.metadata, audit.metadata):
                tables.create_all(self.engine)

    # --- reading -------------------------------------------------------------------------------------

    def version(self) -> int:
        """The newest revision id (0 before seeding); changes whenever anyone writes."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(revisions.c.id), 0))).scalar_one())

    def current(self) -> pd.DataFrame:
        """Every stored value: the long columns plus ``row_version``, ``file`` and ``row``."""
        columns = [*COLUMNS, "row_version", "file", "row"]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*[values_table.c[c] for c in columns])
                                .order_by(values_table.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=columns)

    def values(self, catalogue: Catalogue, units: UnitsByVintage) -> pd.DataFrame:
        """The stored values in the form ``Atlas.values`` has (checked again over ``units``, the store's
        units: ``Atlas.store_units``, with ``number``)."""
        stored = self.current()
        table = stored[list(COLUMNS)].astype({"vintage": str})
        clean, problems = validate_table(table, file="store", catalogue=catalogue, units=units)
        if problems:
            raise ValidationError(problems)
        clean["file"] = stored["file"].to_numpy()
        clean["row"] = stored["row"].to_numpy()
        return clean

    def revisions(self, limit: int = 200) -> list[Revision]:
        """Newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(revisions).order_by(revisions.c.id.desc()).limit(limit)).mappings().all()
        return [Revision(**dict(r)) for r in rows]

    def changes_in(self, revision_id: int) -> pd.DataFrame:
        """What one revision changed: key, old and new fields (None: absent)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(history).where(history.c.revision_id == revision_id)
                                .order_by(history.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in history.columns])

    def state_at(self, revision_id: int) -> pd.DataFrame:
        """The values as they were right after ``revision_id`` (long columns)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(history).where(history.c.revision_id <= revision_id)
                                .order_by(history.c.id)).mappings().all()
        state: dict[tuple, dict] = {}
        for r in rows:
            key = tuple(r[k] for k in KEY)
            if r["new_value"] is None:
                state.pop(key, None)
            else:
                state[key] = {**dict(zip(KEY, key, strict=True)), **{f: r[f"new_{f}"] for f in FIELDS}}
        return pd.DataFrame(list(state.values()), columns=list(COLUMNS))

    # --- writing -------------------------------------------------------------------------------------

    def seed_if_empty(self, rows: pd.DataFrame) -> bool:
        """Store ``rows`` (the bundled values: CSV files, region packs' tables) as the first revision; False
        when already seeded."""
        changes = [Change((int(r["vintage"]), str(r["unit_code"]), str(r["indicator"]), str(r["period"]),
                           str(r["kind"])), {f: str(r[f]) for f in FIELDS}, None, None, str(r["file"]), int(r["row"]))
                   for r in rows.to_dict("records")]
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(store_meta.c.value).where(store_meta.c.key == "seeded")).first():
                    return False
                conn.execute(insert(store_meta).values(key="seeded", value=_now().isoformat()))
                self._write(conn, changes, user="system", action="seed", file="data/indicators",
                            summary="bundled report data")
        except IntegrityError:
            return False  # another process seeded at the same moment
        return True

    def sync_bundled(self, rows: pd.DataFrame) -> int | None:
        """Bring in changes to the bundled values (CSV files, region packs' tables) made after seeding, as a
        'bundled' revision.

        Only values still as the system wrote them follow the bundled files; a value a user changed is kept.
        """
        written_by_system = select(values_table.c.id, revisions.c.user_name).join(
            revisions, values_table.c.revision_id == revisions.c.id)
        with self.engine.connect() as conn:
            by_system = {i for i, who in conn.execute(written_by_system) if who == "system"}
            ids = {tuple(r[:5]): r[5] for r in conn.execute(select(*[values_table.c[k] for k in KEY],
                                                                   values_table.c.id))}
        current = {tuple(r[k] for k in KEY): r for r in self.current().to_dict("records")}
        bundled = {(int(r["vintage"]), str(r["unit_code"]), str(r["indicator"]), str(r["period"]), str(r["kind"])): r
                   for r in rows.to_dict("records")}
        changes = []
        for key, r in bundled.items():
            new = {f: str(r[f]) for f in FIELDS}
            old = current.get(key)
            if old is None:
                changes.append(Change(key, new, None, None, str(r["file"]), int(r["row"])))
            elif ids[key] in by_system and any(str(old[f]) != new[f] for f in FIELDS):
                changes.append(Change(key, new, {f: str(old[f]) for f in FIELDS}, int(old["row_version"]),
                                      str(r["file"]), int(r["row"])))
        for key, old in current.items():
            if key not in bundled and ids[key] in by_system:
                changes.append(Change(key, None, {f: str(old[f]) for f in FIELDS}, int(old["row_version"]),
                                      str(old["file"]), 0))
        if not changes:
            return None
        try:
            return self.apply(changes, user="system", file="data/indicators", action="bundled",
                              summary="the bundled CSV files changed")
        except ConflictError:
            return None  # another process synchronised at the same moment

    def apply(self, changes: list[Change], *, user: str, file: str = "", action: str = "import",
              summary: str = "") -> int:
        """Write ``changes`` in one transaction and return the new revision id.

        Raises ConflictError (and writes nothing) when any value is no longer what the change was based on.
        """
        if not changes:
            raise ValueError("nothing to change")
        _check_lengths(user=user, file=file)
        # One fixed order (by key) for every writer, so two transactions never wait on each other's rows.
        ordered = sorted(changes, key=lambda c: c.key)
        try:
            with self.engine.begin() as conn:
                return self._write(conn, ordered, user=user, action=action, file=file, summary=summary)
        except IntegrityError as exc:  # a value was added by someone else meanwhile
            raise ConflictError([c.key for c in ordered if c.row_version is None],
                                {c.key: c.row for c in ordered}) from exc
        except DBAPIError as exc:
            raise plain_store_error(exc) from exc

    def apply_with(self, changes: list[Change], also: Callable[[Connection, int], None], *, user: str,
                   file: str = "", action: str = "import", summary: str = "") -> int:
        """:meth:`apply` with ``also(conn, revision_id)`` in the same transaction (it raises to write nothing)."""
        try:
            with self.engine.begin() as conn:
                revision_id = self._write(conn, changes, user=user, action=action, file=file, summary=summary)
                also(conn, revision_id)
                return revision_id
        except IntegrityError as exc:
            raise ConflictError([c.key for c in changes if c.row_version is None]) from exc

    def restore(self, revision_id: int, *, user: str) -> int | None:
        """Make the values what they were after ``revision_id``, as a new revision; None if already so."""
        target = {tuple(r[k] for k in KEY): r for r in self.state_at(revision_id).to_dict("records")}
        now = {tuple(r[k] for k in KEY): r for r in self.current().to_dict("records")}
        changes = []
        for key, row in target.items():
            new = {f: str(row[f]) for f in FIELDS}
            old = now.get(key)
            if old is None:
                changes.append(Change(key, new, None, None, "", 0))
            elif any(str(old[f]) != new[f] for f in FIELDS):
                changes.append(Change(key, new, {f: str(old[f]) for f in FIELDS}, int(old["row_version"]),
                                      str(old["file"]), 0))
        for key, old in now.items():
            if key not in target:
                changes.append(Change(key, None, {f: str(old[f]) for f in FIELDS}, int(old["row_version"]),
                                      str(old["file"]), 0))
        if not changes:
            return None
        return self.apply(changes, user=user, action="restore", summary=f"restore to revision {revision_id}")

    def _write(self, conn, changes: list[Change], *, user: str, action: str, file: str,
               summary: str) -> int:
        accounts.refuse_out_of_scope(conn, user, [c.key for c in changes])
        locks.refuse_locked(conn, [c.key for c in changes])
        revision_id = int(conn.execute(insert(revisions).values(
            at=_now(), user_name=user, action=action, file=file, summary=summary)).inserted_primary_key[0])
        conflicts = []
        for change in changes:
            key = dict(zip(KEY, change.key, strict=True))
            source_file = change.file or file
            if not write_record(conn, values_table, key, change.new, change.row_version, file=source_file,
                                row=change.row, revision_id=revision_id):
                conflicts.append(change.key)
                continue
            conn.execute(insert(history).values(
                revision_id=revision_id, **key, file=source_file, row=change.row or None,
                **{f"old_{f}": (change.old or {}).get(f) for f in FIELDS},
                **{f"new_{f}": (change.new or {}).get(f) for f in FIELDS}))
        if conflicts:  # the surrounding transaction is rolled back
            raise ConflictError(conflicts, {c.key: c.row for c in changes})
        return revision_id


def write_record(conn: Connection, table: Table, key: dict[str, object], new: dict[str, str] | None,
                 row_version: int | None, *, file: str, row: int | None, revision_id: int) -> bool:
    """Insert (``row_version`` None), update or, with ``new`` None, delete one record of a :func:`current_table`,
    only if it is still at ``row_version``; False (nothing done) when it is not."""
    where = and_(*[table.c[k] == v for k, v in key.items()])
    if row_version is None:
        if conn.execute(select(table.c.id).where(where)).first():
            return False
        conn.execute(insert(table).values(**key, **(new or {}), file=file, row=row or None, row_version=1,
                                          revision_id=revision_id))
        return True
    expected = and_(where, table.c.row_version == row_version)
    if new is None:
        result = conn.execute(delete(table).where(expected))
    else:
        result = conn.execute(update(table).where(expected).values(
            **new, file=file, row=row or None, row_version=table.c.row_version + 1, revision_id=revision_id))
    return result.rowcount == 1


USER_CHARS, FILE_CHARS = 100, 300  # the lengths of revisions.user_name and .file
log = logging.getLogger(__name__)


def _check_lengths(*, user: str, file: str) -> None:
    if len(user) > USER_CHARS:
        raise StoreUnavailable(f"tên người dùng dài {len(user)} ký tự; tối đa {USER_CHARS}",
                               f"the user name has {len(user)} characters; at most {USER_CHARS} are stored")
    if len(file) > FILE_CHARS:
        raise StoreUnavailable(f"tên tệp dài {len(file)} ký tự; tối đa {FILE_CHARS}: hãy đổi tên tệp",
                               f"the file name has {len(file)} characters; at most {FILE_CHARS}: rename the file")


_PLAIN_ERRORS = (  # (words in the driver's message, Vietnamese, English)
    (("locked", "lock timeout", "deadlock"), "cơ sở dữ liệu đang bận (người khác đang ghi); hãy thử lại sau ít phút",
     "the database is busy (someone else is writing); try again in a minute"),
    (("full", "no space", "could not extend"), "ổ đĩa của máy chủ đã đầy; báo quản trị viên",
     "the server's disk is full; tell the administrator"),
    (("readonly", "read-only", "read only"), "cơ sở dữ liệu chỉ cho đọc; báo quản trị viên",
     "the database is read-only; tell the administrator"),
    (("too long", "right truncation"), "một trường quá dài so với cơ sở dữ liệu",
     "a field is longer than the database allows"),
)


def plain_store_error(exc: DBAPIError) -> StoreUnavailable:
    """A user-facing message for a database error; the error itself (SQL, paths) goes to the server log."""
    log.error("store write failed", exc_info=exc)
    text = str(exc.orig).lower()
    for words, vi, en in _PLAIN_ERRORS:
        if any(w in text for w in words):
            return StoreUnavailable(f"không ghi được: {vi}; không có gì thay đổi",
                                    f"not written: {en}; nothing changed")
    return StoreUnavailable("không ghi được vào cơ sở dữ liệu; không có gì thay đổi (chi tiết trong nhật ký máy chủ)",
                            "the database could not be written; nothing changed (details in the server log)")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

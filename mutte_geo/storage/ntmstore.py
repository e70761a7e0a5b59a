"""NTM assessments and recognition decisions in the value store's database, with history.

Each import is one revision in the store's ``revisions`` table (action ``ntm-import``), so the history
page lists it beside value imports; what it changed is kept in ``ntm_history`` (old and new fields).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint, and_, insert, select, update

from mutte_geo.model.ntm import ASSESSMENT_FIELDS, ASSESSMENT_KEY, empty_assessments
from mutte_geo.storage.auth import User, can
from mutte_geo.storage.ntm_import import RECOGNITION_KEY, NtmParsed
from mutte_geo.storage.store import ConflictError, Store, _now, metadata, revisions

RECOGNITION_FIELDS = ("decision", "source", "note")
_INT_COLUMNS = {"vintage", "criterion", "year"}
ACTION = "ntm-import"


def _key_column(name: str) -> Column:
    return Column(name, Integer if name in _INT_COLUMNS else String(40), nullable=False)


assessments_table = Table(
    "ntm_assessments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *[_key_column(k) for k in ASSESSMENT_KEY],
    *[Column(f, Text, nullable=False, default="") for f in ASSESSMENT_FIELDS],
    Column("file", String(300), nullable=False, default=""),
    Column("row", Integer),
    Column("row_version", Integer, nullable=False),
    Column("revision_id", Integer, ForeignKey("revisions.id"), nullable=False),
    UniqueConstraint(*ASSESSMENT_KEY, name="one_ntm_assessment_per_key"),
)
recognitions_table = Table(
    "ntm_recognitions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *[_key_column(k) for k in RECOGNITION_KEY],
    *[Column(f, Text, nullable=False, default="") for f in RECOGNITION_FIELDS],
    Column("file", String(300), nullable=False, default=""),
    Column("row", Integer),
    Column("row_version", Integer, nullable=False),
    Column("revision_id", Integer, ForeignKey("revisions.id"), nullable=False),
    UniqueConstraint(*RECOGNITION_KEY, name="one_ntm_recognition_per_key"),
)
ntm_history = Table(
    "ntm_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("revision_id", Integer, ForeignKey("revisions.id"), nullable=False, index=True),
    Column("record", String(20), nullable=False),  # 'assessment' or 'recognition'
    Column("key", Text, nullable=False),  # JSON of the key columns
    Column("old", Text),  # JSON of the fields; NULL: new
    Column("new", Text, nullable=False),
    Column("file", String(300), nullable=False, default=""),
    Column("row", Integer),
)
_TABLES = {"assessment": (assessments_table, ASSESSMENT_KEY, ASSESSMENT_FIELDS),
           "recognition": (recognitions_table, RECOGNITION_KEY, RECOGNITION_FIELDS)}


@dataclass(frozen=True)
class NtmChange:
    record: str
    key: tuple
    new: dict[str, str]
    old: dict[str, str] | None
    row_version: int | None
    file: str
    row: int


@dataclass
class NtmReport:
    parsed: NtmParsed
    changes: list[NtmChange]
    unchanged: int

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    @property
    def new_count(self) -> int:
        return sum(c.old is None for c in self.changes)

    @property
    def changed_count(self) -> int:
        return sum(c.old is not None for c in self.changes)


class NtmStore:
    """The NTM tables of ``store``'s database."""

    def __init__(self, store: Store):
        self.store = store
        metadata.create_all(store.engine, tables=[assessments_table, recognitions_table, ntm_history])

    def assessments(self) -> pd.DataFrame:
        return self._read("assessment")

    def recognitions(self) -> pd.DataFrame:
        return self._read("recognition")

    def _read(self, record: str) -> pd.DataFrame:
        table, key, fields = _TABLES[record]
        columns = [*key, *fields, "file", "row", "row_version"]
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(*[table.c[c] for c in columns]).order_by(table.c.id)).mappings().all()
        frame = pd.DataFrame([dict(r) for r in rows], columns=columns)
        if record == "assessment" and frame.empty:
            return empty_assessments().assign(file="", row=0, row_version=0)
        return frame

    def check(self, parsed: NtmParsed) -> NtmReport:
        """What a clean parse would change; writes nothing."""
        changes: list[NtmChange] = []
        unchanged = 0
        if parsed.ok:
            for record, rows, stored in (("assessment", parsed.rows, self.assessments()),
                                         ("recognition", parsed.recognitions, self.recognitions())):
                _, key, fields = _TABLES[record]
                by_key = {tuple(r[k] for k in key): r for r in stored.to_dict("records")}
                for r in rows.to_dict("records"):
                    k = tuple(r[c] for c in key)
                    new = {f: str(r[f]) for f in fields}
                    old_row = by_key.get(k)
                    old = None if old_row is None else {f: str(old_row[f]) for f in fields}
                    if old == new:
                        unchanged += 1
                        continue
                    changes.append(NtmChange(record, k, new, old, None if old_row is None else
                                             int(old_row["row_version"]), str(r["file"]), int(r["row"])))
        return NtmReport(parsed, changes, unchanged)

    def apply(self, report: NtmReport, *, user: User | None) -> int | None:
        """Write a clean report as one revision; None when nothing changes. ConflictError: nothing written.

        Only a user allowed to import may write (PermissionError otherwise), whatever page asks.
        """
        if not can(user, "import"):
            raise PermissionError("importing NTM assessments needs an editor or admin account")
        assert user is not None
        if not report.ok:
            raise ValueError("a file with problems cannot be imported")
        if not report.changes:
            return None
        conflicts: list[tuple] = []
        with self.store.engine.begin() as conn:
            inserted = conn.execute(insert(revisions).values(
                at=_now(), user_name=user.login, action=ACTION, file=report.parsed.file,
                summary=f"NTM: {report.new_count} new, {report.changed_count} changed")).inserted_primary_key
            assert inserted is not None
            revision_id = int(inserted[0])
            for change in report.changes:
                table, key, _ = _TABLES[change.record]
                where = and_(*[table.c[k] == v for k, v in zip(key, change.key, strict=True)])
                if change.row_version is None:
                    if conn.execute(select(table.c.id).where(where)).first():
                        conflicts.append(change.key)
                        continue
                    conn.execute(insert(table).values(**dict(zip(key, change.key, strict=True)), **change.new,
                                                      file=change.file, row=change.row, row_version=1,
                                                      revision_id=revision_id))
                else:
                    result = conn.execute(update(table).where(and_(where, table.c.row_version == change.row_version))
                                          .values(**change.new, file=change.file, row=change.row,
                                                  row_version=table.c.row_version + 1, revision_id=revision_id))
                    if result.rowcount != 1:
                        conflicts.append(change.key)
                        continue
                conn.execute(insert(ntm_history).values(
                    revision_id=revision_id, record=change.record, key=json.dumps(dict(zip(key, change.key,
                                                                                            strict=True))),
                    old=None if change.old is None else json.dumps(change.old, ensure_ascii=False),
                    new=json.dumps(change.new, ensure_ascii=False), file=change.file, row=change.row))
            if conflicts:
                raise ConflictError(conflicts)  # rolls the transaction back
        return revision_id

    def changes_in(self, revision_id: int) -> pd.DataFrame:
        """What one NTM revision changed: record, key, old and new fields."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(ntm_history).where(ntm_history.c.revision_id == revision_id)
                                .order_by(ntm_history.c.id)).mappings().all()
        records = []
        for r in rows:
            old = json.loads(r["old"]) if r["old"] else {}
            new = json.loads(r["new"])
            records.append({"record": r["record"], **json.loads(r["key"]),
                            **{f"old_{k}": v for k, v in old.items()}, **{f"new_{k}": v for k, v in new.items()},
                            "file": r["file"], "row": r["row"]})
        return pd.DataFrame(records)

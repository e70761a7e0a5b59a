"""NTM assessments and recognition decisions in the value store's database, with history.

Every write — an import, an edit in place, a restore — is one revision in the store's ``revisions`` table
(the actions in ``ACTIONS``), so the history page lists it beside value imports; what it changed is kept in
``ntm_history`` (old and new fields as JSON; ``null`` where the record did not or no longer exists), so
every earlier state can be rebuilt and restored and nothing saved is lost. The values' rules apply here,
whatever page or command asks: only accounts that may edit write, only for their own units (checked again
in the transaction against the accounts table), only admins restore, and every write adds an audit event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
)

from mutte_geo.core.errors import Problem
from mutte_geo.core.i18n import gettext
from mutte_geo.model.ntm import ASSESSMENT_FIELDS, ASSESSMENT_KEY, empty_assessments
from mutte_geo.storage import audit
from mutte_geo.storage.accounts import ScopeError, refuse_out_of_scope, scope_problems
from mutte_geo.storage.auth import User, can
from mutte_geo.storage.ntm_import import RECOGNITION_KEY, NtmParsed
from mutte_geo.storage.store import (
    ConflictError,
    Revision,
    Store,
    _now,
    current_table,
    metadata,
    revisions,
    write_record,
)

RECOGNITION_FIELDS = ("decision", "source", "note")
_INT_COLUMNS = {"vintage", "criterion", "year"}
ACTION, EDIT_ACTION, RESTORE_ACTION = "ntm-import", "ntm-edit", "ntm-restore"
ACTIONS = (ACTION, EDIT_ACTION, RESTORE_ACTION)
RECORDS = ("assessment", "recognition")


def _key_column(name: str) -> Column:
    return Column(name, Integer if name in _INT_COLUMNS else String(40), nullable=False)


assessments_table = current_table("ntm_assessments", [_key_column(k) for k in ASSESSMENT_KEY], ASSESSMENT_FIELDS,
                                  unique="one_ntm_assessment_per_key")
recognitions_table = current_table("ntm_recognitions", [_key_column(k) for k in RECOGNITION_KEY],
                                   RECOGNITION_FIELDS, unique="one_ntm_recognition_per_key")
ntm_history = Table(
    "ntm_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("revision_id", Integer, ForeignKey("revisions.id"), nullable=False, index=True),
    Column("record", String(20), nullable=False),  # 'assessment' or 'recognition'
    Column("key", Text, nullable=False),  # JSON of the key columns
    Column("old", Text),  # JSON of the fields; NULL or 'null': the record was new
    Column("new", Text, nullable=False),  # JSON of the fields; 'null': the record was removed (by a restore)
    Column("file", String(300), nullable=False, default=""),
    Column("row", Integer),
)
_TABLES = {"assessment": (assessments_table, ASSESSMENT_KEY, ASSESSMENT_FIELDS),
           "recognition": (recognitions_table, RECOGNITION_KEY, RECOGNITION_FIELDS)}
_PERMISSION = {ACTION: "import", EDIT_ACTION: "edit", RESTORE_ACTION: "restore"}


@dataclass(frozen=True)
class NtmChange:
    record: str
    key: tuple
    new: dict[str, str] | None  # None: the record is removed (only a restore removes)
    old: dict[str, str] | None  # None: the record is new
    row_version: int | None
    file: str
    row: int


@dataclass
class NtmReport:
    parsed: NtmParsed
    changes: list[NtmChange]
    unchanged: int
    scope: list[Problem] = field(default_factory=list)  # rows outside the user's units

    @property
    def problems(self) -> list[Problem]:
        return [*self.parsed.problems, *self.scope]

    @property
    def ok(self) -> bool:
        return not self.problems

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
        audit.ensure_tables(store.engine)

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

    def _current(self) -> dict[str, dict[tuple, dict]]:
        """Every stored record by kind and key (fields, file, row, row_version)."""
        return {record: {tuple(r[k] for k in _TABLES[record][1]): r for r in self._read(record).to_dict("records")}
                for record in RECORDS}

    # --- checking --------------------------------------------------------------------------------------

    def check(self, parsed: NtmParsed, *, user: User | None = None) -> NtmReport:
        """What a clean parse would change; writes nothing. With ``user``: rows outside its units are problems."""
        changes: list[NtmChange] = []
        unchanged = 0
        if parsed.ok:
            current = self._current()
            for record, rows in (("assessment", parsed.rows), ("recognition", parsed.recognitions)):
                _, key, fields = _TABLES[record]
                for r in rows.to_dict("records"):
                    k = tuple(r[c] for c in key)
                    new = {f: str(r[f]) for f in fields}
                    old_row = current[record].get(k)
                    old = None if old_row is None else {f: str(old_row[f]) for f in fields}
                    if old == new:
                        unchanged += 1
                        continue
                    changes.append(NtmChange(record, k, new, old, None if old_row is None else
                                             int(old_row["row_version"]), str(r["file"]), int(r["row"])))
        report = NtmReport(parsed, changes, unchanged)
        if user is not None:
            report.scope = scope_problems(user, [(c.key, c.row or None) for c in changes], parsed.file)
        return report

    # --- writing ---------------------------------------------------------------------------------------

    def apply(self, report: NtmReport, *, user: User | None, action: str = ACTION) -> int | None:
        """Write a clean report as one revision (an import, or with ``EDIT_ACTION`` an edit in place); None
        when nothing changes. PermissionError: the user may not write; ScopeError: a row is outside its
        units; ConflictError: someone changed the same records meanwhile. Nothing is written then."""
        if action not in (ACTION, EDIT_ACTION):
            raise ValueError(f"unknown NTM write {action!r}")
        user = _allowed(user, action)
        if not report.ok:
            raise ValueError("a file with problems cannot be imported")
        if not report.changes:
            return None
        outside = scope_problems(user, [(c.key, c.row or None) for c in report.changes], report.parsed.file)
        if outside:
            raise ScopeError("; ".join(p.reason_vi for p in outside), "; ".join(p.reason_en for p in outside))
        summary = f"NTM: {report.new_count} new, {report.changed_count} changed"
        return self._write(report.changes, user=user, action=action, file=report.parsed.file, summary=summary,
                           audit_action="ntm_saved")

    def restore(self, revision_id: int, *, user: User | None) -> int | None:
        """Make the NTM records what they were right after ``revision_id``, as a new revision (the history
        keeps everything); None when they already are. Admins only (PermissionError)."""
        user = _allowed(user, RESTORE_ACTION)
        target = self.state_at(revision_id)
        current = self._current()
        changes = []
        for record in RECORDS:
            fields = _TABLES[record][2]
            then, now = target[record], current[record]
            for key in sorted(set(then) | set(now), key=str):
                old_row = now.get(key)
                old = None if old_row is None else {f: str(old_row[f]) for f in fields}
                if then.get(key) == old:
                    continue
                changes.append(NtmChange(record, key, then.get(key), old,
                                         None if old_row is None else int(old_row["row_version"]),
                                         "" if old_row is None else str(old_row["file"]), 0))
        if not changes:
            return None
        return self._write(changes, user=user, action=RESTORE_ACTION, file="",
                           summary=f"NTM: restore to revision {revision_id}", audit_action="restored")

    def _write(self, changes: list[NtmChange], *, user: User, action: str, file: str, summary: str,
               audit_action: str) -> int:
        with self.store.engine.begin() as conn:
            refuse_out_of_scope(conn, user.login, [c.key for c in changes])
            inserted = conn.execute(insert(revisions).values(at=_now(), user_name=user.login, action=action,
                                                             file=file, summary=summary)).inserted_primary_key
            assert inserted is not None
            revision_id = int(inserted[0])
            conflicts = [c.key for c in changes if not _write_one(conn, c, revision_id)]
            if conflicts:
                raise ConflictError(conflicts)  # rolls the transaction back
            audit.record(conn, user.login, audit_action, target=f"revision {revision_id}",
                         detail=f"{summary} ({len(changes)} record(s))" + (f"; {file}" if file else ""))
        return revision_id

    # --- reading the history ---------------------------------------------------------------------------

    def revisions(self) -> list[Revision]:
        """The store's NTM revisions, newest first."""
        return [r for r in self.store.revisions(limit=1000) if r.action in ACTIONS]

    def _history(self, *, upto: int | None = None) -> list[dict]:
        query = select(ntm_history, revisions.c.at, revisions.c.user_name, revisions.c.action).join(
            revisions, ntm_history.c.revision_id == revisions.c.id)
        if upto is not None:
            query = query.where(ntm_history.c.revision_id <= upto)
        with self.store.engine.connect() as conn:
            rows = conn.execute(query.order_by(ntm_history.c.id)).mappings().all()
        return [{**dict(r), "key": json.loads(r["key"]), "old": json.loads(r["old"]) if r["old"] else None,
                 "new": json.loads(r["new"])} for r in rows]

    def state_at(self, revision_id: int) -> dict[str, dict[tuple, dict[str, str]]]:
        """The NTM records (fields by kind and key) as they were right after ``revision_id``."""
        state: dict[str, dict[tuple, dict[str, str]]] = {record: {} for record in RECORDS}
        for r in self._history(upto=revision_id):
            key = tuple(r["key"][k] for k in _TABLES[r["record"]][1])
            if r["new"] is None:
                state[r["record"]].pop(key, None)
            else:
                state[r["record"]][key] = r["new"]
        return state

    def changes_in(self, revision_id: int) -> pd.DataFrame:
        """What one NTM revision changed: record, key, old and new fields (absent: no record)."""
        return _flat([r for r in self._history(upto=revision_id) if r["revision_id"] == revision_id])

    def unit_history(self, vintage: int, code: str) -> pd.DataFrame:
        """Every change to one unit's NTM records, oldest first, with when, who and which revision."""
        return _flat([r for r in self._history() if r["key"]["vintage"] == vintage and r["key"]["unit_code"] == code])


def report_lines(report: NtmReport, lang: str) -> list[str]:
    """The plain-text report printed by the command line: problems, or what would change."""
    if not report.ok:
        return [f"ERROR {p.describe(lang)}" for p in report.problems] + [
            gettext(lang, "{n_problems} problem(s): nothing was written.").format(n_problems=len(report.problems))]
    parsed = report.parsed
    lines = [gettext(lang, "{file}: set {set_id}, {vintage} boundaries; {new_count} new, {changed_count} "
                           "changed, {unchanged} unchanged").format(
                 file=parsed.file, set_id=parsed.set_id, vintage=parsed.vintage, new_count=report.new_count,
                 changed_count=report.changed_count, unchanged=report.unchanged)]
    for change in report.changes:
        fields = dict(zip(_TABLES[change.record][1], change.key, strict=True))
        if change.record == "assessment":
            what, shown = f"{fields['year']} {fields['assessor']} criterion {fields['criterion']}", "status"
        else:
            what, shown = f"{fields['year']} recognition", "decision"
        new = (change.new or {}).get(shown, "")
        lines.append(f"  {fields['vintage']}:{fields['unit_code']} {what}: "
                     + (f"+ {new}" if change.old is None else f"{change.old[shown]} → {new}"))
    return lines


def _allowed(user: User | None, action: str) -> User:
    if not can(user, _PERMISSION[action]):
        raise PermissionError(f"{_PERMISSION[action]} of NTM assessments needs an account allowed to do it")
    assert user is not None
    return user


def _write_one(conn: Connection, change: NtmChange, revision_id: int) -> bool:
    """One record written with its history row; False when it is no longer what the change was based on."""
    table, key, _ = _TABLES[change.record]
    key_values: dict[str, object] = dict(zip(key, change.key, strict=True))
    if not write_record(conn, table, key_values, change.new, change.row_version, file=change.file, row=change.row,
                        revision_id=revision_id):
        return False
    conn.execute(insert(ntm_history).values(
        revision_id=revision_id, record=change.record, key=json.dumps(key_values, ensure_ascii=False),
        old=None if change.old is None else json.dumps(change.old, ensure_ascii=False),
        new=json.dumps(change.new, ensure_ascii=False), file=change.file, row=change.row or None))
    return True


def _flat(rows: list[dict]) -> pd.DataFrame:
    """History rows as a table: record, key columns, old_* and new_* fields, file, row, revision, at, who."""
    return pd.DataFrame([{"record": r["record"], **r["key"], **{f"old_{k}": v for k, v in (r["old"] or {}).items()},
                          **{f"new_{k}": v for k, v in (r["new"] or {}).items()}, "removed": r["new"] is None,
                          "file": r["file"], "row": r["row"], "revision_id": r["revision_id"], "at": r["at"],
                          "user_name": r["user_name"], "action": r["action"]} for r in rows])

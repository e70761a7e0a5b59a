"""Submit → approve: values staff enter wait as *submissions* until a region approver approves or
returns them; an approved value is locked until an approver reopens it.

The store's values (``indicator_values``) stay the approved, published figures: the bundled report data
and every approved submission. Approving writes the value as a store revision (action ``approve``), so
the history and restore work as before. Every step (submitted, approved, returned, reopened,
superseded) is kept in ``approval_events`` with who, when and why, and in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    delete,
    insert,
    select,
    update,
)

from mutte_geo.core.errors import BilingualError, Problem, ValidationError
from mutte_geo.core.localtime import local_time_text
from mutte_geo.storage import audit
from mutte_geo.storage.accounts import AccountError, scope_problems
from mutte_geo.storage.auth import User
from mutte_geo.storage.importer import FIELDS, KEY, Change
from mutte_geo.storage.locks import LockedError, locked_among, value_locks
from mutte_geo.storage.store import ConflictError, Store

Key = tuple[int, str, str, str, str]
STATES = ("submitted", "returned", "approved", "superseded")
metadata = MetaData()


def _key_columns() -> list[Column]:
    return [Column("vintage", Integer, nullable=False), Column("unit_code", String(10), nullable=False),
            Column("indicator", String(100), nullable=False), Column("period", String(20), nullable=False),
            Column("kind", String(20), nullable=False)]


submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_key_columns(),
    *[Column(f, Text, nullable=False, default="") for f in FIELDS],
    Column("file", String(300), nullable=False, default=""),
    Column("row", Integer),
    Column("base_row_version", Integer),  # the store's row version when submitted; NULL: no value then
    Column("state", String(20), nullable=False, index=True),
    Column("submitted_by", String(100), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime(timezone=True)),
    Column("comment", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)
approval_events = Table(
    "approval_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(20), nullable=False),
    Column("submission_id", Integer),
    *_key_columns(),
    Column("value", Text),
    Column("comment", Text, nullable=False, default=""),
)
EVENT_LABELS = {"submitted": ("gửi", "submitted"), "approved": ("duyệt", "approved"),
                "returned": ("trả lại", "returned"), "reopened": ("mở khóa", "reopened"),
                "superseded": ("thay bằng bản gửi mới", "superseded by a newer submission")}


class DecisionConflict(BilingualError):
    """Another approver decided (or the value changed) first; nothing was written."""


@dataclass(frozen=True)
class Decision:
    """One submission as the approver saw it: its id and version."""

    submission_id: int
    version: int


class Approvals:
    """The submissions, locks and approval history of one store."""

    def __init__(self, store: Store):
        self.store = store
        self.engine = store.engine
        metadata.create_all(self.engine)
        audit.ensure_tables(self.engine)

    # --- reading -------------------------------------------------------------------------------------

    def locked_keys(self) -> set[Key]:
        with self.engine.connect() as conn:
            return {_key(r) for r in conn.execute(select(*[value_locks.c[k] for k in KEY])).mappings()}

    def submissions(self, user: User | None, states: tuple[str, ...] = ("submitted", "returned")) -> pd.DataFrame:
        """Submissions in ``states`` that ``user`` may see: all for region accounts, else those of its units."""
        columns = [c.name for c in submissions.columns]
        if user is None:
            return pd.DataFrame(columns=columns)
        with self.engine.connect() as conn:
            rows = conn.execute(select(submissions).where(submissions.c.state.in_(states))
                                .order_by(submissions.c.id)).mappings().all()
        frame = pd.DataFrame([dict(r) for r in rows], columns=columns)
        if not user.whole_region:
            frame = frame[[user.covers(int(v), str(c)) for v, c in zip(frame["vintage"], frame["unit_code"])]]
        return frame.reset_index(drop=True)

    def events(self, user: User | None, limit: int = 2000) -> pd.DataFrame:
        """Every approval step, newest first (only the units ``user`` may see)."""
        columns = [c.name for c in approval_events.columns]
        if user is None:
            return pd.DataFrame(columns=columns)
        with self.engine.connect() as conn:
            rows = conn.execute(select(approval_events).order_by(approval_events.c.id.desc())
                                .limit(limit)).mappings().all()
        frame = pd.DataFrame([dict(r) for r in rows], columns=columns)
        if not user.whole_region:
            frame = frame[[user.covers(int(v), str(c)) for v, c in zip(frame["vintage"], frame["unit_code"])]]
        return frame.reset_index(drop=True)

    def problems(self, changes: list[Change], user: User, file: str,
                 label=None) -> list[Problem]:
        """Why ``user`` may not submit ``changes``: rows outside its units, rows of locked values."""
        problems = scope_problems(user, [(c.key, c.row or None) for c in changes], file, label)
        locked = self.locked_keys()
        for change in changes:
            if change.key in locked:
                vintage, code, indicator, period, kind = change.key
                problems.append(Problem(
                    file, change.row or None, "value",
                    f"giá trị {indicator} {period} ({kind}) của {vintage}:{code} đã được duyệt và bị khóa; "
                    "cần người duyệt mở khóa trước",
                    f"the value {indicator} {period} ({kind}) of {vintage}:{code} is approved and locked; "
                    "an approver must reopen it first"))
        return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))

    # --- submitting ----------------------------------------------------------------------------------

    def submit(self, changes: list[Change], *, user: User, file: str, label=None) -> list[int]:
        """Keep ``changes`` as submissions of ``user``; their ids. A file with any row outside the account's
        units or on a locked value is refused whole (ValidationError listing the rows)."""
        if not user.can("import"):
            raise AccountError(f"Tài khoản {user.login} không được gửi số liệu.",
                               f"Account {user.login} may not submit values.")
        if not changes:
            raise ValueError("nothing to submit")
        if any(c.new is None for c in changes):
            raise ValueError("a submission cannot remove a value")
        problems = self.problems(changes, user, file, label)
        if problems:
            raise ValidationError(problems)
        now = _now()
        ids = []
        with self.engine.begin() as conn:
            for change in changes:
                where = _where(submissions, change.key)
                older = conn.execute(select(submissions.c.id).where(and_(where, submissions.c.state == "submitted"))
                                     ).scalars().all()
                for old_id in older:
                    conn.execute(update(submissions).where(submissions.c.id == old_id).values(
                        state="superseded", decided_by=user.login, decided_at=now,
                        version=submissions.c.version + 1))
                    _event(conn, user.login, "superseded", old_id, change.key, None, "")
                new = change.new or {}
                inserted = conn.execute(insert(submissions).values(
                    **_key_values(change.key), **{f: new.get(f, "") for f in FIELDS}, file=change.file or file,
                    row=change.row or None, base_row_version=change.row_version, state="submitted",
                    submitted_by=user.login, submitted_at=now, comment="", version=1))
                new_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
                _event(conn, user.login, "submitted", new_id, change.key, new.get("value"), "")
                ids.append(new_id)
            # A lock taken meanwhile (an approval committed after the check above) refuses the whole file.
            if locked_among(conn, [c.key for c in changes]):
                raise ValidationError(self.problems(changes, user, file, label))
            audit.record(conn, user.login, "submitted", target=file, detail=f"{len(ids)} value(s): ids {_ids(ids)}")
        return ids

    # --- deciding ------------------------------------------------------------------------------------

    def approve(self, decisions: list[Decision], *, user: User, comment: str = "") -> int:
        """Write the submissions' values to the store as one revision, lock them; the revision id.

        Raises DecisionConflict (nothing written) when another approver decided one of them first, or the
        stored value changed since it was submitted.
        """
        rows = self._decidable(decisions, user)
        current = {tuple(r[k] for k in KEY): r for r in self.store.current().to_dict("records")}
        changes = []
        for row in rows:
            key = _key(row)
            held = current.get(key)
            held_version = None if held is None else int(held["row_version"])
            if held_version != row["base_row_version"]:
                raise DecisionConflict(
                    f"Giá trị đang lưu của {_key_text(key)} đã thay đổi sau khi được gửi; hãy trả lại để đơn vị "
                    "gửi lại.",
                    f"The stored value of {_key_text(key)} changed after it was submitted; return it so the unit "
                    "submits again.")
            changes.append(Change(key, {f: str(row[f]) for f in FIELDS},
                                  None if held is None else {f: str(held[f]) for f in FIELDS}, held_version,
                                  str(row["file"]), int(row["row"] or 0)))
        now = _now()
        submitters = sorted({str(r["submitted_by"]) for r in rows})

        def claim(conn: Connection, revision_id: int) -> None:
            self._claim(conn, rows, user, "approved", comment, now)
            for row in rows:
                conn.execute(insert(value_locks).values(**_key_values(_key(row)), submission_id=row["id"],
                                                        locked_by=user.login, locked_at=now))
            audit.record(conn, user.login, "approved", target=f"revision {revision_id}",
                         detail=f"{len(rows)} value(s) submitted by {', '.join(submitters)}: ids "
                                f"{_ids([r['id'] for r in rows])}" + (f"; {comment}" if comment else ""))

        try:
            return self.store.apply_with(changes, claim, user=user.login, action="approve",
                                         file=", ".join(sorted({str(r["file"]) for r in rows}))[:300],
                                         summary=f"{len(rows)} value(s) submitted by {', '.join(submitters)}")
        except (ConflictError, LockedError) as exc:
            raise self._told(decisions) from exc

    def return_(self, decisions: list[Decision], *, user: User, comment: str) -> None:
        """Send the submissions back to the unit with ``comment`` (required); nothing is written to the store."""
        if not comment.strip():
            raise AccountError("Cần ghi lý do trả lại.", "Write why the values are returned.")
        rows = self._decidable(decisions, user)
        with self.engine.begin() as conn:
            self._claim(conn, rows, user, "returned", comment.strip(), _now())
            audit.record(conn, user.login, "returned", target=", ".join(sorted({str(r["submitted_by"]) for r in rows})),
                         detail=f"ids {_ids([r['id'] for r in rows])}: {comment.strip()}")

    def reopen(self, keys: list[Key], *, user: User, reason: str) -> int:
        """Unlock approved values so the unit may submit them again; how many were unlocked."""
        if not user.can("approve"):
            raise AccountError(f"Tài khoản {user.login} không được mở khóa số liệu.",
                               f"Account {user.login} may not reopen values.")
        if not reason.strip():
            raise AccountError("Cần ghi lý do mở khóa.", "Write why the values are reopened.")
        opened = 0
        with self.engine.begin() as conn:
            for key in keys:
                if conn.execute(delete(value_locks).where(_where(value_locks, key))).rowcount:
                    opened += 1
                    _event(conn, user.login, "reopened", None, key, None, reason.strip())
            if opened:
                audit.record(conn, user.login, "reopened", target="; ".join(_key_text(k) for k in keys),
                             detail=reason.strip())
        return opened

    def restore(self, revision_id: int, *, user: User) -> int | None:
        """The store's restore, refused while it would change a locked value (reopen those first)."""
        target = {tuple(r[k] for k in KEY): tuple(str(r[f]) for f in FIELDS)
                  for r in self.store.state_at(revision_id).to_dict("records")}
        now = {tuple(r[k] for k in KEY): tuple(str(r[f]) for f in FIELDS)
               for r in self.store.current().to_dict("records")}
        touched = {k for k in set(target) | set(now) if target.get(k) != now.get(k)}
        locked = sorted(touched & self.locked_keys())
        if locked:
            shown = "; ".join(_key_text(k) for k in locked[:10])
            raise DecisionConflict(f"Khôi phục sẽ thay đổi {len(locked)} giá trị đã duyệt và khóa ({shown}); hãy mở "
                                   "khóa trước.", f"The restore would change {len(locked)} approved, locked value(s) "
                                   f"({shown}); reopen them first.")
        revision = self.store.restore(revision_id, user=user.login)
        if revision is not None:
            audit.record_now(self.engine, user.login, "restored", target=f"revision {revision_id}",
                             detail=f"as revision {revision}")
        return revision

    def _decidable(self, decisions: list[Decision], user: User) -> list[dict]:
        if not user.can("approve"):
            raise AccountError(f"Tài khoản {user.login} không được duyệt số liệu.",
                               f"Account {user.login} may not approve values.")
        if not decisions:
            raise ValueError("nothing to decide")
        ids = [d.submission_id for d in decisions]
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(select(submissions).where(submissions.c.id.in_(ids))).mappings()]
        by_id = {r["id"]: r for r in rows}
        own = [i for i in ids if i in by_id and by_id[i]["submitted_by"] == user.login]
        if own:
            raise AccountError(f"Không ai được tự duyệt số liệu mình gửi (mã {_ids(own)}).",
                               f"Nobody approves or returns their own submissions (ids {_ids(own)}).")
        stale = [d for d in decisions if d.submission_id not in by_id or by_id[d.submission_id]["state"] != "submitted"
                 or by_id[d.submission_id]["version"] != d.version]
        if stale:
            raise self._told(stale)
        return [by_id[i] for i in ids]

    def _claim(self, conn: Connection, rows: list[dict], user: User, state: str, comment: str,
               now: dt.datetime) -> None:
        """Mark ``rows`` decided, only if still as the approver saw them (else DecisionConflict, rolled back)."""
        for row in rows:
            result = conn.execute(update(submissions).where(and_(
                submissions.c.id == row["id"], submissions.c.state == "submitted",
                submissions.c.version == row["version"])).values(
                state=state, decided_by=user.login, decided_at=now, comment=comment,
                version=submissions.c.version + 1))
            if result.rowcount != 1:
                raise self._told([Decision(row["id"], row["version"])])
            _event(conn, user.login, state, row["id"], _key(row), str(row["value"]), comment)

    def _told(self, decisions: list[Decision]) -> DecisionConflict:
        """What the approver who came second is told: who decided first, and when."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(submissions).where(submissions.c.id.in_(
                [d.submission_id for d in decisions]))).mappings().all()
        done = [r for r in rows if r["state"] != "submitted"]
        if not done:
            return DecisionConflict("Số liệu đang lưu vừa thay đổi; không có gì được ghi. Hãy tải lại.",
                                    "The stored values changed meanwhile; nothing was written. Reload.")
        vi = "; ".join(f"mã {r['id']}: {r['decided_by']} đã {EVENT_LABELS.get(r['state'], (r['state'],) * 2)[0]} "
                       f"lúc {local_time_text(r['decided_at'], 'vi')}" for r in done)
        en = "; ".join(f"id {r['id']} was {EVENT_LABELS.get(r['state'], (r['state'],) * 2)[1]} by {r['decided_by']} "
                       f"at {local_time_text(r['decided_at'], 'en')}" for r in done)
        return DecisionConflict(f"Người khác đã quyết định trước: {vi}. Không có gì được ghi.",
                                f"Someone else decided first: {en}. Nothing was written.")


def with_submitted(current: pd.DataFrame, pending: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The stored values (long columns) with the pending submissions in place of them, each marked
    UNCERTAIN with a note saying it is not approved, by whom and when it was submitted."""
    columns = list(current.columns)
    if pending.empty:
        return current
    marked = pending.assign(
        status="UNCERTAIN",
        note=[("CHƯA DUYỆT — gửi bởi " if lang == "vi" else "NOT APPROVED — submitted by ")
              + f"{who}, {local_time_text(at, lang)}" + (f"; {note}" if note else "")
              for who, at, note in zip(pending["submitted_by"], pending["submitted_at"], pending["note"])])
    keys = {_key(r) for r in marked.to_dict("records")}
    keep = current[[_key(r) not in keys for r in current.to_dict("records")]]
    return pd.concat([keep, marked.reindex(columns=columns)], ignore_index=True)


def _event(conn: Connection, actor: str, action: str, submission_id: int | None, key: Key, value: str | None,
           comment: str) -> None:
    conn.execute(insert(approval_events).values(at=_now(), actor=actor, action=action, submission_id=submission_id,
                                                **_key_values(key), value=value, comment=comment))


def _key(row) -> Key:
    return (int(row["vintage"]), str(row["unit_code"]), str(row["indicator"]), str(row["period"]), str(row["kind"]))


def _key_values(key: Key) -> dict[str, object]:
    return dict(zip(KEY, key, strict=True))


def _where(table: Table, key: Key):
    return and_(*[table.c[k] == v for k, v in _key_values(key).items()])


def _key_text(key: Key) -> str:
    vintage, code, indicator, period, kind = key
    return f"{vintage}:{code} {indicator} {period} {kind}"


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

"""Submit → approve through the storage API (SQLite and PostgreSQL): scope, mixed files, visibility,
approve/return, locks, reopen, restore, and two approvers deciding the same value at once.
Accounts, files and values here are TEST DATA."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from mutte_geo.core.errors import ValidationError
from mutte_geo.storage import audit
from mutte_geo.storage.accounts import AccountError
from mutte_geo.storage.approval import Approvals, DecisionConflict, with_submitted
from mutte_geo.storage.auth import User
from mutte_geo.storage.importer import Change, Options
from mutte_geo.storage.locks import LockedError
from mutte_geo.storage.stewardship import check_file, open_store, submit
from mutte_geo.storage.store import Store

from .test_store import url  # noqa: F401  (the sqlite/postgresql fixture)

PA_U = User("pau", "editor", "Cán bộ xã Pa Ủ", units=frozenset({"2025:03442"}))
MU_CA = User("muca", "editor", "Cán bộ xã Mù Cả", units=frozenset({"2025:03451"}))
APPROVER, APPROVER_2 = User("duyet", "approver"), User("duyet2", "approver")
WIDE = "# vintage: 2025\n# period: 2025-H1\n# kind: actual\n# source: TEST DATA\nunit_code,villages\n{rows}"


@pytest.fixture
def store(url: str, catalogue, units) -> Store:  # noqa: F811
    from mutte_geo.storage import accounts, approval, locks

    engine = Store(url).engine
    for tables in (approval.metadata, locks.metadata, accounts.metadata, audit.metadata):
        tables.drop_all(engine)
    return open_store(catalogue, units, url)


def send(store: Store, user: User, rows: str, catalogue, units) -> list[int]:  # type: ignore[no-untyped-def]
    report = check_file(store, WIDE.format(rows=rows).encode(), "xa.csv", catalogue=catalogue, units=units,
                        options=Options(), user=user)
    assert report.ok, [p.describe() for p in report.problems]
    return submit(store, report, user=user, units=units)


def decisions(approvals: Approvals, user: User):  # type: ignore[no-untyped-def]
    from mutte_geo.storage.approval import Decision

    waiting = approvals.submissions(user, ("submitted",))
    return [Decision(int(i), int(v)) for i, v in zip(waiting["id"], waiting["version"])]


def stored(store: Store, code: str) -> list[str]:
    current = store.current()
    return current[(current["vintage"] == 2025) & (current["unit_code"] == code)
                   & (current["period"] == "2025-H1")]["value"].tolist()


def test_a_mixed_file_is_refused_whole_with_its_rows(store: Store, catalogue, units) -> None:
    data = WIDE.format(rows="03442,12\n03451,9\n03463,7\n").encode()
    report = check_file(store, data, "xa.csv", catalogue=catalogue, units=units, options=Options(), user=PA_U)
    assert [(p.row, p.column) for p in report.problems] == [(7, "unit_code"), (8, "unit_code")]
    assert report.problems[0].reason_en == "unit Xã Mù Cả (2025:03451) is outside the units of account pau"
    # the storage call refuses it too, whole
    with pytest.raises(ValidationError, match="row 8.*2025:03463 is outside the units of account pau"):
        Approvals(store).submit(report.changes, user=PA_U, file="xa.csv")
    assert Approvals(store).submissions(APPROVER).empty
    assert send(store, PA_U, "03442,12\n", catalogue, units)


def test_submitted_values_wait_and_each_commune_sees_only_its_own(store: Store, catalogue, units) -> None:
    version = store.version()
    send(store, PA_U, "03442,12\n", catalogue, units)
    send(store, MU_CA, "03451,9\n", catalogue, units)
    assert store.version() == version and stored(store, "03442") == []  # nothing is live yet
    approvals = Approvals(store)
    assert approvals.submissions(PA_U)["unit_code"].tolist() == ["03442"]
    assert approvals.submissions(MU_CA)["unit_code"].tolist() == ["03451"]
    assert sorted(approvals.submissions(APPROVER)["unit_code"]) == ["03442", "03451"]
    assert approvals.submissions(None).empty
    assert set(approvals.events(PA_U)["unit_code"]) == {"03442"}
    # the leaders' switch: stored values plus the pending ones, each marked
    shown = with_submitted(store.current(), approvals.submissions(APPROVER, ("submitted",)), "en")
    row = shown[(shown["unit_code"] == "03442") & (shown["period"] == "2025-H1")].iloc[0]
    assert (row["value"], row["status"]) == ("12", "UNCERTAIN")
    assert row["note"].startswith("NOT APPROVED — submitted by pau")


def test_approve_locks_return_tells_why_reopen_unlocks(store: Store, catalogue, units) -> None:
    approvals = Approvals(store)
    send(store, PA_U, "03442,12\n", catalogue, units)
    with pytest.raises(AccountError, match="may not approve"):
        approvals.approve(decisions(approvals, APPROVER), user=PA_U)
    revision = approvals.approve(decisions(approvals, APPROVER), user=APPROVER)
    assert stored(store, "03442") == ["12"]
    assert store.revisions(1)[0].action == "approve" and store.revisions(1)[0].id == revision
    # locked: a new file, the edit path and a direct store write are all refused
    report = check_file(store, WIDE.format(rows="03442,15\n").encode(), "lai.csv", catalogue=catalogue, units=units,
                        options=Options(), user=PA_U)
    assert [p.column for p in report.problems] == ["value"] and "locked" in report.problems[0].reason_en
    with pytest.raises(ValidationError, match="locked"):
        Approvals(store).submit(report.changes, user=PA_U, file="lai.csv")
    with pytest.raises(LockedError):
        store.apply(report.changes, user="system")
    assert stored(store, "03442") == ["12"]
    key = report.changes[0].key
    with pytest.raises(AccountError, match="Write why"):
        approvals.reopen([key], user=APPROVER, reason=" ")
    assert approvals.reopen([key], user=APPROVER, reason="xã báo số mới") == 1
    send(store, PA_U, "03442,15\n", catalogue, units)
    approvals.return_(decisions(approvals, APPROVER), user=APPROVER, comment="Thiếu nguồn số liệu thôn")
    returned = approvals.submissions(PA_U, ("returned",))
    assert returned[["value", "comment", "decided_by"]].values.tolist() == [["15", "Thiếu nguồn số liệu thôn", "duyet"]]
    assert stored(store, "03442") == ["12"]
    steps = approvals.events(APPROVER)
    assert steps["action"].tolist() == ["returned", "submitted", "reopened", "approved", "submitted"]
    assert steps[steps["action"] == "reopened"]["comment"].tolist() == ["xã báo số mới"]
    assert {"submitted", "approved", "returned", "reopened"} <= set(audit.events(store.engine)["action"])


def test_nobody_approves_their_own_submission(store: Store, catalogue, units) -> None:
    approvals = Approvals(store)
    send(store, APPROVER, "03442,12\n", catalogue, units)
    with pytest.raises(AccountError, match="own submissions"):
        approvals.approve(decisions(approvals, APPROVER), user=APPROVER)
    approvals.approve(decisions(approvals, APPROVER_2), user=APPROVER_2)
    assert stored(store, "03442") == ["12"]


def test_restore_keeps_locked_values_until_reopened(store: Store, catalogue, units) -> None:
    approvals = Approvals(store)
    send(store, PA_U, "03442,12\n", catalogue, units)
    approvals.approve(decisions(approvals, APPROVER), user=APPROVER)
    with pytest.raises(DecisionConflict, match="reopen them first"):
        approvals.restore(1, user=User("admin", "admin"))
    assert stored(store, "03442") == ["12"]
    key = (2025, "03442", "villages", "2025-H1", "actual")
    approvals.reopen([key], user=APPROVER, reason="khôi phục bản gốc")
    assert approvals.restore(1, user=User("admin", "admin")) is not None
    assert stored(store, "03442") == []


@pytest.mark.parametrize("second", ["approve", "return"])
def test_two_approvers_at_once_one_wins_the_other_is_told(store: Store, catalogue, units, second: str) -> None:
    send(store, PA_U, "03442,12\n", catalogue, units)
    seen = decisions(Approvals(store), APPROVER)  # both approvers opened the same list
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name: str, user: User, how: str) -> None:
        approvals = Approvals(Store(store.url))
        barrier.wait()
        try:
            if how == "approve":
                outcomes[name] = approvals.approve(seen, user=user)
            else:
                approvals.return_(seen, user=user, comment="số chưa khớp")
                outcomes[name] = "returned"
        except DecisionConflict as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=act, args=("a", APPROVER, "approve")),
               threading.Thread(target=act, args=("b", APPROVER_2, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    told = [o for o in outcomes.values() if isinstance(o, DecisionConflict)]
    assert len(outcomes) == 2 and len(told) == 1, outcomes
    assert "Someone else decided first" in told[0].en
    final = Approvals(store).submissions(APPROVER, ("submitted", "approved", "returned"))
    assert len(final) == 1 and final["state"].iloc[0] in ("approved", "returned")
    approved = final["state"].iloc[0] == "approved"
    assert stored(store, "03442") == (["12"] if approved else [])  # written once or not at all
    assert len([r for r in store.revisions() if r.action == "approve"]) == (1 if approved else 0)


def test_a_superseded_submission_cannot_be_approved(store: Store, catalogue, units) -> None:
    approvals = Approvals(store)
    send(store, PA_U, "03442,12\n", catalogue, units)
    old = decisions(approvals, APPROVER)
    send(store, PA_U, "03442,13\n", catalogue, units)
    with pytest.raises(DecisionConflict):
        approvals.approve(old, user=APPROVER)
    approvals.approve(decisions(approvals, APPROVER), user=APPROVER)
    assert stored(store, "03442") == ["13"]
    assert isinstance(store.current(), pd.DataFrame)


def test_direct_changes_need_an_account_with_the_unit(store: Store) -> None:
    change = Change((2025, "03442", "villages", "2025-H1", "actual"),
                    {"value": "3", "status": "", "source": "TEST DATA", "note": ""}, None, None, "", 0)
    with pytest.raises(AccountError, match="may not submit"):
        Approvals(store).submit([change], user=User("xem", "viewer"), file="x.csv")


def test_tables_name_people_by_their_display_name(store: Store, catalogue, units) -> None:
    from mutte_geo.storage.stewardship import approval_steps_table, submissions_table
    approvals = Approvals(store)
    send(store, PA_U, "03442,12\n", catalogue, units)
    approvals.approve(decisions(approvals, APPROVER), user=APPROVER)
    names = {"pau": PA_U.name, "duyet": "Người duyệt thử (TEST DATA)"}
    sent = submissions_table(approvals.submissions(APPROVER, ("approved",)), store.current(), catalogue, units, "vi",
                             names)
    assert sent[["Người gửi", "Người quyết định"]].values.tolist() == [
        ["Cán bộ xã Pa Ủ (pau)", "Người duyệt thử (TEST DATA) (duyet)"]]
    steps = approval_steps_table(approvals.events(APPROVER), catalogue, "en", names)
    assert set(steps["Who"]) == {"Cán bộ xã Pa Ủ (pau)", "Người duyệt thử (TEST DATA) (duyet)"}
    events = audit.audit_table(audit.events(store.engine), "vi", names)
    assert "Cán bộ xã Pa Ủ (pau)" in set(events["Người"])
    system = audit.audit_table(pd.DataFrame({"at": [pd.Timestamp("2026-12-01T00:00Z")], "actor": ["system"],
                                             "action": ["seed"], "target": [""], "detail": [""], "client": [""]}),
                               "vi", names)
    assert system["Người"].tolist() == ["hệ thống"]

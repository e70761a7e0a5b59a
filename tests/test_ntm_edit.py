"""NTM assessments edited in place, their history and restore, and the rules the store enforces (TEST DATA)."""

from __future__ import annotations

import pytest

from mutte_geo.model.ntm import load_criteria_sets
from mutte_geo.storage import audit
from mutte_geo.storage.accounts import AccountStore, ScopeError
from mutte_geo.storage.auth import User
from mutte_geo.storage.ntm_import import edit_table, parse_edit, parse_ntm_file
from mutte_geo.storage.ntmstore import EDIT_ACTION, RESTORE_ACTION, NtmStore
from mutte_geo.storage.store import Store
from tests.ntm_testdata import TEST_SOURCE, filled_workbook
from tests.test_store import store, url  # noqa: F401  (fixtures: an empty store on SQLite and PostgreSQL)

SETS = load_criteria_sets()
QD318 = SETS["qd318_2021_2025"]
THU_LUM, TA_TONG = "03436", "03463"
ADMIN = User("test-admin", "admin")
PASSWORD = "mat-khau-thu-nghiem"


def imported(store: Store, units) -> tuple[NtmStore, int]:  # type: ignore[no-untyped-def]  # noqa: F811
    """The store with a TEST DATA self-assessment of 2024 for every commune, written by an admin."""
    ntm = NtmStore(store)
    data = filled_workbook(QD318, units, year=2024, assessor="xã")
    revision = ntm.apply(ntm.check(parse_ntm_file(data, "TEST_2024.xlsx", sets=SETS, units=units)), user=ADMIN)
    assert revision is not None
    return ntm, revision


def edit(ntm: NtmStore, units, code: str, changes: dict[int, str], *, source: str = TEST_SOURCE):  # type: ignore[no-untyped-def]
    """Shown table → the user's changes (criterion → result word) → the parsed edit."""
    shown = edit_table(ntm.assessments(), QD318, code=code, year=2024, assessor="self", lang="vi")
    edited = shown.copy()
    for number, word in changes.items():
        edited.loc[edited["criterion"] == number, "status"] = word
    latest = edit_table(ntm.assessments(), QD318, code=code, year=2024, assessor="self", lang="vi")
    return parse_edit(shown, edited, latest, criteria_set=QD318, units=units, code=code, year=2024,
                      assessor="self", source=source)


def status_of(ntm: NtmStore, code: str, criterion: int) -> str:
    rows = ntm.assessments()
    held = rows[(rows["unit_code"] == code) & (rows["criterion"] == criterion) & (rows["year"] == 2024)]
    return str(held["status"].iloc[0])


def test_an_edit_in_place_is_a_revision_with_history_and_an_audit_event(store: Store, units) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ntm, _ = imported(store, units)
    assert status_of(ntm, THU_LUM, 1) == "dat"
    parsed = edit(ntm, units, THU_LUM, {1: "Chưa đạt"})
    report = ntm.check(parsed, user=ADMIN)
    assert report.ok and [(c.key[3], c.old["status"], c.new["status"]) for c in report.changes] == [  # type: ignore[index]
        (1, "dat", "chua_dat")]
    revision = ntm.apply(report, user=ADMIN, action=EDIT_ACTION)
    assert status_of(ntm, THU_LUM, 1) == "chua_dat"
    assert store.revisions()[0].action == EDIT_ACTION and store.revisions()[0].id == revision
    history = ntm.changes_in(revision)  # type: ignore[arg-type]
    assert history[["unit_code", "criterion", "old_status", "new_status", "new_source"]].values.tolist() == [
        [THU_LUM, 1, "dat", "chua_dat", TEST_SOURCE]]
    events = audit.events(store.engine)
    assert (events["action"].iloc[0], events["actor"].iloc[0], events["target"].iloc[0]) == (
        "ntm_saved", "test-admin", f"revision {revision}")
    assert ntm.unit_history(2024, THU_LUM)["revision_id"].tolist()[-1] == revision


def test_editing_another_units_assessment_is_refused_by_the_store(store: Store, units) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ntm, _ = imported(store, units)
    accounts = AccountStore(store.engine)
    accounts.create("test-admin", "ta-tong-editor", password=PASSWORD, role="editor",
                    units=frozenset({f"2024:{TA_TONG}"}))
    ta_tong = accounts.get("ta-tong-editor").user  # type: ignore[union-attr]
    parsed = edit(ntm, units, THU_LUM, {1: "Chưa đạt"})
    report = ntm.check(parsed, user=ta_tong)
    assert not report.ok and [p.column for p in report.scope] == ["unit_code"]
    assert "ngoài phạm vi của tài khoản ta-tong-editor" in report.scope[0].reason_vi
    unchecked = ntm.check(parsed)  # a page that skipped the scope check: the store still refuses
    with pytest.raises(ScopeError):
        ntm.apply(unchecked, user=ta_tong, action=EDIT_ACTION)
    # the account's units as stored count, not the ones a stale session holds
    stale = User("ta-tong-editor", "editor", units=frozenset({"*"}))
    with pytest.raises(ScopeError):
        ntm.apply(unchecked, user=stale, action=EDIT_ACTION)
    with pytest.raises(PermissionError):
        ntm.apply(unchecked, user=User("test-viewer", "viewer"), action=EDIT_ACTION)
    assert status_of(ntm, THU_LUM, 1) == "dat"
    own = ntm.check(edit(ntm, units, TA_TONG, {2: "Chưa đạt"}), user=ta_tong)
    assert own.ok and ntm.apply(own, user=ta_tong, action=EDIT_ACTION) is not None
    assert status_of(ntm, TA_TONG, 2) == "chua_dat"


def test_an_edit_refuses_bad_words_clearing_a_result_a_missing_source_and_a_lost_update(store: Store, units) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ntm, _ = imported(store, units)
    bad_word = edit(ntm, units, THU_LUM, {1: "có lẽ"})
    assert [(p.row, p.column) for p in bad_word.problems] == [(1, "status")]
    assert "'có lẽ' không phải kết quả hợp lệ" in bad_word.problems[0].reason_vi
    cleared = edit(ntm, units, THU_LUM, {1: None})  # type: ignore[dict-item]
    assert "không xóa kết quả đã lưu" in cleared.problems[0].reason_vi
    assert "the source" in edit(ntm, units, THU_LUM, {1: "Chưa đạt"}, source=" ").problems[0].reason_en
    shown = edit_table(ntm.assessments(), QD318, code=THU_LUM, year=2024, assessor="self", lang="vi")
    ntm.apply(ntm.check(edit(ntm, units, THU_LUM, {1: "Chưa đạt"})), user=ADMIN, action=EDIT_ACTION)
    mine = shown.copy()
    mine.loc[mine["criterion"] == 1, "note"] = "TEST DATA note"
    latest = edit_table(ntm.assessments(), QD318, code=THU_LUM, year=2024, assessor="self", lang="vi")
    late = parse_edit(shown, mine, latest, criteria_set=QD318, units=units, code=THU_LUM, year=2024,
                      assessor="self", source=TEST_SOURCE)
    assert "người khác đã lưu kết quả này" in late.problems[0].reason_vi
    town = parse_edit(shown, mine, shown, criteria_set=QD318, units=units, code="03433", year=2024,
                      assessor="self", source=TEST_SOURCE)
    assert "là thị trấn" in town.problems[0].reason_vi
    assert status_of(ntm, THU_LUM, 1) == "chua_dat"


def test_restore_brings_back_the_old_value_and_nothing_saved_is_lost(store: Store, units) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    before_ntm = store.version()
    ntm, first = imported(store, units)
    count = len(ntm.assessments())
    edited = ntm.apply(ntm.check(edit(ntm, units, THU_LUM, {1: "Chưa đạt"})), user=ADMIN, action=EDIT_ACTION)
    with pytest.raises(PermissionError):
        ntm.restore(first, user=User("test-editor", "editor"))
    restored = ntm.restore(first, user=ADMIN)
    assert restored is not None and status_of(ntm, THU_LUM, 1) == "dat"
    assert store.revisions()[0].action == RESTORE_ACTION
    assert audit.events(store.engine)["action"].iloc[0] == "restored"
    assert ntm.restore(first, user=ADMIN) is None  # already so
    # back to before any NTM import: every assessment goes, and a restore of the edit brings them back
    assert ntm.restore(before_ntm, user=ADMIN) is not None and ntm.assessments().empty
    assert ntm.restore(edited, user=ADMIN) is not None  # type: ignore[arg-type]
    assert len(ntm.assessments()) == count and status_of(ntm, THU_LUM, 1) == "chua_dat"
    statuses = ntm.unit_history(2024, THU_LUM)
    criterion_1 = statuses[statuses["criterion"] == 1]
    assert criterion_1["action"].tolist() == ["ntm-import", "ntm-edit", "ntm-restore", "ntm-restore", "ntm-restore"]
    assert criterion_1["removed"].tolist() == [False, False, False, True, False]

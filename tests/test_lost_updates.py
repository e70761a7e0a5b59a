"""Two sessions against one store (SQLite and PostgreSQL): no update is ever lost, no write deadlocks.

Each session has its own Store (its own engine and connections), as two app servers or two browser
sessions do. All values written here are TEST DATA.
"""

from __future__ import annotations

import threading

import pytest

from mutte_geo.storage.editmerge import edited_file, merge_edits
from mutte_geo.storage.importer import Change, Options
from mutte_geo.storage.stewardship import check_file, confirm, edit_table, open_store
from mutte_geo.storage.store import ConflictError, Store
from tests.test_store import url  # noqa: F401  (the sqlite/postgresql fixture)

KEY = (2024, "03442", "households", "2024", "actual")
WIDE = "# period: 2024\n# kind: actual\n# source: TEST DATA\nunit_code,households\n03442,{value}\n"


def value_of(store: Store, key: tuple = KEY) -> dict:  # type: ignore[type-arg]
    rows = store.current()
    hit = rows[(rows["vintage"] == key[0]) & (rows["unit_code"] == key[1]) & (rows["indicator"] == key[2])
               & (rows["period"] == key[3]) & (rows["kind"] == key[4])]
    return hit.iloc[0].to_dict() if len(hit) else {}


def save(store: Store, value: str, catalogue, units, user: str) -> int:  # type: ignore[no-untyped-def]
    report = check_file(store, WIDE.format(value=value).encode(), f"{user}.csv", catalogue=catalogue, units=units,
                        options=Options())
    assert report.ok, report.problems
    revision = confirm(store, report, user=user)
    assert revision is not None
    return revision


@pytest.fixture
def sessions(url: str, catalogue, units) -> tuple[Store, Store]:  # type: ignore[no-untyped-def]  # noqa: F811
    first = open_store(catalogue, units, url)
    return first, Store(url)


def test_confirm_writes_the_preview_or_refuses_naming_the_moved_rows(sessions, catalogue, units) -> None:  # type: ignore[no-untyped-def]
    a, b = sessions
    save(a, "100", catalogue, units, "setup")
    preview = check_file(a, WIDE.format(value="111").encode(), "a.csv", catalogue=catalogue, units=units,
                         options=Options())
    assert [(c.old["value"], c.new["value"]) for c in preview.changes] == [("100", "111")]  # type: ignore[index]
    save(b, "222", catalogue, units, "b")
    version = a.version()
    with pytest.raises(ConflictError) as refused:
        confirm(a, preview, user="a")
    assert refused.value.keys == [KEY] and refused.value.rows == {KEY: 5}
    assert "row 5" in str(refused.value)
    assert value_of(a)["value"] == "222" and a.version() == version  # B's value kept, nothing written


def test_edit_keeps_fields_the_user_did_not_touch_and_shows_a_field_both_changed(sessions, catalogue, units) -> None:  # type: ignore[no-untyped-def]
    a, b = sessions
    save(a, "100", catalogue, units, "setup")

    def table(store: Store):  # type: ignore[no-untyped-def]
        return edit_table(store.current(), catalogue, units, vintage=2024, period="2024", kind="actual", lang="en",
                          indicator="households")

    shown_to_a, shown_to_b = table(a), table(b)
    row = shown_to_a.index[shown_to_a["unit_code"] == "03442"][0]
    # B changes only the note and saves
    edited_b = shown_to_b.copy()
    edited_b.loc[row, "note"] = "TEST DATA: counted in May"
    data = edited_file(merge_edits(shown_to_b, edited_b, table(b)), vintage=2024, period="2024", kind="actual",
                       source="TEST DATA")
    confirm(b, check_file(b, data, "edit", catalogue=catalogue, units=units), user="b", action="edit")
    # A, whose table was opened earlier, changes only the value
    edited_a = shown_to_a.copy()
    edited_a.loc[row, "value"] = "111"
    merged = merge_edits(shown_to_a, edited_a, table(a))
    assert merged.conflicts == []
    data = edited_file(merged, vintage=2024, period="2024", kind="actual", source="TEST DATA")
    confirm(a, check_file(a, data, "edit", catalogue=catalogue, units=units), user="a", action="edit")
    stored = value_of(a)
    assert (stored["value"], stored["note"]) == ("111", "TEST DATA: counted in May")
    # both change the note: the second sees a conflict and nothing is written
    shown_to_a, shown_to_b = table(a), table(b)
    edited_b = shown_to_b.copy()
    edited_b.loc[row, "note"] = "TEST DATA: B's note"
    data = edited_file(merge_edits(shown_to_b, edited_b, table(b)), vintage=2024, period="2024", kind="actual",
                       source="TEST DATA")
    confirm(b, check_file(b, data, "edit", catalogue=catalogue, units=units), user="b", action="edit")
    edited_a = shown_to_a.copy()
    edited_a.loc[row, "note"] = "TEST DATA: A's note"
    merged = merge_edits(shown_to_a, edited_a, table(a))
    assert [(c.field, c.shown, c.theirs, c.mine) for c in merged.conflicts] == [
        ("note", "TEST DATA: counted in May", "TEST DATA: B's note", "TEST DATA: A's note")]
    assert value_of(a)["note"] == "TEST DATA: B's note"


def _rows(count: int) -> list[tuple[int, str, str, str, str]]:
    return [(2024, "03442", "households", f"{2000 + i // 12}-{1 + i % 12:02d}", "target") for i in range(count)]


def test_two_big_imports_in_opposite_orders_never_deadlock(sessions) -> None:  # type: ignore[no-untyped-def]
    a, b = sessions
    keys = _rows(1400)
    a.apply([Change(k, {"value": "1", "status": "", "source": "TEST DATA", "note": ""}, None, None, "seed.csv", 2)
             for k in keys], user="setup")
    for round_no in range(3):
        current = {tuple(r[c] for c in ("vintage", "unit_code", "indicator", "period", "kind")): int(r["row_version"])
                   for r in a.current().to_dict("records")}
        outcomes: dict[str, object] = {}

        def write(store: Store, name: str, ordered: list, value: str,  # type: ignore[type-arg]
                  current: dict = current, outcomes: dict = outcomes) -> None:  # type: ignore[type-arg]
            changes = [Change(k, {"value": value, "status": "", "source": "TEST DATA", "note": ""},
                              {"value": "x", "status": "", "source": "TEST DATA", "note": ""}, current[k],
                              f"{name}.csv", i + 2) for i, k in enumerate(ordered)]
            try:
                outcomes[name] = store.apply(changes, user=name)
            except Exception as exc:  # noqa: BLE001 - recorded and asserted below
                outcomes[name] = exc

        threads = [threading.Thread(target=write, args=(a, "a", keys, f"{round_no}1")),
                   threading.Thread(target=write, args=(b, "b", keys[::-1], f"{round_no}2"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        kinds = sorted(type(o).__name__ for o in outcomes.values())
        assert kinds == ["ConflictError", "int"], outcomes  # one wins, the other is refused as a conflict
        winner = next(o for o in outcomes.values() if isinstance(o, int))
        stored = a.current()
        ours = stored[(stored["indicator"] == "households") & (stored["kind"] == "target")
                      & stored["period"].str.match(r"^2\d{3}-\d{2}$") & (stored["unit_code"] == "03442")]
        assert len(ours) == len(keys) and len(set(ours["value"])) == 1  # the winner's values, none of the loser's
        assert a.version() == winner

"""The value store on SQLite and on a real PostgreSQL server: seeding, history, restore, conflicts, processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.model.indicators import COLUMNS
from mutte_geo.model.regions import bundled_values, store_units
from mutte_geo.storage.importer import Options
from mutte_geo.storage.stewardship import atlas_from_store, check_file, confirm, open_store
from mutte_geo.storage.store import ConflictError, Store, database_url, metadata

PG_ENV = "MUTTE_TEST_POSTGRES_URL"
WIDE = "# period: 2024\n# kind: actual\n# source: Phòng Văn hóa\nunit_code,households,villages\n{rows}"


def postgres_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{PG_ENV} is not set: CI must test the PostgreSQL store (make test starts a server)")
        pytest.skip(f"{PG_ENV} is not set (make test starts a local PostgreSQL server and sets it)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    url = postgres_url()
    os.environ["MUTTE_DATABASE_URL"] = url
    try:
        resolved = database_url()
    finally:
        del os.environ["MUTTE_DATABASE_URL"]
    engine = create_engine(resolved)
    metadata.drop_all(engine)  # every test starts from an empty database
    engine.dispose()
    return resolved


@pytest.fixture
def store(url: str, catalogue, units) -> Store:  # type: ignore[no-untyped-def]
    return open_store(catalogue, units, url)


def import_text(store: Store, text: str, catalogue, units, user: str = "lan", file: str = "bieu.csv") -> int:  # type: ignore[no-untyped-def]
    report = check_file(store, text.encode(), file, catalogue=catalogue, units=units, options=Options())
    assert report.ok, [p.describe() for p in report.problems]
    revision = confirm(store, report, user=user)
    assert revision is not None
    return revision


def keyed(frame: pd.DataFrame) -> set[tuple]:
    return {tuple(str(r[c]) for c in COLUMNS) for r in frame.to_dict("records")}


def test_postgres_url_is_configured_in_ci() -> None:
    if os.environ.get("CI", "").lower() in ("true", "1"):
        assert os.environ.get(PG_ENV), "CI must run the PostgreSQL store tests"
    else:
        pytest.skip("only checked in CI")


def test_seeded_once_with_the_bundled_values(store: Store, url: str, catalogue, units) -> None:
    bundled = bundled_values(catalogue, units)
    assert store.version() == 1
    assert keyed(store.current()) == keyed(bundled[list(COLUMNS)])
    [seed] = store.revisions()
    assert (seed.action, seed.user_name) == ("seed", "system")
    again = open_store(catalogue, units, url)
    assert again.version() == 1 and len(again.current()) == len(bundled)
    values = store.values(catalogue, store_units(units))
    assert set(values.columns) >= {*COLUMNS, "number", "file", "row"}
    assert values.loc[values["indicator"] == "budget_revenue", "number"].iloc[0] == pytest.approx(28.6)
    assert set(values["file"]) == set(bundled["file"])


def test_every_change_keeps_who_when_old_new_and_file(store: Store, catalogue, units) -> None:
    revision = import_text(store, WIDE.format(rows="03442,1200,\n03445,,14\n"), catalogue, units, user="lan")
    import_text(store, WIDE.format(rows="03442,1250,\n"), catalogue, units, user="minh", file="sua.csv")
    [latest, first, _seed] = store.revisions()
    assert (first.id, first.user_name, first.file, first.action) == (revision, "lan", "bieu.csv", "import")
    assert (latest.user_name, latest.file) == ("minh", "sua.csv")
    assert latest.at >= first.at
    change = store.changes_in(latest.id)
    assert change[["unit_code", "indicator", "old_value", "new_value", "file", "row"]].to_dict("records") == \
        [{"unit_code": "03442", "indicator": "households", "old_value": "1200", "new_value": "1250",
          "file": "sua.csv", "row": 5}]


def test_any_earlier_state_can_be_viewed_and_restored(store: Store, catalogue, units) -> None:
    seed_state = keyed(store.current())
    first = import_text(store, WIDE.format(rows="03442,1200,\n"), catalogue, units)
    after_first = keyed(store.current())
    import_text(store, WIDE.format(rows="03442,1300,9\n"), catalogue, units)
    assert keyed(store.state_at(1)) == seed_state
    assert keyed(store.state_at(first)) == after_first
    restored = store.restore(1, user="admin")
    assert restored == store.version() and keyed(store.current()) == seed_state
    assert store.revisions()[0].action == "restore"
    assert store.restore(1, user="admin") is None  # already in that state
    store.restore(first, user="admin")
    assert keyed(store.current()) == after_first
    assert len(store.revisions()) == 5  # nothing was lost: seed, two imports, two restores


def test_concurrent_edits_are_reported_not_overwritten(store: Store, catalogue, units) -> None:
    import_text(store, WIDE.format(rows="03442,1200,\n"), catalogue, units)
    first = check_file(store, WIDE.format(rows="03442,1250,\n").encode(), "a.csv", catalogue=catalogue, units=units)
    second = check_file(store, WIDE.format(rows="03442,1300,\n03445,900,\n").encode(), "b.csv",
                        catalogue=catalogue, units=units)
    confirm(store, first, user="lan")
    before_version, before = store.version(), store.current()
    with pytest.raises(ConflictError) as caught:
        confirm(store, second, user="minh")
    assert caught.value.keys == [(2024, "03442", "households", "2024", "actual")]
    assert store.version() == before_version
    pd.testing.assert_frame_equal(store.current(), before)  # 03445 was not written either


def test_two_users_adding_the_same_new_value(store: Store, catalogue, units) -> None:
    one = check_file(store, WIDE.format(rows="03445,900,\n").encode(), "a.csv", catalogue=catalogue, units=units)
    two = check_file(store, WIDE.format(rows="03445,950,\n").encode(), "b.csv", catalogue=catalogue, units=units)
    confirm(store, one, user="lan")
    with pytest.raises(ConflictError):
        confirm(store, two, user="minh")
    cur = store.current()
    assert cur.loc[(cur["unit_code"] == "03445") & (cur["indicator"] == "households"), "value"].tolist() == ["900"]


def test_another_process_sees_and_makes_changes(store: Store, url: str) -> None:
    """A second app process (a real subprocess) writes; this one notices through version()."""
    before = store.version()
    code = (
        "import sys\n"
        "from mutte_geo.storage.importer import Change\n"
        "from mutte_geo.storage.store import Store\n"
        "s = Store(sys.argv[1])\n"
        "s.apply([Change((2024, '03451', 'villages', '2024-Q3', 'actual'), {'value': '12', 'status': '', "
        "'source': 'x', 'note': ''}, None, None, 'other.csv', 2)], user='other-process', file='other.csv')\n"
        "print(s.version())\n"
    )
    out = subprocess.run([sys.executable, "-c", code, url], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    assert int(out.stdout) == store.version() == before + 1
    cur = store.current()
    assert cur.loc[(cur["unit_code"] == "03451") & (cur["period"] == "2024-Q3"), "value"].tolist() == ["12"]


def test_atlas_reads_the_store(atlas, store: Store, catalogue, units) -> None:
    import_text(store, WIDE.format(rows="03442,1200,\n"), catalogue, units)
    view = atlas_from_store(atlas, store)
    rows = view.values[(view.values["vintage"] == 2024) & (view.values["unit_code"] == "03442")
                       & (view.values["indicator"] == "households")]
    assert rows.loc[rows["period"] == "2024", "number"].tolist() == [1200.0]
    assert len(rows) == len(atlas.values[(atlas.values["vintage"] == 2024) & (atlas.values["unit_code"] == "03442")
                                         & (atlas.values["indicator"] == "households")]) + 1
    assert view._web_layers is atlas._web_layers  # boundaries are not reloaded
    derived = view.values[view.values["vintage"] == 2025]
    assert not derived.empty  # the 2025 values derived through the crosswalk are still there


def test_later_edits_of_the_bundled_csvs_reach_the_store_but_never_override_users(
        store: Store, url: str, catalogue, units, tmp_path: Path) -> None:
    import_text(store, WIDE.format(rows="03442,1200,\n"), catalogue, units)
    bundled = bundled_values(catalogue, units)
    revenue = (bundled["indicator"] == "forest_cover") & (bundled["period"] == "2024") & (bundled["unit_code"] == "107")
    households = (bundled["unit_code"] == "03442") & (bundled["indicator"] == "households")
    bundled.loc[revenue, "value"] = "29.9"  # the lead corrected a figure in the CSV
    extra = bundled[revenue].assign(period="2023", value="25")
    edited = pd.concat([bundled[~bundled["indicator"].eq("border_communes")], extra], ignore_index=True)
    assert store.sync_bundled(edited) == store.version()
    cur = store.current()
    revenue_rows = cur[(cur["indicator"] == "forest_cover") & (cur["kind"] == "estimate")]
    assert revenue_rows.set_index("period")["value"].to_dict() == {"2024": "29.9", "2023": "25"}
    assert cur[cur["indicator"] == "border_communes"].empty
    user_row = cur[(cur["unit_code"] == "03442") & (cur["indicator"] == "households") & (cur["period"] == "2024")]
    assert user_row["value"].tolist() == ["1200"]  # the user's value stays
    assert len(cur[(cur["unit_code"] == "03442") & (cur["indicator"] == "households")]) == households.sum() + 1
    assert store.sync_bundled(edited) is None


def test_opening_a_store_creates_every_table_of_its_schema(tmp_path: Path) -> None:
    # a fresh process that imports only the store module: the NTM tables must not wait for the NTM page
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    script = ("import sys; from sqlalchemy import inspect; from mutte_geo.storage.store import Store, metadata; "
              "s = Store(sys.argv[1]); made = set(inspect(s.engine).get_table_names()); "
              "print(sorted(set(metadata.tables) - made), sorted(t for t in made if t.startswith('ntm_')))")
    result = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True, cwd=PROJECT_ROOT,
                            check=True)
    assert result.stdout.split() == ["[]", "['ntm_assessments',", "'ntm_history',", "'ntm_recognitions']"]


def test_a_fresh_store_has_an_empty_audit_log(tmp_path: Path) -> None:
    # read before the first event is written (a test reading the log of a just-started app did)
    from mutte_geo.storage import audit

    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    log = audit.events(store.engine)
    assert log.empty and list(log.columns) == [c.name for c in audit.audit_events.columns]

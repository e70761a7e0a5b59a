"""The province's values in the one store: the units it accepts per vintage, the pack's official figures
seeded as bundled values, a staff edit of a province commune on the province map and across a re-seed,
and an editor scoped to a province commune. Accounts, files and submitted values here are TEST DATA."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from mutte_geo.core.errors import DataFileError, ValidationError
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.datasetup import sha256_of
from mutte_geo.model.indicators import UnitsByVintage
from mutte_geo.model.regions import REGIONS_DIR, bundled_values, store_units
from mutte_geo.storage.accounts import AccountStore, ScopeError
from mutte_geo.storage.approval import Approvals, Decision
from mutte_geo.storage.auth import User, visible_catalogue, visible_values
from mutte_geo.storage.importer import Options
from mutte_geo.storage.stewardship import atlas_from_store, check_file, confirm, open_store, submit
from mutte_geo.storage.store import Store

SIN_HO, BINH_LU, LE_LOI, NAM_SO, MUONG_TE = "03478", "03390", "03487", "03613", "03445"  # 2025 communes
PACK_TABLE = "data/regions/laichau/lai_chau_units_2025.csv"
LONG = "vintage,unit_code,indicator,period,kind,value,source\n{rows}"
APPROVER = User("duyet", "approver")


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture
def store(url: str, catalogue, units) -> Store:  # type: ignore[no-untyped-def]
    return open_store(catalogue, units, url)


@pytest.fixture(scope="module")
def held(units: UnitsByVintage) -> UnitsByVintage:
    return store_units(units)


def check(store: Store, rows: str, catalogue, held: UnitsByVintage, user: User | None = None):  # type: ignore[no-untyped-def]
    return check_file(store, LONG.format(rows=rows).encode(), "tinh.csv", catalogue=catalogue, units=held,
                      options=Options(), user=user)


def approve_all(store: Store) -> int:
    approvals = Approvals(store)
    waiting = approvals.submissions(APPROVER, ("submitted",))
    return approvals.approve([Decision(int(i), int(v)) for i, v in zip(waiting["id"], waiting["version"])],
                             user=APPROVER)


def population(store: Store, code: str) -> str:
    cur = store.current()
    row = cur[(cur["vintage"] == 2025) & (cur["unit_code"] == code) & (cur["indicator"] == "population")
              & (cur["period"] == "2025") & (cur["kind"] == "actual")]
    return str(row["value"].iloc[0])


def test_the_store_holds_the_province_units_in_2025_and_the_district_units_only_in_2024(
        units: UnitsByVintage, held: UnitsByVintage) -> None:
    assert len(held[2025]) == 38 and set(units[2025]) < set(held[2025])
    assert held[2024] == units[2024]
    assert held[2025][SIN_HO].label("vi") == "Xã Sìn Hồ"
    assert held[2025][MUONG_TE] is units[2025][MUONG_TE]  # a district unit keeps its own record


def test_a_pack_naming_a_district_code_otherwise_is_refused_naming_the_code(tmp_path: Path,
                                                                          units: UnitsByVintage) -> None:
    folder = tmp_path / "regions" / "laichau"
    shutil.copytree(REGIONS_DIR / "laichau", folder)
    table, provenance = folder / "lai_chau_units_2025.csv", folder / "PROVENANCE.md"
    before = sha256_of(table)
    table.write_text(table.read_text(encoding="utf-8").replace("03433,xã,Bum Tở,", "03433,xã,Bum Tở Mới,"),
                     encoding="utf-8")
    provenance.write_text(provenance.read_text(encoding="utf-8").replace(before, sha256_of(table)), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"03433 xã Bum Tở \(in 'laichau': xã Bum Tở Mới\)"):
        store_units(units, tmp_path / "regions")


def test_a_province_code_is_accepted_for_2025_and_refused_for_2024(store: Store, catalogue,
                                                                  held: UnitsByVintage) -> None:
    accepted = check(store, f"2025,{SIN_HO},villages,2025,actual,21,TEST DATA\n", catalogue, held)
    assert accepted.ok and [c.key for c in accepted.changes] == [(2025, SIN_HO, "villages", "2025", "actual")]
    refused = check(store, f"2025,{SIN_HO},villages,2025,actual,21,TEST DATA\n"
                           f"2024,{SIN_HO},villages,2024,actual,21,TEST DATA\n", catalogue, held)
    assert [(p.file, p.row, p.column) for p in refused.problems] == [("tinh.csv", 3, "unit_code")]
    assert f"'{SIN_HO}'" in refused.problems[0].reason_en and refused.changes == []


def test_a_code_no_pack_knows_is_refused_with_file_row_and_column(store: Store, catalogue,
                                                                 held: UnitsByVintage) -> None:
    version = store.version()
    refused = check(store, f"2025,{SIN_HO},villages,2025,actual,21,TEST DATA\n"
                           "2025,09999,villages,2025,actual,3,TEST DATA\n", catalogue, held)
    assert [(p.file, p.row, p.column) for p in refused.problems] == [("tinh.csv", 3, "unit_code")]
    assert "'09999'" in refused.problems[0].reason_en
    assert store.version() == version


def test_the_seed_holds_38_official_areas_and_37_populations_with_source_period_kind(
        store: Store, units: UnitsByVintage, held: UnitsByVintage) -> None:
    cur = store.current()
    official = cur[(cur["vintage"] == 2025) & (cur["period"] == "2025") & (cur["kind"] == "actual")]
    areas = official[official["indicator"] == "area"].set_index("unit_code")
    populations = official[official["indicator"] == "population"].set_index("unit_code")
    assert sorted(areas.index) == sorted(held[2025])
    assert sorted(populations.index) == sorted(set(held[2025]) - {NAM_SO})  # Nậm Sỏ: not published, no data
    province_only = official[~official["unit_code"].isin(list(units[2025]))
                             & official["indicator"].isin(["area", "population"])]
    assert len(province_only) == 30 + 29
    assert set(province_only["file"]) == {PACK_TABLE}
    assert province_only["source"].str.startswith("sapnhap.bando.com.vn").all()
    assert (areas.at["03388", "value"], areas.at["03388", "row"]) == ("134.31", 2)  # Đoàn Kết, the table's row 2
    le_loi = populations.loc[LE_LOI]
    assert (le_loi["value"], le_loi["status"]) == ("911", "UNCERTAIN")
    assert le_loi["note"].startswith("Lê Lợi: dân số công bố 911 người trên 288 km²")
    assert populations.at[MUONG_TE, "file"] == "units_2025_official.csv"  # the district's own bundled file
    assert [(r.action, r.user_name) for r in store.revisions()] == [("seed", "system")]


def test_a_staff_edit_of_a_province_population_shows_on_the_province_map_and_outlives_a_reseed(
        url: str, store: Store, atlas: Atlas, catalogue, units: UnitsByVintage, held: UnitsByVintage) -> None:
    editor = User("sinho", "editor", "Cán bộ xã Sìn Hồ (TEST DATA)", units=frozenset({f"2025:{SIN_HO}"}))
    assert population(store, SIN_HO) == "14012"
    report = check(store, f"2025,{SIN_HO},population,2025,actual,14100,TEST DATA\n", catalogue, held, editor)
    assert report.ok and report.changed_count == 1
    submit(store, report, user=editor, units=held)
    approve_all(store)
    province = atlas_from_store(atlas, store).in_region("laichau")
    joined = map_view(province, MapRequest("population", vintage=2025)).joined.set_index("code")
    assert joined.at[SIN_HO, "number"] == 14100 and joined.at[BINH_LU, "number"] == 18606
    # The pack's table is corrected later: a value nobody changed follows it, the staff's edit stays.
    bundled = bundled_values(catalogue, units)
    for code, value in ((SIN_HO, "14050"), (BINH_LU, "18700")):
        row = (bundled["unit_code"] == code) & (bundled["indicator"] == "population")
        assert row.sum() == 1
        bundled.loc[row, "value"] = value
    revision = store.sync_bundled(bundled)
    assert revision is not None and store.revisions(1)[0].action == "bundled"
    assert (population(store, SIN_HO), population(store, BINH_LU)) == ("14100", "18700")
    reopened = open_store(catalogue, units, url)  # the shipped table again: Bình Lư back, Sìn Hồ kept
    assert (population(reopened, SIN_HO), population(reopened, BINH_LU)) == ("14100", "18606")


def test_an_editor_scoped_to_a_sin_ho_commune_submits_for_it_and_not_for_a_district_commune(
        store: Store, catalogue, held: UnitsByVintage) -> None:
    accounts = AccountStore(store.engine)
    accounts.create("admin", "sinho", password="Sông Đà chảy về xuôi", role="editor",
                    name="Cán bộ xã Sìn Hồ (TEST DATA)", units=frozenset({f"2025:{SIN_HO}"}))
    record = accounts.get("sinho")
    assert record is not None
    editor = record.user
    mixed = check(store, f"2025,{SIN_HO},villages,2025,actual,21,TEST DATA\n"
                         f"2025,{MUONG_TE},villages,2025,actual,9,TEST DATA\n", catalogue, held, editor)
    assert [(p.row, p.column) for p in mixed.problems] == [(3, "unit_code")]
    assert mixed.problems[0].reason_en == f"unit Xã Mường Tè (2025:{MUONG_TE}) is outside the units of account sinho"
    with pytest.raises(ValidationError, match=f"2025:{MUONG_TE} is outside the units of account sinho"):
        Approvals(store).submit(mixed.changes, user=editor, file="tinh.csv")
    with pytest.raises(ScopeError, match=f"unit\\(s\\) 2025:{MUONG_TE}"):  # the store itself refuses the write
        store.apply([c for c in mixed.changes if c.key[1] == MUONG_TE], user="sinho")
    own = check(store, f"2025,{SIN_HO},villages,2025,actual,21,TEST DATA\n", catalogue, held, editor)
    assert own.ok and len(submit(store, own, user=editor, units=held)) == 1
    assert Approvals(store).submissions(editor)["unit_code"].tolist() == [SIN_HO]


def test_a_sensitive_province_value_stays_out_of_the_province_view_of_a_visitor(
        store: Store, atlas: Atlas, catalogue, held: UnitsByVintage) -> None:
    report = check(store, f"2025,{SIN_HO},security_hotspot,2025,actual,yes,TEST DATA\n", catalogue, held)
    assert report.ok
    confirm(store, report, user="system")
    full = atlas_from_store(atlas, store)
    visitor = replace(full, catalogue=visible_catalogue(full.catalogue, None),
                      values=visible_values(full.values, visible_catalogue(full.catalogue, None)))
    assert "security_hotspot" in set(full.in_region("laichau").values["indicator"])
    assert "security_hotspot" not in set(visitor.in_region("laichau").values["indicator"])

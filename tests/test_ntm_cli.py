"""``python -m mutte_geo ntm-import FILE --user LOGIN``: a filled TEST DATA template from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutte_geo.cli.cli import main
from mutte_geo.model.catalogue import load_catalogue
from mutte_geo.model.ntm import load_criteria_sets
from mutte_geo.model.units import VINTAGES, load_units
from mutte_geo.storage import audit
from mutte_geo.storage.accounts import AccountStore
from mutte_geo.storage.ntmstore import NtmStore
from mutte_geo.storage.stewardship import open_store
from tests.ntm_testdata import filled_workbook

UNITS = {v: load_units(v) for v in VINTAGES}
QD318 = load_criteria_sets()["qd318_2021_2025"]
PASSWORD = "Sông Đà chảy về xuôi"


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A store with two TEST DATA accounts: a region editor and an editor of Thu Lũm (2024:03436) only."""
    url = f"sqlite:///{tmp_path / 'ntm_cli.sqlite'}"
    accounts = AccountStore(open_store(load_catalogue(), UNITS, url).engine)
    accounts.create("system", "lan", password=PASSWORD, role="editor")
    accounts.create("system", "thulum", password=PASSWORD, role="editor", units=frozenset({"2024:03436"}))
    return url


def ntm_store(url: str) -> NtmStore:
    return NtmStore(open_store(load_catalogue(), UNITS, url))


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "TEST_ntm_2024.xlsx"
    path.write_bytes(filled_workbook(QD318, UNITS, year=2024, assessor="huyện thẩm định"))
    return path


def test_dry_run_reports_then_the_account_writes_one_revision(workbook: Path, database: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["ntm-import", str(workbook), "--dry-run", "--database", database]) == 0
    out = capsys.readouterr().out
    assert "TEST_ntm_2024.xlsx: set qd318_2021_2025, 2024 boundaries;" in out and "Dry run: nothing written." in out
    assert "  2024:03436 2024 district criterion 1: + dat" in out
    assert ntm_store(database).assessments().empty
    assert main(["ntm-import", str(workbook), "--database", database, "--user", "lan"]) == 0
    out = capsys.readouterr().out
    ntm = ntm_store(database)
    revision = ntm.revisions()[0]
    assert f"Saved as revision {revision.id}." in out
    assert (revision.user_name, revision.action, revision.file) == ("lan", "ntm-import", "TEST_ntm_2024.xlsx")
    stored = ntm.assessments()
    assert len(stored) > 200 and set(stored["assessor"]) == {"district"} and set(stored["year"]) == {2024}
    assert stored["source"].str.contains("TEST DATA").all()
    assert audit.events(ntm.store.engine)["action"].iloc[0] == "ntm_saved"
    assert main(["ntm-import", str(workbook), "--database", database, "--user", "lan"]) == 0
    assert "Nothing to change." in capsys.readouterr().out


def test_without_an_account_or_outside_its_units_nothing_is_written(workbook: Path, database: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["ntm-import", str(workbook), "--database", database, "--user", "nobody"]) == 1
    assert "ERROR nobody: not an active account of this store" in capsys.readouterr().err
    assert main(["ntm-import", str(workbook), "--database", database, "--user", "thulum"]) == 1
    err = capsys.readouterr().err
    assert "unit 2024:03439 is outside the units of account thulum" in err
    assert ntm_store(database).assessments().empty


def test_a_bad_result_word_names_sheet_row_and_column(tmp_path: Path, database: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    path = tmp_path / "TEST_ntm_loi.xlsx"
    path.write_bytes(filled_workbook(QD318, UNITS, year=2024, assessor="xã"))
    book = load_workbook(path)
    book["Xã Thu Lũm"]["C5"] = "có lẽ"
    book.save(path)
    assert main(["ntm-import", str(path), "--database", database, "--user", "lan", "--lang", "vi"]) == 1
    err = capsys.readouterr().err
    assert "TEST_ntm_loi.xlsx [Xã Thu Lũm], dòng 5, cột 'Kết quả': 'có lẽ' không phải kết quả hợp lệ" in err
    assert ntm_store(database).assessments().empty

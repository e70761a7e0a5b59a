"""``python -m mutte_geo import FILE [--dry-run]``: same report as the page, non-zero exit on any problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutte_geo.cli.cli import main
from mutte_geo.model.catalogue import load_catalogue
from mutte_geo.model.units import VINTAGES, load_units
from mutte_geo.storage.accounts import AccountStore
from mutte_geo.storage.approval import Approvals
from mutte_geo.storage.auth import User
from mutte_geo.storage.stewardship import open_store


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A store with two TEST DATA accounts: a region editor and an editor of 2024:03433 only."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    store = open_store(load_catalogue(), {v: load_units(v) for v in VINTAGES}, url)
    accounts = AccountStore(store.engine)
    accounts.create("system", "lan", password="Sông Đà chảy về xuôi", role="editor")
    accounts.create("system", "thitran", password="Sông Đà chảy về xuôi", role="editor",
                    units=frozenset({"2024:03433"}))
    return url


def write(tmp_path: Path, text: str, name: str = "bieu.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_ambiguous_name_fails_and_writes_nothing(tmp_path: Path, database: str, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "unit,population\nMường Tè,5000\n")
    code = main(["import", path, "--period", "2024", "--kind", "actual", "--source", "x", "--database", database,
                 "--user", "lan"])
    out = capsys.readouterr()
    assert code == 1
    assert "ERROR bieu.csv, row 2, column 'unit': the name 'Mường Tè' is ambiguous" in out.err
    assert "1 problem(s): nothing was written." in out.out
    assert open_store(load_catalogue(), {v: load_units(v) for v in VINTAGES}, database).version() == 1


def test_dry_run_reports_and_writes_nothing_then_import_writes(tmp_path: Path, database: str, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "# period: 2024\n# kind: actual\n# source: x\nxã,population\nTT Mường Tè,5000\n")
    assert main(["import", path, "--dry-run", "--database", database]) == 0
    out = capsys.readouterr().out
    assert "bieu.csv: wide layout; 1 new, 0 changed, 0 unchanged" in out
    assert "2024:03433 population 2024 actual: + 5000" in out and "Dry run: nothing written." in out
    store = open_store(load_catalogue(), {v: load_units(v) for v in VINTAGES}, database)
    assert store.version() == 1
    assert main(["import", path, "--database", database, "--user", "lan"]) == 0
    assert "Submitted 1 value(s); waiting for approval." in capsys.readouterr().out
    assert store.version() == 1  # waiting for approval, not live
    waiting = Approvals(store).submissions(User("duyet", "approver"))
    assert waiting[["unit_code", "value", "submitted_by"]].values.tolist() == [["03433", "5000", "lan"]]


def test_the_command_line_submits_only_the_accounts_units(tmp_path: Path, database: str, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "# period: 2024\n# kind: actual\n# source: x\nxã,population\nTT Mường Tè,5000\n"
                           "Pa Ủ,4000\n")
    assert main(["import", path, "--database", database, "--user", "thitran"]) == 1
    err = capsys.readouterr().err
    assert "ERROR bieu.csv, row 6, column 'unit_code': unit Xã Pa Ủ (2024:03442) is outside the units of account " \
           "thitran" in err
    assert main(["import", path, "--database", database, "--user", "nobody"]) == 1
    assert "nobody: not an active account of this store" in capsys.readouterr().err
    store = open_store(load_catalogue(), {v: load_units(v) for v in VINTAGES}, database)
    assert Approvals(store).submissions(User("duyet", "approver")).empty
    path = write(tmp_path, "# period: 2024\n# kind: actual\n# source: x\nxã,population\nTT Mường Tè,5000\n")
    assert main(["import", path, "--database", database, "--user", "thitran"]) == 0


def test_missing_file(tmp_path: Path, database: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["import", str(tmp_path / "none.csv"), "--database", database]) == 1
    assert "No such file" in capsys.readouterr().err

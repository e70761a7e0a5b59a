"""Formula-like text in downloads, Markdown in messages, and database or users-file failures: users get a
plain message, never a formula, a link or a traceback. Values written here are TEST DATA."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, event

from mutte_geo.cli.cli import main
from mutte_geo.core.errors import AtlasError
from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.storage.accounts import AccountStore
from mutte_geo.storage.approval import Approvals, Decision
from mutte_geo.storage.auth import load_accounts
from mutte_geo.storage.importer import Change
from mutte_geo.storage.stewardship import open_store
from mutte_geo.storage.store import Store, StoreUnavailable
from mutte_geo.ui.markdown import md_escape

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
NEW = {"value": "812", "status": "", "source": "TEST DATA", "note": ""}


def test_formula_like_text_is_neutralised_in_csv_and_xlsx() -> None:
    table = pd.DataFrame({"source": [*PAYLOADS, "Phòng Thống kê", "-2.5"], "value": list(range(7)) + [-3]})
    csv_text = to_csv_bytes(table, notes=PAYLOADS).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(csv_text, newline="")) if row and not row[0].startswith("#")][1:]
    assert cells == [f"'{p}" for p in PAYLOADS] + ["Phòng Thống kê", "-2.5"]
    data = to_xlsx_bytes(table, notes=PAYLOADS)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml  # no formula anywhere in the workbook
    book = load_workbook(io.BytesIO(data))
    sheet = book["data"]
    assert [c.value for c in sheet["A"][1:]] == [*PAYLOADS, "Phòng Thống kê", "-2.5"]  # shown as written
    assert all(c.data_type == "s" and c.quotePrefix for c in sheet["A"][1:7])
    assert [c.value for c in sheet["B"][1:]] == [*range(7), -3]  # numbers stay numbers


def test_cli_export_reads_the_store_and_neutralises_an_imported_formula(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    source = tmp_path / "bieu.csv"
    source.write_text("# period: 2031\n# kind: target\n# source: =cmd|' /C calc'!A0\nunit_code,households\n03442,812\n",
                      encoding="utf-8")
    store = Store(url)
    accounts = AccountStore(store.engine)  # TEST DATA: a commune editor submits, an approver approves
    accounts.create("test", "test_editor", password="Sông Đà chảy về xuôi", role="editor")
    approver = accounts.create("test", "test_approver", password="Sông Đà chảy về xuôi", role="approver").user
    assert main(["import", str(source), "--database", url, "--user", "test_editor"]) == 0
    approvals = Approvals(store)
    waiting = approvals.submissions(approver)
    approvals.approve([Decision(int(i), int(v)) for i, v in zip(waiting["id"], waiting["version"])], user=approver)
    monkeypatch.setenv("MUTTE_DATABASE_URL", url)
    out = tmp_path / "ho.xlsx"
    assert main(["export", "--indicator", "households", "--period", "2031", "--kind", "target", "--out", str(out)]) == 0
    sheet = load_workbook(out)["households"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    row = next(r for r in values if "812" in map(str, r) or 812 in r)
    assert "=cmd|' /C calc'!A0" in row  # the store's value and source, as a text cell
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    out_csv = tmp_path / "ho.csv"
    assert main(["export", "--indicator", "households", "--period", "2031", "--kind", "target", "--out",
                 str(out_csv)]) == 0
    assert "'=cmd|' /C calc'!A0" in out_csv.read_text(encoding="utf-8-sig")


def test_markdown_is_escaped() -> None:
    assert md_escape("[x](http://evil.example)") == "\\[x\\]\\(http\\:\u2060//evil\\.example\\)"
    assert md_escape("lan@evil.example www.evil.example") == "lan@\u2060evil\\.example www\u2060\\.evil\\.example"
    assert md_escape("![x](http://127.0.0.1:9/b.png)").startswith(r"\!\[x\]")
    assert md_escape(":red[x] **b** $x$ <b>") == r"\:red\[x\] \*\*b\*\* \$x\$ \<b\>"
    assert md_escape("a\nb") == "a b"


def test_a_user_name_longer_than_the_column_is_refused_plainly(tmp_path: Path, catalogue, units) -> None:  # type: ignore[no-untyped-def]
    store = open_store(catalogue, units, f"sqlite:///{tmp_path / 's.sqlite'}")
    with pytest.raises(StoreUnavailable) as refused:
        store.apply([Change((2024, "03442", "households", "2031", "target"), NEW, None, None, "a.csv", 2)],
                    user="u" * 101)
    assert refused.value.describe("en") == "the user name has 101 characters; at most 100 are stored"


def test_a_read_only_store_gives_a_plain_message(tmp_path: Path, catalogue, units, caplog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.sqlite"
    open_store(catalogue, units, f"sqlite:///{path}")
    store = Store(f"sqlite:///{path}")
    store.engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    with pytest.raises(StoreUnavailable) as refused:
        store.apply([Change((2024, "03442", "households", "2031", "target"), NEW, None, None, "a.csv", 2)],
                    user="TEST")
    assert refused.value.describe("en") == "not written: the database is read-only; tell the administrator; " \
                                           "nothing changed"
    assert "INSERT" not in str(refused.value) and str(path) not in str(refused.value)
    assert "readonly" in caplog.text  # the details are in the server log


def test_a_full_disk_gives_a_plain_message(tmp_path: Path, catalogue, units) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.sqlite"
    store = open_store(catalogue, units, f"sqlite:///{path}")
    with store.engine.connect() as conn:  # a database that may not grow: SQLite reports a full disk
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", lambda c, _r: c.execute(f"PRAGMA max_page_count = {pages}"))
    store.engine = engine
    changes = [Change((2024, "03442", "households", f"{2000 + i}", "target"), {**NEW, "note": "x" * 2000}, None,
                      None, "a.csv", i + 2) for i in range(300)]
    with pytest.raises(StoreUnavailable) as refused:
        store.apply(changes, user="TEST")
    assert refused.value.describe("en") == "not written: the server's disk is full; tell the administrator; " \
                                           "nothing changed"


@pytest.mark.parametrize("text", ["[users", "[]", '{"users": ["lan"]}', '{"users": {"lan": "editor"}}'])
def test_a_broken_users_file_says_so_without_paths(tmp_path: Path, text: str) -> None:
    path = tmp_path / "secret-dir" / "users.json"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    if text == "[users":
        path = path.with_suffix(".toml")
        path.write_text(text, encoding="utf-8")
    with pytest.raises(AtlasError) as refused:
        load_accounts(path)
    assert "secret-dir" not in str(refused.value)
    assert "the users file is broken (details in the server log)" in str(refused.value)

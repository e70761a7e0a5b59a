"""The generated bad-input corpus (tests/badinput.py) through the command line: each file gets its message
and exit code, in bounded time and memory, and a refused file leaves every table of the store as it was."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.storage.accounts import AccountStore
from mutte_geo.storage.stewardship import open_store
from tests.badinput import CASES, Case

SECONDS = 25  # a shared, loaded CI machine; on a quiet one each case takes 1-3 s
CORPUS_USER = "corpus_test"
MEMORY_MB = 900  # Python with pandas, GeoPandas and openpyxl is ~300 MB
# Runs the command and reports its peak memory (the only child of this small wrapper).
_MEASURED = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
             "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
             "sys.exit(r.returncode)")


def store_hash(url: str) -> str:
    """One digest over every row of every table in the database (values, accounts, audit, NTM...)."""
    digest = hashlib.sha256()
    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as conn:
        for table in tables.sorted_tables:
            rows = conn.execute(select(table).order_by(*(table.primary_key.columns or table.columns))).all()
            if rows:  # a table created empty on the way holds nothing the user saved
                digest.update(repr((table.name, [tuple(row) for row in rows])).encode())
    engine.dispose()
    return digest.hexdigest()


@pytest.fixture(scope="module")
def database(tmp_path_factory, catalogue, units) -> str:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'store.sqlite'}"
    store = open_store(catalogue, units, url)  # seeded once, as the app does
    # TEST DATA: the account the command line submits as (imports are submitted by an account)
    AccountStore(store.engine).create("test", CORPUS_USER, password="Sông Đà chảy về xuôi", role="editor",
                                      name="Tài khoản thử nghiệm")
    return url


def run_cli(path: Path, database: str, args: tuple[str, ...]) -> tuple[int, str, float, int]:
    user = () if "--user" in args else ("--user", CORPUS_USER)
    command = [sys.executable, "-m", "mutte_geo", "import", str(path), "--database", database, *user, *args]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURED, *command], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120, check=False)
    seconds = time.monotonic() - started
    output = done.stdout + done.stderr
    peak_kb = int(output.split("MAXRSS ")[1].split()[0])
    return done.returncode, output, seconds, peak_kb // 1024


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_through_the_command_line(case: Case, database: str, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.make())
    before = store_hash(database)
    code, output, seconds, peak_mb = run_cli(path, database, case.args)
    assert case.expect in output, output[-3000:]
    assert code == case.code, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert seconds < SECONDS, f"{seconds:.1f} s"
    assert peak_mb < MEMORY_MB, f"{peak_mb} MB"
    assert store_hash(database) == before  # refused or dry run: nothing written anywhere in the store

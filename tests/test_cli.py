"""`python -m mutte_geo check` and `install-data` from the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from mutte_geo.core.paths import PROJECT_ROOT


def _run(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mutte_geo", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_check_reports_the_installed_data() -> None:
    result = _run("check")
    assert result.returncode == 0, result.stderr
    assert "boundaries 2024: 14 units" in result.stdout
    assert "boundaries 2025: 8 units" in result.stdout
    assert "waste_collection_pct 2024: Reported as 84.6% but 12/14 = 85.7%" in result.stdout
    assert result.stdout.strip().endswith("OK")


def test_check_fails_on_an_altered_boundary_file(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "test-artifacts", "static",
                                                                       "bench", "*.pyc"))
    path = copy / "data/boundaries/communes_2025.geojson"
    path.write_bytes(path.read_bytes() + b"\n")
    result = _run("check", cwd=copy)
    assert result.returncode == 1
    assert "communes_2025.geojson is altered" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_fails_on_a_bad_indicator_row(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "test-artifacts", "static",
                                                                       "bench", "*.pyc"))
    with (copy / "data/indicators/commune_facts.csv").open("a", encoding="utf-8") as handle:
        handle.write("2024,03442,poverty_rate,2020,actual,140,,a source,\n")
    result = _run("check", cwd=copy)
    assert result.returncode == 1
    assert "commune_facts.csv, row 67, column 'value': percentage 140 is outside 0–100" in result.stderr


def test_install_data_from_a_wrong_folder_says_what_to_do(tmp_path: Path) -> None:
    result = _run("install-data", "--source", str(tmp_path))
    assert result.returncode == 1
    assert "PROVENANCE.md not found" in result.stderr

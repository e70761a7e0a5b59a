"""Installing and verifying the shared boundary files; PROVENANCE.md parsing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mutte_geo.core.errors import DataFileError
from mutte_geo.core.paths import BOUNDARY_DIR, DEFAULT_SHARED_DIR
from mutte_geo.model.datasetup import install_data, sha256_of, verify_installed
from mutte_geo.model.provenance import parse_provenance, read_provenance

SAMPLE = """| file | what | n | SHA-256 |
|---|---|---|---|
| `a.geojson` | x | 1 | {sha} |

## Attribution to show wherever these boundaries are shown or exported
- 2025 layer, or the default 2024 layer: "Current
  line."
- Also, for any 2024 layer: "Old line."
- Always: "Always line."

## Not available
"""


def test_parse_provenance_reads_sums_and_attribution_per_vintage() -> None:
    prov = parse_provenance(SAMPLE.format(sha="ab" * 32))
    assert prov.sha256 == {"a.geojson": "ab" * 32}
    assert prov.attribution(2025) == ["Current line.", "Always line."]
    assert prov.attribution(2024) == ["Current line.", "Old line.", "Always line."]


def test_parse_provenance_refuses_a_file_without_attribution() -> None:
    with pytest.raises(ValueError, match="attribution"):
        parse_provenance(SAMPLE.format(sha="ab" * 32).split("## Attribution")[0])


def test_real_provenance_lists_three_layers_and_the_reference_only_line() -> None:
    prov = read_provenance(DEFAULT_SHARED_DIR / "data/boundaries/PROVENANCE.md")
    assert set(prov.sha256) == {"communes_2024.geojson", "communes_2024_vietgis250k.geojson",
                                "communes_2025.geojson"}
    assert prov.attribution(2024)[-1].startswith("Ranh giới mang tính tham khảo")
    assert "sapnhap.bando.com.vn" in prov.attribution(2025)[0]


def _copy_shared(tmp_path: Path) -> Path:
    source = tmp_path / "shared"
    shutil.copytree(DEFAULT_SHARED_DIR / "data", source / "data")
    for path in source.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return source


def test_install_copies_and_verifies(tmp_path: Path) -> None:
    source = _copy_shared(tmp_path)
    boundaries, reference = tmp_path / "b", tmp_path / "r"
    report = install_data(source, boundary_dir=boundaries, reference_dir=reference)
    assert any("installed communes_2024.geojson" in line for line in report)
    assert verify_installed(boundaries).sha256["communes_2025.geojson"] == sha256_of(
        boundaries / "communes_2025.geojson")
    assert (reference / "units_2024.csv").is_file()


def test_install_refuses_an_altered_source_and_changes_nothing(tmp_path: Path) -> None:
    source = _copy_shared(tmp_path)
    with (source / "data/boundaries/communes_2025.geojson").open("ab") as handle:
        handle.write(b" ")
    target = tmp_path / "b"
    with pytest.raises(DataFileError, match=r"communes_2025\.geojson is altered"):
        install_data(source, boundary_dir=target, reference_dir=tmp_path / "r")
    assert not target.exists()


def test_verify_names_a_missing_file_and_the_fix(tmp_path: Path) -> None:
    target = tmp_path / "b"
    shutil.copytree(BOUNDARY_DIR, target)
    (target / "communes_2024.geojson").unlink()
    with pytest.raises(DataFileError, match=r"communes_2024\.geojson is missing: run `make data`"):
        verify_installed(target)


def test_verify_detects_an_altered_installed_file(tmp_path: Path) -> None:
    target = tmp_path / "b"
    shutil.copytree(BOUNDARY_DIR, target)
    path = target / "communes_2024.geojson"
    path.write_bytes(path.read_bytes().replace(b"03433", b"03434", 1))
    with pytest.raises(DataFileError, match="altered"):
        verify_installed(target)


def test_install_without_provenance_says_which_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="PROVENANCE.md not found"):
        install_data(tmp_path, boundary_dir=tmp_path / "b", reference_dir=tmp_path / "r")

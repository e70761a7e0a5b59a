"""Install the shared boundary and reference files into ``data/`` and verify them."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from mutte_geo.core.errors import DataFileError
from mutte_geo.core.paths import BOUNDARY_DIR, REFERENCE_DIR
from mutte_geo.model.provenance import Provenance, read_provenance

PROVENANCE_FILE = "PROVENANCE.md"
REFERENCE_FILES = ("units_2024.csv", "units_2025.csv", "commune_facts.csv", "sources.csv")
FIX_HINT = "run `make data` (or `python -m mutte_geo install-data --source ../shared`)"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def install_data(
    source: Path, *, boundary_dir: Path = BOUNDARY_DIR, reference_dir: Path = REFERENCE_DIR
) -> list[str]:
    """Copy boundaries and reference tables from ``source`` (a ``shared/`` folder).

    Every boundary file is checked against PROVENANCE.md before it is copied; an
    altered source stops the install with nothing changed. Returns report lines.
    """
    src_boundaries = source / "data" / "boundaries"
    src_reference = source / "data" / "reference"
    provenance_path = src_boundaries / PROVENANCE_FILE
    if not provenance_path.is_file():
        raise DataFileError(
            f"{provenance_path} not found: give the folder that holds data/boundaries/"
            f"{PROVENANCE_FILE} with --source (default ../shared)."
        )
    provenance = read_provenance(provenance_path)
    for name, expected in provenance.sha256.items():
        _require_hash(src_boundaries / name, expected, hint="the source copy is altered; get a fresh copy")
    for name in REFERENCE_FILES:
        if not (src_reference / name).is_file():
            raise DataFileError(f"{src_reference / name} not found: the reference tables are incomplete.")

    report = []
    boundary_dir.mkdir(parents=True, exist_ok=True)
    reference_dir.mkdir(parents=True, exist_ok=True)
    for name, expected in provenance.sha256.items():
        target = boundary_dir / name
        if target.is_file() and sha256_of(target) == expected:
            report.append(f"ok        {target.name}")
            continue
        shutil.copyfile(src_boundaries / name, target)
        report.append(f"installed {target.name} (sha256 {expected[:12]}…)")
    shutil.copyfile(provenance_path, boundary_dir / PROVENANCE_FILE)
    for name in REFERENCE_FILES:
        shutil.copyfile(src_reference / name, reference_dir / name)
        report.append(f"installed reference/{name}")
    return report


def verify_installed(boundary_dir: Path = BOUNDARY_DIR) -> Provenance:
    """Check that every boundary file listed in PROVENANCE.md is present and unaltered."""
    provenance_path = boundary_dir / PROVENANCE_FILE
    if not provenance_path.is_file():
        raise DataFileError(f"{provenance_path} is missing: {FIX_HINT}.")
    provenance = read_provenance(provenance_path)
    for name, expected in provenance.sha256.items():
        _require_hash(boundary_dir / name, expected, hint=FIX_HINT)
    return provenance


def _require_hash(path: Path, expected: str, *, hint: str) -> None:
    if not path.is_file():
        raise DataFileError(f"Boundary file {path} is missing: {hint}.")
    actual = sha256_of(path)
    if actual != expected:
        raise DataFileError(
            f"Boundary file {path} is altered (SHA-256 {actual[:12]}…, expected "
            f"{expected[:12]}… from PROVENANCE.md): {hint}."
        )

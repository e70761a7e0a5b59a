"""Region packs: the units, boundaries, reference values, attribution and titles of one map view, as data.

A pack is ``data/regions/<id>/region.toml`` (committed) and the files it names, installed from
``../shared`` by ``make data`` into the pack's folder and checked against the SHA-256 sums in the
pack's ``PROVENANCE.md``. The default pack, Mường Tè, is the atlas' own data (``data/boundaries``,
``data/reference``) and names no files. How to add a region: ``data/regions/README.md``.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from mutte_geo.core.errors import DataFileError, ValidationError
from mutte_geo.core.paths import DATA_DIR, INDICATOR_DIR
from mutte_geo.model.boundaries import read_boundaries
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.datasetup import sha256_of
from mutte_geo.model.indicators import COLUMNS, UnitsByVintage, find_duplicates, load_values, validate_table
from mutte_geo.model.provenance import parse_checksums
from mutte_geo.model.units import Unit, normalise_code

REGIONS_DIR = DATA_DIR / "regions"
MANIFEST = "region.toml"
DEFAULT_REGION = "mutte"
UNIT_COLUMNS = ("gso_code", "unit_type", "name_vi")
INSTALL_HINT = "run `make data` (or `python -m mutte_geo install-data --source ../shared`)"


@dataclass(frozen=True)
class Text:
    """A phrase in both languages."""

    vi: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class Marked:
    """A published figure the pack comments on: a gap (not published: no data) or a flag (kept, marked)."""

    code: str
    indicator: str
    note: Text


@dataclass(frozen=True)
class RegionPack:
    """One region as its manifest describes it; files are read from ``directory``."""

    id: str
    directory: Path
    vintages: tuple[int, ...]
    name: Text  # in running text: "tỉnh Lai Châu"
    atlas_name: Text
    choice: Text  # the sidebar's label
    file_prefix: str  # exported file names start with it
    place: dict[int, Text]
    bounds: dict[int, Text]
    vintage_label: dict[int, Text]  # the sidebar's label of each vintage
    locator_title: dict[int, Text]
    locator_window: tuple[float, float, float, float]
    attribution: tuple[str, ...] = ()
    source: str | None = None  # folder under ../shared holding the files
    provenance: str = "PROVENANCE.md"
    boundary_files: dict[int, str] | None = None
    unit_files: dict[int, str] | None = None
    contains: tuple[str, int] | None = None  # (region id, vintage) whose units are units of this pack
    reference_values: dict[str, Any] | None = None
    gaps: tuple[Marked, ...] = ()
    flags: tuple[Marked, ...] = ()

    @property
    def has_files(self) -> bool:
        return bool(self.boundary_files)

    def files(self) -> list[str]:
        return sorted({*(self.boundary_files or {}).values(), *(self.unit_files or {}).values()})

    def notes(self, indicator_id: str, codes: set[str]) -> list[tuple[str, str]]:
        """What the map of ``indicator_id`` must say of the pack's gaps and flags (vi, en)."""
        return [(m.note.vi, m.note.en) for m in (*self.gaps, *self.flags)
                if m.indicator == indicator_id and m.code in codes]


def _text(value: Any, where: str) -> Text:
    if not (isinstance(value, dict) and isinstance(value.get("vi"), str) and isinstance(value.get("en"), str)):
        raise DataFileError(f"{where}: expected {{ vi = \"…\", en = \"…\" }}")
    return Text(value["vi"], value["en"])


def _by_vintage(table: dict[str, Any], vintages: tuple[int, ...], where: str) -> dict[int, Text]:
    missing = [v for v in vintages if str(v) not in table]
    if missing:
        raise DataFileError(f"{where}: no entry for vintage {', '.join(map(str, missing))}")
    return {v: _text(table[str(v)], f"{where}.{v}") for v in vintages}


def parse_manifest(path: Path) -> RegionPack:
    """Read one ``region.toml``; a missing or wrong key is a DataFileError naming the file and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFileError(f"Region manifest {path} is missing.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"Region manifest {path} is not valid TOML: {exc}") from exc
    where = str(path)
    try:
        vintages = tuple(int(v) for v in data["vintages"])
        files = data.get("files")
        contains = data.get("contains")
        pack = RegionPack(
            id=str(data["id"]), directory=path.parent, vintages=vintages,
            name=_text(data["name"], f"{where}: name"), atlas_name=_text(data["atlas_name"], f"{where}: atlas_name"),
            choice=_text(data["choice"], f"{where}: choice"), file_prefix=str(data["file_prefix"]),
            place=_by_vintage(data["place"], vintages, f"{where}: place"),
            bounds=_by_vintage(data["bounds"], vintages, f"{where}: bounds"),
            vintage_label=_by_vintage(data["vintage_label"], vintages, f"{where}: vintage_label"),
            locator_title=_by_vintage(data["locator"], vintages, f"{where}: locator"),
            locator_window=tuple(float(x) for x in data["locator"]["window"]),  # type: ignore[arg-type]
            attribution=tuple(" ".join(line.split()) for line in data.get("attribution", ())),
            source=files["source"] if files else None,
            provenance=files.get("provenance", "PROVENANCE.md") if files else "PROVENANCE.md",
            boundary_files={int(v): f for v, f in files["boundaries"].items()} if files else None,
            unit_files={int(v): f for v, f in files["units"].items()} if files else None,
            contains=(str(contains["region"]), int(contains["vintage"])) if contains else None,
            reference_values=data.get("reference_values"),
            gaps=tuple(Marked(normalise_code(g["code"]), g["indicator"], _text(g["note"], f"{where}: gaps"))
                       for g in data.get("gaps", ())),
            flags=tuple(Marked(normalise_code(g["code"]), g["indicator"], _text(g["note"], f"{where}: flags"))
                        for g in data.get("flags", ())),
        )
    except KeyError as exc:
        raise DataFileError(f"Region manifest {path} lacks the key {exc}.") from exc
    if pack.id != path.parent.name:
        raise DataFileError(f"Region manifest {path}: id '{pack.id}' differs from its folder '{path.parent.name}'.")
    if files and (set(pack.boundary_files or {}) != set(vintages) or set(pack.unit_files or {}) != set(vintages)):
        raise DataFileError(f"Region manifest {path}: [files] needs a boundary and a units file per vintage.")
    if files and not pack.attribution:
        raise DataFileError(f"Region manifest {path}: a pack with its own boundaries needs attribution lines.")
    return pack


@cache
def load_pack(region_id: str, regions_dir: Path = REGIONS_DIR) -> RegionPack:
    if region_id not in region_ids(regions_dir):
        raise DataFileError(f"Unknown region '{region_id}': choose one of {', '.join(region_ids(regions_dir))}.")
    return parse_manifest(regions_dir / region_id / MANIFEST)


@cache
def region_ids(regions_dir: Path = REGIONS_DIR) -> tuple[str, ...]:
    """The packs present, the default first (stable ids: the folder names)."""
    found = sorted(p.parent.name for p in regions_dir.glob(f"*/{MANIFEST}"))
    return tuple(sorted(found, key=lambda r: r != DEFAULT_REGION))


def default_pack() -> RegionPack:
    return load_pack(DEFAULT_REGION)


# --- files: install from ../shared and verify -----------------------------------------------------

def _checksums(provenance_path: Path, pack: RegionPack, hint: str) -> dict[str, str]:
    if not provenance_path.is_file():
        raise DataFileError(f"{provenance_path} is missing (region '{pack.id}'): {hint}.")
    text = provenance_path.read_text(encoding="utf-8")
    sums = parse_checksums(text)
    unlisted = [name for name in pack.files() if name not in sums]
    if unlisted:
        raise DataFileError(f"{provenance_path} lists no SHA-256 for {', '.join(unlisted)} (region '{pack.id}').")
    flat = " ".join(text.split())
    absent = [line for line in pack.attribution if line not in flat]
    if absent:
        raise DataFileError(f"{pack.directory / MANIFEST}: attribution line not in {provenance_path}: {absent[0]!r}")
    return {name: sums[name] for name in pack.files()}


def _require(path: Path, expected: str, hint: str) -> None:
    if not path.is_file():
        raise DataFileError(f"Region file {path} is missing: {hint}.")
    actual = sha256_of(path)
    if actual != expected:
        raise DataFileError(f"Region file {path} is altered (SHA-256 {actual[:12]}…, expected {expected[:12]}… "
                            f"from PROVENANCE.md): {hint}.")


def verify_pack(pack: RegionPack) -> None:
    """Every file of the pack present in its folder and unaltered (a pack without files has nothing to check)."""
    if pack.has_files:
        for name, expected in _checksums(pack.directory / pack.provenance, pack, INSTALL_HINT).items():
            _require(pack.directory / name, expected, INSTALL_HINT)


def install_packs(shared: Path, regions_dir: Path = REGIONS_DIR) -> list[str]:
    """Copy every pack's files from ``shared/<source>`` into the pack's folder, each checked first."""
    report = []
    for region_id in region_ids(regions_dir):
        pack = parse_manifest(regions_dir / region_id / MANIFEST)
        if not pack.has_files or pack.source is None:
            continue
        source = shared / pack.source
        sums = _checksums(source / pack.provenance, pack, f"give the folder that holds {pack.source}/ with --source")
        for name, expected in sums.items():
            _require(source / name, expected, "the source copy is altered; get a fresh copy")
        for name, expected in sums.items():
            target = pack.directory / name
            if target.is_file() and sha256_of(target) == expected:
                report.append(f"ok        regions/{region_id}/{name}")
                continue
            shutil.copyfile(source / name, target)
            report.append(f"installed regions/{region_id}/{name} (sha256 {expected[:12]}…)")
        shutil.copyfile(source / pack.provenance, pack.directory / pack.provenance)
    return report


# --- data: units, boundaries and reference values of a pack with files ---------------------------

def pack_units(pack: RegionPack, vintage: int) -> dict[str, Unit]:
    """The units of ``vintage`` from the pack's units table (installed and checked)."""
    verify_pack(pack)
    path = pack.directory / (pack.unit_files or {})[vintage]
    table = _units_table(path)
    return {row["gso_code"]: Unit(vintage, row["gso_code"], row["name_vi"], row["unit_type"],
                                  row.get("name_ascii", ""), row["name_vi"], None, row.get("formed_from", ""))
            for row in table.to_dict("records")}


def _units_table(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in UNIT_COLUMNS if c not in table.columns]
    if missing:
        raise DataFileError(f"{path}: missing column(s) {', '.join(missing)}.")
    table["gso_code"] = table["gso_code"].map(normalise_code)
    repeated = sorted(set(table.loc[table["gso_code"].duplicated(), "gso_code"]))
    if repeated:
        raise DataFileError(f"{path}: codes repeated {repeated}.")
    return table


def pack_boundaries(pack: RegionPack, vintage: int, units: dict[str, Unit]) -> gpd.GeoDataFrame:
    verify_pack(pack)
    return read_boundaries(pack.directory / (pack.boundary_files or {})[vintage], units)


def check_contained(pack: RegionPack, units: dict[str, Unit], other: dict[str, Unit]) -> set[str]:
    """The codes of ``other`` (the contained pack's units of one vintage), each a unit of ``units`` with
    the same name and type; any difference is a DataFileError naming the code."""
    wrong = []
    for code, unit in sorted(other.items()):
        mine = units.get(code)
        if mine is None or (mine.name_vi, mine.unit_type) != (unit.name_vi, unit.unit_type):
            found = f"{mine.unit_type} {mine.name_vi}" if mine else "absent"
            wrong.append(f"{code} {unit.unit_type} {unit.name_vi} (in '{pack.id}': {found})")
    if wrong:
        other_id = pack.contains[0] if pack.contains else "?"
        raise DataFileError(f"Region '{pack.id}' does not hold the units of '{other_id}' under the same codes: "
                            f"{'; '.join(wrong)}.")
    return set(other)


def pack_reference_values(pack: RegionPack, vintage: int, units: dict[str, Unit], catalogue: Catalogue,
                          *, skip: frozenset[str] | set[str] = frozenset()) -> pd.DataFrame:
    """The official figures of the units table as values in the long format (source, period, kind from
    the table and the manifest), for the units not in ``skip`` (those the store holds).

    An empty cell must be a gap the manifest declares (it becomes no value, never 0); a flagged value
    keeps its figure, marked UNCERTAIN with the manifest's reason.
    """
    spec = pack.reference_values or {}
    path = pack.directory / (pack.unit_files or {})[vintage]
    table = _units_table(path)
    indicators = {k: v for k, v in spec.items() if k in catalogue}
    gaps = {(m.code, m.indicator) for m in pack.gaps}
    flags = {(m.code, m.indicator): m.note for m in pack.flags}
    note = _text(spec.get("note", {"vi": "", "en": ""}), f"{pack.directory / MANIFEST}: reference_values.note")
    name = f"data/regions/{pack.id}/{path.name}"  # the store's file of these values (history, provenance)
    rows, table_rows, problems = [], [], []
    for row_no, row in enumerate(table.to_dict("records"), start=2):
        for indicator, column in indicators.items():
            if column not in row:
                raise DataFileError(f"{path}: no column '{column}' (reference_values.{indicator}).")
            value, key = row[column].strip(), (row["gso_code"], indicator)
            declared = key in gaps
            if (value == "") != declared:
                problems.append(f"row {row_no} ({row['gso_code']} {row['name_vi']}), column {column}: "
                                + ("empty, but not declared a gap in region.toml" if not declared
                                   else "declared a gap in region.toml, but the table has a value"))
            if value == "" or row["gso_code"] in skip:
                continue
            flag = flags.get(key)
            rows.append({"vintage": str(vintage), "unit_code": row["gso_code"], "indicator": indicator,
                         "period": str(spec["period"]), "kind": spec["kind"], "value": value,
                         "status": "UNCERTAIN" if flag else "VERIFIED", "source": row.get("source", ""),
                         "note": flag.vi if flag else note.vi})
            table_rows.append(row_no)
    if problems:
        raise DataFileError(f"{path}: " + "; ".join(problems))
    clean, found = validate_table(pd.DataFrame(rows, columns=[*COLUMNS]), file=name, catalogue=catalogue,
                                  units={vintage: units})
    if found:
        raise ValidationError(found)
    clean["row"] = table_rows  # the row of the units table, as a bundled CSV value names its own
    return clean


# --- the one store: the units it holds and the values it is seeded with ---------------------------

def containing_packs(region_id: str = DEFAULT_REGION,
                     regions_dir: Path = REGIONS_DIR) -> list[tuple[RegionPack, int]]:
    """The packs whose ``[contains]`` names ``region_id``, each with the vintage it contains: their units
    are units of the one value store."""
    packs = [load_pack(r, regions_dir) for r in region_ids(regions_dir) if r != region_id]
    return [(p, p.contains[1]) for p in packs if p.contains is not None and p.contains[0] == region_id]


def store_units(home: UnitsByVintage, regions_dir: Path = REGIONS_DIR) -> UnitsByVintage:
    """The units the value store accepts values for: the default region's (``home``) and every unit of
    each pack that contains it, per vintage (a code never crosses vintages: the province adds 2025 units
    only). A unit known twice must have the same name and type (else a DataFileError naming the code);
    a home unit keeps its own record."""
    units = {v: dict(by_code) for v, by_code in home.items()}
    for pack, contained_vintage in containing_packs(regions_dir=regions_dir):
        by_vintage = {v: pack_units(pack, v) for v in pack.vintages}
        check_contained(pack, by_vintage.get(contained_vintage, {}), home.get(contained_vintage, {}))
        for vintage, theirs in by_vintage.items():
            held = units.setdefault(vintage, {})
            check_contained(pack, theirs, {c: held[c] for c in held.keys() & theirs.keys()})
            units[vintage] = {**theirs, **held}
    return units


def bundled_values(catalogue: Catalogue, home: UnitsByVintage, indicator_dir: Path = INDICATOR_DIR,
                   regions_dir: Path = REGIONS_DIR) -> pd.DataFrame:
    """What the app ships and seeds the store with: the value files of ``indicator_dir`` and the official
    figures of every containing pack's units table (:func:`pack_reference_values`) for the units the
    default region does not hold itself. Checked over :func:`store_units`; a key given twice is refused."""
    units = store_units(home, regions_dir)
    frames = [load_values(catalogue, units, indicator_dir)]
    for pack, _ in containing_packs(regions_dir=regions_dir):
        frames += [pack_reference_values(pack, v, units[v], catalogue, skip=set(home.get(v, {})))
                   for v in pack.vintages]
    values = pd.concat(frames, ignore_index=True)
    problems = find_duplicates(values)
    if problems:
        raise ValidationError(problems)
    return values


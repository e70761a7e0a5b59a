"""Import and edit workflow over the store: check a file, show what would change, then write it.

Shared by the import page, the edit page and ``python -m mutte_geo import``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from .atlas import Atlas
from .catalogue import Catalogue
from .errors import Problem
from .i18n import format_period, kind_label, tr
from .importer import Change, Options, changes_against, parse_file
from .indicators import UnitsByVintage, load_values
from .reform import derive_values, with_derived
from .store import Store
from .units import DISTRICT_NAME


@dataclass
class ImportReport:
    """Everything the preview shows; ``changes`` are written only by :func:`confirm`."""

    file: str
    layout: str
    problems: list[Problem]
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    base_version: int = 0
    revision: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_count(self) -> int:
        return sum(c.old is None for c in self.changes)

    @property
    def changed_count(self) -> int:
        return sum(c.old is not None for c in self.changes)


def open_store(catalogue: Catalogue, units: UnitsByVintage, url: str | None = None) -> Store:
    """The configured store, seeded with the bundled CSV values on first use."""
    store = Store(url)
    if store.version() == 0:
        store.seed_if_empty(load_values(catalogue, units))
    return store


def check_file(store: Store, data: bytes, file: str, *, catalogue: Catalogue, units: UnitsByVintage,
               options: Options | None = None) -> ImportReport:
    """Read and check ``data``; compare it with the store. Writes nothing."""
    base_version = store.version()
    parsed = parse_file(data, file, catalogue=catalogue, units=units, options=options or Options())
    report = ImportReport(file, parsed.layout, parsed.problems, base_version=base_version)
    if parsed.ok:
        report.changes, report.unchanged = changes_against(parsed.rows, store.current())
    return report


def confirm(store: Store, report: ImportReport, *, user: str) -> int | None:
    """Write a clean report's changes as one revision; None when there is nothing to change.

    Raises ConflictError (nothing written) when someone changed the same values after the preview.
    """
    if not report.ok:
        raise ValueError("a file with problems cannot be imported")
    if not report.changes:
        return None
    report.revision = store.apply(report.changes, user=user, file=report.file, action="import",
                                  summary=f"{report.new_count} new, {report.changed_count} changed")
    return report.revision


def report_lines(report: ImportReport, lang: str) -> list[str]:
    """The plain-text report printed by the command line."""
    lines = [f"ERROR {p.describe(lang)}" for p in report.problems]
    if report.ok:
        lines.append(tr(lang, f"{report.file}: dạng {report.layout}; {report.new_count} giá trị mới, "
                              f"{report.changed_count} thay đổi, {report.unchanged} không đổi",
                        f"{report.file}: {report.layout} layout; {report.new_count} new, "
                        f"{report.changed_count} changed, {report.unchanged} unchanged"))
        for change in report.changes:
            vintage, code, indicator, period, kind = change.key
            new = (change.new or {}).get("value", "")
            what = f"+ {new}" if change.old is None else f"{change.old['value']} → {new}"
            lines.append(f"  {vintage}:{code} {indicator} {period} {kind}: {what}")
    else:
        lines.append(tr(lang, f"{len(report.problems)} lỗi: không có gì được ghi.",
                        f"{len(report.problems)} problem(s): nothing was written."))
    return lines


def changes_table(changes: list[Change], catalogue: Catalogue, units: UnitsByVintage, lang: str) -> pd.DataFrame:
    """The preview table: unit, indicator, period, kind, old → new, and where in the file."""
    records = []
    for change in changes:
        vintage, code, indicator, period, kind = change.key
        unit = units[vintage].get(code)
        records.append({
            tr(lang, "Đơn vị", "Unit"): f"{unit.label(lang) if unit else DISTRICT_NAME} ({vintage}:{code})",
            tr(lang, "Chỉ tiêu", "Indicator"): catalogue[indicator].name(lang) if indicator in catalogue else indicator,
            tr(lang, "Kỳ", "Period"): format_period(period, lang),
            tr(lang, "Loại", "Kind"): kind_label(kind, lang),
            tr(lang, "Giá trị cũ", "Old value"): "" if change.old is None else change.old["value"],
            tr(lang, "Giá trị mới", "New value"): "" if change.new is None else change.new["value"],
            tr(lang, "Dòng", "Row"): change.row or "",
        })
    return pd.DataFrame.from_records(records)


def atlas_from_store(base: Atlas, store: Store) -> Atlas:
    """``base`` with the store's values (and the 2025 values derived from them); layers are shared."""
    values = store.values(base.catalogue, base.units)
    if base.crosswalk is not None:
        values = with_derived(values, derive_values(values, base.catalogue, base.crosswalk, base.units[2024]))
    return replace(base, values=values)

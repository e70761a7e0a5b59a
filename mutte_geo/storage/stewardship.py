"""Import and edit workflow over the store: check a file, show what would change, then write it.

Shared by the import page, the edit page and ``python -m mutte_geo import``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.exc import DBAPIError

from mutte_geo.core.errors import Problem
from mutte_geo.core.i18n import format_number, format_period, kind_label, tr
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.indicators import UnitsByVintage, load_values
from mutte_geo.model.units import DISTRICT_NAME
from mutte_geo.storage.importer import Change, Options, changes_against, parse_file
from mutte_geo.storage.isolated import parse_isolated
from mutte_geo.storage.plausibility import unusual_values
from mutte_geo.storage.store import Revision, Store, plain_store_error


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
    problem_total: int = 0  # ``problems`` lists at most the first 50 and a line "and N more"
    unusual: list[Problem] = field(default_factory=list)  # plausible but far outside: confirm to write
    sheet: str = ""  # the worksheet read (XLSX)
    sheets: list[str] = field(default_factory=list)  # the workbook's visible sheets that hold a table
    notices: list[tuple[str, str]] = field(default_factory=list)  # (vi, en)

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
    """The configured store: seeded with the bundled CSV values on first use, following later CSV edits."""
    bundled = load_values(catalogue, units)
    try:
        store = Store(url)
        if store.version() == 0 and store.seed_if_empty(bundled):
            return store
        store.sync_bundled(bundled)
    except DBAPIError as exc:  # e.g. a read-only or full disk, an unreachable server: no SQL shown to users
        raise plain_store_error(exc) from exc
    return store


def check_file(store: Store, data: bytes, file: str, *, catalogue: Catalogue, units: UnitsByVintage,
               options: Options | None = None, isolated: bool = False) -> ImportReport:
    """Read and check ``data``; compare it with the store. Writes nothing.

    ``isolated``: parse in a child process with limits (the app server, which serves every visitor).
    """
    base_version = store.version()
    parse = parse_isolated if isolated else parse_file
    parsed = parse(data, file, catalogue=catalogue, units=units, options=options or Options())
    report = ImportReport(file, parsed.layout, parsed.problems, base_version=base_version,
                          problem_total=parsed.problem_total, sheet=parsed.sheet, sheets=parsed.sheets,
                          notices=parsed.notices)
    if parsed.ok:
        current = store.current()
        report.changes, report.unchanged = changes_against(parsed.rows, current)
        changed = {c.key for c in report.changes}
        rows = parsed.rows[[(int(r["vintage"]), r["unit_code"], r["indicator"], r["period"], r["kind"]) in changed
                            for r in parsed.rows.to_dict("records")]]
        report.unusual = unusual_values(rows, current, catalogue)
    return report


def confirm(store: Store, report: ImportReport, *, user: str, action: str = "import",
            accept_unusual: bool = False) -> int | None:
    """Write a clean report's changes as one revision; None when there is nothing to change.

    Unusual values (``report.unusual``) are written only with ``accept_unusual``. Raises ConflictError
    (nothing written) when someone changed the same values after the preview.
    """
    if not report.ok:
        raise ValueError("a file with problems cannot be imported")
    if report.unusual and not accept_unusual:
        raise ValueError("unusual values must be confirmed")
    if not report.changes:
        return None
    # Exactly the previewed changes, each against the row version it was previewed with.
    report.revision = store.apply(report.changes, user=user, file=report.file, action=action,
                                  summary=f"{report.new_count} new, {report.changed_count} changed")
    return report.revision


def report_lines(report: ImportReport, lang: str) -> list[str]:
    """The plain-text report printed by the command line."""
    lines = [f"ERROR {p.describe(lang)}" for p in report.problems]
    lines += [tr(lang, vi, en) for vi, en in report.notices]
    lines += [f"UNUSUAL {p.describe(lang)}" for p in report.unusual]
    if report.ok:
        layout_vi = {"long": "dọc", "wide": "ngang"}.get(report.layout, report.layout)
        lines.append(tr(lang, f"{report.file}: dạng {layout_vi}; {report.new_count} giá trị mới, "
                              f"{report.changed_count} thay đổi, {report.unchanged} không đổi",
                        f"{report.file}: {report.layout} layout; {report.new_count} new, "
                        f"{report.changed_count} changed, {report.unchanged} unchanged"))
        for change in report.changes:
            vintage, code, indicator, period, kind = change.key
            new = (change.new or {}).get("value", "")
            what = f"+ {new}" if change.old is None else f"{change.old['value']} → {new}"
            lines.append(f"  {vintage}:{code} {indicator} {period} {kind}: {what}")
    else:
        lines.append(tr(lang, f"{report.problem_total} lỗi: không có gì được ghi.",
                        f"{report.problem_total} problem(s): nothing was written."))
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
            tr(lang, "Giá trị cũ", "Old value"): "" if change.old is None else shown_value(change.old["value"], lang),
            tr(lang, "Giá trị mới", "New value"): "" if change.new is None else shown_value(change.new["value"], lang),
            tr(lang, "Dòng", "Row"): change.row or "",
        })
    return pd.DataFrame.from_records(records)


def conflict_table(report: ImportReport, keys: list[tuple[int, str, str, str, str]], current: pd.DataFrame,
                   catalogue: Catalogue, units: UnitsByVintage, lang: str) -> pd.DataFrame:
    """The previewed changes that someone else's write overtook: previewed old value, value now, yours."""
    now = {(int(r["vintage"]), r["unit_code"], r["indicator"], r["period"], r["kind"]): r["value"]
           for r in current.to_dict("records")}
    moved = [c for c in report.changes if c.key in set(keys)]
    table = changes_table(moved, catalogue, units, lang)
    if not table.empty:
        table.insert(5, tr(lang, "Giá trị hiện nay", "Value now"),
                     [shown_value(str(now.get(c.key, "")), lang) for c in moved])
    return table


def shown_value(text: str, lang: str) -> str:
    """A stored value as the language writes numbers, keeping every decimal.

    >>> shown_value("17860", "vi"), shown_value("84.65", "vi"), shown_value("yes", "vi")
    ('17.860', '84,65', 'yes')
    """
    try:
        number = float(text)
    except ValueError:
        return text
    decimals = len(text.partition(".")[2]) if "e" not in text.lower() else 6
    return format_number(number, lang, decimals)


def atlas_from_store(base: Atlas, store: Store) -> Atlas:
    """``base`` with the store's values (and the 2025 values derived from them); layers are shared."""
    return base.with_values(store.values(base.catalogue, base.units))


def problems_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    """Every problem with file, row, column and the reason in both languages (the current one first)."""
    first, second = ("reason_vi", "reason_en") if lang == "vi" else ("reason_en", "reason_vi")
    return pd.DataFrame.from_records([{
        tr(lang, "Tệp", "File"): p.file,
        tr(lang, "Dòng", "Row"): "" if p.row is None else str(p.row),
        tr(lang, "Cột", "Column"): p.column or "",
        tr(lang, "Lý do", "Reason"): getattr(p, first),
        tr(lang, "Lý do (tiếng Anh)", "Reason (Vietnamese)"): getattr(p, second),
    } for p in problems])


EDIT_COLUMNS = ("unit_code", "indicator", "label", "value", "source", "note")


def edit_table(current: pd.DataFrame, catalogue: Catalogue, units: UnitsByVintage, *, vintage: int, period: str,
               kind: str, lang: str, indicator: str | None = None, unit: str | None = None) -> pd.DataFrame:
    """Rows to edit in place: every unit for one indicator, or every indicator for one unit.

    Values the store holds for (vintage, period, kind) are filled in; the others are empty (no data).
    """
    if indicator is not None:
        pairs = [(code, indicator, u.label(lang)) for code, u in units[vintage].items()]
    else:
        pairs = [(str(unit), ident, ind.name(lang)) for ident, ind in catalogue.items()]
    rows = current[(current["vintage"].astype(int) == vintage) & (current["period"] == period)
                   & (current["kind"] == kind)]
    held = {(r["unit_code"], r["indicator"]): r for r in rows.to_dict("records")}
    records = []
    for code, ident, label in pairs:
        row = held.get((code, ident), {})
        records.append({"unit_code": code, "indicator": ident, "label": label, "value": str(row.get("value", "")),
                        "source": str(row.get("source", "")), "note": str(row.get("note", ""))})
    return pd.DataFrame.from_records(records, columns=list(EDIT_COLUMNS))


def history_table(revisions: list[Revision], lang: str) -> pd.DataFrame:
    return pd.DataFrame.from_records([{
        tr(lang, "Phiên bản", "Revision"): r.id,
        tr(lang, "Thời điểm (UTC)", "When (UTC)"): r.at.strftime("%d/%m/%Y %H:%M" if lang == "vi"
                                                                  else "%Y-%m-%d %H:%M"),
        tr(lang, "Người thực hiện", "Who"): r.user_name,
        tr(lang, "Thao tác", "Action"): tr(lang, *ACTION_LABELS.get(r.action, (r.action, r.action))),
        tr(lang, "Tệp", "File"): r.file,
        tr(lang, "Tóm tắt", "Summary"): r.summary,
    } for r in revisions])


ACTION_LABELS = {"seed": ("dữ liệu ban đầu", "initial data"),
                 "bundled": ("cập nhật dữ liệu gốc", "bundled data update"),
                 "import": ("nhập tệp", "file import"), "edit": ("sửa trực tiếp", "edit in place"),
                 "restore": ("khôi phục", "restore")}


def revision_changes_table(changes: pd.DataFrame, catalogue: Catalogue, lang: str) -> pd.DataFrame:
    """One revision's changes (only indicators in ``catalogue``, i.e. those the user may see)."""
    rows = changes[changes["indicator"].isin(list(catalogue))]
    return pd.DataFrame.from_records([{
        tr(lang, "Mã", "Code"): f"{r['vintage']}:{r['unit_code']}",
        tr(lang, "Chỉ tiêu", "Indicator"): catalogue[r["indicator"]].name(lang),
        tr(lang, "Kỳ", "Period"): r["period"],
        tr(lang, "Loại", "Kind"): kind_label(r["kind"], lang),
        tr(lang, "Giá trị cũ", "Old value"): shown_value(_text(r["old_value"]), lang),
        tr(lang, "Giá trị mới", "New value"): shown_value(_text(r["new_value"]), lang),
        tr(lang, "Tệp, dòng", "File, row"): f"{r['file']}" + ("" if pd.isna(r["row"]) else f", {int(r['row'])}"),
    } for r in rows.to_dict("records")])


def state_table(state: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """An earlier state in the long format (only indicators in ``catalogue``)."""
    return state[state["indicator"].isin(list(catalogue))].reset_index(drop=True)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

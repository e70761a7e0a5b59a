"""Import and edit workflow over the store: check a file, show what would change, then write it.

Shared by the import page, the edit page and ``python -m mutte_geo import``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.exc import DBAPIError

from mutte_geo.core.errors import Problem, ValidationError
from mutte_geo.core.i18n import (
    N_,
    YES_NO_LABELS,
    format_number,
    format_period,
    gettext,
    kind_label,
    pgettext,
    yes_no_label,
)
from mutte_geo.core.localtime import local_time_text
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Catalogue, Indicator
from mutte_geo.model.indicators import COLUMNS, UnitsByVintage, validate_table
from mutte_geo.model.regions import bundled_values
from mutte_geo.model.units import DISTRICT_CODE, DISTRICT_NAME
from mutte_geo.storage.approval import EVENT_LABELS, Approvals, with_submitted
from mutte_geo.storage.auth import User
from mutte_geo.storage.importer import KEY, Change, Options, changes_against, parse_file
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
    """The configured store: seeded on first use with the bundled values (the CSV files and the official
    figures of the region packs that contain the district of ``units``), following later edits of them."""
    bundled = bundled_values(catalogue, units)
    try:
        store = Store(url)
        if store.version() == 0 and store.seed_if_empty(bundled):
            return store
        store.sync_bundled(bundled)
    except DBAPIError as exc:  # e.g. a read-only or full disk, an unreachable server: no SQL shown to users
        raise plain_store_error(exc) from exc
    return store


def check_file(store: Store, data: bytes, file: str, *, catalogue: Catalogue, units: UnitsByVintage,
               options: Options | None = None, user: User | None = None, isolated: bool = False) -> ImportReport:
    """Read and check ``data``; compare it with the store. Writes nothing.

    With ``user``, rows outside the account's units and rows of approved (locked) values are problems too.
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
        if user is not None and report.changes:
            report.problems = Approvals(store).problems(report.changes, user, file, unit_namer(units))
            report.problem_total = len(report.problems)
    return report


def submit(store: Store, report: ImportReport, *, user: User, units: UnitsByVintage) -> list[int]:
    """Keep a clean report's changes as submissions of ``user``, waiting for approval; their ids.

    Raises ValidationError (nothing kept) for rows outside the account's units or on locked values.
    """
    if not report.ok:
        raise ValueError("a file with problems cannot be submitted")
    return Approvals(store).submit(report.changes, user=user, file=report.file, label=unit_namer(units))


def unit_namer(units: UnitsByVintage):
    """``(vintage, code) -> 'Xã Pa Ủ'`` for messages (the code itself when unknown, e.g. the district)."""
    def name(vintage: int, code: str) -> str:
        unit = units.get(vintage, {}).get(code)
        return unit.label("vi") if unit else (DISTRICT_NAME if code == DISTRICT_CODE else code)
    return name


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
    lines += [vi if lang == "vi" else en for vi, en in report.notices]
    lines += [f"UNUSUAL {p.describe(lang)}" for p in report.unusual]
    if report.ok:
        layout = {"long": gettext(lang, "long"), "wide": gettext(lang, "wide")}.get(report.layout, report.layout)
        lines.append(gettext(lang, "{file}: {layout} layout; {new_count} new, {changed_count} changed, "
                                   "{unchanged} unchanged").format(
                         file=report.file, layout=layout, new_count=report.new_count,
                         changed_count=report.changed_count, unchanged=report.unchanged))
        for change in report.changes:
            vintage, code, indicator, period, kind = change.key
            new = (change.new or {}).get("value", "")
            what = f"+ {new}" if change.old is None else f"{change.old['value']} → {new}"
            lines.append(f"  {vintage}:{code} {indicator} {period} {kind}: {what}")
    else:
        lines.append(gettext(lang, "{problem_total} problem(s): nothing was written.").format(
                         problem_total=report.problem_total))
    return lines


def changes_table(changes: list[Change], catalogue: Catalogue, units: UnitsByVintage, lang: str) -> pd.DataFrame:
    """The preview table: unit, indicator, period, kind, old → new, and where in the file."""
    records = []
    for change in changes:
        vintage, code, indicator, period, kind = change.key
        unit = units[vintage].get(code)
        unit_name = unit.label(lang) if unit else gettext(lang, "Mường Tè district")
        records.append({
            gettext(lang, "Unit"): f"{unit_name} ({vintage}:{code})",
            gettext(lang, "Indicator"): catalogue[indicator].name(lang) if indicator in catalogue else indicator,
            gettext(lang, "Period"): format_period(period, lang),
            gettext(lang, "Kind"): kind_label(kind, lang),
            gettext(lang, "Old value"): "" if change.old is None else shown_value(
                change.old["value"], lang, catalogue.get(indicator)),
            gettext(lang, "New value"): "" if change.new is None else shown_value(
                change.new["value"], lang, catalogue.get(indicator)),
            gettext(lang, "Row"): change.row or "",
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
        table.insert(5, gettext(lang, "Value now"),
                     [shown_value(str(now.get(c.key, "")), lang) for c in moved])
    return table


def shown_value(text: str, lang: str, indicator: Indicator | None = None) -> str:
    """A stored value as the language writes numbers, keeping every decimal; yes/no and category
    codes in words.

    >>> shown_value("17860", "vi"), shown_value("84.65", "vi"), shown_value("yes", "vi")
    ('17.860', '84,65', 'Có')
    """
    if not text:
        return ""
    try:
        number = float(text)
    except ValueError:
        if indicator is not None and not indicator.is_numeric:
            return indicator.choice_label(text, lang)
        return yes_no_label(text, lang) if text in YES_NO_LABELS else text
    decimals = len(text.partition(".")[2]) if "e" not in text.lower() else 6
    return format_number(number, lang, decimals)


def atlas_from_store(base: Atlas, store: Store) -> Atlas:
    """``base`` with the store's values (and the 2025 values derived from them); layers are shared."""
    return base.with_values(store.values(base.catalogue, base.store_units))


def atlas_with_submitted(base: Atlas, store: Store, pending: pd.DataFrame, lang: str) -> Atlas:
    """``base`` with the store's values and, in their place, the ``pending`` submissions (marked not approved)."""
    table = with_submitted(store.current(), pending, lang).reset_index(drop=True)
    clean, problems = validate_table(table[list(COLUMNS)].astype({"vintage": str}), file="store",
                                     catalogue=base.catalogue, units=base.store_units)
    if problems:
        raise ValidationError(problems)
    clean["file"] = table["file"].to_numpy()
    clean["row"] = table["row"].to_numpy()
    return base.with_values(clean)


# The long format's column names, as the reader's language says them (the file's own name follows).
COLUMN_LABELS = {
    "vintage": N_("boundary vintage"), "unit_code": N_("unit code"),
    "indicator": N_("indicator"), "period": N_("period"), "kind": N_("kind"),
    "value": N_("value"), "status": N_("status"), "source": N_("source"),
    "note": N_("note"),
}


def column_label(column: str | None, lang: str) -> str:
    """A problem's column in words; the name as written in the file in brackets when it differs.

    >>> column_label("value", "vi"), column_label("value", "en"), column_label("Dân số", "vi")
    ('giá trị (value)', 'value', 'Dân số')
    """
    if not column:
        return ""
    if column not in COLUMN_LABELS:
        return column
    label = gettext(lang, COLUMN_LABELS[column])
    return label if label == column else f"{label} ({column})"


def problems_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    """Every problem with file, row, column and the reason in both languages (the current one first)."""
    first, second = ("reason_vi", "reason_en") if lang == "vi" else ("reason_en", "reason_vi")
    return pd.DataFrame.from_records([{
        gettext(lang, "File"): p.file,
        gettext(lang, "Row"): "" if p.row is None else str(p.row),
        gettext(lang, "Column"): column_label(p.column, lang),
        gettext(lang, "Reason"): getattr(p, first),
        gettext(lang, "Reason (Vietnamese)"): getattr(p, second),
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


STATE_LABELS = {"submitted": N_("waiting"), "returned": N_("returned"),
                "approved": N_("approved"), "superseded": N_("superseded")}


def submissions_table(frame: pd.DataFrame, current: pd.DataFrame, catalogue: Catalogue, units: UnitsByVintage,
                      lang: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Submissions for people: what was sent next to the value stored now, who sent it and when, the outcome.

    Only indicators in ``catalogue`` (those the user may see). The first column is the submission id.
    """
    stored = {tuple(r[k] for k in KEY): r["value"] for r in current.to_dict("records")}
    namer = unit_namer(units)
    rows = frame[frame["indicator"].isin(list(catalogue))]
    return pd.DataFrame.from_records([{
        "id": int(r["id"]),
        gettext(lang, "Unit"): f"{namer(int(r['vintage']), r['unit_code'])} ({r['vintage']}:{r['unit_code']})",
        gettext(lang, "Indicator"): catalogue[r["indicator"]].name(lang),
        gettext(lang, "Period"): format_period(r["period"], lang),
        gettext(lang, "Kind"): kind_label(r["kind"], lang),
        gettext(lang, "Stored value"): shown_value(
            str(stored.get((int(r["vintage"]), r["unit_code"], r["indicator"], r["period"], r["kind"]), "")), lang),
        gettext(lang, "Submitted value"): shown_value(str(r["value"]), lang),
        gettext(lang, "Source"): r["source"],
        gettext(lang, "Submitted by"): person_label(r["submitted_by"], names or {}, lang),
        gettext(lang, "Submitted (Vietnam time)"): local_time_text(r["submitted_at"], lang),
        gettext(lang, "State"): gettext(lang, STATE_LABELS.get(r['state'], r['state'])),
        gettext(lang, "Decided by"): person_label(r["decided_by"], names or {}, lang)
        if r["decided_by"] else "",
        gettext(lang, "Comment"): r["comment"],
    } for r in rows.to_dict("records")])


def approval_steps_table(events: pd.DataFrame, catalogue: Catalogue, lang: str,
                         names: dict[str, str] | None = None) -> pd.DataFrame:
    """Every approval step: when (Vietnam time), who, what, on which value, why."""
    rows = events[events["indicator"].isin(list(catalogue))]
    return pd.DataFrame.from_records([{
        gettext(lang, "When (Vietnam time)"): local_time_text(r["at"], lang),
        gettext(lang, "Who"): person_label(r["actor"], names or {}, lang),
        gettext(lang, "What"): EVENT_LABELS.get(r["action"], (r["action"],) * 2)[0 if lang == "vi" else 1],
        gettext(lang, "Value"): f"{r['vintage']}:{r['unit_code']} {catalogue[r['indicator']].name(lang)} "
                                      f"{format_period(r['period'], lang)} ({kind_label(r['kind'], lang)})"
                                      + (f" = {shown_value(str(r['value']), lang)}" if r["value"] else ""),
        gettext(lang, "Why / comment"): r["comment"],
    } for r in rows.to_dict("records")])


ACTION_LABELS = {"seed": N_("initial data"),
                 "bundled": N_("update of the bundled data"),
                 "import": N_("file import"), "edit": N_("edit in place"),
                 "restore": N_("restore"),
                 "approve": N_("approval of submitted values"),
                 "ntm-import": N_("NTM assessment import"),
                 "ntm-edit": N_("NTM assessment edit"),
                 "ntm-restore": N_("NTM assessment restore")}
SYSTEM_USER = "system"
_SUMMARIES: tuple[tuple[re.Pattern[str], tuple[str, str]], ...] = (
    (re.compile(r"^(\d+) new, (\d+) changed$"), ("{0} giá trị mới, {1} giá trị thay đổi", "{0} new, {1} changed")),
    (re.compile(r"^bundled report data$"), ("số liệu báo cáo có sẵn trong ứng dụng",
                                             "report data bundled with the app")),
    (re.compile(r"^the bundled CSV files changed$"), ("tệp CSV có sẵn đã thay đổi", "the bundled CSV files changed")),
    (re.compile(r"^restore to revision (\d+)$"), ("khôi phục về phiên bản {0}", "restore to revision {0}")),
)


def summary_text(summary: str, lang: str) -> str:
    """A revision's stored summary in the reader's language (summaries are stored in English).

    >>> summary_text("0 new, 1 changed", "vi")
    '0 giá trị mới, 1 giá trị thay đổi'
    """
    for pattern, (vi, en) in _SUMMARIES:
        found = pattern.match(summary)
        if found:
            return (vi if lang == "vi" else en).format(*found.groups())
    return summary


def person_label(login: str, names: dict[str, str], lang: str) -> str:
    """The person's display name with the login ("Nguyễn Thị Lan (lan)"); the system in words."""
    if login == SYSTEM_USER:
        return gettext(lang, "system")
    name = names.get(login, "")
    return f"{name} ({login})" if name and name != login else login


def action_label(action: str, lang: str) -> str:
    return gettext(lang, ACTION_LABELS.get(action, action))


def history_table(revisions: list[Revision], lang: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Every revision: when (Việt Nam time), who (display name), what, from which file."""
    names = names or {}
    return pd.DataFrame.from_records([{
        gettext(lang, "Revision"): str(r.id),
        gettext(lang, "When (Việt Nam time)"): local_time_text(r.at, lang),
        pgettext(lang, "stewardship", "Who"): person_label(r.user_name, names, lang),
        gettext(lang, "Action"): action_label(r.action, lang),
        gettext(lang, "File"): r.file,
        gettext(lang, "Summary"): summary_text(r.summary, lang),
    } for r in revisions])


def revision_changes_table(changes: pd.DataFrame, catalogue: Catalogue, lang: str) -> pd.DataFrame:
    """One revision's changes (only indicators in ``catalogue``, i.e. those the user may see)."""
    rows = changes[changes["indicator"].isin(list(catalogue))]
    return pd.DataFrame.from_records([{
        gettext(lang, "Code"): f"{r['vintage']}:{r['unit_code']}",
        gettext(lang, "Indicator"): catalogue[r["indicator"]].name(lang),
        gettext(lang, "Period"): format_period(str(r["period"]), lang),
        gettext(lang, "Kind"): kind_label(r["kind"], lang),
        gettext(lang, "Old value"): shown_value(_text(r["old_value"]), lang, catalogue[r["indicator"]]),
        gettext(lang, "New value"): shown_value(_text(r["new_value"]), lang, catalogue[r["indicator"]]),
        gettext(lang, "File, row"): f"{r['file']}" + ("" if pd.isna(r["row"]) else f", {int(r['row'])}"),
    } for r in rows.to_dict("records")])


def state_table(state: pd.DataFrame, catalogue: Catalogue, lang: str = "vi") -> pd.DataFrame:
    """An earlier state (only indicators in ``catalogue``), in words and the reader's language."""
    rows = state[state["indicator"].isin(list(catalogue))].reset_index(drop=True)
    return pd.DataFrame.from_records([{
        gettext(lang, "Code"): f"{r['vintage']}:{r['unit_code']}",
        gettext(lang, "Indicator"): catalogue[r["indicator"]].name(lang),
        gettext(lang, "Period"): format_period(str(r["period"]), lang),
        gettext(lang, "Kind"): kind_label(r["kind"], lang),
        gettext(lang, "Value"): shown_value(_text(r["value"]), lang, catalogue[r["indicator"]]),
        gettext(lang, "Source"): _text(r.get("source")),
        gettext(lang, "Note"): _text(r.get("note")),
    } for r in rows.to_dict("records")], columns=[gettext(lang, "Code"), gettext(lang, "Indicator"),
                                                  gettext(lang, "Period"), gettext(lang, "Kind"),
                                                  gettext(lang, "Value"), gettext(lang, "Source"),
                                                  gettext(lang, "Note")])


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

"""The leaders' overview: the 2025 targets table as text, HTML (status badges) and a download frame."""

from __future__ import annotations

import html

import pandas as pd

from mutte_geo.analysis.targets import (
    BEHIND,
    NO_DATA,
    NO_DIRECTION,
    NOT_COMPARABLE,
    ON_TRACK,
    PERIOD_UNCLEAR,
    PERIODS_DIFFER,
    TARGET_YEAR,
    TargetRow,
    direction_label,
    group_by_heading,
    pairing_label,
    status_label,
)
from mutte_geo.core.formatting import format_gap, format_quantity
from mutte_geo.core.i18n import format_period, gettext, pgettext
from mutte_geo.model.catalogue import CATEGORIES
from mutte_geo.model.remarks import Remark, remarks_for

# Colour-blind safe (Okabe–Ito hues, darkened for contrast with white text) and never colour
# alone: each status has its own symbol, text and outline style.
BADGE_STYLES = {
    ON_TRACK: ("✓", "background:#005a8c;color:#fff;border:1px solid #005a8c"),
    BEHIND: ("▼", "background:#b8410b;color:#fff;border:1px solid #b8410b"),
    NO_DATA: ("–", "background:#fff;color:#505050;border:1px dashed #505050"),
    PERIODS_DIFFER: ("≠", "background:#fff;color:#6c3483;border:2px solid #6c3483"),
    PERIOD_UNCLEAR: ("?", "background:#fff;color:#6c3483;border:2px dotted #6c3483"),
    NOT_COMPARABLE: ("≄", "background:#fff;color:#7a4b00;border:2px solid #7a4b00"),
    NO_DIRECTION: ("↕", "background:#fff;color:#333;border:1px solid #333"),
}
COLUMN_WIDTHS = (30, 18, 13, 12, 11, 16)  # the same for every heading, so the tables line up
_TABLE_CSS = (
    "<style>.targets{border-collapse:collapse;width:100%;table-layout:fixed;font-size:0.9rem;margin-bottom:0.6rem}"
    ".targets th{text-align:left;border-bottom:2px solid #999;padding:4px 6px;font-weight:600}"
    ".targets td{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top}"
    ".targets td.num{text-align:right}"
    ".targets .flag{font-size:0.75rem;color:#7a4b00;border:1px solid #c9a227;border-radius:3px;padding:0 3px;"
    "margin-left:4px;white-space:nowrap}"
    ".targets .note{font-size:0.75rem;color:#555}"
    ".badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:0.8rem;font-weight:600;"
    "white-space:nowrap}</style>"
)


def heading_label(category: str, lang: str) -> str:
    return gettext(lang, CATEGORIES[category])


def result_text(row: TargetRow, lang: str) -> str:
    """The latest result with its unit, or the no-data text."""
    ind = row.indicator
    return format_quantity(row.actual, ind.unit(lang), lang, ind.decimals)


def target_text(row: TargetRow, lang: str) -> str:
    ind = row.indicator
    return format_quantity(row.target, ind.unit(lang), lang, ind.decimals)


def gap_text(row: TargetRow, lang: str) -> str:
    """The signed gap (result minus target); says why when there is none."""
    if row.status == PERIODS_DIFFER:
        return gettext(lang, "not compared (periods differ)")
    if row.status == PERIOD_UNCLEAR:
        return gettext(lang, "not compared (period unclear)")
    if row.status == NOT_COMPARABLE:
        return gettext(lang, "not compared (defined differently)")
    if row.gap is None:
        return "–"
    ind = row.indicator
    return format_gap(row.gap, ind.unit(lang), lang, ind.decimals)


def flags(row: TargetRow, lang: str) -> list[str]:
    """Warnings a reader must see beside the result: estimate, uncertain source."""
    out = []
    if row.is_estimate:
        out.append(pgettext(lang, "overview", "estimate"))
    if row.actual_uncertain:
        out.append(gettext(lang, "uncertain"))
    if row.crosses_reform:
        out.append(gettext(lang, "derived across the 2025 reform"))
    return out


def target_heading(rows: list[TargetRow], lang: str) -> str:
    """'Chỉ tiêu 2025' / '2025 target': the plan year of the rows."""
    year = rows[0].target_period if rows else TARGET_YEAR
    return gettext(lang, "{year} target").format(year=year)


def notes(row: TargetRow, lang: str = "vi", remarks: tuple[Remark, ...] = ()) -> str:
    """The source notes of result and target, then the report remarks on the indicator (reason first)."""
    found = [row.reason] if row.reason is not None else []
    found += [r for r in remarks_for(remarks, row.indicator.id, "inconsistency", "context") if r not in found]
    return " · ".join([n for n in (row.actual_note, row.target_note) if n] + [r.cited(lang) for r in found])


def status_badge(status: str, lang: str) -> str:
    symbol, style = BADGE_STYLES[status]
    return (f'<span class="badge status-{status}" style="{style}">'
            f'{symbol} {html.escape(status_label(status, lang))}</span>')


def targets_frame(rows: list[TargetRow], lang: str, remarks: tuple[Remark, ...] = ()) -> pd.DataFrame:
    """One line per target, grouped in report order: for the download and for tests."""
    records = []
    for category, group in group_by_heading(rows):
        for row in group:
            records.append({
                gettext(lang, "Heading"): heading_label(category, lang),
                gettext(lang, "Indicator"): row.indicator.name(lang),
                gettext(lang, "Latest result"): result_text(row, lang),
                gettext(lang, "Period"): "" if row.actual_period is None else format_period(row.actual_period, lang),
                gettext(lang, "Compared with"): pairing_label(row, lang),
                gettext(lang, "Flags"): ", ".join(flags(row, lang)),
                target_heading(rows, lang): target_text(row, lang),
                gettext(lang, "Gap"): gap_text(row, lang),
                gettext(lang, "Direction"): direction_label(row.indicator.higher_is_better, lang),
                gettext(lang, "Status"): status_label(row.status, lang),
                gettext(lang, "Notes"): notes(row, lang, remarks),
            })
    return pd.DataFrame.from_records(records)


def targets_html(rows: list[TargetRow], lang: str, remarks: tuple[Remark, ...] = ()) -> str:
    """An HTML table for one heading's rows, with status badges and estimate flags."""
    head = [gettext(lang, "Indicator"), gettext(lang, "Latest result"),
            target_heading(rows, lang), gettext(lang, "Gap"),
            gettext(lang, "Direction"), gettext(lang, "Status")]
    lines = [_TABLE_CSS, '<table class="targets"><colgroup>',
             "".join(f'<col style="width:{w}%">' for w in COLUMN_WIDTHS), "</colgroup><thead><tr>",
             "".join(f"<th>{html.escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        result = html.escape(result_text(row, lang))
        if row.actual_period is not None:
            result += f' <span class="note pairing-{row.pairing}">({html.escape(pairing_label(row, lang))})</span>'
        result += "".join(f'<span class="flag">{html.escape(f)}</span>' for f in flags(row, lang))
        note = notes(row, lang, remarks)
        name = html.escape(row.indicator.name(lang))
        if note:
            name += f'<br><span class="note">{html.escape(note)}</span>'
        lines.append(
            f'<tr data-indicator="{row.indicator.id}"><td>{name}</td><td class="num">{result}</td>'
            f'<td class="num">{html.escape(target_text(row, lang))}</td>'
            f'<td class="num">{html.escape(gap_text(row, lang))}</td>'
            f"<td>{html.escape(direction_label(row.indicator.higher_is_better, lang))}</td>"
            f"<td>{status_badge(row.status, lang)}</td></tr>"
        )
    lines.append("</tbody></table>")
    return "".join(lines)


def status_legend_html(lang: str, present: set[str]) -> str:
    """What each badge means, in one line; 'no direction' only when some row has it."""
    meanings = {
        ON_TRACK: gettext(lang, "the 2024 result (mostly an estimate) already reaches the 2025 target level in the "
                                "direction that counts"),
        BEHIND: gettext(lang, "the 2024 result is below the 2025 target level (one year against the next, not "
                              "progress)"),
        NO_DATA: gettext(lang, "the report gives no result"),
        PERIODS_DIFFER: gettext(lang, "the result covers part of a year; not compared with a full-year target"),
        PERIOD_UNCLEAR: gettext(lang, "the report does not say which period the result covers; not judged"),
        NOT_COMPARABLE: gettext(lang, "the result and the target are defined differently (see the note)"),
        NO_DIRECTION: gettext(lang, "the catalogue sets no direction: only the gap is shown"),
    }
    optional = (NO_DIRECTION, PERIOD_UNCLEAR, NOT_COMPARABLE)
    shown = [s for s in meanings if s not in optional or s in present]
    return _TABLE_CSS + " &nbsp; ".join(f"{status_badge(s, lang)} {html.escape(meanings[s])}" for s in shown)

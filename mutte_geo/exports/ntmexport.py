"""The NTM commune × criterion grid on paper (PNG/PDF, landscape) and as XLSX, with its legal source."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from mutte_geo.analysis.ntm import Tracker, grid_table, shares_table
from mutte_geo.core.i18n import format_date, gettext
from mutte_geo.maps.printmap import RC, figure_bytes
from mutte_geo.maps.printoptions import MM, PrintOptions, nfc
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.ntm import MET, NOT_MET

CELL_COLOURS = {MET: "#1a9850", NOT_MET: "#d73027", None: "#f0f0f0"}
CELL_MARKS = {MET: "Đ", NOT_MET: "✗", None: ""}


def grid_notes(tracker: Tracker, atlas: Atlas, lang: str, options: PrintOptions | None = None) -> list[str]:
    criteria_set = tracker.criteria_set
    options = options or PrintOptions()
    return [
        gettext(lang, "Criteria set: {title} ({decision}, signed {signed}).").format(
            title=criteria_set.title(lang), decision=criteria_set.decision, signed=criteria_set.signed),
        gettext(lang, "Legal source: {source}").format(source=criteria_set.source),
        gettext(lang, "Assessment year {year}; empty cell: not assessed (not the same as not met).").format(
            year=tracker.year),
        *[gettext(lang, "Assessment source: ") + s for s in sorted(set(tracker.details["source"]))],
        *atlas.attribution(criteria_set.vintage),
        gettext(lang, "Exported on: ") + format_date(options.export_date, lang),
    ]


def grid_xlsx(tracker: Tracker, atlas: Atlas, lang: str) -> bytes:
    """The grid on the first sheet, the share meeting each criterion on the second, sources in 'notes'."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        grid_table(tracker, atlas, lang).to_excel(writer, sheet_name=gettext(lang, "grid"),
                                                  index=False)
        shares_table(tracker, lang).to_excel(writer, sheet_name=gettext(lang, "shares"), index=False)
        pd.DataFrame({"notes": grid_notes(tracker, atlas, lang)}).to_excel(writer, sheet_name="notes", index=False)
    return buffer.getvalue()


def grid_figure(tracker: Tracker, atlas: Atlas, lang: str, options: PrintOptions | None = None) -> Figure:
    """One landscape page: communes as rows, criteria as columns, cells coloured met / not met / not assessed."""
    options = options or PrintOptions(orientation="landscape")
    width_mm, height_mm = options.size_mm
    criteria_set = tracker.criteria_set
    units = atlas.units[criteria_set.vintage]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width_mm * MM, height_mm * MM), dpi=options.dpi)
        title = options.title or gettext(lang, "New-rural-area criteria met in {year}").format(year=tracker.year)
        fig.text(12 / width_mm, 1 - 12 / height_mm, nfc(title), ha="left", va="top", fontsize=14, fontweight="bold")
        fig.text(12 / width_mm, 1 - 20 / height_mm, nfc(options.subtitle or criteria_set.short(lang)), ha="left",
                 va="top", fontsize=9, color="#333333")
        ax = fig.add_axes((12 / width_mm, 40 / height_mm, 1 - 24 / width_mm, 1 - 70 / height_mm))
        ax.set_axis_off()
        header = [gettext(lang, "Commune"), *[str(c.number) for c in criteria_set.criteria],
                  gettext(lang, "Met")]
        cells, colours = [], []
        for code in tracker.grid.index:
            statuses = [tracker.grid.loc[code, c.number] for c in criteria_set.criteria]
            statuses = [s if s in (MET, NOT_MET) else None for s in statuses]
            cells.append([nfc(units[code].name_vi), *[CELL_MARKS[s] for s in statuses],
                          f"{int(tracker.met[code])}/{criteria_set.size}"])
            colours.append(["#ffffff", *[CELL_COLOURS[s] for s in statuses], "#ffffff"])
        name_width = 0.16
        other = (1 - name_width - 0.07) / criteria_set.size
        table = ax.table(cellText=cells, cellColours=colours, colLabels=header, loc="upper left", cellLoc="center",
                         colWidths=[name_width, *[other] * criteria_set.size, 0.07])
        table.auto_set_font_size(False)
        table.set_fontsize(8)
        table.scale(1, 1.4)
        for (r, c), cell in table.get_celld().items():
            cell.set_linewidth(0.3)
            if r == 0:
                cell.set_facecolor("#e8edf2")
                cell.get_text().set_fontweight("bold")
            elif 0 < c <= criteria_set.size:
                cell.get_text().set_color("#ffffff")
        key = "   ".join(f"{mark or '□'} {label}" for mark, label in (
            ("Đ", gettext(lang, "met")), ("✗", gettext(lang, "not met")),
            ("", gettext(lang, "not assessed"))))
        legend_line = gettext(lang, "Criteria: ") + "; ".join(c.label(lang) for c in criteria_set.criteria)
        footer = [key, legend_line, *grid_notes(tracker, atlas, lang, options)]
        fig.text(12 / width_mm, 10 / height_mm, "\n".join(nfc(line) for line in footer), ha="left", va="bottom",
                 fontsize=5.6, linespacing=1.4, wrap=True)
    return fig


def grid_bytes(fmt: str, tracker: Tracker, atlas: Atlas, lang: str, options: PrintOptions | None = None) -> bytes:
    """The grid as 'png', 'pdf' or 'xlsx'."""
    if fmt == "xlsx":
        return grid_xlsx(tracker, atlas, lang)
    options = options or PrintOptions(orientation="landscape")
    return figure_bytes(grid_figure(tracker, atlas, lang, options), fmt, options.dpi)

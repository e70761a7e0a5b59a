"""The commune atlas: one A4 page per commune (locator, its values with periods and sources, its
targets, its NTM result and gaps when assessed), all communes of a boundary vintage in one PDF with a
cover and a contents page."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib_scalebar.scalebar import ScaleBar

from mutte_geo.analysis.ntm import Tracker, card_lines
from mutte_geo.analysis.profile import area_text, successor_label, unit_summary
from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import format_date, format_period, gettext, kind_label
from mutte_geo.exports.access import atlas_for
from mutte_geo.exports.narrative import units_noun
from mutte_geo.exports.pdfpage import MARGIN_MM, Page
from mutte_geo.maps.printmap import FONT, RC, fit_extent
from mutte_geo.maps.printoptions import nfc
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.boundaries import DISTRICT_LAEA
from mutte_geo.model.indicators import period_sort_key
from mutte_geo.model.join import value_text
from mutte_geo.model.units import VINTAGES
from mutte_geo.storage.auth import User

HIGHLIGHT = "#E69F00"  # the profile page's locator colour
COLUMNS_MM = [52.0, 36.0, 30.0, 62.0]  # indicator, value, period and kind, source: 180 mm


def commune_atlas_pdf(atlas: Atlas, vintage: int, lang: str, *, user: User | None,
                      codes: list[str] | None = None, export_date: dt.date | None = None,
                      ntm: Tracker | None = None) -> bytes:
    """Every unit of ``vintage`` (cover and contents first), or only ``codes`` (their pages alone).
    ``ntm``: the NTM grid whose result and gaps each assessed commune's page shows."""
    if vintage not in VINTAGES:
        raise ExportError(f"unknown boundary vintage {vintage}: choose one of {', '.join(map(str, VINTAGES))}")
    units = atlas.units[vintage]
    unknown = [c for c in codes or [] if c not in units]
    if unknown:
        raise ExportError(f"unknown unit codes in vintage {vintage}: {', '.join(unknown)}")
    atlas = atlas_for(atlas, user)
    day = export_date or dt.date.today()
    builder = _Atlas(atlas, vintage, lang, day, ntm)
    chosen = codes or sorted(units)
    unit_pages = {code: builder.unit_pages(code) for code in chosen}
    pages = []
    if codes is None:
        first = 3  # cover, contents
        starts = {}
        for code, own in unit_pages.items():
            starts[code] = first
            first += len(own)
        pages += [builder.cover(), builder.contents(starts)]
    pages += [p for own in unit_pages.values() for p in own]
    buffer = io.BytesIO()
    title = gettext(lang, "Mường Tè commune atlas")
    with matplotlib.rc_context(RC), PdfPages(buffer, metadata={"Title": title, "Creator": title}) as pdf:
        for number, page in enumerate(pages, start=1):
            page.footer(builder.footer_lines(), number)
            pdf.savefig(page.fig)
    return buffer.getvalue()


class _Atlas:
    def __init__(self, atlas: Atlas, vintage: int, lang: str, day: dt.date, ntm: Tracker | None = None) -> None:
        self.atlas, self.vintage, self.lang, self.day = atlas, vintage, lang, day
        self.ntm = ntm if ntm is not None and ntm.criteria_set.vintage == vintage else None
        self.units = atlas.units[vintage]
        self.layer = atlas.web_layer(vintage).to_crs(DISTRICT_LAEA)
        values = atlas.values
        self.values = values[(values["vintage"] == vintage) & values["indicator"].isin(list(atlas.catalogue))]
        self.order = {ident: i for i, ident in enumerate(atlas.catalogue)}

    def footer_lines(self) -> list[str]:
        return [*self.atlas.attribution(self.vintage),
                gettext(self.lang, "Exported on: ") + format_date(self.day, self.lang)
                + gettext(self.lang, " · Mường Tè commune atlas · * uncertain value (weak source)")]

    # --- cover and contents
    def cover(self) -> Page:
        page = Page()
        page.y = 40
        page.text(gettext(self.lang, "MƯỜNG TÈ COMMUNE ATLAS"), 24, bold=True, align="center")
        noun = units_noun(self.atlas, self.vintage, self.lang)
        page.text(gettext(self.lang, "A profile of every commune-level unit – {vintage} boundaries ({n_units} "
                                     "{noun})").format(
                      vintage=self.vintage, n_units=len(self.units), noun=noun), 12, align="center", gap=8)
        place = gettext(self.lang, "Mường Tè district, Lai Châu province") if self.vintage < 2025 \
            else gettext(self.lang, "Communes of the former Mường Tè district, Lai Châu province")
        page.text(place, 11, align="center", gap=6)
        ax = page.axes(MARGIN_MM + 10, page.width - 20, 150)
        self.draw_district(ax, None, label_size=7.5)
        page.y += 156
        page.text(gettext(self.lang, "Made on {day} from the values stored in the Mường Tè commune atlas. "
                                     "Each page gives every value with its period, kind and source; a missing "
                                     "value is never written as 0.").format(
                      day=format_date(self.day, self.lang)), 9, align="center")
        return page

    def contents(self, starts: dict[str, int]) -> Page:
        page = Page()
        page.text(gettext(self.lang, "CONTENTS"), 16, bold=True, gap=6)
        for number, (code, first) in enumerate(starts.items(), start=1):
            unit = self.units[code]
            y = page.y
            page.text(f"{number}. {unit.label(self.lang)} ({code})", 11, gap=0)
            page.y = y
            page.text(f"{first}", 11, align="right", gap=3)
        return page

    # --- one unit
    def unit_pages(self, code: str) -> list[Page]:
        lang = self.lang
        summary = unit_summary(self.atlas, self.vintage, code, lang)
        page = Page()
        page.text(summary.label, 18, bold=True, gap=1)
        page.text(gettext(self.lang, "Code {code} · {vintage} boundaries").format(code=code, vintage=self.vintage),
                  9.5, color="#333333", gap=3)
        page.rule()
        top = page.y
        ax = page.axes(MARGIN_MM, 66, 66)
        self.draw_district(ax, code, label_size=5.2)
        page.y = top
        facts = [(gettext(self.lang, "Type"), summary.type_label),
                 (gettext(self.lang, "Area (from the boundary)"),
                  area_text(summary.area_km2, lang))]
        if summary.successor:
            facts.append((successor_label(lang), summary.successor))
        if summary.predecessors:
            facts.append((gettext(self.lang, "Formed from (2024 units)"), summary.predecessors))
        rows = self.values[self.values["unit_code"] == code]
        present = rows["indicator"].nunique()
        facts.append((gettext(self.lang, "Indicators with values"),
                      f"{present}/{len(self.atlas.catalogue)}"))
        x = MARGIN_MM + 74
        for label, value in facts:
            page.text(label, 8, x=x, color="#555555", gap=0.3)
            page.text(value, 10, x=x, bold=True, gap=2.5)
        page.y = max(page.y, top + 69)
        self.ntm_card(page, code)
        actual = rows[rows["kind"] != "target"]
        targets = rows[rows["kind"] == "target"]
        pages = [page]
        pages = self.section(pages, gettext(self.lang, "Values of the unit"), self.table_rows(actual),
                             gettext(self.lang, "No values for this unit yet."),
                             summary.label)
        if not targets.empty:
            pages = self.section(pages, gettext(self.lang, "Targets of the unit"),
                                 self.table_rows(targets), "", summary.label)
        return pages

    def ntm_card(self, page: Page, code: str) -> None:
        """The commune's NTM result of the grid's year, its gaps and what is not assessed (when assessed)."""
        ntm = self.ntm
        if ntm is None or code not in ntm.grid.index or not ntm.assessed[code]:
            return
        lines = card_lines(ntm, code, self.lang)
        page.text(gettext(self.lang, "New rural area (NTM)"), 11.5, bold=True, gap=2)
        for line in lines:
            page.text(line, 9, gap=1)
        page.y += 2

    def table_rows(self, rows: pd.DataFrame) -> list[list[str]]:
        ordered = rows.assign(_i=rows["indicator"].map(self.order), _p=rows["period"].map(period_sort_key))
        ordered = ordered.sort_values(["_i", "_p"], ascending=[True, False])
        out = []
        for _, row in ordered.iterrows():
            indicator = self.atlas.catalogue[row["indicator"]]
            mark = " *" if row["status"] == "UNCERTAIN" else ""
            out.append([indicator.name(self.lang), value_text(indicator, row, self.lang) + mark,
                        f"{format_period(row['period'], self.lang)} · {kind_label(row['kind'], self.lang)}",
                        unquote(str(row["source"]))])  # a URL with its Vietnamese letters, not %C3%A0
        return out

    def section(self, pages: list[Page], title: str, rows: list[list[str]], empty: str, unit: str) -> list[Page]:
        header = [gettext(self.lang, "Indicator"), gettext(self.lang, "Value"), gettext(self.lang, "Period · kind"),
                  gettext(self.lang, "Source")]
        page = pages[-1]
        page.text(title, 11.5, bold=True, gap=2)
        if not rows:
            page.text(empty, 9)
            return pages
        fresh = False  # a page that holds nothing but the section's title
        while rows:
            drawn = page.table(header, rows, COLUMNS_MM)
            if drawn == 0 and fresh:
                raise ExportError(f"a value of {title} is too long for one page")
            rows = rows[drawn:]
            if rows:
                fresh = True
                page = Page()
                page.text(f"{unit} – {title}" + gettext(self.lang, " (continued)"), 11.5, bold=True, gap=2)
                pages.append(page)
        return pages

    def draw_district(self, ax: Axes, code: str | None, *, label_size: float) -> None:
        layer = self.layer
        chosen = layer["code"] == code
        layer[~chosen].plot(ax=ax, facecolor="#fdf6e3" if code is None else "#ffffff", edgecolor="#7a7a7a",
                            linewidth=0.5)
        if code is not None:
            layer[chosen].plot(ax=ax, facecolor=HIGHLIGHT, edgecolor="#000000", linewidth=1.4)
        fit_extent(ax, layer.total_bounds, pad=0.04)
        for row in layer.itertuples():
            point = row.geometry.representative_point()
            is_chosen = row.code == code
            ax.text(point.x, point.y, nfc(self.units[row.code].name_vi), ha="center", va="center",
                    fontsize=label_size * (1.25 if is_chosen else 1), fontweight="bold" if is_chosen else "normal",
                    color="#111111" if is_chosen or code is None else "#555555")
        ax.add_artist(ScaleBar(1, units="m", location="lower left", length_fraction=0.3, box_alpha=0.8,
                               font_properties={"family": FONT, "size": 6.5},
                               scale_formatter=lambda value, unit: f"{value} {unit}"))
        ax.set_axis_off()

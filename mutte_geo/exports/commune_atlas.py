"""The commune atlas: one A4 page per commune (locator, its values with periods and sources, its
targets), all communes of a boundary vintage in one PDF with a cover and a contents page."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib_scalebar.scalebar import ScaleBar

from mutte_geo.analysis.profile import area_text, successor_label, unit_summary
from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import format_date, format_period, kind_label, tr
from mutte_geo.exports.access import atlas_for
from mutte_geo.exports.narrative import units_noun
from mutte_geo.exports.pdfpage import MARGIN_MM, Page
from mutte_geo.maps.printmap import FONT, RC, fit_extent, nfc
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.boundaries import DISTRICT_LAEA
from mutte_geo.model.indicators import period_sort_key
from mutte_geo.model.join import value_text
from mutte_geo.model.units import VINTAGES
from mutte_geo.storage.auth import User

HIGHLIGHT = "#E69F00"  # the profile page's locator colour
COLUMNS_MM = [52.0, 36.0, 30.0, 62.0]  # indicator, value, period and kind, source: 180 mm


def commune_atlas_pdf(atlas: Atlas, vintage: int, lang: str, *, user: User | None,
                      codes: list[str] | None = None, export_date: dt.date | None = None) -> bytes:
    """Every unit of ``vintage`` (cover and contents first), or only ``codes`` (their pages alone)."""
    if vintage not in VINTAGES:
        raise ExportError(f"unknown boundary vintage {vintage}: choose one of {', '.join(map(str, VINTAGES))}")
    units = atlas.units[vintage]
    unknown = [c for c in codes or [] if c not in units]
    if unknown:
        raise ExportError(f"unknown unit codes in vintage {vintage}: {', '.join(unknown)}")
    atlas = atlas_for(atlas, user)
    day = export_date or dt.date.today()
    builder = _Atlas(atlas, vintage, lang, day)
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
    title = tr(lang, "Atlas xã Mường Tè", "Mường Tè commune atlas")
    with matplotlib.rc_context(RC), PdfPages(buffer, metadata={"Title": title, "Creator": title}) as pdf:
        for number, page in enumerate(pages, start=1):
            page.footer(builder.footer_lines(), number)
            pdf.savefig(page.fig)
    return buffer.getvalue()


class _Atlas:
    def __init__(self, atlas: Atlas, vintage: int, lang: str, day: dt.date) -> None:
        self.atlas, self.vintage, self.lang, self.day = atlas, vintage, lang, day
        self.units = atlas.units[vintage]
        self.layer = atlas.web_layer(vintage).to_crs(DISTRICT_LAEA)
        values = atlas.values
        self.values = values[(values["vintage"] == vintage) & values["indicator"].isin(list(atlas.catalogue))]
        self.order = {ident: i for i, ident in enumerate(atlas.catalogue)}

    def t(self, vi: str, en: str) -> str:
        return tr(self.lang, vi, en)

    def footer_lines(self) -> list[str]:
        return [*self.atlas.attribution(self.vintage),
                self.t("Ngày xuất: ", "Exported on: ") + format_date(self.day, self.lang)
                + self.t(" · Atlas xã Mường Tè · * số liệu chưa chắc chắn (nguồn yếu)",
                         " · Mường Tè commune atlas · * uncertain value (weak source)")]

    # --- cover and contents
    def cover(self) -> Page:
        page = Page()
        page.y = 40
        page.text(self.t("ATLAS XÃ MƯỜNG TÈ", "MƯỜNG TÈ COMMUNE ATLAS"), 24, bold=True, align="center")
        noun = units_noun(self.atlas, self.vintage, self.lang)
        page.text(self.t(f"Hồ sơ từng đơn vị hành chính cấp xã – ranh giới năm {self.vintage} "
                         f"({len(self.units)} {noun})",
                         f"A profile of every commune-level unit – {self.vintage} boundaries "
                         f"({len(self.units)} {noun})"), 12, align="center", gap=8)
        place = self.t("Huyện Mường Tè, tỉnh Lai Châu", "Mường Tè district, Lai Châu province") if self.vintage < 2025 \
            else self.t("Các xã trên địa bàn huyện Mường Tè cũ, tỉnh Lai Châu",
                        "Communes of the former Mường Tè district, Lai Châu province")
        page.text(place, 11, align="center", gap=6)
        ax = page.axes(MARGIN_MM + 10, page.width - 20, 150)
        self.draw_district(ax, None, label_size=7.5)
        page.y += 156
        page.text(self.t(f"Lập ngày {format_date(self.day, self.lang)} từ số liệu lưu trong Atlas xã Mường Tè. "
                         "Mỗi trang ghi giá trị, kỳ, loại và nguồn của từng số liệu; chỉ tiêu chưa có số liệu không "
                         "được ghi thay bằng số 0.",
                         f"Made on {format_date(self.day, self.lang)} from the values stored in the Mường Tè commune "
                         "atlas. Each page gives every value with its period, kind and source; a missing value is "
                         "never written as 0."), 9, align="center")
        return page

    def contents(self, starts: dict[str, int]) -> Page:
        page = Page()
        page.text(self.t("MỤC LỤC", "CONTENTS"), 16, bold=True, gap=6)
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
        page.text(self.t(f"Mã {code} · ranh giới năm {self.vintage}", f"Code {code} · {self.vintage} boundaries"),
                  9.5, color="#333333", gap=3)
        page.rule()
        top = page.y
        ax = page.axes(MARGIN_MM, 66, 66)
        self.draw_district(ax, code, label_size=5.2)
        page.y = top
        facts = [(self.t("Loại đơn vị", "Type"), summary.type_label),
                 (self.t("Diện tích (tính từ ranh giới)", "Area (from the boundary)"),
                  area_text(summary.area_km2, lang))]
        if summary.successor:
            facts.append((successor_label(lang), summary.successor))
        if summary.predecessors:
            facts.append((self.t("Hình thành từ (đơn vị 2024)", "Formed from (2024 units)"), summary.predecessors))
        rows = self.values[self.values["unit_code"] == code]
        present = rows["indicator"].nunique()
        facts.append((self.t("Chỉ tiêu có số liệu", "Indicators with values"),
                      f"{present}/{len(self.atlas.catalogue)}"))
        x = MARGIN_MM + 74
        for label, value in facts:
            page.text(label, 8, x=x, color="#555555", gap=0.3)
            page.text(value, 10, x=x, bold=True, gap=2.5)
        page.y = max(page.y, top + 69)
        actual = rows[rows["kind"] != "target"]
        targets = rows[rows["kind"] == "target"]
        pages = [page]
        pages = self.section(pages, self.t("Số liệu của đơn vị", "Values of the unit"), self.table_rows(actual),
                             self.t("Chưa có số liệu nào của đơn vị này.", "No values for this unit yet."),
                             summary.label)
        if not targets.empty:
            pages = self.section(pages, self.t("Chỉ tiêu kế hoạch của đơn vị", "Targets of the unit"),
                                 self.table_rows(targets), "", summary.label)
        return pages

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
        header = [self.t("Chỉ tiêu", "Indicator"), self.t("Giá trị", "Value"), self.t("Kỳ · loại", "Period · kind"),
                  self.t("Nguồn", "Source")]
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
                page.text(f"{unit} – {title}" + self.t(" (tiếp theo)", " (continued)"), 11.5, bold=True, gap=2)
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

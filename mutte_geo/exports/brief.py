"""The leaders' one-page brief: the overview's counters, the attention map and the largest gaps to
the 2025 targets, on one printable A4 page (PDF)."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.patches import FancyBboxPatch

from mutte_geo.analysis.overview import BADGE_STYLES, gap_text, result_text, target_text
from mutte_geo.analysis.targets import BEHIND, STATUS_LABELS, TargetRow, atlas_targets, status_counts, status_label
from mutte_geo.core.i18n import N_, format_date, format_period, gettext
from mutte_geo.exports.access import atlas_for
from mutte_geo.exports.pdfpage import A4_MM, MARGIN_MM, Page
from mutte_geo.maps.attentionmap import ATTENTION_LAYERS, ATTENTION_VINTAGE, attention_layer_ids, flagged_units
from mutte_geo.maps.printmap import FONT, RC, fit_extent
from mutte_geo.maps.printoptions import nfc
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.boundaries import DISTRICT_LAEA
from mutte_geo.storage.auth import User

GAP_ROWS = 8
SOURCE = N_("Source: Mường Tè district People's Committee, 2025 socio-economic plan orientation report "
            "(6/2024): results from section I.2.1, targets from section II.3.")


def largest_gaps(rows: list[TargetRow], count: int = GAP_ROWS) -> list[TargetRow]:
    """The targets still behind, the largest gap relative to its target first (a gap of 4 points on a
    target of 10 before a gap of 40 tonnes on 17,860)."""
    behind = [r for r in rows if r.status == BEHIND and r.gap is not None]
    return sorted(behind, key=lambda r: abs(r.gap or 0) / max(abs(r.target), 1e-9), reverse=True)[:count]


def brief_pdf(atlas: Atlas, lang: str, *, user: User | None, export_date: dt.date | None = None) -> bytes:
    """The brief as a one-page PDF; only what ``user`` may see."""
    atlas = atlas_for(atlas, user)
    day = export_date or dt.date.today()
    rows = atlas_targets(atlas)
    page = Page()
    page.text(gettext(lang, "LEADERS' BRIEF: THE 2025 TARGETS"), 16, bold=True,
              gap=1)
    page.text(gettext(lang, "Mường Tè district, Lai Châu province · values stored in the Mường Tè commune "
                            "atlas on {day}").format(day=format_date(day, lang)), 9, color="#333333", gap=1)
    page.text(gettext(lang, SOURCE), 7.5, color="#555555", gap=3)
    page.rule()
    _counters(page, rows, lang)
    page.y += 5  # room for the map's title
    top = page.y
    ax = page.axes(MARGIN_MM, 110, 112)
    shown = attention_layer_ids(atlas.catalogue, include_sensitive=True)  # atlas_for has dropped what user may not see
    _attention(ax, atlas, lang, shown)
    page.y = top
    x = MARGIN_MM + 114
    page.text(gettext(lang, "Communes named in the report"), 10, x=x, bold=True, gap=2)
    units = atlas.units[ATTENTION_VINTAGE]
    for ident in shown:
        style = ATTENTION_LAYERS[ident]
        codes = flagged_units(atlas, ident)
        y = page.y
        page.fig.text(x / A4_MM[0], 1 - y / A4_MM[1], style.symbol, color=style.color, fontsize=10, va="top",
                      fontweight="bold")
        page.text(f"{style.short(lang)} ({len(codes)})", 8.5, x=x + 5, bold=True, gap=0.5)
        page.text(", ".join(units[c].name_vi for c in codes) or gettext(lang, "none"), 8, x=x + 5, gap=2.5)
    page.text(gettext(lang, "The report (6/2024) names the 2024 units."), 7, x=x, color="#555555")
    page.y = max(page.y, top + 116)
    gaps = largest_gaps(rows)
    page.text(gettext(lang, "Targets furthest from their 2025 level ({n_gaps})").format(
                  n_gaps=len(gaps)), 11, bold=True, gap=2)
    if gaps:
        header = [gettext(lang, "Indicator"), gettext(lang, "Latest result"),
                  gettext(lang, "2025 target"), gettext(lang, "Gap")]
        body = [[r.indicator.name(lang),
                 f"{result_text(r, lang)} ({format_period(r.actual_period or '', lang)})",
                 target_text(r, lang), gap_text(r, lang)] for r in gaps]
        page.table(header, body, [78, 40, 32, 30], size=8)
        page.text(gettext(lang, "Ordered by the gap relative to the target. Gap = latest result "
                                "minus target; between two rates in percentage points."), 7, color="#555555")
    else:
        page.text(gettext(lang, "No target is behind."), 9)
    page.footer([*atlas.attribution(ATTENTION_VINTAGE),
                 gettext(lang, "Exported on: ") + format_date(day, lang)
                 + gettext(lang, " · Mường Tè commune atlas")], None)
    buffer = io.BytesIO()
    title = gettext(lang, "2025 targets brief")
    with matplotlib.rc_context(RC), PdfPages(buffer, metadata={"Title": title, "Creator": "Atlas xã Mường Tè"}) as pdf:
        pdf.savefig(page.fig)
    return buffer.getvalue()


def _counters(page: Page, rows: list[TargetRow], lang: str) -> None:
    counts = status_counts(rows)
    shown = [s for s in STATUS_LABELS if counts[s] or s in ("on_track", "behind", "periods_differ", "no_data")]
    width = (page.width - 3 * (len(shown) - 1)) / len(shown)
    height = 20.0
    for i, status in enumerate(shown):
        x = MARGIN_MM + i * (width + 3)
        symbol, css = BADGE_STYLES[status]
        color = _css_color(css)
        box = FancyBboxPatch((x / A4_MM[0], 1 - (page.y + height) / A4_MM[1]), width / A4_MM[0], height / A4_MM[1],
                             boxstyle="round,pad=0,rounding_size=0.01", transform=page.fig.transFigure,
                             facecolor="white", edgecolor=color, linewidth=1.4)
        page.fig.add_artist(box)
        page.fig.text((x + 3) / A4_MM[0], 1 - (page.y + 2.5) / A4_MM[1], nfc(f"{symbol} {status_label(status, lang)}"),
                      fontsize=7.8, color=color, fontweight="bold", va="top")
        page.fig.text((x + 3) / A4_MM[0], 1 - (page.y + 9) / A4_MM[1], f"{counts[status]}/{len(rows)}",
                      fontsize=17, fontweight="bold", va="top", color="#111111")
    page.y += height + 5


def _css_color(css: str) -> str:
    """The badge's own colour: its text colour on white badges, else its background."""
    parts = dict(p.split(":", 1) for p in css.split(";"))
    return parts["color"] if parts["background"] in ("#fff", "#ffffff") else parts["background"]


def _attention(ax: Axes, atlas: Atlas, lang: str, shown: list[str]) -> None:
    layer = atlas.web_layer(ATTENTION_VINTAGE).to_crs(DISTRICT_LAEA)
    units = atlas.units[ATTENTION_VINTAGE]
    layer.plot(ax=ax, facecolor="#ffffff", edgecolor="#6b6b6b", linewidth=0.6)
    fit_extent(ax, layer.total_bounds, pad=0.05)
    flagged = {i: set(flagged_units(atlas, i)) for i in shown}
    for row in layer.itertuples():
        point = row.geometry.representative_point()
        marks = [ATTENTION_LAYERS[i] for i in shown if row.code in flagged[i]]
        ax.text(point.x, point.y, nfc(units[row.code].name_vi), ha="center", va="top", fontsize=6.2,
                color="#222222")
        for k, style in enumerate(marks):
            ax.annotate(style.symbol, (point.x, point.y), xytext=(-5 * (len(marks) - 1) + 10 * k, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=9, color=style.color,
                        fontweight="bold", fontfamily=FONT)
    ax.set_axis_off()
    ax.set_title(gettext(lang, "Communes for attention (2024 boundaries)"),
                 fontsize=8.5, loc="left")

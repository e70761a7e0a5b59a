"""Split view: one indicator on two maps side by side (two periods, result against target, or the two
boundary vintages) with ONE classification, one legend and synchronised pan and zoom.

The classes are computed over the values of both sides together (``maps.pooled``), or fixed by the
user's manual breaks, so the same colour means the same value on both maps.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, replace

import folium
import numpy as np

from mutte_geo.core.i18n import format_period, gettext, kind_label, pgettext
from mutte_geo.maps.classify import NO_DATA_EDGE
from mutte_geo.maps.legend import LegendEntry, legend_title
from mutte_geo.maps.pooled import pooled_classification
from mutte_geo.maps.view import MapRequest, MapView, joined_layer, view_legend
from mutte_geo.maps.webmap import MapScript, choropleth_map
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST, UNDATED

SHARED_NOTE = ("Hai bản đồ dùng chung một cách phân lớp: cùng màu là cùng giá trị.",
               "Both maps share one classification: the same colour means the same value.")


@dataclass(frozen=True)
class SplitView:
    """Two map views of one indicator whose classes were computed together."""

    requests: tuple[MapRequest, MapRequest]
    sides: tuple[MapView, MapView]

    @property
    def indicator_id(self) -> str:
        return self.requests[0].indicator_id


def split_view(atlas: Atlas, left: MapRequest, right: MapRequest) -> SplitView:
    """Both sides joined and classed on one scale; the scheme, classes and manual breaks are ``left``'s."""
    if left.indicator_id != right.indicator_id:
        raise ValueError("a split view shows one indicator on both sides")
    indicator = atlas.catalogue[left.indicator_id]
    layers = [joined_layer(atlas, r) for r in (left, right)]
    column = "number" if indicator.is_numeric else "value"
    classes = pooled_classification(
        [joined.set_index("code")[column] for joined, _ in layers], indicator, scheme=left.scheme, k=left.k,
        manual_breaks=left.manual_breaks)
    views = []
    for (joined, outside), classification in zip(layers, classes):
        legend = view_legend(classification, indicator, joined, left.lang)
        notes = [*classification.notes, SHARED_NOTE, *outside]
        views.append(MapView(joined, replace(classification, notes=notes), legend))
    return SplitView((left, right), (views[0], views[1]))


def period_text(period: str, lang: str) -> str:
    return gettext(lang, "latest of each unit") if period == LATEST \
        else format_period(period, lang)


def side_note(request: MapRequest, lang: str) -> str:
    """What one side shows: period, kind of value and boundaries, e.g. '2019 · thực hiện, ước thực hiện · …'."""
    kinds = ", ".join(kind_label(k, lang) for k in request.kinds)
    bounds = pgettext(lang, "split", "2024 boundaries (14 units)") if request.vintage < 2025 \
        else gettext(lang, "2025 boundaries (new communes)")
    return f"{period_text(request.period, lang)} · {kinds} · {bounds}"


def side_heading(request: MapRequest, other: MapRequest, lang: str) -> str:
    """A short heading naming what differs between the sides (period, kind or vintage)."""
    parts = []
    if request.period != other.period:
        parts.append(period_text(request.period, lang))
    if request.kinds != other.kinds:
        parts.append(gettext(lang, "Target") if request.kinds == ("target",)
                     else gettext(lang, "Result"))
    if request.vintage != other.vintage or not parts:
        parts.append(gettext(lang, "{vintage} boundaries").format(vintage=request.vintage))
    return " · ".join(parts)


def split_title(atlas: Atlas, split: SplitView, lang: str) -> str:
    """The indicator and both sides, e.g. 'Dân số (người): 2019 | 2025'."""
    left, right = split.requests
    return (f"{legend_title(atlas.catalogue[split.indicator_id], lang)}: "
            f"{side_heading(left, right, lang)} | {side_heading(right, left, lang)}")


def split_legend_entries(split: SplitView) -> list[tuple[LegendEntry, int, int]]:
    """Each class of the shared legend with its count on the left and on the right map."""
    left, right = split.sides
    return [(a, a.count, b.count) for a, b in zip(left.legend, right.legend, strict=True)]


def split_legend_html(atlas: Atlas, split: SplitView, lang: str) -> str:
    """The one legend of both maps: class, colour and the number of units on each side."""
    left, right = split.requests
    names = [side_heading(left, right, lang), side_heading(right, left, lang)]
    rows = []
    for entry, n_left, n_right in split_legend_entries(split):
        style = f"background:{entry.color};" + (f"border:1.5px dashed {NO_DATA_EDGE};" if entry.no_data else "")
        rows.append(
            f'<div class="legend-row" data-no-data="{str(entry.no_data).lower()}" style="white-space:nowrap">'
            f'<span class="legend-swatch" style="display:inline-block;width:18px;height:12px;margin-right:6px;'
            f'vertical-align:middle;{style}"></span><span class="legend-label">{html.escape(entry.label)}</span>'
            f'<span class="legend-counts" style="color:#555"> ({html.escape(names[0])}: {n_left} · '
            f'{html.escape(names[1])}: {n_right})</span></div>')
    notes = split_note(split, lang)
    title = legend_title(atlas.catalogue[split.indicator_id], lang)
    return ('<div class="atlas-legend split-legend" style="background:#fff;padding:8px 10px;border:1px solid #ccc;'
            'border-radius:4px;font:13px/1.6 sans-serif">'
            f'<div style="font-weight:600;margin-bottom:2px">{html.escape(title)}</div>'
            '<div style="display:flex;flex-wrap:wrap;column-gap:18px">' + "".join(rows) + "</div>"
            f'<div style="margin-top:4px;color:#7a4b00">{html.escape(notes)}</div></div>')


def split_note(split: SplitView, lang: str) -> str:
    """The notes of both sides once each: shared classes, communes reaching outside, uncertain values."""
    notes = dict.fromkeys(n for view in split.sides for n in view.classification.notes)
    text = " ".join(vi if lang == "vi" else en for vi, en in notes)
    if any(view.joined["uncertain"].any() for view in split.sides):
        text += gettext(lang, " * uncertain value (weak source).")
    return text


def sync_js(group: str, bounds: np.ndarray) -> str:
    """Keep every map of ``group`` at the same centre and zoom (synchronised pan/zoom).

    Each map lives in its own streamlit-folium iframe, all served from the app's origin, so a map
    finds its peers through ``window.parent.frames`` (``window.atlasMap`` is set by ``webmap.base_map``).
    A moved map sets its peers' view without animation; the ``atlasSyncing`` flag stops the echo.
    Every map first fits the extent of both sides (``bounds``: minx, miny, maxx, maxy), so they start alike.
    """
    fit = [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]
    return (
        f"var group = {json.dumps(group)}; window.atlasSyncGroup = group;"
        "function peers() { var found = [];"
        " try { var frames = window.parent.frames;"
        "  for (var i = 0; i < frames.length; i++) {"
        "   try { var w = frames[i];"
        "    if (w !== window && w.atlasSyncGroup === group && w.atlasMap) { found.push(w); } } catch (e) {} }"
        " } catch (e) {} return found; }"
        "setTimeout(function() {"
        f" map.fitBounds({json.dumps(fit)}, {{padding: [8, 8]}});"
        " map.on('moveend', function() {"
        "  if (window.atlasSyncing) { return; }"
        "  var c = map.getCenter(), z = map.getZoom();"
        "  peers().forEach(function(w) { w.atlasSyncing = true;"
        "   try { w.atlasMap.setView([c.lat, c.lng], z, {animate: false}); } finally { w.atlasSyncing = false; } });"
        " }); }, 120);"
    )


def side_note_html(heading: str, note: str) -> str:
    """The small box on each map that names what it shows (the full ``note`` on hover)."""
    return ('<div class="atlas-legend side-note" style="background:rgba(255,255,255,.93);padding:4px 8px;'
            'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:600 12px/1.45 sans-serif" '
            f'title="{html.escape(note)}">{html.escape(heading)}</div>')


def split_maps(atlas: Atlas, split: SplitView, *, group: str,
               highlights: tuple[set[str] | None, set[str] | None] = (None, None)) -> tuple[folium.Map, folium.Map]:
    """The two Leaflet maps of a split view, each noting what it shows, synchronised within ``group``."""
    left, right = split.requests
    lang = left.lang
    boxes = [view.joined.total_bounds for view in split.sides]
    bounds = np.array([min(b[0] for b in boxes), min(b[1] for b in boxes),
                       max(b[2] for b in boxes), max(b[3] for b in boxes)])
    maps = []
    for request, other, view, highlight in zip((left, right), (right, left), split.sides, highlights):
        note = side_note_html(side_heading(request, other, lang), side_note(request, lang))
        fmap = choropleth_map(view.joined, view.classification, legend=note,
                              attribution=atlas.attribution(request.vintage), lang=lang, highlight=highlight)
        fmap.add_child(MapScript(sync_js(group, bounds)))
        maps.append(fmap)
    return maps[0], maps[1]


def dated_periods(periods: list[str]) -> list[str]:
    """The named periods of a ``period_choices`` list, oldest first (no ``latest``).

    >>> dated_periods(["latest", "2025", "2019", "n.d."])
    ['n.d.', '2019', '2025']
    """
    return [p for p in reversed(periods) if p != LATEST]


def default_pair(periods: list[str]) -> tuple[str, str]:
    """The oldest and newest dated periods (undated values last resort), to open a comparison with.

    >>> default_pair(["latest", "2025", "2019", "n.d."])
    ('2019', '2025')
    >>> default_pair(["latest", "2025"])
    ('2025', '2025')
    """
    named = dated_periods(periods)
    dated = [p for p in named if p != UNDATED] or named
    return dated[0], dated[-1]

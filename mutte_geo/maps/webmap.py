"""The interactive choropleth (Folium/Leaflet), with every asset served by the app itself.

The map comes in two parts so that Streamlit reruns stay cheap: a *base* map that holds the
geometry (identical from one indicator to the next, so streamlit-folium keeps the same map alive)
and a small *style* layer (colours, tooltip texts, legend, labels) that is all that changes when
the user picks another indicator. The geometry can be inlined in the page or served once as a
static file (``geometry_url``) that the browser fetches and caches.
"""

from __future__ import annotations

import hashlib
import html
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

from mutte_geo.core.i18n import gettext
from mutte_geo.core.paths import STATIC_DIR
from mutte_geo.maps.classify import NO_DATA_EDGE, NO_DATA_FILL, Classification
from mutte_geo.maps.legend import LegendEntry

# Streamlit serves ``static/`` at /app/static (server.enableStaticServing); setup fills vendor/.
LEAFLET_JS = "/app/static/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.css"
# Leaflet guesses its marker images from leaflet.css; in streamlit-folium's frame the guess can run
# before the CSS applies and then drops the "/" (…/leafletmarker-icon.png). Name the folder instead:
# images/ beside the linked leaflet.css (a standalone export inlines the CSS and has no such link).
ICON_PATH_JS = ("var lc = document.querySelector('link[href$=\"leaflet.css\"]');"
                " if (lc) { L.Icon.Default.imagePath = lc.href.replace(/leaflet\\.css$/, 'images/'); }")
GEOMETRY_DIR = STATIC_DIR / "cache"
GEOMETRY_URL = "/app/static/cache"
PLAIN_BACKGROUND = "#eef1f4"
UNIT_LABEL_CSS = (
    "font: 600 11px/1.2 'Noto Sans','DejaVu Sans',Arial,sans-serif; color:#1b1b1b; white-space:nowrap;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff; transform:translate(-50%,-50%);"
    "pointer-events:none;"
)
MAP_CSS = (
    ".leaflet-control-attribution{font-size:10px!important;line-height:1.3;max-width:70%;"
    "white-space:normal;background:rgba(255,255,255,.85)!important}"
    ".atlas-attribution summary,.atlas-legend summary{cursor:pointer}"
    ".atlas-attribution[open]{max-width:420px}.atlas-attribution summary{display:inline}"
    ".atlas-legend summary{font-weight:600;margin-bottom:4px;list-style-position:outside}"
    f".unit-label{{{UNIT_LABEL_CSS}}}"
    ".atlas-tooltip{font:12px/1.4 sans-serif;white-space:normal;width:max-content;max-width:min(300px,70vw)}"
    ".atlas-tooltip th{text-align:left;padding-right:6px;vertical-align:top}"
    ".atlas-tooltip td{overflow-wrap:anywhere}"
)
CANVAS_FROM = 500  # features: from this many, Leaflet draws on one canvas instead of SVG paths
LABELS_UP_TO = 200  # features: above this, no name labels (they would cover the map)
DECIMALS = 5  # coordinate decimals sent to the browser (about 1 m)


class MapScript(MacroElement):
    """A snippet of JavaScript run against the parent map (available as ``map``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) { {{ this.code }} })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, code: str):
        super().__init__()
        self._name = "AtlasScript"
        self.code = code


class _GlobalScript(MacroElement):
    """A snippet of JavaScript that reaches the map through ``window.atlasMap`` (works in a feature group)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) { {{ this.code }} })(window.atlasMap);
        {% endmacro %}
    """)

    def __init__(self, code: str):
        super().__init__()
        self._name = "AtlasStyle"
        self.code = code


def js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that is safe inside a <script> element."""
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


def control_js(inner_html: str, *, position: str, css_class: str) -> str:
    """JavaScript that adds a Leaflet control ``c`` holding ``inner_html`` to ``map``."""
    return (
        f"var c = L.control({{position: {position!r}}});"
        f"c.onAdd = function() {{ var e = L.DomUtil.create('div', {css_class!r});"
        f" e.innerHTML = {js_string(inner_html)}; L.DomEvent.disableClickPropagation(e); return e; }};"
        "c.addTo(map);"
    )


def attribution_html(attribution: list[str], lang: str) -> str:
    """A one-line attribution that expands to every line: it never covers the units."""
    short = gettext(lang, "Reference boundaries: sapnhap.bando.com.vn")
    lines = "".join(f"<div>{html.escape(line)}</div>" for line in attribution)
    return (f'<details class="atlas-attribution"><summary>{html.escape(short)} '
            f'<span aria-hidden="true">ⓘ</span></summary>{lines}</details>')


# Fits the district into the part of the map that the controls (legend, attribution, scale, zoom)
# leave free: each corner's controls are avoided either sideways or up/down, whichever of the 16
# choices gives the largest zoom. Called again whenever a control is opened or closed.
FIT_JS = """
window.atlasFit = function() {
  var c = map.getContainer();
  function box(sel) { var e = c.querySelector(sel); return e ? e.getBoundingClientRect() : {width: 0, height: 0}; }
  var corners = [box('.leaflet-top.leaflet-left'), box('.leaflet-top.leaflet-right'),
                 box('.leaflet-bottom.leaflet-left'), box('.leaflet-bottom.leaflet-right')];
  var bounds = L.latLngBounds(window.atlasBounds), best = null;
  map.invalidateSize();
  for (var m = 0; m < 16; m++) {
    var p = {l: 6, r: 6, t: 6, b: 6};
    corners.forEach(function(k, i) {
      var side = (m >> i) & 1, left = i % 2 === 0, top = i < 2;
      if (side) { if (left) { p.l = Math.max(p.l, k.width + 6); } else { p.r = Math.max(p.r, k.width + 6); } }
      else { if (top) { p.t = Math.max(p.t, k.height + 6); } else { p.b = Math.max(p.b, k.height + 6); } }
    });
    if (p.l + p.r >= c.clientWidth - 40 || p.t + p.b >= c.clientHeight - 40) { continue; }
    var zoom = map.getBoundsZoom(bounds, false, L.point(p.l + p.r, p.t + p.b));
    if (isFinite(zoom) && (best === null || zoom > best.zoom)) { best = {zoom: zoom, p: p}; }
  }
  if (best === null) { if (c.clientWidth > 0 && c.clientHeight > 0) { map.fitBounds(bounds); } return; }
  map.fitBounds(bounds, {paddingTopLeft: [best.p.l, best.p.t], paddingBottomRight: [best.p.r, best.p.b]});
};
map.getContainer().addEventListener('toggle', function() { window.atlasFit(); }, true);
"""


def offline_map(bounds: np.ndarray, *, attribution: list[str], css: str = MAP_CSS,
                prefer_canvas: bool = False, lang: str = "vi") -> folium.Map:
    """A tile-less Leaflet map whose JS/CSS the app serves itself, on a plain background, with the
    boundary ``attribution`` (one line that expands), a metric scale bar and extra ``css``, fitted to
    ``bounds`` (minx, miny, maxx, maxy) inside the space the controls leave free."""
    fmap = folium.Map(tiles=None, control_scale=False, zoom_snap=0.25, prefer_canvas=prefer_canvas)
    fmap.default_js = [("leaflet", LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    fit = [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]
    fmap.fit_bounds(fit)
    fmap.add_child(MapScript(
        ICON_PATH_JS +
        f"map.getContainer().style.background = {PLAIN_BACKGROUND!r};"
        f"var s = document.createElement('style'); s.textContent = {js_string(css)};"
        "document.head.appendChild(s);"
        "L.control.scale({metric: true, imperial: false}).addTo(map);"
        f"map.attributionControl.addAttribution({js_string(attribution_html(attribution, lang))});"
        f"window.atlasBounds = {json.dumps(fit)};" + FIT_JS +
        # the frame gets its final size after Leaflet starts: fit again then
        "setTimeout(window.atlasFit, 50);"
    ))
    return fmap


def legend_html(title: str, entries: list[LegendEntry], note: str = "", direction: str = "") -> str:
    """The legend as a collapsible box (open on a wide map, closed on a phone); ``direction`` says
    which way is better ("Đậm hơn = cao hơn · ↑ tốt hơn")."""
    rows = []
    for e in entries:
        style = f"background:{e.color};"
        if e.no_data:
            style += f"border:1.5px dashed {NO_DATA_EDGE};"
        rows.append(
            f'<div class="legend-row" data-no-data="{str(e.no_data).lower()}">'
            f'<span class="legend-swatch" style="display:inline-block;width:18px;height:12px;'
            f'margin-right:6px;vertical-align:middle;{style}"></span>'
            f'<span class="legend-label">{html.escape(e.label)}</span>'
            f'<span style="color:#666"> ({e.count})</span></div>'
        )
    direction_html = f'<div class="legend-direction" style="color:#333;margin-bottom:3px">{html.escape(direction)}' \
        "</div>" if direction else ""
    note_html = f'<div style="margin-top:4px;color:#7a4b00;max-width:230px">{html.escape(note)}</div>' if note else ""
    return (
        '<details open class="atlas-legend" style="background:rgba(255,255,255,.93);padding:6px 9px;'
        'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.45 sans-serif;max-width:240px">'
        f'<summary>{html.escape(title)}</summary>'
        + direction_html + "".join(rows) + note_html + "</details>"
    )


# ---------------------------------------------------------------- geometry, built once per layer

_GEOMETRY_CACHE: dict[tuple[object, ...], tuple[list[object], str]] = {}
_GEOMETRY_CACHE_SIZE = 8


def encode_polyline(xy: np.ndarray, decimals: int = DECIMALS) -> str:
    """One ring in the Encoded Polyline Algorithm Format (lat, lng pairs; ``decimals`` precision).

    >>> encode_polyline(np.array([[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]]))
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    """
    ints = np.round(xy[:, ::-1] * 10**decimals).astype(np.int64).ravel()
    pairs = np.diff(ints.reshape(-1, 2), axis=0, prepend=0).ravel()
    values = np.where(pairs < 0, ~(pairs << 1), pairs << 1)
    chunks = [(values >> (5 * i)) & 0x1F for i in range(8)]
    more = [values >= (1 << (5 * (i + 1))) for i in range(8)]
    codes = np.stack([c | np.where(m, 0x20, 0) for c, m in zip(chunks, more)], axis=1) + 63
    keep = np.stack([np.ones_like(more[0])] + more[:-1], axis=1)
    return codes[keep].astype(np.uint8).tobytes().decode("ascii")


def _rings(geom: shapely.Geometry, decimals: int) -> list[list[str]]:
    polygons = shapely.get_parts(geom)
    return [[encode_polyline(shapely.get_coordinates(ring), decimals)
             for ring in [p.exterior, *p.interiors]] for p in polygons]


def geometry_json(joined: gpd.GeoDataFrame, *, decimals: int = DECIMALS, encoded: bool = True) -> str:
    """The layer for the browser: ``code``, ``label`` and geometry, coordinates rounded to ``decimals``.

    ``encoded``: each polygon's rings as encoded polylines (delta-encoded integers, a fifth to a quarter
    of GeoJSON's size; decoded in the browser by ``DECODE_JS``); otherwise a GeoJSON FeatureCollection.
    Cached by the identity of the (immutable) shapely geometries, which ``join_indicator``
    passes through from the cached web layer, so a rerun with another indicator reuses it.
    """
    geoms = list(joined.geometry.values)
    key = (decimals, encoded, tuple(joined["code"]), tuple(joined["label"]), tuple(map(id, geoms)))
    hit = _GEOMETRY_CACHE.get(key)
    if hit is not None:
        return hit[1]
    if encoded:
        features = [{"code": c, "label": lab, "rings": _rings(g, decimals)}
                    for c, lab, g in zip(joined["code"], joined["label"], geoms)]
        text = json.dumps({"precision": decimals, "features": features}, ensure_ascii=False,
                          separators=(",", ":"))
    else:
        rounded = shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, decimals))
        text = '{"type":"FeatureCollection","features":[' + ",".join(
            '{"type":"Feature","properties":' + json.dumps({"code": c, "label": lab}, ensure_ascii=False)
            + ',"geometry":' + g + "}"
            for c, lab, g in zip(joined["code"], joined["label"], shapely.to_geojson(rounded))) + "]}"
    if len(_GEOMETRY_CACHE) >= _GEOMETRY_CACHE_SIZE:
        _GEOMETRY_CACHE.pop(next(iter(_GEOMETRY_CACHE)))
    _GEOMETRY_CACHE[key] = (geoms, text)  # holding the geometries keeps their ids unique
    return text


# Turns the encoded layer back into GeoJSON features in the browser.
DECODE_JS = """
function atlasDecode(d) {
  if (d.type === 'FeatureCollection') { return d; }
  var f = Math.pow(10, -d.precision);
  function ring(s) {
    var out = [], i = 0, lat = 0, lng = 0;
    while (i < s.length) {
      var v = [0, 0];
      for (var k = 0; k < 2; k++) {
        var b, shift = 0, r = 0;
        do { b = s.charCodeAt(i++) - 63; r |= (b & 0x1f) << shift; shift += 5; } while (b >= 0x20);
        v[k] = (r & 1) ? ~(r >> 1) : (r >> 1);
      }
      lat += v[0]; lng += v[1]; out.push([lng * f, lat * f]);
    }
    return out;
  }
  return {type: 'FeatureCollection', features: d.features.map(function(x) {
    var polys = x.rings.map(function(p) { return p.map(ring); });
    return {type: 'Feature', properties: {code: x.code, label: x.label},
            geometry: polys.length === 1 ? {type: 'Polygon', coordinates: polys[0]}
                                         : {type: 'MultiPolygon', coordinates: polys}};
  })};
}
"""


def geometry_url(joined: gpd.GeoDataFrame, *, decimals: int = DECIMALS, directory: Path | None = None) -> str:
    """Write the encoded layer once under ``static/cache/<hash>.json`` and return its URL.

    The name is the content hash, so a browser may cache it for good and a changed layer
    gets a new name.
    """
    text = geometry_json(joined, decimals=decimals)
    directory = directory or GEOMETRY_DIR
    name = hashlib.sha256(text.encode()).hexdigest()[:20] + ".json"
    path = directory / name
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=directory, suffix=".tmp", delete=False) as tmp:
            tmp.write(text)  # sessions may race: each writes its own file, then an atomic rename
        Path(tmp.name).replace(path)
    return f"{GEOMETRY_URL}/{name}"


# ---------------------------------------------------------------- the two parts of a map


@dataclass
class MapParts:
    """``base``: map and geometry (stable across indicators); ``styles``: what an indicator changes."""

    base: folium.Map
    styles: folium.FeatureGroup

    def combined(self) -> folium.Map:
        """One self-contained map (base with the style layer added)."""
        self.styles.add_to(self.base)
        return self.base


def base_map(
    joined: gpd.GeoDataFrame,
    *,
    attribution: list[str],
    lang: str = "vi",
    url: str | None = None,
    decimals: int = DECIMALS,
) -> folium.Map:
    """The map with the geometry layer, unstyled until a style layer arrives.

    With ``url`` the browser fetches the geometry (once, cacheable); otherwise it is inlined.
    """
    fmap = offline_map(joined.total_bounds, attribution=attribution, prefer_canvas=len(joined) >= CANVAS_FROM,
                       lang=lang)
    data = f"fetch({js_string(url)}).then(function(r) {{ return r.json(); }})" if url else (
        f"Promise.resolve({geometry_json(joined, decimals=decimals, encoded=False)})")
    fmap.add_child(MapScript(
        DECODE_JS + "window.atlasMap = map; window.atlasData = null;"
        "var pending = {color: '#888888', weight: 1, fillColor: '#ffffff', fillOpacity: 0};"
        "var layer = L.geoJSON(null, {style: function() { return pending; }}).addTo(map);"
        "layer.bindTooltip(function(l) { return window.atlasTooltip ? window.atlasTooltip(l) : ''; },"
        # 'auto' (Leaflet's default, kept explicit): towards the map's centre, so a tap near an edge stays on screen
        " {sticky: true, direction: 'auto', className: 'atlas-tooltip', opacity: 0.95});"
        # ... and a tooltip wider than the room on that side (a phone) is shifted back inside the map
        "function keepTipInside() { var t = layer.getTooltip(), el = t && t.getElement();"
        " if (!el || !map.hasLayer(t)) { return; } el.style.marginLeft = '';"
        " var box = el.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect(), shift = 0;"
        " if (box.left < frame.left + 4) { shift = frame.left + 4 - box.left; }"
        " else if (box.right > frame.right - 4) {"
        "   shift = Math.max(frame.right - 4 - box.right, frame.left + 4 - box.left); }"
        " if (shift) { el.style.marginLeft = (parseFloat(getComputedStyle(el).marginLeft) || 0) + shift + 'px'; } }"
        "layer.on('tooltipopen mouseover mousemove', keepTipInside);"
        "layer.on('mouseover', function(e) { e.layer.setStyle({weight: 3, color: '#000000'}); });"
        "layer.on('mouseout', function(e) { layer.resetStyle(e.layer); });"
        "window.atlasLayer = layer;"
        f"window.atlasReady = {data}.then(function(d) {{ layer.addData(atlasDecode(d)); return layer; }});"
    ))
    return fmap


def _labels_js(joined: gpd.GeoDataFrame) -> str:
    """Name labels as data and one loop, not a folium marker per unit (each costs a template compile
    on every rerun); the look of ``.unit-label`` is in MAP_CSS, sent once with the base map. Labels are
    ``units.map_label`` (town and commune of one name never look alike), starred when uncertain."""
    labels = []
    if len(joined) <= LABELS_UP_TO:
        points = shapely.point_on_surface(joined.geometry.to_numpy())
        for point, name, uncertain in zip(points, joined["map_label"], joined["uncertain"]):
            labels.append([round(point.y, 5), round(point.x, 5), f"{name} *" if uncertain else str(name)])
    data = json.dumps(labels, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return (
        "if (window.atlasLabels) { map.removeLayer(window.atlasLabels); }"
        f"window.atlasLabels = L.layerGroup({data}.map(function(l) {{"
        " return L.marker([l[0], l[1]], {interactive: false, keyboard: false, icon: L.divIcon({"
        " className: 'unit-label-icon', iconSize: [0, 0],"
        " html: '<div class=\"unit-label\">' + esc(l[2]) + '</div>'})});"
        " })).addTo(map);"
    )


def style_layer(
    joined: gpd.GeoDataFrame,
    classification: Classification,
    *,
    legend: str,
    lang: str,
    highlight: set[str] | None = None,
    focus: str | None = None,
) -> folium.FeatureGroup:
    """Colours, tooltip texts, legend and labels for one indicator, applied to the base layer.

    Styles are sent as a short list of distinct styles plus one index per unit. The ``focus`` unit
    (the selected one) gets a black outline and the map zooms to it; its fill keeps its class colour.
    """
    styles: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    sources: list[str] = []
    source_ix: dict[str, int] = {}
    units: dict[str, list[object]] = {}
    for code, value, period, source in zip(joined["code"], joined["value_text"], joined["period_text"],
                                           joined["source"]):
        fill = classification.color_of(code)
        faded = highlight is not None and code not in highlight
        style = {
            "fillColor": fill or NO_DATA_FILL,
            "fillOpacity": 0.25 if faded else (0.85 if fill else 0.6),
            "color": NO_DATA_EDGE if fill is None else "#333333",
            "weight": 3 if (highlight is not None and not faded) else 1,
            "dashArray": "4 4" if fill is None else None,
        }
        if code == focus:
            style.update(color="#000000", weight=4, dashArray=None)
        skey = json.dumps(style, sort_keys=True)
        if skey not in seen:
            seen[skey] = len(styles)
            styles.append(style)
        if source not in source_ix:
            source_ix[source] = len(sources)
            sources.append(source)
        units[code] = [seen[skey], value, period, source_ix[source]]
    aliases = [gettext(lang, "Unit"), gettext(lang, "Code"), gettext(lang, "Value"),
               gettext(lang, "Period"), gettext(lang, "Source")]
    fields = ["label", "code", "value_text", "period_text", "source"]  # tooltip rows, in this order
    compact = {"units": units, "sources": sources, "aliases": aliases, "fields": fields}
    payload = ('{"styles": ' + json.dumps(styles) + "," + json.dumps(compact, ensure_ascii=False,
               separators=(",", ":"))[1:]).replace("</", "<\\/")
    group = folium.FeatureGroup(name="atlas-style", control=False)
    group.add_child(_GlobalScript(
        f"var d = {payload}; window.atlasData = d;"
        "function esc(t) { return String(t).replace(/[&<>\"]/g, function(c) {"
        " return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '\"': '&quot;'}[c]; }); }"
        "window.atlasTooltip = function(l) { var p = l.feature.properties, u = window.atlasData.units[p.code];"
        " var v = [p.label, p.code, u[1], u[2], window.atlasData.sources[u[3]]];"
        " var a = window.atlasData.aliases, rows = '';"
        " for (var i = 0; i < v.length; i++) {"
        "  rows += '<tr><th>' + esc(a[i]) + '</th><td>' + esc(v[i]) + '</td></tr>'; }"
        " return '<table>' + rows + '</table>'; };"
        "window.atlasReady.then(function(layer) {"
        " layer.options.style = function(f) { var u = d.units[f.properties.code];"
        "  return u ? d.styles[u[0]] : {fillOpacity: 0, weight: 0}; };"
        " layer.setStyle(layer.options.style);"
        f" var focus = {js_string(focus or '')};"
        " layer.eachLayer(function(l) { if (focus && l.feature.properties.code === focus) {"
        "  l.bringToFront(); map.fitBounds(l.getBounds(), {padding: [24, 24]}); } });"
        " if (!focus && window.atlasFocused) { map.fitBounds(layer.getBounds(), {padding: [8, 8]}); }"
        " window.atlasFocused = !!focus; });"
        "if (window.atlasLegend) { map.removeControl(window.atlasLegend); }"
        + control_js(legend, position="topright", css_class="atlas-legend-control") + "window.atlasLegend = c;"
        # a phone-sized map starts with the legend closed; then the district is fitted around it
        "var lg = c.getContainer().querySelector('details');"
        "if (lg && map.getContainer().clientWidth < 520) { lg.open = false; }"
        "if (window.atlasFit && !window.atlasFitted) { window.atlasFitted = true; setTimeout(window.atlasFit, 0); }"
        + _labels_js(joined)
    ))
    return group


def map_parts(
    joined: gpd.GeoDataFrame,
    classification: Classification,
    *,
    legend: str,
    attribution: list[str],
    lang: str,
    highlight: set[str] | None = None,
    focus: str | None = None,
    serve_geometry: bool = False,
    decimals: int = DECIMALS,
) -> MapParts:
    """The two parts of the choropleth; with ``serve_geometry`` the geometry goes to a static file
    (inline if it cannot be written)."""
    url = None
    if serve_geometry:
        try:
            url = geometry_url(joined, decimals=decimals)
        except OSError:  # static/ not writable: the geometry goes inline instead
            url = None
    return MapParts(
        base_map(joined, attribution=attribution, lang=lang, url=url, decimals=decimals),
        style_layer(joined, classification, legend=legend, lang=lang, highlight=highlight, focus=focus),
    )


def choropleth_map(
    joined: gpd.GeoDataFrame,
    classification: Classification,
    *,
    legend: str,
    attribution: list[str],
    lang: str,
    highlight: set[str] | None = None,
) -> folium.Map:
    """A self-contained Leaflet map of ``joined`` (from ``join_indicator``) coloured by ``classification``.

    Units without data get the no-data style (grey, dashed outline). ``highlight``, when
    given, outlines those units strongly and fades the rest.
    """
    return map_parts(joined, classification, legend=legend, attribution=attribution, lang=lang,
                     highlight=highlight).combined()

"""The interactive choropleth (Folium/Leaflet), with every asset served by the app itself."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from .classify import NO_DATA_EDGE, NO_DATA_FILL, Classification
from .i18n import tr
from .legend import LegendEntry

# Streamlit serves ``static/`` at /app/static (server.enableStaticServing); setup fills vendor/.
LEAFLET_JS = "/app/static/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.css"
PLAIN_BACKGROUND = "#eef1f4"
MAP_CSS = (
    ".leaflet-control-attribution{font-size:10px!important;line-height:1.3;max-width:70%;"
    "white-space:normal;background:rgba(255,255,255,.85)!important}"
)
UNIT_LABEL_CSS = (
    "font: 600 11px/1.2 'Noto Sans','DejaVu Sans',Arial,sans-serif; color:#1b1b1b; white-space:nowrap;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff; transform:translate(-50%,-50%);"
    "pointer-events:none;"
)


class _Script(MacroElement):
    """A snippet of JavaScript run against the parent map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) { {{ this.code }} })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, code: str):
        super().__init__()
        self._name = "AtlasScript"
        self.code = code


def _control(position: str, css_class: str, inner_html: str) -> _Script:
    return _Script(
        f"var c = L.control({{position: {position!r}}});"
        f"c.onAdd = function() {{ var d = L.DomUtil.create('div', {css_class!r});"
        f" d.innerHTML = {_js_string(inner_html)}; L.DomEvent.disableClickPropagation(d); return d; }};"
        "c.addTo(map);"
    )


def _js_string(text: str) -> str:
    import json

    return json.dumps(text).replace("</", "<\\/")


def legend_html(title: str, entries: list[LegendEntry], note: str = "") -> str:
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
    note_html = f'<div style="margin-top:4px;color:#7a4b00;max-width:230px">{html.escape(note)}</div>' if note else ""
    return (
        '<div class="atlas-legend" style="background:rgba(255,255,255,.93);padding:8px 10px;'
        'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 sans-serif;max-width:260px">'
        f'<div style="font-weight:600;margin-bottom:4px">{html.escape(title)}</div>'
        + "".join(rows) + note_html + "</div>"
    )


def choropleth_map(
    joined: gpd.GeoDataFrame,
    classification: Classification,
    *,
    legend: str,
    attribution: list[str],
    lang: str,
    basemap: bool = False,
    highlight: set[str] | None = None,
) -> folium.Map:
    """A Leaflet map of ``joined`` (from ``join_indicator``) coloured by ``classification``.

    Units without data get the no-data style (grey, dashed outline). ``highlight``, when
    given, outlines those units strongly and fades the rest.
    """
    bounds = joined.total_bounds
    fmap = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, prefer_canvas=False)
    fmap.default_js = [("leaflet", LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    if basemap:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)

    fill_of = {code: classification.color_of(code) for code in joined["code"]}

    def style(feature: dict) -> dict:
        code = feature["properties"]["code"]
        fill = fill_of.get(code)
        faded = highlight is not None and code not in highlight
        return {
            "fillColor": fill or NO_DATA_FILL,
            "fillOpacity": 0.25 if faded else (0.85 if fill else 0.6),
            "color": NO_DATA_EDGE if fill is None else "#333333",
            "weight": 3 if (highlight is not None and not faded) else 1,
            "dashArray": "4 4" if fill is None else None,
        }

    fields = ["label", "code", "value_text", "period_text", "source"]
    aliases = [tr(lang, "Đơn vị", "Unit"), tr(lang, "Mã", "Code"), tr(lang, "Giá trị", "Value"),
               tr(lang, "Kỳ", "Period"), tr(lang, "Nguồn", "Source")]
    data = joined[[*fields, "geometry"]]
    folium.GeoJson(
        data.to_json(drop_id=True),
        name="choropleth",
        style_function=style,
        highlight_function=lambda _: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True,
                                      style="max-width:320px;white-space:normal;"),
    ).add_to(fmap)

    for _, row in joined.iterrows():
        point = row.geometry.representative_point()
        name = row["name"] if row["type_label"] in ("xã", "commune") else tr(lang, f"TT. {row['name']}",
                                                                               f"{row['name']} (town)")
        if row["uncertain"]:
            name += " *"
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f'<div class="unit-label" style="{UNIT_LABEL_CSS}">{html.escape(name)}</div>',
                                icon_size=(0, 0)),
            interactive=False,
            keyboard=False,
        ).add_to(fmap)

    fmap.add_child(_control("topright", "atlas-legend-control", legend))
    fit = f"[[{bounds[1]}, {bounds[0]}], [{bounds[3]}, {bounds[2]}]]"
    fmap.add_child(_Script(
        f"map.getContainer().style.background = {PLAIN_BACKGROUND!r};"
        f"var s = document.createElement('style'); s.textContent = {_js_string(MAP_CSS)};"
        "document.head.appendChild(s);"
        f"map.attributionControl.addAttribution({_js_string(html.escape(' · '.join(attribution)))});"
        f"setTimeout(function() {{ map.invalidateSize(); map.fitBounds({fit}, {{padding: [8, 8]}}); }}, 50);"
    ))
    return fmap

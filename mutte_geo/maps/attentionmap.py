"""Small overview maps: communes the report names for attention, and a one-unit locator.

Both use the app's own Leaflet copy (``webmap.LEAFLET_JS``), never a CDN.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd

from mutte_geo.core.i18n import gettext
from mutte_geo.maps.webmap import MAP_CSS, MapScript, control_js, offline_map
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.units import map_label

ATTENTION_VINTAGE = 2024  # the report (6/2024) names the 2024 units


@dataclass(frozen=True)
class AttentionStyle:
    color: str
    symbol: str
    dash: str | None
    short_vi: str
    short_en: str

    def short(self, lang: str) -> str:
        return self.short_vi if lang == "vi" else self.short_en


# Okabe–Ito colours; each layer also has its own symbol and outline so colour is never the only cue.
ATTENTION_LAYERS: dict[str, AttentionStyle] = {
    "security_hotspot": AttentionStyle("#D55E00", "▲", None, "An ninh trật tự phức tạp (ví dụ)",
                                      "Security hotspot (example)"),
    "attendance_priority": AttentionStyle("#0072B2", "●", None, "Trọng tâm chuyên cần (kế hoạch 2025)",
                                          "School-attendance priority (2025 plan)"),
    "ntm_candidate_2025": AttentionStyle("#009E73", "★", None, "Dự kiến đạt NTM (kế hoạch 2025)",
                                         "NTM candidate (2025 plan)"),
    "borders_china": AttentionStyle("#CC79A7", "▬", "6 4", "Giáp biên giới Trung Quốc", "Borders China"),
}
LAYER_CONTROL_CSS = ".leaflet-control-layers{font:12px/1.4 sans-serif!important;max-width:230px}"
BASE_STYLE = {"fillColor": "#ffffff", "fillOpacity": 0.6, "color": "#6b6b6b", "weight": 1}


def attention_layer_ids(catalogue: Catalogue, *, include_sensitive: bool) -> list[str]:
    """The attention layers a caller may show; sensitive ones only when allowed."""
    return [i for i in ATTENTION_LAYERS if i in catalogue and (include_sensitive or not catalogue[i].sensitive)]


def flagged_units(atlas: Atlas, indicator_id: str, vintage: int = ATTENTION_VINTAGE) -> list[str]:
    """Codes of the units named 'yes' in a yes/no list (a 2024 finding or a 2025 plan designation)."""
    values = atlas.values
    rows = values[(values["indicator"] == indicator_id) & (values["vintage"] == vintage)
                  & (values["value"] == "yes")]
    return sorted(set(rows["unit_code"]))


def _base_map(layer: gpd.GeoDataFrame, attribution: list[str], lang: str) -> folium.Map:
    return offline_map(layer.total_bounds, attribution=attribution, css=MAP_CSS + LAYER_CONTROL_CSS, lang=lang)


def _labelled_base(atlas: Atlas, vintage: int, lang: str, tooltips: dict[str, str]) -> folium.GeoJson:
    layer = atlas.web_layer(vintage)
    units = atlas.units[vintage]
    data = layer[["code", "geometry"]].copy()
    data["label"] = [units[c].label(lang) for c in data["code"]]
    data["lists"] = [tooltips.get(c, "") for c in data["code"]]
    return folium.GeoJson(
        data.to_json(drop_id=True), name=gettext(lang, "Commune boundaries"), control=False,
        style_function=lambda _: BASE_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["label", "code", "lists"],
                                      aliases=[gettext(lang, "Unit"), gettext(lang, "Code"),
                                               gettext(lang, "Named in")]),
    )


def attention_map(atlas: Atlas, lang: str, layers: Sequence[str], *,
                  vintage: int = ATTENTION_VINTAGE) -> folium.Map:
    """The district with one switchable layer per attention list in ``layers`` and a legend.

    The caller decides which layers to include (e.g. without sensitive ones for some roles).
    """
    boundary = atlas.web_layer(vintage)
    units = atlas.units[vintage]
    flagged = {i: flagged_units(atlas, i, vintage) for i in layers}
    tooltips: dict[str, list[str]] = {}
    for ind_id, codes in flagged.items():
        for code in codes:
            tooltips.setdefault(code, []).append(atlas.catalogue[ind_id].name(lang))
    fmap = _base_map(boundary, atlas.attribution(vintage), lang)
    _labelled_base(atlas, vintage, lang, {c: "; ".join(v) for c, v in tooltips.items()}).add_to(fmap)

    legend_rows = []
    for n, ind_id in enumerate(layers):
        style = ATTENTION_LAYERS[ind_id]
        name = atlas.catalogue[ind_id].name(lang)
        codes = flagged[ind_id]
        label = (f'<span style="color:{style.color};font-weight:700">{style.symbol}</span> '
                 f"{html.escape(style.short(lang))} ({len(codes)})")
        group = folium.FeatureGroup(name=label, show=True)
        shapes = boundary[boundary["code"].isin(codes)]
        if not shapes.empty:
            folium.GeoJson(
                shapes[["code", "geometry"]].to_json(drop_id=True),
                style_function=lambda _, s=style: {"fillColor": s.color, "fillOpacity": 0.18, "color": s.color,
                                                   "weight": 3, "dashArray": s.dash},
                interactive=False,
            ).add_to(group)
        for code in codes:
            point = shapes.loc[shapes["code"] == code].geometry.iloc[0].representative_point()
            folium.Marker(
                [point.y, point.x],
                icon=folium.DivIcon(
                    html=(f'<div class="attention-symbol" title="{html.escape(units[code].label(lang))}" '
                          f'style="color:{style.color};font:700 18px/1 sans-serif;'
                          f'text-shadow:0 0 3px #fff,0 0 3px #fff">{style.symbol}</div>'),
                    icon_size=(18, 18), icon_anchor=(9 - 16 * n + 24, 22)),
                tooltip=f"{units[code].label(lang)} – {name}",
            ).add_to(group)
        group.add_to(fmap)
        border = f"2px {'dashed' if style.dash else 'solid'} {style.color}"
        legend_rows.append(
            f'<div class="legend-row" title="{html.escape(name)}"><span style="display:inline-block;width:16px;'
            f'height:11px;margin-right:4px;vertical-align:middle;background:{style.color}2e;border:{border}"></span>'
            f'<span style="color:{style.color};font-weight:700;display:inline-block;width:16px">{style.symbol}</span>'
            f'{html.escape(style.short(lang))} <span style="color:#666">({len(codes)})</span></div>')
    for _, row in boundary.iterrows():
        point = row.geometry.representative_point()
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f'<div class="unit-label" style="font:600 10px/1.1 sans-serif;color:#222;'
                                     f'white-space:nowrap;transform:translate(-50%,0);text-shadow:0 0 3px #fff">'
                                     f"{html.escape(map_label(units[row['code']], units, lang))}</div>",
                                icon_size=(0, 0)),
            interactive=False,
        ).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    legend = ('<div class="attention-legend" style="background:rgba(255,255,255,.93);padding:6px 9px;border-radius:4px;'
              'box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 sans-serif;max-width:230px">'
              f'<div style="font-weight:600">{html.escape(gettext(lang, "Named in the report"))}'
              "</div>" + "".join(legend_rows)
              + f'<div style="color:#555;margin-top:3px">{html.escape(gettext(lang, "2024 boundaries"))}'
              "</div></div>")
    fmap.add_child(MapScript(control_js(legend, position="bottomleft", css_class="attention-legend-control")))
    return fmap


def locator_map(atlas: Atlas, vintage: int, code: str, lang: str) -> folium.Map:
    """The district with one unit highlighted."""
    boundary = atlas.web_layer(vintage)
    units = atlas.units[vintage]
    fmap = _base_map(boundary, atlas.attribution(vintage), lang)
    _labelled_base(atlas, vintage, lang, {}).add_to(fmap)
    chosen = boundary[boundary["code"] == code]
    folium.GeoJson(
        chosen[["code", "geometry"]].to_json(drop_id=True), name=units[code].label(lang), interactive=False,
        style_function=lambda _: {"fillColor": "#E69F00", "fillOpacity": 0.7, "color": "#000000", "weight": 3},
    ).add_to(fmap)
    return fmap

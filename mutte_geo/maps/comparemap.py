"""The 2024 – 2025 comparison: one indicator on both vintages, and a map of how the 14 units merged."""

from __future__ import annotations

import html

import folium
import pandas as pd

from mutte_geo.core.i18n import gettext
from mutte_geo.maps.classify import CATEGORY_COLORS
from mutte_geo.maps.split import SplitView, split_view
from mutte_geo.maps.view import MapRequest
from mutte_geo.maps.webmap import MAP_CSS, UNIT_LABEL_CSS, MapScript, control_js, offline_map
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.crosswalk import mark_reaching_outside
from mutte_geo.model.indicators import LATEST, period_sort_key
from mutte_geo.model.units import DISTRICT_CODE, map_label, parse_qualified_code, qualified_code

NEW_EDGE = "#1b1b1b"
OLD_EDGE = "#4a4a4a"


def compare_indicators(atlas: Atlas) -> list[str]:
    """Indicators with commune values in 2024 or 2025 (derived values count), in catalogue order."""
    v = atlas.values
    present = set(v.loc[v["unit_code"] != DISTRICT_CODE, "indicator"])
    return [i for i in atlas.catalogue if i in present]


def compare_periods(atlas: Atlas, indicator_id: str, kinds: tuple[str, ...]) -> list[str]:
    v = atlas.values
    rows = v[(v["indicator"] == indicator_id) & (v["unit_code"] != DISTRICT_CODE) & v["kind"].isin(kinds)]
    return [LATEST, *sorted(set(rows["period"]), key=period_sort_key, reverse=True)]


def compare_split(
    atlas: Atlas, indicator_id: str, *, lang: str, period: str, kinds: tuple[str, ...], scheme: str = "quantiles",
    k: int = 5,
    manual_breaks: tuple[float, ...] | None = None,
) -> SplitView:
    """The same indicator, period and kinds on both vintages, on ONE classification (split view)."""
    left, right = (MapRequest(indicator_id, v, period, kinds, lang, scheme, k, manual_breaks) for v in (2024, 2025))
    return split_view(atlas, left, right)


def selected_commune(atlas: Atlas, text: str | None) -> str | None:
    """The 2025 commune named by a URL value such as ``2025:03433``; a 2024 code maps to its successor.

    A bare code is ambiguous (codes were reused in 2025) and is ignored, like any unknown code.
    """
    if not text:
        return None
    try:
        vintage, code = parse_qualified_code(text)
    except ValueError:
        return None
    if vintage == 2024:
        return atlas.crosswalk.links.get(code)
    return code if code in atlas.units[2025] else None


def highlights(atlas: Atlas, commune: str | None) -> dict[int, set[str] | None]:
    """Units to outline on each vintage's map for a selected 2025 commune (None: no highlight)."""
    if commune is None:
        return {2024: None, 2025: None}
    return {2024: set(atlas.crosswalk.predecessors(commune)), 2025: {commune}}


def compare_table(atlas: Atlas, split: SplitView, lang: str) -> pd.DataFrame:
    """One row per 2024 unit: its value, the 2025 commune it joined and that commune's value.

    Codes are vintage-qualified (``2024:03433`` / ``2025:03433``) so the table can be exported safely.
    """
    crosswalk = atlas.crosswalk
    old = split.sides[0].joined.set_index("code")
    new = split.sides[1].joined.set_index("code")
    rows = []
    for code, successor in sorted(crosswalk.links.items(), key=lambda kv: (kv[1], kv[0])):
        rows.append({
            gettext(lang, "Code 2024"): qualified_code(2024, code),
            gettext(lang, "Unit 2024"): atlas.units[2024][code].label(lang),
            gettext(lang, "Value 2024"): old.loc[code, "value_text"],
            gettext(lang, "Period 2024"): old.loc[code, "period_text"],
            gettext(lang, "Code 2025"): qualified_code(2025, successor),
            gettext(lang, "Commune 2025"): new.loc[successor, "label"],
            gettext(lang, "Value 2025"): new.loc[successor, "value_text"],
            gettext(lang, "Period 2025"): new.loc[successor, "period_text"],
        })
    return pd.DataFrame.from_records(rows)


def _label(text: str, css: str) -> folium.DivIcon:
    return folium.DivIcon(html=f'<div class="{css}" style="{UNIT_LABEL_CSS}">{html.escape(text)}</div>',
                          icon_size=(0, 0))


def merge_legend_html(lang: str, notes: list[str]) -> str:
    """Legend of the merge map: what the thick and the dashed lines are."""
    new_line = f"border-top:3.5px solid {NEW_EDGE}"
    old_line = f"border-top:1.5px dashed {OLD_EDGE}"
    rows = [
        (new_line, gettext(lang, "Commune boundary from 1 Jul 2025 (8 communes)")),
        (old_line, gettext(lang, "Unit boundary until 30 Jun 2025 (14 units)")),
    ]
    body = "".join(
        f'<div class="legend-row"><span style="display:inline-block;width:26px;margin-right:6px;'
        f'vertical-align:middle;{style}"></span>{html.escape(text)}</div>' for style, text in rows)
    note_html = "".join(f'<div style="margin-top:4px;color:#7a4b00">{html.escape(n)}</div>' for n in notes)
    title = gettext(lang, "The 2025 reorganisation")
    return ('<div class="atlas-legend merge-legend" style="background:rgba(255,255,255,.93);padding:8px 10px;'
            'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 sans-serif;max-width:280px">'
            f'<div style="font-weight:600;margin-bottom:4px">{html.escape(title)}</div>{body}{note_html}</div>')


def merge_map(atlas: Atlas, lang: str, *, highlight: str | None = None) -> folium.Map:
    """Outlines of both vintages: 2025 communes thick and lightly filled, 2024 units thin and dashed.

    Every 2024 unit's tooltip names its 2025 commune with vintage-qualified codes; a commune reaching
    outside the former district is marked (``OUTSIDE_MARK``) and explained in the legend.
    """
    crosswalk = atlas.crosswalk
    new = atlas.web_layer(2025)[["code", "geometry"]].copy()
    new["name"] = [atlas.units[2025][c].name_vi for c in new["code"]]
    new["label"] = [atlas.units[2025][c].label(lang) for c in new["code"]]
    new, notes = mark_reaching_outside(new, crosswalk, atlas.units, lang)
    new["qcode"] = [qualified_code(2025, c) for c in new["code"]]
    new["formed_from"] = [", ".join(atlas.units[2024][p].label(lang) for p in crosswalk.predecessors(c))
                          for c in new["code"]]
    old = atlas.web_layer(2024)[["code", "geometry"]].copy()
    old["label"] = [atlas.units[2024][c].label(lang) for c in old["code"]]
    old["qcode"] = [qualified_code(2024, c) for c in old["code"]]
    old["became"] = [f"{atlas.units[2025][crosswalk.successor(c)].label(lang)} "
                     f"({qualified_code(2025, crosswalk.successor(c))})" for c in old["code"]]

    css = MAP_CSS + (".old-unit-label{font-style:italic;font-weight:400!important;font-size:10px!important;"
                     "color:#333!important}.new-commune-label{font-size:12px!important;letter-spacing:.04em}")
    fmap = offline_map(new.total_bounds, attribution=atlas.attribution(2024), css=css, lang=lang)
    fill = {c: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, c in enumerate(sorted(new["code"]))}

    def new_style(feature: dict) -> dict:
        code = feature["properties"]["code"]
        faded = highlight is not None and code != highlight
        return {"fillColor": fill[code], "fillOpacity": 0.08 if faded else 0.28, "color": NEW_EDGE,
                "weight": 5 if code == highlight else 3.5}

    folium.GeoJson(
        new[["code", "qcode", "label", "formed_from", "geometry"]].to_json(drop_id=True), name="2025",
        style_function=new_style,
        tooltip=folium.GeoJsonTooltip(
            fields=["label", "qcode", "formed_from"],
            aliases=[gettext(lang, "Commune 2025"), gettext(lang, "Code"),
                     gettext(lang, "Formed from (2024)")], sticky=True),
    ).add_to(fmap)
    folium.GeoJson(
        old[["code", "qcode", "label", "became", "geometry"]].to_json(drop_id=True), name="2024",
        style_function=lambda _: {"fillOpacity": 0.0, "color": OLD_EDGE, "weight": 1.5, "dashArray": "5 4"},
        tooltip=folium.GeoJsonTooltip(
            fields=["label", "qcode", "became"],
            aliases=[gettext(lang, "Unit 2024"), gettext(lang, "Code"),
                     gettext(lang, "Part of 2025 commune")], sticky=True),
    ).add_to(fmap)
    for _, row in old.iterrows():
        if crosswalk.predecessors(crosswalk.successor(row["code"])) == [row["code"]]:
            continue  # unchanged unit: the 2025 label names it
        point = row.geometry.representative_point()
        name = map_label(atlas.units[2024][row["code"]], atlas.units[2024], lang)
        folium.Marker([point.y, point.x], icon=_label(name, "old-unit-label"), interactive=False).add_to(fmap)
    for _, row in new.iterrows():
        point = row.geometry.representative_point()
        icon = _label(row["name"].upper(), "new-commune-label")
        folium.Marker([point.y, point.x], icon=icon, interactive=False).add_to(fmap)

    legend = merge_legend_html(lang, [vi if lang == "vi" else en for vi, en in notes])
    fmap.add_child(MapScript(control_js(legend, position="topright", css_class="atlas-legend-control")))
    return fmap

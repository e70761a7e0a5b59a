"""The filter result on the map: matches highlighted, others greyed, "cannot tell" in orange.

Built on :func:`mutte_geo.webmap.choropleth_map` (its ``highlight`` outlines the matches and
fades the rest); "cannot tell" units also get a dashed orange outline so they stand apart
from plain non-matches.
"""

from __future__ import annotations

from typing import cast

import folium
import geopandas as gpd
from branca.element import Figure

from mutte_geo.analysis.filters import (
    MATCH,
    NO_MATCH,
    OUTCOME_LABELS,
    UNKNOWN,
    FilterResult,
    Outcome,
    describe_criteria,
    value_phrase,
)
from mutte_geo.core.i18n import format_period, gettext, kind_label
from mutte_geo.maps.classify import ClassBin, Classification
from mutte_geo.maps.legend import LegendEntry
from mutte_geo.maps.webmap import choropleth_map, legend_html
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.units import Unit, map_label

# Okabe–Ito blue / orange: distinguishable with the common forms of colour-blindness.
OUTCOME_COLORS = {MATCH: "#0072B2", NO_MATCH: "#b5b5b5", UNKNOWN: "#E69F00"}
UNKNOWN_EDGE = "#D55E00"
NEUTRAL = "#c6dbef"  # no filter yet
# The result tooltips hold sentences, not single values: give them room.
TOOLTIP_CSS = "<style>.leaflet-tooltip{min-width:280px}</style>"


def outcome_text(outcome: Outcome, lang: str) -> str:
    return gettext(lang, OUTCOME_LABELS[outcome])


def result_layer(
    result: FilterResult, layer: gpd.GeoDataFrame, units: dict[str, Unit], catalogue: Catalogue, lang: str
) -> gpd.GeoDataFrame:
    """``layer`` (code, geometry) with the columns ``choropleth_map`` shows in labels and tooltips."""
    by_code = {u.code: u for u in result.units}
    out = layer[["code", "geometry"]].copy()
    out["name"] = [units[c].name_vi for c in out["code"]]
    out["label"] = [units[c].label(lang) for c in out["code"]]
    out["type_label"] = [units[c].type_label(lang) for c in out["code"]]
    out["map_label"] = [map_label(units[c], units, lang) for c in out["code"]]
    out["outcome"] = [by_code[c].outcome.value for c in out["code"]]
    texts, periods, sources, uncertain = [], [], [], []
    for code in out["code"]:
        unit = by_code[code]
        deciding = unit.deciding
        texts.append(f"{outcome_text(unit.outcome, lang)} — "
                     + "; ".join(value_phrase(v, catalogue, lang) for v in deciding))
        periods.append("; ".join(f"{format_period(v.period, lang)} · {kind_label(v.kind, lang)}"
                                 for v in deciding if v.period is not None and v.kind is not None))
        sources.append("; ".join(dict.fromkeys(v.source for v in deciding if v.source)))
        uncertain.append(any(v.uncertain for v in deciding))
    out["value_text"], out["period_text"], out["source"], out["uncertain"] = texts, periods, sources, uncertain
    return out


def filter_legend(result: FilterResult, catalogue: Catalogue, lang: str) -> str:
    """Legend HTML: the criteria in words, then the three outcomes with their counts."""
    if result.criteria.is_empty:
        entries = [LegendEntry(NEUTRAL, gettext(lang, "Every unit (no filter)"),
                               len(result.units))]
    else:
        entries = [LegendEntry(OUTCOME_COLORS[o], outcome_text(o, lang), result.count(o), no_data=o is UNKNOWN)
                   for o in (MATCH, UNKNOWN, NO_MATCH)]
    note = ""
    if result.missing_indicators:
        names = ", ".join(f"“{catalogue[i].name(lang)}”" for i in result.missing_indicators)
        note = gettext(lang, "No commune-level data for {names} in the chosen period/kind.").format(names=names)
    return legend_html(describe_criteria(result.criteria, catalogue, lang), entries, note)


def filter_map(
    result: FilterResult,
    layer: gpd.GeoDataFrame,
    *,
    units: dict[str, Unit],
    catalogue: Catalogue,
    attribution: list[str],
    lang: str,
) -> folium.Map:
    """A Leaflet map of ``result`` on ``layer`` (the web layer of ``result.vintage``)."""
    joined = result_layer(result, layer, units, catalogue, lang)
    empty = result.criteria.is_empty
    colors = {u.code: NEUTRAL if empty else OUTCOME_COLORS[u.outcome] for u in result.units}
    bins = [ClassBin(OUTCOME_COLORS[o], result.count(o), code=o.value) for o in (MATCH, UNKNOWN, NO_MATCH)]
    classification = Classification(colors, bins, "filter")
    highlight = None if empty else set(result.codes(MATCH))
    fmap = choropleth_map(joined, classification, legend=filter_legend(result, catalogue, lang),
                          attribution=attribution, lang=lang, highlight=highlight)
    cast(Figure, fmap.get_root()).header.add_child(folium.Element(TOOLTIP_CSS))
    unknown = joined[joined["outcome"] == UNKNOWN.value]
    if not unknown.empty:
        folium.GeoJson(
            unknown[["code", "geometry"]].to_json(drop_id=True),
            name="cannot_tell",
            interactive=False,
            style_function=lambda _: {"color": UNKNOWN_EDGE, "weight": 2.5, "dashArray": "6 4", "fill": False,
                                      "className": "filter-unknown"},
        ).add_to(fmap)
    return fmap

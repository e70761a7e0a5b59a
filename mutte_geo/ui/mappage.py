"""Helpers for the map page that need no browser: indicator choices, district callouts, values table."""

from __future__ import annotations

import pandas as pd

from mutte_geo.core.i18n import format_period, gettext, kind_label
from mutte_geo.exports.layers import values_table
from mutte_geo.maps.view import MapRequest, MapView
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import CATEGORIES
from mutte_geo.model.indicators import period_sort_key
from mutte_geo.model.join import value_text
from mutte_geo.model.regions import DEFAULT_REGION
from mutte_geo.model.units import DISTRICT_CODE


def indicator_choices(atlas: Atlas, vintage: int) -> list[str]:
    """All catalogue indicators, those with commune values first, each group in catalogue order."""
    mappable = set(atlas.mappable_indicators(vintage))
    order = list(CATEGORIES)
    ids = list(atlas.catalogue)
    return sorted(ids, key=lambda i: (i not in mappable, order.index(atlas.catalogue[i].category), ids.index(i)))


def indicator_label(atlas: Atlas, indicator_id: str, vintage: int, lang: str) -> str:
    indicator = atlas.catalogue[indicator_id]
    group = gettext(lang, CATEGORIES[indicator.category])
    label = indicator.name(lang) if group == indicator.name(lang) else f"{indicator.name(lang)} · {group}"
    if indicator_id not in atlas.mappable_indicators(vintage):
        label += gettext(lang, " (district figure only)") \
            if atlas.region.id == DEFAULT_REGION else gettext(lang, " (no commune values)")
    return label


def district_values(atlas: Atlas, indicator_id: str, lang: str) -> list[str]:
    """The district-wide figures of an indicator, as sentences, newest first."""
    indicator = atlas.catalogue[indicator_id]
    rows = atlas.values[(atlas.values["indicator"] == indicator_id) & (atlas.values["unit_code"] == DISTRICT_CODE)]
    rows = rows.assign(_o=rows["period"].map(period_sort_key)).sort_values("_o", ascending=False)
    lines = []
    for _, row in rows.iterrows():
        line = (f"{format_period(row['period'], lang)} ({kind_label(row['kind'], lang)}): "
                f"**{value_text(indicator, row, lang)}**")
        if row["status"] == "UNCERTAIN":
            line += gettext(lang, " — uncertain")
        lines.append(line)
    return lines


def screen_table(atlas: Atlas, view: MapView, request: MapRequest) -> pd.DataFrame:
    """The values table under the map: code, unit, value, period and source of every unit.

    The same rows and headings as the CSV/XLSX export, without its vintage, number, colour and note columns.
    """
    table = values_table(atlas, view, request=request)
    lang = request.lang
    return table[[gettext(lang, "Code"), gettext(lang, "Unit"), gettext(lang, "Value"),
                  gettext(lang, "Period"), gettext(lang, "Source")]]


DEFAULT_INDICATOR = "population"  # of the compare page (both vintages have it); the map page's is chosen

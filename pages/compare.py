"""Compare 2024 – 2025: one indicator on the 14 former units and on the 2025 communes, and the merge map."""

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.core.i18n import format_period, gettext
from mutte_geo.exports.tables import to_csv_bytes
from mutte_geo.maps.comparemap import (
    compare_indicators,
    compare_periods,
    compare_split,
    compare_table,
    highlights,
    merge_map,
    selected_commune,
)
from mutte_geo.model.indicators import KIND_CHOICES, LATEST, kinds_of
from mutte_geo.model.units import qualified_code
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.authpage import sensitive_export
from mutte_geo.ui.mappage import DEFAULT_INDICATOR
from mutte_geo.ui.splitpage import classification_controls, show_split
from mutte_geo.ui.viewstate import bound, change_view, read_view

atlas = atlas_or_stop(current_lang())
view = read_view(atlas, default_indicator=DEFAULT_INDICATOR)
lang = view.lang

st.title(gettext(lang, "Compare 2024 – 2025"))
st.caption(gettext(lang, "On 1 July 2025 (Resolution 1670/NQ-UBTVQH15) the 14 units of Mường Tè district became 7 "
                         "new communes, and Vàng San joined Hua Bum. 2024 values are moved onto the 2025 communes by "
                         "each indicator's rule and always say which units they were “derived from”."))

communes = sorted(atlas.units[2025])
url_commune = selected_commune(atlas, qualified_code(view.vintage, view.unit) if view.unit else None)
c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
choices = compare_indicators(atlas)
if view.indicator not in choices:
    st.warning(gettext(lang, "“{name}” has no commune values to compare.").format(
                   name=atlas.catalogue[view.indicator].name(lang)))
indicator_id = c1.selectbox(
    gettext(lang, "Indicator"), choices if view.indicator in choices else [*choices, view.indicator],
    format_func=lambda i: atlas.catalogue[i].name(lang),
    **bound("compare_indicator", view.indicator, "indicator", options=choices),
)
kind_choice = c2.radio(
    gettext(lang, "Kind of value"), list(KIND_CHOICES), horizontal=True,
    **bound("compare_kind", view.kind, "kind", options=KIND_CHOICES),
    format_func=lambda k: gettext(lang, "Actual / estimate") if k == "actual"
    else gettext(lang, "Target"),
)
kinds = kinds_of(kind_choice)
periods = compare_periods(atlas, indicator_id, kinds)
period = c3.selectbox(
    gettext(lang, "Period"), periods if view.period in periods else [*periods, view.period],
    **bound("compare_period", view.period, "period", options=periods),
    format_func=lambda p: gettext(lang, "Latest for each unit") if p == LATEST
    else format_period(p, lang),
)


def highlight_commune(chosen: str | None) -> None:
    if chosen is None:
        change_view(lambda v: replace(v, unit=None))
    elif chosen in communes:  # else a label left from another language (see mutte_geo.ui.viewstate)
        change_view(lambda v: replace(v, vintage=2025, unit=chosen))


st.session_state["compare_commune"] = url_commune
commune = c4.selectbox(
    gettext(lang, "Highlight a 2025 commune"), [None, *communes], key="compare_commune",
    format_func=lambda c: gettext(lang, "(none)") if c is None else atlas.units[2025][c].label(lang),
    on_change=lambda: highlight_commune(st.session_state["compare_commune"]),
)

indicator = atlas.catalogue[indicator_id]
scheme, k, manual = classification_controls(indicator, view, key="compare")
split = compare_split(atlas, indicator_id, lang=lang, period=period, kinds=kinds, scheme=scheme, k=k,
                      manual_breaks=manual)
outline = highlights(atlas, commune)
show_split(atlas, split, group="compare", highlights=(outline[2024], outline[2025]), key="compare",
           headings=(gettext(lang, "2024 – 14 units"),
                     gettext(lang, "2025 – new communes")))

st.subheader(gettext(lang, "How the 14 units merged"))
st_folium(merge_map(atlas, lang, highlight=commune), height=560, use_container_width=True, returned_objects=[],
          key="compare_merge")
st.caption(" · ".join(atlas.attribution(2024)))

table = compare_table(atlas, split, lang)
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    gettext(lang, "Download table (CSV)"),
    sensitive_export(to_csv_bytes(table, notes=[indicator.name(lang), *atlas.attribution(2024)]),
                     indicator.sensitive, f"compare table {indicator_id} (CSV)"),
    file_name=f"so-sanh-2024-2025-{indicator_id}.csv", mime="text/csv", key="compare_csv",
)

"""Compare periods: one indicator in two periods (or result against target) on one scale, or a change map."""

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.core.i18n import N_, format_period, gettext
from mutte_geo.maps.change import CHANGE_MODES, MODE_LABELS, ChangeRequest, change_view
from mutte_geo.maps.split import dated_periods, default_pair, split_view
from mutte_geo.maps.view import MapRequest, legend_note, period_choices
from mutte_geo.maps.viewstate import COMPARISONS
from mutte_geo.maps.webmap import choropleth_map, legend_html
from mutte_geo.model.indicators import LATEST, kinds_of
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.mappage import DEFAULT_INDICATOR, indicator_label
from mutte_geo.ui.splitpage import classification_controls, show_change_export, show_split
from mutte_geo.ui.viewstate import bound, choose, read_view

atlas = atlas_or_stop(current_lang())
choice = read_view(atlas, default_indicator=DEFAULT_INDICATOR)
lang, vintage = choice.lang, choice.vintage

st.title(gettext(lang, "Compare periods"))
MODES = {
    "periods": N_("Two periods side by side"),
    "target": N_("Result and target"),
    "change": N_("Change map"),
}
choices = atlas.mappable_indicators(vintage)
top = st.columns([3, 3])
indicator_id = choose(choice.indicator, choices, choices[0], lang, ("chỉ tiêu", "indicator"))
indicator_id = top[0].selectbox(
    gettext(lang, "Indicator"), choices, format_func=lambda i: indicator_label(atlas, i, vintage, lang),
    **bound("periods_indicator", indicator_id, "indicator", options=choices))
indicator = atlas.catalogue[indicator_id]
mode = top[1].radio(gettext(lang, "Comparison"), list(COMPARISONS), horizontal=True,
                    format_func=lambda m: gettext(lang, MODES[m]),
                    **bound("periods_mode", choice.mode or COMPARISONS[0], "mode", options=COMPARISONS))


def period_label(p: str) -> str:
    return gettext(lang, "Latest for each unit") if p == LATEST else format_period(p, lang)


results = period_choices(atlas, indicator_id, vintage, kinds_of("actual"))
targets = period_choices(atlas, indicator_id, vintage, kinds_of("target"))
row = st.columns(3)
if mode == "target" and len(targets) == 1:
    st.info(gettext(lang, "This indicator has no commune targets in the chosen boundaries yet."))
    st.stop()
if mode == "change" and not indicator.is_numeric:
    st.info(gettext(lang, "A change map needs a numeric indicator."))
    st.stop()
if mode in ("periods", "change"):
    named = dated_periods(results) if mode == "change" else results
    first, last = default_pair(results)
    what = ("kỳ", "period")
    period_a = row[0].selectbox(
        gettext(lang, "First period"), named, format_func=period_label,
        **bound("periods_a", choose(choice.period_from, named, first, lang, what), "period_from", options=named))
    period_b = row[1].selectbox(
        gettext(lang, "Second period"), named, format_func=period_label,
        **bound("periods_b", choose(choice.period_to, named, last, lang, what), "period_to", options=named))
else:
    what = ("kỳ", "period")
    period_a = row[0].selectbox(
        gettext(lang, "Result period"), results, format_func=period_label,
        **bound("periods_result", choose(choice.result_period, results, results[0], lang, what), "result_period",
                options=results))
    period_b = row[1].selectbox(
        gettext(lang, "Target period"), targets[1:], format_func=period_label,
        **bound("periods_target", choose(choice.target_period, targets[1:], targets[1], lang, what),
                "target_period", options=targets[1:]))

if mode == "change":
    change_mode = row[2].radio(
        gettext(lang, "Change as"), list(CHANGE_MODES),
        **bound("periods_change_mode", choice.change or CHANGE_MODES[0], "change", options=CHANGE_MODES),
        format_func=lambda m: gettext(lang, "Difference (pp)")
        if m == "absolute" and indicator.unit_en == "%" else gettext(lang, MODE_LABELS[m]))
    if period_a == period_b:
        st.info(gettext(lang, "Choose two different periods."))
        st.stop()
    change = change_view(atlas, ChangeRequest(indicator_id, vintage, period_a, period_b, kinds_of("actual"), lang,
                                              change_mode))
    view = change.view
    fmap = choropleth_map(view.joined, view.classification,
                          legend=legend_html(view.title or "", view.legend, legend_note(view, lang)),
                          attribution=atlas.attribution(vintage), lang=lang)
    st_folium(fmap, height=560, use_container_width=True, render=False, returned_objects=[], key="periods_change_map")
    st.caption(" · ".join(atlas.attribution(vintage)))
    show_change_export(atlas, change, key="periods_change_export")
else:
    scheme, k, manual = classification_controls(indicator, choice, key="periods")
    kinds_b = kinds_of("target") if mode == "target" else kinds_of("actual")
    split = split_view(atlas, MapRequest(indicator_id, vintage, period_a, kinds_of("actual"), lang, scheme, k, manual),
                       MapRequest(indicator_id, vintage, period_b, kinds_b, lang, scheme, k, manual))
    show_split(atlas, split, group="periods", key="periods")

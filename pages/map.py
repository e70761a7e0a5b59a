"""Indicator map: a choropleth of any indicator, with legend, labels, tooltips and profiles."""

from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit_folium import st_folium

from mutte_geo.analysis.consistency import atlas_inconsistencies
from mutte_geo.core.i18n import format_period, gettext
from mutte_geo.maps.breaks import BreaksError, parse_breaks
from mutte_geo.maps.breaks import example as breaks_example
from mutte_geo.maps.classify import SCHEME_LABELS, SCHEMES
from mutte_geo.maps.legend import direction_text, legend_title
from mutte_geo.maps.view import MapRequest, legend_note, map_view, period_choices, step_period
from mutte_geo.maps.viewstate import CLASS_RANGE, encode_view, view_notices
from mutte_geo.maps.webmap import legend_html, map_parts
from mutte_geo.model.indicators import KIND_CHOICES, LATEST, kinds_of
from mutte_geo.model.regions import DEFAULT_REGION
from mutte_geo.ui.appstate import current_lang, region_atlas_or_stop
from mutte_geo.ui.device import on_phone
from mutte_geo.ui.exportui import export_panel
from mutte_geo.ui.mappage import district_values, indicator_choices, indicator_label, screen_table
from mutte_geo.ui.viewstate import bound, change_view, read_view, select_clicked, unit_search

atlas = region_atlas_or_stop(current_lang())
choice = read_view(atlas)
lang, vintage = choice.lang, choice.vintage

region = atlas.region.name(lang)
st.title(gettext(lang, "Commune indicator map – {region}").format(region=region))

phone = on_phone()
if phone:  # the map first, the choices folded under it, then the selected unit's profile
    map_col = st.container()
    controls: DeltaGenerator = st.expander(
        gettext(lang, "Choose indicator, period, classes"), icon=":material/tune:")
    side = st.container()
elif choice.unit is None:
    controls, map_col = st.columns([1, 3])
    side = controls
else:  # the selected unit's profile beside the map
    controls, map_col, side = st.columns([1, 2.4, 1.3])
with controls:
    unit_search(atlas.units[vintage], lang)
    choices = indicator_choices(atlas, vintage)
    indicator_id = st.selectbox(
        gettext(lang, "Indicator"), choices, format_func=lambda i: indicator_label(atlas, i, vintage, lang),
        **bound("indicator", choice.indicator, options=choices),
    )
    indicator = atlas.catalogue[indicator_id]
    kind_choice = st.radio(
        gettext(lang, "Kind of value"), list(KIND_CHOICES), horizontal=True,
        **bound("kind", choice.kind, options=KIND_CHOICES),
        format_func=lambda k: gettext(lang, "Actual / estimate") if k == "actual"
        else gettext(lang, "Target"),
    )
    kinds = kinds_of(kind_choice)
    available = period_choices(atlas, indicator_id, vintage, kinds)
    # a period named by the link stays chosen
    periods = available + ([] if choice.period in available else [choice.period])
    period = st.selectbox(
        gettext(lang, "Period"), periods, **bound("period", choice.period, options=periods),
        format_func=lambda p: gettext(lang, "Latest for each unit") if p == LATEST
        else format_period(p, lang),
    )
    for column, step, text in zip(st.columns(2), (-1, 1), (gettext(lang, "◀ Earlier"),
                                                           gettext(lang, "Later ▶"))):
        target = step_period(available, period, step)
        column.button(text, key=f"period_step_{step}", disabled=target is None, width="stretch",
                      on_click=change_view, args=(lambda v, t=target: replace(v, period=t),))
    locked = st.checkbox(gettext(lang, "Lock classes"), **bound("locked", choice.locked),
                         help=gettext(lang, "One set of breaks over every period's values: changing the period shows "
                                            "real change, not re-scaled colours."))
    for notice in view_notices(choice, atlas, lang):
        st.warning(notice)
    scheme, k, manual = choice.scheme, choice.classes, None
    if indicator.is_numeric:
        scheme = st.selectbox(gettext(lang, "Classification"), SCHEMES,
                              **bound("scheme", choice.scheme, options=SCHEMES),
                              format_func=lambda s: gettext(lang, SCHEME_LABELS[s]))
        if scheme == "manual":
            text = st.text_input(gettext(lang, "Breaks (separated by ;)"),
                                 placeholder=breaks_example(lang), **bound("breaks", choice.breaks))
            try:
                manual = parse_breaks(text, lang)
            except BreaksError as exc:
                show = st.error if text.strip() else st.info
                show(exc.describe(lang) + gettext(lang, " Until the breaks are valid, the map uses quantiles."))
                scheme = "quantiles"
        else:
            k = st.slider(gettext(lang, "Classes"), CLASS_RANGE[0], CLASS_RANGE[-1],
                          **bound("classes", choice.classes))

request = MapRequest(indicator_id, vintage, period, kinds, lang, scheme, k, manual, locked)
view = map_view(atlas, request)
note = legend_note(view, lang, touch=phone)

with map_col:
    # Geometry is served once as a static file; a rerun sends only the style layer.
    parts = map_parts(
        view.joined, view.classification,
        legend=legend_html(legend_title(indicator, lang), view.legend, note, direction_text(indicator, lang)),
        attribution=atlas.attribution(vintage), lang=lang, serve_geometry=True, focus=choice.unit,
    )
    # One map per vintage: after quick back/forward steps the component could otherwise keep the other
    # vintage's geometry under the new colours.
    clicked = st_folium(parts.base, height=600, use_container_width=True,
                        render=False, feature_group_to_add=parts.styles,
                        returned_objects=["last_active_drawing"], key=f"atlas_map_{vintage}")
    st.caption(" · ".join(atlas.attribution(vintage)))

with controls:
    district = district_values(atlas, indicator_id, lang)
    if district:
        st.markdown(gettext(lang, "**Whole district:**"))
        st.markdown("\n".join(f"- {line}" for line in district))
    for issue in atlas_inconsistencies(atlas):
        if issue.indicator == indicator_id:
            st.warning(gettext(lang, "Inconsistent figures: ") + issue.describe(lang))
    if not view.joined["has_data"].any():
        st.info(gettext(lang, "No commune-level data for this indicator yet: every unit shows “No data”."))

feature = (clicked or {}).get("last_active_drawing") or {}
if select_clicked((feature.get("properties") or {}).get("code")):
    st.rerun()  # the click is now the view's unit: draw it outlined, with its profile

with side:
    if choice.unit is None:
        st.caption(gettext(lang, "Tap a unit on the map or find it by name to see its profile.") if phone else
                   gettext(lang, "Click a unit on the map or find it by name to see its profile."))
    else:
        unit = atlas.units[vintage][choice.unit]
        st.subheader(gettext(lang, "Profile: ") + f"{unit.label(lang)} ({unit.code})")
        st.dataframe(atlas.unit_profile(vintage, choice.unit, lang), hide_index=True, width="stretch", height=320)
        if atlas.region.id == DEFAULT_REGION:  # the full profile page shows the district's units
            st.page_link("pages/profile.py", label=gettext(lang, "Open the unit's full profile"),
                         icon=":material/badge:", query_params=encode_view(choice))
        st.button(gettext(lang, "Clear, show all of {region}").format(region=region),
                  key="clear_unit",
                  icon=":material/zoom_out_map:", on_click=change_view, args=(lambda v: replace(v, unit=None),))

st.subheader(gettext(lang, "Values table"))
st.dataframe(screen_table(atlas, view, request), hide_index=True, width="stretch")

export_panel(atlas, view, request)

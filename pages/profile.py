"""Commune profile: identity, area, 2025 commune, locator map and every indicator (missing ones listed)."""

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.analysis.overview import targets_html
from mutte_geo.analysis.profile import area_text, indicator_table, missing_indicators, successor_label, unit_summary
from mutte_geo.analysis.targets import REFORM_NOTE, evaluate_targets, plan_years
from mutte_geo.analysis.trends import trend_caption, trend_chart, trend_frame, undated_count
from mutte_geo.core.i18n import gettext, pgettext
from mutte_geo.maps.attentionmap import locator_map
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.exportui import atlas_download
from mutte_geo.ui.ntmpage import ntm_card
from mutte_geo.ui.viewstate import bound, read_view

atlas = atlas_or_stop(current_lang())
view = read_view(atlas)
lang, vintage = view.lang, view.vintage
units = atlas.units[vintage]
codes = sorted(units)
chosen = st.selectbox(pgettext(lang, "profile", "Unit"), codes,
                      format_func=lambda c: f"{units[c].label(lang)} ({c})",
                      **bound("profile_unit", view.unit or codes[0], "unit", options=codes))

summary = unit_summary(atlas, vintage, chosen, lang)
st.title(summary.label)
info, locator = st.columns([3, 2])
with info:
    facts = [
        (gettext(lang, "Type"), summary.type_label),
        (pgettext(lang, "profile", "Code"), f"{summary.code} ({gettext(lang, 'boundaries')} {vintage})"),
        (gettext(lang, "Area (from the boundary)"), area_text(summary.area_km2, lang)),
    ]
    if summary.successor:
        facts.append((successor_label(lang), summary.successor))
    if summary.predecessors:
        facts.append((gettext(lang, "Formed from (2024 units)"), summary.predecessors))
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in facts))
    missing = missing_indicators(atlas, vintage, chosen, lang)
    n_missing = sum(len(names) for names in missing.values())
    n_present = len(atlas.catalogue) - n_missing
    st.markdown(gettext(lang, "Values for **{n_present}/{n_catalogue}** indicators.").format(
                    n_present=n_present, n_catalogue=len(atlas.catalogue)))
with locator:
    st_folium(locator_map(atlas, vintage, chosen, lang), height=300, use_container_width=True, render=False,
              returned_objects=[], key=f"locator_{vintage}_{chosen}")
    st.caption(" · ".join(atlas.attribution(vintage)))

st.subheader(gettext(lang, "All indicators"))
st.caption(gettext(lang, "\\* uncertain value (weak source)."))
st.dataframe(indicator_table(atlas, vintage, chosen, lang), hide_index=True, width="stretch")

ntm_card(atlas, vintage, chosen, lang)

st.subheader(gettext(lang, "Trends over time"))
trends = trend_frame(atlas, vintage, chosen, lang)
if trends.empty:
    st.caption(gettext(lang, "The unit has no dated numeric values yet."))
for column, (indicator_id, series) in zip(st.columns(2) * len(trends), trends.groupby("indicator", sort=False)):
    with column:
        st.markdown(f"**{atlas.catalogue[indicator_id].name(lang)}**")
        st.altair_chart(trend_chart(series, lang, width=125, height=110), width="content")
st.caption(trend_caption(undated_count(atlas, vintage, chosen), lang))

for year in plan_years(atlas.values, vintage=vintage, unit_code=chosen):
    plan = evaluate_targets(atlas.values, atlas.catalogue, vintage=vintage, unit_code=chosen, target_year=year)
    st.subheader(gettext(lang, "The unit's {year} targets").format(year=year))
    st.markdown(targets_html(plan, lang), unsafe_allow_html=True)
    if any(row.crosses_reform for row in plan):
        st.caption(REFORM_NOTE[0] if lang == "vi" else REFORM_NOTE[1])

st.subheader(gettext(lang, "Indicators with no data ({n_missing})").format(n_missing=n_missing))
st.caption(gettext(lang, "No data – to be collected:"))
st.markdown("\n".join(f"- **{group}** ({len(names)}): {'; '.join(names)}" for group, names in missing.items()))

st.subheader(gettext(lang, "Commune atlas (PDF)"))
unit_col, all_col = st.columns(2)
with unit_col:
    atlas_download(atlas, vintage, lang, code=chosen, key=f"profile_atlas_{vintage}_{chosen}")
with all_col:
    atlas_download(atlas, vintage, lang, key=f"profile_atlas_{vintage}")

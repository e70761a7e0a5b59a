"""Leaders' overview: the district's 2025 targets against the latest results, and communes named for attention."""

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.analysis.overview import heading_label, status_legend_html, targets_frame, targets_html
from mutte_geo.analysis.targets import (
    TARGET_YEAR,
    district_targets,
    group_by_heading,
    plan_years,
    status_counts,
    status_label,
)
from mutte_geo.analysis.trends import trend_caption, trend_chart, trend_frame
from mutte_geo.core.i18n import gettext, pgettext
from mutte_geo.exports.tables import to_csv_bytes
from mutte_geo.maps.attentionmap import ATTENTION_LAYERS, ATTENTION_VINTAGE, attention_layer_ids, attention_map
from mutte_geo.model.remarks import not_comparable_reasons, remarks_for
from mutte_geo.model.units import DISTRICT_CODE
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.exportui import brief_download
from mutte_geo.ui.viewstate import bound, choose, read_view

atlas = atlas_or_stop(current_lang())
view = read_view(atlas)
lang = view.lang

years = plan_years(atlas.values) or [TARGET_YEAR]
year = choose(view.plan, years, years[-1], lang, ("năm kế hoạch", "plan year"))
if len(years) > 1:  # a second plan's targets are loaded
    year = st.selectbox(gettext(lang, "Plan year"), years, **bound("plan_year", year, "plan", options=years))
st.title(gettext(lang, "{year} targets – Mường Tè district").format(year=year))
source = gettext(lang, "Source: Mường Tè district People's Committee, 2025 socio-economic plan orientation report "
                       "(6/2024): results from the first section I.2.1 ('Results of the main indicators', mostly "
                       "estimates for the whole of 2024), targets from section II.3.")
st.caption(source)
brief_download(atlas, lang)

rows = district_targets(atlas.values, atlas.catalogue, target_year=year,
                        not_comparable=not_comparable_reasons(atlas.remarks))
counts = status_counts(rows)
summary_col, map_col = st.columns([1, 1])
with summary_col:
    shown = [s for s, n in counts.items() if n]
    for start in range(0, len(shown), 2):
        for column, status in zip(st.columns(2), shown[start:start + 2]):
            column.metric(status_label(status, lang), f"{counts[status]}/{len(rows)}")
    st.markdown(status_legend_html(lang, {r.status for r in rows}), unsafe_allow_html=True)
    st.caption(gettext(lang, "“estimate”: an estimated figure in the report. Each {year} target is compared "
                             "with the result of the same period when there is one, otherwise with the latest "
                             "earlier result (named beside it). Gap = result minus target; a gap between two "
                             "rates is in percentage points.").format(year=year))
with map_col:
    st.markdown(gettext(lang, "**Communes the report names for attention**"))
    allowed = attention_layer_ids(atlas.catalogue, include_sensitive=True)
    layers = st.pills(gettext(lang, "Lists shown"), allowed, selection_mode="multi",
                      format_func=lambda i: ATTENTION_LAYERS[i].short(lang),
                      **bound("overview_layers", [i for i in allowed if i in view.layers], "layers",
                              convert=lambda chosen: tuple(i for i in ATTENTION_LAYERS if i in (chosen or ()))))
    st_folium(attention_map(atlas, lang, layers), height=480, use_container_width=True, returned_objects=[],
              key="attention_map")
    st.caption(gettext(lang, "Switch each layer on or off at the "
                             "top right of the map. The report "
                             "(6/2024) names the 2024 units. ") + " · ".join(atlas.attribution(ATTENTION_VINTAGE)))

for category, group in group_by_heading(rows):
    st.subheader(heading_label(category, lang))
    st.markdown(targets_html(group, lang, atlas.remarks), unsafe_allow_html=True)
    series = trend_frame(atlas, 2024, DISTRICT_CODE, lang, indicators=[r.indicator.id for r in group])
    if not series.empty:
        with st.expander(gettext(lang, "Trends over time (whole district)")):
            st.altair_chart(trend_chart(series, lang, facet="indicator_name", width=140, height=110),
                            width="content")
            st.caption(trend_caption(0, lang))
general = remarks_for(atlas.remarks, None)
if general:
    st.subheader(pgettext(lang, "overview", "Inconsistencies in the report"))
    for remark in general:
        st.warning(remark.cited(lang))
st.download_button(gettext(lang, "Download the targets table (CSV)"),
                   to_csv_bytes(targets_frame(rows, lang, atlas.remarks), notes=[source]),
                   file_name=f"chi-tieu-{year}-muong-te.csv", mime="text/csv")

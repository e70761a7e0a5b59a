"""Commune profile: identity, area, 2025 commune, locator map and every indicator (missing ones listed)."""

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.analysis.overview import targets_html
from mutte_geo.analysis.profile import area_text, indicator_table, missing_indicators, successor_label, unit_summary
from mutte_geo.analysis.targets import REFORM_NOTE, evaluate_targets, plan_years
from mutte_geo.analysis.trends import trend_caption, trend_chart, trend_frame, undated_count
from mutte_geo.core.i18n import tr
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
chosen = st.selectbox(tr(lang, "Đơn vị hành chính", "Unit"), codes,
                      format_func=lambda c: f"{units[c].label(lang)} ({c})",
                      **bound("profile_unit", view.unit or codes[0], "unit", options=codes))

summary = unit_summary(atlas, vintage, chosen, lang)
st.title(summary.label)
info, locator = st.columns([3, 2])
with info:
    facts = [
        (tr(lang, "Loại đơn vị", "Type"), summary.type_label),
        (tr(lang, "Mã đơn vị", "Code"), f"{summary.code} ({tr(lang, 'ranh giới', 'boundaries')} {vintage})"),
        (tr(lang, "Diện tích (tính từ ranh giới)", "Area (from the boundary)"), area_text(summary.area_km2, lang)),
    ]
    if summary.successor:
        facts.append((successor_label(lang), summary.successor))
    if summary.predecessors:
        facts.append((tr(lang, "Hình thành từ (đơn vị 2024)", "Formed from (2024 units)"), summary.predecessors))
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in facts))
    missing = missing_indicators(atlas, vintage, chosen, lang)
    n_missing = sum(len(names) for names in missing.values())
    n_present = len(atlas.catalogue) - n_missing
    st.markdown(tr(lang, f"Có số liệu cho **{n_present}/{len(atlas.catalogue)}** chỉ tiêu.",
                   f"Values for **{n_present}/{len(atlas.catalogue)}** indicators."))
with locator:
    st_folium(locator_map(atlas, vintage, chosen, lang), height=300, use_container_width=True, render=False,
              returned_objects=[], key=f"locator_{vintage}_{chosen}")
    st.caption(" · ".join(atlas.attribution(vintage)))

st.subheader(tr(lang, "Tất cả chỉ tiêu", "All indicators"))
st.caption(tr(lang, "\\* số liệu chưa chắc chắn (nguồn yếu).", "\\* uncertain value (weak source)."))
st.dataframe(indicator_table(atlas, vintage, chosen, lang), hide_index=True, width="stretch")

ntm_card(atlas, vintage, chosen, lang)

st.subheader(tr(lang, "Diễn biến qua các kỳ", "Trends over time"))
trends = trend_frame(atlas, vintage, chosen, lang)
if trends.empty:
    st.caption(tr(lang, "Đơn vị chưa có số liệu dạng số có ghi kỳ.", "The unit has no dated numeric values yet."))
for column, (indicator_id, series) in zip(st.columns(2) * len(trends), trends.groupby("indicator", sort=False)):
    with column:
        st.markdown(f"**{atlas.catalogue[indicator_id].name(lang)}**")
        st.altair_chart(trend_chart(series, lang, width=125, height=110), width="content")
st.caption(trend_caption(undated_count(atlas, vintage, chosen), lang))

for year in plan_years(atlas.values, vintage=vintage, unit_code=chosen):
    plan = evaluate_targets(atlas.values, atlas.catalogue, vintage=vintage, unit_code=chosen, target_year=year)
    st.subheader(tr(lang, f"Chỉ tiêu kế hoạch {year} của đơn vị", f"The unit's {year} targets"))
    st.markdown(targets_html(plan, lang), unsafe_allow_html=True)
    if any(row.crosses_reform for row in plan):
        st.caption(REFORM_NOTE[0] if lang == "vi" else REFORM_NOTE[1])

st.subheader(tr(lang, f"Chỉ tiêu còn thiếu số liệu ({n_missing})", f"Indicators with no data ({n_missing})"))
st.caption(tr(lang, "Không có dữ liệu – cần thu thập:", "No data – to be collected:"))
st.markdown("\n".join(f"- **{group}** ({len(names)}): {'; '.join(names)}" for group, names in missing.items()))

st.subheader(tr(lang, "Atlas xã (PDF)", "Commune atlas (PDF)"))
unit_col, all_col = st.columns(2)
with unit_col:
    atlas_download(atlas, vintage, lang, code=chosen, key=f"profile_atlas_{vintage}_{chosen}")
with all_col:
    atlas_download(atlas, vintage, lang, key=f"profile_atlas_{vintage}")

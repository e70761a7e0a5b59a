"""Indicator map: a choropleth of any indicator, with legend, labels, tooltips and profiles."""

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.analysis.consistency import atlas_inconsistencies
from mutte_geo.core.i18n import format_period, tr
from mutte_geo.maps.classify import SCHEME_LABELS, SCHEMES
from mutte_geo.maps.legend import legend_title
from mutte_geo.maps.view import KINDS, MapRequest, legend_note, map_view, period_choices
from mutte_geo.maps.viewstate import CLASS_RANGE, encode_view, view_notices
from mutte_geo.maps.webmap import legend_html, map_parts
from mutte_geo.model.indicators import LATEST
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.exportui import export_panel
from mutte_geo.ui.mappage import district_values, indicator_choices, indicator_label
from mutte_geo.ui.viewstate import bound, change_view, read_view, select_clicked, unit_search

atlas = atlas_or_stop(current_lang())
choice = read_view(atlas)
lang, vintage = choice.lang, choice.vintage

st.title(tr(lang, "Bản đồ chỉ tiêu theo xã – huyện Mường Tè", "Commune indicator map – Mường Tè district"))

if choice.unit is None:
    controls, map_col = st.columns([1, 3])
    side = controls
else:  # the selected unit's profile beside the map
    controls, map_col, side = st.columns([1, 2.4, 1.3])
with controls:
    unit_search(atlas.units[vintage], lang)
    choices = indicator_choices(atlas, vintage)
    indicator_id = st.selectbox(
        tr(lang, "Chỉ tiêu", "Indicator"), choices, format_func=lambda i: indicator_label(atlas, i, vintage, lang),
        **bound("indicator", choice.indicator, options=choices),
    )
    indicator = atlas.catalogue[indicator_id]
    kind_choice = st.radio(
        tr(lang, "Loại số liệu", "Kind of value"), ["actual", "target"], horizontal=True,
        **bound("kind", choice.kind, options=KINDS),
        format_func=lambda k: tr(lang, "Thực hiện / ước", "Actual / estimate") if k == "actual"
        else tr(lang, "Chỉ tiêu kế hoạch", "Target"),
    )
    kinds = KINDS[kind_choice]
    periods = period_choices(atlas, indicator_id, vintage, kinds)
    periods += [] if choice.period in periods else [choice.period]  # a period named by the link stays chosen
    period = st.selectbox(
        tr(lang, "Kỳ", "Period"), periods, **bound("period", choice.period, options=periods),
        format_func=lambda p: tr(lang, "Mới nhất của mỗi đơn vị", "Latest for each unit") if p == LATEST
        else format_period(p, lang),
    )
    for notice in view_notices(choice, atlas, lang):
        st.warning(notice)
    scheme, k, manual = choice.scheme, choice.classes, None
    if indicator.is_numeric:
        scheme = st.selectbox(tr(lang, "Cách phân lớp", "Classification"), SCHEMES,
                              **bound("scheme", choice.scheme, options=SCHEMES),
                              format_func=lambda s: tr(lang, *SCHEME_LABELS[s]))
        if scheme == "manual":
            text = st.text_input(tr(lang, "Ngưỡng (cách nhau bởi dấu ;)", "Breaks (separated by ;)"),
                                 **bound("breaks", choice.breaks))
            try:
                manual = [float(b.replace(",", ".")) for b in text.split(";") if b.strip()]
            except ValueError:
                st.error(tr(lang, "Ngưỡng phải là số, ví dụ: 2000; 3000", "Breaks must be numbers, e.g. 2000; 3000"))
                manual = []
        else:
            k = st.slider(tr(lang, "Số lớp", "Classes"), CLASS_RANGE[0], CLASS_RANGE[-1],
                          **bound("classes", choice.classes))
    basemap = st.checkbox(tr(lang, "Nền OpenStreetMap (cần internet)", "OpenStreetMap basemap (needs internet)"),
                          value=False, key="basemap")

request = MapRequest(indicator_id, vintage, period, kinds, lang, scheme, k,
                     tuple(manual) if manual is not None else None)
view = map_view(atlas, request)
note = legend_note(view, lang)

with map_col:
    # Geometry is served once as a static file; a rerun sends only the style layer.
    parts = map_parts(
        view.joined, view.classification,
        legend=legend_html(legend_title(indicator, lang), view.legend, note),
        attribution=atlas.attribution(vintage), lang=lang, basemap=basemap, serve_geometry=True,
        focus=choice.unit,
    )
    # One map per vintage: after quick back/forward steps the component could otherwise keep the other
    # vintage's geometry under the new colours.
    clicked = st_folium(parts.base, height=600, use_container_width=True, feature_group_to_add=parts.styles,
                        returned_objects=["last_active_drawing"], key=f"atlas_map_{vintage}")
    st.caption(" · ".join(atlas.attribution(vintage)))

with controls:
    district = district_values(atlas, indicator_id, lang)
    if district:
        st.markdown(tr(lang, "**Toàn huyện:**", "**Whole district:**"))
        st.markdown("\n".join(f"- {line}" for line in district))
    for issue in atlas_inconsistencies(atlas):
        if issue.indicator == indicator_id:
            st.warning(tr(lang, "Số liệu không nhất quán: ", "Inconsistent figures: ") + issue.describe(lang))
    if not view.joined["has_data"].any():
        st.info(tr(lang, "Chưa có số liệu cấp xã cho chỉ tiêu này: mọi xã hiển thị “Không có dữ liệu”.",
                   "No commune-level data for this indicator yet: every unit shows “No data”."))

feature = (clicked or {}).get("last_active_drawing") or {}
if select_clicked((feature.get("properties") or {}).get("code")):
    st.rerun()  # the click is now the view's unit: draw it outlined, with its profile

with side:
    if choice.unit is None:
        st.caption(tr(lang, "Bấm vào một xã trên bản đồ hoặc tìm theo tên để xem hồ sơ của xã.",
                      "Click a unit on the map or find it by name to see its profile."))
    else:
        unit = atlas.units[vintage][choice.unit]
        st.subheader(tr(lang, "Hồ sơ: ", "Profile: ") + f"{unit.label(lang)} ({unit.code})")
        st.dataframe(atlas.unit_profile(vintage, choice.unit, lang), hide_index=True, width="stretch", height=320)
        st.page_link("pages/profile.py", label=tr(lang, "Mở hồ sơ đầy đủ của đơn vị", "Open the unit's full profile"),
                     icon=":material/badge:", query_params=encode_view(choice))
        st.button(tr(lang, "Bỏ chọn, xem cả huyện", "Clear, show the whole district"), key="clear_unit",
                  icon=":material/zoom_out_map:", on_click=change_view, args=(lambda v: replace(v, unit=None),))

st.subheader(tr(lang, "Bảng giá trị", "Values table"))
table = view.joined[["code", "label", "value_text", "period_text", "source"]].rename(columns={
    "code": tr(lang, "Mã", "Code"), "label": tr(lang, "Đơn vị", "Unit"), "value_text": tr(lang, "Giá trị", "Value"),
    "period_text": tr(lang, "Kỳ", "Period"), "source": tr(lang, "Nguồn", "Source"),
})
st.dataframe(table, hide_index=True, width="stretch")

export_panel(atlas, view, request)

"""Leaders' overview: the district's 2025 targets against the latest results, and communes named for attention."""

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.analysis.overview import heading_label, status_legend_html, targets_frame, targets_html
from mutte_geo.analysis.targets import district_targets, group_by_heading, status_counts, status_label
from mutte_geo.core.i18n import tr
from mutte_geo.exports.tables import to_csv_bytes
from mutte_geo.maps.attentionmap import ATTENTION_LAYERS, ATTENTION_VINTAGE, attention_layer_ids, attention_map
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.viewstate import bound, read_view

atlas = atlas_or_stop(current_lang())
view = read_view(atlas)
lang = view.lang

st.title(tr(lang, "Chỉ tiêu năm 2025 – huyện Mường Tè",
            "2025 targets – Mường Tè district"))
source = tr(lang, "Nguồn: Báo cáo định hướng xây dựng kế hoạch phát triển KT-XH năm 2025, UBND huyện Mường Tè "
                  "(6/2024): kết quả mục I.2.1, chỉ tiêu mục II.3.",
            "Source: Mường Tè district People's Committee, 2025 socio-economic plan orientation report (6/2024): "
            "results from section I.2.1, targets from section II.3.")
st.caption(source)

rows = district_targets(atlas.values, atlas.catalogue)
counts = status_counts(rows)
summary_col, map_col = st.columns([1, 1])
with summary_col:
    for pair in (("on_track", "behind"), ("periods_differ", "no_data")):
        for column, status in zip(st.columns(2), pair, strict=True):
            column.metric(status_label(status, lang), f"{counts[status]}/{len(rows)}")
    st.markdown(status_legend_html(lang, {r.status for r in rows}), unsafe_allow_html=True)
    st.caption(tr(lang, "“ước”: số liệu ước tính trong báo cáo. Chênh lệch = kết quả mới nhất trừ chỉ tiêu 2025; "
                        "chênh lệch giữa hai tỷ lệ tính bằng điểm phần trăm.",
                  "“estimate”: an estimated figure in the report. Gap = latest result minus the 2025 target; "
                  "a gap between two rates is in percentage points."))
with map_col:
    st.markdown(tr(lang, "**Xã cần quan tâm theo báo cáo**", "**Communes the report names for attention**"))
    allowed = attention_layer_ids(atlas.catalogue, include_sensitive=True)
    layers = st.pills(tr(lang, "Danh sách hiển thị", "Lists shown"), allowed, selection_mode="multi",
                      format_func=lambda i: ATTENTION_LAYERS[i].short(lang),
                      **bound("overview_layers", [i for i in allowed if i in view.layers], "layers",
                              convert=lambda chosen: tuple(i for i in ATTENTION_LAYERS if i in (chosen or ()))))
    st_folium(attention_map(atlas, lang, layers), height=480, use_container_width=True, returned_objects=[],
              key="attention_map")
    st.caption(tr(lang, "Bật/tắt từng lớp ở góc trên bên phải bản đồ. Báo cáo (6/2024) nêu tên theo đơn vị "
                        "hành chính năm 2024. ",
                  "Switch each layer on or off at the top right of the map. The report (6/2024) names the "
                  "2024 units. ") + " · ".join(atlas.attribution(ATTENTION_VINTAGE)))

for category, group in group_by_heading(rows):
    st.subheader(heading_label(category, lang))
    st.markdown(targets_html(group, lang), unsafe_allow_html=True)
st.download_button(tr(lang, "Tải bảng chỉ tiêu (CSV)", "Download the targets table (CSV)"),
                   to_csv_bytes(targets_frame(rows, lang), notes=[source]),
                   file_name="chi-tieu-2025-muong-te.csv", mime="text/csv")

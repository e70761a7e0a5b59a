"""Data completeness: which indicators have values for which units, and how much of the map is real data."""

import streamlit as st

from mutte_geo.analysis.approvalgrid import approval_cell_style, approval_grid, approval_legend, approval_table
from mutte_geo.analysis.completeness import (
    MISSING_MARK,
    UNCERTAIN_MARK,
    VERIFIED_MARK,
    cell_style,
    completeness,
    completeness_table,
    unit_counts,
)
from mutte_geo.core.formatting import format_quantity
from mutte_geo.core.i18n import tr
from mutte_geo.exports.tables import to_csv_bytes
from mutte_geo.maps.viewstate import GRID_LAYERS
from mutte_geo.ui.appstate import approvals, atlas_or_stop, current_lang, current_vintage
from mutte_geo.ui.authpage import current_user
from mutte_geo.ui.viewstate import bound, read_view

lang = current_lang()
atlas = atlas_or_stop(lang)
vintage = current_vintage()

st.title(tr(lang, "Mức độ đầy đủ của dữ liệu", "Data completeness"))
result = completeness(atlas, vintage)
left, middle, right = st.columns(3)
left.metric(tr(lang, "Ô có số liệu", "Cells with data"), f"{result.filled}/{result.cells}",
            help=tr(lang, "Ô = một chỉ tiêu của một đơn vị", "A cell is one indicator of one unit"))
middle.metric(tr(lang, "Tỷ lệ có số liệu", "Share with data"), format_quantity(result.percent_filled, "%", lang, 1))
right.metric(tr(lang, "Tỷ lệ đã kiểm chứng", "Share verified"), format_quantity(result.percent_verified, "%", lang, 1))
st.caption(tr(lang, f"{VERIFIED_MARK} có số liệu đã kiểm chứng · {UNCERTAIN_MARK} chỉ có số liệu chưa chắc chắn · "
                    f"{MISSING_MARK} không có dữ liệu. Chỉ tính số liệu thực hiện/ước của từng đơn vị năm {vintage}; "
                    "số liệu toàn huyện xem ở trang Tổng quan.",
              f"{VERIFIED_MARK} verified value · {UNCERTAIN_MARK} only uncertain values · {MISSING_MARK} no data. "
              f"Counts actual/estimate values of each {vintage} unit; district figures are on the Overview."))

user = current_user()
layer = "data"
if user is not None:  # the approval state is staff information
    layer = st.radio(tr(lang, "Lớp", "Layer"), list(GRID_LAYERS), horizontal=True,
                     **bound("completeness_layer", read_view(atlas).layer or "data", "layer", options=GRID_LAYERS),
                     format_func=lambda x: tr(lang, "Có số liệu", "Data present") if x == "data"
                     else tr(lang, "Tình trạng duyệt", "Approval state"))
if layer == "approval":
    grid = approval_grid(atlas, vintage, approvals().submissions(user, ("submitted", "returned")),
                         approvals().locked_keys())
    st.caption(approval_legend(lang))
    table = approval_table(atlas, grid, vintage, lang)
    st.dataframe(table.style.map(approval_cell_style), hide_index=True, width="stretch", height=600)
else:
    table = completeness_table(atlas, result, vintage, lang)
    st.dataframe(table.style.map(cell_style), hide_index=True, width="stretch", height=600)
st.download_button(tr(lang, "Tải bảng (CSV)", "Download (CSV)"), to_csv_bytes(table),
                   file_name=f"do-day-du-du-lieu-{vintage}.csv" if layer == "data"
                   else f"tinh-trang-duyet-{vintage}.csv", mime="text/csv")

st.subheader(tr(lang, "Theo đơn vị", "By unit"))
st.dataframe(unit_counts(atlas, result, vintage, lang), hide_index=True, width="stretch")

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
from mutte_geo.core.i18n import gettext, pgettext
from mutte_geo.exports.tables import to_csv_bytes
from mutte_geo.maps.viewstate import GRID_LAYERS
from mutte_geo.ui.appstate import approvals, atlas_or_stop, current_lang, current_vintage
from mutte_geo.ui.authpage import current_user
from mutte_geo.ui.viewstate import bound, read_view

lang = current_lang()
atlas = atlas_or_stop(lang)
vintage = current_vintage()

st.title(pgettext(lang, "completeness", "Data completeness"))
result = completeness(atlas, vintage)
left, middle, right = st.columns(3)
left.metric(gettext(lang, "Cells with data"), f"{result.filled}/{result.cells}",
            help=gettext(lang, "A cell is one indicator of one unit"))
middle.metric(gettext(lang, "Share with data"), format_quantity(result.percent_filled, "%", lang, 1))
right.metric(gettext(lang, "Share verified"), format_quantity(result.percent_verified, "%", lang, 1))
st.caption(gettext(lang, "{verified_mark} verified value · {uncertain_mark} only uncertain values · "
                         "{missing_mark} no data. Counts actual/estimate values of each {vintage} unit; "
                         "district figures are on the Overview.").format(
               verified_mark=VERIFIED_MARK, uncertain_mark=UNCERTAIN_MARK, missing_mark=MISSING_MARK, vintage=vintage))

user = current_user()
layer = "data"
if user is not None:  # the approval state is staff information
    layer = st.radio(gettext(lang, "Layer"), list(GRID_LAYERS), horizontal=True,
                     **bound("completeness_layer", read_view(atlas).layer or "data", "layer", options=GRID_LAYERS),
                     format_func=lambda x: gettext(lang, "Data present") if x == "data"
                     else gettext(lang, "Approval state"))
if layer == "approval":
    grid = approval_grid(atlas, vintage, approvals().submissions(user, ("submitted", "returned")),
                         approvals().locked_keys())
    st.caption(approval_legend(lang))
    table = approval_table(atlas, grid, vintage, lang)
    st.dataframe(table.style.map(approval_cell_style), hide_index=True, width="stretch", height=600)
else:
    table = completeness_table(atlas, result, vintage, lang)
    st.dataframe(table.style.map(cell_style), hide_index=True, width="stretch", height=600)
st.download_button(gettext(lang, "Download (CSV)"), to_csv_bytes(table),
                   file_name=f"do-day-du-du-lieu-{vintage}.csv" if layer == "data"
                   else f"tinh-trang-duyet-{vintage}.csv", mime="text/csv")

st.subheader(gettext(lang, "By unit"))
st.dataframe(unit_counts(atlas, result, vintage, lang), hide_index=True, width="stretch")

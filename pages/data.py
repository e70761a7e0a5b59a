"""Data and checks: the catalogue, every value with its source, and inconsistencies."""

import streamlit as st

from mutte_geo.analysis.consistency import atlas_inconsistencies
from mutte_geo.core.i18n import tr
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.datapage import catalogue_table, values_table
from mutte_geo.ui.markdown import md_escape

lang = current_lang()
atlas = atlas_or_stop(lang)

st.title(tr(lang, "Dữ liệu và kiểm tra", "Data and checks"))

st.subheader(tr(lang, "Số liệu không nhất quán trong báo cáo", "Inconsistencies in the report"))
issues = atlas_inconsistencies(atlas)
if issues:
    for issue in issues:
        name = atlas.catalogue[issue.indicator].name(lang)
        st.warning(f"**{md_escape(name)}** ({md_escape(issue.period)}): {md_escape(issue.describe(lang))}")
else:
    st.success(tr(lang, "Không phát hiện số liệu mâu thuẫn.", "No contradictions found."))

st.subheader(tr(lang, "Tất cả giá trị", "All values"))
st.dataframe(values_table(atlas, lang), hide_index=True, width="stretch")

st.subheader(tr(lang, "Danh mục chỉ tiêu", "Indicator catalogue"))
st.dataframe(catalogue_table(atlas, lang), hide_index=True, width="stretch")

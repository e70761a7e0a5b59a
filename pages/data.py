"""Data and checks: the catalogue, every value with its source, and inconsistencies."""

import streamlit as st

from mutte_geo.analysis.consistency import atlas_inconsistencies
from mutte_geo.core.i18n import gettext
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.datapage import catalogue_table, values_table
from mutte_geo.ui.markdown import md_escape

lang = current_lang()
atlas = atlas_or_stop(lang)

st.title(gettext(lang, "Data and checks"))

st.subheader(gettext(lang, "Inconsistencies in the report"))
issues = atlas_inconsistencies(atlas)
if issues:
    for issue in issues:
        name = atlas.catalogue[issue.indicator].name(lang)
        st.warning(f"**{md_escape(name)}** ({md_escape(issue.period)}): {md_escape(issue.describe(lang))}")
else:
    st.success(gettext(lang, "No contradictions found."))

st.subheader(gettext(lang, "All values"))
st.dataframe(values_table(atlas, lang), hide_index=True, width="stretch")

st.subheader(gettext(lang, "Indicator catalogue"))
st.dataframe(catalogue_table(atlas, lang), hide_index=True, width="stretch")

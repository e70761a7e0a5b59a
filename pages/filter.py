"""Filter communes by criteria: builder, ready-made questions, map, table and downloads."""

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.analysis.filters import (
    MATCH,
    NO_MATCH,
    OP_LABELS,
    OUTCOME_LABELS,
    QUESTIONS,
    UNKNOWN,
    Criteria,
    choices_for,
    code_text,
    describe_criteria,
    evaluate,
    ops_for,
)
from mutte_geo.core.errors import CriteriaError
from mutte_geo.core.i18n import format_period, gettext, pgettext
from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.maps.filtermap import filter_map
from mutte_geo.model.indicators import LATEST
from mutte_geo.ui.appstate import atlas_or_stop, current_lang, current_vintage, region_atlas_or_stop
from mutte_geo.ui.authpage import sensitive_export
from mutte_geo.ui.exportui import filter_export_panel
from mutte_geo.ui.filterpage import (
    DRAFT,
    JOIN_KEY,
    KIND_KEY,
    PERIOD_KEY,
    builder_criteria,
    commit_draft,
    current_draft,
    default_condition,
    export_notes,
    has_stale_values,
    key,
    load_widgets,
    period_options,
    result_table,
    with_condition,
    without_condition,
)
from mutte_geo.ui.mappage import indicator_choices, indicator_label
from mutte_geo.ui.markdown import md_escape
from mutte_geo.ui.ntmpage import with_ntm
from mutte_geo.ui.viewstate import change_view, read_view

lang = current_lang()
atlas = region_atlas_or_stop(lang, with_ntm(atlas_or_stop(lang), current_vintage(), lang))  # NTM criteria too
view = read_view(atlas)
lang, vintage = view.lang, view.vintage
catalogue = atlas.catalogue
state = st.session_state

region = atlas.region.name(lang)
st.title(gettext(lang, "Filter communes by criteria – {region}").format(region=region))

# The link holds the criteria; the widgets always show the draft (the link's criteria, or an edit of
# them not complete yet), so a language switch or back/forward cannot leave them empty or stale.
draft = current_draft(state, view.criteria)
load_widgets(state, draft)
count = len(draft.conditions)


def set_criteria(criteria: Criteria) -> None:
    commit_draft(state, criteria, catalogue, lambda c: change_view(lambda v: v.with_criteria(c)))


def on_builder_change() -> None:
    if not has_stale_values(state, count, catalogue, state[DRAFT][1]):
        set_criteria(builder_criteria(state, count, catalogue))


def add_condition() -> None:
    set_criteria(with_condition(state[DRAFT][1], default_condition(catalogue["borders_china"])))


def remove_condition(i: int) -> None:
    set_criteria(without_condition(state[DRAFT][1], i))


st.markdown(gettext(lang, "**Ready-made questions** (from the report):"))
with st.container(horizontal=True, wrap=True):
    for question in QUESTIONS:
        if question.available(catalogue):
            st.button(question.title(lang), key=f"q_{question.id}", on_click=set_criteria,
                      args=(question.criteria,), help=describe_criteria(question.criteria, catalogue, lang))
        else:
            st.button(question.title(lang), key=f"q_{question.id}", disabled=True,
                      help=gettext(lang, "Uses an indicator that is not available to you (sign-in needed)."))

st.subheader(gettext(lang, "Conditions"))
choices = indicator_choices(atlas, vintage)
for i in range(count):
    cols = st.columns([4, 2, 3, 1], vertical_alignment="bottom")
    indicator_id = cols[0].selectbox(
        gettext(lang, "Indicator {value}").format(value=i + 1), choices, key=key(i, "ind"),
        on_change=on_builder_change,
        format_func=lambda c: indicator_label(atlas, c, vintage, lang))
    indicator = catalogue[indicator_id]
    op = cols[1].selectbox(gettext(lang, "Operator"), ops_for(indicator), key=key(i, "op"),
                           on_change=on_builder_change,
                           format_func=lambda o: gettext(lang, OP_LABELS[o]))
    with cols[2]:
        if op in ("has_data", "no_data"):
            st.caption(gettext(lang, "(no value needed)"))
        elif indicator.is_numeric:
            unit = indicator.unit(lang)
            if op == "between":
                low, high = st.columns(2)
                low.number_input(gettext(lang, "From") + f" ({unit})", key=key(i, "a"), format="%g",
                                on_change=on_builder_change)
                high.number_input(gettext(lang, "To") + f" ({unit})", key=key(i, "b"), format="%g",
                                 on_change=on_builder_change)
            else:
                st.number_input(gettext(lang, "Value") + f" ({unit})", key=key(i, "a"), format="%g",
                                on_change=on_builder_change)
        else:
            if op == "one_of":
                st.multiselect(gettext(lang, "Values"), choices_for(indicator), key=key(i, "codes"),
                               on_change=on_builder_change,
                               format_func=partial(code_text, indicator, lang=lang))
            else:
                st.selectbox(gettext(lang, "Value"), choices_for(indicator), key=key(i, "code"),
                             on_change=on_builder_change,
                             format_func=partial(code_text, indicator, lang=lang))
    cols[3].button("✕", key=f"remove_{i}", on_click=remove_condition, args=(i,),
                   help=gettext(lang, "Remove this condition"))

settings = st.columns([2, 2, 3, 3], vertical_alignment="bottom")
settings[0].button(gettext(lang, "Add condition"), key="add_condition", on_click=add_condition,
                  icon=":material/add:")
settings[1].radio(gettext(lang, "Combine"), ["and", "or"], key=JOIN_KEY, horizontal=True,
                  on_change=on_builder_change,
                  format_func=lambda j: gettext(lang, "AND (all)") if j == "and"
                  else gettext(lang, "OR (any)"))
settings[3].radio(gettext(lang, "Kind of value"), ["actual", "target"], key=KIND_KEY, horizontal=True,
                  on_change=on_builder_change,
                  format_func=lambda k: gettext(lang, "Actual / estimate") if k == "actual"
                  else gettext(lang, "Target"))
periods = period_options(atlas.values, draft, vintage)
settings[2].selectbox(gettext(lang, "Period"), periods, key=PERIOD_KEY, on_change=on_builder_change,
                      format_func=lambda p: gettext(lang, "Latest for each unit")
                      if p == LATEST else format_period(p, lang))

criteria = draft
try:
    result = evaluate(criteria, values=atlas.values, catalogue=catalogue, units=atlas.units[vintage],
                      vintage=vintage, lang=lang)
except CriteriaError as exc:
    st.warning(gettext(lang, "The conditions are incomplete:"))
    st.markdown("\n".join(f"- {md_escape(p)}" for p in exc.describe(lang)))
    st.stop()

if criteria.is_empty:
    st.info(gettext(lang, "No condition yet: pick a ready-made question or add a condition."))
else:
    summary = st.columns(3)
    for column, outcome in zip(summary, (MATCH, UNKNOWN, NO_MATCH)):
        column.metric(gettext(lang, OUTCOME_LABELS[outcome]), result.count(outcome))

fmap = filter_map(result, atlas.web_layer(vintage), units=atlas.units[vintage], catalogue=catalogue,
                  attribution=atlas.attribution(vintage), lang=lang)
st_folium(fmap, height=560, use_container_width=True, render=False, returned_objects=[], key="filter_map")
st.caption(" · ".join(atlas.attribution(vintage)))

table = result_table(result, catalogue, lang)
notes = export_notes(result, catalogue, atlas.attribution(vintage), lang)
if not criteria.is_empty:
    outcome_column = gettext(lang, "Result")
    st.subheader(gettext(lang, "Matching units"))
    st.dataframe(table[table[outcome_column] == gettext(lang, OUTCOME_LABELS[MATCH])], hide_index=True,
                 width="stretch", key="table_match")
    if result.count(UNKNOWN):
        st.subheader(gettext(lang, "Cannot tell (no data)"))
        st.dataframe(table[table[outcome_column] == gettext(lang, OUTCOME_LABELS[UNKNOWN])], hide_index=True,
                     width="stretch", key="table_unknown")
    with st.expander(gettext(lang, "No match ({count})").format(count=result.count(NO_MATCH))):
        st.dataframe(table[table[outcome_column] == gettext(lang, OUTCOME_LABELS[NO_MATCH])], hide_index=True,
                     width="stretch", key="table_no_match")
    downloads = st.columns(2)
    sensitive = any(atlas.catalogue[c.indicator].sensitive for c in result.criteria.conditions)
    downloads[0].download_button(pgettext(lang, "filter", "Download CSV"),
                                 sensitive_export(to_csv_bytes(table, notes=notes), sensitive, "filter CSV"),
                                 file_name=f"loc_xa_{vintage}.csv", mime="text/csv", key="download_csv")
    downloads[1].download_button(pgettext(lang, "filter", "Download XLSX"),
                                 sensitive_export(to_xlsx_bytes(table, sheet=gettext(lang, "filter"), notes=notes),
                                                  sensitive, "filter XLSX"),
                                 file_name=f"loc_xa_{vintage}.xlsx", key="download_xlsx",
                                 mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# Export panel (added later by the exports work): the map is `fmap`, the result `result`,
# the table `table` and its notes `notes`.
filter_export_panel(atlas, result, vintage=vintage, lang=lang)

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
from mutte_geo.analysis.filterurl import FILTER_KEYS, decode_query, encode_query
from mutte_geo.core.errors import CriteriaError
from mutte_geo.core.i18n import format_period, tr
from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.maps.filtermap import filter_map
from mutte_geo.model.indicators import LATEST
from mutte_geo.ui.appstate import atlas_or_stop, current_lang, current_vintage, region_atlas_or_stop
from mutte_geo.ui.authpage import sensitive_export
from mutte_geo.ui.exportui import filter_export_panel
from mutte_geo.ui.filterpage import (
    JOIN_KEY,
    KIND_KEY,
    PERIOD_KEY,
    criteria_from_widgets,
    default_condition,
    export_notes,
    fill_missing_widgets,
    key,
    load_widgets,
    period_options,
    repair_condition,
    result_table,
)
from mutte_geo.ui.mappage import indicator_choices, indicator_label
from mutte_geo.ui.markdown import md_escape
from mutte_geo.ui.ntmpage import with_ntm

CRITERIA = "filter_criteria"  # the current criteria (outlives the widgets when the user leaves the page)

lang = current_lang()
atlas = region_atlas_or_stop(lang, with_ntm(atlas_or_stop(lang), current_vintage(), lang))  # NTM criteria too
vintage = current_vintage()
catalogue = atlas.catalogue
state = st.session_state

region = atlas.region.name
st.title(tr(lang, f"Lọc xã theo tiêu chí – {region.vi}", f"Filter communes by criteria – {region.en}"))

if CRITERIA not in state:  # first visit in this session: the link decides
    try:
        state[CRITERIA] = decode_query(st.query_params.to_dict(), catalogue).criteria
    except CriteriaError as exc:
        state[CRITERIA] = Criteria()
        state["filter_link_problems"] = exc.describe(lang)
visible = state[CRITERIA].restricted_to(catalogue)
if visible != state[CRITERIA]:  # e.g. after signing out: drop conditions on indicators now hidden
    state[CRITERIA] = visible
    load_widgets(state, visible)
fill_missing_widgets(state, state[CRITERIA])
if state.get("filter_link_problems"):
    st.error(tr(lang, "Liên kết lọc không hợp lệ hoặc đã cũ, nên đang hiển thị không lọc:",
                "The filter link is malformed or outdated, so no filter is applied:"))
    st.markdown("\n".join(f"- {md_escape(p)}" for p in state["filter_link_problems"]))


def set_criteria(criteria: Criteria) -> None:
    state[CRITERIA] = criteria
    state["filter_link_problems"] = []
    load_widgets(state, criteria)


def add_condition() -> None:
    current = state[CRITERIA]
    new = default_condition(catalogue["borders_china"])
    set_criteria(Criteria((*current.conditions, new), current.combine, current.period, current.kind))


def remove_condition(i: int) -> None:
    current = state[CRITERIA]
    kept = tuple(c for n, c in enumerate(current.conditions) if n != i)
    set_criteria(Criteria(kept, current.combine, current.period, current.kind))


st.markdown(tr(lang, "**Câu hỏi có sẵn** (theo báo cáo):", "**Ready-made questions** (from the report):"))
with st.container(horizontal=True, wrap=True):
    for question in QUESTIONS:
        if question.available(catalogue):
            st.button(question.title(lang), key=f"q_{question.id}", on_click=set_criteria,
                      args=(question.criteria,), help=describe_criteria(question.criteria, catalogue, lang))
        else:
            st.button(question.title(lang), key=f"q_{question.id}", disabled=True,
                      help=tr(lang, "Câu hỏi dùng chỉ tiêu bạn không được xem (cần đăng nhập).",
                              "Uses an indicator that is not available to you (sign-in needed)."))

st.subheader(tr(lang, "Điều kiện", "Conditions"))
choices = indicator_choices(atlas, vintage)
count = len(state[CRITERIA].conditions)
for i in range(count):
    cols = st.columns([4, 2, 3, 1], vertical_alignment="bottom")
    indicator_id = cols[0].selectbox(
        tr(lang, f"Chỉ tiêu {i + 1}", f"Indicator {i + 1}"), choices, key=key(i, "ind"),
        format_func=lambda c: indicator_label(atlas, c, vintage, lang))
    indicator = catalogue[indicator_id]
    repair_condition(state, i, indicator)
    op = cols[1].selectbox(tr(lang, "Phép so sánh", "Operator"), ops_for(indicator), key=key(i, "op"),
                           format_func=lambda o: tr(lang, *OP_LABELS[o]))
    with cols[2]:
        if op in ("has_data", "no_data"):
            st.caption(tr(lang, "(không cần giá trị)", "(no value needed)"))
        elif indicator.is_numeric:
            unit = indicator.unit(lang)
            if op == "between":
                low, high = st.columns(2)
                low.number_input(tr(lang, "Từ", "From") + f" ({unit})", key=key(i, "a"), format="%g")
                high.number_input(tr(lang, "Đến", "To") + f" ({unit})", key=key(i, "b"), format="%g")
            else:
                st.number_input(tr(lang, "Giá trị", "Value") + f" ({unit})", key=key(i, "a"), format="%g")
        else:
            if op == "one_of":
                st.multiselect(tr(lang, "Giá trị", "Values"), choices_for(indicator), key=key(i, "codes"),
                               format_func=partial(code_text, indicator, lang=lang))
            else:
                st.selectbox(tr(lang, "Giá trị", "Value"), choices_for(indicator), key=key(i, "code"),
                             format_func=partial(code_text, indicator, lang=lang))
    cols[3].button("✕", key=f"remove_{i}", on_click=remove_condition, args=(i,),
                   help=tr(lang, "Bỏ điều kiện này", "Remove this condition"))

settings = st.columns([2, 2, 3, 3], vertical_alignment="bottom")
settings[0].button(tr(lang, "Thêm điều kiện", "Add condition"), key="add_condition", on_click=add_condition,
                  icon=":material/add:")
settings[1].radio(tr(lang, "Kết hợp", "Combine"), ["and", "or"], key=JOIN_KEY, horizontal=True,
                  format_func=lambda j: tr(lang, "VÀ (tất cả)", "AND (all)") if j == "and"
                  else tr(lang, "HOẶC (ít nhất một)", "OR (any)"))
settings[3].radio(tr(lang, "Loại số liệu", "Kind of value"), ["actual", "target"], key=KIND_KEY, horizontal=True,
                  format_func=lambda k: tr(lang, "Thực hiện / ước", "Actual / estimate") if k == "actual"
                  else tr(lang, "Chỉ tiêu kế hoạch", "Target"))
periods = period_options(atlas.values, criteria_from_widgets(state, count, catalogue), vintage)
if state.get(PERIOD_KEY) not in periods:
    state[PERIOD_KEY] = LATEST
settings[2].selectbox(tr(lang, "Kỳ", "Period"), periods, key=PERIOD_KEY,
                      format_func=lambda p: tr(lang, "Mới nhất của mỗi đơn vị", "Latest for each unit")
                      if p == LATEST else format_period(p, lang))

criteria = criteria_from_widgets(state, count, catalogue)
state[CRITERIA] = criteria
try:
    result = evaluate(criteria, values=atlas.values, catalogue=catalogue, units=atlas.units[vintage],
                      vintage=vintage, lang=lang)
except CriteriaError as exc:
    st.warning(tr(lang, "Điều kiện chưa đầy đủ:", "The conditions are incomplete:"))
    st.markdown("\n".join(f"- {md_escape(p)}" for p in exc.describe(lang)))
    st.stop()

# Keep the link in step with the filter (other query parameters, e.g. lang, are left alone).
wanted = encode_query(criteria, vintage)
for name in (*FILTER_KEYS, "vintage"):
    if name in wanted and st.query_params.get(name) != wanted[name]:
        st.query_params[name] = wanted[name]
    elif name not in wanted and name in st.query_params:
        del st.query_params[name]

if criteria.is_empty:
    st.info(tr(lang, "Chưa có điều kiện: chọn một câu hỏi có sẵn hoặc thêm điều kiện.",
               "No condition yet: pick a ready-made question or add a condition."))
else:
    summary = st.columns(3)
    for column, outcome in zip(summary, (MATCH, UNKNOWN, NO_MATCH)):
        column.metric(tr(lang, *OUTCOME_LABELS[outcome]), result.count(outcome))

fmap = filter_map(result, atlas.web_layer(vintage), units=atlas.units[vintage], catalogue=catalogue,
                  attribution=atlas.attribution(vintage), lang=lang)
st_folium(fmap, height=560, use_container_width=True, render=False, returned_objects=[], key="filter_map")
st.caption(" · ".join(atlas.attribution(vintage)))

table = result_table(result, catalogue, lang)
notes = export_notes(result, catalogue, atlas.attribution(vintage), lang)
if not criteria.is_empty:
    outcome_column = tr(lang, "Kết quả", "Result")
    st.subheader(tr(lang, "Đơn vị thỏa mãn", "Matching units"))
    st.dataframe(table[table[outcome_column] == tr(lang, *OUTCOME_LABELS[MATCH])], hide_index=True,
                 width="stretch", key="table_match")
    if result.count(UNKNOWN):
        st.subheader(tr(lang, "Không xác định được (thiếu dữ liệu)", "Cannot tell (no data)"))
        st.dataframe(table[table[outcome_column] == tr(lang, *OUTCOME_LABELS[UNKNOWN])], hide_index=True,
                     width="stretch", key="table_unknown")
    with st.expander(tr(lang, f"Không thỏa mãn ({result.count(NO_MATCH)})",
                        f"No match ({result.count(NO_MATCH)})")):
        st.dataframe(table[table[outcome_column] == tr(lang, *OUTCOME_LABELS[NO_MATCH])], hide_index=True,
                     width="stretch", key="table_no_match")
    downloads = st.columns(2)
    sensitive = any(atlas.catalogue[c.indicator].sensitive for c in result.criteria.conditions)
    downloads[0].download_button(tr(lang, "Tải bảng CSV", "Download CSV"),
                                 sensitive_export(to_csv_bytes(table, notes=notes), sensitive, "filter CSV"),
                                 file_name=f"loc_xa_{vintage}.csv", mime="text/csv", key="download_csv")
    downloads[1].download_button(tr(lang, "Tải bảng XLSX", "Download XLSX"),
                                 sensitive_export(to_xlsx_bytes(table, sheet=tr(lang, "loc_xa", "filter"), notes=notes),
                                                  sensitive, "filter XLSX"),
                                 file_name=f"loc_xa_{vintage}.xlsx", key="download_xlsx",
                                 mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# Export panel (added later by the exports work): the map is `fmap`, the result `result`,
# the table `table` and its notes `notes`.
filter_export_panel(atlas, result, vintage=vintage, lang=lang)

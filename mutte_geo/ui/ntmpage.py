"""Streamlit pieces of the NTM tracker: cached data, the tracker maps, the profile card and the import box."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.analysis.ntm import (
    MET_COUNT_ID,
    card_lines,
    communes,
    criterion_indicator_id,
    predecessor_context,
    recognitions_of,
    tracker,
    with_tracker,
    year_by_year,
    years,
)
from mutte_geo.core.i18n import tr
from mutte_geo.core.localtime import local_time_text
from mutte_geo.maps.classify import ClassBin, Classification
from mutte_geo.maps.legend import legend_entries, legend_title
from mutte_geo.maps.view import MapRequest, MapView, legend_note, map_view
from mutte_geo.maps.webmap import legend_html, map_parts
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.crosswalk import mark_reaching_outside
from mutte_geo.model.ntm import (
    ASSESSORS,
    MET,
    NOT_ASSESSED,
    NOT_MET,
    CriteriaSet,
    CriteriaSets,
    assessor_label,
    load_criteria_sets,
    load_public_record,
    set_for_vintage,
    status_label,
)
from mutte_geo.model.units import TOWN_TYPE
from mutte_geo.storage.accounts import ScopeError
from mutte_geo.storage.auth import User, can
from mutte_geo.storage.ntm_import import NtmOptions, edit_table, parse_edit, parse_ntm_file
from mutte_geo.storage.ntmstore import EDIT_ACTION, NtmReport
from mutte_geo.storage.stewardship import action_label, problems_table
from mutte_geo.storage.store import ConflictError
from mutte_geo.ui.appstate import ntm_store, value_store

REPORT_KEY = "ntm_import_report"
EDIT_SAVED_KEY = "ntm_edit_saved"
STATUS_COLOURS = {MET: "#1b7837", NOT_MET: "#f1a340"}  # green / orange: apart in lightness for colour-blind readers


@st.cache_resource(show_spinner=False)
def criteria_sets() -> CriteriaSets:
    return load_criteria_sets()


@st.cache_resource(show_spinner=False)
def public_record() -> pd.DataFrame:
    return load_public_record()


def current_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stored assessments and every recognition (public record and imported)."""
    store = ntm_store()
    return store.assessments(), recognitions_of(public_record(), store.recognitions())


def met_count_request(criteria_set: CriteriaSet, year: int, lang: str) -> MapRequest:
    """Criteria met, in fixed classes on the set's own scale (so maps of different years compare)."""
    size = criteria_set.size
    breaks = (size // 2, size - 5, size - 1) if size >= 10 else (size - 1,)
    return MapRequest(MET_COUNT_ID, criteria_set.vintage, str(year), ("actual",), lang, "manual",
                      manual_breaks=tuple(float(b) for b in breaks))


def criterion_request(criteria_set: CriteriaSet, number: int, year: int, lang: str) -> MapRequest:
    return MapRequest(criterion_indicator_id(number), criteria_set.vintage, str(year), ("actual",), lang)


def tracker_view(atlas: Atlas, request: MapRequest) -> MapView:
    """The map view with fixed colours (met / not met), units without an assessment shown (and exported) as
    'not assessed' and the town as 'not applicable'."""
    view = map_view(atlas, request)
    lang = request.lang
    indicator = atlas.catalogue[request.indicator_id]
    if not indicator.is_numeric:
        present = view.joined.set_index("code")["value"]
        bins = [ClassBin(STATUS_COLOURS[s], int((present == s).sum()), code=s) for s in (MET, NOT_MET)
                if (present == s).any()]
        colors = {c: STATUS_COLOURS[v] for c, v in present.items() if v in STATUS_COLOURS}
        classification = Classification(colors, bins, "categories")
        no_data = int((~view.joined["has_data"]).sum())
        view = replace(view, classification=classification,
                       legend=legend_entries(classification, indicator, lang, no_data_count=no_data))
    if request.vintage == 2025 and atlas.crosswalk is not None:
        # The note on communes reaching outside the district is about moved 2024 figures; NTM results are
        # assessed per 2025 commune, so it does not apply here.
        _, outside = mark_reaching_outside(view.joined, atlas.crosswalk, atlas.units, lang)
        notes = [n for n in view.classification.notes if n not in outside]
        view = replace(view, classification=replace(view.classification, notes=notes))
    towns = {c for c, u in atlas.units[request.vintage].items() if u.unit_type == TOWN_TYPE}
    joined = view.joined.copy()
    joined.loc[~joined["has_data"], "value_text"] = NOT_ASSESSED[0 if lang == "vi" else 1]
    joined.loc[joined["code"].isin(towns), "value_text"] = tr(lang, "không áp dụng (thị trấn)",
                                                              "not applicable (town)")
    label = NOT_ASSESSED[0 if lang == "vi" else 1]
    if towns:
        label += tr(lang, " / thị trấn: không áp dụng", " / town: not applicable")
    legend = [replace(e, label=label) if e.no_data else e for e in view.legend]
    return replace(view, joined=joined, legend=legend)


def show_map(atlas: Atlas, view: MapView, request: MapRequest, *, key: str) -> None:
    indicator = atlas.catalogue[request.indicator_id]
    parts = map_parts(view.joined, view.classification,
                      legend=legend_html(legend_title(indicator, request.lang), view.legend,
                                         legend_note(view, request.lang)),
                      attribution=atlas.attribution(request.vintage), lang=request.lang, serve_geometry=True)
    st_folium(parts.base, height=480, use_container_width=True, render=False, feature_group_to_add=parts.styles,
              returned_objects=[], key=key)


def ntm_card(atlas: Atlas, vintage: int, code: str, lang: str) -> None:
    """The profile's NTM card: this year's criteria met and missing, year by year, recognition, predecessors."""
    unit = atlas.units[vintage][code]
    sets = criteria_sets()
    st.subheader(tr(lang, "Nông thôn mới", "New rural area (NTM)"))
    if unit.unit_type == TOWN_TYPE:
        st.caption(tr(lang, "Thị trấn: chương trình nông thôn mới chỉ áp dụng cho xã.",
                      "Town: the NTM programme applies to communes only."))
        return
    criteria_set = set_for_vintage(sets, vintage)
    assessments, recognitions = current_data()
    rec = recognitions[(recognitions["vintage"] == vintage) & (recognitions["unit_code"] == code)]
    lines = [tr(lang, f"Bộ tiêu chí: {criteria_set.short(lang)}", f"Criteria set: {criteria_set.short(lang)}")]
    for r in rec.to_dict("records"):
        decision = r["decision"] or tr(lang, "chưa rõ số quyết định", "decision number unknown")
        uncertain = tr(lang, " — nguồn chưa chắc chắn", " — uncertain source") if r["status"] == "UNCERTAIN" else ""
        lines.append(tr(lang, f"Đạt chuẩn NTM: công nhận năm {r['year']} ({decision}){uncertain}",
                        f"NTM standard: recognised in {r['year']} ({decision}){uncertain}"))
    history = year_by_year(assessments, criteria_set, code)
    current = None if history.empty else tracker(atlas, assessments, criteria_set, int(history["year"].max()))
    if current is None:
        lines.append(tr(lang, "Chưa có kết quả đánh giá tiêu chí nào: mọi tiêu chí “chưa đánh giá”.",
                        "No criterion has been assessed yet: every criterion is “not assessed”."))
    else:
        lines += card_lines(current, code, lang)
    st.markdown("\n".join(f"- {line}" for line in lines))
    if not history.empty:
        st.dataframe(history.rename(columns={
            "year": tr(lang, "Năm", "Year"), "met": tr(lang, "Đạt", "Met"), "not_met": tr(lang, "Chưa đạt", "Not met"),
            "not_assessed": tr(lang, "Chưa đánh giá", "Not assessed")}), hide_index=True)
    if vintage == 2025:
        context = predecessor_context(atlas, assessments, recognitions, set_for_vintage(sets, 2024), code, lang)
        if context:
            st.caption(tr(lang, "Đơn vị trước sáp nhập (chỉ để tham khảo: xã mới không thừa hưởng kết quả “đạt”):",
                          "Units before the merger (context only: a new commune inherits no “met”):"))
            st.markdown("\n".join(f"- {line}" for line in context))
    mapped = [(c, [i for i in c.app_indicators if i in atlas.catalogue]) for c in criteria_set.criteria]
    mapped = [(c, ids) for c, ids in mapped if ids]
    if mapped:
        with st.expander(tr(lang, "Chỉ tiêu của atlas đo cùng nội dung", "Atlas indicators measuring the same")):
            profile = atlas.values[(atlas.values["vintage"] == vintage) & (atlas.values["unit_code"] == code)]
            rows = []
            for criterion, ids in mapped:
                cell = None if current is None else current.grid.loc[code, criterion.number]
                status = None if cell is None or pd.isna(cell) else str(cell)
                for ident in ids:
                    held = profile[profile["indicator"] == ident]
                    rows.append({tr(lang, "Tiêu chí", "Criterion"): criterion.label(lang),
                                 tr(lang, "Kết quả tiêu chí", "Criterion result"): status_label(status, lang),
                                 tr(lang, "Chỉ tiêu atlas", "Atlas indicator"): atlas.catalogue[ident].name(lang),
                                 tr(lang, "Giá trị", "Value"): ", ".join(held["value"]) if not held.empty
                                 else tr(lang, "Không có dữ liệu", "No data")})
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def import_box(atlas: Atlas, user: User, criteria_set: CriteriaSet, lang: str) -> None:
    """Upload a filled template, see every problem or what would change, then confirm (one revision)."""
    store = ntm_store()
    uploaded = st.file_uploader(tr(lang, "Tệp kết quả đánh giá (XLSX hoặc CSV)", "Assessment file (XLSX or CSV)"),
                                type=["xlsx", "csv"], key="ntm_import_file")
    with st.expander(tr(lang, "Thông tin khi tệp không ghi", "Details when the file does not say")):
        year = st.text_input(tr(lang, "Năm đánh giá", "Assessment year"), key="ntm_import_year")
        assessor = st.selectbox(tr(lang, "Cấp đánh giá", "Assessed by"), ["", "self", "district", "province"],
                                key="ntm_import_assessor",
                                format_func=lambda a: {"": "—", "self": tr(lang, "Xã tự đánh giá", "Self-assessment"),
                                                       "district": tr(lang, "Huyện thẩm định", "District appraisal"),
                                                       "province": tr(lang, "Tỉnh thẩm định", "Province appraisal")}[a])
        source = st.text_input(tr(lang, "Nguồn (biên bản, báo cáo)", "Source (minutes, report)"), key="ntm_import_src")
    if uploaded is None:
        return
    options = NtmOptions(year=year.strip(), assessor=assessor, source=source.strip(),
                         vintage=str(criteria_set.vintage))
    data = uploaded.getvalue()
    key = (hashlib.sha256(data).hexdigest(), uploaded.name, options, value_store().version())
    held = st.session_state.get(REPORT_KEY)
    if held is None or held[0] != key:
        parsed = parse_ntm_file(data, uploaded.name, sets=criteria_sets(), units=atlas.units, options=options)
        held = (key, store.check(parsed, user=user))
        st.session_state[REPORT_KEY] = held
    report: NtmReport = held[1]
    if not report.ok:
        st.error(tr(lang, f"Tệp có {len(report.problems)} lỗi: chưa có gì được ghi. Hãy sửa tệp rồi tải lại.",
                    f"The file has {len(report.problems)} problem(s): nothing was written. Fix it and upload "
                    "again."))
        st.dataframe(problems_table(report.problems, lang), hide_index=True, width="stretch")
        return
    a, b, c = st.columns(3)
    a.metric(tr(lang, "Kết quả mới", "New results"), report.new_count)
    b.metric(tr(lang, "Thay đổi", "Changed"), report.changed_count)
    c.metric(tr(lang, "Không đổi", "Unchanged"), report.unchanged)
    if not report.changes:
        st.info(tr(lang, "Tệp không làm thay đổi kết quả nào.", "The file changes nothing."))
        return
    if st.button(tr(lang, "Xác nhận nhập", "Confirm import"), type="primary", key="ntm_import_confirm"):
        try:
            revision = store.apply(report, user=user)
        except ConflictError as exc:
            st.error(tr(lang, "Có người khác vừa sửa cùng kết quả; không có gì được ghi: ",
                        "Someone else changed the same results meanwhile; nothing was written: ") + str(exc))
        except ScopeError as exc:
            st.error(exc.text(lang))
        else:
            st.session_state.pop(REPORT_KEY, None)
            st.success(tr(lang, f"Đã ghi phiên bản {revision}.", f"Saved as revision {revision}."))



def ntm_changes_table(revision_id: int, atlas: Atlas, lang: str) -> pd.DataFrame:
    """What one NTM revision changed, in words: commune, criterion, year, assessor, old → new."""
    return _history_words(ntm_store().changes_in(revision_id), atlas, lang)


def _history_words(changes: pd.DataFrame, atlas: Atlas, lang: str, *, when: bool = False) -> pd.DataFrame:
    """NTM history rows for people (``when``: with time, who and the kind of change first)."""
    sets = criteria_sets()
    removed = tr(lang, "(gỡ khi khôi phục)", "(removed by a restore)")
    records = []
    for r in changes.to_dict("records"):
        unit = atlas.units[int(r["vintage"])].get(str(r["unit_code"]))
        name = unit.label(lang) if unit else str(r["unit_code"])
        if r["record"] == "assessment":
            criterion = sets[r["set_id"]].criterion(int(r["criterion"])) if r["set_id"] in sets else None
            what = criterion.label(lang) if criterion else str(r["criterion"])
            old = status_label(r["old_status"], lang) if isinstance(r.get("old_status"), str) else ""
            new = removed if r["removed"] else status_label(r["new_status"], lang)
            who = assessor_label(r["assessor"], lang)
        else:
            what, who = tr(lang, "Quyết định công nhận", "Recognition decision"), ""
            old = str(r["old_decision"]) if isinstance(r.get("old_decision"), str) else ""
            new = removed if r["removed"] else str(r["new_decision"])
        record = {tr(lang, "Xã", "Commune"): name, tr(lang, "Nội dung", "What"): what,
                  tr(lang, "Năm", "Year"): r["year"], tr(lang, "Cấp đánh giá", "Assessed by"): who,
                  tr(lang, "Cũ", "Old"): old, tr(lang, "Mới", "New"): new, tr(lang, "Dòng", "Row"): r["row"] or ""}
        if when:
            record = {tr(lang, "Thời điểm", "When"): local_time_text(r["at"], lang),
                      tr(lang, "Người", "Who"): r["user_name"],
                      tr(lang, "Việc", "Action"): action_label(r["action"], lang),
                      tr(lang, "Phiên bản", "Revision"): r["revision_id"], **record}
        records.append(record)
    return pd.DataFrame.from_records(records)


def edit_box(atlas: Atlas, user: User, criteria_set: CriteriaSet, year: int, lang: str) -> None:
    """Edit one commune's results of one year in place; saved as a revision under the account's rules."""
    store = ntm_store()
    own = [c for c in communes(atlas, criteria_set.vintage) if user.covers(criteria_set.vintage, c)]
    if not own:
        st.info(tr(lang, f"Tài khoản của bạn không nhập kết quả cho xã nào theo ranh giới {criteria_set.vintage}.",
                   f"Your account enters results for no commune of the {criteria_set.vintage} boundaries."))
        return
    units = atlas.units[criteria_set.vintage]
    left, middle, right = st.columns(3)
    code = left.selectbox(tr(lang, "Xã", "Commune"), own, key="ntm_edit_unit",
                          format_func=lambda c: units[c].label(lang))
    set_years = list(range(criteria_set.year_to, criteria_set.year_from - 1, -1))
    edit_year = middle.selectbox(tr(lang, "Năm đánh giá", "Assessment year"), set_years, key="ntm_edit_year",
                                 index=set_years.index(year) if year in set_years else 0)
    assessor = right.selectbox(tr(lang, "Cấp đánh giá", "Assessed by"), list(ASSESSORS), key="ntm_edit_assessor",
                               format_func=lambda a: assessor_label(a, lang))
    source_col, date_col = st.columns([3, 1])
    source = source_col.text_input(tr(lang, "Nguồn cho kết quả sửa (bắt buộc: biên bản, báo cáo)",
                                      "Source of the changed results (required: minutes, report)"),
                                   key="ntm_edit_source")
    assessed_on = date_col.text_input(tr(lang, "Ngày đánh giá", "Assessment date"), key="ntm_edit_date",
                                      placeholder="2024-12-31")
    editor_key = f"ntm_edit_table_{criteria_set.set_id}_{code}_{edit_year}_{assessor}_{lang}"
    snapshot_key = f"{editor_key}_shown"
    if snapshot_key not in st.session_state:  # the table as first shown: saving checks nobody changed it since
        st.session_state[snapshot_key] = edit_table(store.assessments(), criteria_set, code=code, year=edit_year,
                                                    assessor=assessor, lang=lang)
    original = st.session_state[snapshot_key]
    if EDIT_SAVED_KEY in st.session_state:
        st.success(st.session_state.pop(EDIT_SAVED_KEY))
    st.caption(tr(lang, "Chọn kết quả trong cột Kết quả; ô trống là chưa đánh giá. Kết quả đã lưu không xóa ở đây "
                        "(khôi phục một phiên bản trước nếu cần).",
                  "Choose the result in the Result column; an empty cell is not assessed. A stored result is not "
                  "removed here (restore an earlier revision if needed)."))
    edited = st.data_editor(original, hide_index=True, width="stretch", key=editor_key,
                            disabled=["criterion", "name"], column_config={
                                "criterion": tr(lang, "TT", "No."), "name": tr(lang, "Tiêu chí", "Criterion"),
                                "status": st.column_config.SelectboxColumn(
                                    tr(lang, "Kết quả", "Result"),
                                    options=[status_label(MET, lang), status_label(NOT_MET, lang)]),
                                "measured": tr(lang, "Giá trị đo", "Measured"),
                                "evidence": tr(lang, "Minh chứng", "Evidence"), "note": tr(lang, "Ghi chú", "Note")})
    latest = edit_table(store.assessments(), criteria_set, code=code, year=edit_year, assessor=assessor, lang=lang)
    parsed = parse_edit(original, edited, latest, criteria_set=criteria_set, units=atlas.units, code=code,
                        year=edit_year, assessor=assessor, source=source, assessed_on=assessed_on,
                        file=tr(lang, "bảng sửa", "edit table"))
    if parsed.ok and parsed.rows.empty:
        st.caption(tr(lang, "Chưa có thay đổi.", "No changes yet."))
        return
    report = store.check(parsed, user=user)
    if not report.ok:
        st.error(tr(lang, "Có lỗi, chưa lưu được:", "There are problems; nothing can be saved yet:"))
        st.dataframe(problems_table(report.problems, lang), hide_index=True, width="stretch")
        return
    st.caption(tr(lang, f"{report.new_count} kết quả mới, {report.changed_count} thay đổi.",
                  f"{report.new_count} new, {report.changed_count} changed."))
    if st.button(tr(lang, "Lưu kết quả", "Save the results"), type="primary", key="ntm_edit_save"):
        try:
            revision = store.apply(report, user=user, action=EDIT_ACTION)
        except ConflictError:
            st.error(tr(lang, "Có người khác vừa lưu cùng kết quả; chưa lưu gì. Hãy tải lại trang.",
                        "Someone else has just saved the same results; nothing was saved. Reload the page."))
        except (ScopeError, PermissionError) as exc:
            st.error(exc.text(lang) if isinstance(exc, ScopeError) else str(exc))
        else:
            st.session_state[EDIT_SAVED_KEY] = tr(lang, f"Đã lưu phiên bản {revision}.",
                                                  f"Saved as revision {revision}.")
            del st.session_state[snapshot_key]
            st.session_state.pop(editor_key, None)
            st.rerun()


def history_box(atlas: Atlas, user: User, vintage: int, code: str | None, lang: str) -> None:
    """One commune's NTM history, every NTM revision and what it changed; restore (admins) as a new revision."""
    store = ntm_store()
    if code is not None and code in atlas.units[vintage]:
        history = store.unit_history(vintage, code)
        name = atlas.units[vintage][code].label(lang)
        st.markdown(tr(lang, f"**Lịch sử của {name}**", f"**History of {name}**"))
        if history.empty:
            st.caption(tr(lang, "Chưa có kết quả nào được lưu.", "Nothing has been saved yet."))
        else:
            st.dataframe(_history_words(history.iloc[::-1], atlas, lang, when=True), hide_index=True, width="stretch")
    revisions = store.revisions()
    if not revisions:
        return
    chosen = st.selectbox(tr(lang, "Phiên bản nông thôn mới", "NTM revision"), [r.id for r in revisions],
                          key="ntm_history_revision", format_func=lambda i: next(
                              f"{r.id} · {local_time_text(r.at, lang)} · {r.user_name} · {action_label(r.action, lang)}"
                              f"{' · ' + r.file if r.file else ''}" for r in revisions if r.id == i))
    st.dataframe(ntm_changes_table(chosen, atlas, lang), hide_index=True, width="stretch")
    if can(user, "restore") and chosen != revisions[0].id:
        sure = st.checkbox(tr(lang, f"Tôi muốn đưa kết quả nông thôn mới về trạng thái sau phiên bản {chosen} (thành "
                                    "một phiên bản mới, lịch sử vẫn giữ nguyên)",
                              f"I want the NTM results as they were after revision {chosen} (saved as a new "
                              "revision; the history is kept)"), key="ntm_history_sure")
        if st.button(tr(lang, "Khôi phục", "Restore"), disabled=not sure, key="ntm_history_restore"):
            try:
                restored = store.restore(chosen, user=user)
            except ConflictError:
                st.error(tr(lang, "Có người khác vừa sửa kết quả; hãy thử lại.",
                            "Someone else changed results meanwhile; try again."))
            else:
                st.success(tr(lang, f"Đã khôi phục (phiên bản {restored}).", f"Restored (revision {restored}).")
                           if restored else tr(lang, "Kết quả đã ở trạng thái đó.", "The results are already so."))


def with_ntm(atlas: Atlas, vintage: int, lang: str) -> Atlas:
    """``atlas`` with the newest NTM assessment year of the vintage's set as indicators (for the filter page)."""
    criteria_set = set_for_vintage(criteria_sets(), vintage)
    assessments, _ = current_data()
    held = years(assessments, criteria_set)
    year = held[0] if held else criteria_set.year_to
    return with_tracker(atlas, tracker(atlas, assessments, criteria_set, year), lang)

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
from mutte_geo.core.i18n import gettext, pgettext
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
    joined.loc[joined["code"].isin(towns), "value_text"] = gettext(lang, "not applicable (town)")
    label = NOT_ASSESSED[0 if lang == "vi" else 1]
    if towns:
        label += gettext(lang, " / town: not applicable")
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
    st.subheader(gettext(lang, "New rural area (NTM)"))
    if unit.unit_type == TOWN_TYPE:
        st.caption(gettext(lang, "Town: the NTM programme applies to communes only."))
        return
    criteria_set = set_for_vintage(sets, vintage)
    assessments, recognitions = current_data()
    rec = recognitions[(recognitions["vintage"] == vintage) & (recognitions["unit_code"] == code)]
    lines = [gettext(lang, "Criteria set: {short}").format(short=criteria_set.short(lang))]
    for r in rec.to_dict("records"):
        decision = r["decision"] or gettext(lang, "decision number unknown")
        uncertain = gettext(lang, " — uncertain source") if r["status"] == "UNCERTAIN" else ""
        lines.append(gettext(lang, "NTM standard: recognised in {year} ({decision}){uncertain}").format(
                         year=r['year'], decision=decision, uncertain=uncertain))
    history = year_by_year(assessments, criteria_set, code)
    current = None if history.empty else tracker(atlas, assessments, criteria_set, int(history["year"].max()))
    if current is None:
        lines.append(gettext(lang, "No criterion has been assessed yet: every criterion is “not assessed”."))
    else:
        lines += card_lines(current, code, lang)
    st.markdown("\n".join(f"- {line}" for line in lines))
    if not history.empty:
        st.dataframe(history.rename(columns={
            "year": gettext(lang, "Year"), "met": gettext(lang, "Met"), "not_met": gettext(lang, "Not met"),
            "not_assessed": gettext(lang, "Not assessed")}), hide_index=True)
    if vintage == 2025:
        context = predecessor_context(atlas, assessments, recognitions, set_for_vintage(sets, 2024), code, lang)
        if context:
            st.caption(gettext(lang, "Units before the merger (context only: a new commune inherits no “met”):"))
            st.markdown("\n".join(f"- {line}" for line in context))
    mapped = [(c, [i for i in c.app_indicators if i in atlas.catalogue]) for c in criteria_set.criteria]
    mapped = [(c, ids) for c, ids in mapped if ids]
    if mapped:
        with st.expander(gettext(lang, "Atlas indicators measuring the same")):
            profile = atlas.values[(atlas.values["vintage"] == vintage) & (atlas.values["unit_code"] == code)]
            rows = []
            for criterion, ids in mapped:
                cell = None if current is None else current.grid.loc[code, criterion.number]
                status = None if cell is None or pd.isna(cell) else str(cell)
                for ident in ids:
                    held = profile[profile["indicator"] == ident]
                    rows.append({gettext(lang, "Criterion"): criterion.label(lang),
                                 gettext(lang, "Criterion result"): status_label(status, lang),
                                 gettext(lang, "Atlas indicator"): atlas.catalogue[ident].name(lang),
                                 gettext(lang, "Value"): ", ".join(held["value"]) if not held.empty
                                 else gettext(lang, "No data")})
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def import_box(atlas: Atlas, user: User, criteria_set: CriteriaSet, lang: str) -> None:
    """Upload a filled template, see every problem or what would change, then confirm (one revision)."""
    store = ntm_store()
    uploaded = st.file_uploader(gettext(lang, "Assessment file (XLSX or CSV)"),
                                type=["xlsx", "csv"], key="ntm_import_file")
    with st.expander(gettext(lang, "Details when the file does not say")):
        year = st.text_input(gettext(lang, "Assessment year"), key="ntm_import_year")
        assessor = st.selectbox(gettext(lang, "Assessed by"), ["", "self", "district", "province"],
                                key="ntm_import_assessor",
                                format_func=lambda a: {"": "—", "self": gettext(lang, "Self-assessment"),
                                                       "district": gettext(lang, "District appraisal"),
                                                       "province": gettext(lang, "Province appraisal")}[a])
        source = st.text_input(gettext(lang, "Source (minutes, report)"), key="ntm_import_src")
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
        st.error(gettext(lang, "The file has {n_problems} problem(s): nothing was written. Fix it and upload "
                               "again.").format(n_problems=len(report.problems)))
        st.dataframe(problems_table(report.problems, lang), hide_index=True, width="stretch")
        return
    a, b, c = st.columns(3)
    a.metric(gettext(lang, "New results"), report.new_count)
    b.metric(gettext(lang, "Changed"), report.changed_count)
    c.metric(gettext(lang, "Unchanged"), report.unchanged)
    if not report.changes:
        st.info(gettext(lang, "The file changes nothing."))
        return
    if st.button(gettext(lang, "Confirm import"), type="primary", key="ntm_import_confirm"):
        try:
            revision = store.apply(report, user=user)
        except ConflictError as exc:
            st.error(gettext(lang, "Someone else changed the same results meanwhile; nothing was written: ") + str(exc))
        except ScopeError as exc:
            st.error(exc.text(lang))
        else:
            st.session_state.pop(REPORT_KEY, None)
            st.success(gettext(lang, "Saved as revision {revision}.").format(revision=revision))



def ntm_changes_table(revision_id: int, atlas: Atlas, lang: str) -> pd.DataFrame:
    """What one NTM revision changed, in words: commune, criterion, year, assessor, old → new."""
    return _history_words(ntm_store().changes_in(revision_id), atlas, lang)


def _history_words(changes: pd.DataFrame, atlas: Atlas, lang: str, *, when: bool = False) -> pd.DataFrame:
    """NTM history rows for people (``when``: with time, who and the kind of change first)."""
    sets = criteria_sets()
    removed = gettext(lang, "(removed by a restore)")
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
            what, who = gettext(lang, "Recognition decision"), ""
            old = str(r["old_decision"]) if isinstance(r.get("old_decision"), str) else ""
            new = removed if r["removed"] else str(r["new_decision"])
        record = {gettext(lang, "Commune"): name, pgettext(lang, "ntmpage", "What"): what,
                  gettext(lang, "Year"): r["year"], gettext(lang, "Assessed by"): who,
                  gettext(lang, "Old"): old, gettext(lang, "New"): new, gettext(lang, "Row"): r["row"] or ""}
        if when:
            record = {gettext(lang, "When"): local_time_text(r["at"], lang),
                      gettext(lang, "Who"): r["user_name"],
                      pgettext(lang, "ntmpage", "Action"): action_label(r["action"], lang),
                      gettext(lang, "Revision"): r["revision_id"], **record}
        records.append(record)
    return pd.DataFrame.from_records(records)


def edit_box(atlas: Atlas, user: User, criteria_set: CriteriaSet, year: int, lang: str) -> None:
    """Edit one commune's results of one year in place; saved as a revision under the account's rules."""
    store = ntm_store()
    own = [c for c in communes(atlas, criteria_set.vintage) if user.covers(criteria_set.vintage, c)]
    if not own:
        st.info(gettext(lang, "Your account enters results for no commune of the {vintage} boundaries.").format(
                    vintage=criteria_set.vintage))
        return
    units = atlas.units[criteria_set.vintage]
    left, middle, right = st.columns(3)
    code = left.selectbox(gettext(lang, "Commune"), own, key="ntm_edit_unit",
                          format_func=lambda c: units[c].label(lang))
    set_years = list(range(criteria_set.year_to, criteria_set.year_from - 1, -1))
    edit_year = middle.selectbox(gettext(lang, "Assessment year"), set_years, key="ntm_edit_year",
                                 index=set_years.index(year) if year in set_years else 0)
    assessor = right.selectbox(gettext(lang, "Assessed by"), list(ASSESSORS), key="ntm_edit_assessor",
                               format_func=lambda a: assessor_label(a, lang))
    source_col, date_col = st.columns([3, 1])
    source = source_col.text_input(gettext(lang, "Source of the changed results (required: minutes, report)"),
                                   key="ntm_edit_source")
    assessed_on = date_col.text_input(gettext(lang, "Assessment date"), key="ntm_edit_date",
                                      placeholder="2024-12-31")
    editor_key = f"ntm_edit_table_{criteria_set.set_id}_{code}_{edit_year}_{assessor}_{lang}"
    snapshot_key = f"{editor_key}_shown"
    if snapshot_key not in st.session_state:  # the table as first shown: saving checks nobody changed it since
        st.session_state[snapshot_key] = edit_table(store.assessments(), criteria_set, code=code, year=edit_year,
                                                    assessor=assessor, lang=lang)
    original = st.session_state[snapshot_key]
    if EDIT_SAVED_KEY in st.session_state:
        st.success(st.session_state.pop(EDIT_SAVED_KEY))
    st.caption(gettext(lang, "Choose the result in the Result column; an empty cell is not assessed. A stored result "
                             "is not removed here (restore an earlier revision if needed)."))
    edited = st.data_editor(original, hide_index=True, width="stretch", key=editor_key,
                            disabled=["criterion", "name"], column_config={
                                "criterion": pgettext(lang, "ntmpage", "No."), "name": gettext(lang, "Criterion"),
                                "status": st.column_config.SelectboxColumn(
                                    gettext(lang, "Result"),
                                    options=[status_label(MET, lang), status_label(NOT_MET, lang)]),
                                "measured": gettext(lang, "Measured"),
                                "evidence": gettext(lang, "Evidence"), "note": gettext(lang, "Note")})
    latest = edit_table(store.assessments(), criteria_set, code=code, year=edit_year, assessor=assessor, lang=lang)
    parsed = parse_edit(original, edited, latest, criteria_set=criteria_set, units=atlas.units, code=code,
                        year=edit_year, assessor=assessor, source=source, assessed_on=assessed_on,
                        file=gettext(lang, "edit table"))
    if parsed.ok and parsed.rows.empty:
        st.caption(gettext(lang, "No changes yet."))
        return
    report = store.check(parsed, user=user)
    if not report.ok:
        st.error(gettext(lang, "There are problems; nothing can be saved yet:"))
        st.dataframe(problems_table(report.problems, lang), hide_index=True, width="stretch")
        return
    st.caption(gettext(lang, "{new_count} new, {changed_count} changed.").format(
                   new_count=report.new_count, changed_count=report.changed_count))
    if st.button(gettext(lang, "Save the results"), type="primary", key="ntm_edit_save"):
        try:
            revision = store.apply(report, user=user, action=EDIT_ACTION)
        except ConflictError:
            st.error(gettext(lang, "Someone else has just saved the same results; nothing was saved. Reload the page."))
        except (ScopeError, PermissionError) as exc:
            st.error(exc.text(lang) if isinstance(exc, ScopeError) else str(exc))
        else:
            st.session_state[EDIT_SAVED_KEY] = pgettext(lang, "ntmpage", "Saved as revision {revision}.").format(
                                                   revision=revision)
            del st.session_state[snapshot_key]
            st.session_state.pop(editor_key, None)
            st.rerun()


def history_box(atlas: Atlas, user: User, vintage: int, code: str | None, lang: str) -> None:
    """One commune's NTM history, every NTM revision and what it changed; restore (admins) as a new revision."""
    store = ntm_store()
    if code is not None and code in atlas.units[vintage]:
        history = store.unit_history(vintage, code)
        name = atlas.units[vintage][code].label(lang)
        st.markdown(gettext(lang, "**History of {name}**").format(name=name))
        if history.empty:
            st.caption(gettext(lang, "Nothing has been saved yet."))
        else:
            st.dataframe(_history_words(history.iloc[::-1], atlas, lang, when=True), hide_index=True, width="stretch")
    revisions = store.revisions()
    if not revisions:
        return
    chosen = st.selectbox(gettext(lang, "NTM revision"), [r.id for r in revisions],
                          key="ntm_history_revision", format_func=lambda i: next(
                              f"{r.id} · {local_time_text(r.at, lang)} · {r.user_name} · {action_label(r.action, lang)}"
                              f"{' · ' + r.file if r.file else ''}" for r in revisions if r.id == i))
    st.dataframe(ntm_changes_table(chosen, atlas, lang), hide_index=True, width="stretch")
    if can(user, "restore") and chosen != revisions[0].id:
        sure = st.checkbox(gettext(lang, "I want the NTM results as they were after revision {chosen} (saved "
                                         "as a new revision; the history is kept)").format(
                               chosen=chosen), key="ntm_history_sure")
        if st.button(gettext(lang, "Restore"), disabled=not sure, key="ntm_history_restore"):
            try:
                restored = store.restore(chosen, user=user)
            except ConflictError:
                st.error(gettext(lang, "Someone else changed results meanwhile; try again."))
            else:
                st.success(gettext(lang, "Restored (revision {restored}).").format(restored=restored)
                           if restored else gettext(lang, "The results are already so."))


def with_ntm(atlas: Atlas, vintage: int, lang: str) -> Atlas:
    """``atlas`` with the newest NTM assessment year of the vintage's set as indicators (for the filter page)."""
    criteria_set = set_for_vintage(criteria_sets(), vintage)
    assessments, _ = current_data()
    held = years(assessments, criteria_set)
    year = held[0] if held else criteria_set.year_to
    return with_tracker(atlas, tracker(atlas, assessments, criteria_set, year), lang)

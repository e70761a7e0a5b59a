"""NTM tracker: every commune against every criterion of the set in force, year by year, with sources."""

from functools import partial

import pandas as pd
import streamlit as st

from mutte_geo.analysis.ntm import (
    average_check,
    district_count,
    gap_text,
    grid_table,
    losses_since_recognition,
    planned,
    shares_table,
    tracker,
    tracker_atlas,
    years,
)
from mutte_geo.core.i18n import format_date, gettext
from mutte_geo.exports.filenames import MIME
from mutte_geo.exports.ntmexport import grid_bytes
from mutte_geo.maps.viewstate import COMMUNE_ORDERS, CRITERION_ORDERS
from mutte_geo.model.ntm import MET, NOT_MET, set_for_vintage, status_label
from mutte_geo.storage.auth import can
from mutte_geo.storage.ntm_import import template_xlsx
from mutte_geo.ui.appstate import atlas_or_stop, current_lang
from mutte_geo.ui.authpage import current_user
from mutte_geo.ui.exportui import export_panel
from mutte_geo.ui.ntmpage import (
    criteria_sets,
    criterion_request,
    current_data,
    edit_box,
    history_box,
    import_box,
    met_count_request,
    public_record,
    show_map,
    tracker_view,
)
from mutte_geo.ui.viewstate import bound, choose, read_view

atlas = atlas_or_stop(current_lang())
choice = read_view(atlas)
lang, vintage = choice.lang, choice.vintage
criteria_set = set_for_vintage(criteria_sets(), vintage)
applicable = [s for s in criteria_sets().values() if s.vintage == vintage]
by_id = {s.set_id: s for s in applicable}
set_id = choose(choice.criteria_set, by_id, criteria_set.set_id, lang, ("bộ tiêu chí", "criteria set"))
if len(applicable) > 1:  # e.g. a province's own set loaded beside the national one
    set_id = st.selectbox(gettext(lang, "Criteria set"), list(by_id),
                          format_func=lambda i: by_id[i].short(lang),
                          **bound("ntm_set", set_id, "criteria_set", options=by_id))
criteria_set = by_id.get(set_id, criteria_set)
assessments, recognitions = current_data()
units = atlas.units[vintage]

st.title(gettext(lang, "New-rural-area (NTM) tracker"))
signed, in_force = format_date(criteria_set.signed_on, lang), format_date(criteria_set.in_force_on, lang)
st.caption(gettext(lang, "{title} — Decision {decision} (signed {signed}, in force {in_force}); applies to "
                         "the communes of the {vintage} boundaries.").format(
               title=criteria_set.title(lang), decision=criteria_set.decision, signed=signed, in_force=in_force,
               vintage=vintage))

held_years = years(assessments, criteria_set)
year_options = held_years or list(range(criteria_set.year_to, criteria_set.year_from - 1, -1))
year = st.selectbox(gettext(lang, "Assessment year"), year_options, **bound(
    "ntm_year", choose(choice.year, year_options, year_options[0], lang, ("năm đánh giá", "assessment year")), "year",
    options=year_options))
result = tracker(atlas, assessments, criteria_set, year)
if not held_years:
    st.info(gettext(lang, "No assessment has been entered for this criteria set yet: every cell is “not assessed”. "
                          "Staff enter results with the template at the bottom of the page."))

# --- the public record ---------------------------------------------------------------------------------
record = public_record()
count = district_count(record)
with st.container(border=True):
    st.markdown(gettext(lang, "**Public record**"))
    lines = []
    if count is not None and vintage == 2024:
        lines.append(gettext(lang, "District report (6/2024): **3 communes** at the NTM standard in {year}; "
                                   "the report does not name them.").format(year=count['year']))
    for r in recognitions[recognitions["vintage"] == vintage].to_dict("records"):
        name = units[r["unit_code"]].label(lang)
        decision = r["decision"] or gettext(lang, "decision number not found")
        mark = gettext(lang, " (uncertain source)") if r["status"] == "UNCERTAIN" else ""
        lines.append(gettext(lang, "{name}: recognised in {year}, {decision}{mark}").format(
                         name=name, year=r['year'], decision=decision, mark=mark))
    plan = planned(record, vintage)
    if not plan.empty:
        names = ", ".join(units[c].name_vi for c in plan["unit_code"])
        lines.append(gettext(lang, "Plan for {iloc}: {n_plan} more communes ({names}) – report II.4.1.a").format(
                         iloc=plan['year'].iloc[0], n_plan=len(plan), names=names))
    if vintage == 2025:
        lines.append(gettext(lang, "The communes formed on 1 July 2025 are new units: they inherit no “met” from the "
                                   "old communes (each commune's profile shows its predecessors' status)."))
    st.markdown("\n".join(f"- {line}" for line in lines))

# --- at a glance ---------------------------------------------------------------------------------------
total = len(result.grid)
all_met = result.meeting_all()
left, middle, right = st.columns(3)
left.metric(gettext(lang, "Communes meeting all {size} ({year})").format(
                size=criteria_set.size, year=year), f"{len(all_met)}/{total}")
middle.metric(gettext(lang, "Communes fully assessed"), f"{len(result.fully_assessed)}/{total}")
right.metric(gettext(lang, "Cells not assessed"), int(result.grid.isna().sum().sum()))
average_text, mismatch = average_check(result, lang)
(st.warning if mismatch else st.markdown)(average_text)
if all_met:
    st.markdown(gettext(lang, "**Communes meeting all criteria:** ")
                + ", ".join(units[c].name_vi for c in all_met))
hardest = result.hardest()
if hardest:
    st.markdown(gettext(lang, "**Criteria the fewest communes meet:** ") + "; ".join(
        f"{criteria_set.criterion(n).label(lang)} ({int((result.grid[n] == MET).sum())}/{total})"  # type: ignore[union-attr]
        for n in hardest))
losses = losses_since_recognition(result, recognitions)
if not losses.empty:
    st.error(gettext(lang, "**At risk of losing the standard** (recognised communes now missing a "
                           "criterion): ") + "; ".join(
        f"{units[r['unit_code']].name_vi} ({gettext(lang, 'recognised')} {r['recognised']}): "
        + ", ".join(criteria_set.criterion(n).label(lang) for n in r["lost"])  # type: ignore[union-attr]
        for r in losses.to_dict("records")))
closest = [c for c in result.met.sort_values(ascending=False).index if c not in all_met and result.missing(c)][:3]
if closest:
    st.markdown(gettext(lang, "**Closest to the standard:**"))
    st.markdown("\n".join(f"- {units[c].name_vi} – {int(result.met[c])}/{criteria_set.size}; "
                          f"{gap_text(result, c, lang)}" for c in closest))

# --- maps --------------------------------------------------------------------------------------------
shown = tracker_atlas(atlas, result, lang)
count_tab, criterion_tab, grid_tab, sets_tab = st.tabs([
    gettext(lang, "Map: criteria met"),
    gettext(lang, "Map per criterion"),
    gettext(lang, "Commune × criterion grid"),
    gettext(lang, "Criteria and sources"),
])
with count_tab:
    request = met_count_request(criteria_set, year, lang)
    view = tracker_view(shown, request)
    show_map(shown, view, request, key=f"ntm_count_map_{vintage}")
    st.caption(" · ".join(atlas.attribution(vintage)))
    export_panel(shown, view, request, key="ntm_count_export")
with criterion_tab:
    labels = {c.number: c.label(lang) for c in criteria_set.criteria}
    number = st.selectbox(gettext(lang, "Criterion"), list(labels), format_func=labels.__getitem__, **bound(
        "ntm_criterion", choose(choice.criterion, labels, next(iter(labels)), lang, ("tiêu chí", "criterion")),
        "criterion", options=labels))
    request = criterion_request(criteria_set, int(number or 1), year, lang)
    view = tracker_view(shown, request)
    show_map(shown, view, request, key=f"ntm_criterion_map_{vintage}")
    export_panel(shown, view, request, key="ntm_criterion_export")

# --- the grid ------------------------------------------------------------------------------------------
with grid_tab:
    sort_col, order_col = st.columns(2)
    commune_order = sort_col.radio(gettext(lang, "Sort communes by"), list(COMMUNE_ORDERS),
                                   horizontal=True, **bound("ntm_sort_communes", choice.sort or COMMUNE_ORDERS[0],
                                                            "sort", options=COMMUNE_ORDERS), format_func=lambda o: {
                                       "name": gettext(lang, "name"),
                                       "met": gettext(lang, "criteria met")}[o])
    criterion_order = order_col.radio(gettext(lang, "Sort criteria by"), list(CRITERION_ORDERS),
                                      horizontal=True, **bound("ntm_sort_criteria", choice.order or CRITERION_ORDERS[0],
                                                               "order", options=CRITERION_ORDERS),
                                      format_func=lambda o: {
                                          "number": gettext(lang, "criterion number"),
                                          "share": gettext(lang, "share met (lowest first)")}[o])
    table = grid_table(result, atlas, lang)
    commune_col = table.columns[0]
    met_col = table.columns[-2]
    criterion_cols = list(table.columns[1:-2])
    if criterion_order == "share":
        shares = result.criterion_shares().set_index("criterion")["met"]
        criterion_cols = [col for _, col in sorted(zip(shares.to_numpy(), criterion_cols, strict=True),
                                                   key=lambda pair: pair[0])]
    table = table[[commune_col, *criterion_cols, *table.columns[-2:]]]
    table = table.sort_values(met_col, ascending=False, kind="stable") if commune_order == "met" \
        else table.sort_values(commune_col, key=lambda s: s.str.lower())
    colours = {status_label(MET, lang): "background-color: #c7e9c0", status_label(NOT_MET, lang):
               "background-color: #fcbba1"}
    st.dataframe(table.style.map(lambda v: colours.get(v, ""), subset=criterion_cols), hide_index=True,
                 width="stretch")
    st.markdown(gettext(lang, "**Share of communes meeting each criterion**"))
    st.dataframe(shares_table(result, lang), hide_index=True, width="stretch")
    cols = st.columns(3)
    for col, fmt in zip(cols, ("png", "pdf", "xlsx"), strict=True):
        name = f"ntm_{criteria_set.set_id}_{year}_v{vintage}.{fmt}"
        col.download_button(gettext(lang, "Download grid ") + fmt.upper(), file_name=name,
                            data=partial(grid_bytes, fmt, result, atlas, lang), mime=MIME[fmt],
                            on_click="ignore", key=f"ntm_grid_{fmt}")

with sets_tab:
    st.markdown(f"**{criteria_set.title(lang)}** — {criteria_set.decision}")
    st.caption(gettext(lang, "Source: ") + criteria_set.source)
    if criteria_set.note:  # written in Vietnamese in data/ntm/criteria_sets.csv: quoted as it stands in English
        st.caption(gettext(lang, "Note in the data file: “{note}”").format(note=criteria_set.note))
    st.dataframe(pd.DataFrame([{
        gettext(lang, "No."): c.number, gettext(lang, "Criterion"): c.name(lang),
        gettext(lang, "Group"): c.group_vi if lang == "vi" else c.group_en,
        gettext(lang, "Related atlas indicators"): ", ".join(
            atlas.catalogue[i].name(lang) for i in c.app_indicators if i in atlas.catalogue),
        gettext(lang, "Where in the source"): c.where_in_source,
        gettext(lang, "Source"): c.source} for c in criteria_set.criteria]), hide_index=True, width="stretch")
    st.caption(gettext(lang, "Sub-indicators and thresholds could not be verified in the legal text and are left out "
                             "(see data/ntm/README.md)."))

# --- template and import -------------------------------------------------------------------------------
st.subheader(gettext(lang, "Assessment template"))
left, right = st.columns(2)
left.download_button(gettext(lang, "XLSX template: one sheet per commune"),
                     data=lambda: template_xlsx(criteria_set, atlas.units, layout="per-commune"),
                     file_name=f"mau_ntm_{criteria_set.set_id}_moi_xa_mot_trang.xlsx", mime=MIME["xlsx"],
                     on_click="ignore", key="ntm_template_sheets")
right.download_button(gettext(lang, "XLSX template: communes as columns"),
                      data=lambda: template_xlsx(criteria_set, atlas.units, layout="communes-as-columns"),
                      file_name=f"mau_ntm_{criteria_set.set_id}_xa_theo_cot.xlsx", mime=MIME["xlsx"],
                      on_click="ignore", key="ntm_template_columns")
user = current_user()
if can(user, "import"):
    assert user is not None
    import_box(atlas, user, criteria_set, lang)
else:
    st.caption(gettext(lang, "Editors sign in to import assessment results."))
if can(user, "edit"):
    assert user is not None
    st.subheader(gettext(lang, "Edit assessment results in place"))
    edit_box(atlas, user, criteria_set, year, lang)
    st.subheader(gettext(lang, "History of assessment results"))
    history_box(atlas, user, vintage, st.session_state.get("ntm_edit_unit"), lang)

"""Edit values in place: one indicator for every unit, or every indicator of one unit; same checks as import."""

import streamlit as st

from mutte_geo.core.errors import ValidationError
from mutte_geo.core.i18n import gettext, kind_label
from mutte_geo.model.indicators import KINDS
from mutte_geo.storage.auth import own_units
from mutte_geo.storage.editmerge import conflicts_table, edited_file, merge_edits
from mutte_geo.storage.stewardship import changes_table, check_file, edit_table, problems_table, submit
from mutte_geo.storage.store import ConflictError, StoreUnavailable
from mutte_geo.ui.appstate import atlas_or_stop, current_lang, current_vintage, region_atlas_or_stop, value_store
from mutte_geo.ui.authpage import require
from mutte_geo.ui.markdown import md_escape

SAVED_KEY = "edit_saved"

lang = current_lang()
user = require("edit", lang)
atlas = atlas_or_stop(lang)
region = region_atlas_or_stop(lang, atlas)  # the sidebar's region: its units are listed
vintage = current_vintage()
store = value_store()
own = own_units(user, region.units)

st.title(gettext(lang, "Edit values in place"))
if not own[vintage]:
    st.info(gettext(lang, "Your account enters values for no unit of the {vintage} boundaries; switch the "
                          "boundaries in the sidebar.").format(vintage=vintage))
    st.stop()
by = st.radio(gettext(lang, "Edit by"), ["indicator", "unit"], horizontal=True, key="edit_by",
              format_func=lambda b: gettext(lang, "one indicator (every unit)") if b == "indicator"
              else gettext(lang, "one unit (every indicator)"))
left, middle, right = st.columns(3)
indicator: str | None
unit: str | None
if by == "indicator":
    indicator = left.selectbox(gettext(lang, "Indicator"), list(atlas.catalogue), key="edit_indicator",
                               format_func=lambda i: atlas.catalogue[i].name(lang))
    unit = None
else:
    unit = left.selectbox(gettext(lang, "Unit"), list(own[vintage]), key="edit_unit",
                          format_func=lambda c: region.units[vintage][c].label(lang))
    indicator = None
period = middle.text_input(gettext(lang, "Period"), value=str(vintage), key="edit_period").strip()
kind = right.selectbox(gettext(lang, "Kind"), list(KINDS), key="edit_kind",
                       format_func=lambda k: kind_label(k, lang))
source = st.text_input(gettext(lang, "Source of new values (required)"),
                       key="edit_source")

# The table as first shown is kept: saving checks that nobody changed those values meanwhile.
editor_key = f"edit_table_{by}_{indicator or unit}_{vintage}_{period}_{kind}"
snapshot_key = f"{editor_key}_shown"
if snapshot_key not in st.session_state:
    st.session_state[snapshot_key] = edit_table(store.current(), atlas.catalogue, own, vintage=vintage,
                                                period=period, kind=kind, lang=lang, indicator=indicator, unit=unit)
original = st.session_state[snapshot_key]
if SAVED_KEY in st.session_state:
    st.success(st.session_state.pop(SAVED_KEY))
st.caption(gettext(lang, "Edit the Value column (decimal commas are fine). An empty cell means no data; removing a "
                         "stored value is not done here."))
edited = st.data_editor(
    original, hide_index=True, width="stretch", key=editor_key,
    disabled=["unit_code", "indicator", "label"],
    column_config={"unit_code": gettext(lang, "Code"), "indicator": None,  # the Name column says it in words
                   "label": gettext(lang, "Name"), "value": gettext(lang, "Value"),
                   "source": gettext(lang, "Source"), "note": gettext(lang, "Note")},
)
latest = edit_table(store.current(), atlas.catalogue, own, vintage=vintage, period=period, kind=kind,
                    lang=lang, indicator=indicator, unit=unit)
merged = merge_edits(original, edited, latest)
if merged.conflicts:
    st.error(gettext(lang, "Someone else saved these cells after you opened the table; nothing was saved. Reload the "
                           "table and enter your change again if it is still needed:"))
    labels = {(r["unit_code"], r["indicator"]): r["label"] for r in original.to_dict("records")}
    st.dataframe(conflicts_table(merged.conflicts, labels, lang), hide_index=True, width="stretch")
    if st.button(gettext(lang, "Reload the table"), key="edit_reload"):
        del st.session_state[snapshot_key]
        st.session_state.pop(editor_key, None)
        st.rerun()
    st.stop()
data = edited_file(merged, vintage=vintage, period=period, kind=kind, source=source.strip())
if not data:
    st.caption(gettext(lang, "No changes yet."))
    st.stop()
report = check_file(store, data, gettext(lang, "edit table"), catalogue=atlas.catalogue, units=atlas.store_units,
                    user=user)
if not report.ok:
    st.error(gettext(lang, "There are problems; nothing can be saved yet:"))
    st.dataframe(problems_table(report.problems, lang), hide_index=True, width="stretch")
elif report.changes:
    st.dataframe(changes_table(report.changes, atlas.catalogue, atlas.store_units, lang), hide_index=True,
                 width="stretch")
    if st.button(gettext(lang, "Submit for approval"), type="primary", key="edit_save"):
        try:
            sent = submit(store, report, user=user, units=atlas.store_units)
        except ValidationError as exc:
            st.error(gettext(lang, "Nothing was submitted:"))
            st.dataframe(problems_table(exc.problems, lang), hide_index=True, width="stretch")
        except ConflictError as exc:
            st.error(gettext(lang, "Someone else has just saved the same values; nothing was "
                                   "saved. Press Save again to see which cells collide. ") + md_escape(str(exc)))
        except StoreUnavailable as exc:
            st.error(exc.describe(lang))
        else:
            st.session_state[SAVED_KEY] = gettext(lang, "Submitted {n_sent} value(s); waiting for approval.").format(
                                              n_sent=len(sent))
            del st.session_state[snapshot_key]
            st.session_state.pop(editor_key, None)
            st.rerun()

"""History of every change to the values: who, when, from which file; earlier states; restore (admins)."""

import streamlit as st

from mutte_geo.core.i18n import gettext
from mutte_geo.exports.tables import to_csv_bytes
from mutte_geo.storage.approval import DecisionConflict
from mutte_geo.storage.auth import can
from mutte_geo.storage.ntmstore import ACTIONS as NTM_ACTIONS
from mutte_geo.storage.stewardship import (
    action_label,
    approval_steps_table,
    history_table,
    person_label,
    revision_changes_table,
    state_table,
)
from mutte_geo.storage.store import ConflictError, StoreUnavailable
from mutte_geo.ui.appstate import approvals, atlas_or_stop, current_lang, value_store
from mutte_geo.ui.authpage import display_names, require, sensitive_export
from mutte_geo.ui.flash import rerun_with, show_flash
from mutte_geo.ui.markdown import md_escape
from mutte_geo.ui.ntmpage import ntm_changes_table

lang = current_lang()
user = require("edit", lang)
atlas = atlas_or_stop(lang)
store = value_store()

st.title(gettext(lang, "History of value changes"))
show_flash()
revisions = store.revisions()
names = display_names()
st.dataframe(history_table(revisions, lang, names), hide_index=True, width="stretch")
with st.expander(gettext(lang, "Submission and approval steps (who, when, what, why)")):
    st.dataframe(approval_steps_table(approvals().events(user), atlas.catalogue, lang, names), hide_index=True,
                 width="stretch")

chosen = st.selectbox(gettext(lang, "Show revision"), [r.id for r in revisions], key="history_revision",
                      format_func=lambda i: next(f"{r.id} · {person_label(r.user_name, names, lang)} · "
                                                 f"{action_label(r.action, lang)} · {r.file}"
                                                 for r in revisions if r.id == i))
if chosen is not None:
    changes_tab, state_tab = st.tabs([gettext(lang, "Changes in this revision"),
                                      gettext(lang, "All values after this revision")])
    with changes_tab:
        if next(r.action for r in revisions if r.id == chosen) in NTM_ACTIONS:
            st.dataframe(ntm_changes_table(chosen, atlas, lang), hide_index=True, width="stretch")
        else:
            st.dataframe(revision_changes_table(store.changes_in(chosen), atlas.catalogue, lang), hide_index=True,
                         width="stretch")
    with state_tab:
        state = store.state_at(chosen)
        st.dataframe(state_table(state, atlas.catalogue, lang), hide_index=True, width="stretch")
        # the download keeps the long format of data/indicators, so it can be imported again
        rows = state[state["indicator"].isin(list(atlas.catalogue))].reset_index(drop=True)
        st.download_button(gettext(lang, "Download this table (CSV, importable)"),
                           sensitive_export(to_csv_bytes(rows, notes=[gettext(lang, "revision {chosen}").format(
                                                                          chosen=chosen)]),
                                            any(atlas.catalogue[i].sensitive for i in set(rows["indicator"])),
                                            f"values after revision {chosen} (CSV)"),
                           f"so_lieu_phien_ban_{chosen}.csv",
                           mime="text/csv", key="history_download")
    if can(user, "restore") and chosen != store.version():
        sure = st.checkbox(gettext(lang, "I want the values as they were after revision {chosen} (saved as a "
                                         "new revision; the history is kept)").format(
                               chosen=chosen), key="history_sure")
        if st.button(gettext(lang, "Restore"), disabled=not sure, key="history_restore"):
            try:
                restored = approvals().restore(chosen, user=user)
            except DecisionConflict as exc:
                st.error(exc.text(lang))
            except ConflictError as exc:
                st.error(gettext(lang, "Someone else changed values meanwhile; try again. ") + md_escape(exc))
            except StoreUnavailable as exc:
                st.error(exc.describe(lang))
            else:
                st.session_state.pop("history_sure", None)
                rerun_with(gettext(lang, "Restored (revision {restored}).").format(restored=restored)
                           if restored else gettext(lang, "The values are already so."))

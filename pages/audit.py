"""Audit log (admins): sign-ins, value changes and approvals, account changes, sensitive exports."""

import streamlit as st

from mutte_geo.core.i18n import gettext
from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.storage import audit
from mutte_geo.storage.audit import ACTIONS
from mutte_geo.ui.appstate import current_lang, value_store
from mutte_geo.ui.authpage import display_names, recorded, require

lang = current_lang()
require("audit", lang)
engine = value_store().engine
st.title(gettext(lang, "Audit log"))

events = audit.events(engine)
actions = st.multiselect(gettext(lang, "Kinds of event"), list(audit.ACTIONS), key="audit_actions",
                         format_func=lambda a: gettext(lang, ACTIONS[a]),
                         placeholder=gettext(lang, "Every kind"))
who = st.text_input(gettext(lang, "Who (user name)"), key="audit_who").strip()
if actions:
    events = events[events["action"].isin(actions)]
if who:
    events = events[events["actor"].str.lower() == who.lower()]
table = audit.audit_table(events, lang, display_names())
st.caption(gettext(lang, "{n_table} event(s), newest first.").format(n_table=len(table)))
st.dataframe(table, hide_index=True, width="stretch", height=520)


left, right = st.columns(2)
left.download_button(gettext(lang, "Download CSV"),
                     recorded(lambda: to_csv_bytes(table), "audit_export", "csv", f"{len(table)} event(s)"),
                     "nhat_ky_kiem_tra.csv", mime="text/csv", on_click="ignore", key="audit_csv")
right.download_button(gettext(lang, "Download XLSX"),
                      recorded(lambda: to_xlsx_bytes(table, sheet=gettext(lang, "audit")), "audit_export",
                               "xlsx", f"{len(table)} event(s)"),
                      "nhat_ky_kiem_tra.xlsx", on_click="ignore", key="audit_xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

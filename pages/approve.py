"""Review submitted values: approvers approve or return them; every unit sees the outcome of its own."""

import streamlit as st

from mutte_geo.core.i18n import gettext
from mutte_geo.storage.accounts import AccountError
from mutte_geo.storage.approval import Decision, DecisionConflict
from mutte_geo.storage.auth import can
from mutte_geo.storage.stewardship import approval_steps_table, submissions_table
from mutte_geo.ui.appstate import approvals, atlas_or_stop, current_lang, value_store
from mutte_geo.ui.authpage import display_names, require

SHOWN_KEY = "review_shown"  # the waiting list as the approver saw it: decisions refer to those versions
DONE_KEY = "review_done"

lang = current_lang()
user = require("import", lang)
atlas = atlas_or_stop(lang)
store, flow = value_store(), approvals()

st.title(gettext(lang, "Review values"))
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY))

if can(user, "approve"):
    st.subheader(gettext(lang, "Waiting for approval"))
    reload = st.button(gettext(lang, "Reload the list"), key="review_reload")
    if reload or SHOWN_KEY not in st.session_state:
        st.session_state[SHOWN_KEY] = flow.submissions(user, ("submitted",))
    waiting = st.session_state[SHOWN_KEY]
    table = submissions_table(waiting, store.current(), atlas.catalogue, atlas.store_units, lang, display_names())
    if table.empty:
        st.info(gettext(lang, "Nothing is waiting for approval."))
    else:
        st.dataframe(table, hide_index=True, width="stretch")
        unit, indicator, period, _, stored, sent = table.columns[1:7]
        labels = {int(r["id"]): f"{r['id']} · {r[unit]} · {r[indicator]} · {r[period]}: {r[stored] or '—'} → {r[sent]}"
                  for r in table.to_dict("records")}
        ids = st.multiselect(gettext(lang, "Pick values to approve or return"),
                             list(labels), format_func=lambda i: labels[i], key="review_pick",
                             placeholder=gettext(lang, "Choose values"))
        chosen = [Decision(int(i), int(v)) for i, v in zip(waiting["id"], waiting["version"]) if int(i) in ids]
        comment = st.text_input(gettext(lang, "Comment (required to return)"),
                                key="review_comment")
        approve, give_back = st.columns(2)
        act = None
        if approve.button(gettext(lang, "Approve {n_chosen} picked value(s)").format(n_chosen=len(chosen)),
                          type="primary", disabled=not chosen, key="review_approve"):
            act = "approve"
        if give_back.button(gettext(lang, "Return {n_chosen} picked value(s)").format(n_chosen=len(chosen)),
                            disabled=not chosen, key="review_return"):
            act = "return"
        if act:
            try:
                if act == "approve":
                    revision = flow.approve(chosen, user=user, comment=comment.strip())
                    done = gettext(lang, "Approved {n_chosen} value(s) (revision {revision}); they are now "
                                         "locked.").format(n_chosen=len(chosen), revision=revision)
                else:
                    flow.return_(chosen, user=user, comment=comment)
                    done = gettext(lang, "Returned {n_chosen} value(s) with the comment.").format(n_chosen=len(chosen))
            except (DecisionConflict, AccountError) as exc:
                st.error(exc.text(lang))
            else:
                st.session_state[DONE_KEY] = done
                st.session_state.pop(SHOWN_KEY, None)
                st.session_state.pop("review_pick", None)
                st.rerun()

    st.subheader(gettext(lang, "Reopen an approved value"))
    locked = sorted(flow.locked_keys())
    if locked:
        names = {i: ind.name(lang) for i, ind in atlas.catalogue.items()}
        key = st.selectbox(gettext(lang, "Value"), locked, key="review_reopen_key",
                           format_func=lambda k: f"{k[0]}:{k[1]} {names.get(k[2], k[2])} {k[3]} {k[4]}")
        reason = st.text_input(gettext(lang, "Why reopen (required)"),
                               key="review_reopen_reason")
        if st.button(gettext(lang, "Reopen"), key="review_reopen"):
            try:
                flow.reopen([key], user=user, reason=reason)
            except AccountError as exc:
                st.error(exc.text(lang))
            else:
                st.session_state[DONE_KEY] = gettext(lang, "Reopened; the unit may submit this value again.")
                st.rerun()
    else:
        st.caption(gettext(lang, "No value was approved here yet."))

st.subheader(gettext(lang, "Submitted values and their outcome")
             if can(user, "approve") else gettext(lang, "Values your units submitted"))
mine = flow.submissions(user, ("submitted", "returned", "approved"))
st.dataframe(submissions_table(mine.iloc[::-1], store.current(), atlas.catalogue, atlas.store_units, lang,
                               display_names()), hide_index=True, width="stretch")
with st.expander(gettext(lang, "Every step (who, when, what, why)")):
    st.dataframe(approval_steps_table(flow.events(user), atlas.catalogue, lang, display_names()), hide_index=True,
                 width="stretch")

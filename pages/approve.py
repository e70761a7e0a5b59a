"""Review submitted values: approvers approve or return them; every unit sees the outcome of its own."""

import streamlit as st

from mutte_geo.core.i18n import tr
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

st.title(tr(lang, "Duyệt số liệu", "Review values"))
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY))

if can(user, "approve"):
    st.subheader(tr(lang, "Đang chờ duyệt", "Waiting for approval"))
    reload = st.button(tr(lang, "Tải lại danh sách", "Reload the list"), key="review_reload")
    if reload or SHOWN_KEY not in st.session_state:
        st.session_state[SHOWN_KEY] = flow.submissions(user, ("submitted",))
    waiting = st.session_state[SHOWN_KEY]
    table = submissions_table(waiting, store.current(), atlas.catalogue, atlas.units, lang, display_names())
    if table.empty:
        st.info(tr(lang, "Không có số liệu nào đang chờ duyệt.", "Nothing is waiting for approval."))
    else:
        st.dataframe(table, hide_index=True, width="stretch")
        unit, indicator, period, _, stored, sent = table.columns[1:7]
        labels = {int(r["id"]): f"{r['id']} · {r[unit]} · {r[indicator]} · {r[period]}: {r[stored] or '—'} → {r[sent]}"
                  for r in table.to_dict("records")}
        ids = st.multiselect(tr(lang, "Chọn giá trị để duyệt hoặc trả lại", "Pick values to approve or return"),
                             list(labels), format_func=lambda i: labels[i], key="review_pick",
                             placeholder=tr(lang, "Chọn giá trị", "Choose values"))
        chosen = [Decision(int(i), int(v)) for i, v in zip(waiting["id"], waiting["version"]) if int(i) in ids]
        comment = st.text_input(tr(lang, "Nhận xét (bắt buộc khi trả lại)", "Comment (required to return)"),
                                key="review_comment")
        approve, give_back = st.columns(2)
        act = None
        if approve.button(tr(lang, f"Duyệt {len(chosen)} giá trị đã chọn", f"Approve {len(chosen)} picked value(s)"),
                          type="primary", disabled=not chosen, key="review_approve"):
            act = "approve"
        if give_back.button(tr(lang, f"Trả lại {len(chosen)} giá trị đã chọn", f"Return {len(chosen)} picked value(s)"),
                            disabled=not chosen, key="review_return"):
            act = "return"
        if act:
            try:
                if act == "approve":
                    revision = flow.approve(chosen, user=user, comment=comment.strip())
                    done = tr(lang, f"Đã duyệt {len(chosen)} giá trị (phiên bản {revision}); các giá trị này đã khóa.",
                              f"Approved {len(chosen)} value(s) (revision {revision}); they are now locked.")
                else:
                    flow.return_(chosen, user=user, comment=comment)
                    done = tr(lang, f"Đã trả lại {len(chosen)} giá trị kèm nhận xét.",
                              f"Returned {len(chosen)} value(s) with the comment.")
            except (DecisionConflict, AccountError) as exc:
                st.error(exc.text(lang))
            else:
                st.session_state[DONE_KEY] = done
                st.session_state.pop(SHOWN_KEY, None)
                st.session_state.pop("review_pick", None)
                st.rerun()

    st.subheader(tr(lang, "Mở khóa giá trị đã duyệt", "Reopen an approved value"))
    locked = sorted(flow.locked_keys())
    if locked:
        names = {i: ind.name(lang) for i, ind in atlas.catalogue.items()}
        key = st.selectbox(tr(lang, "Giá trị", "Value"), locked, key="review_reopen_key",
                           format_func=lambda k: f"{k[0]}:{k[1]} {names.get(k[2], k[2])} {k[3]} {k[4]}")
        reason = st.text_input(tr(lang, "Lý do mở khóa (bắt buộc)", "Why reopen (required)"),
                               key="review_reopen_reason")
        if st.button(tr(lang, "Mở khóa", "Reopen"), key="review_reopen"):
            try:
                flow.reopen([key], user=user, reason=reason)
            except AccountError as exc:
                st.error(exc.text(lang))
            else:
                st.session_state[DONE_KEY] = tr(lang, "Đã mở khóa; đơn vị có thể gửi lại giá trị này.",
                                                "Reopened; the unit may submit this value again.")
                st.rerun()
    else:
        st.caption(tr(lang, "Chưa có giá trị nào được duyệt qua trang này.", "No value was approved here yet."))

st.subheader(tr(lang, "Số liệu đã gửi và kết quả", "Submitted values and their outcome")
             if can(user, "approve") else tr(lang, "Số liệu đơn vị bạn đã gửi", "Values your units submitted"))
mine = flow.submissions(user, ("submitted", "returned", "approved"))
st.dataframe(submissions_table(mine.iloc[::-1], store.current(), atlas.catalogue, atlas.units, lang, display_names()),
             hide_index=True, width="stretch")
with st.expander(tr(lang, "Mọi bước duyệt (ai, lúc nào, việc gì, vì sao)", "Every step (who, when, what, why)")):
    st.dataframe(approval_steps_table(flow.events(user), atlas.catalogue, lang, display_names()), hide_index=True,
                 width="stretch")

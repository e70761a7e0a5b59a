"""Edit values in place: one indicator for every unit, or every indicator of one unit; same checks as import."""

import streamlit as st

from mutte_geo.core.errors import ValidationError
from mutte_geo.core.i18n import kind_label, tr
from mutte_geo.model.indicators import KINDS
from mutte_geo.storage.auth import own_units
from mutte_geo.storage.editmerge import conflicts_table, edited_file, merge_edits
from mutte_geo.storage.stewardship import changes_table, check_file, edit_table, problems_table, submit
from mutte_geo.storage.store import ConflictError, StoreUnavailable
from mutte_geo.ui.appstate import atlas_or_stop, current_lang, current_vintage, value_store
from mutte_geo.ui.authpage import require
from mutte_geo.ui.markdown import md_escape

SAVED_KEY = "edit_saved"

lang = current_lang()
user = require("edit", lang)
atlas = atlas_or_stop(lang)
vintage = current_vintage()
store = value_store()
own = own_units(user, atlas.units)

st.title(tr(lang, "Sửa số liệu trực tiếp", "Edit values in place"))
if not own[vintage]:
    st.info(tr(lang, f"Tài khoản của bạn không nhập số liệu cho đơn vị nào theo ranh giới {vintage}; hãy đổi ranh giới "
                     "ở thanh bên.", f"Your account enters values for no unit of the {vintage} boundaries; switch the "
                     "boundaries in the sidebar."))
    st.stop()
by = st.radio(tr(lang, "Sửa theo", "Edit by"), ["indicator", "unit"], horizontal=True, key="edit_by",
              format_func=lambda b: tr(lang, "một chỉ tiêu (mọi xã)", "one indicator (every unit)") if b == "indicator"
              else tr(lang, "một xã (mọi chỉ tiêu)", "one unit (every indicator)"))
left, middle, right = st.columns(3)
indicator: str | None
unit: str | None
if by == "indicator":
    indicator = left.selectbox(tr(lang, "Chỉ tiêu", "Indicator"), list(atlas.catalogue), key="edit_indicator",
                               format_func=lambda i: atlas.catalogue[i].name(lang))
    unit = None
else:
    unit = left.selectbox(tr(lang, "Đơn vị", "Unit"), list(own[vintage]), key="edit_unit",
                          format_func=lambda c: atlas.units[vintage][c].label(lang))
    indicator = None
period = middle.text_input(tr(lang, "Kỳ", "Period"), value="2024", key="edit_period").strip()
kind = right.selectbox(tr(lang, "Loại", "Kind"), list(KINDS), key="edit_kind",
                       format_func=lambda k: kind_label(k, lang))
source = st.text_input(tr(lang, "Nguồn cho giá trị mới (bắt buộc)", "Source of new values (required)"),
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
st.caption(tr(lang, "Sửa cột Giá trị (dấu phẩy thập phân được chấp nhận). Ô trống là chưa có số liệu; xóa một "
                    "giá trị đã có không được thực hiện ở đây.",
              "Edit the Value column (decimal commas are fine). An empty cell means no data; removing a stored "
              "value is not done here."))
edited = st.data_editor(
    original, hide_index=True, width="stretch", key=editor_key,
    disabled=["unit_code", "indicator", "label"],
    column_config={"unit_code": tr(lang, "Mã", "Code"), "indicator": None,  # the Name column says it in words
                   "label": tr(lang, "Tên", "Name"), "value": tr(lang, "Giá trị", "Value"),
                   "source": tr(lang, "Nguồn", "Source"), "note": tr(lang, "Ghi chú", "Note")},
)
latest = edit_table(store.current(), atlas.catalogue, own, vintage=vintage, period=period, kind=kind,
                    lang=lang, indicator=indicator, unit=unit)
merged = merge_edits(original, edited, latest)
if merged.conflicts:
    st.error(tr(lang, "Người khác đã lưu các ô này sau khi bạn mở bảng; chưa lưu gì. Hãy tải lại bảng và nhập lại "
                "thay đổi của bạn nếu vẫn cần:", "Someone else saved these cells after you opened the table; nothing "
                "was saved. Reload the table and enter your change again if it is still needed:"))
    labels = {(r["unit_code"], r["indicator"]): r["label"] for r in original.to_dict("records")}
    st.dataframe(conflicts_table(merged.conflicts, labels, lang), hide_index=True, width="stretch")
    if st.button(tr(lang, "Tải lại bảng", "Reload the table"), key="edit_reload"):
        del st.session_state[snapshot_key]
        st.session_state.pop(editor_key, None)
        st.rerun()
    st.stop()
data = edited_file(merged, vintage=vintage, period=period, kind=kind, source=source.strip())
if not data:
    st.caption(tr(lang, "Chưa có thay đổi.", "No changes yet."))
    st.stop()
report = check_file(store, data, tr(lang, "bảng sửa", "edit table"), catalogue=atlas.catalogue, units=atlas.units,
                    user=user)
if not report.ok:
    st.error(tr(lang, "Có lỗi, chưa lưu được:", "There are problems; nothing can be saved yet:"))
    st.dataframe(problems_table(report.problems, lang), hide_index=True, width="stretch")
elif report.changes:
    st.dataframe(changes_table(report.changes, atlas.catalogue, atlas.units, lang), hide_index=True, width="stretch")
    if st.button(tr(lang, "Gửi để duyệt", "Submit for approval"), type="primary", key="edit_save"):
        try:
            sent = submit(store, report, user=user, units=atlas.units)
        except ValidationError as exc:
            st.error(tr(lang, "Chưa gửi được:", "Nothing was submitted:"))
            st.dataframe(problems_table(exc.problems, lang), hide_index=True, width="stretch")
        except ConflictError as exc:
            st.error(tr(lang, "Có người khác vừa lưu cùng số liệu; chưa lưu gì. Bấm Lưu lần nữa để xem ô nào bị "
                        "trùng. ", "Someone else has just saved the same values; nothing was saved. Press Save "
                        "again to see which cells collide. ") + md_escape(str(exc)))
        except StoreUnavailable as exc:
            st.error(exc.describe(lang))
        else:
            st.session_state[SAVED_KEY] = tr(lang, f"Đã gửi {len(sent)} giá trị, đang chờ duyệt.",
                                             f"Submitted {len(sent)} value(s); waiting for approval.")
            del st.session_state[snapshot_key]
            st.session_state.pop(editor_key, None)
            st.rerun()

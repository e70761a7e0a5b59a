"""Import indicator values from a CSV/XLSX file: upload, preview problems and changes, then confirm."""

import hashlib

import streamlit as st

from mutte_geo.core.errors import ValidationError
from mutte_geo.core.i18n import format_number, kind_label, tr
from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.model.indicators import KINDS
from mutte_geo.storage.auth import own_units
from mutte_geo.storage.importer import Options, template
from mutte_geo.storage.stewardship import changes_table, check_file, problems_table, submit
from mutte_geo.storage.store import StoreUnavailable
from mutte_geo.ui.appstate import atlas_or_stop, current_lang, current_vintage, value_store
from mutte_geo.ui.authpage import require
from mutte_geo.ui.flash import rerun_with, show_flash
from mutte_geo.ui.markdown import md_escape

REPORT_KEY = "import_report"

lang = current_lang()
user = require("import", lang)
atlas = atlas_or_stop(lang)
vintage = current_vintage()
store = value_store()

st.title(tr(lang, "Nhập số liệu từ tệp", "Import values from a file"))
st.markdown(tr(
    lang,
    "Tệp CSV hoặc XLSX, **dạng dọc** (mỗi dòng một giá trị) hoặc **dạng ngang** (mỗi dòng một xã, mỗi cột một "
    "chỉ tiêu). Tệp được kiểm tra trước; chỉ khi bạn xác nhận thì số liệu mới được ghi, kèm lịch sử.",
    "A CSV or XLSX file, **long** (one value per row) or **wide** (one row per commune, one column per "
    "indicator). The file is checked first; nothing is written until you confirm, and every change is kept "
    "in the history.",
))
st.caption(tr(lang, "Số liệu gửi lên sẽ chờ người duyệt (cấp huyện) phê duyệt; trang Duyệt số liệu cho biết kết quả.",
              "Values you send wait for an approver (region level); page Review values shows the outcome.")
           + ("" if user.whole_region else tr(lang, f" Tài khoản của bạn nhập cho: {', '.join(sorted(user.units))}.",
                                              f" Your account enters values for: {', '.join(sorted(user.units))}.")))
own = own_units(user, atlas.units)
table, notes = template(atlas.catalogue, own, vintage)
left, right = st.columns(2)
left.download_button(tr(lang, "Tải mẫu CSV", "Download CSV template"), to_csv_bytes(table, notes=notes),
                     f"mau_chi_tieu_{vintage}.csv", mime="text/csv")
right.download_button(tr(lang, "Tải mẫu XLSX", "Download XLSX template"), to_xlsx_bytes(table, notes=notes),
                      f"mau_chi_tieu_{vintage}.xlsx")

show_flash()
uploads = st.session_state.setdefault("import_uploads", 0)  # a new uploader (empty) after each import
uploaded = st.file_uploader(tr(lang, "Chọn tệp", "Choose a file"), type=["csv", "txt", "xlsx"],
                            key=f"import_file_{uploads}")
with st.expander(tr(lang, "Thông tin cho bảng dạng ngang (nếu tệp không ghi)",
                     "Details for a wide sheet (when the file does not say)")):
    period = st.text_input(tr(lang, "Kỳ (vd. 2024, 2024-H1)", "Period (e.g. 2024, 2024-H1)"), key="import_period")
    kind = st.selectbox(tr(lang, "Loại", "Kind"), ["", *KINDS], key="import_kind",
                        format_func=lambda k: kind_label(k, lang) if k else "—")
    source = st.text_input(tr(lang, "Nguồn số liệu", "Source"), key="import_source")

if uploaded is not None:
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    sheet_key = f"import_sheet_{digest[:16]}"  # a sheet chosen for this file only
    options = Options(vintage=str(vintage), period=period.strip(), kind=kind, source=source.strip(),
                      sheet=st.session_state.get(sheet_key) or "")
    # The preview is kept until the file or the choices change: confirming writes exactly what was shown.
    key = (digest, uploaded.name, options, user)
    held = st.session_state.get(REPORT_KEY)
    if held is None or held[0] != key:
        with st.spinner(tr(lang, "Đang kiểm tra tệp…", "Checking the file…")):
            held = (key, check_file(store, data, uploaded.name, catalogue=atlas.catalogue, units=atlas.units,
                                    options=options, user=user, isolated=True))
        st.session_state[REPORT_KEY] = held
    report = held[1]
    if len(report.sheets) > 1 or options.sheet:
        st.selectbox(tr(lang, "Trang tính cần nhập", "Sheet to import"), ["", *report.sheets], key=sheet_key,
                     format_func=lambda name: name or tr(lang, "— chọn —", "— choose —"))
    for vi, en in report.notices:
        st.caption(md_escape(vi if lang == "vi" else en))  # sheet names come from the file
    if not report.ok:
        total = format_number(report.problem_total, lang)
        listed = tr(lang, f" (liệt kê {len(report.problems) - 1} lỗi đầu)", f" (the first {len(report.problems) - 1} "
                    "are listed)") if report.problem_total > len(report.problems) else ""
        st.error(tr(lang, f"Tệp có {total} lỗi{listed}: chưa có gì được ghi. Hãy sửa tệp rồi tải lại.",
                    f"The file has {total} problem(s){listed}: nothing was written. Fix it and upload again."))
        st.dataframe(problems_table(report.problems, lang), hide_index=True, width="stretch")
    else:
        a, b, c = st.columns(3)
        a.metric(tr(lang, "Giá trị mới", "New values"), report.new_count)
        b.metric(tr(lang, "Giá trị thay đổi", "Changed values"), report.changed_count)
        c.metric(tr(lang, "Không đổi", "Unchanged"), report.unchanged)
        if report.changes:
            st.dataframe(changes_table(report.changes, atlas.catalogue, atlas.units, lang), hide_index=True,
                         width="stretch")
            accepted = True
            if report.unusual:
                st.warning(tr(lang, f"{len(report.unusual)} giá trị bất thường: hãy kiểm tra trước khi ghi.",
                              f"{len(report.unusual)} unusual value(s): check them before saving."))
                st.dataframe(problems_table(report.unusual, lang), hide_index=True, width="stretch")
                accepted = st.checkbox(tr(lang, "Tôi đã kiểm tra, các giá trị này đúng",
                                          "I have checked these values and they are right"), key="import_unusual_ok")
            if st.button(tr(lang, "Gửi để duyệt", "Submit for approval"), type="primary", key="import_confirm",
                         disabled=not accepted):
                try:
                    sent = submit(store, report, user=user, units=atlas.units)
                except ValidationError as exc:
                    st.error(tr(lang, "Tệp không được gửi, không có gì được ghi:", "The file was not submitted; "
                                "nothing was written:"))
                    st.dataframe(problems_table(exc.problems, lang), hide_index=True, width="stretch")
                except StoreUnavailable as exc:
                    st.error(exc.describe(lang))
                else:
                    st.session_state.pop(REPORT_KEY, None)
                    st.session_state["import_uploads"] = uploads + 1
                    rerun_with(tr(lang, f"Đã gửi {len(sent)} giá trị, đang chờ duyệt.",
                                  f"Submitted {len(sent)} value(s); waiting for approval."))
        else:
            st.info(tr(lang, "Tệp không làm thay đổi số liệu nào.", "The file changes no values."))

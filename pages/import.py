"""Import indicator values from a CSV/XLSX file: upload, preview problems and changes, then confirm."""

import hashlib

import streamlit as st

from mutte_geo.core.errors import ValidationError
from mutte_geo.core.i18n import format_number, gettext, kind_label, pgettext
from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.model.indicators import KINDS
from mutte_geo.storage.auth import own_units
from mutte_geo.storage.importer import Options, template
from mutte_geo.storage.stewardship import changes_table, check_file, problems_table, submit
from mutte_geo.storage.store import StoreUnavailable
from mutte_geo.ui.appstate import atlas_or_stop, current_lang, current_vintage, region_atlas_or_stop, value_store
from mutte_geo.ui.authpage import require
from mutte_geo.ui.flash import rerun_with, show_flash
from mutte_geo.ui.markdown import md_escape

REPORT_KEY = "import_report"

lang = current_lang()
user = require("import", lang)
atlas = atlas_or_stop(lang)
region = region_atlas_or_stop(lang, atlas)  # the sidebar's region: its units in the template
vintage = current_vintage()
store = value_store()

st.title(gettext(lang, "Import values from a file"))
st.markdown(gettext(lang, "A CSV or XLSX file, **long** (one value per row) or **wide** (one row per commune, one "
                          "column per indicator). The file is checked first; nothing is written until you confirm, "
                          "and every change is kept in the history."))
st.caption(gettext(lang, "Values you send wait for an approver (region level); page Review values shows the outcome.")
           + ("" if user.whole_region else gettext(lang, " Your account enters values for: {join}.").format(
                                               join=', '.join(sorted(user.units)))))
own = own_units(user, region.units)
table, notes = template(atlas.catalogue, own, vintage)
left, right = st.columns(2)
left.download_button(gettext(lang, "Download CSV template"), to_csv_bytes(table, notes=notes),
                     f"mau_chi_tieu_{vintage}.csv", mime="text/csv")
right.download_button(gettext(lang, "Download XLSX template"), to_xlsx_bytes(table, notes=notes),
                      f"mau_chi_tieu_{vintage}.xlsx")

show_flash()
uploads = st.session_state.setdefault("import_uploads", 0)  # a new uploader (empty) after each import
uploaded = st.file_uploader(gettext(lang, "Choose a file"), type=["csv", "txt", "xlsx"],
                            key=f"import_file_{uploads}")
with st.expander(gettext(lang, "Details for a wide sheet (when the file does not say)")):
    period = st.text_input(gettext(lang, "Period (e.g. 2024, 2024-H1)"), key="import_period")
    kind = st.selectbox(gettext(lang, "Kind"), ["", *KINDS], key="import_kind",
                        format_func=lambda k: kind_label(k, lang) if k else "—")
    source = st.text_input(pgettext(lang, "import", "Source"), key="import_source")

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
        with st.spinner(gettext(lang, "Checking the file…")):
            held = (key, check_file(store, data, uploaded.name, catalogue=atlas.catalogue, units=atlas.store_units,
                                    options=options, user=user, isolated=True))
        st.session_state[REPORT_KEY] = held
    report = held[1]
    if len(report.sheets) > 1 or options.sheet:
        st.selectbox(gettext(lang, "Sheet to import"), ["", *report.sheets], key=sheet_key,
                     format_func=lambda name: name or gettext(lang, "— choose —"))
    for vi, en in report.notices:
        st.caption(md_escape(vi if lang == "vi" else en))  # sheet names come from the file
    if not report.ok:
        total = format_number(report.problem_total, lang)
        listed = gettext(lang, " (the first {value} are listed)").format(
                     value=len(report.problems) - 1) if report.problem_total > len(report.problems) else ""
        st.error(gettext(lang, "The file has {total} problem(s){listed}: nothing was written. Fix it and "
                               "upload again.").format(total=total, listed=listed))
        st.dataframe(problems_table(report.problems, lang), hide_index=True, width="stretch")
    else:
        a, b, c = st.columns(3)
        a.metric(gettext(lang, "New values"), report.new_count)
        b.metric(gettext(lang, "Changed values"), report.changed_count)
        c.metric(gettext(lang, "Unchanged"), report.unchanged)
        if report.changes:
            st.dataframe(changes_table(report.changes, atlas.catalogue, atlas.store_units, lang), hide_index=True,
                         width="stretch")
            accepted = True
            if report.unusual:
                st.warning(gettext(lang, "{n_unusual} unusual value(s): check them before saving.").format(
                               n_unusual=len(report.unusual)))
                st.dataframe(problems_table(report.unusual, lang), hide_index=True, width="stretch")
                accepted = st.checkbox(gettext(lang, "I have checked these values and they "
                                                     "are right"), key="import_unusual_ok")
            if st.button(gettext(lang, "Submit for approval"), type="primary", key="import_confirm",
                         disabled=not accepted):
                try:
                    sent = submit(store, report, user=user, units=atlas.store_units)
                except ValidationError as exc:
                    st.error(gettext(lang, "The file was not submitted; nothing was written:"))
                    st.dataframe(problems_table(exc.problems, lang), hide_index=True, width="stretch")
                except StoreUnavailable as exc:
                    st.error(exc.describe(lang))
                else:
                    st.session_state.pop(REPORT_KEY, None)
                    st.session_state["import_uploads"] = uploads + 1
                    rerun_with(gettext(lang, "Submitted {n_sent} value(s); waiting for approval.").format(
                                   n_sent=len(sent)))
        else:
            st.info(gettext(lang, "The file changes no values."))

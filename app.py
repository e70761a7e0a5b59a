"""Mường Tè commune atlas: entry point. Run with `make run`."""

import streamlit as st

from mutte_geo.core.i18n import LANGUAGES, tr
from mutte_geo.model.regions import load_pack, region_ids
from mutte_geo.storage.auth import can
from mutte_geo.ui.appstate import (
    LANG_KEY,
    REGION_KEY,
    VINTAGE_KEY,
    current_lang,
    current_region,
    current_vintage,
    region_notice,
)
from mutte_geo.ui.authpage import current_user, sign_in_sidebar

st.set_page_config(page_title="Atlas xã Mường Tè", page_icon="🗺️", layout="wide")

lang = current_lang()
with st.sidebar:
    chosen = st.radio(
        "Ngôn ngữ / Language", list(LANGUAGES), format_func=LANGUAGES.get,
        index=list(LANGUAGES).index(lang), horizontal=True, key="lang_switch",
    )
    if chosen != lang:
        st.session_state[LANG_KEY] = chosen
        st.query_params[LANG_KEY] = chosen
        st.rerun()
    region = load_pack(current_region())
    chosen_region = st.radio(tr(lang, "Vùng", "Region"), region_ids(), index=region_ids().index(region.id),
                             key="region_switch", format_func=lambda r: load_pack(r).choice(lang))
    if chosen_region != region.id:
        st.session_state[REGION_KEY] = chosen_region
        st.query_params[REGION_KEY] = chosen_region
        st.rerun()
    vintage = current_vintage()
    chosen_vintage = st.radio(
        tr(lang, "Ranh giới", "Boundaries"), region.vintages, index=region.vintages.index(vintage),
        key="vintage_switch", format_func=lambda v: region.vintage_label[v](lang),
    )
    if chosen_vintage != vintage:
        st.session_state[VINTAGE_KEY] = chosen_vintage
        st.query_params[VINTAGE_KEY] = str(chosen_vintage)
        st.rerun()
    sign_in_sidebar(lang)

pages = [
    st.Page("pages/overview.py", title=tr(lang, "Tổng quan", "Overview"), icon=":material/flag:",
            default=True),  # the default page is served at "/" (Streamlit ignores its url_path)
    st.Page("pages/map.py", title=tr(lang, "Bản đồ chỉ tiêu", "Indicator map"), icon=":material/map:",
            url_path="map"),
    st.Page("pages/filter.py", title=tr(lang, "Lọc xã theo tiêu chí", "Filter communes"),
            icon=":material/filter_alt:", url_path="filter"),
    st.Page("pages/profile.py", title=tr(lang, "Hồ sơ xã", "Commune profile"), icon=":material/badge:",
            url_path="profile"),
    st.Page("pages/ntm.py", title=tr(lang, "Nông thôn mới", "New rural areas"), icon=":material/agriculture:",
            url_path="ntm"),
    st.Page("pages/completeness.py", title=tr(lang, "Mức độ đầy đủ dữ liệu", "Data completeness"),
            icon=":material/grid_on:", url_path="completeness"),
    st.Page("pages/compare.py", title=tr(lang, "So sánh 2024 – 2025", "Compare 2024 – 2025"),
            icon=":material/compare_arrows:",
            url_path="compare"),
    st.Page("pages/periods.py", title=tr(lang, "So sánh các kỳ", "Compare periods"), icon=":material/timeline:",
            url_path="periods"),
    st.Page("pages/data.py", title=tr(lang, "Dữ liệu và kiểm tra", "Data and checks"), icon=":material/table_view:",
            url_path="data"),
]
if can(current_user(), "edit"):  # staff pages: import, edit in place, history (each checks the role again)
    pages += [
        st.Page("pages/import.py", title=tr(lang, "Nhập số liệu", "Import values"), icon=":material/upload_file:",
                url_path="import"),
        st.Page("pages/edit.py", title=tr(lang, "Sửa số liệu", "Edit values"), icon=":material/edit:",
                url_path="edit"),
        st.Page("pages/approve.py", title=tr(lang, "Duyệt số liệu", "Review values"), icon=":material/task_alt:",
                url_path="review"),
        st.Page("pages/history.py", title=tr(lang, "Lịch sử thay đổi", "Change history"), icon=":material/history:",
                url_path="history"),
    ]
if can(current_user(), "users"):
    pages.append(st.Page("pages/users.py", title=tr(lang, "Tài khoản", "Accounts"), icon=":material/group:",
                         url_path="users"))
if can(current_user(), "audit"):
    pages.append(st.Page("pages/audit.py", title=tr(lang, "Nhật ký kiểm tra", "Audit log"), icon=":material/policy:",
                         url_path="audit"))
page = st.navigation(pages, expanded=True)  # every page listed: staff links are never hidden behind "View more"
# each page its own browser-tab title, in the chosen language
st.set_page_config(page_title=f"{page.title} · {region.atlas_name(lang)}")
region_notice(page.url_path, lang)
page.run()

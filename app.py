"""Mường Tè commune atlas: entry point. Run with `make run`."""

import streamlit as st

from mutte_geo.core.i18n import LANGUAGES, gettext
from mutte_geo.maps.viewstate import encode_view, switch_region, switch_vintage
from mutte_geo.model.regions import load_pack, region_ids
from mutte_geo.storage.auth import can
from mutte_geo.ui.appstate import atlas_or_stop, current_lang, region_notice
from mutte_geo.ui.authpage import current_user, sign_in_sidebar
from mutte_geo.ui.viewstate import bound, change_view, read_view, show_switch_notes, shown_atlas, view_link

st.set_page_config(page_title="Atlas xã Mường Tè", page_icon="🗺️", layout="wide")

atlas = atlas_or_stop(current_lang())
view = read_view(atlas, show=True)
lang = view.lang
show_switch_notes(lang)
region = load_pack(view.region)


def switch_to_chosen_region() -> None:
    chosen = st.session_state["region_switch"]
    if chosen in region_ids():  # else a label left from another language (see mutte_geo.ui.viewstate)
        change_view(lambda v: switch_region(v, chosen, shown_atlas(atlas, chosen).units))


def switch_to_chosen_vintage() -> None:
    chosen = st.session_state["vintage_switch"]
    if chosen in region.vintages:  # else a label left from another language
        change_view(lambda v: switch_vintage(v, chosen, shown_atlas(atlas, region.id).units))


with st.sidebar:
    st.radio("Ngôn ngữ / Language", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True,
             **bound("lang_switch", lang, "lang", options=LANGUAGES))
    st.session_state["region_switch"] = view.region
    st.radio(gettext(lang, "Region"), region_ids(), key="region_switch",
             format_func=lambda r: load_pack(r).choice(lang), on_change=switch_to_chosen_region)
    st.session_state["vintage_switch"] = view.vintage
    st.radio(gettext(lang, "Boundaries"), region.vintages, key="vintage_switch",
             format_func=lambda v: region.vintage_label[v](lang), on_change=switch_to_chosen_vintage)
    nav = st.container()
    with st.expander(gettext(lang, "Link to this view"), icon=":material/link:"):
        st.caption(gettext(lang, "Select the link and copy it to send or bookmark exactly this view."))
        # A text box, not st.code: st.code loads Streamlit's syntax highlighter, 0.6 MB over the wire.
        st.text_input(gettext(lang, "Link to this view"), view_link(view), label_visibility="collapsed")
    sign_in_sidebar(lang)

pages = [
    st.Page("pages/overview.py", title=gettext(lang, "Overview"), icon=":material/flag:",
            default=True),  # the default page is served at "/" (Streamlit ignores its url_path)
    st.Page("pages/map.py", title=gettext(lang, "Indicator map"), icon=":material/map:",
            url_path="map"),
    st.Page("pages/filter.py", title=gettext(lang, "Filter communes"),
            icon=":material/filter_alt:", url_path="filter"),
    st.Page("pages/profile.py", title=gettext(lang, "Commune profile"), icon=":material/badge:",
            url_path="profile"),
    st.Page("pages/ntm.py", title=gettext(lang, "New rural areas"), icon=":material/agriculture:",
            url_path="ntm"),
    st.Page("pages/completeness.py", title=gettext(lang, "Data completeness"),
            icon=":material/grid_on:", url_path="completeness"),
    st.Page("pages/compare.py", title=gettext(lang, "Compare 2024 – 2025"),
            icon=":material/compare_arrows:",
            url_path="compare"),
    st.Page("pages/periods.py", title=gettext(lang, "Compare periods"), icon=":material/timeline:",
            url_path="periods"),
    st.Page("pages/data.py", title=gettext(lang, "Data and checks"), icon=":material/table_view:",
            url_path="data"),
]
# Staff pages are always routed, so a bookmarked /import signed out shows the sign-in form (each page
# checks the role again); the sidebar lists only the pages the user may use.
staff_pages = [
    ("edit", st.Page("pages/import.py", title=gettext(lang, "Import values"),
                     icon=":material/upload_file:", url_path="import")),
    ("edit", st.Page("pages/edit.py", title=gettext(lang, "Edit values"), icon=":material/edit:",
                     url_path="edit")),
    ("edit", st.Page("pages/approve.py", title=gettext(lang, "Review values"),
                     icon=":material/task_alt:", url_path="review")),
    ("edit", st.Page("pages/history.py", title=gettext(lang, "Change history"),
                     icon=":material/history:", url_path="history")),
    ("users", st.Page("pages/users.py", title=gettext(lang, "Accounts"), icon=":material/group:",
                      url_path="users")),
    ("audit", st.Page("pages/audit.py", title=gettext(lang, "Audit log"), icon=":material/policy:",
                      url_path="audit")),
]
user = current_user()
listed = pages + [page for action, page in staff_pages if can(user, action)]
current = st.navigation(pages + [page for _, page in staff_pages], position="hidden")
# each page its own browser-tab title, in the chosen language
st.set_page_config(page_title=f"{current.title} · {region.atlas_name(lang)}")
region_notice(current.url_path, lang)
with nav:  # links that carry the view, so another page opens on the same choices
    for page in listed:
        st.page_link(page, query_params=encode_view(view))
current.run()

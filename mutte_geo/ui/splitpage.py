"""Streamlit parts shared by the comparison pages: classification controls, the split view and its exports."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit_folium import st_folium

from mutte_geo.core.i18n import N_, gettext
from mutte_geo.exports.comparisons import COMPARISON_FORMATS, change_bytes, comparison_file_name, split_bytes
from mutte_geo.exports.filenames import MIME
from mutte_geo.maps.breaks import BreaksError, parse_breaks
from mutte_geo.maps.breaks import example as breaks_example
from mutte_geo.maps.change import ChangeView
from mutte_geo.maps.classify import SCHEME_LABELS, SCHEMES
from mutte_geo.maps.printoptions import ORIENTATIONS, PrintOptions
from mutte_geo.maps.split import SplitView, side_heading, side_note, split_legend_html, split_maps
from mutte_geo.maps.viewstate import ViewState
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Indicator
from mutte_geo.ui.viewstate import bound

ORIENTATION_LABELS = {"portrait": N_("Portrait"), "landscape": N_("Landscape")}


def classification_controls(indicator: Indicator, view: ViewState, *, key: str
                            ) -> tuple[str, int, tuple[float, ...] | None]:
    """Scheme, number of classes and manual breaks of ``view`` (one row of widgets, written to the link);
    defaults for categories."""
    lang = view.lang
    if not indicator.is_numeric:
        return "quantiles", 5, None
    left, right = st.columns([2, 3])
    scheme = left.selectbox(gettext(lang, "Classification (shared by both maps)"),
                            SCHEMES, format_func=lambda s: gettext(lang, SCHEME_LABELS[s]),
                            **bound(f"{key}_scheme", view.scheme, "scheme", options=SCHEMES))
    if scheme != "manual":
        return scheme, right.slider(gettext(lang, "Classes"), 2, 7,
                                    **bound(f"{key}_k", view.classes, "classes")), None
    text = right.text_input(gettext(lang, "Breaks (separated by ;)"),
                            placeholder=breaks_example(lang), **bound(f"{key}_breaks", view.breaks, "breaks"))
    try:
        return scheme, 5, parse_breaks(text, lang)
    except BreaksError as exc:
        (st.error if text.strip() else st.info)(
            exc.describe(lang) + gettext(lang, " Until the breaks are valid, the maps use quantiles."))
        return "quantiles", 5, None


def show_split(atlas: Atlas, split: SplitView, *, group: str, key: str,
               highlights: tuple[set[str] | None, set[str] | None] = (None, None),
               headings: tuple[str, str] | None = None) -> None:
    """One legend, then the two synchronised maps side by side (stacked on a phone), then the export.

    Each map gets a heading (by default what differs between the sides) and a note of what it shows.
    """
    left, right = split.requests
    lang = left.lang
    st.markdown(split_legend_html(atlas, split, lang), unsafe_allow_html=True)
    maps = split_maps(atlas, split, group=group, highlights=highlights)
    titles = headings or (side_heading(left, right, lang), side_heading(right, left, lang))
    for column, request, title, fmap, side in zip(st.columns(2), (left, right), titles, maps, ("l", "r")):
        with column:
            st.subheader(title)
            st.caption(side_note(request, lang))
            st_folium(fmap, height=460, use_container_width=True,
                      render=False, returned_objects=[], key=f"{key}_map_{side}")
            st.caption(" · ".join(atlas.attribution(request.vintage)))
    st.caption(gettext(lang, "Pan or zoom one map: the other follows."))
    _export(lang, key, comparison_file_name(split.indicator_id, [left, right]),
            lambda fmt, options: split_bytes(fmt, atlas, split, options))


def show_change_export(atlas: Atlas, change: ChangeView, *, key: str) -> None:
    lang = change.request.lang
    _export(lang, key, comparison_file_name(change.request.indicator_id, change.sides, change=True),
            lambda fmt, options: change_bytes(fmt, atlas, change, options))


def _export(lang: str, key: str, stem: str, make: Callable[[str, PrintOptions], bytes]) -> None:
    """PNG/PDF download of a comparison, on the print layout of single maps."""
    with st.expander(gettext(lang, "Export the comparison (PNG/PDF)")):
        fmt_col, paper_col, orient_col = st.columns(3)
        fmt = fmt_col.selectbox(gettext(lang, "Format"), list(COMPARISON_FORMATS), key=f"{key}_fmt",
                                format_func=str.upper)
        paper = paper_col.selectbox(gettext(lang, "Paper"), ["a4", "a3"], format_func=str.upper,
                                    key=f"{key}_paper")
        orientation = orient_col.selectbox(gettext(lang, "Orientation"), list(ORIENTATIONS), index=1,
                                           key=f"{key}_orientation",
                                           format_func=lambda o: gettext(lang, ORIENTATION_LABELS[o]))
        options = PrintOptions(paper, orientation)
        name = f"{stem}.{fmt}"
        st.download_button(gettext(lang, "Download ") + name, data=lambda: make(fmt, options),
                           file_name=name, mime=MIME[fmt], on_click="ignore", key=f"{key}_download")

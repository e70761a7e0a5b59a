"""The "Xuất bản đồ" (export map) panel shared by the map and filter pages.

Files are made only when a download button is clicked (deferred ``data`` callables), so the
panel costs the page nothing until it is used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from mutte_geo.analysis.filters import MATCH, FilterResult, describe_criteria
from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import N_, gettext
from mutte_geo.exports.filenames import MIME, REPORT_MIME, file_name, report_choices, report_file_name
from mutte_geo.maps.printoptions import DPIS, ORIENTATIONS, PrintOptions, default_subtitle, default_title
from mutte_geo.maps.view import MapRequest, MapView, map_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST, RESULT_KINDS, kinds_of
from mutte_geo.model.regions import DEFAULT_REGION, default_pack
from mutte_geo.ui.appstate import ntm_store
from mutte_geo.ui.authpage import current_user, sensitive_export
from mutte_geo.ui.mappage import indicator_label

FORMAT_LABELS = {
    "png": N_("PNG (image, for Word)"),
    "pdf": N_("PDF (print)"),
    "svg": N_("SVG (vector graphics)"),
    "html": N_("Interactive HTML (opens offline)"),
    "csv": N_("Values table CSV"),
    "xlsx": N_("Values table Excel (XLSX)"),
    "geojson": N_("Map layer GeoJSON"),
    "gpkg": N_("Map layer GeoPackage"),
}
PAPER_FORMATS = ("png", "pdf", "svg")
ORIENTATION_LABELS = {"portrait": N_("Portrait"), "landscape": N_("Landscape")}


def export_panel(
    atlas: Atlas,
    view: MapView,
    request: MapRequest,
    *,
    highlight: Iterable[str] | None = None,
    key: str = "export",
    title: str | None = None,
) -> None:
    """Export controls and download buttons for the map currently shown; ``title``: the default title
    (else the indicator's name)."""
    indicator_id, period, kinds = request.indicator_id, request.period, request.kinds
    vintage, lang = request.vintage, request.lang
    st.subheader(gettext(lang, "Export map"))
    fmt_col, paper_col, orient_col, dpi_col = st.columns(4)
    fmt = fmt_col.selectbox(gettext(lang, "Format"), list(FORMAT_LABELS), key=f"{key}_format",
                            format_func=lambda f: gettext(lang, FORMAT_LABELS[f]))
    on_paper = fmt in PAPER_FORMATS
    paper = paper_col.selectbox(gettext(lang, "Paper"), ["a4", "a3"], format_func=str.upper,
                                key=f"{key}_paper", disabled=not on_paper)
    orientation = orient_col.selectbox(gettext(lang, "Orientation"), list(ORIENTATIONS),
                                       key=f"{key}_orientation", disabled=not on_paper,
                                       format_func=lambda o: gettext(lang, ORIENTATION_LABELS[o]))
    dpi = dpi_col.selectbox(gettext(lang, "Resolution (dpi)"), list(DPIS), key=f"{key}_dpi",
                            disabled=fmt != "png")
    context = f"{indicator_id}_{period}_{vintage}_{lang}_{atlas.region.id}"  # new defaults when the map changes
    chosen_title = st.text_input(gettext(lang, "Title"), title or default_title(atlas, indicator_id, lang),
                                 key=f"{key}_title_{context}_{_digest(title)}")
    subtitle = st.text_input(gettext(lang, "Subtitle"),
                             default_subtitle(period, kinds, vintage, lang, atlas.region),
                             key=f"{key}_subtitle_{context}")
    options = PrintOptions(paper, orientation, dpi, chosen_title.strip() or None, subtitle,
                           frozenset(highlight) if highlight is not None else None)
    name = file_name(indicator_id, vintage, period, fmt, prefix=atlas.region.file_prefix)
    st.download_button(
        gettext(lang, "Download ") + name,
        data=sensitive_export(_deferred(fmt, atlas, view, request, options),
                              atlas.catalogue[indicator_id].sensitive, name),
        file_name=name, mime=MIME[fmt], on_click="ignore", key=f"{key}_download", type="primary",
    )
    st.caption(gettext(lang, "The export uses exactly the classes, colours and legend shown, with sources and "
                             "boundary attribution."))
    _report_pack(atlas, request, options, key=key)
    _word_report(atlas, request, key=key)


def _digest(text: str | None) -> str:
    """A short stable digest: a new default title gets a new widget."""
    return hashlib.sha1(text.encode()).hexdigest()[:8] if text else ""


def _deferred(fmt: str, atlas: Atlas, view: MapView, request: MapRequest, options: PrintOptions
              ) -> Callable[[], bytes]:
    return lambda: _map_file(fmt, atlas, view, request, options)


# The modules that make files (matplotlib, python-docx: about a second to import) are imported when a
# file is made, not when the panel is drawn, so the first map after a server start does not wait for them.
def _map_file(fmt: str, atlas: Atlas, view: MapView, request: MapRequest, options: PrintOptions) -> bytes:
    from mutte_geo.exports.formats import export_bytes

    return export_bytes(fmt, atlas, view, request=request, options=options)


def _pack_file(fmt: str, atlas: Atlas, requests: list[MapRequest], options: PrintOptions) -> bytes:
    from mutte_geo.exports.pack import report_pack_pdf, report_pack_zip

    return (report_pack_pdf if fmt == "pdf" else report_pack_zip)(atlas, requests, options)


def _report_file(fmt: str, atlas: Atlas, **choices: Any) -> bytes:
    from mutte_geo.exports.reports import report_bytes

    return report_bytes(fmt, atlas, **choices)


def _report_pack(atlas: Atlas, request: MapRequest, options: PrintOptions, *, key: str) -> None:
    lang, vintage = request.lang, request.vintage
    with st.expander(gettext(lang, "Report pack for an annex (several indicators)")):
        choices = atlas.mappable_indicators(vintage)
        chosen = st.multiselect(gettext(lang, "Indicators in the pack"), choices,
                                default=[request.indicator_id] if request.indicator_id in choices else [],
                                format_func=lambda i: indicator_label(atlas, i, vintage, lang), key=f"{key}_pack")
        if not chosen:
            st.info(gettext(lang, "Choose at least one indicator."))
            return
        requests = [MapRequest(i, vintage, LATEST, RESULT_KINDS, lang) for i in chosen]
        pack_options = PrintOptions(options.paper, options.orientation, options.dpi)
        sensitive = any(atlas.catalogue[i].sensitive for i in chosen)
        left, right = st.columns(2)
        left.download_button(gettext(lang, "Download PDF (maps + values table)"),
                             data=sensitive_export(lambda: _pack_file("pdf", atlas, requests, pack_options), sensitive,
                                                   f"report pack PDF: {', '.join(chosen)}"),
                             file_name=f"{atlas.region.file_prefix}_v{vintage}_report_pack.pdf", mime=MIME["pack-pdf"],
                             on_click="ignore", key=f"{key}_pack_pdf")
        right.download_button(gettext(lang, "Download ZIP of PNGs"),
                              data=sensitive_export(lambda: _pack_file("zip", atlas, requests, pack_options),
                                                    sensitive, f"report pack ZIP: {', '.join(chosen)}"),
                              file_name=f"{atlas.region.file_prefix}_v{vintage}_report_pack.zip", mime=MIME["pack-zip"],
                              on_click="ignore", key=f"{key}_pack_zip")
        st.caption(gettext(lang, "The pack uses each unit's latest value and the default classes (quantiles)."))


def filter_export_panel(atlas: Atlas, result: FilterResult, *, vintage: int, lang: str) -> None:
    """The export panel of the filter page: the first condition's indicator, matching units outlined."""
    conditions = result.criteria.conditions
    if not conditions:
        return
    criteria = result.criteria
    indicator_id = conditions[0].indicator
    request = MapRequest(indicator_id, vintage, criteria.period, kinds_of(criteria.kind), lang)
    # the title states the whole filter, not only the indicator the map is coloured by
    title = describe_criteria(criteria, atlas.catalogue, lang)
    export_panel(atlas, map_view(atlas, request), request, highlight=result.codes(MATCH), key="filter_export",
                 title=title)
    st.caption(gettext(lang, "The exported map is coloured by the first condition's indicator; matching units have a "
                             "bold outline, the others are faded."))


# ---------------------------------------------------------------- Word report, commune atlas, brief


def _made_file(label: str, make: Callable[[], bytes], *, name: str, mime: str, key: str, lang: str,
               choice: object) -> None:
    """A button that makes the file with visible progress, then its download button.

    The file is kept for the same ``choice`` only, so a changed choice never downloads an old file.
    A bad choice shows its message and gives no file.
    """
    store = f"{key}_file"
    if st.button(label, key=f"{key}_make"):
        with st.status(gettext(lang, "Making the file…")) as status:
            try:
                data = make()
            except ExportError as exc:
                st.session_state.pop(store, None)
                status.update(label=gettext(lang, "No file made"), state="error")
                st.error(gettext(lang, "Could not make the file: ") + str(exc))
                return
            st.session_state[store] = (choice, data)
            status.update(label=gettext(lang, "Made {name}").format(name=name), state="complete")
    made = st.session_state.get(store)
    if made is not None and made[0] == choice:
        st.download_button(gettext(lang, "Download ") + name, data=made[1], file_name=name, mime=mime,
                           on_click="ignore", key=f"{key}_download", type="primary")


def _word_report(atlas: Atlas, request: MapRequest, *, key: str) -> None:
    lang, vintage = request.lang, request.vintage
    if atlas.region.id != DEFAULT_REGION:  # the report and the commune atlas are the district's documents
        home = default_pack().choice(lang)
        st.caption(gettext(lang, "Word report and commune atlas (PDF): choose the region “{home}” in the "
                                 "sidebar.").format(home=home))
        return
    with st.expander(gettext(lang, "Word report (maps, tables, remarks) and commune atlas (PDF)")):
        choices = report_choices(atlas, vintage)
        chosen = st.multiselect(gettext(lang, "Indicators in the report"), choices,
                                default=[request.indicator_id] if request.indicator_id in choices else [],
                                format_func=lambda i: atlas.catalogue[i].name(lang), key=f"{key}_docx_{vintage}")
        title = st.text_input(gettext(lang, "Report title"), "", key=f"{key}_docx_title",
                              placeholder=gettext(lang, "Empty: the default title"))
        user = current_user()
        if chosen:
            indicators = tuple(chosen)
            _made_file(gettext(lang, "Make the Word report"),
                       lambda: _report_file("docx", atlas, user=user, indicators=indicators, vintage=vintage,
                                            lang=lang, title=title.strip() or None,
                                            ntm_assessments=ntm_store().assessments()),
                       name=report_file_name("docx", vintage), mime=REPORT_MIME["docx"], key=f"{key}_docx",
                       lang=lang, choice=(indicators, vintage, lang, title, user, ntm_store().store.version()))
        else:
            st.info(gettext(lang, "Choose at least one indicator to make the Word report."))
        st.caption(gettext(lang, "A4, Times New Roman, margins as in Decree 30/2020/ND-CP; each indicator gets a 300 "
                                 "dpi map (Figure), a table by commune (Table) and a paragraph drafted from the "
                                 "stored values. An indicator with district figures only has no map."))
        atlas_download(atlas, vintage, lang, key=f"{key}_atlas")


def atlas_download(atlas: Atlas, vintage: int, lang: str, *, code: str | None = None, key: str) -> None:
    """The commune atlas of ``vintage`` (cover, contents, a page per unit), or the page of ``code`` alone."""
    user = current_user()
    units = [code] if code else None
    label = gettext(lang, "Make this unit's atlas page (PDF)") if code else \
        gettext(lang, "Make the atlas of all {n_units} units (PDF)").format(n_units=len(atlas.units[vintage]))
    _made_file(label, lambda: _report_file("atlas", atlas, user=user, vintage=vintage, lang=lang, units=units,
                                           ntm_assessments=ntm_store().assessments()),
               name=report_file_name("atlas", vintage, code), mime=REPORT_MIME["atlas"], key=key, lang=lang,
               choice=(vintage, code, lang, user, ntm_store().store.version()))


def brief_download(atlas: Atlas, lang: str, *, key: str = "brief") -> None:
    """The overview as a one-page printable brief (counters, attention map, largest gaps)."""
    user = current_user()
    _made_file(gettext(lang, "Make the one-page brief (PDF)"),
               lambda: _report_file("brief", atlas, user=user, lang=lang),
               name=report_file_name("brief", 2024), mime=REPORT_MIME["brief"], key=key, lang=lang,
               choice=(lang, user))

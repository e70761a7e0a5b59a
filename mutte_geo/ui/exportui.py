"""The "Xuất bản đồ" (export map) panel shared by the map and filter pages.

Files are made only when a download button is clicked (deferred ``data`` callables), so the
panel costs the page nothing until it is used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import streamlit as st

from mutte_geo.analysis.filters import MATCH, FilterResult, describe_criteria
from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import tr
from mutte_geo.exports.docx_report import report_choices
from mutte_geo.exports.formats import MIME, export_bytes, file_name
from mutte_geo.exports.pack import report_pack_pdf, report_pack_zip
from mutte_geo.exports.reports import REPORT_MIME, report_bytes, report_file_name
from mutte_geo.maps.printmap import DPIS, ORIENTATIONS, PrintOptions, default_subtitle, default_title
from mutte_geo.maps.view import MapRequest, MapView, map_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST, RESULT_KINDS, kinds_of
from mutte_geo.ui.authpage import current_user, sensitive_export
from mutte_geo.ui.mappage import indicator_label

FORMAT_LABELS = {
    "png": ("PNG (ảnh, dán vào Word)", "PNG (image, for Word)"),
    "pdf": ("PDF (in ấn)", "PDF (print)"),
    "svg": ("SVG (đồ họa vector)", "SVG (vector graphics)"),
    "html": ("HTML tương tác (mở không cần mạng)", "Interactive HTML (opens offline)"),
    "csv": ("Bảng số liệu CSV", "Values table CSV"),
    "xlsx": ("Bảng số liệu Excel (XLSX)", "Values table Excel (XLSX)"),
    "geojson": ("Lớp bản đồ GeoJSON", "Map layer GeoJSON"),
    "gpkg": ("Lớp bản đồ GeoPackage", "Map layer GeoPackage"),
}
PAPER_FORMATS = ("png", "pdf", "svg")
ORIENTATION_LABELS = {"portrait": ("Dọc", "Portrait"), "landscape": ("Ngang", "Landscape")}


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
    st.subheader(tr(lang, "Xuất bản đồ", "Export map"))
    fmt_col, paper_col, orient_col, dpi_col = st.columns(4)
    fmt = fmt_col.selectbox(tr(lang, "Định dạng", "Format"), list(FORMAT_LABELS), key=f"{key}_format",
                            format_func=lambda f: tr(lang, *FORMAT_LABELS[f]))
    on_paper = fmt in PAPER_FORMATS
    paper = paper_col.selectbox(tr(lang, "Khổ giấy", "Paper"), ["a4", "a3"], format_func=str.upper,
                                key=f"{key}_paper", disabled=not on_paper)
    orientation = orient_col.selectbox(tr(lang, "Hướng giấy", "Orientation"), list(ORIENTATIONS),
                                       key=f"{key}_orientation", disabled=not on_paper,
                                       format_func=lambda o: tr(lang, *ORIENTATION_LABELS[o]))
    dpi = dpi_col.selectbox(tr(lang, "Độ phân giải (dpi)", "Resolution (dpi)"), list(DPIS), key=f"{key}_dpi",
                            disabled=fmt != "png")
    context = f"{indicator_id}_{period}_{vintage}_{lang}"  # new defaults when the map changes
    chosen_title = st.text_input(tr(lang, "Tiêu đề", "Title"), title or default_title(atlas, indicator_id, lang),
                                 key=f"{key}_title_{context}_{_digest(title)}")
    subtitle = st.text_input(tr(lang, "Tiêu đề phụ", "Subtitle"), default_subtitle(period, kinds, vintage, lang),
                             key=f"{key}_subtitle_{context}")
    options = PrintOptions(paper, orientation, dpi, chosen_title.strip() or None, subtitle,
                           frozenset(highlight) if highlight is not None else None)
    name = file_name(indicator_id, vintage, period, fmt)
    st.download_button(
        tr(lang, "Tải xuống ", "Download ") + name,
        data=sensitive_export(_deferred(fmt, atlas, view, request, options),
                              atlas.catalogue[indicator_id].sensitive, name),
        file_name=name, mime=MIME[fmt], on_click="ignore", key=f"{key}_download", type="primary",
    )
    st.caption(tr(lang, "Bản đồ xuất ra dùng đúng các lớp, màu và chú giải đang hiển thị, kèm nguồn và ghi công "
                        "ranh giới.",
                  "The export uses exactly the classes, colours and legend shown, with sources and boundary "
                  "attribution."))
    _report_pack(atlas, request, options, key=key)
    _word_report(atlas, request, key=key)


def _digest(text: str | None) -> str:
    """A short stable digest: a new default title gets a new widget."""
    return hashlib.sha1(text.encode()).hexdigest()[:8] if text else ""


def _deferred(fmt: str, atlas: Atlas, view: MapView, request: MapRequest, options: PrintOptions
              ) -> Callable[[], bytes]:
    return lambda: export_bytes(fmt, atlas, view, request=request, options=options)


def _report_pack(atlas: Atlas, request: MapRequest, options: PrintOptions, *, key: str) -> None:
    lang, vintage = request.lang, request.vintage
    with st.expander(tr(lang, "Bộ bản đồ cho phụ lục báo cáo (nhiều chỉ tiêu)",
                        "Report pack for an annex (several indicators)")):
        choices = atlas.mappable_indicators(vintage)
        chosen = st.multiselect(tr(lang, "Các chỉ tiêu trong bộ bản đồ", "Indicators in the pack"), choices,
                                default=[request.indicator_id] if request.indicator_id in choices else [],
                                format_func=lambda i: indicator_label(atlas, i, vintage, lang), key=f"{key}_pack")
        if not chosen:
            st.info(tr(lang, "Chọn ít nhất một chỉ tiêu.", "Choose at least one indicator."))
            return
        requests = [MapRequest(i, vintage, LATEST, RESULT_KINDS, lang) for i in chosen]
        pack_options = PrintOptions(options.paper, options.orientation, options.dpi)
        sensitive = any(atlas.catalogue[i].sensitive for i in chosen)
        left, right = st.columns(2)
        left.download_button(tr(lang, "Tải PDF (bản đồ + bảng số liệu)", "Download PDF (maps + values table)"),
                             data=sensitive_export(lambda: report_pack_pdf(atlas, requests, pack_options), sensitive,
                                                   f"report pack PDF: {', '.join(chosen)}"),
                             file_name=f"muongte_v{vintage}_report_pack.pdf", mime=MIME["pack-pdf"],
                             on_click="ignore", key=f"{key}_pack_pdf")
        right.download_button(tr(lang, "Tải ZIP ảnh PNG", "Download ZIP of PNGs"),
                              data=sensitive_export(lambda: report_pack_zip(atlas, requests, pack_options),
                                                    sensitive, f"report pack ZIP: {', '.join(chosen)}"),
                              file_name=f"muongte_v{vintage}_report_pack.zip", mime=MIME["pack-zip"],
                              on_click="ignore", key=f"{key}_pack_zip")
        st.caption(tr(lang, "Bộ bản đồ dùng số liệu mới nhất của mỗi đơn vị và cách phân lớp mặc định (phân vị).",
                      "The pack uses each unit's latest value and the default classes (quantiles)."))


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
    st.caption(tr(lang, "Bản đồ xuất tô màu theo chỉ tiêu của điều kiện thứ nhất; các đơn vị thỏa mãn có viền đậm, "
                        "các đơn vị khác mờ đi.",
                  "The exported map is coloured by the first condition's indicator; matching units have a bold "
                  "outline, the others are faded."))


# ---------------------------------------------------------------- Word report, commune atlas, brief


def _made_file(label: str, make: Callable[[], bytes], *, name: str, mime: str, key: str, lang: str,
               choice: object) -> None:
    """A button that makes the file with visible progress, then its download button.

    The file is kept for the same ``choice`` only, so a changed choice never downloads an old file.
    A bad choice shows its message and gives no file.
    """
    store = f"{key}_file"
    if st.button(label, key=f"{key}_make"):
        with st.status(tr(lang, "Đang tạo tệp…", "Making the file…")) as status:
            try:
                data = make()
            except ExportError as exc:
                st.session_state.pop(store, None)
                status.update(label=tr(lang, "Không tạo được tệp", "No file made"), state="error")
                st.error(tr(lang, "Không tạo được tệp: ", "Could not make the file: ") + str(exc))
                return
            st.session_state[store] = (choice, data)
            status.update(label=tr(lang, f"Đã tạo {name}", f"Made {name}"), state="complete")
    made = st.session_state.get(store)
    if made is not None and made[0] == choice:
        st.download_button(tr(lang, "Tải xuống ", "Download ") + name, data=made[1], file_name=name, mime=mime,
                           on_click="ignore", key=f"{key}_download", type="primary")


def _word_report(atlas: Atlas, request: MapRequest, *, key: str) -> None:
    lang, vintage = request.lang, request.vintage
    with st.expander(tr(lang, "Báo cáo Word (bản đồ, bảng số liệu, nhận xét) và atlas xã (PDF)",
                        "Word report (maps, tables, remarks) and commune atlas (PDF)")):
        choices = report_choices(atlas, vintage)
        chosen = st.multiselect(tr(lang, "Các chỉ tiêu trong báo cáo", "Indicators in the report"), choices,
                                default=[request.indicator_id] if request.indicator_id in choices else [],
                                format_func=lambda i: atlas.catalogue[i].name(lang), key=f"{key}_docx_{vintage}")
        title = st.text_input(tr(lang, "Trích yếu (tiêu đề báo cáo)", "Report title"), "", key=f"{key}_docx_title",
                              placeholder=tr(lang, "Để trống: tiêu đề mặc định", "Empty: the default title"))
        user = current_user()
        if chosen:
            indicators = tuple(chosen)
            _made_file(tr(lang, "Tạo báo cáo Word", "Make the Word report"),
                       lambda: report_bytes("docx", atlas, user=user, indicators=indicators, vintage=vintage,
                                            lang=lang, title=title.strip() or None),
                       name=report_file_name("docx", vintage), mime=REPORT_MIME["docx"], key=f"{key}_docx",
                       lang=lang, choice=(indicators, vintage, lang, title, user))
        else:
            st.info(tr(lang, "Chọn ít nhất một chỉ tiêu để tạo báo cáo Word.",
                       "Choose at least one indicator to make the Word report."))
        st.caption(tr(lang, "Khổ A4, phông Times New Roman, lề theo Nghị định 30/2020/NĐ-CP; mỗi chỉ tiêu có bản đồ "
                            "300 dpi (Hình), bảng theo xã (Bảng) và đoạn nhận xét soạn từ số liệu đã lưu. Chỉ tiêu "
                            "chỉ có số liệu toàn huyện không có bản đồ.",
                      "A4, Times New Roman, margins as in Decree 30/2020/ND-CP; each indicator gets a 300 dpi map "
                      "(Figure), a table by commune (Table) and a paragraph drafted from the stored values. An "
                      "indicator with district figures only has no map."))
        atlas_download(atlas, vintage, lang, key=f"{key}_atlas")


def atlas_download(atlas: Atlas, vintage: int, lang: str, *, code: str | None = None, key: str) -> None:
    """The commune atlas of ``vintage`` (cover, contents, a page per unit), or the page of ``code`` alone."""
    user = current_user()
    units = [code] if code else None
    label = tr(lang, "Tạo trang atlas của đơn vị này (PDF)", "Make this unit's atlas page (PDF)") if code else \
        tr(lang, f"Tạo atlas tất cả {len(atlas.units[vintage])} đơn vị (PDF)",
           f"Make the atlas of all {len(atlas.units[vintage])} units (PDF)")
    _made_file(label, lambda: report_bytes("atlas", atlas, user=user, vintage=vintage, lang=lang, units=units),
               name=report_file_name("atlas", vintage, code), mime=REPORT_MIME["atlas"], key=key, lang=lang,
               choice=(vintage, code, lang, user))


def brief_download(atlas: Atlas, lang: str, *, key: str = "brief") -> None:
    """The overview as a one-page printable brief (counters, attention map, largest gaps)."""
    user = current_user()
    _made_file(tr(lang, "Tạo bản tóm tắt một trang (PDF)", "Make the one-page brief (PDF)"),
               lambda: report_bytes("brief", atlas, user=user, lang=lang),
               name=report_file_name("brief", 2024), mime=REPORT_MIME["brief"], key=key, lang=lang,
               choice=(lang, user))

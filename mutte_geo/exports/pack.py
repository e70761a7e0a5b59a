"""Report packs for an annex: one map page per indicator, then the values table, as a PDF or a ZIP of PNGs."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import matplotlib
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import format_date, gettext
from mutte_geo.exports.filenames import file_name
from mutte_geo.exports.formats import check_request
from mutte_geo.exports.layers import values_table
from mutte_geo.exports.tables import to_csv_bytes
from mutte_geo.maps.printmap import RC, figure_bytes, map_figure
from mutte_geo.maps.printoptions import MM, PrintOptions, default_subtitle, nfc, source_label
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.atlas import Atlas

TABLE_ROWS_PER_PAGE = {"portrait": 34, "landscape": 22}


def report_pack_pdf(atlas: Atlas, requests: list[MapRequest], options: PrintOptions | None = None) -> bytes:
    """One PDF: a map page per indicator, then the values table (paginated)."""
    options = options or PrintOptions()
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC), PdfPages(buffer, metadata={"Title": atlas.region.atlas_name.vi,
                                                                "Creator": atlas.region.atlas_name.vi}) as pdf:
        for fig in _pack_figures(atlas, requests, options):
            pdf.savefig(fig)
    return buffer.getvalue()


def report_pack_zip(atlas: Atlas, requests: list[MapRequest], options: PrintOptions | None = None) -> bytes:
    """A ZIP of one PNG per indicator and per table page, plus the values as CSV."""
    options = options or PrintOptions()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        figures = _pack_figures(atlas, requests, options)
        names = _pack_names(requests, len(figures), atlas.region.file_prefix)
        for number, (fig, name) in enumerate(zip(figures, names), start=1):
            archive.writestr(f"{number:02d}_{name}.png", figure_bytes(fig, "png", options.dpi))
        lang = requests[0].lang if requests else "vi"
        table = pd.concat([values_table(atlas, map_view(atlas, r), request=r) for r in requests], ignore_index=True)
        vintage = requests[0].vintage if requests else 2024
        notes = [*atlas.attribution(vintage), gettext(lang, "Exported on: ")
                 + format_date(options.export_date, lang)]
        archive.writestr(f"{atlas.region.file_prefix}_v{vintage}_values.csv", to_csv_bytes(table, notes=notes))
    return buffer.getvalue()


def _pack_names(requests: list[MapRequest], count: int, prefix: str) -> list[str]:
    names = [file_name(r.indicator_id, r.vintage, r.period, "png", prefix=prefix).removesuffix(".png")
             for r in requests]
    return names + [f"table_{i + 1}" for i in range(count - len(names))]


def _pack_figures(atlas: Atlas, requests: list[MapRequest], options: PrintOptions) -> list[Figure]:
    if not requests:
        raise ExportError("choose at least one indicator for the report pack")
    if len({r.vintage for r in requests}) > 1:
        raise ExportError("a report pack uses one boundary vintage")
    figures = []
    rows: list[list[str]] = []
    for request in requests:
        check_request(atlas, request)
        view = map_view(atlas, request)
        page = replace(options, title=None, subtitle=None)  # each page its own default title
        figures.append(map_figure(atlas, view, request, page))
        name = atlas.catalogue[request.indicator_id].name(request.lang)
        uncertain = gettext(request.lang, " (uncertain)")
        for i, row in enumerate(view.joined.itertuples()):
            rows.append([name if i == 0 else "", str(row.code), str(row.label),
                         str(row.value_text).replace(uncertain, " *"), str(row.period_text),
                         source_label(str(row.source))])
    figures += _table_pages(atlas, rows, requests[0], options)
    return figures


def _table_pages(atlas: Atlas, rows: list[list[str]], request: MapRequest, options: PrintOptions) -> list[Figure]:
    lang = request.lang
    header = [gettext(lang, "Indicator"), gettext(lang, "Code"), gettext(lang, "Unit"),
              gettext(lang, "Value"), gettext(lang, "Period"), gettext(lang, "Source")]
    widths = [0.22, 0.07, 0.16, 0.2, 0.17, 0.18]
    limits = [32, 6, 24, 29, 25, 27]  # characters that fit each column at 6.5 pt
    per_page = TABLE_ROWS_PER_PAGE[options.orientation]
    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)]
    width_mm, height_mm = options.size_mm
    scale = width_mm / 210.0 if options.orientation == "portrait" else height_mm / 210.0
    footer = [gettext(lang, "* uncertain value (weak source). Full sources: the CSV/XLSX export."),
              *atlas.attribution(request.vintage),
              gettext(lang, "Exported on: ") + format_date(options.export_date, lang)]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        fig = Figure(figsize=(width_mm * MM, height_mm * MM), dpi=options.dpi)
        fig.text(12 / width_mm, 1 - 12 / height_mm, nfc(gettext(lang, "Values by unit")
                                                        + f" ({number}/{len(chunks)})"),
                 ha="left", va="top", fontsize=14 * scale, fontweight="bold")
        fig.text(12 / width_mm, 1 - 20 / height_mm, nfc(default_subtitle(request.period, request.kinds,
                                                                          request.vintage, lang, atlas.region)),
                 ha="left", va="top", fontsize=8.5 * scale, color="#333333")
        ax = fig.add_axes((12 / width_mm, 30 / height_mm, 1 - 24 / width_mm, 1 - 60 / height_mm))
        ax.set_axis_off()
        cells = [[nfc(c if len(c) <= n else c[:n - 1] + "…") for c, n in zip(r, limits)] for r in chunk]
        table = ax.table(cellText=cells, colLabels=header, colWidths=widths, loc="upper left", cellLoc="left")
        table.auto_set_font_size(False)
        table.set_fontsize(6.5 * scale)
        table.scale(1, 1.25)
        for (r, _), cell in table.get_celld().items():
            cell.set_linewidth(0.3)
            if r == 0:
                cell.set_facecolor("#e8edf2")
                cell.get_text().set_fontweight("bold")
        fig.text(12 / width_mm, 12 / height_mm, "\n".join(nfc(line) for line in footer), ha="left", va="bottom",
                 fontsize=6.6 * scale, linespacing=1.45)
        pages.append(fig)
    return pages

"""Every export of a map view: pictures, report pack, offline HTML, tables and GIS layers.

All formats go through ``export_bytes``; the command line (``python -m mutte_geo export``)
and the web app's export panel call the same functions. Codes are always written with
their boundary vintage, and every file carries the attribution of ``PROVENANCE.md``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import io
import re
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import matplotlib
import pandas as pd
import pyogrio
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from mutte_geo.core.i18n import format_date, tr
from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.maps.classify import NO_DATA_FILL
from mutte_geo.maps.legend import legend_title
from mutte_geo.maps.printmap import (
    DPIS,
    IMAGE_FORMATS,
    MM,
    ORIENTATIONS,
    PAPERS_MM,
    RC,
    PrintOptions,
    default_subtitle,
    default_title,
    figure_bytes,
    map_figure,
    nfc,
    source_label,
    sources_line,
)
from mutte_geo.maps.view import KINDS, MapRequest, MapView, legend_note, map_view, period_choices
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST
from mutte_geo.model.units import VINTAGES

LEAFLET_DIR = PROJECT_ROOT / "static" / "vendor" / "leaflet"
MAP_FORMATS = (*IMAGE_FORMATS, "html", "csv", "xlsx", "geojson", "gpkg")
PACK_FORMATS = ("pack-pdf", "pack-zip")
FORMATS = (*MAP_FORMATS, *PACK_FORMATS)
MIME = {
    "png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml", "html": "text/html",
    "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
    "pack-pdf": "application/pdf", "pack-zip": "application/zip",
}
EXTENSIONS = {"pack-pdf": "pdf", "pack-zip": "zip"}
TABLE_ROWS_PER_PAGE = {"portrait": 34, "landscape": 22}


class ExportError(ValueError):
    """A request that cannot be exported (unknown indicator, period, format ...)."""


def check_request(atlas: Atlas, request: MapRequest) -> None:
    """Raise ExportError with one clear sentence if the indicator or period does not exist."""
    if request.indicator_id not in atlas.catalogue:
        raise ExportError(f"unknown indicator '{request.indicator_id}' (see data/indicators/catalogue.csv for ids)")
    if request.vintage not in VINTAGES:
        raise ExportError(f"unknown boundary vintage {request.vintage}: choose one of {', '.join(map(str, VINTAGES))}")
    periods = period_choices(atlas, request.indicator_id, request.vintage, request.kinds)
    if request.period not in periods:
        raise ExportError(f"no commune values of '{request.indicator_id}' for period '{request.period}' "
                          f"(vintage {request.vintage}); available: {', '.join(periods)}")


def file_name(indicator_id: str, vintage: int, period: str, fmt: str) -> str:
    """A file name that names the boundary vintage (codes are reused across vintages).

    >>> file_name("population", 2024, "latest", "pdf")
    'muongte_v2024_population_latest.pdf'
    """
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{indicator_id}_{period}")
    return f"muongte_v{vintage}_{safe}.{EXTENSIONS.get(fmt, fmt)}"


def export_bytes(
    fmt: str,
    atlas: Atlas,
    view: MapView,
    *,
    request: MapRequest,
    options: PrintOptions | None = None,
) -> bytes:
    """The current map view in ``fmt`` (one of MAP_FORMATS)."""
    options = options or PrintOptions()
    if fmt in IMAGE_FORMATS:
        fig = map_figure(atlas, view, request, options)
        return figure_bytes(fig, fmt, options.dpi)
    if fmt == "html":
        return standalone_html(atlas, view, request=request, options=options).encode("utf-8")
    if fmt in ("csv", "xlsx"):
        table = values_table(atlas, view, request=request)
        notes = export_notes(atlas, view, request=request, options=options)
        if fmt == "csv":
            return to_csv_bytes(table, notes=notes)
        return to_xlsx_bytes(table, sheet=request.indicator_id, notes=notes)
    if fmt in ("geojson", "gpkg"):
        return layer_bytes(map_layer(atlas, view, request=request), fmt, atlas.attribution(request.vintage))
    raise ExportError(f"unknown format '{fmt}': choose one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------- tables and layers


def values_table(atlas: Atlas, view: MapView, *, request: MapRequest) -> pd.DataFrame:
    """The joined values as a reader's table, one row per unit, codes qualified by vintage."""
    lang = request.lang
    joined = view.joined
    return pd.DataFrame({
        tr(lang, "Năm ranh giới", "Boundary vintage"): request.vintage,
        tr(lang, "Mã", "Code"): joined["code"].to_numpy(),
        tr(lang, "Đơn vị", "Unit"): joined["label"].to_numpy(),
        tr(lang, "Chỉ tiêu", "Indicator"): atlas.catalogue[request.indicator_id].name(lang),
        tr(lang, "Giá trị", "Value"): joined["value_text"].to_numpy(),
        tr(lang, "Số", "Number"): joined["number"].to_numpy(),
        tr(lang, "Kỳ", "Period"): joined["period_text"].to_numpy(),
        tr(lang, "Màu trên bản đồ", "Map colour"): [view.classification.color_of(c) or NO_DATA_FILL
                                                     for c in joined["code"]],
        tr(lang, "Nguồn", "Source"): joined["source"].to_numpy(),
        tr(lang, "Ghi chú", "Note"): joined["note"].to_numpy(),
    })


def export_notes(atlas: Atlas, view: MapView, *, request: MapRequest, options: PrintOptions) -> list[str]:
    """Title, subtitle, sources, attribution and export date, for the notes of a table."""
    lang = request.lang
    return [
        options.title or default_title(atlas, request.indicator_id, lang),
        options.subtitle or default_subtitle(request.period, request.kinds, request.vintage, lang),
        sources_line(view, lang),
        *atlas.attribution(request.vintage),
        tr(lang, "Ngày xuất: ", "Exported on: ") + format_date(options.export_date, lang),
    ]


def map_layer(atlas: Atlas, view: MapView, *, request: MapRequest) -> gpd.GeoDataFrame:
    """The map layer with ASCII field names, vintage-qualified keys and the attribution on every feature."""
    joined = view.joined
    return gpd.GeoDataFrame({
        "vintage": request.vintage,
        "unit_key": [f"{request.vintage}:{c}" for c in joined["code"]],
        "code": joined["code"].to_numpy(),
        "name_vi": joined["name"].to_numpy(),
        "label": joined["label"].to_numpy(),
        "indicator": request.indicator_id,
        "value": joined["value"].astype(object).where(joined["has_data"], None).to_numpy(),
        "number": joined["number"].to_numpy(),
        "value_text": joined["value_text"].to_numpy(),
        "period": joined["period"].astype(object).where(joined["has_data"], None).to_numpy(),
        "kind": joined["kind"].astype(object).where(joined["has_data"], None).to_numpy(),
        "uncertain": joined["uncertain"].to_numpy(),
        "source": joined["source"].to_numpy(),
        "class_color": [view.classification.color_of(c) or NO_DATA_FILL for c in joined["code"]],
        "attribution": " | ".join(atlas.attribution(request.vintage)),
    }, geometry=joined.geometry.to_numpy(), crs=joined.crs)


def layer_bytes(layer: gpd.GeoDataFrame, fmt: str, attribution: list[str]) -> bytes:
    """GeoJSON (attribution also as the collection's description) or GeoPackage (also as layer metadata)."""
    buffer = io.BytesIO()
    text = " | ".join(attribution)
    if fmt == "geojson":
        pyogrio.write_dataframe(layer, buffer, driver="GeoJSON", layer="muongte",
                                layer_options={"DESCRIPTION": text, "RFC7946": "YES"})
    else:
        pyogrio.write_dataframe(layer, buffer, driver="GPKG", layer="muongte",
                                layer_metadata={"attribution": text})
    return buffer.getvalue()


# ---------------------------------------------------------------- standalone HTML


def standalone_html(atlas: Atlas, view: MapView, *, request: MapRequest, options: PrintOptions) -> str:
    """The interactive map as one HTML file that opens offline: Leaflet and its images inlined."""
    from mutte_geo.maps.webmap import LEAFLET_CSS, LEAFLET_JS, choropleth_map, legend_html

    lang = request.lang
    indicator = atlas.catalogue[request.indicator_id]
    fmap = choropleth_map(
        view.joined, view.classification,
        legend=legend_html(legend_title(indicator, lang), view.legend, legend_note(view, lang)),
        attribution=atlas.attribution(request.vintage), lang=lang,
        highlight=set(options.highlight) if options.highlight is not None else None,
    )
    page = fmap.get_root().render()
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = _css_with_inline_images((LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8"))
    script_tag = f'<script src="{LEAFLET_JS}"></script>'
    css_tag = f'<link rel="stylesheet" href="{LEAFLET_CSS}"/>'
    if script_tag not in page or css_tag not in page:
        raise ExportError("the map page no longer loads Leaflet from the app's static folder; cannot inline it")
    title = nfc(options.title or default_title(atlas, request.indicator_id, lang))
    subtitle = nfc(options.subtitle or default_subtitle(request.period, request.kinds, request.vintage, lang))
    heading = (
        '<div style="position:fixed;z-index:1000;left:50px;top:10px;max-width:55%;background:rgba(255,255,255,.93);'
        'padding:6px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.4 sans-serif">'
        f"<b>{html.escape(title)}</b><br>{html.escape(subtitle)}<br><small>{html.escape(sources_line(view, lang))} · "
        f"{tr(lang, 'Ngày xuất', 'Exported on')}: {format_date(options.export_date, lang)}</small></div>"
    )
    page = page.replace(script_tag, f"<script>{js}</script>", 1)
    page = page.replace(css_tag, f"<style>{css}</style>", 1)
    page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    page = page.replace('<html>', f'<html lang="{lang}">', 1)
    return page.replace("<body>", "<body>\n" + heading, 1)


def _css_with_inline_images(css: str) -> str:
    def inline(match: re.Match[str]) -> str:
        path = LEAFLET_DIR / match.group(1)
        if not path.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()})"

    return re.sub(r"url\((images/[^)]+\.png)\)", inline, css)


# ---------------------------------------------------------------- report pack


def report_pack_pdf(atlas: Atlas, requests: list[MapRequest], options: PrintOptions | None = None) -> bytes:
    """One PDF: a map page per indicator, then the values table (paginated)."""
    options = options or PrintOptions()
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC), PdfPages(buffer, metadata={"Title": "Atlas xã Mường Tè",
                                                                "Creator": "Atlas xã Mường Tè"}) as pdf:
        for fig in _pack_figures(atlas, requests, options):
            pdf.savefig(fig)
    return buffer.getvalue()


def report_pack_zip(atlas: Atlas, requests: list[MapRequest], options: PrintOptions | None = None) -> bytes:
    """A ZIP of one PNG per indicator and per table page, plus the values as CSV."""
    options = options or PrintOptions()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        figures = _pack_figures(atlas, requests, options)
        for number, (fig, name) in enumerate(zip(figures, _pack_names(requests, len(figures))), start=1):
            archive.writestr(f"{number:02d}_{name}.png", figure_bytes(fig, "png", options.dpi))
        lang = requests[0].lang if requests else "vi"
        table = pd.concat([values_table(atlas, map_view(atlas, r), request=r) for r in requests], ignore_index=True)
        vintage = requests[0].vintage if requests else 2024
        notes = [*atlas.attribution(vintage), tr(lang, "Ngày xuất: ", "Exported on: ")
                 + format_date(options.export_date, lang)]
        archive.writestr(f"muongte_v{vintage}_values.csv", to_csv_bytes(table, notes=notes))
    return buffer.getvalue()


def _pack_names(requests: list[MapRequest], count: int) -> list[str]:
    names = [file_name(r.indicator_id, r.vintage, r.period, "png").removesuffix(".png") for r in requests]
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
        uncertain = tr(request.lang, " (chưa chắc chắn)", " (uncertain)")
        for i, row in enumerate(view.joined.itertuples()):
            rows.append([name if i == 0 else "", str(row.code), str(row.label),
                         str(row.value_text).replace(uncertain, " *"), str(row.period_text),
                         source_label(str(row.source))])
    figures += _table_pages(atlas, rows, requests[0], options)
    return figures


def _table_pages(atlas: Atlas, rows: list[list[str]], request: MapRequest, options: PrintOptions) -> list[Figure]:
    lang = request.lang
    header = [tr(lang, "Chỉ tiêu", "Indicator"), tr(lang, "Mã", "Code"), tr(lang, "Đơn vị", "Unit"),
              tr(lang, "Giá trị", "Value"), tr(lang, "Kỳ", "Period"), tr(lang, "Nguồn", "Source")]
    widths = [0.22, 0.07, 0.16, 0.2, 0.17, 0.18]
    limits = [32, 6, 24, 29, 25, 27]  # characters that fit each column at 6.5 pt
    per_page = TABLE_ROWS_PER_PAGE[options.orientation]
    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)]
    width_mm, height_mm = options.size_mm
    scale = width_mm / 210.0 if options.orientation == "portrait" else height_mm / 210.0
    footer = [tr(lang, "* số liệu chưa chắc chắn (nguồn yếu). Nguồn đầy đủ: tệp CSV/XLSX kèm theo.",
                 "* uncertain value (weak source). Full sources: the CSV/XLSX export."),
              *atlas.attribution(request.vintage),
              tr(lang, "Ngày xuất: ", "Exported on: ") + format_date(options.export_date, lang)]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        fig = Figure(figsize=(width_mm * MM, height_mm * MM), dpi=options.dpi)
        fig.text(12 / width_mm, 1 - 12 / height_mm, nfc(tr(lang, "Bảng số liệu theo đơn vị", "Values by unit")
                                                        + f" ({number}/{len(chunks)})"),
                 ha="left", va="top", fontsize=14 * scale, fontweight="bold")
        fig.text(12 / width_mm, 1 - 20 / height_mm, nfc(default_subtitle(request.period, request.kinds,
                                                                          request.vintage, lang)),
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


# ---------------------------------------------------------------- command line


def add_export_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``export`` subcommand's arguments (format and values checked by ``run_export``)."""
    export = commands.add_parser("export", help="export a map (png/pdf/svg/html), its data, a report pack, "
                                 "a Word report (docx), the commune atlas or the leaders' brief")
    export.add_argument("--indicator", action="append", default=[],
                        help="indicator id; repeat it for a report pack (pack-pdf, pack-zip) or a Word report (docx)")
    export.add_argument("--period", default=LATEST, help="period, e.g. 2024 or 2024-H1 (default: latest)")
    export.add_argument("--format", dest="fmt", default=None, help=f"one of {', '.join(FORMATS)}, docx, atlas, "
                                                                    "brief (default: from the --out suffix)")
    export.add_argument("--out", type=Path, required=True, help="output file")
    export.add_argument("--vintage", default="2024", help="boundary vintage: 2024 or 2025")
    export.add_argument("--kind", default="actual", help="actual (actual/estimate) or target")
    export.add_argument("--paper", default="a4", help="a4 or a3")
    export.add_argument("--orientation", default="portrait", help="portrait or landscape")
    export.add_argument("--dpi", default="150", help="150 or 300 (PNG)")
    export.add_argument("--lang", default="vi", help="vi or en")
    export.add_argument("--title", default=None)
    export.add_argument("--subtitle", default=None)
    export.add_argument("--highlight", default=None, help="unit codes to outline, comma-separated")
    export.add_argument("--unit", action="append", default=None, help="atlas: only this unit's page (repeatable)")
    export.add_argument("--user", default=None, help="docx/atlas/brief: the account whose view the report shows "
                                                     "(sensitive layers only if it may see them; default: a visitor)")


def run_export(args: argparse.Namespace, atlas: Atlas | None = None) -> int:
    """Carry out ``export``; a bad request prints one ``error:`` line and returns 2."""
    from mutte_geo.exports.reports import REPORT_FORMATS, cli_user, report_bytes

    try:
        fmt, requests, options = _parse_export(args)
        atlas = atlas or Atlas.load()
        if fmt in REPORT_FORMATS:
            units = [c.strip().zfill(5) for c in args.unit] if args.unit else None
            data = report_bytes(fmt, atlas, user=cli_user(args.user), indicators=tuple(args.indicator),
                                vintage=int(args.vintage), period=args.period, lang=args.lang, units=units,
                                title=args.title, export_date=options.export_date)
            return _write(args.out, data, fmt)
        if not requests:
            raise ExportError("choose an indicator with --indicator")
        for request in requests:
            check_request(atlas, request)
        unknown = sorted((options.highlight or frozenset()) - set(atlas.units[requests[0].vintage]))
        if unknown:
            raise ExportError(f"unknown unit codes to highlight in vintage {requests[0].vintage}: {', '.join(unknown)}")
        if fmt in PACK_FORMATS:
            data = (report_pack_pdf if fmt == "pack-pdf" else report_pack_zip)(atlas, requests, options)
        else:
            if len(requests) > 1:
                raise ExportError(f"format '{fmt}' takes one --indicator; use pack-pdf or pack-zip for several")
            data = export_bytes(fmt, atlas, map_view(atlas, requests[0]), request=requests[0], options=options)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _write(args.out, data, fmt)


def _write(out: Path, data: bytes, fmt: str) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out} ({fmt}, {len(data):,} bytes)")
    return 0


def _parse_export(args: argparse.Namespace) -> tuple[str, list[MapRequest], PrintOptions]:
    from mutte_geo.exports.reports import REPORT_FORMATS

    fmt = (args.fmt or args.out.suffix.lstrip(".")).lower()
    if fmt not in (*FORMATS, *REPORT_FORMATS):
        raise ExportError(f"unknown format '{fmt}': choose one of {', '.join((*FORMATS, *REPORT_FORMATS))}")

    def choose(name: str, value: str, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise ExportError(f"unknown {name} '{value}': choose one of {', '.join(allowed)}")
        return value

    vintage = int(choose("vintage", str(args.vintage), tuple(map(str, VINTAGES))))
    kind = choose("kind", args.kind, tuple(KINDS))
    lang = choose("language", args.lang, ("vi", "en"))
    paper = choose("paper", args.paper.lower(), tuple(PAPERS_MM))
    orientation = choose("orientation", args.orientation, ORIENTATIONS)
    dpi = int(choose("dpi", str(args.dpi), tuple(map(str, DPIS))))
    highlight = frozenset(c.strip().zfill(5) for c in args.highlight.split(",") if c.strip()) \
        if args.highlight else None
    options = PrintOptions(paper, orientation, dpi, args.title, args.subtitle, highlight, dt.date.today())
    requests = [MapRequest(i, vintage, args.period, KINDS[kind], lang) for i in args.indicator]
    return fmt, requests, options


# ---------------------------------------------------------------- benchmark


def timed_map_export(
    atlas: Atlas, indicator_id: str = "population", *, fmt: str = "png", dpi: int = 300, paper: str = "a4",
    orientation: str = "portrait", vintage: int = 2024,
) -> tuple[float, bytes]:
    """Seconds to export one map from a warm atlas (classification, layout and encoding), and the file.

    For the benchmark script; the layer and the locator are loaded once before timing.
    """
    import time

    request = MapRequest(indicator_id, vintage)
    options = PrintOptions(paper, orientation, dpi)
    export_bytes(fmt, atlas, map_view(atlas, request), request=request, options=PrintOptions(paper, orientation))
    start = time.perf_counter()
    data = export_bytes(fmt, atlas, map_view(atlas, request), request=request, options=options)
    return time.perf_counter() - start, data

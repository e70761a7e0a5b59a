"""The export formats of one map view, their file names, and ``export_bytes`` that makes any of them.

The command line (``python -m mutte_geo export``) and the web app's export panel call the same
functions. Codes are always written with their boundary vintage, and every file carries the
attribution of ``PROVENANCE.md``.
"""

from __future__ import annotations

from mutte_geo.core.errors import ExportError
from mutte_geo.exports.layers import export_notes, layer_bytes, map_layer, values_table
from mutte_geo.exports.offline_html import standalone_html
from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.maps.printmap import figure_bytes, map_figure
from mutte_geo.maps.printoptions import IMAGE_FORMATS, PrintOptions
from mutte_geo.maps.view import MapRequest, MapView, period_choices
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.units import VINTAGES

MAP_FORMATS = (*IMAGE_FORMATS, "html", "csv", "xlsx", "geojson", "gpkg")
PACK_FORMATS = ("pack-pdf", "pack-zip")
FORMATS = (*MAP_FORMATS, *PACK_FORMATS)


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

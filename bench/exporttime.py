"""Export time of one map from a warm atlas, as the benchmark measures it."""

from __future__ import annotations

import time

from mutte_geo.exports.formats import export_bytes
from mutte_geo.maps.printoptions import PrintOptions
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.atlas import Atlas


def timed_map_export(atlas: Atlas, indicator_id: str, *, fmt: str, vintage: int = 2024) -> tuple[float, bytes]:
    """Seconds to export one A4 portrait map at 300 dpi (classification, layout and encoding), and the file.

    The layer and the locator are loaded by one untimed export first.
    """
    request = MapRequest(indicator_id, vintage=vintage)
    export_bytes(fmt, atlas, map_view(atlas, request), request=request, options=PrintOptions())
    options = PrintOptions(dpi=300)
    start = time.perf_counter()
    data = export_bytes(fmt, atlas, map_view(atlas, request), request=request, options=options)
    return time.perf_counter() - start, data

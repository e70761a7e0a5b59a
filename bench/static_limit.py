"""The static limit: one plain Leaflet page that restyles the same polygons in JavaScript.

Every indicator's colours and legend are written into the page once; a change of the ``<select>``
is a ``setStyle`` per polygon and a new legend, with no server at all. Its change → painted time is
the floor the app's indicator change is compared with (issue 19: at most twice this).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from bench import layers
from bench.browser import STATE_JS, TWO_FRAMES_JS
from mutte_geo.maps.classify import NO_DATA_FILL
from mutte_geo.ui.serve import free_port

ROOT = Path(__file__).resolve().parent.parent
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Static limit</title>
<link rel="stylesheet" href="leaflet/leaflet.css"><script src="leaflet/leaflet.js"></script>
<style>html,body{{margin:0}} #map{{height:600px}} #legend{{position:absolute;top:60px;right:10px;z-index:1000}}</style>
</head><body>
<label for="indicator">Chỉ tiêu</label>
<select id="indicator">{options}</select>
<div id="map"></div><div id="legend"></div>
<script>
const shapes = {geojson}, styles = {styles}, legends = {legends}, noData = {no_data};
const map = L.map('map');
window.atlasLayer = L.geoJSON(shapes, {{style: {{weight: 1, color: '#555', fillOpacity: 0}}}}).addTo(map);
map.fitBounds(window.atlasLayer.getBounds());
function show(id) {{
  window.atlasLayer.eachLayer(l => l.setStyle({{fillColor: styles[id][l.feature.properties.code] || noData,
                                              fillOpacity: 0.8}}));
  document.getElementById('legend').innerHTML = legends[id];
}}
const box = document.getElementById('indicator');
box.addEventListener('change', () => show(box.value));
show(box.value);
</script></body></html>
"""


def write_page(name: str, folder: Path) -> list[str]:
    """The page of data set ``name`` in ``folder`` (with its own copy of Leaflet); the indicator ids."""
    data = layers.load(name)
    views = {i: data.view(i) for i in data.indicators}
    first = views[data.indicators[0]][0]
    geojson = first[["code", "geometry"]].to_json(drop_id=True)
    styles = {i: classification.colors for i, (_, classification, _) in views.items()}
    legends = {i: legend for i, (_, _, legend) in views.items()}
    options = "".join(f'<option value="{i}">{i}</option>' for i in data.indicators)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "static/vendor/leaflet", folder / "leaflet", dirs_exist_ok=True)
    (folder / "index.html").write_text(PAGE.format(options=options, geojson=geojson, styles=json.dumps(styles),
                                                   legends=json.dumps(legends), no_data=json.dumps(NO_DATA_FILL)),
                                       encoding="utf-8")
    return list(data.indicators)


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on a loopback port, in a thread of this process."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign, assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()


async def change_times(page, indicators: list[str], runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from choosing the next indicator until its map is painted (two animation frames later)."""
    state = await page.evaluate(STATE_JS)
    times = []
    for i in range(runs):
        old = state["sig"]
        t0 = time.perf_counter()
        await page.select_option("#indicator", indicators[(i + 1) % len(indicators)])
        while (state := await page.evaluate(STATE_JS))["sig"] == old:
            pass
        await page.evaluate(TWO_FRAMES_JS)
        times.append(time.perf_counter() - t0)
    return times

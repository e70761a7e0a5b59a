"""Speed and scale benchmark of the atlas map, with GeoDataFrame.explore() as the peer baseline.

Usage (from the project root)::

    .venv/bin/python bench/run.py                 # server side, payloads, browser, exports (a few minutes)
    .venv/bin/python bench/run.py --load          # also 10 concurrent browser sessions for a minute
    .venv/bin/python bench/run.py --no-browser    # server side and payloads only

Figures are medians over ``--runs`` runs. Synthetic coverages are generated once into bench/out/.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import streamlit_folium as sf  # noqa: E402

from bench import layers, static_limit, wsload  # noqa: E402
from bench.browser import Server, Session, launch  # noqa: E402
from mutte_geo.maps import webmap  # noqa: E402
from mutte_geo.model.boundaries import simplify_coverage  # noqa: E402

OUT = layers.OUT
BUDGETS = {  # (data, measure) -> (limit, unit)
    ("district", "rerun build (server, warm)"): (150.0, "ms"),
    ("district", "map payload per change"): (150.0, "KB"),
    ("district", "indicator change → painted"): (1.0, "s"),
    ("district", "cold start → first map"): (3.0, "s"),
    ("district", "HTTP over the wire, first load (nginx)"): (1.5, "MB"),
    ("district", "  overview page (the default page)"): (1.5, "MB"),
    ("synth-10000", "map payload, first load"): (6000.0, "KB"),
    ("synth-10000", "indicator change → painted"): (4.0, "s"),
    ("district", "server CPU per change"): (80.0, "ms"),
    ("district", "ws load 10 sessions × 1/s: p95"): (0.5, "s"),
    ("district", "ws load 50 sessions × 1/5 s: p95"): (2.0, "s"),
    ("district", "  10 sessions × 1/s, 2 replicas behind nginx: p95"): (0.5, "s"),
    ("district", "  50 sessions × 1/5 s, 2 replicas behind nginx: p95"): (2.0, "s"),
}
RATIO_BUDGETS = {  # (data, measure) -> the largest ratio to the peer
    ("district", "  peer: static Leaflet page restyling in JS"): 2.0,
}
Row = tuple[str, str, float | None, float | None, str]  # data, measure, atlas, explore(), unit
rows: list[Row] = []


def record(data: str, measure: str, ours: float | None, baseline: float | None, unit: str) -> None:
    rows.append((data, measure, ours, baseline, unit))
    print(f"  {data:12s} {measure:34s} {_fmt(ours):>10s} {_fmt(baseline):>10s} {unit}", flush=True)


def _fmt(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}" if abs(x) < 10 else f"{x:.1f}"


def median_time(fn: Callable[[int], object], runs: int) -> float:
    """Median wall time in ms of ``fn(i)`` after one warm-up call."""
    fn(0)
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i + 1)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def peak_mb(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


# ------------------------------------------------------------------ what st_folium sends

def component_bytes(fmap, group=None) -> int:  # type: ignore[no-untyped-def]
    """Bytes of the st_folium component arguments (script + html + header + feature group), built the
    way ``st_folium`` builds them, including its hash of the script."""
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    sf.generate_js_hash(script, "atlas_map", False)
    group_js = sf._get_feature_group_string(group, map=fmap) if group is not None else ""
    return sum(len(s.encode()) for s in (script, html, header, group_js))


def atlas_rerun(ds: layers.Dataset, indicator: str, **kwargs: object) -> tuple[int, int]:
    """One rerun of the map page the atlas way: join, classify, build both parts, serialise.
    Returns (component bytes, geometry file bytes)."""
    joined, classification, legend = ds.view(indicator)
    parts = webmap.map_parts(joined, classification, legend=legend, attribution=["bench"], lang="vi",
                             serve_geometry=True, **kwargs)  # type: ignore[arg-type]
    geometry = len(webmap.geometry_json(joined, **kwargs).encode())  # type: ignore[arg-type]
    return component_bytes(parts.base, parts.styles), geometry


def inline_rerun(ds: layers.Dataset, indicator: str) -> int:
    """The same map in one piece, geometry inline (what the page sent on every rerun before)."""
    joined, classification, legend = ds.view(indicator)
    return component_bytes(webmap.choropleth_map(joined, classification, legend=legend, attribution=["bench"],
                                                 lang="vi"))


def explore_rerun(ds: layers.Dataset, indicator: str) -> int:
    joined, _, _ = ds.view(indicator)
    return component_bytes(layers.explore(joined))


def server_side(name: str, runs: int) -> None:
    ds = layers.load(name)
    ind = ds.indicators
    kb = 1000.0
    t_atlas = median_time(lambda i: atlas_rerun(ds, ind[i % len(ind)]), runs)
    t_explore = median_time(lambda i: explore_rerun(ds, ind[i % len(ind)]), max(3, runs // 2))
    per_change, geometry = atlas_rerun(ds, ind[1])
    explore_bytes = explore_rerun(ds, ind[1])
    record(name, "rerun build (server, warm)", t_atlas, t_explore, "ms")
    record(name, "map payload per change", per_change / kb, explore_bytes / kb, "KB")
    record(name, "map payload, first load", (per_change + geometry) / kb, explore_bytes / kb, "KB")
    record(name, "peak Python memory of a rerun", peak_mb(lambda: atlas_rerun(ds, ind[2 % len(ind)])),
           peak_mb(lambda: explore_rerun(ds, ind[2 % len(ind)])), "MB")
    # What each measure buys (atlas only).
    record(name, "  without style-only updates", inline_rerun(ds, ind[1]) / kb, None, "KB/change")

    def cold(i: int) -> None:
        webmap._GEOMETRY_CACHE.clear()
        atlas_rerun(ds, ind[i % len(ind)])

    record(name, "  rerun without geometry cache", median_time(cold, max(3, runs // 2)), None, "ms")
    if len(ds.raw) <= 1000:  # 10,000 polygons take about a minute here; timed when generated
        t0 = time.perf_counter()
        simplify_coverage(ds.raw)
        record(name, "  coverage simplification (cached)", (time.perf_counter() - t0) * 1000, None, "ms")
    joined = ds.view(ind[0])[0]

    def geometry_kb(layer: gpd.GeoDataFrame, **kwargs: object) -> float:
        frame = joined.set_geometry(layer.geometry.reindex(joined.index).values)
        return len(webmap.geometry_json(frame, **kwargs).encode()) / kb  # type: ignore[arg-type]

    record(name, "  geometry sent (encoded, 5 decimals)", geometry_kb(ds.web), None, "KB")
    record(name, "  geometry as GeoJSON, 5 decimals", geometry_kb(ds.web, encoded=False), None, "KB")
    record(name, "  geometry as GeoJSON, unrounded", geometry_kb(ds.unrounded, encoded=False, decimals=17), None, "KB")
    record(name, "  geometry as GeoJSON, not simplified", geometry_kb(ds.raw, encoded=False, decimals=17), None, "KB")


def exports(runs: int) -> None:
    """PNG/PDF export time (A4 at 300 dpi, warm atlas), timed by bench.exporttime."""
    from bench.exporttime import timed_map_export
    from mutte_geo.model.atlas import Atlas

    atlas = Atlas.load()
    for fmt in ("png", "pdf"):
        seconds = [timed_map_export(atlas, "population", fmt=fmt)[0] for _ in range(max(3, runs // 2))]
        record("district", f"{fmt.upper()} export (A4, 300 dpi)", statistics.median(seconds) * 1000, None, "ms")
    province = atlas.in_region("laichau")  # 38 units and their labels on one page
    seconds = [timed_map_export(province, "population", fmt="pdf", vintage=2025)[0] for _ in range(max(3, runs // 2))]
    record("province", "PDF export (A4, 300 dpi)", statistics.median(seconds) * 1000, None, "ms")


def page_rerun(runs: int) -> None:
    """The whole map page rerun on an indicator change (Streamlit AppTest, no browser), and the two
    biggest costs in it that are not the map (found with cProfile)."""
    from streamlit.testing.v1 import AppTest

    from mutte_geo.analysis.consistency import atlas_inconsistencies
    from mutte_geo.model.atlas import Atlas

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/map.py")
    at.run()
    ind = layers.DISTRICT_INDICATORS

    def change(i: int) -> None:
        at.selectbox(key="indicator").set_value(ind[(i + 1) % len(ind)]).run()

    record("district", "whole map page rerun (AppTest)", median_time(change, runs), None, "ms")
    atlas = Atlas.load()
    record("district", "  of which atlas_inconsistencies(atlas)",
           median_time(lambda i: atlas_inconsistencies(atlas), runs),
           None, "ms")
    options = atlas.mappable_indicators(2024)
    from mutte_geo.ui.mappage import indicator_label

    record("district", "  of which indicator labels (selectbox)",
           median_time(lambda i: [indicator_label(atlas, o, 2024, "vi") for o in options], runs), None, "ms")


# ------------------------------------------------------------------ in the browser

def indicator_options() -> list[str]:
    from mutte_geo.model.atlas import Atlas
    from mutte_geo.ui.mappage import indicator_label

    atlas = Atlas.load()
    return [indicator_label(atlas, i, 2024, "vi") for i in layers.DISTRICT_INDICATORS]


async def changes(session: Session, label: str, options: list[str], sig: str, n: int,
                  timeout: float = 60) -> tuple[list[float], list[int]]:
    """``n`` indicator changes cycling through ``options[1:], options[0], ...``; seconds and ws bytes each."""
    times, sizes = [], []
    for i in range(n):
        before = session.ws_bytes
        seconds, sig = await session.change_indicator(label, options[(i + 1) % len(options)], sig, timeout)
        await asyncio.sleep(0.3)  # let the rest of the rerun arrive before counting bytes
        times.append(seconds)
        sizes.append(session.ws_bytes - before)
    return times, sizes


async def real_app(runs: int, cold_runs: int) -> None:
    """The real app (app.py, map page): cold start, indicator changes, bytes, server memory."""
    from playwright.async_api import async_playwright

    options = indicator_options()
    async with async_playwright() as pw:
        browser = await launch(pw)
        colds, ready, change_times, change_bytes, first_ws, geometry, rss, http = [], [], [], [], [], [], [], []
        for attempt in range(cold_runs):
            session = await Session.open(browser)
            server = Server("app.py")
            url = server.start(OUT / "app.log")
            try:
                server.wait_healthy()
                ready.append(time.monotonic() - server.started)
                await session.page.goto(f"{url}/map?indicator=population")  # options[0]: the cycle starts there
                sig = await session.wait_painted(None)
                colds.append(time.monotonic() - server.started)
                first_ws.append(session.ws_bytes)
                geometry.append(session.geometry_bytes)
                http.append(session.http_bytes)
                if attempt == 0:
                    times, sizes = await changes(session, "Chỉ tiêu", options, sig, runs)
                    change_times, change_bytes = times, sizes
                    if session.external or session.errors:
                        print(f"  external requests {session.external[:3]}, page errors {session.errors[:3]}")
                rss.append(server.peak_rss_mb())
            finally:
                await session.close()
                server.stop()
        await browser.close()
    record("district", "cold start → first map", statistics.median(colds), None, "s")
    record("district", "  of which server up (health check)", statistics.median(ready), None, "s")
    record("district", "  server side: first map page run done (no browser)", await cold_session(cold_runs), None, "s")
    limit = await static_limit_changes(runs)
    record("district", "indicator change → painted", statistics.median(change_times), None, "s")
    record("district", "  peer: static Leaflet page restyling in JS", statistics.median(change_times), limit, "s")
    record("district", "websocket bytes per change (page)", statistics.median(change_bytes) / 1000, None, "KB")
    record("district", "websocket bytes, first load (page)", statistics.median(first_ws) / 1000, None, "KB")
    record("district", "geometry file fetched (first load)", statistics.median(geometry) / 1000, None, "KB")
    record("district", "HTTP over the wire, first load (direct)", statistics.median(http) / 1e6, None, "MB")
    record("district", "server peak RSS", max(rss), None, "MB")
    await proxied_first_load()


async def cold_session(cold_runs: int) -> float:
    """Median seconds from a server's launch until a websocket client (no browser) has the map page's first
    run finished: the server's part of a cold start."""
    times = []
    for _ in range(cold_runs):
        server = Server("app.py")
        url = server.start(OUT / "cold-session.log")
        try:
            server.wait_healthy()
            client = await wsload.Client.open(url, page="map", label="Chỉ tiêu")
            times.append(time.monotonic() - server.started)
            await client.close()
        finally:
            server.stop()
    return statistics.median(times)


async def static_limit_changes(runs: int) -> float:
    """Median change → painted of the plain Leaflet page that restyles the district in JavaScript
    (bench/static_limit.py): the floor for the app's indicator change."""
    from playwright.async_api import async_playwright

    folder = OUT / "static-limit"
    indicators = static_limit.write_page("district", folder)
    with static_limit.served(folder) as url:
        async with async_playwright() as pw:
            browser = await launch(pw)
            session = await Session.open(browser)
            await session.page.goto(url)
            await session.page.wait_for_function("() => window.atlasLayer && window.atlasLayer.getLayers().length")
            times = await static_limit.change_times(session.page, indicators, max(runs, 10))
            if session.external or session.errors:
                print(f"  static page: external requests {session.external[:3]}, errors {session.errors[:3]}")
            await browser.close()
    return statistics.median(times)


async def proxied_first_load() -> None:
    """The first page load of the map and the overview through nginx (``make replicas``: one replica
    here), which serves the frontend precompressed, against the same load straight from Streamlit
    (which sends its bundles uncompressed).
    Needs PostgreSQL and nginx (``make postgres proxy``); MUTTE_DATABASE_URL names another store."""
    from playwright.async_api import async_playwright

    from mutte_geo.ui.replicas import cluster

    sizes: dict[str, float] = {}
    database = os.environ.get("MUTTE_DATABASE_URL", "postgresql://postgres@127.0.0.1:55432/mutte")
    with cluster(1, env={**os.environ, "MUTTE_DATABASE_URL": database}) as running:
        async with async_playwright() as pw:
            browser = await launch(pw)
            for name, url in (("proxy", running.url), ("direct", running.replica_urls[0])):
                for page, path in (("map", "/map?indicator=population"), ("overview", "/")):
                    session = await Session.open(browser)
                    await session.page.goto(url + path)
                    await session.wait_painted(None)
                    sizes[f"{name} {page}"] = session.http_bytes / 1e6
                    await session.close()
            await browser.close()
    record("district", "HTTP over the wire, first load (nginx)", sizes["proxy map"], sizes["direct map"], "MB")
    record("district", "  overview page (the default page)", sizes["proxy overview"], sizes["direct overview"], "MB")


ABLATIONS = {"atlas-svg": "  SVG instead of canvas", "inline": "  whole map re-sent on change"}


async def bench_app(name: str, runs: int, timeout: float, extra: tuple[str, ...] = ()) -> None:
    """bench/map_app.py on one data set, atlas vs explore() (and ablations ``extra``): first paint
    and indicator changes."""
    from playwright.async_api import async_playwright

    ds_options = layers.load(name).indicators
    result: dict[str, tuple[float | None, float | None, float | None]] = {}
    async with async_playwright() as pw:
        browser = await launch(pw)
        for mode in ("atlas", "explore", *extra):
            server = Server("bench/map_app.py", ["--data", name, "--mode", mode])
            url = server.start(OUT / f"map_app-{name}-{mode}.log")
            session = await Session.open(browser)
            try:
                server.wait_healthy()
                t0 = time.perf_counter()
                await session.page.goto(url)
                sig = await session.wait_painted(None, timeout)
                first = time.perf_counter() - t0
                times, _ = await changes(session, "Chỉ tiêu", ds_options, sig, runs, timeout)
                result[mode] = (first, statistics.median(times), server.peak_rss_mb())
            except TimeoutError as exc:
                print(f"  {name} {mode}: {exc}")
                result[mode] = (None, None, None)
            finally:
                await session.close()
                server.stop()
        await browser.close()
    ours, base = result["atlas"], result["explore"]
    prefix = "map-only page: " if name == "district" else ""
    record(name, f"{prefix}first map (fresh server)", ours[0], base[0], "s")
    record(name, f"{prefix}indicator change → painted", ours[1], base[1], "s")
    record(name, f"{prefix}server peak RSS", ours[2], base[2], "MB")
    for mode in extra:
        record(name, f"{ABLATIONS[mode]}: first map", result[mode][0], None, "s")
        record(name, f"{ABLATIONS[mode]}: change → painted", result[mode][1], None, "s")


async def load_test(sessions: int, seconds: float) -> None:
    """``sessions`` concurrent pages on one server, each changing indicator every second for ``seconds``."""
    from playwright.async_api import async_playwright

    options = indicator_options()
    server = Server("app.py")
    url = server.start(OUT / "load.log")
    times: list[float] = []
    failures: list[str] = []
    retries: list[int] = []
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            server.wait_healthy()

            async def one(k: int) -> None:
                session = await Session.open(browser)
                try:
                    await session.page.goto(f"{url}/map", timeout=120_000)
                    sig = await session.wait_painted(None, 120)
                    end = time.monotonic() + seconds
                    i = k % 3  # sessions start on different indicators, never on the one shown
                    while time.monotonic() < end:
                        tick = time.monotonic()
                        i += 1
                        took, sig = await session.change_indicator("Chỉ tiêu", options[i % len(options)], sig, 30)
                        times.append(took)
                        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
                    failures.extend(f"session {k}: {e}" for e in session.errors)
                    retries.append(session.retries)
                except Exception as exc:  # counted and reported, never hidden
                    failures.append(f"session {k}: {type(exc).__name__}: {exc}")
                finally:
                    await session.close()

            await asyncio.wait_for(asyncio.gather(*(one(k) for k in range(sessions))), timeout=seconds + 300)
        finally:
            await browser.close()
            rss = server.peak_rss_mb()
            server.stop()
    label = f"load ({sessions} sessions × {seconds:.0f} s)"
    if times:
        times.sort()
        record("district", f"{label}: median", statistics.median(times), None, "s")
        record("district", f"{label}: p95", times[int(0.95 * (len(times) - 1))], None, "s")
    record("district", f"{label}: changes", float(len(times)), None, "count")
    record("district", f"{label}: errors", float(len(failures)), None, "count")
    record("district", f"{label}: picks made again", float(sum(retries)), None, "count")
    record("district", f"{label}: server peak RSS", rss, None, "MB")
    for failure in failures[:10]:
        print("   ", failure)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def full_gc(runs: int) -> None:
    """The full collection Streamlit runs after every script run, over the app's heap, before and after
    ``gc.freeze()`` (what mutte_geo.ui.appstate does once the atlas is loaded)."""
    import streamlit_folium  # noqa: F401  (the map page's imports)

    from mutte_geo.maps.view import MapRequest, map_view
    from mutte_geo.model.atlas import Atlas
    from mutte_geo.ui import exportui  # noqa: F401

    atlas = Atlas.load()
    for vintage in atlas.units:
        map_view(atlas, MapRequest("population", vintage=vintage))
    loose = median_time(lambda i: gc.collect(2), runs)
    gc.freeze()
    frozen = median_time(lambda i: gc.collect(2), runs)
    gc.unfreeze()
    record("district", "full GC after a rerun (heap frozen)", frozen, None, "ms")
    record("district", "  full GC after a rerun, not frozen", loose, None, "ms")


async def ws_load(runs: int, seconds: float) -> None:
    """The real map page against explore() + st_folium (bench/map_app.py), with cheap websocket
    clients (bench/wsload.py): server CPU per indicator change, and many sessions changing at once.
    Also the app with Streamlit's full collection after every run (runner.postScriptGC, off in
    .streamlit/config.toml), for its CPU and memory, and two replicas behind nginx (needs PostgreSQL
    and nginx: ``make postgres proxy``) for the many-session figures."""
    apps = {"atlas": (Server("app.py"), "map"),
            "gc": (Server("app.py", env={"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}), "map"),
            "explore": (Server("bench/map_app.py", ["--data", "district", "--mode", "explore"]), "")}
    results: dict[str, dict[str, float]] = {}
    for mode, (server, page) in apps.items():
        url = server.start(OUT / f"wsload-{mode}.log")
        try:
            server.wait_healthy()
            assert server.proc is not None
            results[mode] = await _cpu_per_change(url, page, server.proc.pid, max(runs * 20, 100))
            results[mode]["rss"] = server.rss_mb()
            if mode != "gc":
                results[mode] |= await _sessions(url, page, seconds)
        finally:
            server.stop()
    results["replicas"] = await _replica_sessions(seconds)
    ours, peer, gc_on, two = results["atlas"], results["explore"], results["gc"], results["replicas"]
    record("district", "server CPU per change", ours["cpu"], peer["cpu"], "ms")
    record("district", "  with the full GC after every run", gc_on["cpu"], peer["cpu"], "ms")
    record("district", "server RSS after the changes", ours["rss"], peer["rss"], "MB")
    record("district", "  with the full GC after every run", gc_on["rss"], peer["rss"], "MB")
    for key, label in (("10", "10 sessions × 1/s"), ("50", "50 sessions × 1/5 s")):
        for stat in ("median", "p95"):
            name, base = f"{stat}-{key}", peer[f"{stat}-{key}"]
            record("district", f"ws load {label}: {stat}", ours[name], base, "s")
            record("district", f"  {label}, 2 replicas behind nginx: {stat}", two[name], base, "s")
    record("district", "ws load: errors", ours["errors"] + two["errors"], peer["errors"], "count")


async def _warmed(url: str, page: str) -> wsload.Client:
    """A session that has picked every option once: lazy imports and memoised joins are done."""
    client = await wsload.Client.open(url, page=page, label="Chỉ tiêu")
    assert client.box is not None
    for option in client.box.options:
        await client.change(option)
    return client


async def _cpu_per_change(url: str, page: str, pid: int, changes: int) -> dict[str, float]:
    """Server CPU per indicator change of one session cycling through every option."""
    client = await _warmed(url, page)
    assert client.box is not None
    options = client.box.options
    before = _cpu_seconds(pid)
    for i in range(changes):
        await client.change(options[(i + 1) % len(options)])
    await client.close()
    return {"cpu": (_cpu_seconds(pid) - before) / changes * 1000}


async def _sessions(url: str, page: str, seconds: float) -> dict[str, float]:
    """10 sessions changing every second, then 50 every 5 seconds: median and p95 seconds, errors."""
    light = await wsload.load(url, sessions=10, every=1.0, seconds=seconds, page=page, label="Chỉ tiêu")
    heavy = await wsload.load(url, sessions=50, every=5.0, seconds=seconds, page=page, label="Chỉ tiêu")
    for error in [*light.errors, *heavy.errors][:5]:
        print("   ", url, error)
    return {"median-10": light.median(), "p95-10": light.p95(), "median-50": heavy.median(),
            "p95-50": heavy.p95(), "errors": float(len(light.errors) + len(heavy.errors))}


async def _replica_sessions(seconds: float) -> dict[str, float]:
    """:func:`_sessions` through nginx in front of two replicas (one per core) on PostgreSQL."""
    from mutte_geo.ui.replicas import cluster

    database = os.environ.get("MUTTE_DATABASE_URL", "postgresql://postgres@127.0.0.1:55432/mutte")
    with cluster(2, env={**os.environ, "MUTTE_DATABASE_URL": database}) as running:
        for replica in running.replica_urls:  # warm both: the proxy spreads new sessions over them
            await (await _warmed(replica, "map")).close()
        return await _sessions(running.url, "map", seconds)


# ------------------------------------------------------------------ report

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    load = os.getloadavg()
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem / 1024 / 1024:.1f} GiB RAM, Python {platform.python_version()}, "
            f"load average at start {load[0]:.1f}")


def table() -> str:
    lines = ["| data | measure | atlas | peer (explore() unless named) | atlas / peer | unit | budget |",
             "|---|---|---:|---:|---:|---|---|"]
    for data, measure, ours, base, unit in rows:
        ratio = f"{ours / base:.2f}" if ours is not None and base else "–"
        budget = BUDGETS.get((data, measure))
        verdict = "–"
        if budget is not None and ours is not None:
            verdict = f"< {budget[0]:g} {budget[1]}: {'met' if ours < budget[0] else 'NOT met'}"
        most = RATIO_BUDGETS.get((data, measure))
        if most is not None and ours is not None and base:
            verdict = f"≤ {most:g}× the peer: {'met' if ours / base <= most else 'NOT met'}"
        lines.append(f"| {data} | {measure} | {_fmt(ours)} | {_fmt(base)} | {ratio} | {unit} | {verdict} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--sizes", default="100,1000,10000", help="synthetic coverage sizes")
    parser.add_argument("--browser-sizes", default="1000,10000", help="synthetic sizes also timed in Chromium")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts of the real app")
    parser.add_argument("--no-browser", action="store_true", help="skip everything that needs Chromium")
    parser.add_argument("--load", action="store_true", help="also run the load test")
    parser.add_argument("--sessions", type=int, default=10, help="load test: concurrent sessions (max 10)")
    parser.add_argument("--seconds", type=float, default=60, help="load test: duration per session (max 120)")
    parser.add_argument("--ws-load", action="store_true",
                        help="also measure server CPU per change and 10/50 sessions with websocket clients")
    parser.add_argument("--only-ws-load", action="store_true", help="run the websocket measurements alone")
    parser.add_argument("--only-app", action="store_true",
                        help="run the real app in Chromium alone (cold start, change → painted, static limit)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    started = datetime.now(UTC)
    host = machine()
    print(f"{started:%Y-%m-%d %H:%M} UTC · {host}")
    print(f"  {'data':12s} {'measure':34s} {'atlas':>10s} {'explore()':>10s} unit")
    only = args.only_ws_load or args.only_app
    if args.only_ws_load:
        sizes, args.no_browser = [], True
    for name in ["district", "province", *(f"synth-{n}" for n in sizes)] if not only else []:
        server_side(name, args.runs)
    if not only:
        exports(args.runs)
        page_rerun(args.runs)
    if args.ws_load or args.only_ws_load:
        full_gc(args.runs)
        asyncio.run(ws_load(args.runs, min(args.seconds, 120)))
    if not args.no_browser:
        asyncio.run(real_app(args.runs, args.cold_runs))
    if not args.no_browser and not only:
        asyncio.run(bench_app("district", args.runs, 60, ("inline",)))
        for n in (int(s) for s in args.browser_sizes.split(",") if s):
            extra = ("atlas-svg", "inline") if n >= 10000 else ()
            asyncio.run(bench_app(f"synth-{n}", max(3, args.runs // 2), 120, extra))
    if args.load:
        asyncio.run(load_test(min(args.sessions, 10), min(args.seconds, 120)))
    report = (f"Run {started:%Y-%m-%d %H:%M} UTC, {(datetime.now(UTC) - started).seconds} s; {host}; "
              f"load average at end {os.getloadavg()[0]:.1f}\n"
              f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}\n\n{table()}\n")
    OUT.mkdir(exist_ok=True)
    (OUT / "last.md").write_text(report, encoding="utf-8")
    print()
    print(report)


if __name__ == "__main__":
    main()

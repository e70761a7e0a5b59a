"""Driving the app in headless Chromium (Playwright, async): start a server, time the first paint and
indicator changes, count the bytes that reach the page."""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from mutte_geo.ui.serve import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-features=Translate,MediaRouter",
]
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:", "chrome")

# Evaluated in each frame: how many units are drawn, whether they are styled, and a signature of
# what is shown (legend text, else the fills of the first SVG paths) to tell one indicator from another.
STATE_JS = """() => {
  const layer = window.atlasLayer;
  const paths = document.querySelectorAll('path.leaflet-interactive');
  const n = layer ? layer.getLayers().length : paths.length;
  const first = layer && layer.getLayers()[0];
  const styled = layer ? !!(first && first.options.fillOpacity > 0) : true;
  const legend = document.querySelector('.atlas-legend');
  const fills = Array.from(paths).slice(0, 40).map(p => p.getAttribute('fill')).join();
  return {n: n, styled: styled, sig: (legend ? legend.innerText : '') + '|' + fills};
}"""
TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


@dataclass
class Server:
    """``streamlit run`` of a script on a loopback port; ``started`` is the monotonic launch time."""

    script: str
    script_args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # added to this process' environment
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0

    def start(self, log: Path) -> str:
        self.port = self.port or free_port()
        log.parent.mkdir(parents=True, exist_ok=True)
        launcher = ["-m", "mutte_geo.ui.serve"] if self.script == "app.py" else ["-m", "streamlit", "run", self.script]
        cmd = [sys.executable, *launcher, "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
        if self.script_args:
            cmd += ["--", *self.script_args]
        self.started = time.monotonic()
        with log.open("w") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                         env={**os.environ, **self.env})
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 90) -> None:
        wait_until_healthy(f"http://127.0.0.1:{self.port}", timeout=timeout)

    def peak_rss_mb(self) -> float:
        return self._status_mb("VmHWM:")

    def rss_mb(self) -> float:
        """Resident memory now (``peak_rss_mb``: the most it has held)."""
        return self._status_mb("VmRSS:")

    def _status_mb(self, field: str) -> float:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Session:
    """One page of the app with byte counters (websocket frames received, geometry file fetched, every
    HTTP response as it came over the wire, compressed or not)."""

    def __init__(self, page, cdp) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.ws_bytes = 0
        self.geometry_bytes = 0
        self.http_bytes = 0
        self.external: list[str] = []
        self.errors: list[str] = []
        self.retries = 0
        self._geometry_requests: set[str] = set()
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        page.on("request", lambda req: None if req.url.startswith(LOCAL) else self.external.append(req.url))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    @classmethod
    async def open(cls, browser) -> Session:  # type: ignore[no-untyped-def]
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        return cls(page, cdp)

    def _frame(self, event: dict) -> None:  # type: ignore[type-arg]
        response = event["response"]
        data = response.get("payloadData", "")
        self.ws_bytes += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())

    def _response(self, event: dict) -> None:  # type: ignore[type-arg]
        if "/app/static/cache/" in event["response"]["url"]:
            self._geometry_requests.add(event["requestId"])

    def _finished(self, event: dict) -> None:  # type: ignore[type-arg]
        self.http_bytes += int(event.get("encodedDataLength", 0))
        if event["requestId"] in self._geometry_requests:
            self.geometry_bytes += int(event.get("encodedDataLength", 0))

    async def state(self) -> tuple[object, dict] | None:  # type: ignore[type-arg]
        """The streamlit-folium frame that shows a drawn map, with its state (or None)."""
        for frame in self.page.frames:
            if "st_folium" not in frame.url:
                continue
            try:
                st = await frame.evaluate(STATE_JS)
            except Exception:  # a frame detaching while the component remounts
                continue
            if st["n"] > 0 and st["styled"]:
                return frame, st
        return None

    async def wait_painted(self, old_sig: str | None, timeout: float = 60) -> str:
        """Wait until a map different from ``old_sig`` is drawn and two animation frames have passed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = await self.state()
            if found is not None and found[1]["sig"] != old_sig:
                frame, st = found
                try:
                    await frame.evaluate(TWO_FRAMES_JS)  # type: ignore[attr-defined]
                except Exception:
                    continue
                return str(st["sig"])
            await asyncio.sleep(0.02)
        found = await self.state()
        shown = found[1]["sig"][:60] if found else "no map"
        raise TimeoutError(f"no new map painted within {timeout:.0f} s (showing {shown!r})")

    async def choose(self, label: str, option: str) -> None:
        await self.page.get_by_label(label, exact=True).first.click()
        await self.page.get_by_role("option", name=option, exact=True).click()

    async def change_indicator(self, label: str, option: str, old_sig: str, timeout: float = 60) -> tuple[float, str]:
        """Pick ``option`` and return (seconds from the first click until the new map is painted, its
        signature). A pick the page swallows while it re-renders is made again (counted in ``retries``)."""
        box = self.page.get_by_label(label, exact=True).first
        t0 = 0.0
        for _attempt in range(3):
            await box.click()
            item = self.page.get_by_role("option", name=option, exact=True)
            await item.wait_for()
            t0 = t0 or time.perf_counter()
            await item.click()
            for _ in range(20):
                if await box.input_value() == option:
                    break
                await asyncio.sleep(0.1)
            else:
                self.retries += 1
                continue
            break
        try:
            sig = await self.wait_painted(old_sig, timeout)
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; after choosing {option!r}, the box shows {await box.input_value()!r}") from None
        return time.perf_counter() - t0, sig

    async def close(self) -> None:
        await self.page.context.close()


async def launch(pw):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: run `make browser` (scripts/ensure_chromium.sh)")
    return await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

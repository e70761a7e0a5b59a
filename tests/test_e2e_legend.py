"""End to end: on a desktop and on a phone the legend, attribution and scale never cover a unit."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, map_frame

pytestmark = pytest.mark.e2e

CONTROLS = (".atlas-legend", ".leaflet-control-attribution", ".leaflet-control-scale", ".leaflet-control-zoom")


def _overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def _units_box(frame) -> dict:  # type: ignore[no-untyped-def]
    return frame.evaluate("""() => { var r = null;
      document.querySelectorAll('path.leaflet-interactive').forEach(function(p) { var b = p.getBoundingClientRect();
        r = r === null ? {l: b.left, t: b.top, r: b.right, b: b.bottom}
          : {l: Math.min(r.l, b.left), t: Math.min(r.t, b.top), r: Math.max(r.r, b.right), b: Math.max(r.b, b.bottom)};
      });
      return {x: r.l, y: r.t, width: r.r - r.l, height: r.b - r.t}; }""")


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 800), ("phone", 390, 844)])
def test_controls_never_cover_a_unit(page, app_url, name: str, width: int, height: int):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_url}/map")
    frame = map_frame(page, legend_contains="Giáp biên giới Trung Quốc")
    page.wait_for_timeout(1500)  # the district is fitted once the legend is in place
    units = _units_box(frame)
    assert units["width"] > 100 and units["height"] > 100  # the district is drawn at a readable size
    for selector in CONTROLS:
        box = frame.locator(selector).first.bounding_box()
        assert box is not None and not _overlaps(units, box), (name, selector, units, box)
    scale = frame.locator(".leaflet-control-scale").inner_text()
    assert "km" in scale or " m" in scale
    assert "mi" not in scale and "ft" not in scale  # metric only
    legend_open = frame.evaluate("() => document.querySelector('.atlas-legend').open")
    assert legend_open is (width >= 520)  # a phone starts with the legend closed
    labels = frame.locator(".unit-label").all_inner_texts()
    assert "TT. Mường Tè" in labels and "xã Mường Tè" in labels and "Mường Tè" not in labels
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map_controls_{name}.png"))
    assert page.external_requests == []

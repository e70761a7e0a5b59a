"""Comparisons on paper: a split view (two-panel page) or a change map (single-map page), PNG or PDF,
with both sides or periods named in the title."""

from __future__ import annotations

import re
from dataclasses import replace

from mutte_geo.maps.change import ChangeView, change_subtitle
from mutte_geo.maps.printmap import figure_bytes, map_figure
from mutte_geo.maps.printoptions import PrintOptions
from mutte_geo.maps.split import SplitView
from mutte_geo.maps.splitprint import split_figure
from mutte_geo.maps.view import MapRequest
from mutte_geo.model.atlas import Atlas

COMPARISON_FORMATS = ("png", "pdf")


def _check(fmt: str) -> None:
    if fmt not in COMPARISON_FORMATS:
        raise ValueError(f"Unknown comparison format '{fmt}': choose one of {', '.join(COMPARISON_FORMATS)}")


def split_bytes(fmt: str, atlas: Atlas, split: SplitView, options: PrintOptions | None = None) -> bytes:
    """The split view on one page (two maps, one legend)."""
    _check(fmt)
    options = options or PrintOptions(orientation="landscape")
    return figure_bytes(split_figure(atlas, split, options), fmt, options.dpi)


def change_bytes(fmt: str, atlas: Atlas, change: ChangeView, options: PrintOptions | None = None) -> bytes:
    """The change map on the single-map page, titled with both periods."""
    _check(fmt)
    options = options or PrintOptions()
    request = change.request
    options = replace(options, title=options.title or change.view.title,
                      subtitle=options.subtitle if options.subtitle is not None else change_subtitle(request))
    later = MapRequest(request.indicator_id, request.vintage, request.period_to, request.kinds, request.lang)
    return figure_bytes(map_figure(atlas, change.view, later, options), fmt, options.dpi)


def comparison_file_name(indicator_id: str, requests: tuple[MapRequest, ...] | list[MapRequest], *,
                         change: bool = False) -> str:
    """A file name (without extension) naming both sides.

    >>> left, right = MapRequest("population", 2024, "2019"), MapRequest("population", 2025, "2019")
    >>> comparison_file_name("population", [left, right])
    'muongte_population_v2024-2019_vs_v2025-2019'
    """
    sides = "_to_" if change else "_vs_"
    parts = [f"v{r.vintage}-{r.period}" + ("-target" if r.kinds == ("target",) else "") for r in requests]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"muongte_{indicator_id}_" + sides.join(parts))

"""The two-panel print layout of a split view: the single-map page of ``printmap`` with two maps in
the map area (side by side, or one above the other on a tall area), one legend and one footer."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from mutte_geo.core.i18n import gettext
from mutte_geo.maps.legend import LegendEntry, legend_title
from mutte_geo.maps.printmap import RC, _Layout
from mutte_geo.maps.printoptions import PrintOptions, nfc
from mutte_geo.maps.split import SplitView, side_heading, side_note, split_legend_entries, split_title
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.boundaries import DISTRICT_LAEA

GAP_MM = 4.0


def split_subtitle(split: SplitView, lang: str) -> str:
    """Both sides in words, e.g. 'Trái: 2022 · thực hiện … | Phải: 2024 · …'."""
    left, right = split.requests
    return (gettext(lang, "Left: ") + side_note(left, lang) + " | "
            + gettext(lang, "Right: ") + side_note(right, lang))


def split_figure(atlas: Atlas, split: SplitView, options: PrintOptions | None = None) -> Figure:
    """The page of a split view, titled with both sides unless ``options`` gives a title."""
    options = options or PrintOptions(orientation="landscape")
    lang = split.requests[0].lang
    options = replace(options, title=options.title or split_title(atlas, split, lang),
                      subtitle=options.subtitle if options.subtitle is not None else split_subtitle(split, lang))
    with matplotlib.rc_context(RC):
        return _SplitLayout(atlas, split, options).draw()


class _SplitLayout(_Layout):
    def __init__(self, atlas: Atlas, split: SplitView, options: PrintOptions) -> None:
        left, right = split.requests
        first, second = split.sides
        notes = list(dict.fromkeys([*first.classification.notes, *second.classification.notes]))
        names = (side_heading(left, right, left.lang), side_heading(right, left, left.lang))
        title = (f"{legend_title(atlas.catalogue[left.indicator_id], left.lang)} · "
                 f"{gettext(left.lang, 'units')}: {names[0]} | {names[1]}")
        shared = replace(first, classification=replace(first.classification, notes=notes), title=title)
        super().__init__(atlas, shared, left, options)
        self.split = split
        self.panels = [(view, view.joined.to_crs(DISTRICT_LAEA), request, side_heading(request, other, left.lang))
                       for view, request, other in zip(split.sides, (left, right), (right, left))]

    def draw_body(self, box: tuple[float, float, float, float]) -> None:
        left, bottom, width, height = box
        gap = GAP_MM * self.scale
        if width >= height:
            boxes = [(left, bottom, (width - gap) / 2, height), (left + (width + gap) / 2, bottom, (width - gap) / 2,
                                                                  height)]
        else:
            boxes = [(left, bottom + (height + gap) / 2, width, (height - gap) / 2),
                     (left, bottom, width, (height - gap) / 2)]
        shared, projected, vintage = self.view, self.projected, self.vintage
        for (view, layer, request, heading), panel in zip(self.panels, boxes):
            self.view, self.projected, self.vintage = view, layer, request.vintage
            ax = self.fig.add_axes(self.rect(*panel))
            self.draw_map(ax)
            ax.set_title(nfc(heading), fontsize=self.pt(10), fontweight="bold", loc="left")
        self.view, self.projected, self.vintage = shared, projected, vintage

    def map_bounds(self) -> tuple[float, float, float, float]:
        """Both panels show the extent of both sides, at one scale."""
        boxes = [layer.total_bounds for _, layer, *_ in self.panels]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes))

    def legend_rows(self) -> list[tuple[LegendEntry, str]]:
        return [(entry, f"{entry.label} ({a} | {b})") for entry, a, b in split_legend_entries(self.split)]

    def footer_lines(self) -> list[str]:
        """The single-map footer with the sources of both sides and, across vintages, both attributions."""
        shown = self.view
        self.view = replace(shown, joined=pd.concat([v.joined for v in self.split.sides], ignore_index=True))
        lines = super().footer_lines()
        self.view = shown
        vintages = {r.vintage for r in self.split.requests}
        if len(vintages) > 1:
            width = self.chars_per_line(self.width_mm - 24 * self.scale, self.pt(6.6))
            mine = self.atlas.attribution(self.vintage)
            extra = [line for v in sorted(vintages - {self.vintage}) for line in self.atlas.attribution(v)
                     if line not in mine]
            lines[-1:-1] = [part for line in extra for part in textwrap.wrap(nfc(line), width,
                                                                              subsequent_indent="   ")]
        return lines

"""A4 pages drawn with matplotlib for the PDF reports: text blocks and wrapped tables placed in millimetres."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from mutte_geo.maps.printoptions import MM, nfc

A4_MM = (210.0, 297.0)
MARGIN_MM = 15.0
PT_MM = 25.4 / 72  # one point in millimetres
LINE = 1.32  # line height as a multiple of the font size
CHAR_WIDTH = 0.56  # DejaVu Sans: average advance as a share of the font size


def chars_for(width_mm: float, size_pt: float) -> int:
    """How many characters of ``size_pt`` fit ``width_mm`` (for wrapping)."""
    return max(4, int(width_mm / (CHAR_WIDTH * size_pt * PT_MM)))


def wrap(text: str, width_mm: float, size_pt: float) -> list[str]:
    lines: list[str] = []
    for part in nfc(text).split("\n"):
        lines += textwrap.wrap(part, chars_for(width_mm, size_pt), break_long_words=True) or [""]
    return lines


@dataclass
class Page:
    """One A4 page with a cursor ``y`` (millimetres from the top edge) moving down as blocks are added."""

    dpi: int = 150
    fig: Figure = field(init=False)
    y: float = MARGIN_MM

    def __post_init__(self) -> None:
        self.fig = Figure(figsize=(A4_MM[0] * MM, A4_MM[1] * MM), dpi=self.dpi)

    @property
    def width(self) -> float:
        return A4_MM[0] - 2 * MARGIN_MM

    @property
    def bottom(self) -> float:
        return A4_MM[1] - MARGIN_MM - 12  # room for the footer

    def room(self) -> float:
        return self.bottom - self.y

    def text(self, text: str, size: float, *, x: float = MARGIN_MM, width: float | None = None, bold: bool = False,
             color: str = "#111111", gap: float = 1.5, align: str = "left") -> float:
        """A wrapped paragraph at the cursor; returns its height in mm."""
        width = width or self.width - (x - MARGIN_MM)
        lines = wrap(text, width, size)
        anchor = {"left": x, "center": x + width / 2, "right": x + width}[align]
        self.fig.text(anchor / A4_MM[0], 1 - self.y / A4_MM[1], "\n".join(lines), ha=align, va="top",
                      fontsize=size, fontweight="bold" if bold else "normal", color=color, linespacing=LINE)
        height = len(lines) * size * PT_MM * LINE
        self.y += height + gap
        return height

    def axes(self, x: float, width: float, height: float) -> Axes:
        """An axes box ``width`` × ``height`` mm whose top-left corner is at (x, cursor)."""
        ax = self.fig.add_axes((x / A4_MM[0], 1 - (self.y + height) / A4_MM[1], width / A4_MM[0],
                                height / A4_MM[1]))
        return ax

    def rule(self, color: str = "#999999") -> None:
        y = 1 - self.y / A4_MM[1]
        self.fig.add_artist(Line2D([MARGIN_MM / A4_MM[0], 1 - MARGIN_MM / A4_MM[0]], [y, y], color=color,
                                   linewidth=0.5))
        self.y += 2

    def table(self, header: list[str], rows: list[list[str]], widths: list[float], size: float = 7.5) -> int:
        """Rows with wrapped cells, header shaded; draws as many rows as fit and returns how many."""
        pad = 1.2
        line_h = size * PT_MM * LINE

        def height(cells: list[str]) -> float:
            return max(len(wrap(c, w - 2 * pad, size)) for c, w in zip(cells, widths)) * line_h + 2 * pad

        def draw(cells: list[str], *, shaded: bool, bold: bool) -> None:
            h = height(cells)
            x = MARGIN_MM
            top = 1 - self.y / A4_MM[1]
            self.fig.add_artist(Rectangle((MARGIN_MM / A4_MM[0], top - h / A4_MM[1]), sum(widths) / A4_MM[0],
                                          h / A4_MM[1], facecolor="#e8edf2" if shaded else "none",
                                          edgecolor="#b0b0b0", linewidth=0.4))
            for cell, w in zip(cells, widths):
                self.fig.text((x + pad) / A4_MM[0], 1 - (self.y + pad) / A4_MM[1],
                              "\n".join(wrap(cell, w - 2 * pad, size)), ha="left", va="top", fontsize=size,
                              fontweight="bold" if bold else "normal", linespacing=LINE)
                x += w
            self.y += h

        if self.room() < height(header) + (height(rows[0]) if rows else 0):
            return 0
        draw(header, shaded=True, bold=True)
        drawn = 0
        for row in rows:
            if height(row) > self.room():
                break
            draw(row, shaded=False, bold=False)
            drawn += 1
        self.y += 3
        return drawn

    def footer(self, lines: list[str], page_number: int | None) -> None:
        size = 6.3
        y = A4_MM[1] - MARGIN_MM
        text = "\n".join(line for raw in lines for line in wrap(raw, self.width - 12, size))
        self.fig.text(MARGIN_MM / A4_MM[0], 1 - y / A4_MM[1], text, ha="left", va="bottom", fontsize=size,
                      color="#333333", linespacing=LINE)
        if page_number is not None:
            self.fig.text(1 - MARGIN_MM / A4_MM[0], 1 - y / A4_MM[1], str(page_number), ha="right", va="bottom",
                          fontsize=8)

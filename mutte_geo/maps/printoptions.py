"""What a printed map is made of, without drawing it: paper, resolution and the texts of the title
block and sources line. :mod:`mutte_geo.maps.printmap` draws with these (matplotlib, imported only
by an export); pages and tables use this module alone.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlparse

from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import format_period, gettext, kind_label
from mutte_geo.maps.legend import legend_title
from mutte_geo.maps.view import MapView
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import LATEST
from mutte_geo.model.regions import RegionPack, default_pack
from mutte_geo.model.sources import is_unofficial, unofficial_mark

PAPERS_MM = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}
ORIENTATIONS = ("portrait", "landscape")
DPIS = (150, 300)
IMAGE_FORMATS = ("png", "pdf", "svg")
MM = 1 / 25.4


@dataclass(frozen=True)
class PrintOptions:
    """Paper, resolution and texts of one exported map."""

    paper: str = "a4"
    orientation: str = "portrait"
    dpi: int = 150
    title: str | None = None
    subtitle: str | None = None
    highlight: frozenset[str] | None = None
    export_date: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        if self.paper not in PAPERS_MM:
            raise ExportError(f"Unknown paper '{self.paper}': choose one of {', '.join(PAPERS_MM)}")
        if self.orientation not in ORIENTATIONS:
            raise ExportError(f"Unknown orientation '{self.orientation}': choose one of {', '.join(ORIENTATIONS)}")
        if self.dpi not in DPIS:
            raise ExportError(f"Unsupported dpi {self.dpi}: choose one of {', '.join(map(str, DPIS))}")

    @property
    def size_mm(self) -> tuple[float, float]:
        short, long = PAPERS_MM[self.paper]
        return (short, long) if self.orientation == "portrait" else (long, short)

    def pixel_size(self) -> tuple[int, int]:
        """Width and height of a PNG export in pixels.

        >>> PrintOptions("a4", "portrait", 150).pixel_size()
        (1240, 1754)
        """
        w, h = self.size_mm
        return round(w * MM * self.dpi), round(h * MM * self.dpi)


def nfc(text: str) -> str:
    """Precomposed Unicode, so stacked Vietnamese marks use the font's own glyphs."""
    return unicodedata.normalize("NFC", text)


def default_title(atlas: Atlas, indicator_id: str, lang: str) -> str:
    return legend_title(atlas.catalogue[indicator_id], lang)


def default_subtitle(period: str, kinds: tuple[str, ...], vintage: int, lang: str,
                     region: RegionPack | None = None) -> str:
    """Place, period, kind of value and boundary vintage of ``region`` (default: Mường Tè), for the title block.

    >>> default_subtitle("2024", ("actual", "estimate"), 2024, "vi")
    'Huyện Mường Tè, tỉnh Lai Châu · Kỳ: 2024 (thực hiện, ước thực hiện) · Ranh giới 2024 (14 xã, thị trấn)'
    """
    region = region or default_pack()
    place = region.place[vintage](lang)
    when = gettext(lang, "latest value of each unit") if period == LATEST \
        else format_period(period, lang)
    kind = ", ".join(kind_label(k, lang) for k in kinds)
    bounds = region.bounds[vintage](lang)
    return f"{place} · {gettext(lang, 'Period')}: {when} ({kind}) · {bounds}"


def source_label(source: str) -> str:
    """A short name for a source: the host of a URL, else the text before any detail.

    >>> source_label("https://www.citypopulation.de/en/vietnam/laichau/admin/")
    'citypopulation.de'
    >>> source_label("Báo cáo KT-XH 2025 (trang 3)")
    'Báo cáo KT-XH 2025'
    """
    text = source.strip()
    if text.startswith(("http://", "https://")):
        host = urlparse(text.split()[0]).netloc.lower()
        for prefix in ("www.", "m."):
            host = host.removeprefix(prefix)
        return host.replace(".m.wikipedia", ".wikipedia")
    return text.split(" (")[0].split(": ")[0].strip()


def sources_line(view: MapView, lang: str) -> str:
    """The data sources of the map, short; an unofficial web source is marked as such."""
    shown = [s for s in view.joined.loc[view.joined["has_data"], "source"] if s.strip()]
    labels = sorted({source_label(s) + (f" ({unofficial_mark(lang)})" if is_unofficial(s) else "") for s in shown})
    listed = "; ".join(labels) if labels else gettext(lang, "no commune-level data")
    return gettext(lang, "Data sources: ") + listed

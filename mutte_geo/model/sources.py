"""Official and unofficial sources: a value from an unofficial web publication says so wherever shown.

Unofficial: encyclopedias and copies of them, population aggregators, forums, re-posts and mirrors
of press articles. Official: the district's report, government sites (``*.gov.vn``), the official
2025 reference map (sapnhap.bando.com.vn) and legal texts. The list is of publishers seen in
``data/indicators``; a new unofficial publisher is added here.
"""

from __future__ import annotations

import re

from mutte_geo.core.i18n import N_, gettext

UNOFFICIAL_HOSTS = (
    "wikipedia.org", "defzone.net", "wonilvalve.com", "citypopulation.de", "mobytrade-hk.tech",
    "dantiengtrung.vn", "vietnam.vn", "tinbds.com", "dialythuvi.com",
)
_HOST = re.compile(r"https?://([^/\s]+)")
UNOFFICIAL_MARK = N_("unofficial source")


def is_unofficial(source: str) -> bool:
    """Whether ``source`` is (first of all) an unofficial web publication.

    >>> is_unofficial("https://vi.wikipedia.org/wiki/M%C3%B9_C%E1%BA%A3")
    True
    >>> is_unofficial("https://muongte.laichau.gov.vn/about/Gioi-thieu-chung.html")
    False
    >>> is_unofficial("Suy ra từ số liệu năm 2024 · https://www.citypopulation.de/en/vietnam/laichau/admin/")
    True
    """
    hosts = [h.lower().removeprefix("www.") for h in _HOST.findall(source)]
    return any(h == u or h.endswith("." + u) for h in hosts for u in UNOFFICIAL_HOSTS)


def unofficial_mark(lang: str) -> str:
    return gettext(lang, UNOFFICIAL_MARK)

"""A commune's profile: identity, area from its boundary, its 2025 commune, and every indicator.

Codes are always read with their vintage: ``03433`` is the town in 2024 and Bum Tở in 2025.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from mutte_geo.core.formatting import format_plain
from mutte_geo.core.i18n import NO_DATA, format_date, format_period, gettext, kind_label, pgettext
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import CATEGORIES
from mutte_geo.model.indicators import period_sort_key
from mutte_geo.model.join import value_text

REFORM_DATE = dt.date(2025, 7, 1)  # the 2025 communes took effect (Nghị quyết 1670/NQ-UBTVQH15)


def successor_label(lang: str) -> str:
    """'Từ 01/07/2025 thuộc' / 'From 2025-07-01 part of'."""
    day = format_date(REFORM_DATE, lang)
    return gettext(lang, "From {day} part of").format(day=day)


@dataclass(frozen=True)
class UnitSummary:
    vintage: int
    code: str
    label: str
    type_label: str
    area_km2: float
    successor: str | None  # 2024 unit: the 2025 commune it became part of
    predecessors: str  # 2025 unit: the 2024 units it was formed from


def unit_summary(atlas: Atlas, vintage: int, code: str, lang: str) -> UnitSummary:
    unit = atlas.units[vintage][code]
    area = float(atlas.boundaries(vintage).set_index("code").loc[code, "area_km2"])
    successor = None
    if unit.successor_code:
        new = atlas.units[2025][unit.successor_code]
        successor = f"{new.label(lang)} ({new.code}, {gettext(lang, '2025 boundaries')})"
    return UnitSummary(vintage, code, unit.label(lang), unit.type_label(lang), area, successor, unit.predecessors)


def area_text(area_km2: float, lang: str) -> str:
    return f"{format_plain(area_km2, lang, 2)} km²"


def indicator_table(atlas: Atlas, vintage: int, code: str, lang: str, *, include_sensitive: bool = True
                    ) -> pd.DataFrame:
    """Every catalogue indicator for one unit: those with values first (newest value first), then one
    row per missing indicator saying so."""
    rows = atlas.values[(atlas.values["vintage"] == vintage) & (atlas.values["unit_code"] == code)]
    present, missing = [], []
    for ind in atlas.catalogue.values():
        if ind.sensitive and not include_sensitive:
            continue
        mine = rows[rows["indicator"] == ind.id]
        base = {pgettext(lang, "profile", "Group"): gettext(lang, CATEGORIES[ind.category]),
                gettext(lang, "Indicator"): ind.name(lang)}
        if mine.empty:
            missing.append({**base, gettext(lang, "Value"): NO_DATA[lang], gettext(lang, "Period"): "",
                            gettext(lang, "Kind"): "", pgettext(lang, "profile", "Status"): "",
                            gettext(lang, "Source"): "", gettext(lang, "Note"): ""})
            continue
        mine = mine.assign(_o=mine["period"].map(period_sort_key)).sort_values("_o", ascending=False)
        for _, row in mine.iterrows():
            uncertain = row["status"] == "UNCERTAIN"
            present.append({
                **base,
                gettext(lang, "Value"): value_text(ind, row, lang) + (" *" if uncertain else ""),
                gettext(lang, "Period"): format_period(row["period"], lang),
                gettext(lang, "Kind"): kind_label(row["kind"], lang),
                pgettext(lang, "profile", "Status"): gettext(lang, "uncertain") if uncertain
                else gettext(lang, "verified"),
                gettext(lang, "Source"): row["source"],
                gettext(lang, "Note"): row["note"],
            })
    return pd.DataFrame.from_records(present + missing)


def missing_indicators(atlas: Atlas, vintage: int, code: str, lang: str, *, include_sensitive: bool = True
                       ) -> dict[str, list[str]]:
    """Indicators with no value at all for this unit, by group: what staff should collect."""
    rows = atlas.values[(atlas.values["vintage"] == vintage) & (atlas.values["unit_code"] == code)]
    present = set(rows["indicator"])
    groups: dict[str, list[str]] = {}
    for ind in atlas.catalogue.values():
        if ind.id not in present and (include_sensitive or not ind.sensitive):
            groups.setdefault(gettext(lang, CATEGORIES[ind.category]), []).append(ind.name(lang))
    return groups

"""One map request and the view it gives: the same path for the map page, exports, CLI and benchmark."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd

from mutte_geo.core.i18n import format_period, tr
from mutte_geo.maps.classify import Classification, classify_categories, classify_derived_categories, classify_numeric
from mutte_geo.maps.legend import LegendEntry, derived_legend_entries, legend_entries
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.crosswalk import mark_reaching_outside
from mutte_geo.model.indicators import LATEST, period_sort_key, select
from mutte_geo.model.join import join_indicator
from mutte_geo.model.remarks import remarks_for
from mutte_geo.model.sources import is_unofficial, unofficial_mark
from mutte_geo.model.units import DISTRICT_CODE

# What the "kind of value" choice of the map page selects.
KINDS = {"actual": ("actual", "estimate"), "target": ("target",)}


@dataclass(frozen=True)
class MapRequest:
    """Everything a user chooses for one choropleth.

    >>> MapRequest("population", vintage=2025).kinds
    ('actual', 'estimate')
    """

    indicator_id: str
    vintage: int = 2024
    period: str = LATEST
    kinds: tuple[str, ...] = KINDS["actual"]
    lang: str = "vi"
    scheme: str = "quantiles"
    k: int = 5
    manual_breaks: tuple[float, ...] | None = None


@dataclass(frozen=True)
class MapView:
    """What one choropleth shows: joined layer, classes and legend (shared by map and exports)."""

    joined: gpd.GeoDataFrame
    classification: Classification
    legend: list[LegendEntry]


def map_view(atlas: Atlas, request: MapRequest) -> MapView:
    """Join, classify and describe ``request`` on the atlas' web layer."""
    indicator = atlas.catalogue[request.indicator_id]
    vintage, lang = request.vintage, request.lang
    joined = join_indicator(atlas.web_layer(vintage), atlas.values, indicator=indicator, vintage=vintage,
                            units=atlas.units[vintage], lang=lang, period=request.period, kinds=request.kinds)
    series = joined.set_index("code")
    derived = None if indicator.is_numeric else classify_derived_categories(series["value"], indicator)
    if indicator.is_numeric:
        breaks = list(request.manual_breaks) if request.manual_breaks is not None else None
        classification = classify_numeric(series["number"], scheme=request.scheme, k=request.k,
                                          higher_is_better=indicator.higher_is_better, manual_breaks=breaks)
    else:
        classification = derived or classify_categories(series["value"], yes_no=indicator.value_type == "yes/no")
    no_data = int((~joined["has_data"]).sum())
    legend = (legend_entries if derived is None else derived_legend_entries)(
        classification, indicator, lang, no_data_count=no_data)
    if vintage == 2025 and atlas.crosswalk is not None:
        joined, notes = mark_reaching_outside(joined, atlas.crosswalk, atlas.units, lang)
        classification = replace(classification, notes=[*classification.notes, *notes])
    remarks = [(r.text_vi, r.text_en) for r in remarks_for(atlas.remarks, indicator.id, "context", "inconsistency")]
    if remarks:
        classification = replace(classification, notes=[*classification.notes, *remarks])
    return MapView(joined, classification, legend)


def period_choices(atlas: Atlas, indicator_id: str, vintage: int, kinds: tuple[str, ...]) -> list[str]:
    """``latest`` and every period with commune values of ``kinds``, newest first."""
    values = atlas.values
    rows = values[(values["indicator"] == indicator_id) & (values["vintage"] == vintage)
                  & (values["unit_code"] != DISTRICT_CODE) & values["kind"].isin(kinds)]
    return [LATEST, *sorted(set(rows["period"]), key=period_sort_key, reverse=True)]


def legend_note(view: MapView, lang: str, *, interactive: bool = True) -> str:
    """What a reader must know beside the classes: fallbacks, report remarks, the periods when they
    differ (named, with how many units each), uncertain and unofficial values.

    On paper (``interactive=False``) the reader is sent to the values table instead of hovering.
    """
    parts = [view.classification.note(lang)]
    joined = view.joined
    shown = joined.loc[joined["has_data"], "period"]
    if shown.nunique() > 1:
        counts = shown.value_counts()
        periods = sorted(counts.index, key=period_sort_key, reverse=True)
        listed = ", ".join(f"{format_period(p, lang)} ({counts[p]})" for p in periods)
        parts.append(tr(lang, f"Số liệu ở các kỳ khác nhau (số đơn vị): {listed}",
                        f"Values of different periods (units): {listed}")
                     + (tr(lang, " (rê chuột để xem).", " (hover to see).") if interactive else
                        tr(lang, " (xem bảng số liệu).", " (see the values table).")))
    if joined["uncertain"].any():
        parts.append(tr(lang, "* số liệu chưa chắc chắn (nguồn yếu).", "* uncertain value (weak source)."))
    unofficial = int(joined.loc[joined["has_data"], "unofficial"].sum()) if "unofficial" in joined else 0
    if unofficial:
        parts.append(tr(lang, f"{unofficial} đơn vị có số liệu từ {unofficial_mark(lang)}.",
                        f"{unofficial} units have values from an {unofficial_mark(lang)}."))
    return " ".join(p for p in parts if p)


def trust_problems(shown: pd.DataFrame, units: int) -> list[str]:
    """Why a leader should not be shown a map of these values by default (empty: it can be trusted).

    ``shown``: the values the map shows (``select`` rows, one per unit), of ``units`` units in all.
    One period, complete (at most one unit without data), no uncertain or unofficial value.
    """
    problems = []
    if units - len(shown) > 1:
        problems.append("incomplete")
    if shown["period"].nunique() > 1:
        problems.append("mixed periods")
    if (shown["status"] == "UNCERTAIN").any():
        problems.append("uncertain values")
    if any(is_unofficial(s) for s in shown["source"]):
        problems.append("unofficial sources")
    return problems


_defaults: weakref.WeakKeyDictionary[Atlas, dict[int, str]] = weakref.WeakKeyDictionary()


def default_indicator(atlas: Atlas, vintage: int) -> str:
    """The map a leader sees first: the first mappable, non-sensitive indicator (numbers before lists,
    in catalogue order) whose latest values pass :func:`trust_problems`; computed once per atlas."""
    chosen = _defaults.setdefault(atlas, {})
    if vintage not in chosen:
        candidates = [i for i in atlas.mappable_indicators(vintage) if not atlas.catalogue[i].sensitive]
        ordered = sorted(candidates, key=lambda i: not atlas.catalogue[i].is_numeric)
        units = len(atlas.units[vintage])
        trusted = (i for i in ordered
                   if not trust_problems(select(atlas.values, indicator=i, vintage=vintage), units))
        chosen[vintage] = next(trusted, ordered[0] if ordered else next(iter(atlas.catalogue)))
    return chosen[vintage]

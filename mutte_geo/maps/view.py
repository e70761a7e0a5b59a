"""One map request and the view it gives: the same path for the map page, exports, CLI and benchmark."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd

from mutte_geo.core.i18n import format_period, gettext
from mutte_geo.maps.classify import Classification, classify_categories, classify_derived_categories, classify_numeric
from mutte_geo.maps.legend import LegendEntry, derived_legend_entries, legend_entries
from mutte_geo.maps.pooled import pooled_classification
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Indicator
from mutte_geo.model.crosswalk import mark_reaching_outside
from mutte_geo.model.indicators import LATEST, RESULT_KINDS, period_sort_key, select
from mutte_geo.model.join import join_indicator
from mutte_geo.model.remarks import remarks_for
from mutte_geo.model.sources import is_unofficial, unofficial_mark
from mutte_geo.model.units import DISTRICT_CODE


@dataclass(frozen=True)
class MapRequest:
    """Everything a user chooses for one choropleth.

    >>> MapRequest("population", vintage=2025).kinds
    ('actual', 'estimate')
    """

    indicator_id: str
    vintage: int = 2024
    period: str = LATEST
    kinds: tuple[str, ...] = RESULT_KINDS
    lang: str = "vi"
    scheme: str = "quantiles"
    k: int = 5
    manual_breaks: tuple[float, ...] | None = None
    locked: bool = False  # one set of breaks for every period of the indicator (maps.pooled)


@dataclass(frozen=True)
class MapView:
    """What one choropleth shows: joined layer, classes and legend (shared by map and exports)."""

    joined: gpd.GeoDataFrame
    classification: Classification
    legend: list[LegendEntry]
    title: str | None = None  # the legend's title when it is not the indicator's (e.g. a change map)


# atlas -> (indicator, vintage, period, kinds, lang) -> joined layer and notes. The atlas is immutable, so
# an entry never goes stale; callers copy a joined layer before changing it. Bounded per atlas.
_joined: weakref.WeakKeyDictionary[Atlas, dict[tuple, tuple[gpd.GeoDataFrame, list[tuple[str, str]]]]] = (
    weakref.WeakKeyDictionary())
JOINED_PER_ATLAS = 512


def joined_layer(atlas: Atlas, request: MapRequest) -> tuple[gpd.GeoDataFrame, list[tuple[str, str]]]:
    """The atlas' web layer joined to ``request``'s values, with the notes (vi, en) of 2025 communes
    that reach outside the former district; computed once per atlas and choice (treat as read-only)."""
    key = (request.indicator_id, request.vintage, request.period, request.kinds, request.lang)
    cache = _joined.setdefault(atlas, {})
    if key not in cache:
        if len(cache) >= JOINED_PER_ATLAS:
            cache.clear()
        cache[key] = _join(atlas, request)
    return cache[key]


def _join(atlas: Atlas, request: MapRequest) -> tuple[gpd.GeoDataFrame, list[tuple[str, str]]]:
    indicator = atlas.catalogue[request.indicator_id]
    vintage = request.vintage
    joined = join_indicator(atlas.web_layer(vintage), atlas.values, indicator=indicator, vintage=vintage,
                            units=atlas.units[vintage], lang=request.lang, period=request.period,
                            kinds=request.kinds)
    if vintage == 2025 and 2024 in atlas.units:  # outside the former district: a question of the 2024 view
        return mark_reaching_outside(joined, atlas.crosswalk, atlas.units, request.lang)
    return joined, []


def view_legend(classification: Classification, indicator: Indicator, joined: gpd.GeoDataFrame, lang: str
                ) -> list[LegendEntry]:
    """Legend entries of ``classification`` (derived levels and lists in words) and the no-data entry."""
    no_data = int((~joined["has_data"]).sum())
    entries = legend_entries if indicator.is_numeric else derived_legend_entries
    return entries(classification, indicator, lang, no_data_count=no_data)


def map_view(atlas: Atlas, request: MapRequest) -> MapView:
    """Join, classify and describe ``request`` on the atlas' web layer."""
    indicator = atlas.catalogue[request.indicator_id]
    joined, outside = joined_layer(atlas, request)
    series = joined.set_index("code")
    breaks = list(request.manual_breaks) if request.manual_breaks is not None else None
    if request.locked:
        column = "number" if indicator.is_numeric else "value"
        classification = pooled_classification(
            [series[column], other_periods(atlas, request, joined)[column]], indicator, scheme=request.scheme,
            k=request.k, manual_breaks=breaks)[0]
        classification = replace(classification, notes=[*classification.notes, LOCKED_NOTE])
    elif indicator.is_numeric:
        classification = classify_numeric(series["number"], scheme=request.scheme, k=request.k,
                                          higher_is_better=indicator.higher_is_better, manual_breaks=breaks)
    else:
        classification = classify_derived_categories(series["value"], indicator) or classify_categories(
            series["value"], yes_no=indicator.value_type == "yes/no")
    legend = view_legend(classification, indicator, joined, request.lang)
    remarks = [(r.text_vi, r.text_en) for r in remarks_for(atlas.remarks, indicator.id, "context", "inconsistency")]
    region = atlas.region_notes(indicator.id, request.vintage)
    return MapView(joined, replace(classification, notes=[*classification.notes, *outside, *remarks, *region]),
                   legend)


LOCKED_NOTE = ("Các lớp giữ nguyên cho mọi kỳ của chỉ tiêu.", "Classes locked across every period of the indicator.")


def other_periods(atlas: Atlas, request: MapRequest, shown: gpd.GeoDataFrame) -> pd.DataFrame:
    """Every commune value of the request's indicator, vintage and kinds that the map does not show
    (one per unit and period), indexed by ``period:code``: the rest of the pool for locked classes."""
    values = atlas.values
    rows = values[(values["indicator"] == request.indicator_id) & (values["vintage"] == request.vintage)
                  & values["unit_code"].isin(shown["code"]) & values["kind"].isin(request.kinds)]
    rank = {k: i for i, k in enumerate(request.kinds)}
    rows = rows.assign(_kind=rows["kind"].map(rank)).sort_values("_kind").drop_duplicates(["unit_code", "period"])
    shown_keys = set(zip(shown.loc[shown["has_data"], "code"], shown.loc[shown["has_data"], "period"]))
    rows = rows[[(c, p) not in shown_keys for c, p in zip(rows["unit_code"], rows["period"])]]
    return pd.DataFrame({"number": pd.to_numeric(rows["number"], errors="coerce").to_numpy(),
                         "value": rows["value"].to_numpy()},
                        index=[f"{p}:{c}" for p, c in zip(rows["period"], rows["unit_code"])])


def period_choices(atlas: Atlas, indicator_id: str, vintage: int, kinds: tuple[str, ...]) -> list[str]:
    """``latest`` and every period with commune values of ``kinds``, newest first."""
    values = atlas.values
    rows = values[(values["indicator"] == indicator_id) & (values["vintage"] == vintage)
                  & (values["unit_code"] != DISTRICT_CODE) & values["kind"].isin(kinds)]
    return [LATEST, *sorted(set(rows["period"]), key=period_sort_key, reverse=True)]


def legend_note(view: MapView, lang: str, *, interactive: bool = True, touch: bool = False) -> str:
    """What a reader must know beside the classes: fallbacks, report remarks, the periods when they
    differ (named, with how many units each), uncertain and unofficial values.

    On paper (``interactive=False``) the reader is sent to the values table instead of hovering; on a
    touch screen (``touch``) told to tap.
    """
    parts = [view.classification.note(lang)]
    joined = view.joined
    shown = joined.loc[joined["has_data"], "period"]
    if shown.nunique() > 1:
        counts = shown.value_counts()
        periods = sorted(counts.index, key=period_sort_key, reverse=True)
        listed = ", ".join(f"{format_period(p, lang)} ({counts[p]})" for p in periods)
        parts.append(gettext(lang, "Values of different periods (units): {listed}").format(listed=listed)
                     + (gettext(lang, " (see the values table).") if not interactive else
                        gettext(lang, " (tap a unit to see).") if touch else
                        gettext(lang, " (hover to see).")))
    if joined["uncertain"].any():
        parts.append(gettext(lang, "* uncertain value (weak source)."))
    unofficial = int(joined.loc[joined["has_data"], "unofficial"].sum()) if "unofficial" in joined else 0
    if unofficial:
        parts.append(gettext(lang, "{unofficial} units have values from an {unofficial_mark}.").format(
                         unofficial=unofficial, unofficial_mark=unofficial_mark(lang)))
    return " ".join(p for p in parts if p)


def step_period(choices: list[str], current: str, step: int) -> str | None:
    """The period ``step`` places later (+) or earlier (−) than ``current`` among ``period_choices``;
    from ``latest`` one step back is the newest period. None when there is none that way.

    >>> choices = ["latest", "2025", "2019", "2009"]
    >>> step_period(choices, "2019", 1), step_period(choices, "2019", -1), step_period(choices, "latest", -1)
    ('2025', '2009', '2025')
    >>> step_period(choices, "2025", 1) is None, step_period(choices, "latest", 1) is None
    (True, True)
    """
    dated = [p for p in reversed(choices) if p != LATEST]  # oldest first
    if current == LATEST:
        return dated[-1] if step < 0 and dated else None
    if current not in dated:
        return None
    index = dated.index(current) + step
    return dated[index] if 0 <= index < len(dated) else None


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

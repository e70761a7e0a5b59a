"""Change map: the difference of one indicator between two periods, per unit.

``absolute``: later minus earlier, in the indicator's unit (percentage points for rates);
``percent``: that difference as a per cent of the earlier value. A unit lacking either value, or
(per cent) with an earlier value of 0, is "no data" — never a change of zero.

Colours diverge from zero on a symmetric scale with a neutral class for "no change"; the
"better" side is blue and the worse side orange by the catalogue's ``higher_is_better``; without
a direction the two sides are purple (decrease) and green (increase), no judgement made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mutte_geo.core.formatting import PERCENT_POINTS, format_gap
from mutte_geo.core.i18n import N_, NO_DATA, gettext, kind_label
from mutte_geo.maps.classify import NO_DATA_FILL, ClassBin, Classification
from mutte_geo.maps.legend import LegendEntry
from mutte_geo.maps.split import period_text
from mutte_geo.maps.view import MapRequest, MapView, joined_layer
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Indicator
from mutte_geo.model.indicators import LATEST

CHANGE_MODES = ("absolute", "percent")
MODE_LABELS = {"absolute": N_("Absolute difference"),
               "percent": N_("Per cent change")}
CLASSES_PER_SIDE = 3
BETTER = ("#d1e5f0", "#67a9cf", "#2166ac")  # light to dark blue
WORSE = ("#fee0b6", "#f1a340", "#b35806")  # light to dark orange
DECREASE = ("#e7d4e8", "#af8dc3", "#762a83")  # no direction: purple ...
INCREASE = ("#d9f0d3", "#7fbf7b", "#1b7837")  # ... and green
NO_CHANGE = "#f7f7f7"


@dataclass(frozen=True)
class ChangeRequest:
    indicator_id: str
    vintage: int
    period_from: str
    period_to: str
    kinds: tuple[str, ...] = ("actual", "estimate")
    lang: str = "vi"
    mode: str = "absolute"

    def __post_init__(self) -> None:
        if self.mode not in CHANGE_MODES:
            raise ValueError(f"Unknown change mode '{self.mode}': choose one of {', '.join(CHANGE_MODES)}")
        if LATEST in (self.period_from, self.period_to):
            raise ValueError("a change map compares two named periods, not each unit's latest value")


@dataclass(frozen=True)
class ChangeView:
    request: ChangeRequest
    sides: tuple[MapRequest, MapRequest]
    view: MapView  # joined: number = the change; classification: diverging, centred on zero


def change_unit(indicator: Indicator, mode: str, lang: str) -> str:
    """The unit of a change: the indicator's, percentage points for a rate, % for a per cent change."""
    if mode == "percent":
        return "%"
    unit = indicator.unit(lang)
    return PERCENT_POINTS[lang] if unit == "%" else unit


def change_values(earlier: pd.Series, later: pd.Series, mode: str) -> pd.Series:
    """Per unit: later minus earlier, or that as a per cent of earlier; NaN where either is missing
    (or, per cent, where earlier is 0).

    >>> change_values(pd.Series({"a": 10.0, "b": 4.0, "c": 0.0}), pd.Series({"a": 12.0, "c": 3.0}), "percent")
    a    20.0
    b     NaN
    c     NaN
    dtype: float64
    """
    later = later.reindex(earlier.index)
    diff = later - earlier
    if mode == "absolute":
        return diff
    base = earlier.where(earlier != 0)
    return diff / base.abs() * 100


def nice_step(span: float, minimum: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ (at least ``minimum``) that is ≥ ``span``.

    >>> nice_step(3.4, 0.01), nice_step(120.0, 1.0), nice_step(0.2, 1.0)
    (5.0, 200.0, 1.0)
    """
    if span <= minimum:
        return minimum
    exponent = 10.0 ** math.floor(math.log10(span))
    return next(m * exponent for m in (1, 2, 2.5, 5, 10) if m * exponent >= span - 1e-12)


def diverging_classification(change: pd.Series, higher_is_better: bool | None, decimals: int) -> Classification:
    """Symmetric classes around zero (``CLASSES_PER_SIDE`` each side of a "no change" class).

    A change smaller than the shown precision (``decimals``) counts as no change.
    """
    y = change.dropna().astype(float).round(decimals)
    if y.empty:
        return Classification({}, [], "diverging",
                              [("Không đơn vị nào có số liệu ở cả hai kỳ.", "No unit has values in both periods.")])
    step = nice_step(float(y.abs().max()) / CLASSES_PER_SIDE, 10.0 ** -decimals)
    if higher_is_better is None:
        negative, positive = DECREASE, INCREASE
    else:
        negative, positive = (WORSE, BETTER) if higher_is_better else (BETTER, WORSE)
    n = CLASSES_PER_SIDE
    colors = [*negative[::-1], NO_CHANGE, *positive]
    bounds = [(-(n - i) * step, -(n - i - 1) * step) for i in range(n)] + [(0.0, 0.0)] + \
        [(i * step, (i + 1) * step) for i in range(n)]
    index = np.where(y < 0, n - np.minimum(np.ceil(-y / step), n), np.where(y > 0, n + np.minimum(
        np.ceil(y / step), n), n)).astype(int)
    bins = [ClassBin(colors[i], int((index == i).sum()), low, high) for i, (low, high) in enumerate(bounds)]
    return Classification({code: colors[i] for code, i in zip(y.index, index)}, bins, "diverging")


def change_legend(classification: Classification, unit: str, lang: str, decimals: int, *, no_data: int
                  ) -> list[LegendEntry]:
    """Signed ranges from the largest decrease to the largest increase, "no change", then no data."""
    entries = []
    for b in classification.bins:
        assert b.lower is not None and b.upper is not None
        if b.lower == b.upper == 0:
            label = gettext(lang, "0 (no change)")
        else:
            label = f"{format_gap(b.lower, '', lang, decimals)} – {signed(b.upper, unit, lang, decimals)}"
        entries.append(LegendEntry(b.color, label, b.count))
    entries.append(LegendEntry(NO_DATA_FILL, NO_DATA[lang], no_data, no_data=True))
    return entries


def signed(value: float, unit: str, lang: str, decimals: int) -> str:
    """A signed change with its unit (``%`` here is a per cent change, not percentage points).

    >>> signed(12.5, "%", "vi", 1), signed(-3.0, "điểm %", "vi", 1), signed(float("nan"), "", "en", 0)
    ('+12,5%', '−3 điểm %', 'No data')
    """
    if math.isnan(value):
        return NO_DATA[lang]
    return format_gap(value, "", lang, decimals) + "%" if unit == "%" else format_gap(value, unit, lang, decimals)


def direction_note(indicator: Indicator, lang: str) -> str:
    if indicator.higher_is_better is None:
        return gettext(lang, "The catalogue gives no direction for this indicator: purple = decrease, green = "
                             "increase.")
    better = gettext(lang, "an increase") if indicator.higher_is_better else gettext(lang, "a decrease")
    return gettext(lang, "Blue = better ({better} is better), orange = worse.").format(better=better)


def change_title(indicator: Indicator, request: ChangeRequest) -> str:
    lang = request.lang
    unit = change_unit(indicator, request.mode, lang)
    span = f"{period_text(request.period_from, lang)} → {period_text(request.period_to, lang)}"
    return gettext(lang, "Change in {lower} ({unit}), {span}").format(
               lower=indicator.name(lang).lower(), unit=unit, span=span)


def change_view(atlas: Atlas, request: ChangeRequest) -> ChangeView:
    """The change map's layer, classes and legend; the tooltip gives both values and the change."""
    indicator = atlas.catalogue[request.indicator_id]
    if not indicator.is_numeric:
        raise ValueError(f"'{indicator.id}' is not numeric: a change map needs numbers")
    lang = request.lang
    sides = tuple(MapRequest(request.indicator_id, request.vintage, p, request.kinds, lang)
                  for p in (request.period_from, request.period_to))
    (earlier, outside), (later, _) = (joined_layer(atlas, r) for r in sides)
    a, b = earlier.set_index("code"), later.set_index("code")
    change = change_values(a["number"], b["number"], request.mode)
    unit = change_unit(indicator, request.mode, lang)
    decimals = 1 if request.mode == "percent" else indicator.decimals
    joined = later.copy()
    joined["number"] = change.reindex(joined["code"]).to_numpy()
    joined["has_data"] = joined["number"].notna()
    joined["value"] = joined["number"].astype(object)
    joined["uncertain"] = ((a["uncertain"] | b["uncertain"]).reindex(joined["code"]).to_numpy()
                           & joined["has_data"].to_numpy())
    joined["source"] = [" · ".join(dict.fromkeys(s for s in (a.at[c, "source"], b.at[c, "source"]) if s))
                        for c in joined["code"]]
    joined["note"] = [" · ".join(n for n in (a.at[c, "note"], b.at[c, "note"]) if n) for c in joined["code"]]
    joined["period_text"] = f"{period_text(request.period_from, lang)} → {period_text(request.period_to, lang)}"
    joined["value_text"] = [
        NO_DATA[lang] if not (a.at[c, "has_data"] or b.at[c, "has_data"]) else
        f"{a.at[c, 'value_text']} → {b.at[c, 'value_text']}" + ("" if math.isnan(d) else
                                                                f": {signed(d, unit, lang, decimals)}")
        for c, d in zip(joined["code"], joined["number"])]
    classification = diverging_classification(change, indicator.higher_is_better, decimals)
    notes = [(direction_note(indicator, "vi"), direction_note(indicator, "en"))]
    missing = int((~joined["has_data"]).sum())
    if missing:
        notes.append((f"{missing} đơn vị thiếu số liệu một trong hai kỳ"
                      + (" (hoặc kỳ đầu bằng 0)" if request.mode == "percent" else "") + ": không tính là 0.",
                      f"{missing} units lack one of the two values"
                      + (" (or start from 0)" if request.mode == "percent" else "") + ": never counted as 0."))
    classification = Classification(classification.colors, classification.bins, classification.scheme,
                                     [*classification.notes, *notes, *outside])
    legend = change_legend(classification, unit, lang, decimals, no_data=missing)
    view = MapView(joined, classification, legend, title=change_title(indicator, request))
    return ChangeView(request, (sides[0], sides[1]), view)


def change_subtitle(request: ChangeRequest) -> str:
    """Place, mode, both periods, kind of value and boundaries, for the title block of an export."""
    lang = request.lang
    kinds = ", ".join(kind_label(k, lang) for k in request.kinds)
    bounds = gettext(lang, "2024 boundaries (14 units)") if request.vintage < 2025 \
        else gettext(lang, "2025 boundaries (communes from 1 Jul 2025)")
    span = f"{period_text(request.period_from, lang)} → {period_text(request.period_to, lang)}"
    return (f"{gettext(lang, 'Mường Tè district, Lai Châu province')} · "
            f"{gettext(lang, MODE_LABELS[request.mode])}: {span} ({kinds}) · {bounds}")

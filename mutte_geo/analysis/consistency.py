"""Find where the data contradicts itself, e.g. a percentage that does not match its count."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import pandas as pd

from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Catalogue


@dataclass(frozen=True)
class Inconsistency:
    vintage: int
    unit_code: str
    indicator: str
    period: str
    kind: str
    reported: float
    computed: float
    numerator: float
    denominator: float

    def describe(self, lang: str) -> str:
        from mutte_geo.core.i18n import format_number

        rep = format_number(self.reported, lang, 1)
        comp = format_number(self.computed, lang, 1)
        num = format_number(self.numerator, lang, 0)
        den = format_number(self.denominator, lang, 0)
        if lang == "vi":
            return f"Báo cáo ghi {rep}% nhưng {num}/{den} = {comp}%"
        return f"Reported as {rep}% but {num}/{den} = {comp}%"


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def find_inconsistencies(values: pd.DataFrame, catalogue: Catalogue) -> list[Inconsistency]:
    """Percentages whose stated numerator/denominator give another value than reported.

    The tolerance is half a unit of the last digit the reported value gives. The numerator is of the
    same period and kind; the denominator of the same period and any kind (the 14 units of 2024 are
    a fact, the waste count an estimate), the same kind first.
    """
    found = []
    key = ["vintage", "unit_code", "period", "kind"]
    needed = {i for ind in catalogue.values() if ind.ratio_of is not None for i in (ind.id, *ind.ratio_of)}
    wanted = values[values["indicator"].isin(needed)]  # the ratios and their parts only: this runs at start
    by_indicator = {ind: rows.set_index(key) for ind, rows in wanted.groupby("indicator")}
    for indicator in catalogue.values():
        if indicator.ratio_of is None or indicator.id not in by_indicator:
            continue
        numerator_id, denominator_id = indicator.ratio_of
        numerators = by_indicator.get(numerator_id)
        denominators = by_indicator.get(denominator_id)
        if numerators is None or denominators is None:
            continue
        for idx, row in by_indicator[indicator.id].iterrows():
            den_idx = _same_period(denominators.index, idx)
            if idx not in numerators.index or den_idx is None:
                continue
            num = float(numerators.loc[idx, "number"])
            den = float(denominators.loc[den_idx, "number"])
            if den == 0:
                continue
            computed = 100 * num / den
            tolerance = 0.5 * 10 ** -_decimals(row["value"]) + 1e-9
            if abs(computed - row["number"]) > tolerance:
                vintage, unit_code, period, kind = idx
                found.append(Inconsistency(int(vintage), unit_code, indicator.id, period, kind,
                                           float(row["number"]), computed, num, den))
    return found


def _same_period(index: pd.Index, key: tuple) -> tuple | None:
    """``key`` if present, else the first key of ``index`` for the same vintage, unit and period."""
    if key in index:
        return key
    return next((k for k in index if k[:3] == key[:3]), None)


_found: weakref.WeakKeyDictionary[Atlas, list[Inconsistency]] = weakref.WeakKeyDictionary()


def atlas_inconsistencies(atlas: Atlas) -> list[Inconsistency]:
    """:func:`find_inconsistencies` of the atlas' values, computed once per (immutable) atlas."""
    if atlas not in _found:
        _found[atlas] = find_inconsistencies(atlas.values, atlas.catalogue)
    return _found[atlas]

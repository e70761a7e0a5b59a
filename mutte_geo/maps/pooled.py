"""One classification for several maps: the breaks are computed over all their values at once.

Used by the split view (both sides on one scale) and by classes locked across periods (one set
of breaks for every period of an indicator), so that equal colours mean equal values everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from mutte_geo.maps.classify import (
    Classification,
    classify_categories,
    classify_derived_categories,
    classify_numeric,
)
from mutte_geo.model.catalogue import Indicator

_SEPARATOR = "\x1f"


def pooled_classification(
    series: Sequence[pd.Series],
    indicator: Indicator,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    manual_breaks: Sequence[float] | None = None,
) -> list[Classification]:
    """One classification per series (each indexed by unit code; NaN = no data), all on the breaks
    (or category colours) computed over every series together.

    Each result keeps every class, with the count of its own units, so legends line up.
    """
    pooled = pd.concat([s.rename(lambda code, i=i: f"{i}{_SEPARATOR}{code}") for i, s in enumerate(series)])
    if indicator.is_numeric:
        breaks = list(manual_breaks) if manual_breaks is not None else None
        base = classify_numeric(pooled.astype(float), scheme=scheme, k=k,
                                higher_is_better=indicator.higher_is_better, manual_breaks=breaks)
    else:
        base = classify_derived_categories(pooled, indicator) or classify_categories(
            pooled, yes_no=indicator.value_type == "yes/no")
    return [_one_series(base, s, i) for i, s in enumerate(series)]


def _one_series(base: Classification, values: pd.Series, index: int) -> Classification:
    prefix = f"{index}{_SEPARATOR}"
    colors = {key.removeprefix(prefix): color for key, color in base.colors.items() if key.startswith(prefix)}
    present = values[values.index.isin(list(colors))]
    if base.bins and base.bins[0].code is None:  # numeric: which range each value falls in
        upper = np.array([float(b.upper) for b in base.bins if b.upper is not None])
        classes = np.searchsorted(upper, present.astype(float).to_numpy(), side="left")
        bins = [replace(b, count=int((classes == i).sum())) for i, b in enumerate(base.bins)]
    else:
        bins = [replace(b, count=int((present == b.code).sum())) for b in base.bins]
    return Classification(colors, bins, base.scheme, list(base.notes))

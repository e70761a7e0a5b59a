"""Classes and colours for choropleths, shared by the interactive map and the exports.

Numbers are classed with mapclassify after missing values are removed (mapclassify
mis-bins NaN). With 14 units ties are common: a scheme that cannot make ``k``
distinct classes makes fewer and says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from branca.colormap import linear

from mutte_geo.core.formatting import format_plain
from mutte_geo.core.i18n import N_
from mutte_geo.model.catalogue import Indicator
from mutte_geo.model.reform import derived_value_label

SCHEMES = ("quantiles", "equal_interval", "natural_breaks", "manual")
SCHEME_LABELS = {
    "quantiles": N_("Quantiles"),
    "equal_interval": N_("Equal interval"),
    "natural_breaks": N_("Natural breaks (Fisher–Jenks)"),
    "manual": N_("Manual breaks"),
}
NO_DATA_FILL = "#cfcfcf"
NO_DATA_EDGE = "#6b6b6b"
# Okabe–Ito: distinguishable with the common forms of colour-blindness.
CATEGORY_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
YES_NO_COLORS = {"yes": "#0072B2", "no": "#E69F00"}
# Flags moved onto the 2025 communes: all / some / none of the former units (see model.reform).
FLAG_COLORS = {"all": "#0072B2", "some": "#56B4E9", "none": "#E69F00"}


@dataclass(frozen=True)
class ClassBin:
    """One legend entry: a numeric range (``lower``..``upper``) or a category ``code``."""

    color: str
    count: int
    lower: float | None = None
    upper: float | None = None
    code: str | None = None


@dataclass(frozen=True)
class Classification:
    colors: dict[str, str]
    bins: list[ClassBin]
    scheme: str
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def k(self) -> int:
        return len(self.bins)

    def color_of(self, unit_code: str) -> str | None:
        return self.colors.get(unit_code)

    def note(self, lang: str) -> str:
        return " ".join(vi if lang == "vi" else en for vi, en in self.notes)


# Magnitude is lightness (darker = more) on every numeric map; the hue tells the direction.
RAMPS = {True: "Blues_09", False: "OrRd_09", None: "Purples_09"}


def sequential_palette(k: int, higher_is_better: bool | None) -> list[str]:
    """``k`` colours, light to dark: the highest value is always the darkest.

    The hue says which way is better: a cool ramp (blues) when higher is better, a warm one
    (orange to red) when higher is worse, a neutral purple when the catalogue sets no direction.

    >>> cool, warm = sequential_palette(5, True), sequential_palette(5, False)
    >>> luminance(cool[0]) > luminance(cool[-1]) and luminance(warm[0]) > luminance(warm[-1])
    True
    """
    ramp = getattr(linear, RAMPS[higher_is_better])
    start, stop = 0.12, 1.0
    steps = [start + (stop - start) * i / max(k - 1, 1) for i in range(k)]
    return [ramp.rgb_hex_str(ramp.vmin + (ramp.vmax - ramp.vmin) * s) for s in steps]


def luminance(color: str) -> float:
    """Relative luminance of ``#rrggbb`` (0 black – 1 white), for checks and tests."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def classify_numeric(
    values: pd.Series,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    higher_is_better: bool | None = None,
    manual_breaks: list[float] | None = None,
) -> Classification:
    """Class numeric ``values`` (indexed by unit code; NaN = no data)."""
    if scheme not in SCHEMES:
        raise ValueError(f"Unknown scheme '{scheme}': choose one of {', '.join(SCHEMES)}")
    if scheme == "manual" and not manual_breaks:
        raise ValueError("The manual scheme needs at least one break (see maps.breaks.parse_breaks)")
    y = values.dropna().astype(float)
    notes: list[tuple[str, str]] = []
    if y.empty:
        return Classification({}, [], scheme, [("Không đơn vị nào có số liệu.", "No unit has data.")])
    distinct = int(y.nunique())
    if scheme == "manual":
        upper = _manual_bounds(y, manual_breaks or [])
        if len(upper) <= len(manual_breaks or []):
            vi, en = (f"{format_plain(float(y.min()), lang, 6)}–{format_plain(float(y.max()), lang, 6)}"
                      for lang in ("vi", "en"))
            notes.append((f"Có ngưỡng nằm ngoài khoảng số liệu ({vi}) nên không dùng: bản đồ có {len(upper)} lớp.",
                          f"Some breaks lie outside the data's range ({en}) and are not used: "
                          f"the map has {len(upper)} classes."))
    elif distinct == 1:
        upper = np.array([y.iloc[0]])
    else:
        upper = _scheme_bounds(y, scheme, k if scheme == "equal_interval" else min(k, distinct))
        if scheme == "quantiles" and len(upper) < min(k, distinct):
            # Ties put several quantiles on one value; natural breaks still separate the values.
            upper = _scheme_bounds(y, "natural_breaks", min(k, distinct))
            notes.append(("Phân vị trùng nhau do nhiều giá trị bằng nhau: dùng ngắt tự nhiên.",
                          "Tied values make quantiles coincide: natural breaks used instead."))
    if scheme != "manual" and len(upper) < k:
        notes.append((
            f"Chỉ tạo được {len(upper)} lớp thay vì {k}: số liệu chỉ có {distinct} giá trị khác nhau.",
            f"Only {len(upper)} classes instead of {k}: the data has only {distinct} distinct values.",
        ))
    classes = np.searchsorted(upper, y.to_numpy(), side="left")
    palette = sequential_palette(len(upper), higher_is_better)
    lowers = [float(y.min()), *upper[:-1].tolist()]
    bins = [ClassBin(palette[i], int((classes == i).sum()), lowers[i], float(upper[i])) for i in range(len(upper))]
    colors = {code: palette[c] for code, c in zip(y.index, classes)}
    return Classification(colors, bins, scheme, notes)


def _scheme_bounds(y: pd.Series, scheme: str, k: int) -> np.ndarray:
    """Upper class bounds. Quantiles and equal intervals are computed as mapclassify computes them,
    without importing it: mapclassify pulls in scipy.stats and scikit-learn (seconds at a cold start),
    so it is imported for natural breaks only.

    >>> _scheme_bounds(pd.Series([1.0, 2.0, 3.0, 4.0, 10.0]), "quantiles", 2).tolist()
    [3.0, 10.0]
    >>> _scheme_bounds(pd.Series([0.0, 1.0, 4.0]), "equal_interval", 2).tolist()
    [2.0, 4.0]
    """
    values = y.to_numpy(dtype=float)
    if scheme == "quantiles":  # mapclassify.classifiers.quantile
        width = 100.0 / k
        percents = np.arange(width, 100 + width, width)
        if percents[-1] > 100.0:
            percents[-1] = 100.0
        return np.unique([_score_at_percentile(np.sort(values), q) for q in percents])
    if scheme == "equal_interval":  # mapclassify.EqualInterval._set_bins
        low, high = values.min(), values.max()
        step = (high - low) / k
        cuts = np.arange(low + step, high + step, step)[:k]
        cuts[-1] = high
        return np.unique(cuts)
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warns on ties; we report them ourselves
        classifier = mapclassify.FisherJenks(values, k=k)
    return np.unique(classifier.bins)


def _score_at_percentile(ordered: np.ndarray, percent: float) -> float:
    """scipy.stats.scoreatpercentile (``fraction``), to the last bit: numpy's percentile rounds differently."""
    index = percent / 100.0 * (len(ordered) - 1)
    i = int(index)
    if i == index:
        return float(ordered[i])
    weights = np.array([i + 1 - index, index - i])
    return float(np.add.reduce(ordered[i:i + 2] * weights) / weights.sum())


def _manual_bounds(y: pd.Series, breaks: list[float]) -> np.ndarray:
    inner = sorted({float(b) for b in breaks if y.min() <= float(b) < y.max()})
    return np.array([*inner, float(y.max())])


def classify_categories(values: pd.Series, *, yes_no: bool) -> Classification:
    """One colour per category (yes/no in fixed colours); ``values`` indexed by unit code."""
    present = values.dropna()
    present = present[present != ""]
    if yes_no:
        order = [c for c in ("yes", "no") if c in set(present)]
        palette = YES_NO_COLORS
    else:
        order = sorted(set(present))
        palette = {c: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, c in enumerate(order)}
    bins = [ClassBin(palette[c], int((present == c).sum()), code=c) for c in order]
    colors = {code: palette[v] for code, v in present.items()}
    return Classification(colors, bins, "categories")


def classify_derived_categories(values: pd.Series, indicator: Indicator) -> Classification | None:
    """Classes for a yes/no or category column that holds derived levels or lists; None if it holds none.

    Flag levels get fixed colours (all = yes colour, none = no colour, some between); lists are
    categories of their own.
    """
    present = values.dropna()
    present = present[present != ""]
    if not any(derived_value_label(indicator, str(v), "en") is not None for v in present):
        return None
    if indicator.value_type != "yes/no":
        return classify_categories(present, yes_no=False)
    palette = {**YES_NO_COLORS, **FLAG_COLORS}
    order = [c for c in ("yes", "all", "some", "none", "no") if c in set(present)]
    bins = [ClassBin(palette[c], int((present == c).sum()), code=c) for c in order]
    return Classification({code: palette[v] for code, v in present.items()}, bins, "categories")

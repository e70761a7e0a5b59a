"""Classification: mapclassify schemes, missing values, ties and colour direction."""

from __future__ import annotations

import math
import warnings

import mapclassify
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutte_geo.maps.classify import (
    CATEGORY_COLORS,
    YES_NO_COLORS,
    _scheme_bounds,
    classify_categories,
    classify_numeric,
    luminance,
    sequential_palette,
)

NAN = math.nan
VALUES = pd.Series([5421, 2005, 3825, NAN, 2730, 3666, 2700, 3299, 2923, 1041, 7967, 3103, NAN, 2027],
                   index=[f"u{i:02d}" for i in range(14)], dtype=float)


@pytest.mark.parametrize(("scheme", "make"), [
    ("quantiles", mapclassify.Quantiles), ("equal_interval", mapclassify.EqualInterval),
    ("natural_breaks", mapclassify.FisherJenks)])
def test_schemes_match_mapclassify_on_the_non_missing_values(scheme, make) -> None:  # type: ignore[no-untyped-def]
    result = classify_numeric(VALUES, scheme=scheme, k=4, higher_is_better=None)
    expected = make(VALUES.dropna().to_numpy(), k=4)
    assert [b.upper for b in result.bins] == pytest.approx(list(expected.bins))
    assert sum(b.count for b in result.bins) == 12
    palette = sequential_palette(4, None)
    for code, klass in zip(VALUES.dropna().index, expected.yb):
        assert result.colors[code] == palette[klass]


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 2)), min_size=2, max_size=40)
       .filter(lambda v: len(set(v)) > 1), k=st.integers(2, 7))
def test_quantiles_and_equal_intervals_are_mapclassify_bounds_without_it(values: list[float], k: int) -> None:
    y = pd.Series(values)
    for scheme, make in (("quantiles", mapclassify.Quantiles), ("equal_interval", mapclassify.EqualInterval)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ties: mapclassify warns that it makes fewer classes
            expected = np.unique(make(np.array(values), k=k).bins)
        assert _scheme_bounds(y, scheme, k).tolist() == expected.tolist()


def test_missing_values_get_no_class_and_no_colour() -> None:
    result = classify_numeric(VALUES, k=5)
    assert "u03" not in result.colors and "u12" not in result.colors
    assert len(result.colors) == 12


def test_ties_fall_back_to_fewer_classes_and_say_so() -> None:
    tied = pd.Series([100.0, 100, 100, 100, 98, 98, NAN], index=list("abcdefg"))
    result = classify_numeric(tied, scheme="quantiles", k=5)
    assert result.k == 2
    assert "natural breaks used instead" in result.note("en")
    assert "Only 2 classes instead of 5" in result.note("en")
    assert "Chỉ tạo được 2 lớp" in result.note("vi")


def test_a_single_value_makes_one_class() -> None:
    result = classify_numeric(pd.Series([30.0, NAN], index=["a", "b"]), scheme="natural_breaks", k=5)
    assert result.k == 1 and result.colors == {"a": result.bins[0].color}


def test_all_missing_does_not_crash() -> None:
    result = classify_numeric(pd.Series([NAN, NAN], index=["a", "b"]), k=5)
    assert result.bins == [] and result.colors == {}
    assert "No unit has data" in result.note("en")


def test_manual_breaks() -> None:
    result = classify_numeric(VALUES, scheme="manual", manual_breaks=[2500, 4000])
    assert [b.upper for b in result.bins] == [2500, 4000, 7967]
    assert [b.count for b in result.bins] == [3, 7, 2]


def test_manual_breaks_outside_the_data_are_ignored() -> None:
    result = classify_numeric(VALUES, scheme="manual", manual_breaks=[-5, 1e9])
    assert result.k == 1
    assert "Some breaks lie outside the data's range (1,041–7,967)" in result.note("en")
    assert "(1.041–7.967)" in result.note("vi")


def test_manual_breaks_inside_the_data_add_no_note() -> None:
    assert classify_numeric(VALUES, scheme="manual", manual_breaks=[2500, 4000]).notes == []


def test_manual_scheme_without_breaks_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one break"):
        classify_numeric(VALUES, scheme="manual", manual_breaks=[])


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown scheme 'jenks'"):
        classify_numeric(VALUES, scheme="jenks")


@pytest.mark.parametrize("higher_is_better", [True, False, None])
def test_darker_always_means_more(higher_is_better: bool | None) -> None:
    palette = sequential_palette(5, higher_is_better)
    assert [luminance(c) for c in palette] == sorted((luminance(c) for c in palette), reverse=True)
    classes = classify_numeric(VALUES, k=3, higher_is_better=higher_is_better)
    assert classes.colors[VALUES.idxmax()] == classes.bins[-1].color  # the highest value is the darkest
    assert luminance(classes.colors[VALUES.idxmax()]) < luminance(classes.colors[VALUES.idxmin()])


def test_hue_tells_the_direction() -> None:
    """Higher-is-worse runs warm (red over green and blue), higher-is-better cool (blue over red)."""
    def rgb(color: str) -> tuple[int, ...]:
        return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))

    for worse, better in zip(sequential_palette(4, False)[1:], sequential_palette(4, True)[1:]):
        r, g, b = rgb(worse)
        assert r > g and r > b
        r, g, b = rgb(better)
        assert b > r


def test_palettes_are_distinct_and_light_to_dark() -> None:
    for k in range(2, 8):
        colors = sequential_palette(k, None)
        assert len(set(colors)) == k
        lightness = [sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colors]
        assert lightness == sorted(lightness, reverse=True)


def test_yes_no_colours_are_fixed_and_missing_is_left_out() -> None:
    result = classify_categories(pd.Series(["yes", "no", None, "yes"], index=list("abcd")), yes_no=True)
    assert [(b.code, b.count) for b in result.bins] == [("yes", 2), ("no", 1)]
    assert result.colors == {"a": YES_NO_COLORS["yes"], "b": YES_NO_COLORS["no"], "d": YES_NO_COLORS["yes"]}


def test_categories_use_the_colour_blind_safe_set() -> None:
    result = classify_categories(pd.Series(["la_hu", "ha_nhi", np.nan], index=list("abc")), yes_no=False)
    assert {b.color for b in result.bins} <= set(CATEGORY_COLORS)
    assert [b.code for b in result.bins] == ["ha_nhi", "la_hu"]

"""Numbers with units, by Vietnamese and by English convention."""

from __future__ import annotations

import pytest

from mutte_geo.core.formatting import format_gap, format_plain, format_quantity


@pytest.mark.parametrize(("value", "unit", "decimals", "vi", "en"), [
    (28.6, ("tỷ đồng", "billion VND"), 1, "28,6 tỷ đồng", "28.6 billion VND"),
    (17860, ("tấn", "tonnes"), 0, "17.860 tấn", "17,860 tonnes"),
    (0.7, ("‰", "‰"), 2, "0,7‰", "0.7‰"),
    (84.6, ("%", "%"), 1, "84,6%", "84.6%"),
    (24.08, ("%", "%"), 2, "24,08%", "24.08%"),
    (32.07, ("triệu đồng/người/năm", "million VND/person/year"), 2, "32,07 triệu đồng/người/năm",
     "32.07 million VND/person/year"),
    (865, ("ha", "ha"), 0, "865 ha", "865 ha"),
    (1100, ("người", "people"), 0, "1.100 người", "1,100 people"),
    (100.0, ("%", "%"), 1, "100%", "100%"),
    (1234567.5, ("", ""), 1, "1.234.567,5", "1,234,567.5"),
])
def test_quantity_in_both_languages(value: float, unit: tuple[str, str], decimals: int, vi: str, en: str) -> None:
    assert format_quantity(value, unit[0], "vi", decimals) == vi
    assert format_quantity(value, unit[1], "en", decimals) == en


def test_missing_value_is_no_data_never_zero() -> None:
    assert format_quantity(None, "tấn", "vi") == "Không có dữ liệu"
    assert format_quantity(float("nan"), "tonnes", "en") == "No data"


def test_trim_keeps_significant_zeros_and_can_be_turned_off() -> None:
    assert format_plain(10.0, "vi", 1) == "10"
    assert format_plain(1000.0, "vi", 1) == "1.000"
    assert format_plain(21.70, "vi", 2, trim=False) == "21,70"
    assert format_plain(0.5, "en", 2) == "0.5"


@pytest.mark.parametrize(("gap", "unit", "decimals", "lang", "expected"), [
    (-40.4, "tỷ đồng", 1, "vi", "−40,4 tỷ đồng"),
    (-40.4, "billion VND", 1, "en", "−40.4 billion VND"),
    (-4.0, "%", 1, "vi", "−4 điểm %"),
    (2.38, "%", 2, "en", "+2.38 pp"),
    (-0.08, "‰", 2, "vi", "−0,08‰"),
    (-12485, "tấn", 0, "vi", "−12.485 tấn"),
    (0.0, "%", 1, "vi", "0 điểm %"),
    (-0.0000001, "%", 1, "en", "0 pp"),  # rounds to zero: no sign
])
def test_gap_has_sign_and_percentage_points(gap: float, unit: str, decimals: int, lang: str, expected: str) -> None:
    assert format_gap(gap, unit, lang, decimals) == expected

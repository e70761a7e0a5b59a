"""Manual class breaks read as each language writes numbers (issue 13); bad breaks get a message."""

from __future__ import annotations

import pytest

from mutte_geo.maps.breaks import BreaksError, parse_breaks


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("3.000", "vi", (3000.0,)),
    ("3,5", "vi", (3.5,)),
    ("1.500; 3.000,25; 12.000", "vi", (1500.0, 3000.25, 12000.0)),
    ("3,000", "en", (3000.0,)),
    ("3.5", "en", (3.5,)),
    (" 1,500 ;3,000.25; 12000 ", "en", (1500.0, 3000.25, 12000.0)),
    ("−2; 0; 2", "vi", (-2.0, 0.0, 2.0)),
])
def test_breaks_are_read_as_the_language_writes_numbers(text: str, lang: str, expected: tuple[float, ...]) -> None:
    assert parse_breaks(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "vi", "en"), [
    ("", "vi", "Chưa nhập ngưỡng nào", "No breaks entered"),
    ("   ", "en", "Chưa nhập ngưỡng nào", "No breaks entered"),
    ("2.000;; 3.000", "vi", "Ngưỡng thứ 2 bị trống", "Break 2 is empty"),
    ("2.000; nhiều", "vi", "Ngưỡng thứ 2 (“nhiều”) không phải là số", "Break 2 (“nhiều”) is not a number"),
    ("3.00", "vi", "Ngưỡng thứ 1 (“3.00”) không phải là số", "Break 1 (“3.00”) is not a number"),
    ("2000, 3000", "en", "không phải là số", "Break 1 (“2000, 3000”) is not a number"),
    ("3.000; 2.000", "vi", "tăng dần từ trái sang phải: 2.000 đứng sau 3.000", "2,000 comes after 3,000"),
    ("3,000; 3000", "en", "Ngưỡng 3.000 được nhập hai lần", "Break 3,000 is given twice"),
])
def test_bad_breaks_name_the_problem(text: str, lang: str, vi: str, en: str) -> None:
    with pytest.raises(BreaksError) as info:
        parse_breaks(text, lang)
    assert vi in info.value.describe("vi")
    assert en in info.value.describe("en")

"""The filter state in a link: round trip (with hypothesis) and clear refusal of bad links."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutte_geo.analysis.filters import (
    CHOICE_OPS,
    DATA_OPS,
    NUMBER_OPS,
    QUESTIONS,
    Condition,
    Criteria,
    choices_for,
)
from mutte_geo.analysis.filterurl import decode_query, encode_query
from mutte_geo.core.errors import CriteriaError
from mutte_geo.model.catalogue import load_catalogue
from mutte_geo.model.indicators import LATEST

CATALOGUE = load_catalogue()
NUMERIC = sorted(i.id for i in CATALOGUE.values() if i.is_numeric)
CHOICE = sorted(i.id for i in CATALOGUE.values() if not i.is_numeric and choices_for(i))
finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def conditions(draw: st.DrawFn) -> Condition:
    kind = draw(st.sampled_from(["number", "choice", "data"]))
    if kind == "data":
        return Condition(draw(st.sampled_from(NUMERIC + CHOICE)), draw(st.sampled_from(DATA_OPS)))
    if kind == "number":
        op = draw(st.sampled_from(NUMBER_OPS))
        numbers = tuple(sorted(draw(st.lists(finite, min_size=2, max_size=2)))) if op == "between" else (
            draw(finite),)
        return Condition(draw(st.sampled_from(NUMERIC)), op, numbers=numbers)
    ident = draw(st.sampled_from(CHOICE))
    allowed = choices_for(CATALOGUE[ident])
    op = draw(st.sampled_from(CHOICE_OPS))
    codes = draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=len(allowed), unique=True)) if (
        op == "one_of") else [draw(st.sampled_from(allowed))]
    return Condition(ident, op, codes=tuple(codes))


criteria_strategy = st.builds(
    Criteria,
    conditions=st.lists(conditions(), max_size=5).map(tuple),
    combine=st.sampled_from(["and", "or"]),
    period=st.sampled_from([LATEST, "2024", "2025", "2024-H1", "2019-Q3", "2023-07", "n.d."]),
    kind=st.sampled_from(["actual", "target"]),
)


@settings(max_examples=300, deadline=None)
@given(criteria=criteria_strategy, vintage=st.sampled_from([2024, 2025]))
def test_round_trip_through_a_real_url(criteria: Criteria, vintage: int) -> None:
    params = encode_query(criteria, vintage)
    assert all(isinstance(v, str) for v in params.values())
    back = dict(parse_qsl(urlencode(params), keep_blank_values=True))  # what the browser sends back
    link = decode_query(back, CATALOGUE)
    assert link.criteria == criteria
    assert link.vintage == vintage


@settings(max_examples=200, deadline=None)
@given(criteria=criteria_strategy)
def test_encoding_is_readable_and_stable(criteria: Criteria) -> None:
    params = encode_query(criteria, 2024)
    assert encode_query(decode_query(params, CATALOGUE).criteria, 2024) == params
    text = urlencode(params)
    assert "%" not in text.replace("%3A", "").replace("%3B", "").replace("%2C", "")  # plain ASCII words


def test_example_link() -> None:
    criteria = Criteria((Condition("borders_china", "is", codes=("yes",)),
                         Condition("stunting_u5", "gt", numbers=(20.0,))), combine="or")
    assert encode_query(criteria, 2024) == {"vintage": "2024", "c": "borders_china:is:yes;stunting_u5:gt:20",
                                            "join": "or"}
    assert encode_query(Criteria(), 2025) == {"vintage": "2025"}


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_ready_made_questions_round_trip(question) -> None:  # type: ignore[no-untyped-def]
    assert decode_query(encode_query(question.criteria, 2024), CATALOGUE).criteria == question.criteria


def test_no_filter_keys_means_no_filter() -> None:
    link = decode_query({"lang": "en"}, CATALOGUE)
    assert link.criteria == Criteria() and link.vintage is None


@pytest.mark.parametrize(("params", "reason"), [
    ({"c": "gdp_growth:gt:5"}, "indicator 'gdp_growth' is not in the catalogue or not available to you (outdated link"),
    ({"c": "population:bigger:5"}, "operator 'bigger' does not apply"),
    ({"c": "population:gt:abc"}, "'abc' is not a number"),
    ({"c": "population:gt:1,5"}, "needs exactly 1 number"),
    ({"c": "population:gt:nan"}, "'nan' is not a number"),
    ({"c": "population:gt:inf"}, "'inf' is not a number"),
    ({"c": "population:gt:1e999"}, "is not a number"),
    ({"c": "population:between:9,1"}, "lower bound exceeds upper bound"),
    ({"c": "population"}, "must read indicator:operator:values"),
    ({"c": "population:gt:1:2"}, "must read indicator:operator:values"),
    ({"c": ""}, "parameter 'c' is empty"),
    ({"c": "borders_china:is:maybe"}, "unknown value(s) maybe"),
    ({"c": "borders_china:is:Yes!"}, "value 'Yes!' is not valid"),
    ({"c": "borders_china:gt:1"}, "operator 'gt' does not apply"),
    ({"c": "area:has_data:1"}, "takes no value"),
    ({"c": "area:has_data", "join": "xor"}, "combination 'xor'"),
    ({"c": "area:has_data", "period": "2024-13"}, "period '2024-13' is not valid"),
    ({"c": "area:has_data", "kind": "plan"}, "value kind 'plan'"),
    ({"c": "area:has_data", "vintage": "2023"}, "boundary vintage '2023' must be 2024 or 2025"),
])
def test_malformed_links_are_refused_with_a_clear_reason(params: dict[str, str], reason: str) -> None:
    with pytest.raises(CriteriaError) as info:
        decode_query(params, CATALOGUE)
    assert reason in str(info.value)
    vi = "; ".join(info.value.describe("vi"))
    assert vi and vi != str(info.value)  # a Vietnamese message too


def test_every_problem_of_a_link_is_named() -> None:
    with pytest.raises(CriteriaError) as info:
        decode_query({"c": "nope:is:yes;population:gt:x;area:has_data", "kind": "plan"}, CATALOGUE)
    text = str(info.value)
    assert "condition 1" in text and "condition 2" in text and "value kind" in text

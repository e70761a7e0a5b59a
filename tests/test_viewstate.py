"""The view state and its link: every state round-trips; a broken value is named and gets its default."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutte_geo.analysis.filters import Condition, Criteria, choices_for
from mutte_geo.maps.attentionmap import ATTENTION_LAYERS
from mutte_geo.maps.change import CHANGE_MODES
from mutte_geo.maps.classify import SCHEMES
from mutte_geo.maps.viewstate import (
    CLASS_RANGE,
    COMMUNE_ORDERS,
    COMPARISONS,
    CRITERION_ORDERS,
    GRID_LAYERS,
    ViewState,
    decode_lang,
    decode_region,
    decode_view,
    decode_vintage,
    encode_view,
    switch_region,
    switch_vintage,
    view_notices,
)
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.indicators import KIND_CHOICES, LATEST
from mutte_geo.model.regions import region_ids
from mutte_geo.model.units import VINTAGES


def _conditions(catalogue: Catalogue) -> st.SearchStrategy[Condition]:
    numbers = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)

    def for_indicator(ident: str) -> st.SearchStrategy[Condition]:
        indicator = catalogue[ident]
        if indicator.is_numeric:
            one = st.builds(lambda op, n: Condition(ident, op, numbers=(n,)), st.sampled_from(["gt", "lt", "ge", "le"]),
                            numbers)
            between = st.builds(lambda a, b: Condition(ident, "between", numbers=(min(a, b), max(a, b))),
                                numbers, numbers)
            return st.one_of(one, between, st.sampled_from([Condition(ident, "has_data"),
                                                            Condition(ident, "no_data")]))
        codes = choices_for(indicator)
        if not codes:
            return st.just(Condition(ident, "has_data"))
        return st.one_of(st.builds(lambda c: Condition(ident, "is", codes=(c,)), st.sampled_from(codes)),
                         st.builds(lambda cs: Condition(ident, "one_of", codes=tuple(cs)),
                                   st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True)))

    return st.sampled_from(sorted(catalogue)).flatmap(for_indicator)


@st.composite
def view_states(draw: st.DrawFn, atlas: Atlas) -> ViewState:
    periods = st.sampled_from(["", LATEST, "2023", "2024-H1", "2025-Q3"])
    years = st.one_of(st.none(), st.integers(2000, 2100))
    region = draw(st.sampled_from(region_ids()))
    shown = atlas.in_region(region)
    vintage = draw(st.sampled_from([v for v in VINTAGES if v in shown.units]))
    scheme = draw(st.sampled_from(SCHEMES))
    breaks = draw(st.text(alphabet="0123456789.,; -", max_size=20)) if scheme == "manual" else ""
    return ViewState(
        lang=draw(st.sampled_from(["vi", "en"])), vintage=vintage,
        indicator=draw(st.sampled_from(sorted(atlas.catalogue))), kind=draw(st.sampled_from(sorted(KIND_CHOICES))),
        period=draw(st.sampled_from([LATEST, "2023", "2024", "2024-H1", "2025-Q3", "n.d."])),
        scheme=scheme, classes=draw(st.sampled_from(list(CLASS_RANGE))), breaks=breaks,
        unit=draw(st.one_of(st.none(), st.sampled_from(sorted(shown.units[vintage])))),
        conditions=tuple(draw(st.lists(_conditions(atlas.catalogue), max_size=3))),
        combine=draw(st.sampled_from(["and", "or"])),
        layers=tuple(n for n in ATTENTION_LAYERS if draw(st.booleans())),
        locked=draw(st.booleans()),
        mode=draw(st.sampled_from(["", *COMPARISONS])),
        period_from=draw(periods), period_to=draw(periods), result_period=draw(periods),
        target_period=draw(periods), change=draw(st.sampled_from(["", *CHANGE_MODES])),
        plan=draw(years), year=draw(years), criterion=draw(st.one_of(st.none(), st.integers(1, 19))),
        criteria_set=draw(st.sampled_from(["", "qd318_2021_2025", "qd51-2026"])),
        sort=draw(st.sampled_from(["", *COMMUNE_ORDERS])), order=draw(st.sampled_from(["", *CRITERION_ORDERS])),
        layer=draw(st.sampled_from(["", *GRID_LAYERS])), include_submitted=draw(st.booleans()), region=region,
    )


def test_every_view_state_round_trips_through_its_link(atlas: Atlas) -> None:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(view_states(atlas))
    def round_trip(view: ViewState) -> None:
        params = encode_view(view)
        assert all(isinstance(v, str) and v for v in params.values())
        decoded, problems = decode_view(params, atlas.catalogue, atlas.in_region(view.region).units)
        assert problems == []
        assert decoded == view
        assert encode_view(decoded) == params
        assert decode_lang(params) == view.lang and decode_vintage(params) == view.vintage
        assert decode_region(params) == view.region

    round_trip()


def test_links_use_stable_ids_never_labels(atlas: Atlas) -> None:
    params = encode_view(ViewState(lang="en", vintage=2025, indicator="poverty_rate", unit="03433"))
    assert params == {"lang": "en", "vintage": "2025", "indicator": "poverty_rate", "kind": "actual",
                      "period": "latest", "scheme": "quantiles", "classes": "5", "unit": "03433"}


def test_a_broken_value_is_named_and_only_that_key_gets_its_default(atlas: Atlas) -> None:
    params = {"lang": "en", "vintage": "2025 (xã mới từ 01/07/2025)", "indicator": "poverty_rate", "kind": "both",
              "period": "last year", "scheme": "magic", "classes": "12", "unit": "99999", "layers": "x,borders_china",
              "c": "borders_china:is:maybe"}
    view, problems = decode_view(params, atlas.catalogue, atlas.units)
    assert view == ViewState(lang="en", indicator="poverty_rate", layers=("borders_china",))
    text = " ".join(p[1] for p in problems)
    for shown in ("2025 (xã mới từ 01/07/2025)", "“both”", "“last year”", "“magic”", "“12”", "“99999”", "x",
                  "maybe"):
        assert shown in text
    assert len(problems) == 8


def test_an_unknown_indicator_is_refused_not_swapped_silently(atlas: Atlas) -> None:
    view, problems = decode_view({"indicator": "gdp_growth"}, atlas.catalogue, atlas.units)
    assert view.indicator == "population"
    assert problems and "gdp_growth" in problems[0][1] and "sign-in" in problems[0][1]


def test_an_older_profile_link_names_the_vintage_with_its_unit(atlas: Atlas) -> None:
    view, problems = decode_view({"unit": "2025:03433"}, atlas.catalogue, atlas.units)
    assert (view.vintage, view.unit, problems) == (2025, "03433", [])
    view, problems = decode_view({"unit": "3448"}, atlas.catalogue, atlas.units)  # a dropped leading zero
    assert (view.vintage, view.unit, problems) == (2024, "03448", [])
    view, problems = decode_view({"unit": "03448", "vintage": "2025"}, atlas.catalogue, atlas.units)
    assert view.unit is None and "not a 2025 unit" in problems[0][1]  # Pa Vệ Sủ merged into Bum Nưa


def test_switching_vintage_keeps_every_choice_and_says_what_it_cannot_keep(atlas: Atlas) -> None:
    view = ViewState(lang="en", indicator="poverty_rate", kind="target", scheme="manual", breaks="10;20",
                     unit="03448", conditions=(Condition("borders_china", "is", codes=("yes",)),))
    moved, notes = switch_vintage(view, 2025, atlas.units)
    assert moved == replace(view, vintage=2025, unit=None)
    assert notes and "Pa Vệ Sủ" in notes[0][1] and "2025" in notes[0][1]
    kept, notes = switch_vintage(replace(view, unit="03433"), 2025, atlas.units)  # code 03433 exists in both
    assert kept.unit == "03433" and notes == []


def test_an_indicator_without_data_in_a_vintage_says_where_it_has_data(atlas: Atlas) -> None:
    assert "poverty_rate" in atlas.mappable_indicators(2024)
    assert "poverty_rate" not in atlas.mappable_indicators(2025)
    notices = view_notices(ViewState(lang="en", vintage=2025, indicator="poverty_rate"), atlas, "en")
    assert notices == ["Poor-household rate: no data in 2025 — available in 2024."]
    assert view_notices(ViewState(indicator="poverty_rate"), atlas, "vi") == []


def test_criteria_in_the_view_share_period_and_kind(atlas: Atlas) -> None:
    criteria = Criteria((Condition("borders_china", "is", codes=("yes",)),), "or", "2024", "target")
    view = ViewState().with_criteria(criteria)
    assert (view.period, view.kind, view.combine, view.criteria) == ("2024", "target", "or", criteria)


def test_a_broken_page_choice_is_named_and_left_to_the_page_default(atlas: Atlas) -> None:
    params = {"mode": "sideways", "from": "yesterday", "year": "20x4", "set": "a;b", "sort": "met",
              "include_submitted": "yes"}
    view, problems = decode_view(params, atlas.catalogue, atlas.units)
    assert (view.mode, view.period_from, view.year, view.criteria_set, view.include_submitted) == ("", "", None, "",
                                                                                                   False)
    assert view.sort == "met"  # the good key still applies
    named = " ".join(p[1] for p in problems)
    assert all(w in named for w in ("sideways", "yesterday", "20x4", "a;b", "yes")) and len(problems) == 5


def test_a_region_offers_its_own_vintages_and_a_switch_keeps_what_still_applies(atlas: Atlas) -> None:
    province = atlas.in_region("laichau")
    view, problems = decode_view({"region": "laichau", "vintage": "2024"}, atlas.catalogue, province.units)
    assert (view.region, view.vintage) == ("laichau", 2025)  # Lai Châu has only the 2025 communes
    assert problems and "no 2024 boundaries" in problems[0][1]
    assert decode_vintage({"region": "laichau"}) == 2025
    assert decode_region({"region": "atlantis"}) == "mutte"
    _, problems = decode_view({"region": "atlantis"}, atlas.catalogue, atlas.units)
    assert "region “atlantis” is not valid" in problems[0][1]
    gone = sorted(set(atlas.units[2024]) - set(province.units[2025]))[0]  # a 2024 unit merged away in 2025
    start = ViewState(vintage=2024, indicator="poverty_rate", unit=gone, kind="target")
    moved, notes = switch_region(start, "laichau", province.units)
    assert moved == replace(start, region="laichau", vintage=2025, unit=None) and notes  # cleared, and said
    kept, notes = switch_region(replace(start, vintage=2025, unit="03442"), "laichau", province.units)
    assert kept.unit == "03442" and notes == []  # Pa Ủ is one of the province's communes too
    assert encode_view(kept)["region"] == "laichau" and "region" not in encode_view(start)

"""In Chromium: what the user chose survives language and vintage switches in either order, back/forward,
reloads and links, and a fresh server shows every page of a full link exactly; the map's polygons and
colours are checked against the package's own map view, not only the widgets."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from mutte_geo.maps.classify import NO_DATA_FILL
from mutte_geo.maps.view import default_indicator, map_view
from mutte_geo.maps.viewstate import ViewState, decode_view, encode_view
from mutte_geo.model.atlas import Atlas

from .conftest import ARTIFACTS, map_frame, running_app

pytestmark = pytest.mark.e2e
WAIT = 90000


def expected_fills(atlas: Atlas, view: ViewState) -> dict[str, str]:
    """The fill of every unit's polygon, as the package computes the view."""
    shown = map_view(atlas, view.map_request(None))
    return {code: (shown.classification.color_of(code) or NO_DATA_FILL).lower() for code in shown.joined["code"]}


DRAWN_FILLS = """() => { const fills = {}; let paths = document.querySelectorAll('path.leaflet-interactive').length;
  window.atlasLayer.eachLayer(l => { fills[l.feature.properties.code] = (l._path.getAttribute('fill') || '')
  .toLowerCase(); }); return [paths, fills]; }"""


def url_view(page, atlas: Atlas) -> ViewState:  # type: ignore[no-untyped-def]
    params = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    view, problems = decode_view(params, atlas.catalogue, atlas.units)
    assert problems == [], problems
    return view


def assert_map_shows(page, atlas: Atlas, view: ViewState, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    """Wait until the drawn polygons have exactly the colours of ``view``."""
    wanted = expected_fills(atlas, view)
    deadline = time.monotonic() + timeout
    seen: dict[str, str] = {}
    while time.monotonic() < deadline:
        try:
            paths, seen = map_frame(page, timeout_ms=5000).evaluate(DRAWN_FILLS)
        except (AssertionError, PlaywrightError):  # not drawn yet, or replaced by a rerun: read again
            paths, seen = 0, {}
        if seen == wanted and paths == len(wanted):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"map colours {seen} != {wanted} for {view}")


def bare(atlas: Atlas, opened_on: int = 2024, **choices: object) -> ViewState:
    """The view of a link naming no indicator, opened on ``opened_on``: the page's trusted default map."""
    return ViewState(indicator=default_indicator(atlas, opened_on), **choices)  # type: ignore[arg-type]


def sidebar(page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stSidebar")


DEFAULTS = encode_view(ViewState())


def wait_url(page, **wanted: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the URL names these values (a key left out of the link stands for its default)."""
    def names_them(url: str) -> bool:
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        return all(params.get(k, DEFAULTS.get(k)) == v for k, v in wanted.items())

    page.wait_for_url(names_them, timeout=WAIT, wait_until="commit")


def expect_choice(page, label: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """The dropdown ``label`` shows an option containing ``text``."""
    box = page.get_by_role("combobox", name=label, exact=True)
    expect(box).to_have_value(re.compile(re.escape(text)), timeout=WAIT)


def assert_radios_filled(page, *labels: str) -> None:  # type: ignore[no-untyped-def]
    """Each named radio is selected and no radio group on the page is left with nothing selected."""
    for label in labels:
        expect(page.get_by_role("radio", name=label, exact=True)).to_be_checked(timeout=WAIT)
    groups = page.get_by_role("radiogroup")
    for i in range(groups.count()):  # no radio group is left with nothing selected
        assert groups.nth(i).locator("input:checked").count() == 1


def test_language_then_vintage_then_back_and_forward_keep_every_choice(page, app_url, atlas) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map?indicator=poverty_rate&scheme=equal_interval&classes=3")
    view = ViewState(indicator="poverty_rate", scheme="equal_interval", classes=3)
    assert_map_shows(page, atlas, view)

    sidebar(page).get_by_text("English", exact=True).click()
    wait_url(page, lang="en", indicator="poverty_rate")
    assert url_view(page, atlas) == replace(view, lang="en")  # the link is written out in full, with ids
    assert_radios_filled(page, "Actual / estimate", "English", "2024 (14 units)")
    expect_choice(page, "Indicator", "Poor-household rate")
    expect_choice(page, "Classification", "Equal interval")
    assert_map_shows(page, atlas, ViewState(lang="en", indicator="poverty_rate", scheme="equal_interval", classes=3))

    sidebar(page).get_by_text("2025 (new communes from 1 Jul 2025)").click()
    wait_url(page, lang="en", vintage="2025", indicator="poverty_rate")
    expect(page.get_by_text("Poor-household rate: no data in 2025 — available in 2024.")).to_be_visible(timeout=WAIT)
    on_2025 = ViewState(lang="en", vintage=2025, indicator="poverty_rate", scheme="equal_interval", classes=3)
    assert_map_shows(page, atlas, on_2025)
    assert set(expected_fills(atlas, on_2025).values()) == {NO_DATA_FILL.lower()}
    assert len(expected_fills(atlas, on_2025)) == 8
    assert_radios_filled(page, "Actual / estimate", "2025 (new communes from 1 Jul 2025)")

    page.go_back()
    wait_url(page, lang="en", vintage="2024", indicator="poverty_rate")
    assert_map_shows(page, atlas, ViewState(lang="en", indicator="poverty_rate", scheme="equal_interval", classes=3))
    assert_radios_filled(page, "Actual / estimate", "2024 (14 units)")
    page.go_back()
    wait_url(page, lang="vi", vintage="2024", indicator="poverty_rate")
    assert_radios_filled(page, "Thực hiện / ước", "Tiếng Việt")
    expect_choice(page, "Chỉ tiêu", "Tỷ lệ hộ nghèo")
    page.go_forward()
    page.go_forward()
    wait_url(page, lang="en", vintage="2025", indicator="poverty_rate")
    assert_map_shows(page, atlas, on_2025)
    assert "vintage=2025+" not in page.url and "%28" not in page.url  # ids, never labels

    page.reload()
    assert_map_shows(page, atlas, on_2025)
    assert_radios_filled(page, "Actual / estimate", "English", "2025 (new communes from 1 Jul 2025)")
    assert page.external_requests == []


def test_vintage_then_language_keeps_kind_classes_and_unit(page, app_url, atlas) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map?indicator=population&classes=4&unit=03433")
    assert_map_shows(page, atlas, ViewState(classes=4, unit="03433"))
    sidebar(page).get_by_text("2025 (xã mới từ 01/07/2025)").click()
    wait_url(page, vintage="2025", unit="03433", classes="4")
    assert_map_shows(page, atlas, ViewState(vintage=2025, classes=4, unit="03433"))
    sidebar(page).get_by_text("English", exact=True).click()
    wait_url(page, lang="en", vintage="2025", unit="03433", classes="4")
    expect(page.get_by_role("heading", name="Profile: Bum Tở commune (03433)")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("slider", name="Classes")).to_have_value("4")
    assert_radios_filled(page, "Actual / estimate", "English")
    assert_map_shows(page, atlas, ViewState(lang="en", vintage=2025, classes=4, unit="03433"))


def test_a_unit_that_does_not_exist_on_the_new_boundaries_is_dropped_with_a_message(page, app_url, atlas) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map?lang=en&unit=03448")
    expect(page.get_by_role("heading", name="Profile: Pa Vệ Sủ commune (03448)")).to_be_visible(timeout=WAIT)
    sidebar(page).get_by_text("2025 (new communes from 1 Jul 2025)").click()
    expect(page.get_by_text("Pa Vệ Sủ commune is not a 2025 unit: the selection was cleared.")).to_be_visible(
        timeout=WAIT)
    assert "unit=" not in page.url
    assert_map_shows(page, atlas, bare(atlas, lang="en", vintage=2025))


def test_a_broken_link_says_what_it_could_not_use(page, app_url, atlas) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map?lang=en&vintage=2025+(x%C3%A3+m%E1%BB%9Bi+t%E1%BB%AB+01/07/2025)&indicator=nope")
    expect(page.get_by_text("Part of the link could not be used")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("boundary vintage “2025 (xã mới từ 01/07/2025)” is not valid; using “2024”.")
           ).to_be_visible()
    expect(page.get_by_text("indicator “nope” is not valid", exact=False)).to_be_visible()
    assert_map_shows(page, atlas, bare(atlas, lang="en"))


def test_the_filter_page_keeps_its_conditions_through_a_language_switch(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/filter?c=borders_china:is:yes&join=or")
    expect(page.get_by_test_id("stMetric").first).to_have_text(re.compile(r"^Thỏa mãn\s*6$"), timeout=WAIT)
    sidebar(page).get_by_text("English", exact=True).click()
    wait_url(page, lang="en", c="borders_china:is:yes", join="or")
    expect(page.get_by_test_id("stMetric").first).to_have_text(re.compile(r"^Match\s*6$"), timeout=WAIT)
    assert_radios_filled(page, "OR (any)", "Actual / estimate")
    expect_choice(page, "Indicator 1", "Borders China")
    page.go_back()
    wait_url(page, lang="vi", c="borders_china:is:yes")
    assert_radios_filled(page, "HOẶC (ít nhất một)", "Thực hiện / ước")


def test_sidebar_links_carry_the_view_to_every_page(page, app_url, atlas) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map?lang=en&vintage=2025&indicator=population&classes=3")
    assert_map_shows(page, atlas, ViewState(lang="en", vintage=2025, classes=3))
    sidebar(page).get_by_role("link", name="Filter communes").click()
    page.wait_for_url(re.compile(r"/filter\?"), timeout=WAIT, wait_until="commit")
    wait_url(page, lang="en", vintage="2025", classes="3")
    expect(page.get_by_role("heading", name="Filter communes by criteria")).to_be_visible(timeout=WAIT)
    sidebar(page).get_by_role("link", name="Indicator map").click()
    page.wait_for_url(re.compile(r"/map\?"), timeout=WAIT, wait_until="commit")
    wait_url(page, lang="en", vintage="2025", classes="3")
    assert_map_shows(page, atlas, ViewState(lang="en", vintage=2025, classes=3))
    page.go_back()
    page.wait_for_url(re.compile(r"/filter\?"), timeout=WAIT, wait_until="commit")
    expect(page.get_by_role("heading", name="Filter communes by criteria")).to_be_visible(timeout=WAIT)
    wait_url(page, lang="en", vintage="2025", classes="3")


def test_copy_link_gives_the_full_view(page, app_url, atlas) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/map?lang=en&vintage=2025&scheme=natural_breaks&classes=3")
    assert_map_shows(page, atlas, bare(atlas, 2025, lang="en", vintage=2025, scheme="natural_breaks", classes=3))
    sidebar(page).locator("summary", has_text="Link to this view").click()
    link = sidebar(page).get_by_role("textbox", name="Link to this view").input_value().strip()
    assert urlsplit(link).path == "/map" and urlsplit(link).netloc == urlsplit(app_url).netloc
    assert {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()} == {
        "lang": "en", "vintage": "2025", "indicator": default_indicator(atlas, 2025), "kind": "actual",
        "period": "latest", "scheme": "natural_breaks", "classes": "3"}


def test_finding_a_unit_by_name_without_diacritics_selects_zooms_and_opens_its_profile(page, app_url, atlas) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{app_url}/map?lang=en")
    assert_map_shows(page, atlas, bare(atlas, lang="en"))
    page.get_by_label("Find a unit by name").fill("pa ve su")
    page.get_by_label("Find a unit by name").press("Enter")
    heading = page.get_by_role("heading", name="Profile: Pa Vệ Sủ commune (03448)")
    expect(heading).to_be_visible(timeout=WAIT)
    wait_url(page, unit="03448")
    assert_map_shows(page, atlas, bare(atlas, lang="en", unit="03448"))  # the colours stay those of the classes
    widths = map_frame(page).evaluate("""() => { const w = {}; window.atlasLayer.eachLayer(l => {
        w[l.feature.properties.code] = l._path.getAttribute('stroke-width'); }); return w; }""")
    assert widths["03448"] == "4" and {w for c, w in widths.items() if c != "03448"} == {"1"}
    iframe = page.locator("iframe[title*='st_folium']").first.bounding_box()
    box = heading.bounding_box()
    assert iframe and box and box["x"] > iframe["x"] + iframe["width"] - 5  # beside the map, not below it
    assert box["y"] < 800  # above the fold
    page.screenshot(path=str(ARTIFACTS / "viewstate_unit_search.png"))


def test_a_fresh_server_shows_every_page_of_a_full_link_exactly(page, atlas) -> None:  # type: ignore[no-untyped-def]
    state = ("lang=en&vintage=2025&indicator=population&kind=actual&period=latest&scheme=equal_interval"
             "&classes=3&unit=03433&c=borders_china:is:yes&join=and")
    titles = {"/": "2025 targets – Mường Tè district", "/filter": "Filter communes by criteria – Mường Tè district",
              "/profile": "Bum Tở commune", "/completeness": "Data completeness", "/compare": "Compare 2024 – 2025",
              "/data": "Data and checks"}
    with running_app("streamlit_fresh_viewstate.log") as url:
        page.goto(f"{url}/map?{state}")
        assert_map_shows(page, atlas, ViewState(lang="en", vintage=2025, scheme="equal_interval", classes=3,
                                                unit="03433"))
        expect(page.get_by_role("heading", name="Profile: Bum Tở commune (03433)")).to_be_visible(timeout=WAIT)
        for path, title in titles.items():
            page.goto(f"{url}{path}?{state}")
            expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=WAIT)
            expect(sidebar(page).get_by_role("radio", name="2025 (new communes from 1 Jul 2025)")).to_be_checked(
                timeout=WAIT)
            assert parse_qs(urlsplit(page.url).query)["vintage"] == ["2025"]
        page.goto(f"{url}/filter?{state}")
        expect(page.get_by_test_id("stMetric").first).to_have_text(re.compile(r"^Match\s*\d+$"), timeout=WAIT)
        expect_choice(page, "Indicator 1", "Borders China")
        page.goto(f"{url}/compare?{state}")
        expect_choice(page, "Highlight a 2025 commune", "Bum Tở")
        for path in ("/import", "/edit", "/history", "/users"):
            page.goto(f"{url}{path}?{state}")
            expect(page.get_by_text("This page is for staff: sign in to open it.")).to_be_visible(timeout=WAIT)
        assert page.get_by_text("Page not found").count() == 0
    assert page.external_requests == []

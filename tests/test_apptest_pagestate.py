"""Streamlit AppTest: the choices pages gained since the view state (compare periods, NTM tracker,
overview plan year) come from the link and go back into it; a link value a page cannot use is named."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT

TIMEOUT = 90


def _page(name: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=TIMEOUT)
    for key, value in {"lang": "vi", **query}.items():
        at.query_params[key] = value
    return at.run()


def test_compare_periods_opens_on_the_link_and_writes_every_change_back() -> None:
    at = _page("periods.py", indicator="population", mode="change", **{"from": "2019", "to": "2025"},
               change="percent")
    assert not at.exception and not at.warning
    assert at.radio(key="periods_mode").value == "change"
    assert (at.selectbox(key="periods_a").value, at.selectbox(key="periods_b").value) == ("2019", "2025")
    assert at.radio(key="periods_change_mode").value == "percent"
    at.radio(key="periods_mode").set_value("periods").run()
    at.selectbox(key="periods_a").set_value("1999").run()
    at.selectbox(key="periods_scheme").set_value("equal_interval").run()
    at.slider(key="periods_k").set_value(3).run()
    assert not at.exception
    assert {k: at.query_params[k] for k in ("mode", "from", "to", "scheme", "classes")} == {
        "mode": "periods", "from": "1999", "to": "2025", "scheme": "equal_interval", "classes": "3"}
    legend = next(m.value for m in at.markdown if "split-legend" in m.value)
    assert "(1999: " in legend and "2025: " in legend


def test_compare_periods_names_a_period_the_indicator_does_not_have() -> None:
    at = _page("periods.py", indicator="population", **{"from": "1888"})
    assert not at.exception
    assert any("“1888”" in w.value and "không có ở đây" in w.value for w in at.warning)
    assert at.selectbox(key="periods_a").value == "1999"  # the page's default pair


def test_ntm_tracker_opens_on_the_links_year_criterion_and_sort() -> None:
    at = _page("ntm.py", year="2023", criterion="7", sort="met", order="share")
    assert not at.exception and not at.warning
    assert at.selectbox(key="ntm_year").value == 2023
    assert at.selectbox(key="ntm_criterion").value == 7
    assert (at.radio(key="ntm_sort_communes").value, at.radio(key="ntm_sort_criteria").value) == ("met", "share")
    at.selectbox(key="ntm_year").set_value(2022).run()
    at.radio(key="ntm_sort_communes").set_value("name").run()
    assert not at.exception
    assert at.query_params["year"] == "2022" and at.query_params["sort"] == "name"
    assert at.query_params["criterion"] == "7" and at.query_params["order"] == "share"


def test_a_plan_year_without_targets_is_named() -> None:
    at = _page("overview.py", plan="2031")
    assert not at.exception
    assert at.title[0].value == "Chỉ tiêu năm 2025 – huyện Mường Tè"
    assert any("năm kế hoạch “2031”" in w.value for w in at.warning)

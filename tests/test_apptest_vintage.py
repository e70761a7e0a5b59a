"""Streamlit AppTest: switch the boundary vintage, see the 2025 communes, open the comparison page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


def _codes_shown(at: AppTest) -> set[str]:
    """Unit codes in the map page's values table (the first column named Mã / Code)."""
    for frame in at.dataframe:
        table = frame.value
        for column in ("Mã", "Code"):
            if column in table.columns and len(table) >= 8:
                return set(table[column])
    raise AssertionError("the map page shows no values table")


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_switching_vintage_maps_the_2025_communes(app: AppTest) -> None:
    app.switch_page("pages/map.py").run()
    assert not app.exception, [e.message for e in app.exception]
    assert len(_codes_shown(app)) == 14 and "03467" in _codes_shown(app)  # Vàng San is a 2024 unit
    app.switch_page("app.py").run()  # the sidebar switch lives in the entry script
    app.sidebar.radio(key="vintage_switch").set_value(2025).run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.query_params["vintage"] == "2025"
    app.switch_page("pages/map.py").run()
    assert not app.exception, [e.message for e in app.exception]
    codes = _codes_shown(app)
    assert codes == {"03433", "03439", "03442", "03445", "03451", "03460", "03463", "03466"}


def test_compare_page_renders_both_vintages_and_the_merge(app: AppTest) -> None:
    app.query_params["lang"] = "en"
    app.query_params["indicator"] = "population"  # the shared app's link holds the previous test's view
    app.switch_page("pages/compare.py").run()
    assert not app.exception, [e.message for e in app.exception]
    assert [h.value for h in app.subheader] == ["2024 – 14 units", "2025 – new communes", "How the 14 units merged"]
    table = app.dataframe[0].value
    assert len(table) == 14
    town = table[table["Code 2024"] == "2024:03433"].iloc[0]
    assert town["Code 2025"] == "2025:03433" and town["Commune 2025"] == "Bum Tở commune"
    vang_san = table[table["Code 2024"] == "2024:03467"].iloc[0]
    assert vang_san["Code 2025"] == "2025:03460" and "reaches outside" in vang_san["Commune 2025"]
    assert vang_san["Value 2025"] == "5,697 people"  # the official 2025 figure, not Vàng San's
    app.selectbox(key="compare_commune").set_value("03433").run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.query_params["unit"] == "03433" and app.query_params["vintage"] == "2025"

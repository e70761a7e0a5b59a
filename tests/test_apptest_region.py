"""Streamlit AppTest: choose the Lai Châu region in the sidebar; the map and filter pages show its 38 units."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


def _values_table(at: AppTest):  # type: ignore[no-untyped-def]
    for frame in at.dataframe:
        table = frame.value
        if "Mã" in table.columns or "Code" in table.columns:
            return table
    raise AssertionError("the page shows no values table")


def _texts(at: AppTest) -> str:
    """Every title, caption, markdown and message the page rendered, as one text."""
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    at.switch_page("pages/map.py").run()
    at.switch_page("app.py").run()  # the sidebar switch lives in the entry script
    at.sidebar.radio(key="region_switch").set_value("laichau").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_sidebar_choice_is_a_stable_id_in_the_url_and_the_province_has_only_2025(app: AppTest) -> None:
    assert app.query_params["region"] == "laichau"  # the URL is the only source of truth
    assert app.sidebar.radio(key="vintage_switch").options == ["2025 (38 xã, phường)"]


def test_province_map_names_the_province_and_shows_38_units(app: AppTest) -> None:
    app.switch_page("pages/map.py").run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.title[0].value == "Bản đồ chỉ tiêu theo xã – tỉnh Lai Châu"
    table = _values_table(app)
    assert len(table) == 38
    texts = _texts(app)
    assert "huyện Mường Tè" not in texts and "Toàn huyện" not in texts
    labels = app.selectbox(key="indicator").options  # as shown (formatted)
    assert not any("toàn huyện" in label for label in labels) and any("chưa có số liệu cấp xã" in x for x in labels)
    assert "sapnhap.bando.com.vn" in texts  # the pack's attribution under the map


def test_province_population_shows_the_gap_and_the_flag(app: AppTest) -> None:
    app.selectbox(key="indicator").set_value("population").run()
    assert not app.exception, [e.message for e in app.exception]
    table = _values_table(app).set_index("Mã")
    assert table.loc["03613", "Giá trị"] == "Không có dữ liệu"  # Nậm Sỏ: unpublished, never 0
    assert table.loc["03487", "Giá trị"] == "911 người (chưa chắc chắn)"  # Lê Lợi: as published, flagged
    assert table.loc["03433", "Giá trị"] == "11.711 người"  # a Mường Tè commune: the store's value


def test_province_filter_page_evaluates_38_units(app: AppTest) -> None:
    app.switch_page("pages/filter.py").run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.title[0].value == "Lọc xã theo tiêu chí – tỉnh Lai Châu"


def test_other_pages_say_they_show_mutte_only(app: AppTest) -> None:
    app.switch_page("app.py").run()  # the overview (the entry script's default page) is Mường Tè only
    assert not app.exception, [e.message for e in app.exception]
    assert [i.value for i in app.info if "chỉ hiển thị" in i.value] == [
        "Trang này chỉ hiển thị huyện Mường Tè; tỉnh Lai Châu có ở trang Bản đồ chỉ tiêu và Lọc xã theo tiêu chí."]


def test_a_province_filter_link_evaluates_all_38_units() -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "filter.py"), default_timeout=180)
    at.query_params.update({"region": "laichau", "c": "population:lt:6000"})
    at.run()
    assert not at.exception and not at.error, [e.message for e in at.exception]
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics == {"Thỏa mãn": 4, "Không xác định được (thiếu dữ liệu)": 1, "Không thỏa mãn": 33}
    assert sorted(at.dataframe[0].value["Đơn vị"]) == ["Xã Hua Bum", "Xã Lê Lợi", "Xã Mù Cả", "Xã Thu Lũm"]
    assert list(at.dataframe[1].value["Đơn vị"]) == ["Xã Nậm Sỏ"]  # unpublished: cannot tell, never "< 6000"

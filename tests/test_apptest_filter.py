"""The filter page under Streamlit's AppTest: links, ready-made questions, the builder, language."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
PAGE = str(PROJECT_ROOT / "pages" / "filter.py")
TIMEOUT = 60


def _page(params: dict[str, str] | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def _metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


TABLES = {"match": 0, "unknown": 1}  # order on the page; the unknown table shows only when needed


def _units(at: AppTest, table: str, column: str = "Đơn vị") -> list[str]:
    return sorted(at.dataframe[TABLES[table]].value[column])


def test_a_link_with_a_filter_shows_its_result() -> None:
    at = _page({"vintage": "2024", "c": "borders_china:is:yes;main_ethnic_group:is:la_hu"})
    assert not at.exception and not at.error
    assert _metrics(at) == {"Thỏa mãn": 3, "Không xác định được (thiếu dữ liệu)": 0, "Không thỏa mãn": 11}
    assert _units(at, "match") == ["Xã Pa Vệ Sủ", "Xã Pa Ủ", "Xã Tá Bạ"]
    assert at.selectbox(key="fc0_ind").value == "borders_china"
    assert at.selectbox(key="fc1_ind").value == "main_ethnic_group"
    assert at.query_params["c"] == "borders_china:is:yes;main_ethnic_group:is:la_hu"


def test_a_plan_designation_link_asks_for_targets() -> None:
    at = _page({"vintage": "2024", "c": "attendance_priority:is:yes", "kind": "target"})
    assert not at.exception and not at.error
    assert _metrics(at) == {"Thỏa mãn": 6, "Không xác định được (thiếu dữ liệu)": 0, "Không thỏa mãn": 8}
    assert at.radio(key="f_kind").value == "target"


def test_a_malformed_link_falls_back_to_no_filter() -> None:
    at = _page({"vintage": "2024", "c": "gdp_growth:gt:5;population:gt:abc", "lang": "vi"})
    assert not at.exception
    # the messages are shown above the page by app.py (tests/test_viewstate.py, tests/test_e2e_viewstate.py)
    assert "Chưa có điều kiện" in at.info[0].value and not at.metric and not at.dataframe  # no filter
    assert at.query_params["lang"] == "vi"
    assert "fc0_ind" not in [w.key for w in at.selectbox]  # no condition rows


def test_a_ready_made_question_fills_the_builder_and_the_link() -> None:
    at = _page()
    at.button(key="q_attendance").click().run()
    assert _units(at, "match") == ["Xã Bum Tở", "Xã Nậm Khao", "Xã Pa Vệ Sủ", "Xã Pa Ủ", "Xã Tà Tổng", "Xã Tá Bạ"]
    assert at.query_params["c"] == "attendance_priority:is:yes" and at.query_params["kind"] == "target"
    at.button(key="q_border_stunting").click().run()
    metrics = _metrics(at)
    assert metrics["Thỏa mãn"] == 0 and metrics["Không xác định được (thiếu dữ liệu)"] == 6
    assert len(at.dataframe[1].value) == 6


def test_building_a_filter_with_the_widgets() -> None:
    at = _page()
    at.button(key="add_condition").click().run()
    at.button(key="add_condition").click().run()
    at.selectbox(key="fc1_ind").set_value("main_ethnic_group").run()
    at.selectbox(key="fc1_code").set_value("la_hu").run()
    assert _units(at, "match") == ["Xã Pa Vệ Sủ", "Xã Pa Ủ", "Xã Tá Bạ"]
    at.radio(key="f_join").set_value("or").run()
    assert _metrics(at)["Thỏa mãn"] == 6  # the 6 border communes (the La Hủ ones among them)
    assert at.query_params["join"] == "or"
    at.selectbox(key="fc1_ind").set_value("poverty_rate").run()  # numeric: the operator resets to '>'
    assert at.selectbox(key="fc1_op").value == "gt"
    at.number_input(key="fc1_a").set_value(80).run()
    assert at.query_params["c"] == "borders_china:is:yes;poverty_rate:gt:80"
    at.button(key="remove_0").click().run()
    assert _units(at, "match") == ["Xã Tá Bạ"]  # 90 % (2015)
    assert _metrics(at)["Không xác định được (thiếu dữ liệu)"] == 12


def test_english_and_the_downloads() -> None:
    at = _page({"c": "ntm_candidate_2025:is:yes", "join": "and", "kind": "target"}, lang="en")
    assert not at.exception
    assert _metrics(at) == {"Match": 2, "Cannot tell (no data)": 0, "No match": 12}
    assert _units(at, "match", "Unit") == ["Can Hồ commune", "Ka Lăng commune"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["Download CSV", "Download XLSX"]


def test_navigation_lists_the_page() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Lọc xã theo tiêu chí – huyện Mường Tè"  # the region is named

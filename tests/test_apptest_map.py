"""Streamlit AppTest of the map and data pages (no browser)."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT

TIMEOUT = 60
VIETNAMESE_ONLY = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _map_page(lang: str = "vi") -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages/map.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    return at.run()


def test_map_page_renders_in_vietnamese_with_a_default_indicator() -> None:
    at = _map_page()
    assert not at.exception
    assert at.title[0].value == "Bản đồ chỉ tiêu theo xã – huyện Mường Tè"
    # the default is a map a leader can trust: one period, complete, official source (not population,
    # whose latest values mix 2025 official figures with 2009 estimates from a secondary site)
    assert at.selectbox(key="indicator").value == "borders_china"
    labels = [s.label for s in at.selectbox]
    assert labels[:2] == ["Chỉ tiêu", "Kỳ"]


def test_choosing_an_indicator_updates_district_figures_and_warnings() -> None:
    at = _map_page()
    at.selectbox(key="indicator").set_value("waste_collection_pct").run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("Báo cáo ghi 84,6% nhưng 12/14 = 85,7%" in w for w in warnings)
    markdown = " ".join(m.value for m in at.markdown)
    assert "84,6%" in markdown
    assert any("Chưa có số liệu cấp xã" in i.value for i in at.info)


def test_period_choices_follow_the_indicator() -> None:
    at = _map_page()
    at.selectbox(key="indicator").set_value("ntm_candidate_2025").run()
    assert at.selectbox(key="period").options[1:] == []  # a 2025 plan designation is no actual value
    at.radio(key="kind").set_value("target").run()
    assert at.selectbox(key="period").options[1:] == ["2025"]


def test_english_switch_translates_the_whole_page() -> None:
    at = _map_page("en")
    assert not at.exception
    assert at.title[0].value == "Commune indicator map – Mường Tè district"
    texts = [at.title[0].value, *(s.label for s in at.selectbox), *(r.label for r in at.radio),
             *(c.value for c in at.caption), *(s.value for s in at.subheader)]
    leftovers = [t for t in texts if VIETNAMESE_ONLY.search(t.replace("Mường Tè", "").replace("Lai Châu", ""))
                 and "Ranh giới" not in t]
    assert leftovers == []


def _legend_labels(at: AppTest) -> list[str]:
    """The class labels of the map's legend, read from the map component's arguments."""
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    script = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), args["feature_group"])
    script = script.replace("\\", "")  # the legend is a JS string literal
    return re.findall(r'data-no-data="false"><span class="legend-swatch"[^>]*></span>'
                      r'<span class="legend-label">([^<]*)<', script)


def test_manual_breaks_with_bad_text_give_a_clear_message() -> None:
    at = _map_page()
    at.selectbox(key="indicator").set_value("population").run()
    at.selectbox(key="scheme").set_value("manual").run()
    assert any("Chưa nhập ngưỡng nào" in i.value for i in at.info)  # no silent single class while empty
    at.text_input(key="breaks").set_value("2000; nhiều").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Ngưỡng thứ 2 (“nhiều”) không phải là số viết theo kiểu Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy "
        "trước phần thập phân, các ngưỡng cách nhau bởi “;”. Ví dụ: 2.000; 3.000; 4.500,5 Cho đến khi có ngưỡng "
        "hợp lệ, bản đồ dùng cách phân lớp phân vị."]
    at.text_input(key="breaks").set_value("3.000; 2.000").run()
    assert any("tăng dần" in e.value for e in at.error)


def test_manual_breaks_in_vietnamese_thousands_make_the_classes() -> None:
    at = _map_page()
    at.selectbox(key="indicator").set_value("population").run()  # numeric (the default map is a yes/no one)
    at.selectbox(key="scheme").set_value("manual").run()
    at.text_input(key="breaks").set_value("2.500; 4.000").run()
    assert not at.exception and not at.error
    values = at.dataframe[0].value
    assert list(values.columns) == ["Mã", "Đơn vị", "Giá trị", "Kỳ", "Nguồn"]
    assert _legend_labels(at) == ["1.041 – 2.500", "2.500 – 4.000", "4.000 – 7.967"]


def test_data_page_lists_values_and_the_contradiction() -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages/data.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "vi"
    at.run()
    assert not at.exception
    assert any("Tỷ lệ xã, thị trấn được thu gom" in w.value for w in at.warning)
    values = at.dataframe[0].value
    assert len(values) >= 190
    assert set(values["Tình trạng"]) == {"đã kiểm chứng", "chưa chắc chắn"}

"""Streamlit AppTest of the comparison choices: the period stepper on the map page, the
Compare periods page in its three modes, and the Compare 2024–2025 page on one scale (real data)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT

TIMEOUT = 90
VIETNAMESE_ONLY = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _page(name: str, lang: str = "vi") -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    return at.run()


def test_the_period_stepper_walks_through_the_periods() -> None:
    at = _page("map.py")
    at.selectbox(key="indicator").set_value("population").run()
    assert at.selectbox(key="period").value == "latest"
    assert at.button(key="period_step_1").disabled  # nothing after "latest"
    at.button(key="period_step_-1").click().run()
    assert at.selectbox(key="period").value == "2025"  # population: the newest period
    at.button(key="period_step_-1").click().run()
    assert at.selectbox(key="period").value == "2019"
    at.button(key="period_step_1").click().run()
    assert at.selectbox(key="period").value == "2025"
    assert not at.exception


def test_compare_periods_page_in_each_mode() -> None:
    at = _page("periods.py")
    assert not at.exception
    legend = next(m.value for m in at.markdown if "split-legend" in m.value)
    assert "(1999: " in legend and "2025: " in legend  # population: oldest and newest period by default
    at.radio(key="periods_mode").set_value("change").run()
    assert not at.exception
    assert at.radio(key="periods_change_mode").options == ["Chênh lệch tuyệt đối", "Phần trăm thay đổi"]
    at.radio(key="periods_mode").set_value("target").run()
    assert any("chưa có chỉ tiêu kế hoạch cấp xã" in i.value for i in at.info)  # no commune targets in the data
    at.radio(key="periods_mode").set_value("change").run()
    at.selectbox(key="periods_indicator").set_value("main_ethnic_group").run()
    assert any("dạng số" in i.value for i in at.info)


def test_compare_2024_2025_page_draws_one_legend_for_both_maps() -> None:
    at = _page("compare.py")
    assert not at.exception
    legends = [m.value for m in at.markdown if "split-legend" in m.value]
    assert len(legends) == 1 and "Ranh giới 2024: " in legends[0] and "Ranh giới 2025: " in legends[0]
    assert at.selectbox(key="compare_scheme").value == "quantiles"


def test_compare_periods_page_in_english() -> None:
    at = _page("periods.py", "en")
    assert not at.exception
    texts = [at.title[0].value, *(s.label for s in at.selectbox), *(r.label for r in at.radio),
             *(o for r in at.radio for o in r.options), *(c.value for c in at.caption),
             *(m.value for m in at.markdown)]
    leftovers = [t for t in texts if VIETNAMESE_ONLY.search(re.sub(r"<[^>]+>", "", t).replace("Mường Tè", "")
                                                            .replace("Lai Châu", ""))
                 and "Ranh giới" not in t]
    assert leftovers == []

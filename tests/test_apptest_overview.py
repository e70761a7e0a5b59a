"""Streamlit AppTest of the overview, profile and completeness pages (no browser)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from mutte_geo.core.formatting import format_quantity
from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.storage.auth import User
from mutte_geo.ui.appstate import value_store
from tests.test_auth import signed_in

TIMEOUT = 60


def _page(name: str, lang: str = "vi", **params: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_app_opens_on_the_overview() -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Chỉ tiêu năm 2025 – huyện Mường Tè"


def test_overview_lists_targets_grouped_by_the_report_headings() -> None:
    at = _page("overview.py")
    assert not at.exception
    assert [s.value for s in at.subheader] == [
        "Kinh tế", "Kết cấu hạ tầng", "Giáo dục", "Y tế", "Lao động, việc làm và giảm nghèo", "Văn hóa", "Môi trường",
        "Điểm không nhất quán trong báo cáo"]
    text = _markdown(at)
    assert "28,6 tỷ đồng" in text and "69 tỷ đồng" in text and "không so sánh (không rõ kỳ)" in text
    assert "5.375 tấn" in text and "17.860 tấn" in text and "không so sánh (kỳ khác nhau)" in text
    # every 2024 result of the report is an estimate ("ước thực hiện cả năm 2024")
    assert text.count('<span class="flag">ước</span>') == 29
    assert "24,08%" in text and "↓ Thấp hơn là tốt" in text  # stunting: lower is better
    assert text.count('class="badge status-behind"') == 13 + 1  # 13 rows, once in the status legend
    assert "▼ Chưa đạt chỉ tiêu 2025" in text and "tiến độ</span>" not in text
    assert text.count('class="badge status-not_comparable"') == 5 + 1
    assert "84,6% bằng 11/13" in text  # why the waste figures are not compared
    assert "03 xã đạt chuẩn nông thôn mới" in text and "1 xã (Thu Lũm)" in text  # NTM: both facts together
    assert [(m.label, m.value) for m in at.metric] == [
        ("Đã đạt chỉ tiêu 2025", "9/38"), ("Chưa đạt chỉ tiêu 2025", "13/38"), ("Không có dữ liệu", "9/38"),
        ("Kỳ khác nhau, không đánh giá", "1/38"), ("Không rõ kỳ, không đánh giá", "1/38"),
        ("Không so sánh trực tiếp được", "5/38")]
    assert any("2021-2026" in w.value for w in at.warning)  # the report's own inconsistencies


def test_overview_in_english() -> None:
    at = _page("overview.py", lang="en")
    assert not at.exception
    assert at.subheader[0].value == "Economy" and at.subheader[4].value == "Labour and poverty"
    text = _markdown(at)
    assert "28.6 billion VND" in text and "17,860 tonnes" in text and "0.7 per-mille points" in text
    assert "Not yet at the 2025 target" in text and "Already at the 2025 target" in text
    assert "Chưa đạt" not in text and "Behind" not in text


def test_profile_by_url_shows_unit_its_2025_commune_and_missing_indicators() -> None:
    at = _page("profile.py", unit="03448")
    assert not at.exception
    assert at.title[0].value == "Xã Pa Vệ Sủ"
    text = _markdown(at)
    assert "03448 (ranh giới 2024)" in text
    assert "**Từ 01/07/2025 thuộc:** Xã Bum Nưa (03466, ranh giới 2025)" in text
    assert "241,54 km²" in text  # area computed from the 2024 boundary
    # listed as missing, by group, for staff to collect
    assert "- **Kinh tế** (10): Thu nhập bình quân đầu người; Thu ngân sách nhà nước trên địa bàn;" in text
    missing = [s.value for s in at.subheader if s.value.startswith("Chỉ tiêu còn thiếu")]
    assert missing == ["Chỉ tiêu còn thiếu số liệu (53)"]
    table = at.dataframe[0].value
    assert "Không có dữ liệu" not in table["Giá trị"].head(8).tolist()  # values first, then the missing ones
    assert (table["Giá trị"] == "Không có dữ liệu").sum() == 53
    income = table[table["Chỉ tiêu"] == "Thu nhập bình quân đầu người"]
    assert income["Giá trị"].tolist() == ["Không có dữ liệu"]
    population = table[table["Chỉ tiêu"] == "Dân số"]
    assert population["Kỳ"].tolist() == ["2019", "2009", "1999"]  # newest first
    assert set(population["Tình trạng"]) == {"chưa chắc chắn"}
    assert at.selectbox[0].value == "03448"


def test_profile_in_english() -> None:
    at = _page("profile.py", lang="en", unit="03448")
    assert not at.exception
    assert at.title[0].value == "Pa Vệ Sủ commune"
    text = _markdown(at)
    assert "**From 2025-07-01 part of:** Bum Nưa commune (03466, 2025 boundaries)" in text
    assert "241.54 km²" in text
    assert "Indicators with no data (53)" in [s.value for s in at.subheader]


def test_profile_codes_are_read_with_their_vintage() -> None:
    at = _page("profile.py", unit="03433", vintage="2025")
    assert not at.exception
    assert at.title[0].value == "Xã Bum Tở"
    assert "Thị trấn Mường Tè, Xã Can Hồ, Xã Bum Tở" in _markdown(at)
    at = _page("profile.py", unit="03433", vintage="2024")
    assert at.title[0].value == "Thị trấn Mường Tè"


def test_profile_unknown_code_says_so_and_list_changes_the_url() -> None:
    # the message for a unit of another vintage: tests/test_viewstate.py and tests/test_e2e_viewstate.py
    at = _page("profile.py", unit="03448")
    at.selectbox[0].set_value("03439").run()
    assert at.title[0].value == "Xã Ka Lăng"
    assert at.query_params["unit"] == "03439" and at.query_params["vintage"] == "2024"


def test_profile_link_with_a_qualified_code_needs_no_vintage_parameter() -> None:
    at = _page("profile.py", unit="2025:03433")
    assert at.title[0].value == "Xã Bum Tở"
    at = _page("profile.py", unit="2024:03433")
    assert at.title[0].value == "Thị trấn Mường Tè"


def test_completeness_counts_real_cells() -> None:
    at = _page("completeness.py")
    assert not at.exception
    metrics = [m.value for m in at.metric]
    filled, cells = (int(n) for n in metrics[0].split("/"))
    # 61 indicators × 14 units hold 54 values (the plan's 2025 lists are targets, not counted); the
    # sensitive security_hotspot (14 cells, 3 named) is hidden from a visitor who has not signed in.
    assert (filled, cells) == (54 - 3, 60 * 14)
    assert metrics[1] == format_quantity(100 * filled / cells, "%", "vi", 1)
    grid = at.dataframe[0].value
    assert not grid["Chỉ tiêu"].str.startswith("Địa bàn an ninh trật tự").any()
    row = grid[grid["Chỉ tiêu"] == "Giáp biên giới Trung Quốc"]
    assert row["Số xã có số liệu"].tolist() == ["14/14"]
    assert row["Pa Vệ Sủ (03448)"].tolist() == ["●"]
    income = grid[grid["Chỉ tiêu"] == "Thu nhập bình quân đầu người"]
    assert income["Số xã có số liệu"].tolist() == ["1/14"] and income["Ka Lăng (03439)"].tolist() == ["●"]
    population = grid[grid["Chỉ tiêu"] == "Dân số"]
    assert population["Pa Vệ Sủ (03448)"].tolist() == ["◐"]  # only uncertain values


def test_completeness_counts_the_sensitive_layer_for_an_editor(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MUTTE_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    value_store.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "completeness.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "vi"
    at.session_state["user"] = signed_in(User("lan", "editor"))
    at.run()
    value_store.clear()
    assert not at.exception
    assert at.metric[0].value == f"54/{61 * 14}"  # with the security hotspots: 3 units named, the rest no data
    grid = at.dataframe[0].value
    assert grid.loc[grid["Chỉ tiêu"].str.startswith("Địa bàn an ninh trật tự"), "Số xã có số liệu"].tolist() == ["3/14"]

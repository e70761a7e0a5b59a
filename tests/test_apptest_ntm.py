"""Streamlit AppTest of the NTM tracker and the profile's NTM card over the public record alone."""

from __future__ import annotations

from tests.test_apptest_overview import _markdown, _page


def test_tracker_without_assessments_shows_only_the_public_record() -> None:
    at = _page("ntm.py")
    assert not at.exception
    assert at.title[0].value == "Theo dõi xây dựng nông thôn mới"
    assert any("mọi ô là “chưa đánh giá”" in i.value for i in at.info)
    text = _markdown(at)
    assert "**03 xã** đạt chuẩn nông thôn mới năm 2024; báo cáo không nêu tên các xã" in text
    assert "Xã Thu Lũm: công nhận đạt chuẩn năm 2021, chưa rõ số quyết định (nguồn chưa chắc chắn)" in text
    assert "công nhận mới 2 xã (Can Hồ, Ka Lăng)" in text  # the report's order
    assert [m.value for m in at.metric] == ["0/13", "0/13", "247"]  # 13 communes × 19 criteria, none assessed
    assert at.selectbox[0].options == [str(y) for y in range(2025, 2020, -1)]


def test_tracker_in_english_for_the_2025_communes() -> None:
    at = _page("ntm.py", lang="en", vintage="2025")
    assert not at.exception
    assert at.title[0].value == "New-rural-area (NTM) tracker"
    text = _markdown(at)
    assert "they inherit no “met” from the old communes" in text
    assert [m.value for m in at.metric] == ["0/8", "0/8", "80"]  # 8 communes × 10 criteria


def test_profile_card_shows_recognition_and_predecessors() -> None:
    recognised = _markdown(_page("profile.py", unit="2024:03436"))
    assert "Đạt chuẩn NTM: công nhận năm 2021 (chưa rõ số quyết định) — nguồn chưa chắc chắn" in recognised
    assert "Chưa có kết quả đánh giá tiêu chí nào: mọi tiêu chí “chưa đánh giá”." in recognised
    merged = _markdown(_page("profile.py", unit="2025:03439"))
    assert "- Xã Thu Lũm: đạt chuẩn NTM (công nhận năm 2021)\n- Xã Ka Lăng: chưa có đánh giá" in merged
    town = _page("profile.py", unit="2024:03433")
    assert any("Thị trấn: chương trình nông thôn mới chỉ áp dụng cho xã." in c.value for c in town.caption)

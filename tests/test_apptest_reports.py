"""The report buttons through Streamlit's AppTest: progress box, download only after a good choice."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT

TIMEOUT = 120


def _page(name: str, lang: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=TIMEOUT)
    for key, value in {"lang": lang, **query}.items():  # the view state reads the link
        at.query_params[key] = value
    return at.run()


def _downloads(at: AppTest) -> list[str]:
    return [b.label for b in at.get("download_button")]


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def test_overview_brief_in_english_shows_progress_then_the_download() -> None:
    at = _page("overview.py", "en")
    assert not at.exception
    name = "Download muongte_brief_2025_targets.pdf"
    assert name not in _downloads(at)  # nothing to download before the file is made
    _button(at, "Make the one-page brief (PDF)").click().run()
    assert not at.exception
    assert [s.label for s in at.get("status")] == ["Made muongte_brief_2025_targets.pdf"]
    assert name in _downloads(at)


def test_word_report_without_an_indicator_says_so_and_offers_no_file() -> None:
    at = _page("map.py", "vi")
    key = "export_docx_2024"
    at.multiselect(key=key).set_value([]).run()
    assert not at.exception
    assert any(i.value == "Chọn ít nhất một chỉ tiêu để tạo báo cáo Word." for i in at.info)
    assert "Tạo báo cáo Word" not in [b.label for b in at.button]


def test_profile_of_a_2025_commune_makes_its_atlas_page() -> None:
    at = _page("profile.py", "en", unit="2025:03433", vintage="2025")
    assert not at.exception
    _button(at, "Make this unit's atlas page (PDF)").click().run()
    assert not at.exception
    assert [s.label for s in at.get("status")] == ["Made muongte_v2025_03433_atlas.pdf"]
    assert "Download muongte_v2025_03433_atlas.pdf" in _downloads(at)

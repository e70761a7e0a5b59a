"""Every page rendered in each language (AppTest, no browser): no string of the other language and no
raw indicator id reaches the reader.

What is checked: titles, headers, texts, captions, alerts, metrics, widget labels and options,
table headers and cells. Left out, because they are content rather than interface: the source and
note columns and notes (the source's own wording), the boundary attribution lines (a citation to be
shown verbatim) and quoted report wording; proper names (units, the district, the province, ethnic
groups) are removed before the check.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.model.atlas import Atlas
from mutte_geo.storage.auth import User

from .test_auth import signed_in, temp_store  # noqa: F401  (fixture)

TIMEOUT = 90
PAGES = ["../app.py", *sorted(p.name for p in (PROJECT_ROOT / "pages").glob("*.py"))]  # app.py: the sidebar
BILINGUAL = {"Ngôn ngữ / Language", "Tiếng Việt", "English"}  # the language switch names both, on purpose
ADMIN = User("test_admin", "admin", "Người thử nghiệm")  # TEST DATA: an account that exists only in this test
CONTENT_COLUMNS = {"Nguồn", "Source", "Ghi chú", "Note", "Notes", "Tệp", "File", "Tệp, dòng", "File, row",
                   "Lý do (tiếng Anh)", "Reason (Vietnamese)", "Gồm (2024)", "Formed from (2024)",
                   "Vị trí trong nguồn", "Where in the source"}
ID_COLUMNS = {"Mã chỉ tiêu (dùng khi nhập tệp)", "Indicator id (for import files)"}
PROPER_NAMES = ("Mường Tè", "Lai Châu", "Hà Nhì", "La Hủ", "Hà Nội", "Việt Nam", "Người thử nghiệm",
                "Times New Roman")
QUOTED = re.compile(r"'[^']*'|“[^”]*”|«[^»]*»|\"[^\"]*\"")
# Words that only the other language uses (whole words, any case).
ENGLISH = re.compile(r"\b(the|and|of|with|new|changed|unchanged|bundled|data|value|values|yes|no|edit|import|"
                     r"seed|numeric|percentage|indicator|indicators|unit|units|commune|communes|town|source|"
                     r"period|target|estimate|actual|latest|download|revision|undated|vintage|none|some|"
                     r"all|not|named|list|map)\b|(?<!\w)n\.d\.(?!\w)", re.IGNORECASE)
VIETNAMESE = re.compile(r"(?<!\w)(không|của|các|và|chỉ tiêu|số liệu|dữ liệu|đơn vị|giá trị|nguồn|thực hiện|ước|"
                        r"thị trấn|huyện|tỉnh|bản đồ|mới nhất|chưa|được|năm|tháng|trong|với|là|xã|kỳ|tải)(?!\w)",
                        re.IGNORECASE)


def _strings(at: AppTest) -> list[str]:
    """The user-visible strings of a rendered page (see the module docstring for what is left out)."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "exception"):
        for element in getattr(at, kind):
            text = re.sub(r'<span class="note">.*?</span>', "", str(element.value), flags=re.S)
            out.append(html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.S)))
    for metric in at.metric:
        out += [metric.label, str(metric.value)]
    for kind in ("button", "checkbox", "toggle", "text_input", "number_input", "text_area", "date_input",
                 "slider", "select_slider", "color_picker"):
        out += [w.label for w in getattr(at, kind)]
    for kind in ("selectbox", "radio", "multiselect"):
        for widget in getattr(at, kind):
            out += [widget.label, *map(str, widget.options)]
    out += [e.proto.label for e in at.get("download_button")]
    out += [e.proto.label for e in at.get("expander")]
    out += [t.label for t in at.tabs]
    for frame in at.dataframe:
        table = frame.value
        if not isinstance(table, pd.DataFrame):
            continue
        config = json.loads(frame.proto.columns or "{}")  # what the reader sees: labels, hidden columns
        for column in table.columns:
            shown = config.get(str(column), {})
            if shown.get("hidden"):
                continue
            header = shown.get("label") or str(column)
            out.append(header)
            if header in CONTENT_COLUMNS | ID_COLUMNS:
                continue
            out += [str(v) for v in table[column].dropna().unique()]
    return [s for s in out if s]


def _clean(text: str, names: tuple[str, ...]) -> str:
    text = QUOTED.sub(" ", text)
    text = re.sub(r"\S+/\S+|\S+\.(csv|xlsx|json|geojson|gpkg|png|pdf|svg|zip|html|docx)\b", " ", text)  # files
    for name in names:
        text = text.replace(name, " ")
    return text


@pytest.fixture(scope="module")
def names(atlas: Atlas) -> tuple[str, ...]:
    units = {u.name_vi for vintage in atlas.units.values() for u in vintage.values()}
    units |= {u.name_gso for vintage in atlas.units.values() for u in vintage.values()}
    return tuple(sorted(units | set(PROPER_NAMES), key=len, reverse=True))


@pytest.fixture(scope="module")
def ids(atlas: Atlas) -> re.Pattern[str]:
    with_underscore = [i for i in atlas.catalogue if "_" in i]
    return re.compile(r"\b(" + "|".join(map(re.escape, with_underscore)) + r")\b")


def leaks(strings: list[str], lang: str, names: tuple[str, ...], citations: set[str]) -> list[str]:
    """The strings that hold words of the other language (after names, quotes and citations are removed)."""
    other = ENGLISH if lang == "vi" else VIETNAMESE
    found = []
    for text in strings:
        if text in BILINGUAL:
            continue
        cleaned = text
        for line in citations:
            cleaned = cleaned.replace(line, " ")
        if other.search(_clean(cleaned, names)):
            found.append(text)
    return found


def test_the_check_finds_the_leaks_seen_before(names: tuple[str, ...], ids: re.Pattern[str]) -> None:
    """The strings the review found on the pages before this check existed are caught."""
    seen_vi = ["0 new, 1 changed", "bundled report data", "edit", "import", "seed", "yes", "no", "n.d.", "numeric",
               "percentage", "Cột: value"]
    assert leaks(seen_vi, "vi", names, set()) == seen_vi
    assert leaks(["Không có dữ liệu", "Huyện Mường Tè", "Pa Ủ commune"], "en", names, set()) == [
        "Không có dữ liệu", "Huyện Mường Tè"]
    assert ids.search("poverty_rate") and not ids.search("Tỷ lệ hộ nghèo")


def test_no_label_repeats_itself(atlas: Atlas) -> None:
    from mutte_geo.ui.mappage import indicator_label

    assert indicator_label(atlas, "population", 2024, "en") == "Population"  # not "Population · Population"
    assert indicator_label(atlas, "poverty_rate", 2024, "en") == "Poor-household rate · Labour and poverty"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.usefixtures("temp_store")
def test_every_page_speaks_one_language(page: str, lang: str, atlas: Atlas, names: tuple[str, ...],
                                        ids: re.Pattern[str]) -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / page), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.session_state["user"] = signed_in(ADMIN)  # staff pages too, as an account of a temporary store
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    strings = _strings(at) + [s for s in (getattr(e, "label", "") for e in at.sidebar) if s]
    assert len(strings) >= 2  # the page rendered (at least a title and a text)
    citations = set(atlas.attribution(2024)) | set(atlas.attribution(2025))
    found = leaks(strings, lang, names, citations)
    assert found == [], f"{page} ({lang}): strings of the other language: {found}"
    raw = [s for s in strings if ids.search(s)]
    assert raw == [], f"{page} ({lang}): raw indicator ids: {raw}"

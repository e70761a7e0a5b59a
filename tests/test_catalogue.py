"""The Vietnamese message catalogue: complete, in sync with the code, placeholders kept."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from mutte_geo.core.i18n import CATALOGUE_PATH, gettext, pgettext, vietnamese_catalogue
from mutte_geo.core.paths import PROJECT_ROOT

# The same keywords as `make messages`: gettext(lang, msgid), pgettext(lang, context, msgid), N_(msgid).
KEYWORDS = parse_keywords(["gettext:2", "pgettext:2c,3", "N_"])
Key = tuple[str | None, str]


def extracted() -> dict[Key, list[str]]:
    """(context, msgid) -> where, as `pybabel extract -F babel.cfg` finds them."""
    with (PROJECT_ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[Key, list[str]] = {}
    for filename, lineno, message, _, context in extract_from_dir(
            PROJECT_ROOT, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        assert isinstance(message, str), f"{filename}:{lineno}: plural messages are not used"
        found.setdefault((context, message), []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def code_messages() -> dict[Key, list[str]]:
    return extracted()


@pytest.fixture(scope="module")
def catalogue_entries() -> dict[Key, tuple[str, bool]]:
    with CATALOGUE_PATH.open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    return {(m.context, m.id): (m.string, m.fuzzy) for m in catalogue if m.id}  # type: ignore[misc]


def fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_every_text_of_the_code_has_a_vietnamese_translation(code_messages: dict[Key, list[str]],
                                                             catalogue_entries: dict[Key, tuple[str, bool]]) -> None:
    missing = {key: where for key, where in code_messages.items()
               if key not in catalogue_entries or not catalogue_entries[key][0] or catalogue_entries[key][1]}
    assert not missing, f"not translated (run `make messages`, then fill msgstr): {missing}"


def test_the_catalogue_holds_no_text_the_code_does_not_use(code_messages: dict[Key, list[str]],
                                                           catalogue_entries: dict[Key, tuple[str, bool]]) -> None:
    assert set(catalogue_entries) - set(code_messages) == set()


def test_placeholders_are_the_same_in_both_languages(catalogue_entries: dict[Key, tuple[str, bool]]) -> None:
    differ = {key: text for key, (text, _) in catalogue_entries.items() if fields(key[1]) != fields(text)}
    assert not differ


def test_extraction_finds_all_three_forms(tmp_path: Path) -> None:
    (tmp_path / "babel.cfg").write_text((PROJECT_ROOT / "babel.cfg").read_text().split("\n\n")[0]
                                        + "\n\n[python_ast: **.py]\n")
    (tmp_path / "sample.py").write_text(
        'a = gettext(lang, "{n} communes").format(n=3)\nb = pgettext(lang, "profile", "Unit")\nc = N_("Map")\n'
        'd = tr(lang, "Bản đồ", "Map")\ne = f"<b>{gettext(lang, \'Legend\')}</b>"\nf = gettext(lang, name)\n')
    with (tmp_path / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {(context, message) for _, _, message, _, context in
             extract_from_dir(tmp_path, method_map, options_map, keywords=KEYWORDS)}
    assert found == {(None, "{n} communes"), ("profile", "Unit"), (None, "Map"), (None, "Legend")}


def test_texts_are_looked_up_by_their_english_msgid() -> None:
    assert gettext("vi", "waiting for approval") == "chờ duyệt"
    assert gettext("en", "waiting for approval") == "waiting for approval"
    assert gettext("vi", "a text nobody translated") == "a text nobody translated"
    assert vietnamese_catalogue()[(None, "returned")] == "bị trả lại"


def test_a_context_keeps_two_translations_of_one_english_text(tmp_path: Path) -> None:
    po = tmp_path / "messages.po"
    po.write_text('msgid "Unit"\nmsgstr "Đơn vị"\n\nmsgctxt "datapage"\nmsgid "Unit"\nmsgstr "Đơn vị tính"\n\n'
                  '#, fuzzy\nmsgid "Map"\nmsgstr "Bản đồ"\n', encoding="utf-8")
    assert vietnamese_catalogue(po) == {(None, "Unit"): "Đơn vị", ("datapage", "Unit"): "Đơn vị tính"}
    assert pgettext("en", "datapage", "Unit") == "Unit"

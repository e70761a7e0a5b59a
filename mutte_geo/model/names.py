"""Match the unit names people type to official codes: diacritics, prefixes, case and spellings.

Names are folded (NFD, marks removed, đ → d, lower case, punctuation to spaces) and matched against
the district's spelling, the statistics office's spelling and the ASCII name of every unit of one
vintage. A name that fits more than one unit is refused, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mutte_geo.model.units import DISTRICT_CODE, TOWN_TYPE, Unit, normalise_code

# Folded prefixes and the unit type they name (None: the district).
_PREFIXES: tuple[tuple[str, str | None], ...] = (
    ("thi tran", TOWN_TYPE), ("tt", TOWN_TYPE), ("xa", "xã"), ("huyen", None),
)
# Extra spellings seen in other sources (folded), by the folded official name they stand for.
_VARIANTS = {"kan ho": "can ho"}
# The total row of an office sheet is the district figure.
_DISTRICT_TOTALS = {"toan huyen", "tong cong", "tong so", "cong"}


def fold(text: str) -> str:
    """A name without diacritics, case, punctuation or extra spaces.

    >>> fold("  Pa Vệ Sử ")
    'pa ve su'
    >>> fold("TT. Mường Tè") == fold("tt muong te")
    True
    """
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain.lower()).split())


def _split_prefix(folded: str) -> tuple[str | None | bool, str]:
    """(unit type named by the prefix, rest); ``False`` as type when there is no prefix."""
    for prefix, unit_type in _PREFIXES:
        if folded.startswith(prefix + " "):
            return unit_type, folded[len(prefix) + 1:]
    return False, folded


@dataclass(frozen=True)
class NameMatch:
    """The outcome of matching one name: a code, or the reason it cannot be matched."""

    code: str | None
    reason_vi: str = ""
    reason_en: str = ""


def match_unit(text: str, units: dict[str, Unit], *, allow_district: bool = True) -> NameMatch:
    """The official code for a code or name written in ``text``, among ``units`` (one vintage).

    A 4-digit code gets back its leading zero. ``107``, "Huyện Mường Tè" or a total row ("Toàn huyện",
    "Tổng cộng") is the district.
    """
    raw = unicodedata.normalize("NFC", text).strip()
    if re.fullmatch(r"\d{1,5}", raw):
        code = normalise_code(raw)
        if code in units or (allow_district and code == DISTRICT_CODE):
            return NameMatch(code)
        return NameMatch(None, f"mã đơn vị '{raw}' không có trong danh mục",
                         f"unit code '{raw}' is not a known unit code")
    folded = fold(raw)
    if not folded:
        return NameMatch(None, "thiếu tên hoặc mã đơn vị", "the unit name or code is empty")
    if folded in _DISTRICT_TOTALS:
        unit_type, name = None, "muong te"
    else:
        unit_type, name = _split_prefix(folded)
        name = _VARIANTS.get(name, name)
    if unit_type is None:
        if allow_district and name == "muong te":
            return NameMatch(DISTRICT_CODE)
        return NameMatch(None, f"'{raw}' không phải là đơn vị cấp xã trong huyện",
                         f"'{raw}' is not a commune-level unit of the district")
    candidates = [u for u in units.values()
                  if name in {fold(u.name_vi), fold(u.name_gso), fold(u.name_ascii)} - {""}
                  and (unit_type is False or u.unit_type == unit_type)]
    if len(candidates) == 1:
        return NameMatch(candidates[0].code)
    if not candidates:
        return NameMatch(None, f"không tìm thấy đơn vị tên '{raw}'; hãy dùng mã 5 chữ số",
                         f"no unit is named '{raw}'; use the 5-digit code")
    options_vi = ", ".join(f"{u.label('vi')} ({u.code})" for u in candidates)
    options_en = ", ".join(f"{u.label('en')} ({u.code})" for u in candidates)
    return NameMatch(None, f"tên '{raw}' không rõ là đơn vị nào: {options_vi}; ghi rõ 'Thị trấn'/'Xã' hoặc dùng mã",
                     f"the name '{raw}' is ambiguous: {options_en}; write 'Thị trấn'/'Xã' or use the code")


def search_units(text: str, units: dict[str, Unit]) -> list[str]:
    """Codes of the units whose name (with or without diacritics, prefix optional) contains ``text``:
    an exact name first, then names starting with it, then any other containing it.

    >>> from mutte_geo.model.units import load_units
    >>> units = load_units(2024)
    >>> [units[c].name_vi for c in search_units("pa ve su", units)]
    ['Pa Vệ Sủ']
    >>> search_units("TT Muong Te", units)
    ['03433']
    """
    unit_type, query = _split_prefix(fold(text))
    query = _VARIANTS.get(query, query)
    if not query:
        return []
    ranked = []
    for unit in units.values():
        if unit_type is not False and unit.unit_type != unit_type:
            continue
        names = {fold(unit.name_vi), fold(unit.name_gso), fold(unit.name_ascii)} - {""}
        if query in names:
            ranked.append((0, unit.code))
        elif any(n.startswith(query) for n in names):
            ranked.append((1, unit.code))
        elif any(query in n for n in names):
            ranked.append((2, unit.code))
    return [code for _, code in sorted(ranked)]

"""Official commune-level units of both boundary vintages, keyed by 5-digit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mutte_geo.core.errors import DataFileError
from mutte_geo.core.paths import REFERENCE_DIR

VINTAGES = (2024, 2025)
DISTRICT_CODE = "107"
DISTRICT_NAME = "Huyện Mường Tè"
TOWN_TYPE = "thị trấn"
WARD_TYPE = "phường"


@dataclass(frozen=True)
class Unit:
    """A commune-level unit of one vintage. ``code`` alone is ambiguous across vintages."""

    vintage: int
    code: str
    name_vi: str
    unit_type: str
    name_ascii: str
    name_gso: str
    successor_code: str | None
    predecessors: str

    def label(self, lang: str) -> str:
        """Full name with its type: 'Thị trấn Mường Tè' / 'Mường Tè town'."""
        if lang == "vi":
            return f"{self.unit_type.capitalize()} {self.name_vi}"
        return f"{self.name_vi} {self.type_label(lang)}"

    def type_label(self, lang: str) -> str:
        """'xã' / 'commune'; a town (thị trấn) and a ward (phường) have their own words."""
        if lang == "vi":
            return self.unit_type
        return {TOWN_TYPE: "town", WARD_TYPE: "ward"}.get(self.unit_type, "commune")


def map_label(unit: Unit, units: dict[str, Unit], lang: str) -> str:
    """The short name written on a map: the town is "TT. Mường Tè" and a commune that shares its name
    with another unit of the vintage is "xã Mường Tè", so no two units ever carry the same label.

    >>> town = Unit(2024, "03433", "Mường Tè", "thị trấn", "", "", None, "")
    >>> commune = Unit(2024, "03445", "Mường Tè", "xã", "", "", None, "")
    >>> both = {"03433": town, "03445": commune}
    >>> map_label(town, both, "vi"), map_label(commune, both, "vi"), map_label(commune, both, "en")
    ('TT. Mường Tè', 'xã Mường Tè', 'Mường Tè (commune)')
    """
    name = unit.name_vi
    if unit.unit_type == TOWN_TYPE:
        return f"TT. {name}" if lang == "vi" else f"{name} (town)"
    if any(other.code != unit.code and other.name_vi == name for other in units.values()):
        return f"xã {name}" if lang == "vi" else f"{name} (commune)"
    return name


def load_units(vintage: int, reference_dir: Path = REFERENCE_DIR) -> dict[str, Unit]:
    """The official units of ``vintage`` from the installed reference tables."""
    if vintage not in VINTAGES:
        raise ValueError(f"Unknown vintage {vintage}: choose one of {VINTAGES}")
    path = reference_dir / f"units_{vintage}.csv"
    if not path.is_file():
        raise DataFileError(f"{path} is missing: run `make data` to install the reference tables.")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    units = {}
    for row in table.to_dict("records"):
        if vintage == 2024:
            unit = Unit(2024, row["gso_code"], row["name_vi"], row["unit_type"], row["name_ascii"],
                        row["name_gso"], row["unit_2025_code"], "")
        else:
            unit = Unit(2025, row["gso_code"], row["name_vi"], row["unit_type"], "",
                        row["name_vi"], None, row["formed_from_2024"])
        units[unit.code] = unit
    return units


def normalise_code(text: str) -> str:
    """A unit code as typed, pasted or read from a file: trimmed, and a 4-digit code (a spreadsheet
    dropped its leading zero) back to 5 digits. Anything else is left as written, so the district's
    ``107`` stays ``107`` and an unknown code is reported as the user wrote it.

    >>> normalise_code(" 3448"), normalise_code("03448"), normalise_code("107"), normalise_code("Pa Ủ")
    ('03448', '03448', '107', 'Pa Ủ')
    """
    text = text.strip()
    return "0" + text if len(text) == 4 and text.isdigit() else text


def qualified_code(vintage: int, code: str) -> str:
    """A unit code qualified by its boundary vintage, for storage, URLs and exports.

    >>> qualified_code(2024, "03433"), qualified_code(2025, "03433")
    ('2024:03433', '2025:03433')
    """
    if vintage not in VINTAGES:
        raise ValueError(f"Unknown vintage {vintage}: choose one of {VINTAGES}")
    return f"{vintage}:{code}"


def parse_qualified_code(text: str) -> tuple[int, str]:
    """Split ``'2025:03433'`` into ``(2025, '03433')``; a bare code is refused as ambiguous.

    >>> parse_qualified_code(" 2024:3433 ")
    (2024, '03433')
    >>> parse_qualified_code("03433")
    Traceback (most recent call last):
    ...
    ValueError: '03433' is not vintage-qualified: write 2024:03433 or 2025:03433
    """
    text = text.strip()
    vintage_text, sep, code = text.partition(":")
    if not sep:
        raise ValueError(f"'{text}' is not vintage-qualified: write 2024:{text} or 2025:{text}")
    code = normalise_code(code)
    if not (vintage_text.strip().isdigit() and int(vintage_text) in VINTAGES):
        raise ValueError(f"'{text}': vintage must be one of {VINTAGES}")
    if not code.isdigit() or len(code) > 5:
        raise ValueError(f"'{text}': the code must be up to 5 digits")
    return int(vintage_text), code

"""The 2024 → 2025 crosswalk: which 2025 commune each of the 14 units of 2024 became part of.

The links come from the reference table ``units_2024.csv`` (column ``unit_2025_code``) and are
checked against both boundary layers before anything uses them: every 2024 unit must lie inside
its 2025 commune, and every 2025 commune must be made of 2024 units, except for the part of a
commune that lies outside the former district (Hua Bum, which also took in a commune of Nậm Nhùn).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from mutte_geo.core.errors import Problem, ValidationError
from mutte_geo.core.paths import REFERENCE_DIR
from mutte_geo.model.boundaries import DISTRICT_LAEA
from mutte_geo.model.units import Unit, normalise_code, qualified_code

CROSSWALK_FILE = "units_2024.csv"
# Share of a unit's area that may fall outside its 2025 commune (edge noise between the two layers).
NEST_TOLERANCE = 0.01


@dataclass(frozen=True)
class Crosswalk:
    """Validated links from 2024 codes to 2025 codes, with how much of each 2025 commune they cover.

    ``coverage`` is the share (0–1) of each 2025 commune's area covered by its 2024 units; a commune
    with coverage below ``1 - NEST_TOLERANCE`` reaches outside the former district.
    """

    links: dict[str, str]
    coverage: dict[str, float]

    def successor(self, code_2024: str) -> str:
        return self.links[code_2024]

    def predecessors(self, code_2025: str) -> list[str]:
        """2024 codes that merged into ``code_2025``, in code order."""
        return sorted(c for c, s in self.links.items() if s == code_2025)

    def reaches_outside(self, code_2025: str) -> bool:
        """True when part of the commune was never one of the 2024 units (data for it is missing)."""
        return self.coverage.get(code_2025, 0.0) < 1 - NEST_TOLERANCE

    def table(self, units_2024: dict[str, Unit], units_2025: dict[str, Unit], lang: str) -> pd.DataFrame:
        """One row per 2024 unit, with vintage-qualified codes (for display and export)."""
        from mutte_geo.core.i18n import format_number, gettext

        rows = []
        for code, successor in sorted(self.links.items(), key=lambda kv: (kv[1], kv[0])):
            rows.append({
                gettext(lang, "Code 2024"): qualified_code(2024, code),
                gettext(lang, "Unit 2024"): units_2024[code].label(lang),
                gettext(lang, "Code 2025"): qualified_code(2025, successor),
                gettext(lang, "Commune 2025"): units_2025[successor].label(lang),
                gettext(lang, "Share of the 2025 commune in the old district"):
                    format_number(100 * self.coverage[successor], lang, 1) + "%",
            })
        return pd.DataFrame.from_records(rows)


def read_links(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read ``gso_code → unit_2025_code`` from a crosswalk table; problems are returned, not raised."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    problems: list[Problem] = []
    for column in ("gso_code", "unit_2025_code"):
        if column not in table.columns:
            problems.append(Problem(path.name, 1, column, "thiếu cột bắt buộc", "required column is missing"))
    if problems:
        return {}, problems
    links: dict[str, str] = {}
    for row_no, row in enumerate(table.to_dict("records"), start=2):
        code, successor = normalise_code(row["gso_code"]), normalise_code(row["unit_2025_code"])
        if code in links:
            problems.append(Problem(path.name, row_no, "gso_code", f"mã {code} xuất hiện hai lần",
                                    f"code {code} appears twice"))
            continue
        if not successor:
            problems.append(Problem(path.name, row_no, "unit_2025_code", f"đơn vị {code} chưa có xã 2025",
                                    f"unit {code} has no 2025 commune"))
            continue
        links[code] = successor
    return links, problems


def validate_crosswalk(
    links: dict[str, str],
    *,
    units_2024: dict[str, Unit],
    units_2025: dict[str, Unit],
    layer_2024: gpd.GeoDataFrame,
    layer_2025: gpd.GeoDataFrame,
    file: str = CROSSWALK_FILE,
    tolerance: float = NEST_TOLERANCE,
    extra_problems: list[Problem] | None = None,
) -> Crosswalk:
    """Check ``links`` against the two boundary layers; raise ValidationError listing every problem.

    Refused: a 2024 code that is not a 2024 unit, a 2024 unit without a link, a link to a code that is
    not a 2025 commune, a unit that does not nest (area share ≥ ``1 - tolerance``) inside its commune,
    and a 2025 commune of the layer that overlaps the former district but no unit links to.
    """
    problems = list(extra_problems or [])

    def bad(code: str, column: str, vi: str, en: str) -> None:
        problems.append(Problem(file, None, column, f"{qualified_code(2024, code)}: {vi}",
                                f"{qualified_code(2024, code)}: {en}"))

    old = layer_2024.geometry.to_crs(DISTRICT_LAEA)
    new = layer_2025.geometry.to_crs(DISTRICT_LAEA)
    for code in sorted(set(links) - set(units_2024)):
        bad(code, "gso_code", "không phải đơn vị năm 2024", "is not a 2024 unit")
    for code in sorted(set(units_2024) - set(links)):
        bad(code, "unit_2025_code", f"{units_2024[code].name_vi} không có trong bảng chuyển đổi",
            f"{units_2024[code].name_vi} is missing from the crosswalk")
    for code, successor in sorted(links.items()):
        if code not in units_2024:
            continue
        if successor not in units_2025:
            bad(code, "unit_2025_code", f"mã xã 2025 '{successor}' không tồn tại",
                f"2025 commune code '{successor}' does not exist")
            continue
        if code not in old.index or successor not in new.index:
            continue
        shape = old.loc[code]
        share = shape.intersection(new.loc[successor]).area / shape.area
        if share < 1 - tolerance:
            where = _largest_overlap(shape, new)
            bad(code, "unit_2025_code",
                f"{units_2024[code].name_vi} chỉ có {share:.0%} diện tích nằm trong xã {units_2025[successor].name_vi} "
                f"({qualified_code(2025, successor)}); phần lớn nằm trong {qualified_code(2025, where)}",
                f"only {share:.0%} of {units_2024[code].name_vi} lies inside {units_2025[successor].name_vi} "
                f"({qualified_code(2025, successor)}); most of it lies in {qualified_code(2025, where)}")
    district = shapely.union_all(old.values)
    coverage: dict[str, float] = {}
    for successor, shape in new.items():
        members = [old.loc[c] for c, s in links.items() if s == successor and c in old.index]
        covered = shapely.union_all(members).intersection(shape).area if members else 0.0
        coverage[str(successor)] = covered / shape.area
        if not members and shape.intersection(district).area / shape.area >= tolerance:
            problems.append(Problem(
                file, None, "unit_2025_code",
                f"{qualified_code(2025, str(successor))} {units_2025[str(successor)].name_vi} nằm trong huyện cũ "
                "nhưng không đơn vị 2024 nào chuyển vào",
                f"{qualified_code(2025, str(successor))} {units_2025[str(successor)].name_vi} lies in the former "
                "district but no 2024 unit links to it"))
    if problems:
        raise ValidationError(problems)
    return Crosswalk(dict(links), coverage)


def _largest_overlap(shape: shapely.Geometry, layer: gpd.GeoSeries) -> str:
    shares = layer.intersection(shape).area
    return str(shares.idxmax())


def load_crosswalk(
    units_2024: dict[str, Unit],
    units_2025: dict[str, Unit],
    layer_2024: gpd.GeoDataFrame,
    layer_2025: gpd.GeoDataFrame,
    reference_dir: Path = REFERENCE_DIR,
) -> Crosswalk:
    """The installed crosswalk (``units_2024.csv``), validated against both boundary layers."""
    path = reference_dir / CROSSWALK_FILE
    links, problems = read_links(path)
    return validate_crosswalk(links, units_2024=units_2024, units_2025=units_2025, layer_2024=layer_2024,
                              layer_2025=layer_2025, file=path.name, tolerance=NEST_TOLERANCE,
                              extra_problems=problems)


OUTSIDE_MARK = " ↗"


def mark_reaching_outside(
    joined: gpd.GeoDataFrame, crosswalk: Crosswalk, units: dict[int, dict[str, Unit]], lang: str
) -> tuple[gpd.GeoDataFrame, list[tuple[str, str]]]:
    """Mark 2025 communes that reach outside the former district (map label, tooltip) and explain it.

    Returns the marked copy of ``joined`` (columns ``code, name, label``) and legend notes (vi, en).
    """
    from mutte_geo.core.i18n import format_number, gettext

    outside = [c for c in joined["code"] if crosswalk.reaches_outside(c)]
    if not outside:
        return joined, []
    joined = joined.copy()
    mask = joined["code"].isin(outside)
    joined.loc[mask, "name"] = joined.loc[mask, "name"] + OUTSIDE_MARK
    joined.loc[mask, "label"] = joined.loc[mask, "label"] + gettext(lang, " (reaches outside the former Mường Tè "
                                                                          "district)")
    notes = []
    for code in outside:
        parts = ", ".join(f"{units[2024][c].name_vi} {qualified_code(2024, c)}" for c in crosswalk.predecessors(code))
        share_vi, share_en = (format_number(100 * crosswalk.coverage[code], x, 0) for x in ("vi", "en"))
        name = units[2025][code].name_vi
        notes.append((
            f"{OUTSIDE_MARK.strip()} {name}: chỉ khoảng {share_vi}% diện tích thuộc huyện Mường Tè cũ "
            f"({parts}); phần còn lại thuộc huyện khác, không có số liệu của huyện.",
            f"{OUTSIDE_MARK.strip()} {name}: only about {share_en}% of its area was in the former Mường Tè "
            f"district ({parts}); the rest was in another district and has no data here.",
        ))
    return joined, notes

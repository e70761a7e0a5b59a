"""Move indicator values of the 14 units of 2024 onto the 2025 communes, by the catalogue's rules.

The rule of each indicator is its catalogue ``aggregation`` (``weight`` names the weighting indicator):

- ``sum`` (counts, areas, lengths): the sum, only when every former unit has a value for the same
  period and kind; otherwise nothing is shown (a missing value is never read as 0).
- ``weighted_mean`` (rates, percentages, per-capita figures): the mean weighted by ``weight`` (e.g.
  population, households) of the same unit, period and kind, only when value and weight are known for
  every former unit.
- ``flag`` (yes/no): ``all`` / ``some`` / ``none`` of the former units. A "yes" anywhere gives at least
  ``some``; ``none`` and ``all`` need every former unit known.
- ``list`` (categories): the distinct categories of the former units (joined by ``+``), only when every
  former unit has one for the same period and kind.
- ``none``: not moved.

Catalogue decisions (``catalogue.csv``): counts *of communes* (``commune_units``, ``border_communes``,
``ntm_communes``, ``ntm_new_communes``, ``health_standard_communes``, ``waste_collection_units``) do not
add up when units merge (two border units make one border commune), so their rule is ``none``.
``border_length_china`` stays ``sum``: the border segments of neighbouring units do not overlap, so the
merged commune's border is the sum of its parts — but a unit without a recorded length blocks the sum,
it is never taken as 0 km. Shares of villages are weighted by ``villages``, shares of households by
``households``, per-person rates by ``population``; rates without a known denominator (enrolment,
urban/rural water, child nutrition, trained labour, growth rates) stay ``none``.

A value keyed to a 2024 code can describe an older boundary (the 2009 census figure of Bum Nưa includes
the later Vàng San): the source notes are carried into the derived note and the status stays UNCERTAIN.

A commune that reaches outside the former district (Hua Bum, of which Vàng San is only a part) has
parts without data: its sums, means and lists are never shown, and a flag becomes at most ``some``.
Every derived row names its sources in ``derived_from`` (vintage-qualified codes and names) and says
how it was made in ``note``; official 2025 values for the same unit, indicator, period and kind win.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from mutte_geo.core.errors import Problem, ValidationError
from mutte_geo.core.i18n import N_, gettext
from mutte_geo.model.catalogue import Catalogue, Indicator
from mutte_geo.model.crosswalk import Crosswalk
from mutte_geo.model.indicators import COLUMNS
from mutte_geo.model.units import DISTRICT_CODE, Unit, qualified_code

DERIVED_FILE = "derived 2024→2025 (units_2024.csv)"
DERIVED_COLUMN = "derived_from"
FLAG_LEVELS = {
    "all": N_("All of the former units"),
    "some": N_("At least one of the former units"),
    "none": N_("None of the former units"),
}
LIST_SEPARATOR = "+"
_KEY = ["vintage", "unit_code", "indicator", "period", "kind"]
_RULE_TEXT = {
    "sum": "Tổng của",
    "weighted_mean": "Bình quân gia quyền (trọng số: {weight}) của",
    "flag": "Gộp có/không của",
    "list": "Liệt kê phân loại của",
}


@dataclass(frozen=True)
class Derived:
    """One derived value: its text, number (NaN for flags and lists) and the rows it was made from."""

    value: str
    number: float
    used: list[str]


def derive_values(
    values: pd.DataFrame, catalogue: Catalogue, crosswalk: Crosswalk, units_2024: dict[str, Unit]
) -> pd.DataFrame:
    """Vintage-2025 rows derived from the vintage-2024 commune rows of ``values``.

    Returns the long format (``COLUMNS`` + number, file, row) plus ``derived_from``.
    """
    bad = [ind for ind in catalogue.values() if ind.aggregation == "weighted_mean" and ind.weight not in catalogue]
    if bad:
        raise ValidationError([Problem("catalogue.csv", None, "weight", f"{ind.id}: trọng số '{ind.weight}' không có "
                                       "trong danh mục", f"{ind.id}: weight '{ind.weight}' is not an indicator id")
                               for ind in bad])
    source = values[(values["vintage"] == 2024) & (values["unit_code"] != DISTRICT_CODE)]
    source_rows = source.to_dict("records")  # plain dicts: a pandas filter per indicator and commune is slow
    index = {(r["unit_code"], r["indicator"], r["period"], r["kind"]): r for r in source_rows}
    by_indicator: dict[str, list[dict]] = {}
    for r in source_rows:
        if isinstance(r["period"], str) and isinstance(r["kind"], str):
            by_indicator.setdefault(r["indicator"], []).append(r)
    successors = sorted(set(crosswalk.links.values()))
    records = []
    for indicator in catalogue.values():
        if indicator.aggregation == "none":
            continue
        rows = by_indicator.get(indicator.id, [])
        for successor in successors if rows else []:
            members = crosswalk.predecessors(successor)
            complete = not crosswalk.reaches_outside(successor)
            member_set = set(members)
            groups: dict[tuple[str, str], dict[str, dict]] = {}
            for r in rows:
                if r["unit_code"] in member_set:
                    groups.setdefault((r["period"], r["kind"]), {})[r["unit_code"]] = r
            for (period, kind), found in sorted(groups.items()):
                weights = {c: index.get((c, indicator.weight, period, kind)) for c in members}
                derived = aggregate(indicator, found, members, complete=complete, weights=weights)
                if derived is None:
                    continue
                used_rows = [found[c] for c in derived.used]
                if indicator.aggregation == "weighted_mean":
                    used_rows += [w for c in derived.used if (w := weights[c]) is not None]
                records.append(_record(indicator, successor, period, kind, derived, used_rows, members,
                                       complete, units_2024))
    return pd.DataFrame.from_records(records, columns=[*COLUMNS, "number", "file", "row", DERIVED_COLUMN])


def aggregate(
    indicator: Indicator,
    found: dict[str, dict],
    members: list[str],
    *,
    complete: bool,
    weights: dict[str, dict | None] | None = None,
) -> Derived | None:
    """Apply the indicator's rule to the values ``found`` (by 2024 code) of one period and kind.

    ``members`` are all the former units of the commune; ``complete`` is False when the commune also
    covers land outside them. Returns None when the rule says the value cannot be shown.

    >>> from mutte_geo.model.catalogue import Indicator
    >>> flag = Indicator("f", "security", "yes/no", "", "", None, 0, "flag", "", None, False, "", "", {})
    >>> aggregate(flag, {"a": {"value": "yes"}}, ["a", "b"], complete=True).value
    'some'
    >>> aggregate(flag, {"a": {"value": "no"}}, ["a", "b"], complete=True) is None
    True
    """
    rule = indicator.aggregation
    everyone = complete and all(c in found for c in members)
    if rule == "flag":
        yes = [c for c in members if c in found and found[c]["value"] == "yes"]
        known = [c for c in members if c in found]
        if yes:
            return Derived("all" if everyone and len(yes) == len(members) else "some", math.nan, known)
        return Derived("none", math.nan, known) if everyone else None
    if not everyone:
        return None
    if rule == "sum":
        total = math.fsum(float(found[c]["number"]) for c in members)
        return Derived(_number_text(total), total, list(members))
    if rule == "weighted_mean":
        pairs = []
        for c in members:
            weight = (weights or {}).get(c)
            if weight is None or not float(weight["number"]) > 0:
                return None
            pairs.append((float(found[c]["number"]), float(weight["number"])))
        mean = math.fsum(v * w for v, w in pairs) / math.fsum(w for _, w in pairs)
        return Derived(_number_text(mean), mean, list(members))
    if rule == "list":
        codes = sorted({found[c]["value"] for c in members})
        return Derived(LIST_SEPARATOR.join(codes), math.nan, list(members))
    return None


def _number_text(x: float) -> str:
    """Plain decimal text without float noise.

    >>> _number_text(9508.0), _number_text(0.1 + 0.2), _number_text(1234567.5)
    ('9508', '0.3', '1234567.5')
    """
    return f"{round(x, 9):.9f}".rstrip("0").rstrip(".")


def _record(
    indicator: Indicator, successor: str, period: str, kind: str, derived: Derived, used_rows: list[dict],
    members: list[str], complete: bool, units_2024: dict[str, Unit],
) -> dict:
    statuses = {r["status"] for r in used_rows}
    status = "UNCERTAIN" if "UNCERTAIN" in statuses else ("VERIFIED" if statuses == {"VERIFIED"} else "")
    sources = list(dict.fromkeys(r["source"] for r in used_rows))
    names = [f"{qualified_code(2024, c)} {units_2024[c].label('vi')}" for c in derived.used]
    rule = _RULE_TEXT[indicator.aggregation].format(weight=indicator.weight)
    note = f"Suy ra qua sắp xếp 2025. {rule} {len(derived.used)} đơn vị năm 2024: {', '.join(names)}"
    missing = [units_2024[c].label("vi") for c in members if c not in derived.used]
    if missing:
        note += f"; không có số liệu: {', '.join(missing)}"
    if not complete:
        note += "; phần xã nằm ngoài huyện Mường Tè cũ không có số liệu"
    caveats = [f"{units_2024[r['unit_code']].name_vi}: {r['note']}" for r in used_rows
               if r["note"] and r["indicator"] == indicator.id]
    if caveats:
        note += ". Ghi chú nguồn: " + "; ".join(caveats)
    return {
        "vintage": 2025, "unit_code": successor, "indicator": indicator.id, "period": period, "kind": kind,
        "value": derived.value, "status": status,
        "source": "Suy ra từ số liệu năm 2024 · " + " · ".join(sources), "note": note,
        "number": derived.number, "file": DERIVED_FILE, "row": 0, DERIVED_COLUMN: "; ".join(names),
    }


def with_derived(values: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """``values`` plus the derived rows that no loaded value already covers (official values win)."""
    values = values.assign(**{DERIVED_COLUMN: ""}) if DERIVED_COLUMN not in values.columns else values
    if derived.empty:
        return values
    taken = pd.MultiIndex.from_frame(values[_KEY].astype(str))
    keep = ~pd.MultiIndex.from_frame(derived[_KEY].astype(str)).isin(taken)
    return pd.concat([values, derived[keep]], ignore_index=True)


def is_derived(row: pd.Series | dict) -> bool:
    text = row.get(DERIVED_COLUMN, "")
    return isinstance(text, str) and bool(text)


def derived_value_label(indicator: Indicator, value: str, lang: str) -> str | None:
    """Reader's text for a derived flag level or category list; None for any other value."""
    if indicator.value_type == "yes/no" and value in FLAG_LEVELS:
        return gettext(lang, FLAG_LEVELS[value])
    if indicator.value_type == "category" and LIST_SEPARATOR in value:
        return " + ".join(indicator.category_label(c, lang) for c in value.split(LIST_SEPARATOR))
    return None


def derived_suffix(row: pd.Series | dict, lang: str) -> str:
    """' (suy ra từ …)' / ' (derived from …)' for a derived row, else ''; unit names in ``lang``.

    >>> derived_suffix({DERIVED_COLUMN: "2024:03433 Thị trấn Mường Tè; 2024:03454 Xã Bum Tở"}, "en")
    ' (derived from 2024:03433 Mường Tè town; 2024:03454 Bum Tở commune)'
    """
    if not is_derived(row):
        return ""
    parts = [part.strip() for part in str(row[DERIVED_COLUMN]).split(";") if part.strip()]
    if lang != "vi":
        parts = [_english_label(part) for part in parts]
    return gettext(lang, " (derived from ") + "; ".join(parts) + ")"


def _english_label(part: str) -> str:
    """'2024:03433 Thị trấn Mường Tè' → '2024:03433 Mường Tè town' (as ``Unit.label('en')`` writes it)."""
    code, _, name = part.partition(" ")
    for prefix, kind in (("Thị trấn ", "town"), ("Xã ", "commune")):
        if name.startswith(prefix):
            return f"{code} {name.removeprefix(prefix)} {kind}"
    return part

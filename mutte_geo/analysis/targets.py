"""The district's 2025 targets (report section II.3) beside the result they are judged against.

Pairing (year-end evaluation): a target is compared with the result **of the same period** when one
exists (2025 target vs 2025 result, ``SAME_PERIOD``); otherwise with the latest earlier result
(``EARLIER``, e.g. the 2024 result of the plan report), and labelled as such. Results after the
target's period are not used. A result moved across the 2025 reform (``model.reform``: 2024 units
onto the 2025 communes by the indicator's rule) keeps its ``derived_from`` and says so.

The report's results are mostly estimates for 2024 set against targets for 2025, so the words say
what is compared: a level already reached or not yet reached, never "on track" or "behind".
Status rules (direction-aware, catalogue ``higher_is_better``):

- ``on_track`` ("đã đạt chỉ tiêu 2025"): the latest actual/estimate already reaches the target level in
  the direction that counts (>= target when higher is better, <= target when lower is better);
- ``behind`` ("chưa đạt chỉ tiêu 2025"): the latest value has not reached the target level;
- ``no_data``: no actual or estimate value for the district;
- ``periods_differ``: the latest value covers part of a year while the target is a full year (grain
  output of 6 months 2024 against the 2025 annual target): not compared, no gap;
- ``period_unclear``: the result's period is not stated (budget revenue: six months or the year?):
  not judged, no gap;
- ``not_comparable``: the result and the target are defined differently (``remarks.csv``): the reason
  is shown instead of a judgement;
- ``no_direction``: the catalogue gives no direction; the gap is shown, no judgement is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from mutte_geo.core.i18n import N_, format_period, gettext
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import CATEGORIES, Catalogue, Indicator
from mutte_geo.model.indicators import RESULT_KINDS, UNDATED, latest_per_unit, period_sort_key
from mutte_geo.model.reform import DERIVED_COLUMN
from mutte_geo.model.remarks import Remark, not_comparable_reasons
from mutte_geo.model.units import DISTRICT_CODE

ON_TRACK = "on_track"
BEHIND = "behind"
NO_DATA = "no_data"
PERIODS_DIFFER = "periods_differ"
PERIOD_UNCLEAR = "period_unclear"
NOT_COMPARABLE = "not_comparable"
NO_DIRECTION = "no_direction"
STATUS_LABELS = {
    ON_TRACK: N_("Already at the 2025 target"),
    BEHIND: N_("Not yet at the 2025 target"),
    NO_DATA: N_("No data"),
    PERIODS_DIFFER: N_("Periods differ: not judged"),
    PERIOD_UNCLEAR: N_("Period unclear: not judged"),
    NOT_COMPARABLE: N_("Not directly comparable"),
    NO_DIRECTION: N_("No direction"),
}
# The report's own headings (section II.3), in report order.
HEADINGS = ("economy", "infrastructure", "education", "health", "labour_poverty", "culture", "environment")
TARGET_YEAR = "2025"
SAME_PERIOD = "same_period"
EARLIER = "earlier"
REFORM_NOTE = (
    "Kết quả “suy ra qua sắp xếp 2025” được chuyển từ các đơn vị năm 2024 sang xã mới theo quy tắc của từng "
    "chỉ tiêu trong bảng chuyển đổi (tổng, bình quân gia quyền, có/không); ghi chú nêu rõ các đơn vị.",
    "Results “derived across the 2025 reform” were moved from the 2024 units onto the new commune by each "
    "indicator's crosswalk rule (sum, weighted mean, yes/no); the note names the units.",
)
PAIRING_LABELS = {
    SAME_PERIOD: N_("same period"),
    EARLIER: N_("latest earlier result"),
}


@dataclass(frozen=True)
class TargetRow:
    """One target beside the latest result; ``gap`` is result minus target (None when not compared)."""

    indicator: Indicator
    target: float
    target_period: str
    target_note: str
    actual: float | None
    actual_period: str | None
    actual_kind: str | None
    actual_uncertain: bool
    actual_note: str
    gap: float | None
    status: str
    pairing: str | None = None  # SAME_PERIOD, EARLIER, or None without a result
    actual_derived_from: str = ""  # 2024 units the result was moved from across the 2025 reform
    reason: Remark | None = None  # why the two are not directly comparable

    @property
    def is_estimate(self) -> bool:
        return self.actual_kind == "estimate"

    @property
    def crosses_reform(self) -> bool:
        return bool(self.actual_derived_from)


def pairing_label(row: TargetRow, lang: str) -> str:
    """'cùng kỳ 2025' / 'kết quả gần nhất trước đó: 2024'; '' without a result."""
    if row.pairing is None or row.actual_period is None:
        return ""
    pairing = gettext(lang, PAIRING_LABELS[row.pairing])
    period = format_period(row.actual_period, lang)
    return f"{pairing} {period}" if row.pairing == SAME_PERIOD else f"{pairing}: {period}"


def status_label(status: str, lang: str) -> str:
    return gettext(lang, STATUS_LABELS[status])


def direction_label(higher_is_better: bool | None, lang: str) -> str:
    if higher_is_better is None:
        return gettext(lang, "Not set")
    if higher_is_better:
        return gettext(lang, "↑ Higher is better")
    return gettext(lang, "↓ Lower is better")


def is_full_year(period: str) -> bool:
    """True for a plain year such as '2024' (not '2024-H1', '2024-Q3', '2024-06' or 'n.d.').

    >>> is_full_year("2024"), is_full_year("2024-H1"), is_full_year("n.d.")
    (True, False, False)
    """
    return period != UNDATED and period.isdigit()


def target_status(actual: float | None, target: float, higher_is_better: bool | None, *,
                  comparable: bool = True, period_known: bool = True, same_definition: bool = True) -> str:
    """Status of one result against its target (see the module docstring).

    >>> target_status(24.08, 21.7, False)
    'behind'
    >>> target_status(100, 100, True)
    'on_track'
    """
    if actual is None or math.isnan(actual):
        return NO_DATA
    if not same_definition:
        return NOT_COMPARABLE
    if not period_known:
        return PERIOD_UNCLEAR
    if not comparable:
        return PERIODS_DIFFER
    if higher_is_better is None:
        return NO_DIRECTION
    gap = round(actual - target, 9)
    return ON_TRACK if (gap >= 0 if higher_is_better else gap <= 0) else BEHIND


def latest_results(values: pd.DataFrame, *, vintage: int = 2024, unit_code: str = DISTRICT_CODE
                   ) -> dict[str, pd.Series]:
    """The latest actual or estimate row of one unit for each indicator, by the rule of
    :func:`mutte_geo.model.indicators.latest_per_unit` (an actual wins over an estimate of the same
    period; a verified value over an uncertain one not shown to be later)."""
    rows = values[(values["unit_code"] == unit_code) & (values["vintage"] == vintage)
                  & values["kind"].isin(RESULT_KINDS)]
    newest = latest_per_unit(rows, RESULT_KINDS, by="indicator")
    return {ident: row.rename(None) for ident, row in newest.assign(indicator=newest.index).iterrows()}


def latest_result(values: pd.DataFrame, indicator_id: str, *, vintage: int = 2024,
                  unit_code: str = DISTRICT_CODE) -> pd.Series | None:
    """The newest actual or estimate row of one indicator, or None."""
    return latest_results(values[values["indicator"] == indicator_id], vintage=vintage,
                          unit_code=unit_code).get(indicator_id)


def paired_result(values: pd.DataFrame, indicator_id: str, target_period: str, *, vintage: int = 2024,
                  unit_code: str = DISTRICT_CODE) -> tuple[pd.Series | None, str | None]:
    """The result a target of ``target_period`` is judged against, and how it was paired.

    The result of the same period (an actual wins over an estimate), else the newest earlier one.
    """
    rows = values[(values["indicator"] == indicator_id) & (values["unit_code"] == unit_code)
                  & (values["vintage"] == vintage) & values["kind"].isin(RESULT_KINDS)]
    same = rows[rows["period"] == target_period]
    if not same.empty:
        return same.sort_values("kind").iloc[0], SAME_PERIOD  # "actual" sorts before "estimate"
    due = period_sort_key(target_period)
    earlier = rows[rows["period"].map(lambda p: period_sort_key(p) < due).astype(bool)]
    found = latest_result(earlier, indicator_id, vintage=vintage, unit_code=unit_code)
    return (found, EARLIER) if found is not None else (None, None)


def plan_years(values: pd.DataFrame, *, vintage: int = 2024, unit_code: str = DISTRICT_CODE) -> list[str]:
    """The full years with targets for one unit (the district by default), oldest first."""
    rows = values[(values["unit_code"] == unit_code) & (values["vintage"] == vintage) & (values["kind"] == "target")]
    return sorted({p for p in rows["period"] if is_full_year(p)}, key=period_sort_key)


def evaluate_targets(values: pd.DataFrame, catalogue: Catalogue, *, vintage: int, unit_code: str,
                     target_year: str, not_comparable: dict[str, Remark] | None = None) -> list[TargetRow]:
    """Every target of one unit for ``target_year`` with its paired result and status.

    ``not_comparable``: indicator id → why its result and target are defined differently (remarks.csv).
    """
    reasons = not_comparable or {}
    targets = values[(values["unit_code"] == unit_code) & (values["vintage"] == vintage)
                     & (values["kind"] == "target") & (values["period"] == target_year)]
    rows = []
    for _, target in targets.iterrows():
        indicator = catalogue[target["indicator"]]
        result, pairing = paired_result(values, indicator.id, target["period"], vintage=vintage, unit_code=unit_code)
        actual = None if result is None else float(result["number"])
        comparable = result is not None and is_full_year(result["period"]) and is_full_year(target["period"])
        status = target_status(actual, float(target["number"]), indicator.higher_is_better, comparable=comparable,
                               period_known=result is None or result["period"] != UNDATED,
                               same_definition=indicator.id not in reasons)
        judged = status not in (PERIODS_DIFFER, PERIOD_UNCLEAR, NOT_COMPARABLE)
        gap = None if actual is None or not judged else round(actual - float(target["number"]), 9)
        derived = "" if result is None else str(result.get(DERIVED_COLUMN, "") or "")
        rows.append(TargetRow(
            indicator=indicator,
            target=float(target["number"]),
            target_period=target["period"],
            target_note=target["note"],
            actual=actual,
            actual_period=None if result is None else result["period"],
            actual_kind=None if result is None else result["kind"],
            actual_uncertain=result is not None and result["status"] == "UNCERTAIN",
            actual_note="" if result is None else result["note"],
            gap=gap,
            status=status,
            pairing=pairing,
            actual_derived_from=derived,
            reason=reasons.get(indicator.id),
        ))
    return rows


def district_targets(values: pd.DataFrame, catalogue: Catalogue, *, vintage: int = 2024,
                     target_year: str = TARGET_YEAR, not_comparable: dict[str, Remark] | None = None
                     ) -> list[TargetRow]:
    """Every district target of ``target_year``, in report order, with its paired result and status."""
    return evaluate_targets(values, catalogue, vintage=vintage, unit_code=DISTRICT_CODE, target_year=target_year,
                            not_comparable=not_comparable)


def atlas_targets(atlas: Atlas, *, target_year: str = TARGET_YEAR) -> list[TargetRow]:
    """The district's targets of ``target_year`` as the overview shows them: a result defined differently
    from its target (``remarks.csv``) is not judged."""
    return district_targets(atlas.values, atlas.catalogue, target_year=target_year,
                            not_comparable=not_comparable_reasons(atlas.remarks))


def group_by_heading(rows: list[TargetRow]) -> list[tuple[str, list[TargetRow]]]:
    """Rows under the report's headings in report order; other categories follow, never dropped."""
    order = list(HEADINGS) + [c for c in CATEGORIES if c not in HEADINGS]
    groups: dict[str, list[TargetRow]] = {}
    for row in rows:
        groups.setdefault(row.indicator.category, []).append(row)
    return [(c, groups[c]) for c in order if c in groups]


def status_counts(rows: list[TargetRow]) -> dict[str, int]:
    """How many targets have each status, in the order of STATUS_LABELS."""
    return {s: sum(r.status == s for r in rows) for s in STATUS_LABELS}

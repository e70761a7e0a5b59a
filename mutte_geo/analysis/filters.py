"""Filter communes by criteria, with three-valued logic: match, no match, or cannot tell (no data).

Independent of Streamlit. A :class:`Criteria` holds any number of :class:`Condition` objects on
catalogue indicators, combined with AND or OR, for one period (or each unit's latest) and one
value kind. :func:`evaluate` returns, per unit of a boundary vintage, the outcome and the values
that decided it. A unit without data for a deciding condition is never silently included or
dropped: its outcome is :data:`UNKNOWN`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

import pandas as pd

from mutte_geo.core.errors import CriteriaError
from mutte_geo.core.i18n import N_, format_number, format_period, gettext, pgettext
from mutte_geo.model.catalogue import Catalogue, Indicator
from mutte_geo.model.indicators import KIND_CHOICES, LATEST, YES_NO, is_valid_period, kinds_of, select
from mutte_geo.model.join import value_text
from mutte_geo.model.units import Unit

NUMBER_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "between")
CHOICE_OPS = ("is", "is_not", "one_of")
DATA_OPS = ("has_data", "no_data")
OP_SYMBOLS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
OP_LABELS = {
    "eq": N_("equals (=)"),
    "ne": N_("differs from (≠)"),
    "lt": N_("less than (<)"),
    "le": N_("at most (≤)"),
    "gt": N_("greater than (>)"),
    "ge": N_("at least (≥)"),
    "between": N_("between (inclusive)"),
    "is": N_("is"),
    "is_not": N_("is not"),
    "one_of": N_("is one of"),
    "has_data": N_("has data"),
    "no_data": N_("has no data"),
}
COMBINES = ("and", "or")


class Outcome(Enum):
    MATCH = "match"
    NO_MATCH = "no_match"
    UNKNOWN = "unknown"


MATCH, NO_MATCH, UNKNOWN = Outcome.MATCH, Outcome.NO_MATCH, Outcome.UNKNOWN
OUTCOME_LABELS = {
    MATCH: N_("Match"),
    NO_MATCH: N_("No match"),
    UNKNOWN: N_("Cannot tell (no data)"),
}




@dataclass(frozen=True)
class Condition:
    """One test on one indicator.

    ``numbers`` holds the threshold (one number, two for ``between``); ``codes`` holds the
    yes/no or category codes for ``is``/``is_not`` (one code) and ``one_of`` (one or more).
    """

    indicator: str
    op: str
    numbers: tuple[float, ...] = ()
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Criteria:
    conditions: tuple[Condition, ...] = ()
    combine: str = "and"
    period: str = LATEST
    kind: str = "actual"

    @property
    def is_empty(self) -> bool:
        return not self.conditions

    def restricted_to(self, catalogue: Catalogue) -> Criteria:
        """The same criteria without the conditions on indicators missing from ``catalogue``."""
        kept = tuple(c for c in self.conditions if c.indicator in catalogue)
        return Criteria(kept, self.combine, self.period, self.kind)


def ops_for(indicator: Indicator) -> tuple[str, ...]:
    """The operators that make sense for an indicator's value type."""
    return (NUMBER_OPS if indicator.is_numeric else CHOICE_OPS) + DATA_OPS


def choices_for(indicator: Indicator) -> tuple[str, ...]:
    """Codes a yes/no or category condition can name."""
    if indicator.value_type == "yes/no":
        return YES_NO
    return tuple(indicator.category_labels)


def check_condition(condition: Condition, catalogue: Catalogue) -> list[tuple[str, str]]:
    """Every reason why ``condition`` cannot be evaluated (empty when it is fine)."""
    indicator = catalogue.get(condition.indicator)
    if indicator is None:
        return [(f"chỉ tiêu '{condition.indicator}' không có trong danh mục hoặc bạn không được xem",
                 f"indicator '{condition.indicator}' is not in the catalogue or not available to you")]
    name_vi, name_en = indicator.name_vi, indicator.name_en
    if condition.op not in ops_for(indicator):
        return [(f"phép so sánh '{condition.op}' không dùng được cho “{name_vi}”",
                 f"operator '{condition.op}' does not apply to “{name_en}”")]
    problems: list[tuple[str, str]] = []
    numbers, codes = condition.numbers, condition.codes
    if condition.op in DATA_OPS:
        if numbers or codes:
            problems.append((f"“{name_vi}”: phép '{condition.op}' không nhận giá trị",
                             f"“{name_en}”: operator '{condition.op}' takes no value"))
    elif condition.op in NUMBER_OPS:
        wanted = 2 if condition.op == "between" else 1
        if codes or len(numbers) != wanted:
            problems.append((f"“{name_vi}”: cần đúng {wanted} số", f"“{name_en}”: needs exactly {wanted} number(s)"))
        elif not all(math.isfinite(n) for n in numbers):
            problems.append((f"“{name_vi}”: giá trị phải là số hữu hạn", f"“{name_en}”: values must be finite numbers"))
        elif wanted == 2 and numbers[0] > numbers[1]:
            problems.append((f"“{name_vi}”: cận dưới lớn hơn cận trên",
                             f"“{name_en}”: lower bound exceeds upper bound"))
    else:
        allowed = choices_for(indicator)
        if numbers or not codes or (condition.op != "one_of" and len(codes) != 1):
            problems.append((f"“{name_vi}”: cần chọn {'ít nhất một' if condition.op == 'one_of' else 'một'} giá trị",
                             f"“{name_en}”: choose {'at least one' if condition.op == 'one_of' else 'one'} value"))
        bad = [c for c in codes if allowed and c not in allowed]
        if bad:
            problems.append((f"“{name_vi}”: giá trị không hợp lệ {', '.join(bad)} (chọn trong {', '.join(allowed)})",
                             f"“{name_en}”: unknown value(s) {', '.join(bad)} (choose from {', '.join(allowed)})"))
    return problems


def check_criteria(criteria: Criteria, catalogue: Catalogue) -> None:
    """Raise :class:`CriteriaError` listing every problem of ``criteria``."""
    problems: list[tuple[str, str]] = []
    if criteria.combine not in COMBINES:
        problems.append((f"cách kết hợp '{criteria.combine}' không hợp lệ (and, or)",
                         f"combination '{criteria.combine}' must be 'and' or 'or'"))
    if criteria.kind not in KIND_CHOICES:
        problems.append((f"loại số liệu '{criteria.kind}' không hợp lệ (actual, target)",
                         f"value kind '{criteria.kind}' must be 'actual' or 'target'"))
    if criteria.period != LATEST and not is_valid_period(criteria.period):
        problems.append((f"kỳ '{criteria.period}' không hợp lệ (ví dụ latest, 2024, 2024-H1, n.d.)",
                         f"period '{criteria.period}' is not valid (e.g. latest, 2024, 2024-H1, n.d.)"))
    for condition in criteria.conditions:
        problems.extend(check_condition(condition, catalogue))
    if problems:
        raise CriteriaError(problems)


def condition_outcome(condition: Condition, indicator: Indicator, row: pd.Series | None) -> Outcome:
    """Outcome of one condition for one unit's value row (``None`` = no data).

    ``has_data``/``no_data`` always decide; every other operator cannot tell without data.
    """
    if condition.op == "has_data":
        return MATCH if row is not None else NO_MATCH
    if condition.op == "no_data":
        return NO_MATCH if row is not None else MATCH
    if row is None:
        return UNKNOWN
    if indicator.is_numeric:
        x = float(row["number"])
        if math.isnan(x):
            return UNKNOWN
        a = condition.numbers[0]
        hit = {
            "eq": lambda: math.isclose(x, a, rel_tol=1e-9, abs_tol=1e-12),
            "ne": lambda: not math.isclose(x, a, rel_tol=1e-9, abs_tol=1e-12),
            "lt": lambda: x < a,
            "le": lambda: x <= a,
            "gt": lambda: x > a,
            "ge": lambda: x >= a,
            "between": lambda: a <= x <= condition.numbers[1],
        }[condition.op]()
    else:
        value = str(row["value"])
        hit = value != condition.codes[0] if condition.op == "is_not" else value in condition.codes
    return MATCH if hit else NO_MATCH


def combine(outcomes: list[Outcome], how: str) -> Outcome:
    """Kleene's three-valued AND/OR; no outcomes (no conditions) means every unit passes.

    >>> combine([MATCH, UNKNOWN, NO_MATCH], "and").value
    'no_match'
    >>> combine([NO_MATCH, UNKNOWN, MATCH], "or").value
    'match'
    >>> combine([MATCH, UNKNOWN], "and").value
    'unknown'
    """
    if not outcomes:
        return MATCH
    decisive, other = (NO_MATCH, MATCH) if how == "and" else (MATCH, NO_MATCH)
    if decisive in outcomes:
        return decisive
    return UNKNOWN if UNKNOWN in outcomes else other


@dataclass(frozen=True)
class ConditionValue:
    """One condition's value for one unit and what it gave."""

    condition: Condition
    outcome: Outcome
    value: str | None  # raw value (code or number text); None = no data
    text: str  # as a reader sees it, e.g. "62,41%" or "Không có dữ liệu"
    period: str | None
    kind: str | None
    source: str
    uncertain: bool


@dataclass(frozen=True)
class UnitResult:
    code: str
    label: str
    outcome: Outcome
    values: tuple[ConditionValue, ...]

    @property
    def deciding(self) -> tuple[ConditionValue, ...]:
        """The values that decided the outcome.

        A match under AND, or a non-match under OR, needs every condition; otherwise the
        conditions that gave the unit's outcome decided it.
        """
        hits = tuple(v for v in self.values if v.outcome == self.outcome)
        return hits or self.values


@dataclass(frozen=True)
class FilterResult:
    criteria: Criteria
    vintage: int
    units: tuple[UnitResult, ...]
    missing_indicators: tuple[str, ...] = field(default=())  # conditions with no commune data at all

    def codes(self, outcome: Outcome) -> list[str]:
        return [u.code for u in self.units if u.outcome == outcome]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for u in self.units if u.outcome == outcome)


def evaluate(
    criteria: Criteria, *, values: pd.DataFrame, catalogue: Catalogue, units: dict[str, Unit], vintage: int,
    lang: str = "vi",
) -> FilterResult:
    """Evaluate ``criteria`` for every unit of ``vintage`` (``units`` keyed by code)."""
    check_criteria(criteria, catalogue)
    kinds = kinds_of(criteria.kind)
    chosen = []
    missing = []
    for condition in criteria.conditions:
        table = select(values, indicator=condition.indicator, vintage=vintage, period=criteria.period, kinds=kinds)
        chosen.append(table)
        if table.empty and condition.indicator not in missing:
            missing.append(condition.indicator)
    results = []
    for code, unit in units.items():
        cells = []
        for condition, table in zip(criteria.conditions, chosen):
            indicator = catalogue[condition.indicator]
            row = table.loc[code] if code in table.index else None
            outcome = condition_outcome(condition, indicator, row)
            cells.append(ConditionValue(
                condition=condition,
                outcome=outcome,
                value=None if row is None else str(row["value"]),
                text=gettext(lang, "No data") if row is None else value_text(indicator, row, lang),
                period=None if row is None else str(row["period"]),
                kind=None if row is None else str(row["kind"]),
                source="" if row is None else str(row["source"]),
                uncertain=row is not None and row["status"] == "UNCERTAIN",
            ))
        outcome = combine([c.outcome for c in cells], criteria.combine)
        results.append(UnitResult(code, unit.label(lang), outcome, tuple(cells)))
    return FilterResult(criteria, vintage, tuple(results), tuple(missing))


def value_phrase(value: ConditionValue, catalogue: Catalogue, lang: str) -> str:
    """'Indicator name: value', flagged when the value is uncertain."""
    text = f"{catalogue[value.condition.indicator].name(lang)}: {value.text}"
    return text + gettext(lang, " (uncertain)") if value.uncertain else text


# --- Words -----------------------------------------------------------------------------------------

def number_text(x: float, lang: str) -> str:
    """A threshold as typed, in the language's convention.

    >>> number_text(20.0, "vi"), number_text(62.41, "vi"), number_text(1500, "en")
    ('20', '62,41', '1,500')
    """
    exponent = Decimal(repr(float(x))).normalize().as_tuple().exponent
    decimals = min(max(0, -int(exponent)), 6)
    return format_number(float(x), lang, decimals)


def code_text(indicator: Indicator, code: str, lang: str) -> str:
    """A yes/no or category code as a reader sees it."""
    return indicator.choice_label(code, lang)


def describe_condition(condition: Condition, catalogue: Catalogue, lang: str) -> str:
    """One condition in words, e.g. '“Giáp biên giới Trung Quốc” là Có'."""
    indicator = catalogue[condition.indicator]
    name = f"“{indicator.name(lang)}”"
    unit = indicator.unit(lang)
    op = condition.op

    def num(x: float) -> str:
        text = number_text(x, lang)
        return text + unit if unit == "%" else f"{text} {unit}".strip()

    if op in OP_SYMBOLS:
        return f"{name} {OP_SYMBOLS[op]} {num(condition.numbers[0])}"
    if op == "between":
        low, high = (num(n) for n in condition.numbers)
        return gettext(lang, "{name} between {low} and {high}").format(name=name, low=low, high=high)
    if op in DATA_OPS:
        return f"{name} {gettext(lang, OP_LABELS[op])}"
    texts = [code_text(indicator, c, lang) for c in condition.codes]
    if op == "one_of":
        return gettext(lang, "{name} is one of: {join}").format(name=name, join=', '.join(texts))
    return f"{name} {gettext(lang, OP_LABELS[op])} {texts[0]}"


def describe_criteria(criteria: Criteria, catalogue: Catalogue, lang: str) -> str:
    """The whole criteria as one sentence, for the legend and the exports."""
    if criteria.is_empty:
        return gettext(lang, "No filter: every unit is shown.")
    joiner = gettext(lang, " and ") if criteria.combine == "and" else gettext(lang, " or ")
    parts = [describe_condition(c, catalogue, lang) for c in criteria.conditions]
    if len(parts) == 1:
        head = gettext(lang, "Units where ")
    elif criteria.combine == "and":
        head = gettext(lang, "Units meeting all of: ")
    else:
        head = gettext(lang, "Units meeting at least one of: ")
    period = (gettext(lang, "latest for each unit") if criteria.period == LATEST
              else format_period(criteria.period, lang))
    kind = gettext(lang, "actual/estimate") if criteria.kind == "actual" else pgettext(lang, "filters", "target")
    return f"{head}{joiner.join(parts)} ({gettext(lang, 'period')}: {period}; {gettext(lang, 'kind')}: {kind})."


# --- Ready-made questions from the report ---------------------------------------------------------

def _yes(indicator: str) -> Condition:
    return Condition(indicator, "is", codes=("yes",))


@dataclass(frozen=True)
class Question:
    id: str
    title_vi: str
    title_en: str
    criteria: Criteria

    def title(self, lang: str) -> str:
        return self.title_vi if lang == "vi" else self.title_en

    def available(self, catalogue: Catalogue) -> bool:
        """Whether every indicator the question needs is in ``catalogue`` (e.g. the user's visible one)."""
        return all(c.indicator in catalogue for c in self.criteria.conditions)


QUESTIONS: tuple[Question, ...] = (
    # The NTM candidates and attendance priorities are designations of the 2025 plan (kind "target");
    # the security hotspots a 2024 finding: one question cannot mix the two kinds.
    Question("ntm_2025", "Xã trong kế hoạch đạt chuẩn NTM năm 2025", "Communes planned for NTM in 2025",
             Criteria((_yes("ntm_candidate_2025"),), kind="target")),
    Question("hotspots", "Địa bàn an ninh trật tự phức tạp (báo cáo nêu ví dụ)",
             "Security hotspots (the report's examples)", Criteria((_yes("security_hotspot"),))),
    Question("attendance", "Xã trọng tâm chuyên cần (kế hoạch 2025)", "School-attendance priorities (2025 plan)",
             Criteria((_yes("attendance_priority"),), kind="target")),
    Question("border", "Xã biên giới", "Border communes", Criteria((_yes("borders_china"),))),
    # No per-commune waste indicator exists yet: every unit not already decided by its NTM
    # status comes out "cannot tell".
    Question("waste_gap", "Đã thu gom rác thải nhưng chưa đạt chuẩn NTM",
             "Waste collection but not yet NTM",
             Criteria((Condition("waste_collection_units", "ge", numbers=(1.0,)),
                       Condition("ntm_status", "is_not", codes=("meets_standard",))))),
    Question("border_stunting", "Xã biên giới có tỷ lệ thấp còi trên 20%", "Border communes with stunting above 20%",
             Criteria((_yes("borders_china"), Condition("stunting_u5", "gt", numbers=(20.0,))))),
)
QUESTION_BY_ID = {q.id: q for q in QUESTIONS}

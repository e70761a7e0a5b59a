"""Helpers for the filter page that need no browser: widget state, result table, export notes.

The criteria builder keeps one set of widget keys per condition (``fc{i}_ind``, ``fc{i}_op``,
``fc{i}_a``, ``fc{i}_b``, ``fc{i}_code``, ``fc{i}_codes``) plus ``f_join``, ``f_period`` and
``f_kind``. These functions translate between those keys and :class:`Criteria`.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import pandas as pd

from mutte_geo.analysis.filters import (
    CHOICE_OPS,
    COMBINES,
    DATA_OPS,
    KIND_CHOICES,
    MATCH,
    NO_MATCH,
    NUMBER_OPS,
    OUTCOME_LABELS,
    UNKNOWN,
    Condition,
    Criteria,
    CriteriaError,
    FilterResult,
    check_criteria,
    choices_for,
    describe_criteria,
    ops_for,
    value_phrase,
)
from mutte_geo.core.i18n import format_period, gettext, kind_label, pgettext
from mutte_geo.model.catalogue import Catalogue, Indicator
from mutte_geo.model.indicators import LATEST, is_valid_period, period_sort_key
from mutte_geo.model.units import DISTRICT_CODE

# st.session_state (keys are str or int), or a plain dict in tests.
WidgetState = MutableMapping[str | int, Any]

WIDGET_PREFIX = "fc"
DRAFT = "_filter_draft"  # (criteria in the URL when the draft was made, criteria being edited)
JOIN_KEY, PERIOD_KEY, KIND_KEY = "f_join", "f_period", "f_kind"
OUTCOME_ORDER = {MATCH: 0, UNKNOWN: 1, NO_MATCH: 2}


def key(i: int, part: str) -> str:
    return f"{WIDGET_PREFIX}{i}_{part}"


def default_condition(indicator: Indicator) -> Condition:
    """A complete condition to start from when the user picks ``indicator``."""
    if indicator.is_numeric:
        return Condition(indicator.id, "gt", numbers=(0.0,))
    choices = choices_for(indicator)
    return Condition(indicator.id, "is", codes=choices[:1]) if choices else Condition(indicator.id, "has_data")


def widget_values(criteria: Criteria) -> dict[str, Any]:
    """Widget keys and values that show ``criteria``."""
    state: dict[str, Any] = {JOIN_KEY: criteria.combine, PERIOD_KEY: criteria.period, KIND_KEY: criteria.kind}
    for i, c in enumerate(criteria.conditions):
        state[key(i, "ind")] = c.indicator
        state[key(i, "op")] = c.op
        numbers = (*c.numbers, 0.0, 0.0)
        state[key(i, "a")], state[key(i, "b")] = float(numbers[0]), float(numbers[1])
        state[key(i, "code")] = c.codes[0] if c.codes else None
        state[key(i, "codes")] = list(c.codes)
    return state


def load_widgets(state: WidgetState, criteria: Criteria) -> None:
    """Replace every builder widget value in ``state`` by those of ``criteria``."""
    for k in [k for k in state if str(k).startswith(WIDGET_PREFIX) or k in (JOIN_KEY, PERIOD_KEY, KIND_KEY)]:
        del state[k]
    state.update(widget_values(criteria))


def current_draft(state: WidgetState, linked: Criteria) -> Criteria:
    """The criteria being edited: those of the link, unless the user is part-way through an edit of them
    that is not complete yet (e.g. "one of" with no value chosen). A new link (back/forward, another
    link) replaces the draft."""
    stored = state.get(DRAFT)
    if stored is None or stored[0] != linked:
        state[DRAFT] = (linked, linked)
    draft: Criteria = state[DRAFT][1]
    return draft


def commit_draft(state: WidgetState, criteria: Criteria, catalogue: Catalogue,
                 write: Callable[[Criteria], None]) -> None:
    """Keep ``criteria`` as the draft, and ``write`` them into the link once they are complete."""
    try:
        check_criteria(criteria, catalogue)
    except CriteriaError:
        linked = state[DRAFT][0] if DRAFT in state else Criteria()
        state[DRAFT] = (linked, criteria)
        return
    state[DRAFT] = (criteria, criteria)
    write(criteria)


def has_stale_values(state: WidgetState, count: int, catalogue: Catalogue, draft: Criteria) -> bool:
    """Whether a builder widget holds something that is not one of its options: a label the browser kept
    from before a language switch or a back/forward step (Streamlit hands it back as the value).
    ``draft``: the criteria the widgets showed before this change."""
    if state.get(JOIN_KEY) not in COMBINES or state.get(KIND_KEY) not in KIND_CHOICES:
        return True
    if state.get(PERIOD_KEY) != LATEST and not is_valid_period(str(state.get(PERIOD_KEY))):
        return True
    for i in range(count):
        indicator = catalogue.get(str(state.get(key(i, "ind"))))
        if indicator is None or state.get(key(i, "op")) not in (*NUMBER_OPS, *CHOICE_OPS, *DATA_OPS):
            return True
        # a value of the condition's previous indicator is reset by builder_criteria, not stale
        changed = i >= len(draft.conditions) or draft.conditions[i].indicator != indicator.id
        choices = choices_for(indicator)
        if choices and not changed and (state.get(key(i, "code")) not in (None, *choices)
                        or any(c not in choices for c in state.get(key(i, "codes")) or [])):
            return True
    return False


def builder_criteria(state: WidgetState, count: int, catalogue: Catalogue) -> Criteria:
    """The criteria the builder widgets show, after resetting what no longer fits a changed indicator."""
    for i in range(count):
        repair_condition(state, i, catalogue[state[key(i, "ind")]])
    return criteria_from_widgets(state, count, catalogue)


def with_condition(criteria: Criteria, condition: Condition) -> Criteria:
    return Criteria((*criteria.conditions, condition), criteria.combine, criteria.period, criteria.kind)


def without_condition(criteria: Criteria, i: int) -> Criteria:
    kept = tuple(c for n, c in enumerate(criteria.conditions) if n != i)
    return Criteria(kept, criteria.combine, criteria.period, criteria.kind)


def repair_condition(state: WidgetState, i: int, indicator: Indicator) -> None:
    """After the indicator of condition ``i`` changed, reset the values that no longer fit it."""
    start = widget_values(Criteria((default_condition(indicator),)))
    if state.get(key(i, "op")) not in ops_for(indicator):
        state[key(i, "op")] = start[key(0, "op")]
    choices = choices_for(indicator)
    if state.get(key(i, "code")) not in choices:
        state[key(i, "code")] = choices[0] if choices else None
    state[key(i, "codes")] = [c for c in state.get(key(i, "codes")) or [] if c in choices]
    for part in ("a", "b"):
        if not isinstance(state.get(key(i, part)), int | float):
            state[key(i, part)] = 0.0


def condition_from_widgets(state: WidgetState, i: int, catalogue: Catalogue) -> Condition:
    indicator = catalogue[state[key(i, "ind")]]
    op = state[key(i, "op")]
    if op in ("has_data", "no_data"):
        return Condition(indicator.id, op)
    if indicator.is_numeric:
        numbers = (state[key(i, "a")], state[key(i, "b")]) if op == "between" else (state[key(i, "a")],)
        return Condition(indicator.id, op, numbers=tuple(float(n) for n in numbers if n is not None))
    if op == "one_of":
        return Condition(indicator.id, op, codes=tuple(state.get(key(i, "codes")) or ()))
    code = state.get(key(i, "code"))
    return Condition(indicator.id, op, codes=(code,) if code else ())


def criteria_from_widgets(state: WidgetState, count: int, catalogue: Catalogue) -> Criteria:
    return Criteria(tuple(condition_from_widgets(state, i, catalogue) for i in range(count)),
                    combine=state.get(JOIN_KEY, "and"), period=state.get(PERIOD_KEY, LATEST),
                    kind=state.get(KIND_KEY, "actual"))


def period_options(values: pd.DataFrame, criteria: Criteria, vintage: int) -> list[str]:
    """'latest' and every period holding commune values of the criteria's indicators, newest first."""
    ids = {c.indicator for c in criteria.conditions}
    rows = values[values["indicator"].isin(ids) & (values["vintage"] == vintage)
                  & (values["unit_code"] != DISTRICT_CODE)]
    periods = set(rows["period"])
    if criteria.period != LATEST:
        periods.add(criteria.period)  # keep a period named by a link, even without data
    return [LATEST, *sorted(periods, key=period_sort_key, reverse=True)]


def result_table(result: FilterResult, catalogue: Catalogue, lang: str) -> pd.DataFrame:
    """One row per unit (matches first, then 'cannot tell', then non-matches) with the deciding values.

    Codes are qualified by the boundary vintage column.
    """
    records = []
    names = _condition_headers(result, catalogue, lang)
    for unit in sorted(result.units, key=lambda u: (OUTCOME_ORDER[u.outcome], u.code)):
        record: dict[str, Any] = {
            gettext(lang, "Boundary vintage"): result.vintage,
            gettext(lang, "Code"): unit.code,
            gettext(lang, "Unit"): unit.label,
            gettext(lang, "Result"): gettext(lang, OUTCOME_LABELS[unit.outcome]),
            pgettext(lang, "filterpage", "Decided by"):
                "; ".join(value_phrase(v, catalogue, lang) for v in unit.deciding),
        }
        for name, value in zip(names, unit.values):
            when = "" if value.period is None or value.kind is None else (
                f" ({format_period(value.period, lang)}, {kind_label(value.kind, lang)})")
            record[name] = value.text + when
        record[gettext(lang, "Source")] = "; ".join(dict.fromkeys(v.source for v in unit.values if v.source))
        records.append(record)
    return pd.DataFrame.from_records(records)


def _condition_headers(result: FilterResult, catalogue: Catalogue, lang: str) -> list[str]:
    """Column titles for the conditions: the indicator name, numbered when an indicator repeats."""
    ids = [c.indicator for c in result.criteria.conditions]
    return [catalogue[i].name(lang) + (f" [{n + 1}]" if ids.count(i) > 1 else "") for n, i in enumerate(ids)]


def export_notes(result: FilterResult, catalogue: Catalogue, attribution: list[str], lang: str) -> list[str]:
    """Lines written under the exported table: criteria, vintage, counts, sources, attribution."""
    counts = ", ".join(f"{gettext(lang, OUTCOME_LABELS[o])}: {result.count(o)}" for o in (MATCH, UNKNOWN, NO_MATCH))
    return [
        gettext(lang, "Criteria: ") + describe_criteria(result.criteria, catalogue, lang),
        gettext(lang, "Boundaries of {vintage}; unit codes of the {vintage} list.").format(vintage=result.vintage),
        counts,
        gettext(lang, "Data sources: see each row's “Source” column."),
        *attribution,
    ]

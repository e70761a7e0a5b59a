"""The filter state in a link: short, readable query parameters, decoded with validation.

Example: ``?vintage=2024&c=borders_china:is:yes;stunting_u5:gt:20&join=and``

- ``c``: conditions separated by ``;``, each ``indicator:operator[:values]`` with values
  separated by ``,`` (numbers with a decimal point, or yes/no and category codes);
- ``join``: ``and`` (default) or ``or``; ``period``: ``latest`` (default) or e.g. ``2024``;
  ``kind``: ``actual`` (default) or ``target``;
- ``vintage``: the boundary vintage (2024 or 2025), so unit codes in the result are never ambiguous.

Defaults are left out so links stay short. Independent of Streamlit: pass ``st.query_params``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from mutte_geo.analysis.filters import CHOICE_OPS, NUMBER_OPS, Condition, Criteria, check_criteria
from mutte_geo.core.errors import CriteriaError
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.indicators import LATEST
from mutte_geo.model.units import VINTAGES

CONDITIONS, JOIN, PERIOD, KIND, VINTAGE = "c", "join", "period", "kind", "vintage"
FILTER_KEYS = (CONDITIONS, JOIN, PERIOD, KIND)
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)(e-?\d+)?$")
_CODE = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class FilterLink:
    criteria: Criteria
    vintage: int | None  # None: the link does not name one


def format_float(x: float) -> str:
    """Shortest text that reads back as ``x``, without '+' (which a URL may turn into a space).

    >>> format_float(20.0), format_float(0.1), format_float(1e16), format_float(-2.5e-07)
    ('20', '0.1', '1e16', '-2.5e-07')
    """
    text = repr(float(x)).replace("e+", "e")
    return text[:-2] if text.endswith(".0") else text


def encode_query(criteria: Criteria, vintage: int) -> dict[str, str]:
    """Query parameters for ``criteria`` on boundaries of ``vintage`` (defaults left out)."""
    params = {VINTAGE: str(vintage)}
    if criteria.conditions:
        params[CONDITIONS] = ";".join(_encode_condition(c) for c in criteria.conditions)
    if criteria.combine != "and":
        params[JOIN] = criteria.combine
    if criteria.period != LATEST:
        params[PERIOD] = criteria.period
    if criteria.kind != "actual":
        params[KIND] = criteria.kind
    return params


def _encode_condition(condition: Condition) -> str:
    args = [format_float(n) for n in condition.numbers] + list(condition.codes)
    return ":".join([condition.indicator, condition.op, *([",".join(args)] if args else [])])


def decode_query(params: Mapping[str, str], catalogue: Catalogue) -> FilterLink:
    """Read the filter state back; raise :class:`CriteriaError` naming every problem.

    A link without filter keys gives empty criteria (no filter).
    """
    problems: list[tuple[str, str]] = []
    vintage: int | None = None
    if VINTAGE in params:
        text = params[VINTAGE]
        if text in {str(v) for v in VINTAGES}:
            vintage = int(text)
        else:
            problems.append((f"năm ranh giới '{text}' không hợp lệ (2024 hoặc 2025)",
                             f"boundary vintage '{text}' must be 2024 or 2025"))
    conditions = []
    raw = params.get(CONDITIONS, "")
    if CONDITIONS in params and not raw.strip():
        problems.append(("tham số 'c' trống", "parameter 'c' is empty"))
    for position, part in enumerate(raw.split(";") if raw.strip() else [], start=1):
        condition, found = _decode_condition(part, position, catalogue)
        problems.extend(found)
        if condition is not None:
            conditions.append(condition)
    criteria = Criteria(tuple(conditions), combine=params.get(JOIN, "and"), period=params.get(PERIOD, LATEST),
                        kind=params.get(KIND, "actual"))
    try:
        check_criteria(criteria, catalogue)
    except CriteriaError as exc:
        problems.extend(exc.problems)
    if problems:
        raise CriteriaError(problems)
    return FilterLink(criteria, vintage)


def _decode_condition(
    text: str, position: int, catalogue: Catalogue
) -> tuple[Condition | None, list[tuple[str, str]]]:
    where_vi, where_en = f"điều kiện {position} ('{text}')", f"condition {position} ('{text}')"
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(parts[:2]):
        return None, [(f"{where_vi}: phải có dạng chỉ_tiêu:phép_so_sánh:giá_trị",
                       f"{where_en}: must read indicator:operator:values")]
    ident, op = parts[0], parts[1]
    args = parts[2].split(",") if len(parts) == 3 else []
    indicator = catalogue.get(ident)
    if indicator is None:
        return None, [(f"{where_vi}: chỉ tiêu '{ident}' không có trong danh mục hoặc bạn không được xem "
                       "(liên kết cũ, hoặc cần đăng nhập?)",
                       f"{where_en}: indicator '{ident}' is not in the catalogue or not available to you "
                       "(outdated link, or sign-in needed?)")]
    if op in NUMBER_OPS and indicator.is_numeric:
        bad = [a for a in args if not _NUMBER.match(a)]
        numbers = tuple(float(a) for a in args if _NUMBER.match(a))
        if bad or not all(math.isfinite(n) for n in numbers):
            return None, [(f"{where_vi}: '{','.join(bad) or parts[2]}' không phải là số",
                           f"{where_en}: '{','.join(bad) or parts[2]}' is not a number")]
        return Condition(ident, op, numbers=numbers), []
    if op in CHOICE_OPS and not indicator.is_numeric:
        bad = [a for a in args if not _CODE.match(a)]
        if bad:
            return None, [(f"{where_vi}: giá trị '{','.join(bad)}' không hợp lệ",
                           f"{where_en}: value '{','.join(bad)}' is not valid")]
        return Condition(ident, op, codes=tuple(args)), []
    # Data operators, or an operator that does not fit the indicator: check_criteria explains.
    return Condition(ident, op, numbers=(), codes=tuple(args)), []

"""What the user chose, as one typed value, and its link: short query parameters with stable ids.

Every page reads the same keys (Streamlit glue: :mod:`mutte_geo.ui.viewstate`):

==========  ===================================================  ===================
key         value                                                example
==========  ===================================================  ===================
lang        ``vi`` or ``en``                                     ``lang=en``
region      region pack id (left out: ``mutte``, the default)    ``region=laichau``
vintage     boundary vintage (one the region has)                ``vintage=2025``
indicator   catalogue id                                         ``indicator=poverty_rate``
kind        ``actual`` (actual or estimate) or ``target``        ``kind=target``
period      ``latest`` or a period id                            ``period=2024-H1``
scheme      classification scheme id                             ``scheme=manual``
classes     number of classes, 2 to 7                            ``classes=4``
breaks      manual breaks as typed (only with ``scheme=manual``) ``breaks=10;20``
locked      ``1``: one set of classes for every period            ``locked=1``
unit        selected unit code of ``vintage``                    ``unit=03448``
c, join     filter conditions (:mod:`mutte_geo.analysis.filterurl`)  ``c=borders_china:is:yes``
layers      attention layers shown, comma separated (or ``none``)  ``layers=borders_china``
mode        compare periods: ``periods``, ``target``, ``change``   ``mode=change``
from, to    compare periods: first and second period             ``from=2023&to=2024``
result,     compare periods: result period, target period        ``result=2024&target=2025``
target
change      change map as ``absolute`` or ``percent``              ``change=percent``
plan        overview: plan year                                  ``plan=2025``
year        NTM: assessment year                                 ``year=2024``
criterion   NTM: criterion number                                ``criterion=7``
set         NTM: criteria set id                                 ``set=ntm_2021_2025``
sort        NTM grid: communes by ``name`` or ``met``              ``sort=met``
order       NTM grid: criteria by ``number`` or ``share``          ``order=share``
layer       completeness grid: ``data`` or ``approval``            ``layer=approval``
include_    ``1``: staff see values waiting for approval         ``include_submitted=1``
submitted
==========  ===================================================  ===================

A page key left out (empty field) means the page's own default. A page key whose value is well formed
but not among the page's choices (a period without values, a set not loaded) is refused by the page
with a message (:func:`mutte_geo.ui.viewstate.choose`).

Decoding never guesses: an unknown or broken value gives a problem (Vietnamese, English) and the
default for that key only; everything else in the link still applies. Other keys are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from mutte_geo.analysis.filters import Condition, Criteria, CriteriaError
from mutte_geo.analysis.filterurl import decode_query, encode_query
from mutte_geo.core.i18n import LANGUAGES, format_period
from mutte_geo.maps.attentionmap import ATTENTION_LAYERS
from mutte_geo.maps.change import CHANGE_MODES
from mutte_geo.maps.classify import SCHEMES
from mutte_geo.maps.view import MapRequest
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Catalogue
from mutte_geo.model.indicators import KIND_CHOICES, LATEST, UnitsByVintage, is_valid_period
from mutte_geo.model.regions import DEFAULT_REGION, load_pack, region_ids
from mutte_geo.model.units import VINTAGES, normalise_code, parse_qualified_code

LANG, REGION, VINTAGE, INDICATOR, KIND, PERIOD = "lang", "region", "vintage", "indicator", "kind", "period"
SCHEME, CLASSES, BREAKS, LOCKED, UNIT, CONDITIONS, JOIN, LAYERS = (
    "scheme", "classes", "breaks", "locked", "unit", "c", "join", "layers")
MODE, FROM, TO, RESULT, TARGET, CHANGE = "mode", "from", "to", "result", "target", "change"
PLAN, YEAR, CRITERION, SET, SORT, ORDER, LAYER, INCLUDE_SUBMITTED = (
    "plan", "year", "criterion", "set", "sort", "order", "layer", "include_submitted")
VIEW_KEYS = (LANG, REGION, VINTAGE, INDICATOR, KIND, PERIOD, SCHEME, CLASSES, BREAKS, LOCKED, UNIT, CONDITIONS, JOIN,
             LAYERS, MODE, FROM, TO, RESULT, TARGET, CHANGE, PLAN, YEAR, CRITERION, SET, SORT, ORDER, LAYER,
             INCLUDE_SUBMITTED)
COMPARISONS = ("periods", "target", "change")  # the compare-periods page's modes
COMMUNE_ORDERS, CRITERION_ORDERS = ("name", "met"), ("number", "share")  # the NTM grid's sort orders
GRID_LAYERS = ("data", "approval")  # the completeness grid's layers
_PERIOD_KEYS = {FROM: "period_from", TO: "period_to", RESULT: "result_period", TARGET: "target_period"}
_CHOICE_KEYS = {MODE: ("mode", COMPARISONS), CHANGE: ("change", CHANGE_MODES), SORT: ("sort", COMMUNE_ORDERS),
                ORDER: ("order", CRITERION_ORDERS), LAYER: ("layer", GRID_LAYERS)}
_NUMBER_KEYS = {PLAN: "plan", YEAR: "year", CRITERION: "criterion"}
DEFAULT_INDICATOR = "population"
NO_LAYERS = "none"
CLASS_RANGE = range(2, 8)

_VINTAGE_IDS = tuple(str(v) for v in VINTAGES)

Problem = tuple[str, str]  # (Vietnamese, English)


@dataclass(frozen=True)
class ViewState:
    """Everything a user can choose on any page; the defaults are what a bare link shows."""

    lang: str = "vi"
    vintage: int = 2024
    indicator: str = DEFAULT_INDICATOR
    kind: str = "actual"
    period: str = LATEST
    scheme: str = "quantiles"
    classes: int = 5
    breaks: str = ""
    locked: bool = False
    unit: str | None = None
    conditions: tuple[Condition, ...] = ()
    combine: str = "and"
    layers: tuple[str, ...] = field(default=tuple(ATTENTION_LAYERS))
    # page choices; empty (or None) = the page's default
    mode: str = ""
    period_from: str = ""
    period_to: str = ""
    result_period: str = ""
    target_period: str = ""
    change: str = ""
    plan: int | None = None
    year: int | None = None
    criterion: int | None = None
    criteria_set: str = ""
    sort: str = ""
    order: str = ""
    layer: str = ""
    include_submitted: bool = False
    region: str = DEFAULT_REGION

    @property
    def criteria(self) -> Criteria:
        return Criteria(self.conditions, self.combine, self.period, self.kind)

    def with_criteria(self, criteria: Criteria) -> ViewState:
        return replace(self, conditions=criteria.conditions, combine=criteria.combine,
                       period=criteria.period, kind=criteria.kind)

    def map_request(self, manual_breaks: tuple[float, ...] | None) -> MapRequest:
        return MapRequest(self.indicator, self.vintage, self.period, KIND_CHOICES[self.kind], self.lang,
                          self.scheme, self.classes, manual_breaks, self.locked)


def encode_view(view: ViewState) -> dict[str, str]:
    """The query parameters of ``view``: every choice written out, so a link does not depend on defaults."""
    params = {LANG: view.lang, VINTAGE: str(view.vintage), INDICATOR: view.indicator, KIND: view.kind,
              PERIOD: view.period, SCHEME: view.scheme, CLASSES: str(view.classes)}
    if view.scheme == "manual" and view.breaks:
        params[BREAKS] = view.breaks
    if view.locked:
        params[LOCKED] = "1"
    if view.unit is not None:
        params[UNIT] = view.unit
    filter_params = encode_query(view.criteria, view.vintage)
    params.update({k: filter_params[k] for k in (CONDITIONS, JOIN) if k in filter_params})
    if view.layers != tuple(ATTENTION_LAYERS):
        params[LAYERS] = ",".join(view.layers) or NO_LAYERS
    texts = {**{k: getattr(view, name) for k, name in _PERIOD_KEYS.items()},
             **{k: getattr(view, name) for k, (name, _) in _CHOICE_KEYS.items()}, SET: view.criteria_set}
    params.update({k: v for k, v in texts.items() if v})
    params.update({k: str(getattr(view, name)) for k, name in _NUMBER_KEYS.items() if getattr(view, name) is not None})
    if view.include_submitted:
        params[INCLUDE_SUBMITTED] = "1"
    if view.region != DEFAULT_REGION:
        params[REGION] = view.region
    return params


def decode_view(params: Mapping[str, str], catalogue: Catalogue, units: UnitsByVintage,
                default_indicator: Callable[[int], str] | None = None) -> tuple[ViewState, list[Problem]]:
    """The view a link names, and what in it could not be used (each such key gets its default).

    ``default_indicator(vintage)``: the indicator of a link that names none (else ``DEFAULT_INDICATOR``).
    """
    problems: list[Problem] = []
    default = ViewState()

    def pick(key: str, allowed: Mapping[str, object] | tuple[str, ...], fallback: str, what: Problem,
             why: Problem = ("", "")) -> str:
        text = params.get(key)
        if text is None or text in allowed:
            return fallback if text is None else text
        problems.append((f"{what[0]} “{text}” không hợp lệ{why[0]}; dùng “{fallback}”.",
                         f"{what[1]} “{text}” is not valid{why[1]}; using “{fallback}”."))
        return fallback

    lang = pick(LANG, tuple(LANGUAGES), default.lang, ("ngôn ngữ", "language"))
    region = pick(REGION, region_ids(), default.region, ("vùng", "region"))
    vintage = int(pick(VINTAGE, _VINTAGE_IDS, str(default.vintage), ("năm ranh giới", "boundary vintage")))
    named = params.get(UNIT, "").split(":")[0]
    if VINTAGE not in params and named in _VINTAGE_IDS:  # an older link: the unit's vintage decides
        vintage = int(named)
    vintage = _region_vintage(region, vintage, VINTAGE in params, problems)
    fallback = default_indicator(vintage) if default_indicator else default.indicator
    indicator = pick(INDICATOR, tuple(catalogue), fallback, ("chỉ tiêu", "indicator"),
                     (" (không có trong danh mục, hoặc cần đăng nhập)", " (not in the catalogue, or sign-in needed)"))
    kind = pick(KIND, tuple(KIND_CHOICES), default.kind, ("loại số liệu", "kind of value"))
    period = params.get(PERIOD, LATEST)
    if period != LATEST and not is_valid_period(period):
        problems.append((f"kỳ “{period}” không hợp lệ; dùng “mới nhất”.",
                         f"period “{period}” is not valid; using “latest”."))
        period = LATEST
    scheme = pick(SCHEME, SCHEMES, default.scheme, ("cách phân lớp", "classification"))
    classes = int(pick(CLASSES, tuple(str(k) for k in CLASS_RANGE), str(default.classes),
                       ("số lớp (2 đến 7)", "number of classes (2 to 7)")))
    breaks = params.get(BREAKS, "") if scheme == "manual" else ""
    locked = pick(LOCKED, ("0", "1"), "0", ("giữ lớp", "locked classes")) == "1"
    unit = _decode_unit(params.get(UNIT), vintage, units, problems)
    conditions: tuple[Condition, ...] = ()
    combine = default.combine
    if CONDITIONS in params or JOIN in params:
        filter_params = {k: params[k] for k in (CONDITIONS, JOIN) if k in params}
        try:
            criteria = decode_query({**filter_params, PERIOD: period, KIND: kind}, catalogue).criteria
            conditions, combine = criteria.conditions, criteria.combine
        except CriteriaError as exc:
            problems.extend(exc.problems)
    layers = default.layers
    if LAYERS in params:
        listed = [name for name in params[LAYERS].split(",") if name and name != NO_LAYERS]
        unknown = [name for name in listed if name not in ATTENTION_LAYERS]
        if unknown:
            problems.append((f"lớp bản đồ không có: {', '.join(unknown)}",
                             f"unknown map layers: {', '.join(unknown)}"))
        layers = tuple(name for name in ATTENTION_LAYERS if name in listed)
    page: dict[str, object] = {}
    for key, name in _PERIOD_KEYS.items():
        text = params.get(key, "")
        if text and text != LATEST and not is_valid_period(text):
            problems.append((f"kỳ “{text}” ({key}) không hợp lệ; dùng kỳ mặc định.",
                             f"period “{text}” ({key}) is not valid; using the default period."))
            text = ""
        page[name] = text
    for key, (name, allowed) in _CHOICE_KEYS.items():
        text = params.get(key, "")
        if text and text not in allowed:
            problems.append((f"{key} “{text}” không hợp lệ (chọn {', '.join(allowed)}); dùng mặc định.",
                             f"{key} “{text}” is not valid (one of {', '.join(allowed)}); using the default."))
            text = ""
        page[name] = text
    for key, name in _NUMBER_KEYS.items():
        text = params.get(key, "")
        if text and not (text.isascii() and text.isdigit() and len(text) <= 4):
            problems.append((f"{key} “{text}” không phải là số; dùng mặc định.",
                             f"{key} “{text}” is not a number; using the default."))
            text = ""
        page[name] = int(text) if text else None
    set_id = params.get(SET, "")
    page["criteria_set"] = set_id if set_id.replace("_", "").replace("-", "").isalnum() else ""
    if set_id and not page["criteria_set"]:
        problems.append((f"bộ tiêu chí “{set_id}” không hợp lệ; dùng bộ đang áp dụng.",
                         f"criteria set “{set_id}” is not valid; using the set in force."))
    page["include_submitted"] = pick(INCLUDE_SUBMITTED, ("0", "1"), "0", ("gồm số chờ duyệt",
                                                                          "include submitted")) == "1"
    view = ViewState(lang, vintage, indicator, kind, period, scheme, classes, breaks, locked, unit, conditions,
                     combine, layers, region=region, **page)  # type: ignore[arg-type]
    return view, problems


def _region_vintage(region: str, vintage: int, named: bool, problems: list[Problem]) -> int:
    """``vintage`` if the region has it, else the region's newest (said so when the link named another)."""
    vintages = load_pack(region).vintages
    if vintage in vintages:
        return vintage
    if named:
        problems.append((f"vùng “{region}” không có ranh giới năm {vintage}; dùng năm {vintages[-1]}.",
                         f"region “{region}” has no {vintage} boundaries; using {vintages[-1]}."))
    return vintages[-1]


def decode_region(params: Mapping[str, str]) -> str:
    """The region a link names (the default when it names none or an unknown one), as :func:`decode_view`."""
    text = params.get(REGION, "")
    return text if text in region_ids() else DEFAULT_REGION


def decode_lang(params: Mapping[str, str]) -> str:
    """The language a link names (the default when it names none or a wrong one), as :func:`decode_view`."""
    text = params.get(LANG, "")
    return text if text in LANGUAGES else ViewState.lang


def decode_vintage(params: Mapping[str, str]) -> int:
    """The boundary vintage a link names, as :func:`decode_view` reads it (one the link's region has)."""
    text = params.get(VINTAGE, "")
    vintage = int(text) if text in _VINTAGE_IDS else ViewState.vintage
    return _region_vintage(decode_region(params), vintage, False, [])


def decode_include_submitted(params: Mapping[str, str]) -> bool:
    """Whether a link asks to include values waiting for approval, as :func:`decode_view` reads it."""
    return params.get(INCLUDE_SUBMITTED) == "1"


def _decode_unit(text: str | None, vintage: int, units: UnitsByVintage, problems: list[Problem]) -> str | None:
    """A bare code read in ``vintage``, or a qualified one (``2024:03448``) of that same vintage."""
    if text is None or not text.strip():
        return None
    try:
        named_vintage, code = parse_qualified_code(text) if ":" in text else (vintage, normalise_code(text))
    except ValueError:
        named_vintage, code = vintage, ""
    if named_vintage == vintage and code in units.get(vintage, {}):
        return code
    problems.append((f"đơn vị “{text}” không thuộc danh mục năm {vintage}; chưa chọn đơn vị nào.",
                     f"unit “{text}” is not a {vintage} unit; no unit is selected."))
    return None


def switch_vintage(view: ViewState, vintage: int, units: UnitsByVintage) -> tuple[ViewState, list[Problem]]:
    """``view`` on the boundaries of ``vintage``: every choice kept except a unit that does not exist there."""
    if vintage == view.vintage:
        return view, []
    moved = replace(view, vintage=vintage)
    if view.unit is not None and view.unit not in units.get(vintage, {}):
        name = units[view.vintage][view.unit].label("vi"), units[view.vintage][view.unit].label("en")
        return replace(moved, unit=None), [
            (f"{name[0]} không còn là đơn vị năm {vintage}: đã bỏ chọn.",
             f"{name[1]} is not a {vintage} unit: the selection was cleared.")]
    return moved, []


def switch_region(view: ViewState, region: str, units: UnitsByVintage) -> tuple[ViewState, list[Problem]]:
    """``view`` over the region pack ``region``: its boundaries (the vintage kept if the region has it),
    every other choice kept except a selected unit the region does not hold (``units``: the region's)."""
    if region == view.region:
        return view, []
    vintages = load_pack(region).vintages
    moved = replace(view, region=region, vintage=view.vintage if view.vintage in vintages else vintages[-1])
    if view.unit is not None and view.unit not in units.get(moved.vintage, {}):
        return replace(moved, unit=None), [("Đơn vị đang chọn không có trong vùng này: đã bỏ chọn.",
                                            "The selected unit is not in this region: the selection was cleared.")]
    return moved, []


def view_notices(view: ViewState, atlas: Atlas, lang: str) -> list[str]:
    """What the chosen view cannot show on these boundaries, and where it can be found instead."""
    notices = []
    mappable = [v for v in VINTAGES if v in atlas.units and view.indicator in atlas.mappable_indicators(v)]
    if view.vintage not in mappable:
        name = atlas.catalogue[view.indicator].name(lang)
        elsewhere = [str(v) for v in mappable]
        if lang == "vi":
            notices.append(f"{name}: không có số liệu cấp xã năm {view.vintage}"
                           + (f" — có số liệu năm {', '.join(elsewhere)}." if elsewhere else "."))
        else:
            notices.append(f"{name}: no data in {view.vintage}"
                           + (f" — available in {', '.join(elsewhere)}." if elsewhere else "."))
    if view.period != LATEST:
        values = atlas.values
        rows = values[(values["indicator"] == view.indicator) & (values["vintage"] == view.vintage)
                      & (values["period"] == view.period) & values["kind"].isin(KIND_CHOICES[view.kind])]
        if rows.empty and view.vintage in mappable:
            when = format_period(view.period, lang)
            notices.append(f"Không có số liệu kỳ {when} cho lựa chọn này." if lang == "vi"
                           else f"No values for {when} with these choices.")
    return notices

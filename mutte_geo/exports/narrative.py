"""Short drafted paragraphs for a report, written from the stored values by fixed templates.

Every number in a sentence is a stored value (listed in ``Draft.facts``) or a count/ratio of
stored values whose formula is written out (``12/14 = 85,7%``); nothing else is said. The wording
follows the district report's style ("Năm 2024 có 12/14 xã, thị trấn ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from mutte_geo.analysis.overview import gap_text, target_text
from mutte_geo.analysis.targets import BEHIND, ON_TRACK, TargetRow, atlas_targets, latest_result
from mutte_geo.core.formatting import format_quantity
from mutte_geo.core.i18n import format_period, gettext, kind_label
from mutte_geo.maps.printoptions import source_label
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import Indicator
from mutte_geo.model.indicators import LATEST, select
from mutte_geo.model.join import value_text
from mutte_geo.model.units import DISTRICT_CODE, TOWN_TYPE


@dataclass(frozen=True)
class Fact:
    """One stored value a sentence quotes."""

    indicator: str
    unit_code: str
    period: str
    kind: str
    value: str
    source: str


@dataclass
class Draft:
    """The sentences about one indicator and the stored values they quote."""

    indicator: str
    sentences: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    def quote(self, row: pd.Series, unit_code: str) -> None:
        self.facts.append(Fact(str(row["indicator"]), unit_code, str(row["period"]), str(row["kind"]),
                               str(row["value"]), str(row["source"])))


def units_noun(atlas: Atlas, vintage: int, lang: str) -> str:
    """'xã, thị trấn' when the vintage has a town, else 'xã' (the 2025 communes)."""
    has_town = any(u.unit_type == TOWN_TYPE for u in atlas.units[vintage].values())
    return gettext(lang, "communes and towns") if has_town else gettext(lang, "communes")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _when(period: str, lang: str) -> str:
    """'Năm 2024' / 'In 2024', '6 tháng đầu năm 2024' / 'In H1 2024', 'Không rõ kỳ' for undated."""
    if period == "n.d.":
        return gettext(lang, "In figures without a stated period")
    text = format_period(period, lang)
    if text.isdigit():
        return gettext(lang, "In {text}").format(text=text)
    shown = text[:1].upper() + text[1:]
    return gettext(lang, "In {shown}").format(shown=shown)


def draft_indicator(atlas: Atlas, indicator_id: str, *, vintage: int, lang: str, period: str = LATEST,
                    kinds: tuple[str, ...] = ("actual", "estimate")) -> Draft:
    """Sentences on the communes' values, the district's result against its 2025 target, and a
    reported rate against the count it is a rate of."""
    indicator = atlas.catalogue[indicator_id]
    draft = Draft(indicator_id)
    _commune_sentences(draft, atlas, indicator, vintage, lang, period, kinds)
    if vintage == 2024:
        _district_sentences(draft, atlas, indicator, lang)
    sources = sorted({source_label(f.source) for f in draft.facts if f.source.strip()})
    if sources:
        draft.sentences.append(gettext(lang, "Sources: ") + "; ".join(sources) + ".")
    return draft


def _commune_sentences(draft: Draft, atlas: Atlas, indicator: Indicator, vintage: int, lang: str, period: str,
                       kinds: tuple[str, ...]) -> None:
    units = atlas.units[vintage]
    rows = select(atlas.values, indicator=indicator.id, vintage=vintage, period=period, kinds=kinds)
    rows = rows[rows.index.isin(list(units))]
    if rows.empty:
        return
    noun = units_noun(atlas, vintage, lang)
    total, present = len(units), len(rows)
    periods = sorted(set(rows["period"]))
    when = _when(periods[0], lang) if len(periods) == 1 else gettext(lang, "By each unit's latest value")
    name = _lower_first(indicator.name(lang))
    coverage = gettext(lang, "{present} of {total} {noun} have a value").format(present=present, total=total, noun=noun)
    for code, row in rows.iterrows():
        draft.quote(row, str(code))
    if indicator.value_type == "yes/no":
        named = [units[c].label(lang) for c, r in rows.iterrows() if r["value"] == "yes"]
        listed = f": {', '.join(named)}" if named else ""
        lead = when if lang == "vi" and when.startswith("Năm") else when + ","
        with_value = gettext(lang, " with a value") if present < total else ""
        ending = f" ({coverage})." if present < total else "."
        draft.sentences.append(gettext(lang, "{lead} {n_named} of the {present} {noun}{with_value} are "
                                             "“{name}”{listed}{ending}").format(
                                   lead=lead, n_named=len(named), present=present, noun=noun, with_value=with_value,
                                   name=name, listed=listed, ending=ending))
    elif indicator.value_type == "category":
        groups: dict[str, list[str]] = {}
        for code, row in rows.iterrows():
            label = indicator.category_label(str(row["value"]), lang)
            groups.setdefault(label, []).append(units[str(code)].label(lang))
        parts = "; ".join(f"{label}: {len(names)} ({', '.join(names)})" for label, names in groups.items())
        draft.sentences.append(gettext(lang, "{when}, {name} ({coverage}): {parts}.").format(
                                   when=when, name=name, coverage=coverage, parts=parts))
    else:
        ordered = rows.sort_values("number")
        if present == 1:
            code, row = next(ordered.iterrows())
            draft.sentences.append(gettext(lang, "{when}, {name} of {label} is {value_text} (only {coverage}).").format(
                                       when=when, name=name, label=units[str(code)].label(lang),
                                       value_text=value_text(indicator, row, lang), coverage=coverage))
        else:
            (low_code, low), (high_code, high) = next(ordered.iterrows()), next(ordered[::-1].iterrows())

            def quoted(row: pd.Series) -> str:  # the period too when the units' periods differ
                text = value_text(indicator, row, lang)
                return text if len(periods) == 1 else f"{text}, {format_period(str(row['period']), lang)}"

            draft.sentences.append(gettext(lang, "{when}, {name} is highest in {label} ({quoted}) and lowest "
                                                 "in {label2} ({quoted2}); {coverage}.").format(
                                       when=when, name=name, label=units[str(high_code)].label(lang),
                                       quoted=quoted(high), label2=units[str(low_code)].label(lang),
                                       quoted2=quoted(low), coverage=coverage))
    uncertain = int((rows["status"] == "UNCERTAIN").sum())
    if uncertain:
        draft.sentences.append(gettext(lang, "{uncertain} value(s) are uncertain (weak source) and need "
                                             "checking.").format(uncertain=uncertain))


def _district_sentences(draft: Draft, atlas: Atlas, indicator: Indicator, lang: str) -> None:
    values = atlas.values
    result = latest_result(values, indicator.id)
    ratio = _ratio_sentence(draft, atlas, indicator, result, lang) if result is not None else None
    if ratio is not None:
        draft.sentences.append(ratio)
    elif result is not None:
        draft.quote(result, DISTRICT_CODE)
        draft.sentences.append(gettext(lang, "{when}, district: {value_text} ({kind_label}).").format(
                                   when=_when(result['period'], lang), value_text=value_text(indicator, result, lang),
                                   kind_label=kind_label(result['kind'], lang)))
    target = next((r for r in atlas_targets(atlas) if r.indicator.id == indicator.id), None)
    if target is not None:
        row = values[(values["indicator"] == indicator.id) & (values["unit_code"] == DISTRICT_CODE)
                     & (values["vintage"] == 2024) & (values["kind"] == "target")
                     & (values["period"] == target.target_period)].iloc[0]
        draft.quote(row, DISTRICT_CODE)
        draft.sentences.append(_target_sentence(target, lang))


def _target_sentence(row: TargetRow, lang: str) -> str:
    target = target_text(row, lang)
    if row.status == ON_TRACK:
        return gettext(lang, "The 2025 target is {target}: the latest result already reaches it.").format(target=target)
    if row.status == BEHIND:
        return gettext(lang, "The 2025 target is {target}; a gap of {gap_text} remains.").format(
                   target=target, gap_text=gap_text(row, lang))
    if row.actual is None:
        return gettext(lang, "The 2025 target is {target}; there is no result to compare yet.").format(target=target)
    return gettext(lang, "The 2025 target is {target} ({gap_text}).").format(
               target=target, gap_text=gap_text(row, lang))


def _ratio_sentence(draft: Draft, atlas: Atlas, indicator: Indicator, result: pd.Series, lang: str) -> str | None:
    """'Năm 2024 có 12/14 xã, thị trấn ... (báo cáo ghi 84,6%; 12/14 = 85,7%)' for a rate whose numerator
    and denominator the district also reports for the same period."""
    if indicator.ratio_of is None:
        return None
    parts = []
    for ident in indicator.ratio_of:
        row = latest_result(atlas.values, ident)
        if row is None or row["period"] != result["period"]:
            return None
        parts.append(row)
    numerator, denominator = parts
    share = 100 * float(numerator["number"]) / float(denominator["number"])
    for row in (numerator, denominator, result):
        draft.quote(row, DISTRICT_CODE)
    count = "/".join(format_quantity(float(row["number"]), "", lang) for row in (numerator, denominator))
    computed = format_quantity(share, "%", lang, indicator.decimals, trim=False)
    reported = value_text(indicator, result, lang)
    name = _lower_first(atlas.catalogue[numerator["indicator"]].name(lang))
    when = _when(result["period"], lang)
    return gettext(lang, "{when}, {name}: {count} (the report gives {reported}; {count} = {computed}).").format(
               when=when, name=name, count=count, reported=reported, computed=computed)

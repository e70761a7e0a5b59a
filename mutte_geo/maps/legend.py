"""Legend entries, shared by the interactive map and the exports."""

from __future__ import annotations

from dataclasses import dataclass

from mutte_geo.core.i18n import NO_DATA, format_number, gettext
from mutte_geo.maps.classify import NO_DATA_FILL, Classification
from mutte_geo.model.catalogue import Indicator
from mutte_geo.model.reform import derived_value_label


@dataclass(frozen=True)
class LegendEntry:
    color: str
    label: str
    count: int
    no_data: bool = False


def legend_entries(
    classification: Classification, indicator: Indicator, lang: str, *, no_data_count: int
) -> list[LegendEntry]:
    """Class ranges (or categories) in order, then the no-data entry."""
    entries = []
    for b in classification.bins:
        if b.code is not None:
            label = indicator.choice_label(b.code, lang)
        else:
            assert b.lower is not None and b.upper is not None
            low = format_number(b.lower, lang, indicator.decimals)
            high = format_number(b.upper, lang, indicator.decimals)
            label = low if low == high else f"{low} – {high}"
        entries.append(LegendEntry(b.color, label, b.count))
    entries.append(LegendEntry(NO_DATA_FILL, NO_DATA[lang], no_data_count, no_data=True))
    return entries


def direction_text(indicator: Indicator, lang: str) -> str:
    """Which way a numeric map reads: darker is more, and whether more is better or worse.

    >>> from mutte_geo.model.catalogue import Indicator
    >>> poverty = Indicator("p", "labour_poverty", "percentage", "%", "%", False, 1, "none", "", None, False,
    ...                     "", "", {})
    >>> direction_text(poverty, "vi")
    'Màu đậm hơn = cao hơn · ↑ xấu hơn'
    """
    if not indicator.is_numeric:
        return ""
    darker = gettext(lang, "Darker = higher")
    if indicator.higher_is_better is None:
        return darker
    better = gettext(lang, "↑ better") if indicator.higher_is_better else gettext(lang, "↑ worse")
    return f"{darker} · {better}"


def legend_title(indicator: Indicator, lang: str) -> str:
    unit = indicator.unit(lang)
    return f"{indicator.name(lang)} ({unit})" if unit else indicator.name(lang)


def derived_legend_entries(
    classification: Classification, indicator: Indicator, lang: str, *, no_data_count: int
) -> list[LegendEntry]:
    """Legend entries for ``classify_derived_categories``: derived levels and lists in words."""
    entries = []
    for b in classification.bins:
        code = str(b.code)
        label = derived_value_label(indicator, code, lang)
        if label is None:
            label = indicator.choice_label(code, lang)
        entries.append(LegendEntry(b.color, label, b.count))
    entries.append(LegendEntry(NO_DATA_FILL, NO_DATA[lang], no_data_count, no_data=True))
    return entries

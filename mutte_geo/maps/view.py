"""One map request and the view it gives: the same path for the map page, exports, CLI and benchmark."""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd

from mutte_geo.core.i18n import tr
from mutte_geo.maps.classify import Classification, classify_categories, classify_derived_categories, classify_numeric
from mutte_geo.maps.legend import LegendEntry, derived_legend_entries, legend_entries
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.crosswalk import mark_reaching_outside
from mutte_geo.model.indicators import LATEST, RESULT_KINDS, period_sort_key
from mutte_geo.model.join import join_indicator
from mutte_geo.model.units import DISTRICT_CODE


@dataclass(frozen=True)
class MapRequest:
    """Everything a user chooses for one choropleth.

    >>> MapRequest("population", vintage=2025).kinds
    ('actual', 'estimate')
    """

    indicator_id: str
    vintage: int = 2024
    period: str = LATEST
    kinds: tuple[str, ...] = RESULT_KINDS
    lang: str = "vi"
    scheme: str = "quantiles"
    k: int = 5
    manual_breaks: tuple[float, ...] | None = None


@dataclass(frozen=True)
class MapView:
    """What one choropleth shows: joined layer, classes and legend (shared by map and exports)."""

    joined: gpd.GeoDataFrame
    classification: Classification
    legend: list[LegendEntry]


def map_view(atlas: Atlas, request: MapRequest) -> MapView:
    """Join, classify and describe ``request`` on the atlas' web layer."""
    indicator = atlas.catalogue[request.indicator_id]
    vintage, lang = request.vintage, request.lang
    joined = join_indicator(atlas.web_layer(vintage), atlas.values, indicator=indicator, vintage=vintage,
                            units=atlas.units[vintage], lang=lang, period=request.period, kinds=request.kinds)
    series = joined.set_index("code")
    derived = None if indicator.is_numeric else classify_derived_categories(series["value"], indicator)
    if indicator.is_numeric:
        breaks = list(request.manual_breaks) if request.manual_breaks is not None else None
        classification = classify_numeric(series["number"], scheme=request.scheme, k=request.k,
                                          higher_is_better=indicator.higher_is_better, manual_breaks=breaks)
    else:
        classification = derived or classify_categories(series["value"], yes_no=indicator.value_type == "yes/no")
    no_data = int((~joined["has_data"]).sum())
    legend = (legend_entries if derived is None else derived_legend_entries)(
        classification, indicator, lang, no_data_count=no_data)
    if vintage == 2025 and atlas.crosswalk is not None:
        joined, notes = mark_reaching_outside(joined, atlas.crosswalk, atlas.units, lang)
        classification = replace(classification, notes=[*classification.notes, *notes])
    return MapView(joined, classification, legend)


def period_choices(atlas: Atlas, indicator_id: str, vintage: int, kinds: tuple[str, ...]) -> list[str]:
    """``latest`` and every period with commune values of ``kinds``, newest first."""
    values = atlas.values
    rows = values[(values["indicator"] == indicator_id) & (values["vintage"] == vintage)
                  & (values["unit_code"] != DISTRICT_CODE) & values["kind"].isin(kinds)]
    return [LATEST, *sorted(set(rows["period"]), key=period_sort_key, reverse=True)]


def legend_note(view: MapView, lang: str, *, interactive: bool = True) -> str:
    """What a reader must know beside the classes: fallbacks, mixed periods, uncertain values.

    On paper (``interactive=False``) the reader is sent to the values table instead of hovering.
    """
    parts = [view.classification.note(lang)]
    joined = view.joined
    if joined.loc[joined["has_data"], "period"].nunique() > 1:
        parts.append(tr(lang, "Các đơn vị có số liệu ở các kỳ khác nhau (rê chuột để xem).",
                        "Units have values from different periods (hover to see).") if interactive else
                     tr(lang, "Các đơn vị có số liệu ở các kỳ khác nhau (xem bảng số liệu).",
                        "Units have values from different periods (see the values table)."))
    if joined["uncertain"].any():
        parts.append(tr(lang, "* số liệu chưa chắc chắn (nguồn yếu).", "* uncertain value (weak source)."))
    return " ".join(p for p in parts if p)

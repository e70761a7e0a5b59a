"""Trends: every period's value of an indicator for a unit and for the district, as data and as small
Altair (Vega-Lite) charts that Streamlit draws offline.

Results (actual, estimate) are joined by a line; estimates and targets get their own shape and colour
and are never joined to the results as if they were measured. Undated values have no place on a time
axis: they are left out of the chart and counted (``undated``). Nothing is interpolated.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import altair as alt
import pandas as pd

from mutte_geo.core.i18n import format_period, gettext, kind_label
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import UNDATED, period_sort_key
from mutte_geo.model.join import value_text
from mutte_geo.model.reform import is_derived
from mutte_geo.model.units import DISTRICT_CODE

KIND_ORDER = ("actual", "estimate", "target")
KIND_SHAPES = {"actual": "circle", "estimate": "triangle-up", "target": "diamond"}
KIND_COLORS = {"actual": "#0072B2", "estimate": "#E69F00", "target": "#CC79A7"}  # Okabe–Ito
COLUMNS = ["indicator", "indicator_name", "series", "period", "period_label", "when", "number", "kind",
           "kind_label", "value_text", "uncertain", "derived", "source"]


def period_position(period: str) -> float:
    """Where a period sits on a time axis, in years: a year at its end, a half or quarter at its own end.

    >>> period_position("2024"), period_position("2024-H1"), period_position("2024-Q3"), period_position("2024-03")
    (2024.0, 2023.5, 2023.75, 2023.25)
    """
    year, month = period_sort_key(period)
    return year - (12 - month) / 12


def district_label(vintage: int, lang: str) -> str:
    return gettext(lang, "Mường Tè district") if vintage < 2025 \
        else gettext(lang, "Former Mường Tè district")


def trend_frame(atlas: Atlas, vintage: int, code: str, lang: str, *, indicators: Iterable[str] | None = None,
                with_district: bool = True) -> pd.DataFrame:
    """One row per dated numeric value of the unit (``series`` = its name) and, beside it, of the district.

    The district's own figures are those of vintage 2024 (the district ended on 1 July 2025).
    ``indicators`` limits the indicators; by default every numeric one with a dated value of the unit.
    """
    values = atlas.values
    wanted = set(indicators) if indicators is not None else None
    numeric = {i for i, ind in atlas.catalogue.items() if ind.is_numeric and (wanted is None or i in wanted)}
    mine = values[(values["vintage"] == vintage) & (values["unit_code"] == code) & values["indicator"].isin(numeric)
                  & (values["period"] != UNDATED)]
    parts = [(mine, atlas.units[vintage][code].label(lang) if code != DISTRICT_CODE else district_label(2024, lang))]
    if with_district and code != DISTRICT_CODE:
        district = values[(values["vintage"] == 2024) & (values["unit_code"] == DISTRICT_CODE)
                          & values["indicator"].isin(set(mine["indicator"])) & (values["period"] != UNDATED)]
        parts.append((district, district_label(vintage, lang)))
    ranks = {i: n for n, i in enumerate(atlas.catalogue)}
    records = []
    for part, (rows, series) in enumerate(parts):
        for row in rows.to_dict("records"):
            indicator = atlas.catalogue[row["indicator"]]
            records.append({
                "indicator": indicator.id, "indicator_name": indicator.name(lang), "series": series,
                "period": row["period"], "period_label": format_period(row["period"], lang),
                "when": period_position(row["period"]), "number": float(row["number"]), "kind": row["kind"],
                "kind_label": kind_label(row["kind"], lang), "value_text": value_text(indicator, row, lang),
                "uncertain": row["status"] == "UNCERTAIN", "derived": is_derived(row), "source": row["source"],
                "_rank": (ranks[indicator.id], part, KIND_ORDER.index(row["kind"])),
            })
    frame = pd.DataFrame.from_records(records, columns=[*COLUMNS, "_rank"])
    frame["_rank"] = [(*r[:2], w, r[2]) for r, w in zip(frame["_rank"], frame["when"])]
    return frame.sort_values("_rank", ignore_index=True).drop(columns="_rank")


def trend_caption(undated: int, lang: str) -> str:
    """How to read the charts, and how many undated values they leave out."""
    text = gettext(lang, "● actual (joined by a line) · ▲ estimate · ◆ target (not joined). Each panel has its own "
                         "scale; the unit and the whole district side by side.")
    if undated:
        text += gettext(lang, " {undated} undated values cannot be placed on a time axis.").format(undated=undated)
    return text


def undated_count(atlas: Atlas, vintage: int, code: str) -> int:
    """Numeric values of the unit without a period: not drawn on a time axis."""
    values = atlas.values
    numeric = [i for i, ind in atlas.catalogue.items() if ind.is_numeric]
    return int(((values["vintage"] == vintage) & (values["unit_code"] == code) & (values["period"] == UNDATED)
                & values["indicator"].isin(numeric)).sum())


def number_label_expr(lang: str) -> str:
    """A Vega expression writing axis numbers the language's way (12.345,5 in Vietnamese)."""
    text = "format(datum.value, ',~r')"
    if lang != "vi":
        return text
    return (f"replace(replace(replace({text}, regexp(',', 'g'), '_'), regexp('[.]', 'g'), ','), "
            "regexp('_', 'g'), '.')")


def trend_chart(frame: pd.DataFrame, lang: str, *, facet: str = "series", columns: int | None = None,
                width: int = 170, height: int = 130, shared_x: bool = True) -> alt.FacetChart:
    """Small multiples of ``frame`` (from ``trend_frame``): one panel per ``facet`` value (the unit and the
    district, or one indicator each), own y scale per panel; results joined by a line, estimates and
    targets with their own shape and colour."""
    kinds = [k for k in KIND_ORDER if k in set(frame["kind"])]
    labels = [kind_label(k, lang) for k in kinds]
    kind = alt.Color("kind_label:N", title=gettext(lang, "Kind of value"),
                     scale=alt.Scale(domain=labels, range=[KIND_COLORS[k] for k in kinds]),
                     legend=alt.Legend(orient="bottom"))
    shape = alt.Shape("kind_label:N", scale=alt.Scale(domain=labels, range=[KIND_SHAPES[k] for k in kinds]))
    x = alt.X("when:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0),
              scale=alt.Scale(zero=False, nice=False, padding=12))
    y = alt.Y("number:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(labelExpr=number_label_expr(lang)))
    tooltip = [alt.Tooltip("series:N", title=gettext(lang, "Unit")),
               alt.Tooltip("indicator_name:N", title=gettext(lang, "Indicator")),
               alt.Tooltip("period_label:N", title=gettext(lang, "Period")),
               alt.Tooltip("value_text:N", title=gettext(lang, "Value")),
               alt.Tooltip("kind_label:N", title=gettext(lang, "Kind")),
               alt.Tooltip("source:N", title=gettext(lang, "Source"))]
    base = alt.Chart().encode(x=x, y=y)
    line = base.transform_filter(alt.FieldOneOfPredicate(field="kind", oneOf=["actual", "estimate"])).mark_line(
        color="#4d4d4d", strokeWidth=1.2)
    points = base.mark_point(size=70, filled=True, opacity=1).encode(color=kind, shape=shape, tooltip=tooltip)
    # panel titles wrapped to the panel's width (a Vega label split on new lines gives several lines)
    frame = frame.assign(panel=[textwrap.fill(str(t), max(12, width // 6)) for t in frame[facet]])
    header = alt.Header(title=None, labelFontWeight="bold", labelAnchor="start", labelExpr="split(datum.label, '\\n')")
    facet_field = alt.Facet("panel:N", header=header, title=None, sort=list(dict.fromkeys(frame["panel"])))
    chart = alt.layer(line, points, data=frame).properties(width=width, height=height).facet(
        facet=facet_field, columns=columns or 2)
    return chart.resolve_scale(y="independent", x="shared" if shared_x else "independent")

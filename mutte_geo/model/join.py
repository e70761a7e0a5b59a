"""Join indicator values to a boundary layer on official codes, never on names."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from mutte_geo.core.i18n import NO_DATA, format_number, format_period, gettext, kind_label
from mutte_geo.model.catalogue import Indicator
from mutte_geo.model.indicators import select
from mutte_geo.model.reform import derived_suffix, derived_value_label
from mutte_geo.model.sources import is_unofficial, unofficial_mark
from mutte_geo.model.units import Unit, map_label


def value_text(indicator: Indicator, row: pd.Series | dict, lang: str) -> str:
    """A value as a reader sees it: number with unit, yes/no or category label; a value moved across
    the 2025 reform says what it was derived from; one from an unofficial web source says so."""
    text = _bare_value_text(indicator, row, lang) + derived_suffix(row, lang)
    if is_unofficial(str(row.get("source", ""))):
        text += f" ({unofficial_mark(lang)})"
    return text


def _bare_value_text(indicator: Indicator, row: pd.Series | dict, lang: str) -> str:
    derived = derived_value_label(indicator, str(row["value"]), lang)
    if derived is not None:
        return derived
    if not indicator.is_numeric:
        return indicator.choice_label(row["value"], lang)
    unit = indicator.unit(lang)
    number = format_number(row["number"], lang, indicator.decimals)
    return f"{number} {unit}".strip() if unit != "%" else f"{number}%"


def join_indicator(
    layer: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    indicator: Indicator,
    vintage: int,
    units: dict[str, Unit],
    lang: str,
    period: str,
    kinds: tuple[str, ...],
) -> gpd.GeoDataFrame:
    """Every unit of ``layer`` with its value of ``indicator`` (or no data), ready to map.

    Columns: code, name, label, type_label, map_label, value, number, value_text, period, period_text,
    kind, source, note, uncertain, unofficial, has_data, geometry.
    """
    chosen = select(values, indicator=indicator.id, vintage=vintage, period=period, kinds=kinds)
    out = layer[["code", "geometry"]].copy()
    out["name"] = [units[c].name_vi for c in out["code"]]
    out["label"] = [units[c].label(lang) for c in out["code"]]
    out["type_label"] = [units[c].type_label(lang) for c in out["code"]]
    out["map_label"] = [map_label(units[c], units, lang) for c in out["code"]]
    matched = chosen.reindex(out["code"])
    out["has_data"] = matched["value"].notna().to_numpy()
    out["value"] = matched["value"].to_numpy()
    out["number"] = pd.to_numeric(matched["number"], errors="coerce").to_numpy()
    out["period"] = matched["period"].to_numpy()
    out["kind"] = matched["kind"].to_numpy()
    out["source"] = matched["source"].fillna("").to_numpy()
    out["note"] = matched["note"].fillna("").to_numpy()
    out["uncertain"] = (matched["status"] == "UNCERTAIN").to_numpy()
    out["unofficial"] = [is_unofficial(s) for s in out["source"]]
    texts, periods = [], []
    for has, row in zip(out["has_data"], matched.to_dict("records")):  # plain dicts: iterrows is slow
        if not has:
            texts.append(NO_DATA[lang])
            periods.append("")
            continue
        text = value_text(indicator, row, lang)
        if row["status"] == "UNCERTAIN":
            text += gettext(lang, " (uncertain)")
        texts.append(text)
        periods.append(f"{format_period(row['period'], lang)} · {kind_label(row['kind'], lang)}")
    out["value_text"] = texts
    out["period_text"] = periods
    return out

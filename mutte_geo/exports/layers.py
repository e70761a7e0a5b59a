"""The values of a map view as data: a reader's table (CSV/XLSX) and a GIS layer (GeoJSON/GeoPackage)."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pyogrio

from mutte_geo.core.i18n import format_date, gettext
from mutte_geo.maps.classify import NO_DATA_FILL
from mutte_geo.maps.printoptions import PrintOptions, default_subtitle, default_title, sources_line
from mutte_geo.maps.view import MapRequest, MapView
from mutte_geo.model.atlas import Atlas


def values_table(atlas: Atlas, view: MapView, *, request: MapRequest) -> pd.DataFrame:
    """The joined values as a reader's table, one row per unit, codes qualified by vintage."""
    lang = request.lang
    joined = view.joined
    return pd.DataFrame({
        gettext(lang, "Boundary vintage"): request.vintage,
        gettext(lang, "Code"): joined["code"].to_numpy(),
        gettext(lang, "Unit"): joined["label"].to_numpy(),
        gettext(lang, "Indicator"): atlas.catalogue[request.indicator_id].name(lang),
        gettext(lang, "Value"): joined["value_text"].to_numpy(),
        gettext(lang, "Number"): joined["number"].to_numpy(),
        gettext(lang, "Period"): joined["period_text"].to_numpy(),
        gettext(lang, "Map colour"): [view.classification.color_of(c) or NO_DATA_FILL
                                                     for c in joined["code"]],
        gettext(lang, "Source"): joined["source"].to_numpy(),
        gettext(lang, "Note"): joined["note"].to_numpy(),
    })


def export_notes(atlas: Atlas, view: MapView, *, request: MapRequest, options: PrintOptions) -> list[str]:
    """Title, subtitle, sources, attribution and export date, for the notes of a table."""
    lang = request.lang
    return [
        options.title or default_title(atlas, request.indicator_id, lang),
        options.subtitle or default_subtitle(request.period, request.kinds, request.vintage, lang, atlas.region),
        sources_line(view, lang),
        *atlas.attribution(request.vintage),
        gettext(lang, "Exported on: ") + format_date(options.export_date, lang),
    ]


def map_layer(atlas: Atlas, view: MapView, *, request: MapRequest) -> gpd.GeoDataFrame:
    """The map layer with ASCII field names, vintage-qualified keys and the attribution on every feature."""
    joined = view.joined
    return gpd.GeoDataFrame({
        "vintage": request.vintage,
        "unit_key": [f"{request.vintage}:{c}" for c in joined["code"]],
        "code": joined["code"].to_numpy(),
        "name_vi": joined["name"].to_numpy(),
        "label": joined["label"].to_numpy(),
        "indicator": request.indicator_id,
        "value": joined["value"].astype(object).where(joined["has_data"], None).to_numpy(),
        "number": joined["number"].to_numpy(),
        "value_text": joined["value_text"].to_numpy(),
        "period": joined["period"].astype(object).where(joined["has_data"], None).to_numpy(),
        "kind": joined["kind"].astype(object).where(joined["has_data"], None).to_numpy(),
        "uncertain": joined["uncertain"].to_numpy(),
        "source": joined["source"].to_numpy(),
        "class_color": [view.classification.color_of(c) or NO_DATA_FILL for c in joined["code"]],
        "attribution": " | ".join(atlas.attribution(request.vintage)),
    }, geometry=joined.geometry.to_numpy(), crs=joined.crs)


def layer_bytes(layer: gpd.GeoDataFrame, fmt: str, attribution: list[str]) -> bytes:
    """GeoJSON (attribution also as the collection's description) or GeoPackage (also as layer metadata)."""
    buffer = io.BytesIO()
    text = " | ".join(attribution)
    if fmt == "geojson":
        pyogrio.write_dataframe(layer, buffer, driver="GeoJSON", layer="muongte",
                                layer_options={"DESCRIPTION": text, "RFC7946": "YES"})
    else:
        pyogrio.write_dataframe(layer, buffer, driver="GPKG", layer="muongte",
                                layer_metadata={"attribution": text})
    return buffer.getvalue()

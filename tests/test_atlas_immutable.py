"""Nothing the app does to show or export a map changes the atlas it was given (its caches stay true)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from mutte_geo.analysis.completeness import completeness
from mutte_geo.analysis.filters import QUESTIONS, evaluate
from mutte_geo.analysis.targets import district_targets
from mutte_geo.exports.formats import export_bytes
from mutte_geo.exports.pack import report_pack_zip
from mutte_geo.maps.attentionmap import attention_layer_ids, attention_map
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.atlas import Atlas


def _fingerprint(atlas: Atlas) -> tuple[int, ...]:
    values = int(pd.util.hash_pandas_object(atlas.values.astype(str), index=True).sum())
    layers = [int(pd.util.hash_pandas_object(layer.to_wkb(hex=True).astype(str), index=True).sum())
              for vintage in atlas.units for layer in (atlas.boundaries(vintage), atlas.web_layer(vintage))]
    return values, len(atlas.catalogue), *layers


def test_maps_exports_and_questions_leave_the_atlas_as_it_was() -> None:
    atlas = Atlas.load()
    before = _fingerprint(atlas)
    for vintage in atlas.units:
        for indicator in atlas.mappable_indicators(vintage)[:8]:
            view = map_view(atlas, MapRequest(indicator, vintage))
            for fmt in ("csv", "geojson", "html"):
                export_bytes(fmt, atlas, view, request=MapRequest(indicator, vintage))
        completeness(atlas, vintage)
    report_pack_zip(atlas, [MapRequest("population"), MapRequest("households")])
    for question in QUESTIONS:
        evaluate(question.criteria, values=atlas.values, catalogue=atlas.catalogue, units=atlas.units[2024],
                 vintage=2024, lang="vi")
    district_targets(atlas.values, atlas.catalogue)
    attention_map(atlas, "vi", attention_layer_ids(atlas.catalogue, include_sensitive=True))
    assert _fingerprint(atlas) == before


def test_the_atlas_cannot_be_reassigned() -> None:
    atlas = Atlas.load()
    with pytest.raises(dataclasses.FrozenInstanceError):
        atlas.values = atlas.values.head(0)  # type: ignore[misc]

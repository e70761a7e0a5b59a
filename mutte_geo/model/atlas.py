"""Everything the app needs, loaded and checked once: units, boundaries, catalogue, values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mutte_geo.core.errors import DataFileError
from mutte_geo.core.i18n import format_period, gettext, kind_label, pgettext
from mutte_geo.core.paths import BOUNDARY_DIR, INDICATOR_DIR, REFERENCE_DIR
from mutte_geo.model.boundaries import load_boundaries, simplify_coverage
from mutte_geo.model.catalogue import Catalogue, load_catalogue
from mutte_geo.model.crosswalk import Crosswalk, load_crosswalk
from mutte_geo.model.datasetup import verify_installed
from mutte_geo.model.indicators import COLUMNS, UnitsByVintage, period_sort_key
from mutte_geo.model.join import value_text
from mutte_geo.model.provenance import Provenance
from mutte_geo.model.reform import derive_values, with_derived
from mutte_geo.model.regions import (
    RegionPack,
    bundled_values,
    check_contained,
    default_pack,
    load_pack,
    pack_boundaries,
    pack_units,
    store_units,
)
from mutte_geo.model.remarks import Remark, load_remarks
from mutte_geo.model.units import DISTRICT_CODE, VINTAGES, load_units


@dataclass(frozen=True, eq=False)
class Atlas:
    """Immutable: an atlas with other values is a new instance (:meth:`with_values`), so caches never go stale.

    Boundary layers depend only on units and files, so :meth:`with_values` shares them. ``values`` are those
    of ``units``; the store's values of its other units (``store_units``: those of the packs that contain
    this region) are kept in ``outside`` for :meth:`in_region`.
    """

    catalogue: Catalogue
    units: UnitsByVintage
    values: pd.DataFrame
    provenance: Provenance
    crosswalk: Crosswalk  # 2024 → 2025 of the default region; a region without 2024 units does not use it
    boundary_dir: Path = BOUNDARY_DIR
    _layers: dict[int, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)
    _web_layers: dict[int, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)
    remarks: tuple[Remark, ...] = ()
    region: RegionPack = field(default_factory=default_pack)
    store_units: UnitsByVintage = field(default_factory=dict)  # every unit the value store holds values of
    outside: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[*COLUMNS, "number", "file", "row"]),
                                  repr=False)
    _regions: dict[str, Atlas] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def load(
        cls,
        *,
        boundary_dir: Path = BOUNDARY_DIR,
        reference_dir: Path = REFERENCE_DIR,
        indicator_dir: Path = INDICATOR_DIR,
    ) -> Atlas:
        provenance = verify_installed(boundary_dir)
        units = {v: load_units(v, reference_dir) for v in VINTAGES}
        catalogue = load_catalogue(indicator_dir)
        layers = {v: load_boundaries(v, units[v], boundary_dir) for v in VINTAGES}
        crosswalk = load_crosswalk(units[2024], units[2025], layers[2024], layers[2025], reference_dir)
        values = bundled_values(catalogue, units, indicator_dir)
        remarks = load_remarks(set(catalogue), indicator_dir)
        base = cls(catalogue, units, values.iloc[:0], provenance, crosswalk, boundary_dir, layers, remarks=remarks,
                   store_units=store_units(units))
        return base.with_values(values)

    def with_values(self, values: pd.DataFrame) -> Atlas:
        """The same atlas over other stored values (of any of ``store_units``): those of its own units, with
        the 2024 values moved onto 2025 again, in ``values``; the others in ``outside``."""
        if 2024 not in self.units:
            raise ValueError(f"region '{self.region.id}' is a view of a store atlas: give the values to that atlas")
        own = _of_units(values, self.units) | ((values["vintage"] == 2024) & (values["unit_code"] == DISTRICT_CODE))
        return replace(self, values=derived_values(values[own], self.catalogue, self.crosswalk, self.units),
                       outside=values[~own])

    def in_region(self, region_id: str) -> Atlas:
        """This atlas' values over the units and boundaries of another region pack (computed once per atlas).

        All come from the one store: the units the pack shares with this atlas' region (``[contains]``) keep
        this atlas' values, so a commune's values are the same in both views; the other units get theirs
        from ``outside`` (of the indicators of this atlas' catalogue only, so a limited atlas stays limited).
        """
        if region_id == self.region.id:
            return self
        if region_id not in self._regions:
            self._regions[region_id] = _region_atlas(self, load_pack(region_id))
        return self._regions[region_id]

    def boundaries(self, vintage: int) -> gpd.GeoDataFrame:
        if vintage not in self._layers:
            self._layers[vintage] = load_boundaries(vintage, self.units[vintage], self.boundary_dir)
        return self._layers[vintage]

    def web_layer(self, vintage: int) -> gpd.GeoDataFrame:
        """Simplified, coordinate-rounded layer for the browser; computed once."""
        if vintage not in self._web_layers:
            self._web_layers[vintage] = simplify_coverage(self.boundaries(vintage))
        return self._web_layers[vintage]

    def attribution(self, vintage: int) -> list[str]:
        return list(self.region.attribution) or self.provenance.attribution(vintage)

    def region_notes(self, indicator_id: str, vintage: int) -> list[tuple[str, str]]:
        """The region pack's gaps and flags for a map of ``indicator_id`` (vi, en)."""
        return self.region.notes(indicator_id, set(self.units.get(vintage, {})))

    def mappable_indicators(self, vintage: int) -> list[str]:
        """Indicators with at least one commune-level value in ``vintage``."""
        return self._mappable[vintage]

    @cached_property
    def _mappable(self) -> dict[int, list[str]]:
        # Asked once per indicator label on every rerun: computed once per atlas.
        communes = self.values[self.values["unit_code"] != DISTRICT_CODE]
        present = communes.groupby("vintage")["indicator"].agg(set).to_dict()
        return {v: [i for i in self.catalogue if i in present.get(v, set())] for v in self.units}

    def unit_profile(self, vintage: int, code: str, lang: str) -> pd.DataFrame:
        """Every value held for one unit, with period, kind, source and status."""
        rows = self.values[(self.values["vintage"] == vintage) & (self.values["unit_code"] == code)]
        rows = rows.assign(_order=rows["period"].map(period_sort_key)).sort_values(
            ["indicator", "_order"], ascending=[True, False])
        records = []
        for _, row in rows.iterrows():
            indicator = self.catalogue[row["indicator"]]
            records.append({
                gettext(lang, "Indicator"): indicator.name(lang),
                gettext(lang, "Value"): value_text(indicator, row, lang),
                gettext(lang, "Period"): format_period(row["period"], lang),
                gettext(lang, "Kind"): kind_label(row["kind"], lang),
                pgettext(lang, "atlas", "Status"): gettext(lang, "uncertain")
                if row["status"] == "UNCERTAIN" else gettext(lang, "verified"),
                gettext(lang, "Source"): row["source"],
                gettext(lang, "Note"): row["note"],
            })
        return pd.DataFrame.from_records(records)


@dataclass(frozen=True)
class _PackData:
    """What a region pack's files give, shared by every atlas shown in that region."""

    units: UnitsByVintage
    layers: dict[int, gpd.GeoDataFrame]
    web_layers: dict[int, gpd.GeoDataFrame]


_pack_data: dict[str, _PackData] = {}


def _region_atlas(base: Atlas, pack: RegionPack) -> Atlas:
    if pack.contains is not None and pack.contains[0] != base.region.id:
        raise DataFileError(f"Region '{pack.id}' is shown over the values of '{pack.contains[0]}', "
                            f"not of '{base.region.id}'.")
    if pack.id not in _pack_data:
        units = {v: pack_units(pack, v) for v in pack.vintages}
        layers = {v: pack_boundaries(pack, v, units[v]) for v in pack.vintages}
        _pack_data[pack.id] = _PackData(units, layers, {})
    data = _pack_data[pack.id]
    contained: set[str] = set()
    if pack.contains is not None:
        contained = check_contained(pack, data.units[pack.contains[1]], base.units[pack.contains[1]])
    unknown = sorted(c for v in pack.vintages for c in data.units[v] if c not in base.store_units.get(v, {}))
    if unknown:
        raise DataFileError(f"Region '{pack.id}' has units the value store does not hold ({', '.join(unknown)}): "
                            f"a region is shown only when it contains '{base.region.id}' ([contains]).")
    values = base.values
    shared = values[values["vintage"].isin(pack.vintages) & values["unit_code"].isin(contained)]
    outside = base.outside
    theirs = outside[_of_units(outside, data.units) & outside["indicator"].isin(list(base.catalogue))]
    return replace(base, units=data.units,
                   values=pd.concat([shared, theirs.reindex(columns=shared.columns).fillna(
                       {c: "" for c in shared.columns if c not in theirs.columns})], ignore_index=True),
                   _layers=data.layers, _web_layers=data.web_layers, region=pack)


def _of_units(values: pd.DataFrame, units: UnitsByVintage) -> pd.Series:
    """Which rows of ``values`` are values of ``units`` (by vintage and code)."""
    keys = [(v, c) for v, by_code in units.items() for c in by_code]
    rows = pd.MultiIndex.from_arrays([values["vintage"].astype(int), values["unit_code"].astype(str)])
    return pd.Series(rows.isin(keys), index=values.index)


def derived_values(values: pd.DataFrame, catalogue: Catalogue, crosswalk: Crosswalk,
                   units: UnitsByVintage) -> pd.DataFrame:
    """``values`` with the 2024 values moved onto the 2025 communes (column derived_from); loaded 2025 values win."""
    return with_derived(values, derive_values(values, catalogue, crosswalk, units[2024]))

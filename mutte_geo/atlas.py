"""Everything the app needs, loaded and checked once: units, boundaries, catalogue, values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .boundaries import load_boundaries, simplify_coverage
from .catalogue import Catalogue, load_catalogue
from .classify import Classification, classify_categories, classify_numeric
from .consistency import Inconsistency, find_inconsistencies
from .crosswalk import Crosswalk, load_crosswalk, mark_reaching_outside
from .datasetup import verify_installed
from .i18n import format_period, kind_label, tr
from .indicators import LATEST, UnitsByVintage, load_values, period_sort_key
from .join import join_indicator, value_text
from .legend import LegendEntry, legend_entries
from .paths import BOUNDARY_DIR, INDICATOR_DIR, REFERENCE_DIR
from .provenance import Provenance
from .reform import classify_derived_categories, derive_values, derived_legend_entries, with_derived
from .units import DISTRICT_CODE, VINTAGES, load_units


@dataclass
class MapView:
    """What one choropleth shows: joined layer, classes and legend (shared by map and exports)."""

    joined: gpd.GeoDataFrame
    classification: Classification
    legend: list[LegendEntry]


@dataclass
class Atlas:
    catalogue: Catalogue
    units: UnitsByVintage
    values: pd.DataFrame
    provenance: Provenance
    boundary_dir: Path = BOUNDARY_DIR
    crosswalk: Crosswalk | None = None
    _layers: dict[int, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)
    _web_layers: dict[int, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)

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
        values = load_values(catalogue, units, indicator_dir)
        atlas = cls(catalogue, units, values, provenance, boundary_dir)
        # 2024 values moved onto the 2025 communes (column derived_from); loaded 2025 values win.
        atlas.crosswalk = load_crosswalk(units[2024], units[2025], atlas.boundaries(2024), atlas.boundaries(2025),
                                         reference_dir)
        atlas.values = with_derived(values, derive_values(values, catalogue, atlas.crosswalk, units[2024]))
        return atlas

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
        return self.provenance.attribution(vintage)

    def inconsistencies(self) -> list[Inconsistency]:
        return self._inconsistencies

    @cached_property
    def _inconsistencies(self) -> list[Inconsistency]:
        # Computed once per atlas; an atlas with other values is a new instance (dataclasses.replace).
        return find_inconsistencies(self.values, self.catalogue)

    def mappable_indicators(self, vintage: int) -> list[str]:
        """Indicators with at least one commune-level value in ``vintage``."""
        return self._mappable[vintage]

    @cached_property
    def _mappable(self) -> dict[int, list[str]]:
        # Asked once per indicator label on every rerun: computed once per atlas.
        communes = self.values[self.values["unit_code"] != DISTRICT_CODE]
        present = communes.groupby("vintage")["indicator"].agg(set).to_dict()
        return {v: [i for i in self.catalogue if i in present.get(v, set())] for v in self.units}

    def map_view(
        self,
        indicator_id: str,
        *,
        vintage: int,
        lang: str,
        period: str = LATEST,
        kinds: tuple[str, ...] = ("actual", "estimate"),
        scheme: str = "quantiles",
        k: int = 5,
        manual_breaks: list[float] | None = None,
    ) -> MapView:
        indicator = self.catalogue[indicator_id]
        joined = join_indicator(self.web_layer(vintage), self.values, indicator=indicator, vintage=vintage,
                                units=self.units[vintage], lang=lang, period=period, kinds=kinds)
        series = joined.set_index("code")
        derived = None if indicator.is_numeric else classify_derived_categories(series["value"], indicator)
        if indicator.is_numeric:
            classification = classify_numeric(series["number"], scheme=scheme, k=k,
                                              higher_is_better=indicator.higher_is_better,
                                              manual_breaks=manual_breaks)
        else:
            classification = derived or classify_categories(series["value"], yes_no=indicator.value_type == "yes/no")
        no_data = int((~joined["has_data"]).sum())
        legend = (legend_entries if derived is None else derived_legend_entries)(
            classification, indicator, lang, no_data_count=no_data)
        if vintage == 2025 and self.crosswalk is not None:
            joined, notes = mark_reaching_outside(joined, self.crosswalk, self.units, lang)
            classification = replace(classification, notes=[*classification.notes, *notes])
        return MapView(joined, classification, legend)

    def unit_profile(self, vintage: int, code: str, lang: str) -> pd.DataFrame:
        """Every value held for one unit, with period, kind, source and status."""
        rows = self.values[(self.values["vintage"] == vintage) & (self.values["unit_code"] == code)]
        rows = rows.assign(_order=rows["period"].map(period_sort_key)).sort_values(
            ["indicator", "_order"], ascending=[True, False])
        records = []
        for _, row in rows.iterrows():
            indicator = self.catalogue[row["indicator"]]
            records.append({
                tr(lang, "Chỉ tiêu", "Indicator"): indicator.name(lang),
                tr(lang, "Giá trị", "Value"): value_text(indicator, row, lang),
                tr(lang, "Kỳ", "Period"): format_period(row["period"], lang),
                tr(lang, "Loại", "Kind"): kind_label(row["kind"], lang),
                tr(lang, "Tình trạng", "Status"): tr(lang, "chưa chắc chắn", "uncertain")
                if row["status"] == "UNCERTAIN" else tr(lang, "đã kiểm chứng", "verified"),
                tr(lang, "Nguồn", "Source"): row["source"],
                tr(lang, "Ghi chú", "Note"): row["note"],
            })
        return pd.DataFrame.from_records(records)

"""Which indicators have values for which units: a grid, and how much of it is real data.

A cell counts as filled when the unit has at least one actual or estimate value of the indicator in
that vintage (targets describe the future, not the unit). District-wide figures (code 107) are not
cells of the grid: they are shown on the overview.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mutte_geo.core.formatting import format_quantity
from mutte_geo.core.i18n import gettext
from mutte_geo.model.atlas import Atlas

VERIFIED_MARK = "●"
UNCERTAIN_MARK = "◐"
MISSING_MARK = "–"
CELL_STYLES = {VERIFIED_MARK: "background-color:#9ecae1", UNCERTAIN_MARK: "background-color:#deebf7"}


def cell_style(mark: object) -> str:
    """Background of a grid cell: darker for verified data, light for uncertain, none when missing."""
    return CELL_STYLES.get(str(mark), "")


@dataclass(frozen=True)
class Completeness:
    grid: pd.DataFrame  # index: indicator ids; columns: unit codes; cells: "verified"/"uncertain"/""
    filled: int
    verified: int
    cells: int

    @property
    def percent_filled(self) -> float:
        return 100.0 * self.filled / self.cells if self.cells else 0.0

    @property
    def percent_verified(self) -> float:
        return 100.0 * self.verified / self.cells if self.cells else 0.0


def completeness(atlas: Atlas, vintage: int, *, include_sensitive: bool = True) -> Completeness:
    """The indicators × units grid of ``vintage``; a cell is verified if any of its values is VERIFIED."""
    indicators = [i for i, ind in atlas.catalogue.items() if include_sensitive or not ind.sensitive]
    codes = sorted(atlas.units[vintage])
    values = atlas.values
    rows = values[(values["vintage"] == vintage) & values["unit_code"].isin(codes)
                  & values["indicator"].isin(indicators) & (values["kind"] != "target")]
    verified = rows.assign(_v=rows["status"] != "UNCERTAIN").groupby(["indicator", "unit_code"])["_v"].any()
    grid = pd.DataFrame("", index=pd.Index(indicators, name="indicator"), columns=pd.Index(codes, name="code"))
    for (ind, code), is_verified in verified.items():
        grid.loc[ind, code] = "verified" if is_verified else "uncertain"
    filled = int((grid != "").to_numpy().sum())
    n_verified = int((grid == "verified").to_numpy().sum())
    return Completeness(grid, filled, n_verified, grid.size)


def completeness_table(atlas: Atlas, result: Completeness, vintage: int, lang: str) -> pd.DataFrame:
    """The grid for people: indicator names down, unit names across, marks in the cells, counts at the end."""
    marks = {"verified": VERIFIED_MARK, "uncertain": UNCERTAIN_MARK, "": MISSING_MARK}
    units = atlas.units[vintage]
    table = result.grid.replace(marks)
    table.columns = [f"{units[c].name_vi} ({c})" for c in result.grid.columns]
    filled = (result.grid != "").sum(axis=1)
    table.insert(0, gettext(lang, "Units with data"), [f"{n}/{result.grid.shape[1]}" for n in filled])
    table.insert(0, gettext(lang, "Indicator"), [atlas.catalogue[i].name(lang) for i in result.grid.index])
    return table.reset_index(drop=True)


def unit_counts(atlas: Atlas, result: Completeness, vintage: int, lang: str) -> pd.DataFrame:
    """Per unit: how many indicators have values, and the share of the catalogue."""
    units = atlas.units[vintage]
    filled = (result.grid != "").sum(axis=0)
    verified = (result.grid == "verified").sum(axis=0)
    total = result.grid.shape[0]
    return pd.DataFrame({
        gettext(lang, "Code"): list(result.grid.columns),
        gettext(lang, "Unit"): [units[c].label(lang) for c in result.grid.columns],
        gettext(lang, "Indicators with data"): filled.to_numpy(),
        gettext(lang, "Of which verified"): verified.to_numpy(),
        gettext(lang, "Share"): [format_quantity(100.0 * n / total, "%", lang, 1) for n in filled],
    })

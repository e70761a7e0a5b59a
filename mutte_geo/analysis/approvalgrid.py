"""Approval state as a layer of the completeness grid: per indicator and unit, the furthest-behind state
of its actual/estimate values — waiting, returned, approved (locked), published (bundled report data)."""

from __future__ import annotations

import pandas as pd

from mutte_geo.core.i18n import N_, gettext
from mutte_geo.model.atlas import Atlas

# state -> mark, label (English msgid), cell style; in the order a cell takes them (first wins)
STATES = {
    "submitted": ("⏳", N_("waiting for approval"), "background-color:#fdd49e"),
    "returned": ("↩", N_("returned"), "background-color:#fcbba1"),
    "approved": ("✔", N_("approved (locked)"), "background-color:#a1d99b"),
    "published": ("●", N_("published (bundled report data)"),
                  "background-color:#deebf7"),
    "": ("–", N_("no data"), ""),
}
_STYLES = {mark: style for mark, _, style in STATES.values()}


def approval_cell_style(mark: object) -> str:
    return _STYLES.get(str(mark), "")


def approval_grid(atlas: Atlas, vintage: int, submissions: pd.DataFrame,
                  locked: set[tuple[int, str, str, str, str]]) -> pd.DataFrame:
    """Indicators × units of ``vintage`` holding the state names of :data:`STATES`.

    ``submissions`` (vintage, unit_code, indicator, kind, state) are those still waiting or returned;
    ``locked`` are the keys approved through the review page.
    """
    codes = sorted(atlas.units[vintage])
    grid = pd.DataFrame("", index=pd.Index(list(atlas.catalogue), name="indicator"),
                        columns=pd.Index(codes, name="code"))
    values = atlas.values
    rows = values[(values["vintage"] == vintage) & values["unit_code"].isin(codes)
                  & values["indicator"].isin(list(atlas.catalogue)) & (values["kind"] != "target")]
    order = list(STATES)
    for r in rows.to_dict("records"):
        key = (vintage, r["unit_code"], r["indicator"], r["period"], r["kind"])
        _mark(grid, r["indicator"], r["unit_code"], "approved" if key in locked else "published", order)
    subs = submissions[(submissions["vintage"].astype(int) == vintage) & submissions["unit_code"].isin(codes)
                       & submissions["indicator"].isin(list(atlas.catalogue)) & (submissions["kind"] != "target")]
    for r in subs.to_dict("records"):
        _mark(grid, r["indicator"], r["unit_code"], r["state"], order)
    return grid


def _mark(grid: pd.DataFrame, indicator: str, code: str, state: str, order: list[str]) -> None:
    held = grid.loc[indicator, code]
    if not held or order.index(state) < order.index(held):
        grid.loc[indicator, code] = state


def approval_table(atlas: Atlas, grid: pd.DataFrame, vintage: int, lang: str) -> pd.DataFrame:
    """The approval layer for people: indicator names down, unit names across, marks in the cells."""
    units = atlas.units[vintage]
    table = grid.replace({state: mark for state, (mark, _, _) in STATES.items()})
    table.columns = [f"{units[c].name_vi} ({c})" for c in grid.columns]
    waiting = (grid == "submitted").sum(axis=1)
    table.insert(0, gettext(lang, "Units waiting"), waiting.to_numpy())
    table.insert(0, gettext(lang, "Indicator"), [atlas.catalogue[i].name(lang) for i in grid.index])
    return table.reset_index(drop=True)


def approval_legend(lang: str) -> str:
    return " · ".join(f"{mark} {gettext(lang, label)}" for mark, label, _ in STATES.values())

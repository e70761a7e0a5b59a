"""Three-way merge for edit in place: what the user changed, on top of what the store holds now.

The edit page keeps the table as it was first shown (``original``). On saving, every field is compared
with that and with the store's current value (``latest``): a field the user did not touch takes the
store's current value (so someone else's change is kept); a field only the user changed takes the
user's value; a field both changed to different values is a conflict, and nothing is saved until the
user has seen it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mutte_geo.core.i18n import gettext

EDITABLE = ("value", "source", "note")


@dataclass(frozen=True)
class FieldConflict:
    """One field changed by the user and, differently, by someone else since the table was shown."""

    unit_code: str
    indicator: str
    field: str
    shown: str  # when the table was opened
    theirs: str  # in the store now
    mine: str


@dataclass(frozen=True)
class MergedEdits:
    rows: list[dict[str, str]]  # unit_code, indicator and the merged editable fields of the rows to save
    conflicts: list[FieldConflict]


def _clean(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def merge_edits(original: pd.DataFrame, edited: pd.DataFrame, latest: pd.DataFrame) -> MergedEdits:
    """Merge ``edited`` (the user's table) into ``latest`` (the same rows as the store has them now).

    All three tables have the edit table's columns; ``original`` and ``edited`` share their row order and
    ``latest`` is matched by (unit_code, indicator). Rows the user did not touch are left out.
    """
    now = {(r["unit_code"], r["indicator"]): r for r in latest.to_dict("records")}
    rows, conflicts = [], []
    for before, after in zip(original.to_dict("records"), edited.to_dict("records"), strict=True):
        key = (before["unit_code"], before["indicator"])
        current = now.get(key, {})
        touched = False
        merged = {"unit_code": key[0], "indicator": key[1]}
        for name in EDITABLE:
            shown, mine, theirs = _clean(before[name]), _clean(after[name]), _clean(current.get(name, ""))
            if mine == shown:
                merged[name] = theirs
                continue
            touched = True
            if theirs not in (shown, mine):
                conflicts.append(FieldConflict(key[0], key[1], name, shown, theirs, mine))
            merged[name] = mine
        if touched and any(merged[n] != _clean(current.get(n, "")) for n in EDITABLE):
            rows.append(merged)
    return MergedEdits(rows, conflicts)


def edited_file(merged: MergedEdits, *, vintage: int, period: str, kind: str, source: str) -> bytes:
    """The merged rows that hold a value as a long-format CSV, checked by the importer like any file.

    An empty source takes ``source``. No such row: empty bytes.
    """
    records = [{"vintage": vintage, "unit_code": r["unit_code"], "indicator": r["indicator"], "period": period,
                "kind": kind, "value": r["value"], "status": "", "source": r["source"] or source,
                "note": r["note"]}
               for r in merged.rows if r["value"]]
    if not records:
        return b""
    return pd.DataFrame.from_records(records).to_csv(index=False).encode("utf-8")


def conflicts_table(conflicts: list[FieldConflict], labels: dict[tuple[str, str], str], lang: str) -> pd.DataFrame:
    """The conflicts as the edit page shows them: row, field, shown, now in the store, yours."""
    names = {"value": gettext(lang, "Value"), "source": gettext(lang, "Source"),
             "note": gettext(lang, "Note")}
    return pd.DataFrame.from_records([{
        gettext(lang, "Row"): labels.get((c.unit_code, c.indicator), f"{c.unit_code} {c.indicator}"),
        gettext(lang, "Field"): names[c.field],
        gettext(lang, "When you opened the table"): c.shown,
        gettext(lang, "Saved by someone else"): c.theirs,
        gettext(lang, "Yours"): c.mine,
    } for c in conflicts])

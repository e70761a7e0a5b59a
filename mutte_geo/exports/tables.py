"""Table downloads that open correctly in Excel: CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import io

import pandas as pd


def to_csv_bytes(table: pd.DataFrame, *, notes: list[str] | None = None) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly.

    ``notes`` (e.g. source and attribution) are written as trailing ``# `` lines.

    >>> to_csv_bytes(pd.DataFrame({"Xã": ["Pa Ủ"]}))[:3] == b"\\xef\\xbb\\xbf"
    True
    """
    text = table.to_csv(index=False, lineterminator="\n")
    if notes:
        text += "".join(f"# {line}\n" for line in notes)
    return text.encode("utf-8-sig")


def to_xlsx_bytes(table: pd.DataFrame, *, sheet: str = "data", notes: list[str] | None = None) -> bytes:
    """An XLSX workbook with ``table`` on ``sheet`` and ``notes`` on a second sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=sheet[:31], index=False)
        if notes:
            pd.DataFrame({"notes": notes}).to_excel(writer, sheet_name="notes", index=False)
    return buffer.getvalue()

"""Table downloads that open correctly in Excel: CSV (UTF-8 with BOM) and XLSX.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return, e.g. an imported source ``=cmd|' /C calc'!A0``) is neutralised in both: in CSV it gets a leading
apostrophe (OWASP's advice), in XLSX it is written as a text cell with Excel's quote prefix, so it shows
as written and is never evaluated. Numbers (also numbers held as text, such as ``-2.5``) are left alone.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*([eE][+-]?\d+)?")  # '-2.5' as text is a number, not a formula


def _is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_LEADS) and not _PLAIN_NUMBER.fullmatch(value)


def neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with an apostrophe before every formula-like text cell and header.

    >>> neutralised(pd.DataFrame({"source": ["=1+1", "Phòng Thống kê"], "value": [-5, 3]}))["source"].tolist()
    ["'=1+1", 'Phòng Thống kê']
    """
    out = table.copy()
    out.columns = [f"'{c}" if _is_formula_like(c) else c for c in out.columns]
    for column in out.columns:
        if not (pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column])):
            continue
        out[column] = out[column].map(lambda v: f"'{v}" if _is_formula_like(v) else v)
    return out


def to_csv_bytes(table: pd.DataFrame, *, notes: list[str] | None = None) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly.

    ``notes`` (e.g. source and attribution) are written as trailing ``# `` lines.

    >>> to_csv_bytes(pd.DataFrame({"Xã": ["Pa Ủ"]}))[:3] == b"\\xef\\xbb\\xbf"
    True
    """
    safe = neutralised(table)
    # csv quotes a field holding '\n' but not one holding a bare '\r', which Excel reads as a line break.
    has_cr = any(safe[c].astype(str).str.contains("\r", regex=False).any() for c in safe.columns)
    text = safe.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL if has_cr else csv.QUOTE_MINIMAL)
    if notes:
        # one line per note: a line break inside a note (e.g. an imported source) could start a formula line
        text += "".join("# " + re.sub(r"[\r\n]+", " ", line) + "\n" for line in notes)
    return text.encode("utf-8-sig")


def to_xlsx_bytes(table: pd.DataFrame, *, sheet: str = "data", notes: list[str] | None = None) -> bytes:
    """An XLSX workbook with ``table`` on ``sheet`` and ``notes`` on a second sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=sheet[:31], index=False)
        if notes:
            pd.DataFrame({"notes": notes}).to_excel(writer, sheet_name="notes", index=False)
        for worksheet in writer.book.worksheets:
            for row in worksheet.iter_rows():
                for cell in row:
                    if _is_formula_like(cell.value):
                        cell.data_type = "s"  # openpyxl would store a leading '=' as a formula
                        cell.quotePrefix = True
    return buffer.getvalue()

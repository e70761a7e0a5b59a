"""A generated corpus of hostile and misleading input files (TEST DATA, made on the fly; nothing is committed).

Each case: a file name, a function making its bytes, extra command-line arguments, the exit code and a
piece of the message the command line must print. ``python -m tests.badinput DIR`` writes the files.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

META = "# period: 2024\n# kind: actual\n# source: TEST DATA\n"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    expect: str  # in the command's output
    code: int = 1
    args: tuple[str, ...] = field(default=())


def _xlsx(sheets: list[tuple[str, list[list[object]], str]]) -> bytes:
    """A workbook: (title, rows, state) per sheet; formulas are written without cached results."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WIDE_ROWS: list[list[object]] = [["kỳ: 2024"], ["loại: thực hiện"], ["nguồn: TEST DATA"],
                                 ["unit_code", "households"], ["03442", 812], ["03445", 1034]]


def xlsx_bomb() -> bytes:
    """A valid workbook whose sheet XML inflates to 300 MB (a few hundred KB on disk)."""
    buffer = io.BytesIO()
    good = zipfile.ZipFile(io.BytesIO(_xlsx([("data", WIDE_ROWS, "visible")])))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in good.infolist():
            data = good.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                with archive.open(item.filename, "w") as out:
                    out.write(data.replace(b"</sheetData>", b""))
                    chunk = b" " * (1024 * 1024)
                    for _ in range(300):
                        out.write(chunk)
                    out.write(b"</sheetData></worksheet>")
            else:
                archive.writestr(item.filename, data)
    return buffer.getvalue()


def many_entries() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(2000):
            archive.writestr(f"xl/media/{i}.bin", b"")
    return buffer.getvalue()


def long_shared_string() -> bytes:
    return _xlsx([("data", [*WIDE_ROWS[:4], ["03442", 812, "x" * 100_000]], "visible")])  # Excel's cap: 32,767


def million_rows() -> bytes:
    return (META + "unit_code,households\n").encode() + b"03442,1\n" * 1_000_000


def many_bad_rows() -> bytes:
    return (META + "unit_code,households\n").encode() + b"99999,1\n" * 15_000


def wide_row() -> bytes:
    return (META + "unit_code,households," + ",".join(f"c{i}" for i in range(400)) + "\n").encode()


def huge_cell() -> bytes:
    return (META + "unit_code,households,note\n03442,1," + "y" * 200_000 + "\n").encode()


def hidden_old_sheet() -> bytes:
    old = [[*r] for r in WIDE_ROWS]
    old[4][1] = 1
    return _xlsx([("BẢN CŨ – KHÔNG DÙNG", old, "hidden"), ("Số liệu", WIDE_ROWS, "visible")])


def only_hidden_sheet() -> bytes:
    return _xlsx([("BẢN CŨ – KHÔNG DÙNG", WIDE_ROWS, "hidden"), ("Ghi chú", [["chỉ có ghi chú"]], "visible")])


def two_data_sheets() -> bytes:
    return _xlsx([("Quý 1", WIDE_ROWS, "visible"), ("Quý 2", WIDE_ROWS, "visible")])


def uncached_formula() -> bytes:
    return _xlsx([("data", [*WIDE_ROWS[:5], ["03445", "=B5*2"]], "visible")])


WIDE_TEXT = "unit_code;income_per_capita;poverty_rate\n03442;25,4;41,2\n03445;22,1;38,5\n"


def semicolon_decimal_commas() -> bytes:
    return (META + WIDE_TEXT).encode()


def utf16_le_no_bom() -> bytes:
    return (META.replace("TEST DATA", "Phòng Thống kê (TEST DATA)") + WIDE_TEXT).encode("utf-16-le")


def utf16_be_no_bom() -> bytes:
    return (META + WIDE_TEXT).encode("utf-16-be")


def mojibake_source() -> bytes:
    return ("# period: 2024\n# kind: actual\n# source: BÃ¡o cÃ¡o (TEST DATA)\n" + WIDE_TEXT).encode()


def future_actuals() -> bytes:
    return (b"vintage,unit_code,indicator,period,kind,value,source\n"
            b"2024,03442,households,2031,actual,800,TEST DATA\n"
            b"2024,03442,households,2099-Q3,actual,800,TEST DATA\n")


def negative_income() -> bytes:
    return (META + "unit_code,income_per_capita\n03442,-5\n").encode()


def huge_income() -> bytes:
    return (META + "unit_code,income_per_capita\n03442,1000000000\n").encode()


def not_utf8() -> bytes:
    return (META + "unit_code,households\n03442,812\n").encode() + b"\x81\x8d\x8f\x90\x9d\n"


def boundary_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xa.shp", "w") as out:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(400):
                out.write(chunk)
    return buffer.getvalue()


def boundary_one_code() -> bytes:
    """The real 2024 communes, every one given the town's code."""
    import geopandas as gpd

    from mutte_geo.core.paths import BOUNDARY_DIR

    layer = gpd.read_file(BOUNDARY_DIR / "communes_2024.geojson")
    layer = gpd.GeoDataFrame({"gso_code": ["03433"] * len(layer)}, geometry=layer.geometry, crs=layer.crs)
    return layer.to_json().encode()


CASES = [
    Case("zip_bomb.xlsx", xlsx_bomb, "inflates to"),
    Case("many_entries.xlsx", many_entries, "holds 2,000 entries"),
    Case("long_string.xlsx", long_shared_string, "column 'data!C5': the cell holds 32,767 characters"),
    Case("million_rows.csv", million_rows, "more than 20,000 rows"),
    Case("many_bad_rows.csv", many_bad_rows, "and 14,950 more"),
    Case("wide_row.csv", wide_row, "columns (at most 300)"),
    Case("huge_cell.csv", huge_cell, "row 5: a cell holds more than 131,072 characters (at most 2,000)"),
    Case("long_cell.csv", lambda: (META + "unit_code,households,note\n03442,1," + "y" * 5000 + "\n").encode(),
         "row 5, column 'C': the cell holds 5,000 characters"),
    Case("hidden_old_sheet.xlsx", hidden_old_sheet, "not read: the other sheet(s) with data 'BẢN CŨ – KHÔNG DÙNG'",
         0, ("--dry-run",)),
    Case("only_hidden.xlsx", only_hidden_sheet, "hidden sheets are not read"),
    Case("two_sheets.xlsx", two_data_sheets, "choose the sheet"),
    Case("two_sheets_chosen.xlsx", two_data_sheets, "read the sheet 'Quý 2'", 0, ("--dry-run", "--sheet", "Quý 2")),
    Case("formula.xlsx", uncached_formula, "cell B6 holds the formula =B5*2 without a saved result"),
    Case("semicolons.csv", semicolon_decimal_commas, "2024:03442 income_per_capita 2024 actual: + 25.4", 0,
         ("--dry-run",)),
    Case("utf16le.csv", utf16_le_no_bom, "2024:03445 poverty_rate 2024 actual: + 38.5", 0, ("--dry-run",)),
    Case("utf16be.csv", utf16_be_no_bom, "2024:03445 poverty_rate 2024 actual: + 38.5", 0, ("--dry-run",)),
    Case("mojibake.csv", mojibake_source, "probably 'Báo cáo (TEST DATA)'"),
    Case("future.csv", future_actuals, "an actual value for 2099-Q3, which has not begun"),
    Case("negative.csv", negative_income, "-5 is below the minimum 0 of Income per capita"),
    Case("huge_income.csv", huge_income, "1 unusual value(s)"),
    Case("not_utf8.csv", not_utf8, "the file is not UTF-8 (byte 0x81 on line 6)"),
    Case("long_user.csv", semicolon_decimal_commas, "not an active account of this store", 1, ("--user", "u" * 101)),
    Case("bomb.zip", boundary_bomb, "inflates to 400 MB"),
    Case("one_code.geojson", boundary_one_code, "all carry the code 03433"),
]


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (target / case.name).write_bytes(case.make())
        print(target / case.name)

"""Read the indicator files staff bring (CSV or XLSX, long or wide) and check them before anything is saved.

Every file becomes long-format rows, checked by :func:`indicators.validate_table`; each problem is
reported at the file's own row and column. The layouts are described in data/indicators/README.md
("Import").
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from openpyxl.utils import get_column_letter

from mutte_geo.core.errors import Problem
from mutte_geo.model.catalogue import Catalogue, Indicator
from mutte_geo.model.indicators import COLUMNS, UnitsByVintage, find_duplicates, validate_table
from mutte_geo.model.names import fold, match_unit
from mutte_geo.storage.filelimits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_PROBLEMS,
    MAX_ROWS,
    MAX_XLSX_UNCOMPRESSED,
    cap_problems,
    cell_too_long,
    too_many_columns,
    too_many_rows,
    vi_number,
    zip_problems,
)
from mutte_geo.storage.plausibility import impossible_values, mojibake_problems

MAX_BYTES = 10 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
KEY = ("vintage", "unit_code", "indicator", "period", "kind")
FIELDS = ("value", "status", "source", "note")

_META_KEYS = {
    "vintage": "vintage", "nam ranh gioi": "vintage", "ranh gioi": "vintage",
    "period": "period", "ky": "period", "kind": "kind", "loai": "kind", "source": "source", "nguon": "source",
    "status": "status", "trang thai": "status", "note": "note", "ghi chu": "note",
}
_CODE_HEADERS = {"unit_code", "ma", "ma don vi", "ma xa", "code"}
_NAME_HEADERS = {"unit_name", "unit", "ten", "ten don vi", "don vi", "ten xa", "xa", "name", "commune"}
_ROW_NUMBER_HEADERS = {"stt", "tt", "so tt", "no"}  # a running number column, ignored
_NOTE_HEADERS = {"note", "ghi chu"}  # a wide sheet's per-row note
_KIND_WORDS = {"thuc hien": "actual", "uoc": "estimate", "uoc thuc hien": "estimate", "ke hoach": "target",
               "chi tieu": "target"}
_YES_NO_WORDS = {"yes": "yes", "co": "yes", "no": "no", "khong": "no"}
_NOT_SPREADSHEETS = {b"%PDF": "PDF", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF",
                     b"\xd0\xcf\x11\xe0": "Excel 97-2003 (.xls)", b"\x1f\x8b": "gzip"}

Cell = str | float
# Valid stand-ins for missing wide-sheet metadata (already reported), so the rows can still be checked.
_STAND_IN = {"period": "n.d.", "kind": "actual", "source": "-"}


@dataclass(frozen=True)
class Options:
    """What a wide sheet does not say in its cells; metadata in the file fills the rest."""

    vintage: str = ""
    period: str = ""
    kind: str = ""
    source: str = ""
    status: str = ""
    note: str = ""
    sheet: str = ""  # the worksheet to read when a workbook has several


@dataclass
class Parsed:
    """A file read into long-format rows (strings), with the problems found so far."""

    file: str
    layout: str = ""
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(COLUMNS)))
    problems: list[Problem] = field(default_factory=list)  # at most MAX_PROBLEMS and a line "and N more"
    problem_total: int = 0
    sheet: str = ""  # the worksheet read (XLSX)
    sheets: list[str] = field(default_factory=list)  # the visible worksheets that hold a table
    notices: list[tuple[str, str]] = field(default_factory=list)  # (vi, en): shown, not blocking

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(file: str, row: int | None, column: str | None, vi: str, en: str) -> Problem:
    return Problem(file, row, column, vi, en)


# --- bytes to grids of cells ----------------------------------------------------------------------

@dataclass
class Sheet:
    """One table of cells: a CSV file, or one worksheet of a workbook."""

    name: str  # "" for CSV
    grid: list[list[Cell]]
    hidden: bool = False


def read_sheets(data: bytes, file: str) -> tuple[list[Sheet], dict[str, str], list[Problem]]:
    """Every candidate table of ``data`` (one for CSV, one per data worksheet for XLSX), the 'notes'
    sheet's metadata, and problems; sizes, rows, columns and cell lengths are bounded."""
    if len(data) > MAX_BYTES:
        size = len(data) / 1024 / 1024
        return [], {}, [_problem(file, None, None,
                                 f"tệp quá lớn ({size:.0f} MB, tối đa {MAX_BYTES // 1024 // 1024} MB)",
                                 f"the file is too large ({size:.0f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB)")]
    if not data.strip():
        return [], {}, [_problem(file, None, None, "tệp rỗng", "the file is empty")]
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, file)
    for magic, kind in _NOT_SPREADSHEETS.items():
        if data.startswith(magic):
            return [], {}, [_problem(file, None, None,
                                     f"tệp {kind} không phải là bảng tính CSV hoặc XLSX",
                                     f"a {kind} file is not a CSV or XLSX spreadsheet")]
    if data.count(b"\n") > MAX_ROWS + HEADER_SEARCH_ROWS:
        return [], {}, [too_many_rows(file, data.count(b"\n"))]
    text, problem = _decode(data, file)
    if problem:
        return [], {}, [problem]
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        return [], {}, [_problem(file, None, None,
                                 "tệp không phải là bảng tính CSV hoặc XLSX (nội dung nhị phân)",
                                 "the file is not a CSV or XLSX spreadsheet (binary content)")]
    text = unicodedata.normalize("NFC", text)
    first = _delimiter(text)
    sheets = []
    for delimiter in (first, *(d for d in (",", ";", "\t") if d != first)):
        grid, problems = _csv_grid(text, delimiter, file)
        if problems:
            return [], {}, problems
        sheets.append(Sheet("", grid))
    return sheets, {}, []  # one reading per separator, the likeliest first; the first with a header is used


def _csv_grid(text: str, delimiter: str, file: str) -> tuple[list[list[Cell]], list[Problem]]:
    grid: list[list[Cell]] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row_no, row in enumerate(reader, start=1):
            problems.extend(_row_limits(row, row_no, file))
            if len(problems) > MAX_PROBLEMS:
                break
            grid.append(list(row))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            limit = csv.field_size_limit()
            problems.append(_problem(file, reader.line_num, None,
                                     f"một ô dài hơn {vi_number(limit)} ký tự (tối đa {vi_number(MAX_CELL_CHARS)})",
                                     f"a cell holds more than {limit:,} characters (at most {MAX_CELL_CHARS:,})"))
        else:
            problems.append(_problem(file, reader.line_num, None, f"không đọc được dòng CSV ({exc})",
                                     f"the CSV line cannot be read ({exc})"))
    return grid, problems


def _row_limits(row: Sequence[Cell], row_no: int, file: str) -> list[Problem]:
    if len(row) > MAX_COLUMNS and any(str(c).strip() for c in row[MAX_COLUMNS:]):
        return [too_many_columns(file, row_no, len(row))]
    return [cell_too_long(file, row_no, get_column_letter(i + 1), len(c))
            for i, c in enumerate(row) if isinstance(c, str) and len(c) > MAX_CELL_CHARS]


def _delimiter(text: str) -> str:
    """The separator most lines use the same number of times: ',' or ';' (Vietnamese Excel) or tab.

    >>> _delimiter("xã;population\\nPa Ủ;84,6\\nMù Cả;12,3\\n")
    ';'
    """
    lines = [ln for ln in text.splitlines()[:200] if ln.strip() and not ln.startswith("#")]
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        counts = Counter(ln.count(delimiter) for ln in lines)
        counts.pop(0, None)
        if counts:
            mode, lines_with_mode = counts.most_common(1)[0]
            if (lines_with_mode, mode) > best_score:
                best, best_score = delimiter, (lines_with_mode, mode)
    return best


def _decode(data: bytes, file: str) -> tuple[str, Problem | None]:
    """Text of a CSV saved by Excel: UTF-8 (BOM or not), UTF-16 (BOM or not), or Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(data, "utf-16", file)
    sample = data[:4000]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) > len(sample) // 4:  # UTF-16 without a byte-order mark: ASCII has a zero high byte
        return _decode_as(data, "utf-16-be" if even > odd else "utf-16-le", file)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text, problem = _decode_as(data, "cp1258", file)
    if problem is None and "\ufffd" not in text:
        return text, None
    line = data[:utf8_error.start].count(b"\n") + 1
    return "", _problem(file, line, None,
                        f"tệp không phải UTF-8 (byte 0x{data[utf8_error.start]:02x} ở dòng {line}) và cũng không "
                        "phải Windows-1258: hãy lưu lại bằng 'CSV UTF-8'",
                        f"the file is not UTF-8 (byte 0x{data[utf8_error.start]:02x} on line {line}) nor "
                        "Windows-1258: save it again as 'CSV UTF-8'")


def _decode_as(data: bytes, codec: str, file: str) -> tuple[str, Problem | None]:
    try:
        return data.decode(codec), None
    except UnicodeDecodeError as exc:
        return "", _problem(file, None, None, f"tệp không đọc được bằng mã {codec} (byte {exc.start})",
                            f"the file cannot be decoded as {codec} (byte {exc.start})")


def _read_xlsx(data: bytes, file: str) -> tuple[list[Sheet], dict[str, str], list[Problem]]:
    from openpyxl import load_workbook

    refused = zip_problems(data, file, what="XLSX", max_uncompressed=MAX_XLSX_UNCOMPRESSED)
    if refused:
        return [], {}, refused
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        return [], {}, [_problem(file, None, None, f"không đọc được tệp XLSX ({type(exc).__name__})",
                                 f"cannot read the XLSX workbook ({type(exc).__name__}: {exc})")]
    problems: list[Problem] = []
    sheets = []
    for ws in book.worksheets:
        if ws.title == "notes" and len(book.worksheets) > 1:
            continue
        grid = []
        for row_no, row in enumerate(ws.iter_rows(max_row=MAX_ROWS + HEADER_SEARCH_ROWS + 1,
                                                  max_col=MAX_COLUMNS), start=1):
            cells = [_xlsx_cell(c) for c in row]
            problems.extend(Problem(p.file, p.row, f"{ws.title}!{p.column}{row_no}" if p.column else ws.title,
                                    p.reason_vi, p.reason_en) for p in _row_limits(cells, row_no, file))
            if row_no > MAX_ROWS + HEADER_SEARCH_ROWS:
                problems.append(too_many_rows(file, row_no))
                break
            if len(problems) > MAX_PROBLEMS:
                break
            grid.append(cells)
        sheets.append(Sheet(ws.title, grid, hidden=ws.sheet_state != "visible"))
    meta: dict[str, str] = {}
    if "notes" in book.sheetnames and len(book.worksheets) > 1:
        for row in book["notes"].iter_rows(max_row=200, max_col=1, values_only=True):
            if row and isinstance(row[0], str):
                meta.update(_meta_line(row[0][:MAX_CELL_CHARS]))
    book.close()
    return ([] if problems else sheets), meta, problems


def uncached_formulas(data: bytes, sheet: str, file: str) -> list[Problem]:
    """Formula cells of ``sheet`` that hold no saved result (a file written by a program, never opened in
    Excel): their value is unknown, so they are refused rather than read as "no data"."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # sizes already bounded by zip_problems
        xml = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    if not any(b"<f>" in x or b"<f " in x for x in xml):
        return []
    values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)[sheet]
    formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)[sheet]
    bound = {"max_row": MAX_ROWS + HEADER_SEARCH_ROWS, "max_col": MAX_COLUMNS}
    found = []
    for value_row, formula_row in zip(values.iter_rows(**bound), formulas.iter_rows(**bound), strict=False):
        for value, formula in zip(value_row, formula_row, strict=False):
            text = getattr(formula, "value", None)
            if getattr(value, "value", None) is None and isinstance(text, str) and text.startswith("="):
                cell = f"{get_column_letter(formula.column)}{formula.row}"
                found.append(_problem(file, formula.row, f"{sheet}!{cell}",
                                      f"ô {cell} là công thức {text[:60]} chưa có kết quả lưu sẵn: hãy mở và lưu tệp "
                                      "bằng Excel, hoặc dán giá trị (Paste Values)",
                                      f"cell {cell} holds the formula {text[:60]} without a saved result: open and "
                                      "save the file in Excel, or paste the values"))
    return found


def _xlsx_cell(cell) -> Cell:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        number = float(value)
        if "%" in (cell.number_format or ""):
            number *= 100  # a cell formatted as percent holds 0.846 for 84.6 %
        return number
    return unicodedata.normalize("NFC", str(value)).strip()


def _meta_line(text: str) -> dict[str, str]:
    """``key: value`` (optionally after '#') to {field: value}."""
    line = text.strip().lstrip("#").strip()
    if ":" not in line:
        return {}
    key, _, value = line.partition(":")
    name = _META_KEYS.get(fold(key))
    return {name: value.strip()} if name else {}


# --- numbers -----------------------------------------------------------------------------------------

_COMMA_DECIMAL = re.compile(r"^-?\d+,(\d{1,2}|\d{4,})$|^-?\d{1,3}(\.\d{3})+,\d+$")
_DOT_DECIMAL = re.compile(r"^-?\d+\.(\d{1,2}|\d{4,})$|^-?\d{1,3}(,\d{3})+\.\d+$")


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]", "", text).rstrip("%")


def decimal_style(cells: list[str]) -> str | None:
    """',' or '.' when the file's numbers show which is the decimal mark; None when they do not.

    >>> decimal_style(["84,6", "17.860"]), decimal_style(["28.6", "130.292"]), decimal_style(["17.860"])
    (',', '.', None)
    """
    comma = any(_COMMA_DECIMAL.match(_squeeze(c)) for c in cells)
    dot = any(_DOT_DECIMAL.match(_squeeze(c)) for c in cells)
    if comma != dot:
        return "," if comma else "."
    return None


def parse_number(text: str, style: str | None, *, whole: bool = False) -> float | None:
    """A number written the Vietnamese or the English way; None when it is not one or is ambiguous.

    ``whole``: the value must be a whole number, so '17.860' can only mean 17 860.

    >>> parse_number("84,6", None), parse_number("17.860", ","), parse_number("1.234,5", None)
    (84.6, 17860.0, 1234.5)
    >>> parse_number("17.860", None) is None, parse_number("17.860", None, whole=True)
    (True, 17860.0)
    """
    t = _squeeze(text)
    if re.fullmatch(r"-?\d+", t):
        return float(t)
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        thousands, mark = (".", ",") if t.rfind(",") > t.rfind(".") else (",", ".")
        pattern = rf"-?\d{{1,3}}(\{thousands}\d{{3}})+\{mark}\d+"
        return float(t.replace(thousands, "").replace(mark, ".")) if re.fullmatch(pattern, t) else None
    sep = "." if dots else ","
    if dots + commas == 0 or not re.fullmatch(rf"-?\d+(\{sep}\d+)+", t):
        return None
    groups = t.lstrip("-").split(sep)
    if len(groups) > 2:  # 17.860.000: thousands only
        ok = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
        return float(t.replace(sep, "")) if ok else None
    if len(groups[1]) != 3 or len(groups[0]) > 3:
        return float(t.replace(sep, "."))
    if style is None:
        return float(t.replace(sep, "")) if whole else None
    return float(t.replace(sep, ".")) if sep == style else float(t.replace(sep, ""))


def _number_text(number: float) -> str:
    return str(int(number)) if number == int(number) and abs(number) < 1e15 else repr(number)


def normalise_value(cell: Cell, indicator: Indicator, style: str | None) -> tuple[str, str | None]:
    """(value in the documented long format, or the cell as written; a problem in English or None)."""
    if isinstance(cell, float):
        return ("" if math.isnan(cell) else _number_text(cell)), None
    text = cell.strip()
    if not text:
        return "", None
    if indicator.value_type == "yes/no":
        return _YES_NO_WORDS.get(fold(text), text), None
    if indicator.value_type == "category":
        for code, (vi, en) in indicator.category_labels.items():
            if fold(text) in (fold(code), fold(vi), fold(en)):
                return code, None
        return text, None
    if text.endswith("%") and not (indicator.value_type == "percentage" or indicator.unit_en == "%"):
        return text, "percent"
    number = parse_number(text, style, whole=indicator.value_type == "count")
    if number is None:
        return text, ("ambiguous" if re.fullmatch(r"-?\d{1,3}[.,]\d{3}", _squeeze(text)) else None)
    return _number_text(number), None


# --- grid to long rows ------------------------------------------------------------------------------

def _find_header(grid: list[list[Cell]], catalogue: Catalogue) -> tuple[int, str]:
    """Index of the header row and the layout ('long' or 'wide'); (-1, '') when none is found."""
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        names = {fold(str(c)) for c in row if isinstance(c, str) and c.strip()}
        if {"indicator", "value"} <= names:
            return index, "long"
        if names & (_CODE_HEADERS | _NAME_HEADERS) and any(_indicator_for(n, catalogue) for n in names):
            return index, "wide"
    return -1, ""


def _indicator_for(folded_header: str, catalogue: Catalogue) -> str | None:
    for ident, ind in catalogue.items():
        if folded_header in (fold(ident), fold(ind.name_vi), fold(ind.name_en)):
            return ident
    return None


def parse_file(
    data: bytes, file: str, *, catalogue: Catalogue, units: UnitsByVintage, options: Options = Options()
) -> Parsed:
    """Read ``data`` (the bytes of ``file``) into checked long-format rows; nothing is saved here."""
    parsed = Parsed(file)
    problems = _parse(data, file, catalogue, units, options, parsed)
    parsed.problem_total = len(problems)
    parsed.problems = cap_problems(problems, file)
    return parsed


def _choose_sheet(sheets: list[Sheet], catalogue: Catalogue, wanted: str, file: str,
                  parsed: Parsed) -> tuple[Sheet | None, int, str, list[Problem]]:
    """The sheet to read, its header row and layout; a workbook never has a sheet chosen silently."""
    found = [(s, *_find_header(s.grid, catalogue)) for s in sheets]
    if not sheets[0].name:  # CSV: the first separator that shows a header
        return next(((s, i, lay) for s, i, lay in found if i >= 0), (sheets[0], -1, "")) + ([],)
    names = [s.name for s in sheets]
    with_table = [(s, i, lay) for s, i, lay in found if i >= 0]
    visible = [t for t in with_table if not t[0].hidden]
    parsed.sheets = [t[0].name for t in visible]
    if wanted:
        chosen = next((t for t in found if t[0].name == wanted), None)
        if chosen is None:
            return None, -1, "", [_problem(file, None, None,
                                           f"không có trang tính '{wanted}' (có: {', '.join(names)})",
                                           f"there is no sheet '{wanted}' (the sheets: {', '.join(names)})")]
    elif len(visible) > 1:
        listed = ", ".join(f"'{t[0].name}'" for t in visible)
        return None, -1, "", [_problem(file, None, None,
                                       f"tệp có {len(visible)} trang tính chứa số liệu ({listed}): hãy chọn trang "
                                       "cần nhập (mỗi lần một trang)",
                                       f"the workbook has {len(visible)} sheets with data ({listed}): choose the "
                                       "sheet to import (one at a time)")]
    elif visible:
        chosen = visible[0]
    elif with_table:
        hidden = ", ".join(f"'{t[0].name}'" for t in with_table)
        return None, -1, "", [_problem(file, None, None,
                                       f"chỉ trang tính ẩn {hidden} có bảng số liệu; trang ẩn không được đọc: hãy "
                                       "bỏ ẩn hoặc chọn trang đó",
                                       f"only the hidden sheet(s) {hidden} hold a table; hidden sheets are not "
                                       "read: unhide it or choose it")]
    else:
        chosen = next((t for t in found if not t[0].hidden), found[0])
    skipped = [t[0].name for t in with_table if t[0] is not chosen[0]]
    parsed.notices.append((f"đọc trang tính '{chosen[0].name}'", f"read the sheet '{chosen[0].name}'"))
    if skipped:
        listed = ", ".join(f"'{n}'" for n in skipped)
        parsed.notices.append((f"không đọc các trang khác có số liệu: {listed}",
                               f"not read: the other sheet(s) with data {listed}"))
    return chosen[0], chosen[1], chosen[2], []


def _parse(data: bytes, file: str, catalogue: Catalogue, units: UnitsByVintage, options: Options,
           parsed: Parsed) -> list[Problem]:
    sheets, sheet_meta, problems = read_sheets(data, file)
    if problems:
        return problems
    sheet, header_index, layout, problems = _choose_sheet(sheets, catalogue, options.sheet, file, parsed)
    if sheet is None:
        return problems
    parsed.sheet = sheet.name
    grid = sheet.grid
    if header_index < 0:
        if not any(str(c).strip() for row in grid for c in row):
            return [_problem(file, None, None, "tệp rỗng", "the file is empty")]
        return [_problem(
                file, 1, None,
                "không tìm thấy dòng tiêu đề: cần các cột unit_code, indicator, value (dạng dọc) hoặc một cột "
                "mã/tên đơn vị và các cột mã chỉ tiêu trong danh mục (dạng ngang)",
                "no header row found: expected columns unit_code, indicator, value (long layout) or a unit "
                "code/name column and catalogue indicator ids as columns (wide layout)")]
    parsed.layout = layout
    if sheet.name:
        problems.extend(uncached_formulas(data, sheet.name, file))
    meta = dict(sheet_meta)
    for row in grid[:header_index] + [r for r in grid[header_index + 1:] if r and str(r[0]).startswith("#")]:
        cells = [str(c).strip() for c in row if str(c).strip()]
        if not cells:
            continue
        line = ", ".join(cells) if ":" in cells[0] else cells[0] + ":" + ", ".join(cells[1:])
        meta.update(_meta_line(line))
    for name in ("vintage", "period", "kind", "source", "status", "note"):
        given = getattr(options, name)
        if given and meta.get(name) and given != meta[name]:
            problems.append(_problem(file, None, name,
                                     f"tệp ghi {name} = '{meta[name]}' nhưng lúc nhập chọn '{given}'",
                                     f"the file says {name} = '{meta[name]}' but '{given}' was chosen on import"))
        meta.setdefault(name, given)
        if not meta[name]:
            meta[name] = given
    header = [str(c).strip() for c in grid[header_index]]
    body = [(header_index + 2 + i, r) for i, r in enumerate(grid[header_index + 1:])
            if any(str(c).strip() for c in r) and not str(r[0]).startswith("#")]
    for row_no, row in body:
        if any(str(c).strip() for c in row[len(header):]):
            problems.append(_problem(
                file, row_no, None,
                f"dòng có {len(row)} ô nhưng tiêu đề chỉ có {len(header)} cột (dấu phẩy thập phân trong tệp "
                "phân cách bằng dấu phẩy? hãy đặt giá trị trong ngoặc kép hoặc dùng dấu ;)",
                f"the row has {len(row)} cells but the header has {len(header)} columns (a decimal comma in a "
                "comma-separated file? quote the value or separate with ;)"))
    if layout == "long":
        records, where = _long_records(header, body, meta, file, units, problems)
    else:
        records, where = _wide_records(header, body, meta, file, catalogue, units, problems)
    _normalise_values(records, where, catalogue, file, problems)
    problems.extend(mojibake_problems(records, where, file))
    table = pd.DataFrame.from_records(records, columns=list(COLUMNS)) if records else \
        pd.DataFrame(columns=list(COLUMNS))
    clean, found = validate_table(table, file=file, catalogue=catalogue, units=units)
    problems.extend(_relocate(p, where) for p in found)
    if not clean.empty:
        clean["row"] = [where[int(r) - 2][0] for r in clean["row"]]
        problems.extend(find_duplicates(clean))
        problems.extend(impossible_values(clean, catalogue))
    if not records and not problems:
        problems.append(_problem(file, None, None, "tệp không có giá trị nào", "the file holds no values"))
    parsed.rows = clean
    return problems


Where = list[tuple[int, dict[str, str]]]  # per long record: file row, long column -> file column


def _relocate(problem: Problem, where: Where) -> Problem:
    if problem.row is None or problem.row - 2 >= len(where):
        return problem
    file_row, columns = where[problem.row - 2]
    column = columns.get(problem.column or "", problem.column)
    return Problem(problem.file, file_row, column, problem.reason_vi, problem.reason_en)


def _resolve_unit(text: str, vintage_text: str, units: UnitsByVintage) -> tuple[str, str, str]:
    vintage = int(vintage_text) if vintage_text.isdigit() else 2024
    if vintage not in units:
        return text, "", ""  # validate_table reports the vintage
    match = match_unit(text, units[vintage], allow_district=vintage == 2024)
    return (match.code or text), match.reason_vi, match.reason_en


def _long_records(header: list[str], body: list[tuple[int, list[Cell]]], meta: dict[str, str], file: str,
                  units: UnitsByVintage, problems: list[Problem]) -> tuple[list[dict[str, Cell]], Where]:
    index = {fold(h): i for i, h in enumerate(header) if h}
    unknown = [h for h in header if h and fold(h) not in COLUMNS]
    for name in unknown:
        problems.append(_problem(file, 1, name, f"cột '{name}' không thuộc định dạng dọc",
                                 f"column '{name}' is not part of the long layout"))
    records: list[dict[str, Cell]] = []
    where: Where = []
    for row_no, row in body:
        record: dict[str, Cell] = {}
        for column in COLUMNS:
            i = index.get(column)
            cell = row[i] if i is not None and i < len(row) else ""
            record[column] = cell if isinstance(cell, float) and column == "value" else _cell_text(cell)
            if record[column] == "" and column != "value":
                record[column] = meta.get(column, "")
        code, vi, en = _resolve_unit(str(record["unit_code"]), str(record["vintage"]), units)
        if vi:
            problems.append(_problem(file, row_no, header[index["unit_code"]] if "unit_code" in index else None,
                                     vi, en))
            continue
        record["unit_code"] = code
        record["kind"] = _KIND_WORDS.get(fold(str(record["kind"])), str(record["kind"]))
        records.append(record)
        where.append((row_no, {c: header[i] for c, i in index.items() if c in COLUMNS}))
    return records, where


def _cell_text(cell: Cell) -> str:
    return _number_text(cell) if isinstance(cell, float) else str(cell).strip()


def _wide_records(header: list[str], body: list[tuple[int, list[Cell]]], meta: dict[str, str], file: str,
                  catalogue: Catalogue, units: UnitsByVintage,
                  problems: list[Problem]) -> tuple[list[dict[str, Cell]], Where]:
    code_col = next((i for i, h in enumerate(header) if fold(h) in _CODE_HEADERS), None)
    name_col = next((i for i, h in enumerate(header) if fold(h) in _NAME_HEADERS), None)
    note_col = next((i for i, h in enumerate(header) if fold(h) in _NOTE_HEADERS), None)
    indicator_cols: dict[int, str] = {}
    for i, h in enumerate(header):
        if not h or i in (code_col, name_col, note_col) or fold(h) in _ROW_NUMBER_HEADERS:
            continue
        ident = _indicator_for(fold(h), catalogue)
        if ident is None:
            problems.append(_problem(file, None, h, f"cột '{h}' không phải là chỉ tiêu trong danh mục",
                                     f"column '{h}' is not an indicator of the catalogue"))
        elif ident in indicator_cols.values():
            problems.append(_problem(file, None, h, f"chỉ tiêu '{ident}' có hai cột",
                                     f"indicator '{ident}' has two columns"))
        else:
            indicator_cols[i] = ident
    for name in ("period", "kind", "source"):
        if not meta.get(name):
            problems.append(_problem(
                file, None, name,
                f"bảng dạng ngang cần '{name}' (ghi '{name}: ...' trên dòng tiêu đề hoặc chọn khi nhập)",
                f"a wide sheet needs '{name}' (write '{name}: ...' above the header or choose it on import)"))
            meta[name] = _STAND_IN[name]  # the rows are still checked, so every problem is listed at once
    kind = _KIND_WORDS.get(fold(meta["kind"]), meta["kind"])
    records: list[dict[str, Cell]] = []
    where: Where = []
    for row_no, row in body:
        def cell(i: int | None, row: list[Cell] = row) -> str:
            return _cell_text(row[i]) if i is not None and i < len(row) else ""

        code_text, name_text = cell(code_col), cell(name_col)
        unit_header = header[code_col] if code_text and code_col is not None else header[name_col or 0]
        code, vi, en = _resolve_unit(code_text or name_text, meta.get("vintage") or "2024", units)
        if not vi and code_text and name_text:
            by_name, _, _ = _resolve_unit(name_text, meta.get("vintage") or "2024", units)
            if by_name != code and by_name.isdigit():
                vi = f"mã '{code_text}' không khớp với tên '{name_text}' (mã {by_name})"
                en = f"code '{code_text}' does not match the name '{name_text}' (code {by_name})"
        if vi:
            problems.append(_problem(file, row_no, unit_header, vi, en))
            continue
        for i, ident in indicator_cols.items():
            value = row[i] if i < len(row) else ""
            if isinstance(value, str) and not value.strip():
                continue  # an empty cell is no data, never 0
            records.append({"vintage": meta.get("vintage") or "2024", "unit_code": code, "indicator": ident,
                            "period": meta["period"], "kind": kind, "value": value,
                            "status": meta.get("status", ""), "source": meta["source"],
                            "note": cell(note_col) or meta.get("note", "")})
            where.append((row_no, {"value": header[i], "indicator": header[i], "unit_code": unit_header}))
    return records, where


def _normalise_values(records: list[dict[str, Cell]], where: Where, catalogue: Catalogue, file: str,
                      problems: list[Problem]) -> None:
    style = decimal_style([r["value"] for r in records if isinstance(r["value"], str)])
    keep = []
    for record, (row_no, columns) in zip(records, where, strict=True):
        indicator = catalogue.get(str(record["indicator"]))
        if indicator is None:
            record["value"] = _cell_text(record["value"])
            keep.append(True)
            continue
        text, issue = normalise_value(record["value"], indicator, style)
        record["value"] = text
        column = columns.get("value", "value")
        if issue == "ambiguous":
            problems.append(_problem(
                file, row_no, column,
                f"'{text}' không rõ dấu phân cách là hàng nghìn hay thập phân; viết không có dấu hàng nghìn "
                f"(17860) hoặc dùng dấu phẩy thập phân (17,86)",
                f"'{text}' is ambiguous (thousands separator or decimal mark?); write 17860 or 17,86"))
        elif issue == "percent":
            problems.append(_problem(file, row_no, column,
                                     f"'{text}': dấu % chỉ dùng cho chỉ tiêu tỷ lệ ({indicator.name_vi} không phải)",
                                     f"'{text}': a percent sign is only allowed for percentages "
                                     f"({indicator.name_en} is not one)"))
        keep.append(issue is None)
    records[:] = [r for r, k in zip(records, keep, strict=True) if k]
    where[:] = [w for w, k in zip(where, keep, strict=True) if k]


# --- what would change, and the template ------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One value an import would add or change; ``old`` is None for a new value."""

    key: tuple[int, str, str, str, str]
    new: dict[str, str] | None  # None: the value is removed (only when restoring an earlier state)
    old: dict[str, str] | None
    row_version: int | None
    file: str
    row: int


def changes_against(rows: pd.DataFrame, current: pd.DataFrame) -> tuple[list[Change], int]:
    """The changes that ``rows`` (checked long rows) make to ``current`` (the store), and how many are equal.

    ``current`` has the long columns plus ``row_version``. A value equal to the stored one (the same number,
    status, source and note) is not a change.
    """
    stored = {(int(r["vintage"]), r["unit_code"], r["indicator"], r["period"], r["kind"]): r
              for r in current.to_dict("records")}
    changes, same = [], 0
    for r in rows.to_dict("records"):
        key = (int(r["vintage"]), str(r["unit_code"]), str(r["indicator"]), str(r["period"]), str(r["kind"]))
        new = {f: str(r[f]) for f in FIELDS}
        old_row = stored.get(key)
        if old_row is None:
            changes.append(Change(key, new, None, None, str(r["file"]), int(r["row"])))
            continue
        old = {f: str(old_row[f]) for f in FIELDS}
        if _same(old, new):
            same += 1
        else:
            changes.append(Change(key, new, old, int(old_row["row_version"]), str(r["file"]), int(r["row"])))
    return changes, same


def _same(old: dict[str, str], new: dict[str, str]) -> bool:
    if any(old[f] != new[f] for f in FIELDS if f != "value"):
        return False
    try:
        return float(old["value"]) == float(new["value"])
    except ValueError:
        return old["value"] == new["value"]


def template(catalogue: Catalogue, units: UnitsByVintage, vintage: int = 2024) -> tuple[pd.DataFrame, list[str]]:
    """A wide sheet with every unit of ``vintage`` and every catalogue indicator, and its metadata lines.

    Write it with ``tables.to_csv_bytes(table, notes=lines)`` or ``to_xlsx_bytes``; the importer reads the
    ``key: value`` lines back (trailing '#' lines in CSV, the 'notes' sheet in XLSX).
    """
    rows = [{"unit_code": u.code, "unit_name": u.label("vi")} for u in units[vintage].values()]
    table = pd.DataFrame(rows, columns=["unit_code", "unit_name", *catalogue])
    lines = [f"vintage: {vintage}", "period: ", "kind: actual", "source: ", "status: ",
             ("Điền giá trị vào ô; để trống ô chưa có số liệu (không ghi 0). Kỳ: 2024, 2024-H1, 2024-Q3. "
              "Loại: actual (thực hiện), estimate (ước), target (kế hoạch).")]
    return table, lines

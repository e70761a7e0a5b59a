"""Read the NTM assessment workbooks communes fill, check them, and write the template.

Two layouts (see data/ntm/README.md and the template):
- **one sheet per commune**: the sheet is named after the commune (or says ``xã: <name>`` above the
  header); one row per criterion with its number and result (``Kết quả``), optionally the measured
  value, evidence, assessment date and a note;
- **communes as columns**: one sheet, one row per criterion, one column per commune holding the result.
Metadata (year, criteria set, who assessed, date, source) come from ``key: value`` lines above the header,
a ``notes`` sheet, or the page. An optional sheet ``công nhận`` lists recognition decisions
(commune, year, decision number, source). Nothing is returned as rows unless the whole file is clean.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from mutte_geo.core.errors import Problem
from mutte_geo.model.indicators import UnitsByVintage
from mutte_geo.model.names import fold, match_unit
from mutte_geo.model.ntm import (
    ASSESSMENT_COLUMNS,
    ASSESSMENT_KEY,
    ASSESSOR_LABELS,
    ASSESSORS,
    MET,
    NOT_MET,
    CriteriaSet,
    CriteriaSets,
    set_for_vintage,
)
from mutte_geo.model.units import TOWN_TYPE
from mutte_geo.storage import importer
from mutte_geo.storage.filelimits import MAX_COLUMNS, MAX_ROWS, MAX_XLSX_UNCOMPRESSED, zip_problems
from mutte_geo.storage.importer import HEADER_SEARCH_ROWS, Cell, _xlsx_cell

RECOGNITION_COLUMNS = ("vintage", "unit_code", "year", "decision", "source", "note")
RECOGNITION_KEY = ("vintage", "unit_code", "year")
_META_KEYS = {
    "year": "year", "nam": "year", "nam danh gia": "year",
    "set": "set", "bo tieu chi": "set", "criteria set": "set",
    "assessor": "assessor", "cap danh gia": "assessor", "nguoi danh gia": "assessor", "danh gia boi": "assessor",
    "assessed on": "assessed_on", "ngay danh gia": "assessed_on", "date": "assessed_on",
    "source": "source", "nguon": "source", "vintage": "vintage", "nam ranh gioi": "vintage",
    "xa": "unit", "commune": "unit", "unit": "unit", "don vi": "unit",
}
_ASSESSOR_WORDS = {"self": "self", "xa": "self", "xa tu danh gia": "self", "tu danh gia": "self",
                   "self assessment": "self", "district": "district", "huyen": "district",
                   "huyen tham dinh": "district", "district appraisal": "district", "province": "province",
                   "tinh": "province", "tinh tham dinh": "province", "province appraisal": "province"}
_NUMBER_HEADERS = {"tt", "stt", "so tt", "tieu chi so", "so tieu chi", "ma tieu chi", "criterion", "no", "number"}
_NAME_HEADERS = {"tieu chi", "ten tieu chi", "noi dung", "criterion name", "name"}
_STATUS_HEADERS = {"ket qua", "danh gia", "ket qua danh gia", "dat chua dat", "tinh trang", "status", "result"}
_FIELD_HEADERS = {
    "gia tri": "measured", "gia tri do": "measured", "hien trang": "measured", "measured": "measured",
    "minh chung": "evidence", "evidence": "evidence", "ngay danh gia": "assessed_on", "assessed on": "assessed_on",
    "ghi chu": "note", "note": "note",
}
_MET_WORDS = {"dat", "dat chuan", "met", "yes", "co", "x", "1"}
_NOT_MET_WORDS = {"chua dat", "khong dat", "not met", "no", "0"}
_NOT_ASSESSED_WORDS = {"", "chua danh gia", "not assessed"}
_RECOGNITION_SHEETS = {"cong nhan", "recognition", "recognitions"}


@dataclass(frozen=True)
class NtmOptions:
    """What the page (or command line) says when the file does not."""

    year: str = ""
    set_id: str = ""
    assessor: str = ""
    assessed_on: str = ""
    source: str = ""
    vintage: str = ""


@dataclass
class NtmParsed:
    file: str
    layout: str = ""
    set_id: str = ""
    vintage: int = 0
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[*ASSESSMENT_COLUMNS, "file", "row"]))
    recognitions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[*RECOGNITION_COLUMNS, "file",
                                                                                       "row"]))
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Sheet:
    name: str
    grid: list[list[Cell]]


def _text(cell: Cell) -> str:
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return unicodedata.normalize("NFC", str(cell)).strip()


def read_sheets(data: bytes, file: str) -> tuple[list[_Sheet], dict[str, str], list[Problem]]:
    """Every sheet of an XLSX workbook (or the one sheet of a CSV), and the 'notes' metadata; the
    importer's size, zip, type and encoding limits apply before anything is unpacked."""
    if len(data) > importer.MAX_BYTES or not data.startswith(b"PK\x03\x04"):
        tables, meta, problems = importer.read_sheets(data, file)
        return ([_Sheet("", tables[0].grid)] if tables and not problems else []), meta, problems
    refused = zip_problems(data, file, what="XLSX", max_uncompressed=MAX_XLSX_UNCOMPRESSED)
    if refused:
        return [], {}, refused
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return [], {}, [Problem(file, None, None, f"không đọc được tệp XLSX ({type(exc).__name__})",
                                f"cannot read the XLSX workbook ({type(exc).__name__}: {exc})")]
    sheets: list[_Sheet] = []
    meta = {}
    for sheet in book.worksheets:
        grid = [[_xlsx_cell(c) for c in row] for row in sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS)]
        if sheet.title == "notes":
            for row in grid:
                meta.update(_meta_line(_text(row[0])) if row else {})
        else:
            sheets.append(_Sheet(sheet.title, grid))
    book.close()
    return sheets, meta, []


def _meta_line(text: str) -> dict[str, str]:
    line = text.strip().lstrip("#").strip()
    key, sep, value = line.partition(":")
    name = _META_KEYS.get(fold(key)) if sep else None
    return {name: value.strip()} if name else {}


def _criterion_number(text: str) -> int | None:
    """'17', 'Tiêu chí 17', 'TC17' → 17.

    >>> _criterion_number("Tiêu chí 17"), _criterion_number("TC 05"), _criterion_number("17a")
    (17, 5, None)
    """
    match = re.fullmatch(r"(?:tieu chi|tc)?\s*0*(\d{1,2})", fold(text))
    return int(match.group(1)) if match else None


def parse_ntm_file(data: bytes, file: str, *, sets: CriteriaSets, units: UnitsByVintage,
                   options: NtmOptions | None = None) -> NtmParsed:
    """Read and check an assessment workbook; ``rows`` hold only clean, complete assessments."""
    options = options or NtmOptions()
    parsed = NtmParsed(file)
    sheets, book_meta, problems = read_sheets(data, file)
    parsed.problems += problems
    if problems:
        return parsed
    recognition_sheets = [s for s in sheets if fold(s.name) in _RECOGNITION_SHEETS]
    sheets = [s for s in sheets if s not in recognition_sheets]
    records: list[dict[str, object]] = []
    for sheet in sheets:
        records += _parse_sheet(sheet, book_meta, options, sets, units, parsed)
    for sheet in recognition_sheets:
        _parse_recognitions(sheet, parsed, units, book_meta, options)
    if not records and not parsed.problems and parsed.recognitions.empty:
        parsed.problems.append(Problem(file, None, None, "tệp không có kết quả đánh giá nào",
                                       "the file holds no assessment results"))
    seen: dict[tuple, int] = {}
    for record in records:
        key = tuple(record[k] for k in ASSESSMENT_KEY)
        if key in seen:
            parsed.problems.append(Problem(file, int(str(record["row"])), str(record["_column"]),
                                           f"trùng với dòng {seen[key]} (cùng xã, tiêu chí, năm, cấp đánh giá)",
                                           f"duplicate of row {seen[key]} (same commune, criterion, year, assessor)"))
        seen.setdefault(key, int(str(record["row"])))
    if parsed.problems:
        return parsed
    parsed.rows = pd.DataFrame([{k: r[k] for k in (*ASSESSMENT_COLUMNS, "file", "row")} for r in records],
                               columns=[*ASSESSMENT_COLUMNS, "file", "row"])
    return parsed


def _header_index(grid: list[list[Cell]]) -> int | None:
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if any(fold(_text(c)) in _NUMBER_HEADERS for c in row):
            return i
    return None


def _parse_sheet(sheet: _Sheet, book_meta: dict[str, str], options: NtmOptions, sets: CriteriaSets,
                 units: UnitsByVintage, parsed: NtmParsed) -> list[dict[str, object]]:
    file = parsed.file if not sheet.name else f"{parsed.file} [{sheet.name}]"

    def bad(row: int | None, column: str | None, vi: str, en: str) -> None:
        parsed.problems.append(Problem(file, row, column, vi, en))

    header_at = _header_index(sheet.grid)
    if header_at is None:
        if any(_text(c) for row in sheet.grid for c in row):
            bad(None, None, "không tìm thấy dòng tiêu đề có cột số tiêu chí ('TT' hoặc 'Tiêu chí số')",
                "no header row with a criterion-number column ('TT' or 'Tiêu chí số')")
        return []
    meta = dict(book_meta)
    for row in sheet.grid[:header_at]:
        for cell in row:
            meta.update(_meta_line(_text(cell)))
    context = _context(meta, options, sets, units, file, bad)
    if context is None:
        return []
    criteria_set, vintage, year, assessor = context
    parsed.set_id, parsed.vintage = criteria_set.set_id, vintage
    header = [fold(_text(c)) for c in sheet.grid[header_at]]
    raw_header = [_text(c) for c in sheet.grid[header_at]]
    number_col = next(i for i, h in enumerate(header) if h in _NUMBER_HEADERS)
    name_col = next((i for i, h in enumerate(header) if h in _NAME_HEADERS), None)
    status_col = next((i for i, h in enumerate(header) if h in _STATUS_HEADERS), None)
    body = [(header_at + 2 + i, row) for i, row in enumerate(sheet.grid[header_at + 1:])
            if any(_text(c) for c in row)]
    if status_col is not None:
        parsed.layout = "per-commune"
        unit_text = meta.get("unit") or sheet.name
        match = match_unit(unit_text, units[vintage], allow_district=False)
        if match.code is None:
            bad(None, None, f"xã của trang tính: {match.reason_vi}", f"the sheet's commune: {match.reason_en}")
            return []
        if not _is_commune(units, vintage, match.code, bad, None, None):
            return []
        fields = {i: _FIELD_HEADERS[h] for i, h in enumerate(header) if h in _FIELD_HEADERS}
        cells = [(row_no, match.code, raw_header[status_col], _cell(row, status_col), row) for row_no, row in body]
    else:
        parsed.layout = "communes-as-columns"
        commune_cols: dict[int, str] = {}
        for i, h in enumerate(raw_header):
            if i in (number_col, name_col) or not h:
                continue
            match = match_unit(h, units[vintage], allow_district=False)
            if match.code is None:
                bad(header_at + 1, h, f"cột không phải là xã: {match.reason_vi}",
                    f"the column is not a commune: {match.reason_en}")
            elif _is_commune(units, vintage, match.code, bad, header_at + 1, h):
                commune_cols[i] = match.code
        if not commune_cols:
            bad(header_at + 1, None, "không có cột 'Kết quả' và không có cột nào mang tên xã",
                "no 'Kết quả' (result) column and no column named after a commune")
            return []
        fields = {}
        cells = [(row_no, code, raw_header[i], _cell(row, i), row) for row_no, row in body
                 for i, code in commune_cols.items()]
    numeric_markers = [c for _, _, _, c, _ in cells if re.fullmatch(r"-?\d+(\.\d+)?", c) and c not in ("0", "1")]
    records = []
    for row_no, code, column, status_text, row in cells:
        number = _resolve_criterion(_cell(row, number_col), _cell(row, name_col) if name_col is not None else "",
                                    criteria_set)
        if number is None:
            bad(row_no, raw_header[number_col], f"tiêu chí '{_cell(row, number_col)}' không có trong bộ "
                f"{criteria_set.short('vi')}", f"criterion '{_cell(row, number_col)}' is not in "
                f"{criteria_set.short('en')}")
            continue
        status = _status(status_text, numeric_markers, row_no, column, bad)
        if status is None:
            continue
        extra = {name: _cell(row, i) for i, name in fields.items()}
        records.append({
            "vintage": vintage, "unit_code": code, "set_id": criteria_set.set_id, "criterion": number, "year": year,
            "assessor": assessor, "status": status, "assessed_on": extra.get("assessed_on") or meta.get("assessed_on")
            or options.assessed_on, "measured": extra.get("measured", ""), "evidence": extra.get("evidence", ""),
            "source": meta.get("source") or options.source, "note": extra.get("note", ""), "file": parsed.file,
            "row": row_no, "_column": column,
        })
    if records and not (meta.get("source") or options.source):
        bad(None, "source", "thiếu nguồn (biên bản, báo cáo đánh giá): ghi 'nguồn: ...' hoặc chọn trên trang",
            "the source (minutes, assessment report) is missing: write 'nguồn: ...' or give it on the page")
    return records


def _cell(row: list[Cell], index: int) -> str:
    return _text(row[index]) if index < len(row) else ""


def _is_commune(units: UnitsByVintage, vintage: int, code: str, bad, row: int | None,
                column: str | None) -> bool:
    unit = units[vintage][code]
    if unit.unit_type == TOWN_TYPE:
        bad(row, column, f"{unit.label('vi')} là thị trấn: tiêu chí nông thôn mới chỉ áp dụng cho xã",
            f"{unit.label('en')} is a town: the NTM criteria apply to communes only")
        return False
    return True


def _context(meta: dict[str, str], options: NtmOptions, sets: CriteriaSets, units: UnitsByVintage, file: str,
             bad) -> tuple[CriteriaSet, int, int, str] | None:
    """The set, vintage, year and assessor of a sheet; None (every problem reported) when one is wrong."""
    assessor_text = meta.get("assessor") or options.assessor
    assessor = _ASSESSOR_WORDS.get(fold(assessor_text), assessor_text if assessor_text in ASSESSORS else "")
    if not assessor:
        words = "; ".join(v[0] for v in ASSESSOR_LABELS.values())
        bad(None, "assessor", f"thiếu hoặc sai cấp đánh giá '{assessor_text}' (ghi: {words})",
            f"who assessed is missing or unknown '{assessor_text}' (write: self, district or province)")
    year_text = meta.get("year") or options.year
    year = int(float(year_text)) if re.fullmatch(r"\d{4}(\.0)?", year_text.strip()) else 0
    if not year:
        bad(None, "year", "thiếu năm đánh giá (vd. 'năm: 2024')", "the assessment year is missing (e.g. 'năm: 2024')")
    criteria_set = _context_set(meta, options, sets, units, year, bad)
    if criteria_set is None or not year or not assessor:
        return None
    if not criteria_set.covers(year):
        bad(None, "year", f"năm {year} ngoài giai đoạn của bộ {criteria_set.short('vi')}",
            f"year {year} is outside the years of {criteria_set.short('en')}")
        return None
    return criteria_set, criteria_set.vintage, year, assessor


def _context_set(meta: dict[str, str], options: NtmOptions, sets: CriteriaSets, units: UnitsByVintage, year: int,
                 bad) -> CriteriaSet | None:
    """The criteria set named, or the one of the vintage, or the one covering the year; checked against the vintage."""
    vintage_text = (meta.get("vintage") or options.vintage).strip()
    set_text = meta.get("set") or options.set_id
    criteria_set = _find_set(set_text, sets) if set_text else None
    if set_text and criteria_set is None:
        bad(None, "set", f"bộ tiêu chí '{set_text}' không có (có: {', '.join(s.decision for s in sets.values())})",
            f"unknown criteria set '{set_text}' (known: {', '.join(s.decision for s in sets.values())})")
        return None
    if not vintage_text:
        if criteria_set is None:  # the year tells the set
            criteria_set = next((s for s in sets.values() if year and s.covers(year)), None)
        return criteria_set  # no year: already reported
    if not vintage_text.isdigit() or int(vintage_text) not in units:
        bad(None, "vintage", f"năm ranh giới '{vintage_text}' không hợp lệ (2024 hoặc 2025)",
            f"invalid boundary vintage '{vintage_text}' (2024 or 2025)")
        return None
    vintage = int(vintage_text)
    if criteria_set is None:
        return set_for_vintage(sets, vintage)
    if criteria_set.vintage != vintage:
        bad(None, "set", f"bộ {criteria_set.short('vi')} áp dụng cho các đơn vị năm {criteria_set.vintage}, không "
            f"phải đơn vị năm {vintage}", f"{criteria_set.short('en')} applies to the {criteria_set.vintage} units, "
            f"not to the {vintage} units")
        return None
    return criteria_set


def _find_set(text: str, sets: CriteriaSets) -> CriteriaSet | None:
    folded = fold(text)
    for criteria_set in sets.values():
        if folded in {fold(criteria_set.set_id), fold(criteria_set.decision), fold("qd " + criteria_set.decision)}:
            return criteria_set
    return None


def _resolve_criterion(number_text: str, name_text: str, criteria_set: CriteriaSet) -> int | None:
    number = _criterion_number(number_text) if number_text else None
    if number is None and name_text:
        named = [c.number for c in criteria_set.criteria if fold(c.name_vi) == fold(name_text)]
        number = named[0] if len(named) == 1 else None
    return number if number is not None and criteria_set.criterion(number) else None


def _status(text: str, numeric_markers: list[str], row: int, column: str, bad) -> str | None:
    """'dat', 'chua_dat', '' (not assessed: no row) or None (problem reported)."""
    folded = fold(text)
    if folded in ("1", "0") and numeric_markers:
        bad(row, column, f"'{text}' không rõ nghĩa: cột còn có số khác ({numeric_markers[0]}); ghi 'Đạt' hoặc "
            "'Chưa đạt'", f"'{text}' is ambiguous: the column also holds other numbers ({numeric_markers[0]}); "
            "write 'Đạt' or 'Chưa đạt'")
        return None
    if folded in _MET_WORDS:
        return MET
    if folded in _NOT_MET_WORDS:
        return NOT_MET
    if folded in _NOT_ASSESSED_WORDS:
        return None
    bad(row, column, f"'{text}' không phải kết quả hợp lệ: ghi 'Đạt', 'Chưa đạt' hoặc để trống (chưa đánh giá)",
        f"'{text}' is not a valid result: write 'Đạt', 'Chưa đạt' or leave it empty (not assessed)")
    return None


def _parse_recognitions(sheet: _Sheet, parsed: NtmParsed, units: UnitsByVintage, book_meta: dict[str, str],
                        options: NtmOptions) -> None:
    file = f"{parsed.file} [{sheet.name}]"
    rows = [[_text(c) for c in row] for row in sheet.grid]
    header_at = next((i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS])
                      if {"xa", "so quyet dinh"} <= {fold(c) for c in r}), None)
    if header_at is None:
        parsed.problems.append(Problem(file, None, None, "cần dòng tiêu đề có cột 'Xã', 'Năm', 'Số quyết định'",
                                       "needs a header row with 'Xã', 'Năm', 'Số quyết định' columns"))
        return
    header = [fold(c) for c in rows[header_at]]
    col = {name: header.index(name) for name in ("xa", "nam", "so quyet dinh", "nguon", "ghi chu") if name in header}
    vintage_text = book_meta.get("vintage") or options.vintage or str(parsed.vintage or 2024)
    vintage = int(vintage_text) if vintage_text.isdigit() and int(vintage_text) in units else 2024
    out = []
    for offset, row in enumerate(rows[header_at + 1:]):
        row_no = header_at + 2 + offset
        if not any(row):
            continue
        get = {name: (row[i] if i < len(row) else "") for name, i in col.items()}
        match = match_unit(get.get("xa", ""), units[vintage], allow_district=False)
        year = get.get("nam", "")
        source = get.get("nguon") or book_meta.get("source") or options.source
        for column, ok, vi, en in (
            ("Xã", match.code is not None, match.reason_vi, match.reason_en),
            ("Năm", bool(re.fullmatch(r"\d{4}", year)), f"năm '{year}' không hợp lệ", f"invalid year '{year}'"),
            ("Số quyết định", bool(get.get("so quyet dinh")), "thiếu số quyết định", "the decision number is empty"),
            ("Nguồn", bool(source), "thiếu nguồn", "the source is empty"),
        ):
            if not ok:
                parsed.problems.append(Problem(file, row_no, column, vi, en))
        if match.code and re.fullmatch(r"\d{4}", year) and get.get("so quyet dinh") and source:
            out.append({"vintage": vintage, "unit_code": match.code, "year": int(year),
                        "decision": get["so quyet dinh"], "source": source, "note": get.get("ghi chu", ""),
                        "file": parsed.file, "row": row_no})
    parsed.recognitions = pd.DataFrame(out, columns=[*RECOGNITION_COLUMNS, "file", "row"])


# --- the template --------------------------------------------------------------------------------------

def template_xlsx(criteria_set: CriteriaSet, units: UnitsByVintage, *, layout: str = "per-commune",
                  year: str = "") -> bytes:
    """An empty workbook laid out the way communes fill it (one sheet per commune, or communes as columns)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    communes = [u for u in units[criteria_set.vintage].values() if u.unit_type != TOWN_TYPE]
    book = Workbook()
    notes = book.active
    notes.title = "notes"
    for line in (f"bộ tiêu chí: {criteria_set.decision}", f"năm ranh giới: {criteria_set.vintage}",
                 f"năm: {year}", "cấp đánh giá: ", "ngày đánh giá: ", "nguồn: ",
                 "Hướng dẫn – cấp đánh giá là 'xã tự đánh giá', 'huyện thẩm định' hoặc 'tỉnh thẩm định'.",
                 "Hướng dẫn – kết quả ghi 'Đạt' hoặc 'Chưa đạt'; để trống ô chưa đánh giá (không ghi 'Chưa đạt').",
                 f"Tiêu chí theo {criteria_set.title_vi} ({criteria_set.decision}).",
                 "Trang 'công nhận' (nếu có): quyết định công nhận xã đạt chuẩn."):
        notes.append([line])
    bold = Font(bold=True)
    if layout == "per-commune":
        for unit in communes:
            sheet = book.create_sheet(unit.label("vi")[:31])
            sheet.append([f"xã: {unit.label('vi')}"])
            sheet.append(["TT", "Tiêu chí", "Kết quả", "Giá trị đo", "Minh chứng", "Ghi chú"])
            for criterion in criteria_set.criteria:
                sheet.append([criterion.number, criterion.name_vi, "", "", "", ""])
            _style(sheet, bold, Alignment, header_row=2)
    else:
        sheet = book.create_sheet("đánh giá")
        sheet.append(["TT", "Tiêu chí", *[u.label("vi") for u in communes]])
        for criterion in criteria_set.criteria:
            sheet.append([criterion.number, criterion.name_vi, *[""] * len(communes)])
        _style(sheet, bold, Alignment, header_row=1)
    recognition = book.create_sheet("công nhận")
    recognition.append(["Xã", "Năm", "Số quyết định", "Nguồn", "Ghi chú"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _style(sheet, bold, alignment, *, header_row: int) -> None:
    for cell in sheet[header_row]:
        cell.font = bold
    sheet.column_dimensions["B"].width = 48
    for row in sheet.iter_rows(min_row=header_row + 1):
        row[1].alignment = alignment(wrap_text=True)

"""Import of staff files: a corpus of awkward and bad files, each with the exact problem and an unchanged store."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from mutte_geo.exports.tables import to_csv_bytes, to_xlsx_bytes
from mutte_geo.model.names import match_unit
from mutte_geo.storage.importer import MAX_BYTES, Options, template
from mutte_geo.storage.stewardship import ImportReport, check_file, confirm, open_store
from mutte_geo.storage.store import Store

SOURCE = "Phòng Thống kê huyện, biểu 2024"


@pytest.fixture
def store(tmp_path: Path, catalogue, units) -> Store:  # type: ignore[no-untyped-def]
    return open_store(catalogue, units, f"sqlite:///{tmp_path / 'store.sqlite'}")


def run(store: Store, data: bytes, file: str, catalogue, units, **options: str) -> ImportReport:  # type: ignore[no-untyped-def]
    """Check and, when clean, write; assert a file with problems leaves the store exactly as it was."""
    before_version, before = store.version(), store.current()
    report = check_file(store, data, file, catalogue=catalogue, units=units, options=Options(**options))
    if report.ok:
        confirm(store, report, user="lan")
    else:
        with pytest.raises(ValueError):
            confirm(store, report, user="lan")
        assert store.version() == before_version
        pd.testing.assert_frame_equal(store.current(), before)
    return report


def reasons(report: ImportReport) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.reason_en) for p in report.problems]


def stored(store: Store, code: str, indicator: str, period: str = "2024", vintage: int = 2024) -> str:
    cur = store.current()
    rows = cur[(cur["vintage"] == vintage) & (cur["unit_code"] == code) & (cur["indicator"] == indicator)
               & (cur["period"] == period)]
    assert len(rows) == 1, rows
    return str(rows.iloc[0]["value"])


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Excel writes it: base letters with circumflex/breve/horn, tone marks combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
        rest = [m for m in marks if m not in tones]
        out += unicodedata.normalize("NFC", base + "".join(rest)).encode("cp1258") + "".join(tones).encode("cp1258")
    return out


LONG = (
    "vintage,unit_code,indicator,period,kind,value,status,source,note\n"
    f'2024,03442,population,2024,actual,5123,VERIFIED,"{SOURCE}",\n'
    f'2024,3448,poverty_rate,2024,actual,41.25,,"{SOURCE}",mã mất số 0\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_long_csv_in_excel_encodings(store, catalogue, units, encoding: str) -> None:
    report = run(store, LONG.encode(encoding), "long.csv", catalogue, units)
    assert report.ok, reasons(report)
    assert (report.layout, report.new_count, report.changed_count) == ("long", 2, 0)
    assert stored(store, "03442", "population") == "5123"
    assert stored(store, "03448", "poverty_rate") == "41.25"


def test_utf16_tab_separated_without_bom(store, catalogue, units) -> None:
    data = LONG.replace(",", "\t").encode("utf-16-le")
    report = run(store, data, "unicode.txt", catalogue, units)
    assert report.ok, reasons(report)
    assert stored(store, "03442", "population") == "5123"


def test_wide_windows_1258_names_decimal_commas_thousand_dots_percent(store, catalogue, units) -> None:
    text = (
        "Kỳ;2024\nLoại;thực hiện\n"
        f"Nguồn;{SOURCE}\n"
        "Tên xã;Dân số;poverty_rate;forest_cover\n"
        "Xã Pa Vệ Sử;17.860;84,6%;60,5\n"      # statistics-office spelling, thousand dot, percent
        "TT. MƯỜNG TÈ;1.234;12,25;\n"          # prefix, other case; empty cell = no data
        "kan ho;2.000;;\n"                      # statistics spelling without diacritics
    )
    report = run(store, to_cp1258(text), "bieu_xa.csv", catalogue, units)
    assert report.ok, reasons(report)
    assert report.layout == "wide"
    assert stored(store, "03448", "population") == "17860"
    assert stored(store, "03448", "poverty_rate") == "84.6"
    assert stored(store, "03448", "forest_cover") == "60.5"
    assert stored(store, "03433", "population") == "1234"
    assert stored(store, "03469", "population") == "2000"
    cur = store.current()
    assert cur[(cur["unit_code"] == "03469") & (cur["indicator"] == "poverty_rate")].empty  # never 0


@pytest.mark.parametrize(("name", "code"), [
    ("Pa ủ", "03442"), ("PA U", "03442"), ("pa ve su", "03448"), ("Pa Vệ Sủ", "03448"), ("Kan Hồ", "03469"),
    ("Xã Can Hồ", "03469"), ("Thị trấn Mường Tè", "03433"), ("TT Mường Tè", "03433"), ("tt. muong te", "03433"),
    ("Xã Mường Tè", "03445"), ("XÃ MƯỜNG TÈ", "03445"), (unicodedata.normalize("NFD", "Xã Nậm Khao"), "03457"),
    ("3433", "03433"),
])
def test_names_match_codes(units, name: str, code: str) -> None:
    assert match_unit(name, units[2024]).code == code


def test_nfd_file_is_read(store, catalogue, units) -> None:
    text = unicodedata.normalize("NFD", f"# kỳ: 2024\n# loại: actual\n# nguồn: {SOURCE}\nxã,households\nTà Tổng,812\n")
    report = run(store, text.encode("utf-8"), "nfd.csv", catalogue, units)
    assert report.ok, reasons(report)
    assert stored(store, "03463", "households") == "812"


def test_ambiguous_muong_te_is_refused(store, catalogue, units) -> None:
    text = "unit,population\nMường Tè,5000\nXã Mù Cả,3000\n"
    report = run(store, text.encode(), "mt.csv", catalogue, units, period="2024", kind="actual", source=SOURCE)
    assert reasons(report) == [(2, "unit", "the name 'Mường Tè' is ambiguous: Mường Tè town (03433), Mường Tè "
                                "commune (03445); write 'Thị trấn'/'Xã' or use the code")]
    assert "không rõ là đơn vị nào" in report.problems[0].reason_vi


def test_empty_files(store, catalogue, units) -> None:
    assert reasons(run(store, b"", "empty.csv", catalogue, units)) == [(None, None, "the file is empty")]
    assert reasons(run(store, b"\xef\xbb\xbf\n\n", "bom_only.csv", catalogue, units)) == \
        [(None, None, "the file is empty")]
    header_only = b"vintage,unit_code,indicator,period,kind,value,status,source,note\n"
    assert reasons(run(store, header_only, "header.csv", catalogue, units)) == \
        [(None, None, "the file holds no values")]


def test_wrong_columns(store, catalogue, units) -> None:
    report = run(store, "Họ tên,Tuổi\nA,3\n".encode(), "staff.csv", catalogue, units)
    assert len(report.problems) == 1
    assert report.problems[0].reason_en.startswith("no header row found")


def test_unknown_indicator_column_in_wide_sheet(store, catalogue, units) -> None:
    text = "unit_code,population,so_trau_bo\n03442,100,5\n"
    report = run(store, text.encode(), "wide.csv", catalogue, units, period="2024", kind="actual", source=SOURCE)
    assert reasons(report) == [(None, "so_trau_bo", "column 'so_trau_bo' is not an indicator of the catalogue")]


def test_duplicate_rows(store, catalogue, units) -> None:
    text = LONG + f'2024,03442,population,2024,actual,5200,VERIFIED,"{SOURCE}",\n'
    report = run(store, text.encode(), "dup.csv", catalogue, units)
    assert reasons(report) == [(4, None, "duplicates dup.csv row 2 (same unit, indicator, period and kind)")]


def test_values_out_of_range_and_not_counts(store, catalogue, units) -> None:
    text = ("# period: 2024\n# kind: actual\n# source: x\nunit_code,poverty_rate,households\n"
            '03442,120,10\n03445,5,"12,5"\n')
    report = run(store, text.encode(), "range.csv", catalogue, units)
    assert reasons(report) == [
        (5, "poverty_rate", "percentage 120 is outside 0–100"),
        (6, "households", "12.5 is not a count (whole number ≥ 0)"),
    ]


def test_unquoted_decimal_comma_in_comma_separated_file(store, catalogue, units) -> None:
    text = "# period: 2024\n# kind: actual\n# source: x\nunit_code,poverty_rate,households\n03445,12,5,40\n"
    report = run(store, text.encode(), "commas.csv", catalogue, units)
    assert reasons(report) == [(5, None, "the row has 4 cells but the header has 3 columns (a decimal comma in a "
                                         "comma-separated file? quote the value or separate with ;)")]


def test_ambiguous_thousand_dot_and_misplaced_percent(store, catalogue, units) -> None:
    text = "# period: 2024\n# kind: actual\n# source: x\nunit_code;area;population\n03442;17.860;50%\n"
    report = run(store, text.encode(), "amb.csv", catalogue, units)
    assert reasons(report) == [
        (5, "area", "'17.860' is ambiguous (thousands separator or decimal mark?); write 17860 or 17,86"),
        (5, "population", "'50%': a percent sign is only allowed for percentages (Population is not one)"),
    ]


def test_wide_sheet_needs_period_kind_source(store, catalogue, units) -> None:
    report = run(store, b"unit_code,population\n03442,100\n", "nometa.csv", catalogue, units)
    assert [p.column for p in report.problems] == ["period", "kind", "source"]


def test_code_and_name_that_disagree(store, catalogue, units) -> None:
    text = "unit_code,unit_name,population\n03442,Xã Mù Cả,100\n"
    report = run(store, text.encode(), "mismatch.csv", catalogue, units, period="2024", kind="actual", source="x")
    assert reasons(report) == [(2, "unit_code", "code '03442' does not match the name 'Xã Mù Cả' (code 03451)")]


def test_one_bad_row_changes_nothing(store, catalogue, units) -> None:
    text = LONG + f'2024,99999,population,2024,actual,10,,"{SOURCE}",\n'
    report = run(store, text.encode(), "mixed.csv", catalogue, units)
    assert reasons(report) == [(4, "unit_code", "unit code '99999' is not a known unit code")]


def test_not_a_spreadsheet(store, catalogue, units) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    assert reasons(run(store, png, "map.png", catalogue, units)) == \
        [(None, None, "a PNG file is not a CSV or XLSX spreadsheet")]
    binary = bytes(range(1, 32)) * 50
    assert reasons(run(store, binary, "data.bin", catalogue, units)) == \
        [(None, None, "the file is not a CSV or XLSX spreadsheet (binary content)")]
    broken_zip = b"PK\x03\x04" + b"\x00" * 100
    assert run(store, broken_zip, "broken.xlsx", catalogue, units).problems[0].reason_en == \
        "the XLSX file is damaged (the zip container cannot be opened)"


def test_fifty_megabyte_file_is_refused(store, catalogue, units, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    row = f'2024,03442,population,2024,actual,5123,VERIFIED,"{SOURCE}",\n'.encode()
    with path.open("wb") as out:
        out.write(LONG.encode())
        out.write(row * (50 * 1024 * 1024 // len(row)))
    data = path.read_bytes()
    assert len(data) >= 50 * 1024 * 1024 > MAX_BYTES
    assert reasons(run(store, data, "big.csv", catalogue, units)) == \
        [(None, None, "the file is too large (50 MB; the limit is 10 MB)")]


def test_xlsx_wide_with_percent_cells_and_metadata_rows(store, catalogue, units) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["BIỂU TỔNG HỢP SỐ LIỆU CÁC XÃ"])  # a title row above is ignored
    sheet.append(["Kỳ", "2024"])
    sheet.append(["Loại", "actual"])
    sheet.append(["Nguồn", SOURCE])
    sheet.append(["Mã đơn vị", "Tỷ lệ hộ nghèo", "households"])
    sheet.append(["03436", 0.3125, 512])
    sheet["B6"].number_format = "0.00%"
    sheet.append([3439, "28,5", 610])  # a code typed as a number loses its leading zero
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(store, buffer.getvalue(), "bieu.xlsx", catalogue, units)
    assert report.ok, reasons(report)
    assert stored(store, "03436", "poverty_rate") == "31.25"
    assert stored(store, "03439", "poverty_rate") == "28.5"
    assert stored(store, "03439", "households") == "610"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_round_trip(store, catalogue, units, fmt: str) -> None:
    table, notes = template(catalogue, units)
    assert list(table["unit_code"]) == list(units[2024])
    assert len(table) == 14 and set(catalogue) <= set(table.columns)
    table["villages"] = table["villages"].astype(object)
    table.loc[table["unit_code"] == "03466", "villages"] = 11
    notes = [n.replace("period: ", "period: 2024").replace("source: ", f"source: {SOURCE}") for n in notes]
    data = to_csv_bytes(table, notes=notes) if fmt == "csv" else to_xlsx_bytes(table, notes=notes)
    report = run(store, data, f"template.{fmt}", catalogue, units)
    assert report.ok, reasons(report)
    assert (report.new_count, report.changed_count) == (1, 0)
    assert stored(store, "03466", "villages") == "11"


def test_preview_lists_new_and_changed_values(store, catalogue, units) -> None:
    text = (f"unit_code,indicator,period,kind,value,status,source,note\n"
            f'107,forest_cover,2024,estimate,"67,5",VERIFIED,"{SOURCE}",\n'
            f'03442,population,2024,actual,5123,VERIFIED,"{SOURCE}",\n')
    before = store.version()
    report = check_file(store, text.encode(), "p.csv", catalogue=catalogue, units=units)
    assert store.version() == before  # the preview writes nothing
    changed = [c for c in report.changes if c.old is not None]
    assert [(c.key, c.old["value"], c.new["value"]) for c in changed] == \
        [((2024, "107", "forest_cover", "2024", "estimate"), "66.8", "67.5")]
    assert [c.key for c in report.changes if c.old is None] == [(2024, "03442", "population", "2024", "actual")]
    revision = confirm(store, report, user="lan")
    again = check_file(store, text.encode(), "p.csv", catalogue=catalogue, units=units)
    assert (again.changes, again.unchanged) == ([], 2)
    assert revision == store.version()


def test_every_problem_is_listed_at_once(store, catalogue, units) -> None:
    text = "Tên xã;Dân số;poverty_rate;so_trau\nMường Tè;17.860;84,6%;1\nXã Pa Vệ Sử;1.200;150;2\n"
    report = run(store, text.encode(), "bad.csv", catalogue, units)
    assert [(p.row, p.column) for p in report.problems] == [
        (None, "so_trau"), (None, "period"), (None, "kind"), (None, "source"), (2, "Tên xã"), (3, "poverty_rate")]
    assert report.problems[-1].reason_en == "percentage 150 is outside 0–100"


def test_edit_in_place_goes_through_the_same_checks(store, catalogue, units) -> None:
    from mutte_geo.storage.editmerge import edited_file, merge_edits
    from mutte_geo.storage.stewardship import edit_table

    def table():  # type: ignore[no-untyped-def]
        return edit_table(store.current(), catalogue, units, vintage=2024, period="2024", kind="actual",
                          lang="vi", indicator="poverty_rate")

    def file(edited):  # type: ignore[no-untyped-def]
        return edited_file(merge_edits(original, edited, table()), vintage=2024, period="2024", kind="actual",
                           source="Phòng LĐTBXH")

    original = table()
    assert len(original) == 14 and set(original["value"]) == {""}
    edited = original.copy()
    edited.loc[edited["unit_code"] == "03442", "value"] = "41,5"
    edited.loc[edited["unit_code"] == "03445", "value"] = "140"
    report = run(store, file(edited), "edit", catalogue, units)
    assert reasons(report) == [(3, "value", "percentage 140 is outside 0–100")]
    edited.loc[edited["unit_code"] == "03445", "value"] = "38"
    report = check_file(store, file(edited), "edit", catalogue=catalogue, units=units)
    assert [(c.key[1], c.new["value"]) for c in report.changes] == [("03442", "41.5"), ("03445", "38")]
    assert file(original) == b""
    # someone else saves 03442 after the table was opened: the same field changed twice is a conflict
    other = check_file(store, b"unit_code,poverty_rate\n03442,40\n", "other.csv", catalogue=catalogue, units=units,
                       options=Options(period="2024", kind="actual", source="x"))
    confirm(store, other, user="minh")
    merged = merge_edits(original, edited, table())
    assert [(c.unit_code, c.field, c.shown, c.theirs, c.mine) for c in merged.conflicts] == [
        ("03442", "value", "", "40", "41,5")]


def test_office_sheet_with_row_numbers_notes_and_a_total_row(store, catalogue, units) -> None:
    text = ("# kỳ: 2024\n# loại: thực hiện\n# nguồn: Phòng Văn hóa\n"
            "STT;Tên đơn vị;Số hộ;Ghi chú\n1;Xã Mù Cả;812;số hộ cuối năm\n2;Xã Tà Tổng;1.034;\n"
            ";Tổng cộng;1.846;chỉ 2 xã\n")
    report = run(store, text.encode(), "van_hoa.csv", catalogue, units)
    assert report.ok, reasons(report)
    cur = store.current()
    rows = cur[(cur["indicator"] == "households") & (cur["period"] == "2024") & (cur["file"] == "van_hoa.csv")]
    assert rows[["unit_code", "value", "note"]].to_dict("records") == [
        {"unit_code": "03451", "value": "812", "note": "số hộ cuối năm"},
        {"unit_code": "03463", "value": "1034", "note": ""},
        {"unit_code": "107", "value": "1846", "note": "chỉ 2 xã"},
    ]

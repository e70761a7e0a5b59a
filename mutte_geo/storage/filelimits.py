"""Limits that keep one uploaded file from exhausting the server, checked before and while it is parsed.

A zip container (XLSX, zipped Shapefile) is judged by its directory before anything is inflated: the
number of entries and the declared uncompressed sizes (Python's zipfile never inflates an entry beyond
its declared size, so the declared sum bounds the work). Rows, columns and cell lengths are bounded
while a sheet is read, and the problems listed for one file are capped.
"""

from __future__ import annotations

import io
import zipfile

from mutte_geo.core.errors import Problem
from mutte_geo.core.i18n import format_number

MAX_ROWS = 20_000  # a long file of every commune, indicator and period of a decade is a few thousand rows
MAX_COLUMNS = 300
MAX_CELL_CHARS = 2_000
MAX_ZIP_ENTRIES = 500
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_BOUNDARY_UNCOMPRESSED = 200 * 1024 * 1024
MAX_PROBLEMS = 50


def vi_number(number: float) -> str:
    """A whole number as Vietnamese writes it (17.860)."""
    return format_number(number, "vi", 0)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def zip_problems(data: bytes, file: str, *, what: str, max_uncompressed: int,
                 max_entries: int = MAX_ZIP_ENTRIES) -> list[Problem]:
    """Why the zip container ``data`` is refused before inflating it (none: it may be read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return [Problem(file, None, None, f"tệp {what} bị hỏng (không mở được tệp nén)",
                        f"the {what} file is damaged (the zip container cannot be opened)")]
    if len(entries) > max_entries:
        return [Problem(file, None, None, f"tệp {what} chứa {vi_number(len(entries))} mục (tối đa {max_entries})",
                        f"the {what} file holds {len(entries):,} entries (at most {max_entries})")]
    total = sum(e.file_size for e in entries)
    if total > max_uncompressed:
        return [Problem(file, None, None,
                        f"tệp {what} khi giải nén là {_mb(total)} (tối đa {_mb(max_uncompressed)}): tệp bị nén "
                        "bất thường (zip bomb?) hoặc quá lớn; hãy chia nhỏ tệp",
                        f"the {what} file inflates to {_mb(total)} (at most {_mb(max_uncompressed)}): an abnormally "
                        "compressed file (zip bomb?) or too large; split it")]
    return []


def too_many_rows(file: str, rows: int) -> Problem:
    return Problem(file, None, None,
                   f"tệp có hơn {vi_number(MAX_ROWS)} dòng ({vi_number(rows)}); mỗi lần nhập tối đa "
                   f"{vi_number(MAX_ROWS)} dòng: hãy chia tệp",
                   f"the file has more than {MAX_ROWS:,} rows ({rows:,}); one import reads at most {MAX_ROWS:,}: "
                   "split the file")


def too_many_columns(file: str, row: int, columns: int) -> Problem:
    return Problem(file, row, None, f"dòng có {vi_number(columns)} cột (tối đa {MAX_COLUMNS})",
                   f"the row has {columns:,} columns (at most {MAX_COLUMNS})")


def cell_too_long(file: str, row: int, column: str, length: int) -> Problem:
    return Problem(file, row, column, f"ô dài {vi_number(length)} ký tự (tối đa {vi_number(MAX_CELL_CHARS)})",
                   f"the cell holds {length:,} characters (at most {MAX_CELL_CHARS:,})")


def cap_problems(problems: list[Problem], file: str) -> list[Problem]:
    """The first ``MAX_PROBLEMS`` problems and one line saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS],
            Problem(file, None, None,
                    f"và {vi_number(more)} lỗi khác (chỉ liệt kê {MAX_PROBLEMS} lỗi đầu)",
                    f"and {more:,} more (only the first {MAX_PROBLEMS} are listed)")]

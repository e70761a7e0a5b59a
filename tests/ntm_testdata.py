"""TEST DATA: filled NTM assessment workbooks built from the app's own template.

Nothing here is a real assessment: every workbook says so in its source line ("TEST DATA"), and the
pattern of results is arbitrary (chosen so that some communes meet everything, some miss criteria).
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from mutte_geo.model.indicators import UnitsByVintage
from mutte_geo.model.ntm import CriteriaSet
from mutte_geo.storage.ntm_import import template_xlsx

TEST_SOURCE = "TEST DATA – dữ liệu thử, không phải kết quả đánh giá thật"


def sample_status(commune_index: int, criterion: int, year: int) -> str:
    """An arbitrary but fixed pattern: 'Đạt', 'Chưa đạt' or '' (not assessed)."""
    if commune_index == 0:
        return "Đạt" if year < 2025 or criterion not in (10, 17) else "Chưa đạt"
    if (commune_index * 7 + criterion * 3 + year) % 11 == 0:
        return ""
    return "Chưa đạt" if (commune_index + criterion + year) % 4 == 0 else "Đạt"


def filled_workbook(criteria_set: CriteriaSet, units: UnitsByVintage, *, year: int, assessor: str,
                    layout: str = "per-commune", source: str = TEST_SOURCE) -> bytes:
    """The template filled with :func:`sample_status` results, year, assessor and a TEST DATA source."""
    book = load_workbook(io.BytesIO(template_xlsx(criteria_set, units, layout=layout, year=str(year))))
    notes = book["notes"]
    for row in notes.iter_rows():
        text = str(row[0].value or "")
        if text.startswith("cấp đánh giá:"):
            row[0].value = f"cấp đánh giá: {assessor}"
        elif text.startswith("nguồn:"):
            row[0].value = f"nguồn: {source}"
    sheets = [s for s in book.worksheets if s.title not in ("notes", "công nhận")]
    if layout == "per-commune":
        for index, sheet in enumerate(sheets):
            for row in sheet.iter_rows(min_row=3):
                row[2].value = sample_status(index, int(row[0].value), year)
    else:
        sheet = sheets[0]
        for row in sheet.iter_rows(min_row=2):
            for index, cell in enumerate(row[2:]):
                cell.value = sample_status(index, int(row[0].value), year)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""What the report itself gets wrong or changes: remarks kept beside its figures (``remarks.csv``).

Kinds:

- ``not_comparable``: the 2024 result and the 2025 target of an indicator are defined differently
  (the overview shows the reason instead of "reached"/"not reached");
- ``inconsistency``: the report contradicts itself (numbering, wording, arithmetic);
- ``context``: what a reader of the indicator's map or figure must know (open or closed lists, counts
  that the named units do not add up to).

A remark without an indicator is about the report as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mutte_geo.core.errors import Problem, ValidationError
from mutte_geo.core.paths import INDICATOR_DIR

REMARKS_FILE = "remarks.csv"
REMARK_KINDS = ("not_comparable", "inconsistency", "context")
REPORT_CITATION = ("Báo cáo định hướng xây dựng kế hoạch phát triển KT-XH năm 2025, UBND huyện Mường Tè (6/2024)",
                   "Mường Tè district People's Committee, 2025 socio-economic plan orientation report (6/2024)")


@dataclass(frozen=True)
class Remark:
    indicator: str | None
    kind: str
    section: str
    text_vi: str
    text_en: str

    def text(self, lang: str) -> str:
        return self.text_vi if lang == "vi" else self.text_en

    def cited(self, lang: str) -> str:
        """The remark with the report section it concerns."""
        where = ("mục " if lang == "vi" else "section ") + self.section
        return f"{self.text(lang)} ({where})"


def load_remarks(known_indicators: set[str], directory: Path = INDICATOR_DIR) -> tuple[Remark, ...]:
    """Read ``remarks.csv`` (absent: no remarks); raise ValidationError listing every bad row."""
    path = directory / REMARKS_FILE
    if not path.is_file():
        return ()
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    remarks, problems = [], []
    for row_no, row in enumerate(table.to_dict("records"), start=2):
        indicator = row.get("indicator", "").strip() or None
        kind = row.get("kind", "").strip()
        if indicator is not None and indicator not in known_indicators:
            problems.append(Problem(REMARKS_FILE, row_no, "indicator",
                                    f"chỉ tiêu '{indicator}' không có trong danh mục",
                                    f"unknown indicator id '{indicator}'"))
        if kind not in REMARK_KINDS:
            problems.append(Problem(REMARKS_FILE, row_no, "kind", f"loại ghi chú '{kind}' không hợp lệ",
                                    f"remark kind must be one of {', '.join(REMARK_KINDS)}"))
        if not row.get("text_vi", "").strip() or not row.get("text_en", "").strip():
            problems.append(Problem(REMARKS_FILE, row_no, "text_vi", "thiếu nội dung (tiếng Việt và tiếng Anh)",
                                    "text is missing (Vietnamese and English)"))
        remarks.append(Remark(indicator, kind, row.get("section", "").strip(), row.get("text_vi", "").strip(),
                              row.get("text_en", "").strip()))
    if problems:
        raise ValidationError(problems)
    return tuple(remarks)


def remarks_for(remarks: tuple[Remark, ...], indicator: str | None, *kinds: str) -> list[Remark]:
    """The remarks on ``indicator`` (None: on the whole report) of the given kinds (all when none given)."""
    return [r for r in remarks if r.indicator == indicator and (not kinds or r.kind in kinds)]


def not_comparable_reasons(remarks: tuple[Remark, ...]) -> dict[str, Remark]:
    """Indicator id → why its 2024 result and 2025 target cannot be compared directly."""
    return {r.indicator: r for r in remarks if r.kind == "not_comparable" and r.indicator is not None}

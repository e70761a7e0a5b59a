"""New-rural-area (NTM, nông thôn mới) criteria sets, assessments and the public record.

Criteria sets are data (data/ntm/, see its README): each set names its decision, the years it covers and
the boundary vintage its units belong to (QĐ 318/QĐ-TTg → the 2024 units, QĐ 51/2025/QĐ-TTg → the 2025
communes). An assessment is one unit × criterion × year judged ``dat`` (met) or ``chua_dat`` (not met) by
one assessor; a cell nobody assessed has no row and is shown as "not assessed", never as not met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mutte_geo.core.errors import Problem, ValidationError
from mutte_geo.core.i18n import gettext
from mutte_geo.core.paths import DATA_DIR
from mutte_geo.model.catalogue import CATEGORIES

NTM_DIR = DATA_DIR / "ntm"
MET, NOT_MET = "dat", "chua_dat"
STATUS_LABELS = {MET: ("Đạt", "Met"), NOT_MET: ("Chưa đạt", "Not met")}
NOT_ASSESSED = ("Chưa đánh giá", "Not assessed")
# Who assessed, lowest to highest authority: the highest one of a year is the one that counts.
ASSESSORS = ("self", "district", "province")
ASSESSOR_LABELS = {"self": ("Xã tự đánh giá", "Self-assessment"),
                   "district": ("Huyện thẩm định", "District appraisal"),
                   "province": ("Tỉnh thẩm định", "Province appraisal")}
ASSESSMENT_KEY = ("vintage", "unit_code", "set_id", "criterion", "year", "assessor")
ASSESSMENT_FIELDS = ("status", "assessed_on", "measured", "evidence", "source", "note")
ASSESSMENT_COLUMNS = (*ASSESSMENT_KEY, *ASSESSMENT_FIELDS)
RECORDS = ("district_count", "recognised", "planned")


@dataclass(frozen=True)
class Criterion:
    set_id: str
    number: int
    name_vi: str
    name_en: str
    group_vi: str
    group_en: str
    category: str
    app_indicators: tuple[str, ...]
    source: str
    where_in_source: str

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def label(self, lang: str) -> str:
        """'17 Môi trường và an toàn thực phẩm'."""
        return f"{self.number} {self.name(lang)}"


@dataclass(frozen=True)
class CriteriaSet:
    set_id: str
    decision: str
    title_vi: str
    title_en: str
    signed: str
    in_force: str
    year_from: int
    year_to: int
    vintage: int
    indicator_count: int | None
    source: str
    note: str
    criteria: tuple[Criterion, ...]

    @property
    def size(self) -> int:
        return len(self.criteria)

    def title(self, lang: str) -> str:
        return self.title_vi if lang == "vi" else self.title_en

    def short(self, lang: str) -> str:
        """'QĐ 318/QĐ-TTg (2021–2025, 19 tiêu chí)'."""
        return gettext(lang, "Decision {decision} ({year_from}–{year_to}, {size} criteria)").format(
                   decision=self.decision, year_from=self.year_from, year_to=self.year_to, size=self.size)

    @property
    def signed_on(self) -> dt.date:
        return dt.date.fromisoformat(self.signed)

    @property
    def in_force_on(self) -> dt.date:
        return dt.date.fromisoformat(self.in_force)

    def criterion(self, number: int) -> Criterion | None:
        return next((c for c in self.criteria if c.number == number), None)

    def covers(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to


CriteriaSets = dict[str, CriteriaSet]


def status_label(status: str | None, lang: str) -> str:
    labels = STATUS_LABELS.get(status or "", NOT_ASSESSED)
    return labels[0 if lang == "vi" else 1]


def assessor_label(assessor: str, lang: str) -> str:
    return ASSESSOR_LABELS[assessor][0 if lang == "vi" else 1]


def set_for_vintage(sets: CriteriaSets, vintage: int) -> CriteriaSet:
    """The national set that applies to the units of ``vintage`` (the newest when several do)."""
    matching = sorted((s for s in sets.values() if s.vintage == vintage), key=lambda s: s.year_from)
    if not matching:
        raise KeyError(f"no NTM criteria set applies to the {vintage} units")
    return matching[-1]


def load_criteria_sets(directory: Path = NTM_DIR) -> CriteriaSets:
    """Read criteria_sets.csv and criteria.csv; raise ValidationError listing every problem."""
    problems: list[Problem] = []
    sets_table = pd.read_csv(directory / "criteria_sets.csv", dtype=str, keep_default_na=False)
    rows = pd.read_csv(directory / "criteria.csv", dtype=str, keep_default_na=False)
    by_set: dict[str, list[Criterion]] = {}
    for row_no, row in enumerate(rows.to_dict("records"), start=2):
        def bad(column: str, vi: str, en: str, row_no: int = row_no) -> None:
            problems.append(Problem("criteria.csv", row_no, column, vi, en))

        if not row["number"].isdigit():
            bad("number", "số tiêu chí phải là số nguyên", "the criterion number must be a whole number")
            continue
        if row["category"] not in CATEGORIES:
            bad("category", f"nhóm '{row['category']}' không hợp lệ", f"unknown category '{row['category']}'")
        if not row["source"].strip():
            bad("source", "thiếu nguồn", "the source is empty")
        number = int(row["number"])
        if any(c.number == number for c in by_set.get(row["set_id"], [])):
            bad("number", f"tiêu chí {number} bị trùng", f"criterion {number} is listed twice")
        by_set.setdefault(row["set_id"], []).append(Criterion(
            row["set_id"], number, row["name_vi"], row["name_en"], row["group_vi"], row["group_en"],
            row["category"], tuple(i for i in row["app_indicators"].split(";") if i), row["source"],
            row["where_in_source"]))
    sets: CriteriaSets = {}
    for row_no, row in enumerate(sets_table.to_dict("records"), start=2):
        criteria = tuple(sorted(by_set.pop(row["set_id"], []), key=lambda c: c.number))
        if row["criteria"] and int(row["criteria"]) != len(criteria):
            problems.append(Problem("criteria_sets.csv", row_no, "criteria",
                                    f"bộ {row['set_id']} ghi {row['criteria']} tiêu chí nhưng criteria.csv có "
                                    f"{len(criteria)}",
                                    f"set {row['set_id']} states {row['criteria']} criteria but criteria.csv "
                                    f"lists {len(criteria)}"))
        sets[row["set_id"]] = CriteriaSet(
            row["set_id"], row["decision"], row["title_vi"], row["title_en"], row["signed"], row["in_force"],
            int(row["year_from"]), int(row["year_to"]), int(row["vintage"]),
            int(row["indicators"]) if row["indicators"] else None, row["source"], row["note"], criteria)
    for set_id in by_set:
        problems.append(Problem("criteria.csv", None, "set_id", f"bộ tiêu chí '{set_id}' không có trong "
                                "criteria_sets.csv", f"criteria set '{set_id}' is not in criteria_sets.csv"))
    if problems:
        raise ValidationError(problems)
    return sets


def load_public_record(directory: Path = NTM_DIR) -> pd.DataFrame:
    """The public record (district count, recognitions, plans), each row with source and status."""
    table = pd.read_csv(directory / "public_record.csv", dtype=str, keep_default_na=False)
    unknown = sorted(set(table["record"]) - set(RECORDS))
    if unknown:
        raise ValidationError([Problem("public_record.csv", None, "record", f"loại bản ghi không hợp lệ: {unknown}",
                                       f"unknown record kinds: {unknown}")])
    table["vintage"] = table["vintage"].astype(int)
    table["year"] = table["year"].astype(int)
    return table


def empty_assessments() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=str) for c in ASSESSMENT_COLUMNS})
    for column in ("vintage", "criterion", "year"):
        frame[column] = frame[column].astype(int)
    return frame

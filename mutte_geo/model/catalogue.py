"""The indicator catalogue: names, units, value types and direction of every indicator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mutte_geo.core.errors import Problem, ValidationError
from mutte_geo.core.i18n import N_, yes_no_label
from mutte_geo.core.paths import INDICATOR_DIR

VALUE_TYPES = ("numeric", "percentage", "count", "yes/no", "category")
VALUE_TYPE_LABELS = {
    "numeric": N_("number"), "percentage": N_("percentage"), "count": N_("count"),
    "yes/no": N_("yes/no"), "category": N_("category"),
}
CATEGORIES = {
    "economy": N_("Economy"),
    "infrastructure": N_("Infrastructure"),
    "education": N_("Education"),
    "health": N_("Health"),
    "labour_poverty": N_("Labour and poverty"),
    "culture": N_("Culture"),
    "environment": N_("Environment"),
    "security": N_("Security"),
    "geography": N_("Geography"),
    "demography": N_("Population"),
    "land": N_("Land and site clearance"),
}
AGGREGATIONS = ("sum", "weighted_mean", "flag", "list", "none")
_COLUMNS = ("id", "category", "value_type", "unit_vi", "unit_en", "higher_is_better", "decimals",
            "aggregation", "weight", "ratio_of", "sensitive", "name_vi", "name_en")


@dataclass(frozen=True)
class Indicator:
    id: str
    category: str
    value_type: str
    unit_vi: str
    unit_en: str
    higher_is_better: bool | None
    decimals: int
    aggregation: str
    weight: str
    ratio_of: tuple[str, str] | None
    sensitive: bool
    name_vi: str
    name_en: str
    category_labels: dict[str, tuple[str, str]]
    minimum: float | None = None  # value_limits.csv: no value may be lower (percentages and counts: 0 by type)

    @property
    def is_numeric(self) -> bool:
        return self.value_type in ("numeric", "percentage", "count")

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def unit(self, lang: str) -> str:
        return self.unit_vi if lang == "vi" else self.unit_en

    def category_label(self, code: str, lang: str) -> str:
        labels = self.category_labels.get(code)
        return code if labels is None else labels[0 if lang == "vi" else 1]

    def choice_label(self, code: str, lang: str) -> str:
        """A yes/no or category value in words; ``categories.csv`` may word yes/no for one indicator
        (a closed list: "Có trong danh sách" / "Không có trong danh sách")."""
        if code in self.category_labels or self.value_type != "yes/no":
            return self.category_label(code, lang)
        return yes_no_label(code, lang)


Catalogue = dict[str, Indicator]


def load_catalogue(directory: Path = INDICATOR_DIR) -> Catalogue:
    """Read ``catalogue.csv`` and ``categories.csv``; raise ValidationError listing every problem."""
    path = directory / "catalogue.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems: list[Problem] = []
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise ValidationError([Problem(path.name, None, c, "thiếu cột", "column is missing") for c in missing])
    labels = _category_labels(directory / "categories.csv")
    minimums = _minimums(directory / "value_limits.csv")
    catalogue: Catalogue = {}
    for row_no, row in enumerate(table.to_dict("records"), start=2):
        def bad(column: str, vi: str, en: str, row_no: int = row_no) -> None:
            problems.append(Problem(path.name, row_no, column, vi, en))

        ident = row["id"].strip()
        if not ident:
            bad("id", "mã chỉ tiêu trống", "indicator id is empty")
            continue
        if ident in catalogue:
            bad("id", f"mã chỉ tiêu '{ident}' bị trùng", f"duplicate indicator id '{ident}'")
        if row["category"] not in CATEGORIES:
            bad("category", f"nhóm '{row['category']}' không hợp lệ", f"unknown category '{row['category']}'")
        if row["value_type"] not in VALUE_TYPES:
            bad("value_type", f"kiểu giá trị '{row['value_type']}' không hợp lệ",
                f"value type must be one of {', '.join(VALUE_TYPES)}")
        if row["aggregation"] not in AGGREGATIONS:
            bad("aggregation", "cách gộp không hợp lệ", f"aggregation must be one of {', '.join(AGGREGATIONS)}")
        ratio = tuple(row["ratio_of"].split("/")) if row["ratio_of"] else None
        if ratio is not None and len(ratio) != 2:
            bad("ratio_of", "phải có dạng tử_số/mẫu_số", "must be numerator_id/denominator_id")
            ratio = None
        catalogue[ident] = Indicator(
            id=ident,
            category=row["category"],
            value_type=row["value_type"],
            unit_vi=row["unit_vi"],
            unit_en=row["unit_en"],
            higher_is_better={"yes": True, "no": False}.get(row["higher_is_better"]),
            decimals=int(row["decimals"] or 0),
            aggregation=row["aggregation"],
            weight=row["weight"],
            ratio_of=ratio,
            sensitive=row["sensitive"] == "yes",
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            category_labels=labels.get(ident, {}),
            minimum=minimums.get(ident),
        )
    for ind in catalogue.values():
        for ref in ind.ratio_of or ():
            if ref not in catalogue:
                problems.append(Problem(path.name, None, "ratio_of", f"'{ref}' không có trong danh mục",
                                        f"'{ref}' is not in the catalogue"))
    if problems:
        raise ValidationError(problems)
    return catalogue


def _minimums(path: Path) -> dict[str, float]:
    if not path.is_file():
        return {}
    table = pd.read_csv(path, dtype={"id": str, "minimum": float}, keep_default_na=False)
    return dict(zip(table["id"], table["minimum"], strict=True))


def _category_labels(path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    labels: dict[str, dict[str, tuple[str, str]]] = {}
    if path.is_file():
        for row in pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records"):
            labels.setdefault(row["indicator"], {})[row["code"]] = (row["label_vi"], row["label_en"])
    return labels

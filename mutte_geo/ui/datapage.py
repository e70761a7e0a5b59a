"""Tables for the data page, in the user's language."""

from __future__ import annotations

import pandas as pd

from mutte_geo.core.i18n import format_period, kind_label, tr
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import CATEGORIES, VALUE_TYPE_LABELS
from mutte_geo.model.join import value_text
from mutte_geo.model.units import DISTRICT_CODE


def values_table(atlas: Atlas, lang: str) -> pd.DataFrame:
    records = []
    for _, row in atlas.values.iterrows():
        indicator = atlas.catalogue[row["indicator"]]
        vintage, code = int(row["vintage"]), row["unit_code"]
        unit = tr(lang, "Huyện Mường Tè", "Mường Tè district") if code == DISTRICT_CODE else \
            atlas.units[vintage][code].label(lang)
        records.append({
            tr(lang, "Ranh giới", "Vintage"): vintage,
            tr(lang, "Mã", "Code"): code,
            tr(lang, "Đơn vị", "Unit"): unit,
            tr(lang, "Chỉ tiêu", "Indicator"): indicator.name(lang),
            tr(lang, "Kỳ", "Period"): format_period(row["period"], lang),
            tr(lang, "Loại", "Kind"): kind_label(row["kind"], lang),
            tr(lang, "Giá trị", "Value"): value_text(indicator, row, lang),
            tr(lang, "Tình trạng", "Status"): tr(lang, "chưa chắc chắn", "uncertain")
            if row["status"] == "UNCERTAIN" else tr(lang, "đã kiểm chứng", "verified"),
            tr(lang, "Nguồn", "Source"): row["source"],
            tr(lang, "Ghi chú", "Note"): row["note"],
            tr(lang, "Tệp", "File"): f"{row['file']}:{row['row']}",
        })
    return pd.DataFrame.from_records(records)


def catalogue_table(atlas: Atlas, lang: str) -> pd.DataFrame:
    direction = {True: tr(lang, "cao hơn là tốt hơn", "higher is better"),
                 False: tr(lang, "thấp hơn là tốt hơn", "lower is better"),
                 None: "—"}
    return pd.DataFrame.from_records([{
        tr(lang, "Mã chỉ tiêu (dùng khi nhập tệp)", "Indicator id (for import files)"): ind.id,
        tr(lang, "Tên", "Name"): ind.name(lang),
        tr(lang, "Nhóm", "Group"): tr(lang, *CATEGORIES[ind.category]),
        tr(lang, "Đơn vị tính", "Unit"): ind.unit(lang),
        tr(lang, "Kiểu", "Type"): tr(lang, *VALUE_TYPE_LABELS[ind.value_type]),
        tr(lang, "Chiều", "Direction"): direction[ind.higher_is_better],
    } for ind in atlas.catalogue.values()])

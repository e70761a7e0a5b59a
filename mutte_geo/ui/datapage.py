"""Tables for the data page, in the user's language."""

from __future__ import annotations

import pandas as pd

from mutte_geo.core.i18n import format_period, gettext, kind_label, pgettext
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.catalogue import CATEGORIES, VALUE_TYPE_LABELS
from mutte_geo.model.join import value_text
from mutte_geo.model.units import DISTRICT_CODE


def values_table(atlas: Atlas, lang: str) -> pd.DataFrame:
    records = []
    for _, row in atlas.values.iterrows():
        indicator = atlas.catalogue[row["indicator"]]
        vintage, code = int(row["vintage"]), row["unit_code"]
        unit = gettext(lang, "Mường Tè district") if code == DISTRICT_CODE else \
            atlas.units[vintage][code].label(lang)
        records.append({
            gettext(lang, "Vintage"): vintage,
            gettext(lang, "Code"): code,
            gettext(lang, "Unit"): unit,
            gettext(lang, "Indicator"): indicator.name(lang),
            gettext(lang, "Period"): format_period(row["period"], lang),
            gettext(lang, "Kind"): kind_label(row["kind"], lang),
            gettext(lang, "Value"): value_text(indicator, row, lang),
            pgettext(lang, "datapage", "Status"): gettext(lang, "uncertain")
            if row["status"] == "UNCERTAIN" else gettext(lang, "verified"),
            gettext(lang, "Source"): row["source"],
            gettext(lang, "Note"): row["note"],
            gettext(lang, "File"): f"{row['file']}:{row['row']}",
        })
    return pd.DataFrame.from_records(records)


def catalogue_table(atlas: Atlas, lang: str) -> pd.DataFrame:
    direction = {True: gettext(lang, "higher is better"),
                 False: gettext(lang, "lower is better"),
                 None: "—"}
    return pd.DataFrame.from_records([{
        gettext(lang, "Indicator id (for import files)"): ind.id,
        gettext(lang, "Name"): ind.name(lang),
        pgettext(lang, "datapage", "Group"): gettext(lang, CATEGORIES[ind.category]),
        pgettext(lang, "datapage", "Unit"): ind.unit(lang),
        pgettext(lang, "datapage", "Type"): gettext(lang, VALUE_TYPE_LABELS[ind.value_type]),
        pgettext(lang, "datapage", "Direction"): direction[ind.higher_is_better],
    } for ind in atlas.catalogue.values()])

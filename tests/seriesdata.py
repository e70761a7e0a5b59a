"""The TEST DATA series (tests/fixtures/TEST_DATA_series.csv) as an atlas: invented figures only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import validate_table

FIXTURE = Path(__file__).parent / "fixtures" / "TEST_DATA_series.csv"


def series_atlas(atlas: Atlas) -> Atlas:
    """The real boundaries and catalogue with ONLY the test series as values (2024 values moved onto 2025)."""
    table = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    clean, problems = validate_table(table, file=FIXTURE.name, catalogue=atlas.catalogue, units=atlas.units)
    assert problems == [], problems
    assert set(clean["source"]) == {"TEST DATA (not real figures)"}
    return atlas.with_values(clean)

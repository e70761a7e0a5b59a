"""The running app reads values from the store and sees changes written by another process."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from mutte_geo.storage.importer import Change
from mutte_geo.storage.store import Store
from mutte_geo.ui.appstate import value_store


def _households_script() -> None:
    import streamlit as st

    from mutte_geo.ui.appstate import atlas_or_stop

    values = atlas_or_stop("vi").values
    rows = values[(values["vintage"] == 2024) & (values["unit_code"] == "03442")
                  & (values["indicator"] == "households") & (values["period"] == "2024-Q3")]
    st.text(",".join(rows["value"]) or "none")


def test_a_change_by_another_process_shows_on_the_next_rerun(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    monkeypatch.setenv("MUTTE_DATABASE_URL", url)
    value_store.clear()
    try:
        at = AppTest.from_function(_households_script, default_timeout=90).run()
        assert not at.exception and at.text[0].value == "none"
        other = Store(url)  # e.g. a second app server on the same PostgreSQL database
        other.apply([Change((2024, "03442", "households", "2024-Q3", "actual"),
                            {"value": "1234", "status": "", "source": "x", "note": ""}, None, None, "b.csv", 2)],
                    user="other")
        at.run()
        assert at.text[0].value == "1234"
    finally:
        value_store.clear()


"""The staff's data pages in the Lai Châu region, run by Streamlit's AppTest over a temporary store: the edit
page lists the account's province commune, the review page names it, the accounts page offers it.
Accounts and values are TEST DATA."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.storage.approval import Approvals
from mutte_geo.storage.auth import User
from mutte_geo.storage.importer import Change
from mutte_geo.ui.appstate import value_store

from .test_auth import signed_in, temp_store  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("temp_store")
SIN_HO = User("sinho", "editor", "Cán bộ xã Sìn Hồ (TEST DATA)", units=frozenset({"2025:03478"}))
ADMIN = User("quantri", "admin")


def page(name: str, user: User, region: str = "laichau") -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=90)
    at.query_params["lang"] = "vi"
    at.query_params["region"] = region
    at.session_state["user"] = signed_in(user)
    return at.run()


def test_the_edit_page_lists_the_accounts_province_commune() -> None:
    at = page("edit.py", SIN_HO)
    assert not at.exception and not at.info  # "no unit of the 2025 boundaries" would be an info
    at.radio(key="edit_by").set_value("unit").run()
    unit = at.selectbox(key="edit_unit")
    assert unit.options == ["Xã Sìn Hồ"] and unit.value == "03478"
    assert at.text_input(key="edit_period").value == "2025"  # the region's one vintage
    assert page("edit.py", SIN_HO, region="mutte").info  # no Mường Tè unit for this account


def test_the_review_page_names_a_province_commune() -> None:
    page("approve.py", SIN_HO)  # opens (and seeds) the store
    Approvals(value_store()).submit([Change((2025, "03478", "villages", "2025", "actual"),
                                            {"value": "21", "status": "", "source": "TEST DATA", "note": ""},
                                            None, None, "xa.csv", 6)], user=SIN_HO, file="xa.csv")
    at = page("approve.py", SIN_HO)
    assert not at.exception
    assert at.dataframe[0].value["Đơn vị"].tolist() == ["Xã Sìn Hồ (2025:03478)"]


def test_the_accounts_page_offers_every_province_commune() -> None:
    at = page("users.py", ADMIN)
    assert not at.exception
    options = at.multiselect(key="user_new_units").options
    assert "Xã Sìn Hồ (2025:03478)" in options and "Xã Bình Lư (2025:03390)" in options
    assert "Thị trấn Mường Tè (2024:03433)" in options and len(options) == 1 + 38 + 14

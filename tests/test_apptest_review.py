"""The review page, the include-submitted switch, the approval layer and audited sensitive exports, run
by Streamlit's AppTest over a temporary store. Accounts and values are TEST DATA."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.model.catalogue import load_catalogue
from mutte_geo.storage import audit
from mutte_geo.storage.approval import Approvals
from mutte_geo.storage.auth import User
from mutte_geo.storage.importer import Change
from mutte_geo.ui.appstate import value_store

from .test_auth import signed_in, temp_store  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("temp_store")
PA_U = User("pau", "editor", "Cán bộ xã Pa Ủ", units=frozenset({"2025:03442"}))
MU_CA = User("muca", "editor", "Cán bộ xã Mù Cả", units=frozenset({"2025:03451"}))
APPROVER, APPROVER_2 = User("duyet", "approver"), User("duyet2", "approver")
KEY = (2025, "03442", "villages", "2025-H1", "actual")


def page(name: str, user: User | None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=90)
    at.query_params["lang"] = "vi"
    at.query_params["vintage"] = "2025"
    if user is not None:
        at.session_state["user"] = signed_in(user)
    return at.run()


def submitted(user: User, key=KEY, value: str = "12") -> None:  # type: ignore[no-untyped-def]
    Approvals(value_store()).submit([Change(key, {"value": value, "status": "", "source": "TEST DATA", "note": ""},
                                            None, None, "xa.csv", 6)], user=user, file="xa.csv")


def test_two_approvers_on_the_page_one_wins_the_other_is_told() -> None:  # type: ignore[no-untyped-def]
    first, second = page("approve.py", APPROVER), page("approve.py", APPROVER_2)  # opens (and seeds) the store
    submitted(PA_U)
    for at in (first, second):
        at.button(key="review_reload").click().run()
        shown = at.dataframe[0].value
        assert shown["Giá trị gửi"].tolist() == ["12"] and shown["Người gửi"].tolist() == ["pau"]
        at.multiselect(key="review_pick").set_value([1]).run()
    first.button(key="review_approve").click().run()
    assert first.success[0].value.startswith("Đã duyệt 1 giá trị (phiên bản 2)")
    second.text_input(key="review_comment").set_value("số chưa khớp")
    second.button(key="review_return").click().run()
    assert second.error[0].value.startswith("Người khác đã quyết định trước: mã 1: duyet đã duyệt lúc ")
    final = Approvals(value_store()).submissions(APPROVER, ("submitted", "returned", "approved"))
    assert final[["state", "decided_by", "comment"]].values.tolist() == [["approved", "duyet", ""]]
    assert second.text_input(key="review_comment").value == "số chưa khớp"  # the loser's comment is still there


def test_a_commune_sees_only_its_submissions_and_the_comment() -> None:  # type: ignore[no-untyped-def]
    page("approve.py", APPROVER)
    submitted(PA_U)
    submitted(MU_CA, (2025, "03451", "villages", "2025-H1", "actual"), "9")
    flow = Approvals(value_store())
    waiting = flow.submissions(APPROVER, ("submitted",))
    from mutte_geo.storage.approval import Decision

    mine = waiting[waiting["submitted_by"] == "pau"]
    flow.return_([Decision(int(mine["id"].iloc[0]), int(mine["version"].iloc[0]))], user=signed_in(APPROVER),
                 comment="Thiếu nguồn")
    at = page("approve.py", PA_U)
    assert not at.exception and not at.multiselect  # editors do not approve
    shown = at.dataframe[0].value
    assert shown["Đơn vị"].tolist() == ["Xã Pa Ủ (2025:03442)"]
    assert shown[["Trạng thái", "Nhận xét"]].values.tolist() == [["bị trả lại", "Thiếu nguồn"]]
    assert "Mù Cả" not in at.dataframe[1].value.to_string()


def _atlas_script() -> None:
    import streamlit as st

    from mutte_geo.ui.appstate import atlas_or_stop

    atlas = atlas_or_stop("vi")
    rows = atlas.values[(atlas.values["unit_code"] == "03442") & (atlas.values["period"] == "2025-H1")
                        & (atlas.values["indicator"] == "villages")]
    st.text("|".join(f"{r['value']};{r['status']};{r['note']}" for r in rows.to_dict("records")) or "none")


@pytest.mark.parametrize("include", [False, True])
def test_leaders_see_approved_values_unless_they_switch_on_the_submitted_ones(include) -> None:  # type: ignore[no-untyped-def]
    page("approve.py", APPROVER)
    submitted(PA_U)
    at = AppTest.from_function(_atlas_script, default_timeout=90)
    at.session_state["user"] = signed_in(User("lanhdao", "viewer", "Lãnh đạo huyện"))
    if include:
        at.query_params["include_submitted"] = "1"  # the switch lives in the link
    at.run()
    assert not at.exception
    if include:
        assert at.text[0].value.startswith("12;UNCERTAIN;CHƯA DUYỆT — gửi bởi pau")
        assert at.warning[0].value.startswith("Đang hiện cả 1 số liệu chờ duyệt")
    else:
        assert at.text[0].value == "none" and not at.warning


def test_approval_state_is_a_layer_of_the_completeness_grid() -> None:  # type: ignore[no-untyped-def]
    page("approve.py", APPROVER)
    submitted(PA_U)
    at = page("completeness.py", APPROVER)
    at.radio(key="completeness_layer").set_value("approval").run()
    table = at.dataframe[0].value.set_index("Chỉ tiêu")
    villages = table.loc[load_catalogue()["villages"].name_vi]
    assert villages["Pa Ủ (03442)"] == "⏳" and villages["Số xã chờ duyệt"] == 1
    assert villages["Mù Cả (03451)"] in ("●", "–")
    assert len(page("completeness.py", None).radio) == 0  # visitors see the data layer only


def _export_script() -> None:
    import streamlit as st

    from mutte_geo.ui.authpage import sensitive_export

    plain = sensitive_export(b"plain", False, "plain table")
    made = sensitive_export(b"hotspots", True, "security_hotspot map PNG")
    st.text(f"{plain!r} {made() if callable(made) else made!r}")  # calling it is what a download does


def test_exports_with_the_sensitive_layer_are_recorded() -> None:  # type: ignore[no-untyped-def]
    page("approve.py", APPROVER)
    at = AppTest.from_function(_export_script, default_timeout=90)
    at.session_state["user"] = signed_in(APPROVER)
    at.run()
    assert at.text[0].value == "b'plain' b'hotspots'"
    log = audit.events(value_store().engine)
    exports = log[log["action"] == "export_sensitive"]
    assert exports[["actor", "target"]].values.tolist() == [["duyet", "security_hotspot map PNG"]]


@pytest.mark.parametrize(("name", "title"), [("approve.py", "Review values"), ("users.py", "User accounts"),
                                             ("audit.py", "Audit log")])
def test_the_new_pages_in_english(name: str, title: str) -> None:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / name), default_timeout=90)
    at.query_params["lang"] = "en"
    at.session_state["user"] = signed_in(User("minh", "admin"))
    at.run()
    assert not at.exception and at.title[0].value == title
    assert not [m for m in at.markdown if any(w in m.value for w in ("Đơn vị", "Tài khoản", "Duyệt"))]

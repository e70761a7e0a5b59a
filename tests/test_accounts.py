"""Accounts in the database (SQLite and PostgreSQL): lifecycle, password policy, last admin, scope of
direct store writes, sign-in delays and the audit log. Logins and passwords here are TEST DATA."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mutte_geo.storage import audit
from mutte_geo.storage.accounts import AccountError, AccountStore, DelayPolicy, ScopeError
from mutte_geo.storage.auth import REGION, User, hash_password, load_accounts, password_problems
from mutte_geo.storage.importer import Change
from mutte_geo.storage.store import Store

from .test_store import url  # noqa: F401  (the sqlite/postgresql fixture)

PA_U_2025 = "2025:03442"  # TEST DATA: a commune editor's unit
GOOD = "Sông Đà chảy về xuôi"


@pytest.fixture
def store(url: str) -> Store:  # noqa: F811
    from mutte_geo.storage import accounts, approval, locks

    engine = Store(url).engine
    for tables in (approval.metadata, locks.metadata, accounts.metadata, audit.metadata):
        tables.drop_all(engine)
    return Store(url)


@pytest.fixture
def accounts(store: Store) -> AccountStore:
    accounts = AccountStore(store.engine)
    accounts.create("system", "minh", password=GOOD, role="admin", name="Lò Văn Minh")
    accounts.create("minh", "lan", password="Số liệu xã Pa Ủ 2025", role="editor", name="Nguyễn Thị Lan",
                    units=frozenset({PA_U_2025}), sensitive=False)
    return accounts


def test_password_policy() -> None:
    assert [en for _, en in password_problems("short", "lan")] == ["it needs at least 10 characters"]
    assert "it is a common password" in [en for _, en in password_problems("password123", "lan")]
    assert "it is a common password" in [en for _, en in password_problems("Matkhau123", "lan")]
    assert [en for _, en in password_problems("hoa-dep-nhat-nam", "Hoa")] == ["it contains the user name"]
    assert [en for _, en in password_problems("thi-lan-2025-xyz", "lanntt", "Nguyễn Thị Lan")] == [
        "it contains the name of the user"]
    assert password_problems(GOOD, "lan", "Nguyễn Thị Lan") == []


def test_policy_is_enforced_when_creating_resetting_and_changing(accounts: AccountStore) -> None:
    with pytest.raises(AccountError, match="common password"):
        accounts.create("minh", "hoa", password="password123", role="editor")
    with pytest.raises(AccountError, match="user name"):
        accounts.reset_password("minh", "lan", "lan-lan-lan-lan-1")
    with pytest.raises(AccountError, match="at least 10"):
        accounts.change_own_password("lan", "Số liệu xã Pa Ủ 2025", "ngắn")
    assert accounts.get("hoa") is None


def test_a_reset_keeps_every_attribute_and_forces_a_change(accounts: AccountStore) -> None:
    before = accounts.get("lan")
    assert before is not None and before.user.sensitive is False and before.user.units == {PA_U_2025}
    after = accounts.reset_password("minh", "lan", "Một mật khẩu mới dài")
    assert (after.user.role, after.user.units, after.user.sensitive, after.user.name) == (
        "editor", frozenset({PA_U_2025}), False, "Nguyễn Thị Lan")
    assert after.must_change_password
    signed = accounts.sign_in("lan", "Một mật khẩu mới dài")
    assert signed.user is not None and signed.must_change_password
    assert accounts.session_user(signed.user) is None  # no session until the password is changed
    user = accounts.change_own_password("lan", "Một mật khẩu mới dài", "Mật khẩu của riêng tôi")
    assert accounts.session_user(user) == user and not user.can("sensitive")
    assert accounts.sign_in("lan", "Mật khẩu của riêng tôi").must_change_password is False


def test_change_keeps_what_it_is_given_and_old_sessions_end(accounts: AccountStore) -> None:
    assert accounts.sign_in("lan", "Số liệu xã Pa Ủ 2025").must_change_password  # a new account's first sign-in
    session = accounts.change_own_password("lan", "Số liệu xã Pa Ủ 2025", "Mật khẩu của riêng tôi")
    assert accounts.session_user(session) == session
    changed = accounts.change("minh", "lan", role="editor", name="Nguyễn Thị Lan",
                              units=frozenset({PA_U_2025, "2024:03448"}), sensitive=False)
    assert changed.user.units == {PA_U_2025, "2024:03448"} and changed.user.sensitive is False
    assert accounts.session_user(session) is None  # access changed: sign in again
    with pytest.raises(AccountError, match="whole region"):
        accounts.change("minh", "lan", role="approver", name="", units=frozenset({PA_U_2025}), sensitive=None)


def test_disable_enable_delete_and_the_last_admin(accounts: AccountStore) -> None:
    accounts.set_disabled("minh", "lan", True)
    assert accounts.sign_in("lan", "Số liệu xã Pa Ủ 2025").user is None
    accounts.set_disabled("minh", "lan", False)
    assert accounts.sign_in("lan", "Số liệu xã Pa Ủ 2025").user is not None
    for refused in (lambda: accounts.delete("minh", "minh"), lambda: accounts.set_disabled("minh", "minh", True),
                    lambda: accounts.change("minh", "minh", role="viewer", name="", units=frozenset({REGION}),
                                            sensitive=None)):
        with pytest.raises(AccountError, match="last active admin"):
            refused()
    minh = accounts.get("minh")
    assert minh is not None and minh.user.role == "admin" and not minh.disabled
    accounts.create("minh", "tuan", password="Quản trị huyện Mường Tè", role="admin")
    accounts.delete("tuan", "minh")
    assert accounts.get("minh") is None and [a.user.login for a in accounts.all()] == ["lan", "tuan"]


def test_failures_do_not_tell_whether_an_account_exists(accounts: AccountStore) -> None:
    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    unknown = accounts.sign_in("khong-co", "x" * 12, now=now)
    wrong = accounts.sign_in("lan", "x" * 12, now=now)
    accounts.set_disabled("minh", "lan", True)
    disabled = accounts.sign_in("lan", "Số liệu xã Pa Ủ 2025", now=now)
    assert unknown == wrong == disabled and unknown.user is None


def test_growing_delays_per_account_and_per_client(accounts: AccountStore) -> None:
    accounts.policy = DelayPolicy(free_per_account=3, free_per_client=5, base_seconds=2)
    t0 = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    results = [accounts.sign_in("minh", "sai mật khẩu", client="10.0.0.9", now=t0 + dt.timedelta(seconds=i))
               for i in range(4)]
    assert [r.wait_seconds for r in results] == [0, 0, 0, 2.0]  # 4th failure: wait 2 s
    early = accounts.sign_in("minh", GOOD, client="10.0.0.9", now=t0 + dt.timedelta(seconds=4))
    assert early.user is None and early.wait_seconds == pytest.approx(1.0)  # refused unchecked, even if right
    late = accounts.sign_in("minh", GOOD, client="10.0.0.9", now=t0 + dt.timedelta(seconds=5))
    assert late.user is not None and late.user.login == "minh"
    # per client: one address trying many names
    t1 = t0 + dt.timedelta(minutes=5)
    waits = [accounts.sign_in(f"name{i}", "sai", client="10.0.0.7", now=t1 + dt.timedelta(seconds=i)).wait_seconds
             for i in range(7)]
    assert waits == [0, 0, 0, 0, 0, 2.0, 1.0]  # the 7th came 1 s after the 6th failure: refused unchecked
    assert accounts.sign_in("lan", "Số liệu xã Pa Ủ 2025", client="10.0.0.7",
                            now=t1 + dt.timedelta(seconds=6.5)).wait_seconds == 0.5
    assert accounts.sign_in("lan", "Số liệu xã Pa Ủ 2025", client="10.0.0.8",
                            now=t1 + dt.timedelta(seconds=6.5)).user is not None  # another address may
    log = audit.events(accounts.engine)
    assert {"sign_in", "sign_in_failed", "sign_in_delayed"} <= set(log["action"])
    assert set(log[log["action"] == "sign_in_failed"]["client"]) == {"", "10.0.0.9", "10.0.0.7"} - {""}


def test_bootstrap_from_the_users_file_only_when_empty(store: Store, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"users": {"lan": {"role": "editor", "password": hash_password(GOOD),
                                                  "units": [PA_U_2025], "sensitive": False}}}), encoding="utf-8")
    accounts = AccountStore(store.engine)
    assert accounts.bootstrap(load_accounts(path)) == 1
    assert accounts.bootstrap(load_accounts(path)) == 0
    lan = accounts.sign_in("lan", GOOD).user
    assert lan == User("lan", "editor", "", False, frozenset({PA_U_2025}), 1)


def test_a_direct_store_write_for_another_unit_is_refused(accounts: AccountStore, store: Store) -> None:
    mine = Change((2025, "03442", "villages", "2025", "actual"), {"value": "9", "status": "", "source": "x",
                                                                   "note": ""}, None, None, "t.csv", 2)
    other = Change((2025, "03445", "villages", "2025", "actual"), mine.new, None, None, "t.csv", 3)
    with pytest.raises(ScopeError, match="lan may not write values of unit.*2025:03445"):
        store.apply([mine, other], user="lan")
    assert store.version() == 0 and store.current().empty
    assert store.apply([mine], user="lan") == 1
    accounts.set_disabled("minh", "lan", True)
    with pytest.raises(ScopeError, match="may not write"):
        store.apply([Change((2025, "03442", "villages", "2024", "actual"), mine.new, None, None, "", 0)], user="lan")

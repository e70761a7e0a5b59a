"""In Chromium: a staff link opened signed out asks for sign-in and then shows the page asked for; staff stay
signed in across a reload and a new tab through an HttpOnly cookie; sign-out ends it, also after Back."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mutte_geo.storage.auth import hash_password

from .conftest import ARTIFACTS, running_app

pytestmark = pytest.mark.e2e
WAIT = 60000


@pytest.fixture(scope="module")
def staff_url(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    tmp: Path = tmp_path_factory.mktemp("signin")
    users = tmp / "users.json"  # TEST DATA: one editor account
    users.write_text(json.dumps({"users": {"lan": {"role": "editor", "name": "Nguyễn Thị Lan",
                                                   "password": hash_password("mat-khau-lan")}}}), encoding="utf-8")
    env = {**os.environ, "MUTTE_USERS_FILE": str(users), "MUTTE_DATABASE_URL": f"sqlite:///{tmp / 'store.sqlite'}"}
    with running_app("streamlit_signin.log", env=env) as url:
        yield url


def test_staff_link_sign_in_reload_new_tab_sign_out_and_back(page, staff_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{staff_url}/import?lang=en&vintage=2025")
    expect(page.get_by_text("This page is for staff: sign in to open it.")).to_be_visible(timeout=WAIT)
    assert page.get_by_text("Page not found").count() == 0
    main = page.get_by_test_id("stMain")
    main.get_by_role("textbox", name="User name").fill("lan")
    main.get_by_role("textbox", name="Password").fill("mat-khau-lan")
    main.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Import values from a file")).to_be_visible(timeout=WAIT)
    assert re.search(r"/import\?.*lang=en", page.url) and "vintage=2025" in page.url  # the page asked for
    page.wait_for_function("() => true")
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert "mat-khau-lan" not in page.url and "editor" not in page.url
    assert page.evaluate("document.cookie").find(cookie["value"]) < 0  # not readable by page scripts
    assert page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)").find("lan") < 0

    page.reload()
    expect(page.get_by_role("heading", name="Import values from a file")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Signed in: Nguyễn Thị Lan (editor)")).to_be_visible(timeout=WAIT)
    other = page.context.new_page()
    other.goto(f"{staff_url}/history?lang=en")
    expect(other.get_by_role("heading", name="History of value changes")).to_be_visible(timeout=WAIT)
    other.close()

    page.get_by_test_id("stSidebar").get_by_role("link", name="Change history").click()
    expect(page.get_by_role("heading", name="History of value changes")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("This page is for staff: sign in to open it.")).to_be_visible(timeout=WAIT)
    page.go_back()  # to the import page seen while signed in
    page.wait_for_url(re.compile(r"/import\?"), timeout=WAIT)
    expect(page.get_by_text("This page is for staff: sign in to open it.")).to_be_visible(timeout=WAIT)
    page.screenshot(path=str(ARTIFACTS / "signin_after_back.png"))
    assert page.get_by_role("heading", name="Import values from a file").count() == 0
    fresh = page.context.new_page()  # the old cookie, if the browser still had it, is revoked on the server
    fresh.goto(f"{staff_url}/history?lang=en")
    expect(fresh.get_by_text("This page is for staff: sign in to open it.")).to_be_visible(timeout=WAIT)
    assert page.external_requests == []


def _session_cookie(page) -> dict:  # type: ignore[no-untyped-def,type-arg]
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for cookie in page.context.cookies():
            if cookie["name"] == "atlas_session":
                return dict(cookie)
        page.wait_for_timeout(500)
    raise AssertionError("no session cookie was set")


def test_signing_out_in_one_browser_signs_out_the_other_on_its_next_action(browser, staff_url) -> None:  # type: ignore[no-untyped-def]
    contexts = [browser.new_context(), browser.new_context()]  # two browsers: two cookies, two sessions
    try:
        pages = [context.new_page() for context in contexts]
        for page in pages:
            page.goto(f"{staff_url}/history?lang=en")
            main = page.get_by_test_id("stMain")
            main.get_by_role("textbox", name="User name").fill("lan")
            main.get_by_role("textbox", name="Password").fill("mat-khau-lan")
            main.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="History of value changes")).to_be_visible(timeout=WAIT)
            _session_cookie(page)
        first, second = pages
        first.get_by_role("button", name="Sign out").click()
        expect(first.get_by_text("This page is for staff: sign in to open it.")).to_be_visible(timeout=WAIT)
        expect(second.get_by_text("Signed in: Nguyễn Thị Lan (editor)")).to_be_visible()  # nothing done there yet
        second.get_by_test_id("stSidebar").get_by_role("link", name="Import values").click()  # its next action
        expect(second.get_by_text("This page is for staff: sign in to open it.")).to_be_visible(timeout=WAIT)
        assert second.get_by_role("heading", name="Import values from a file").count() == 0
        second.reload()  # and its cookie no longer signs it in
        expect(second.get_by_text("This page is for staff: sign in to open it.")).to_be_visible(timeout=WAIT)
    finally:
        for context in contexts:
            context.close()

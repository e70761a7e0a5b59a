"""Two replicas behind nginx on one PostgreSQL store: sticky, compressed, and the app works through it."""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import brotli
import pytest
from playwright.sync_api import expect

from mutte_geo.storage.auth import hash_password
from mutte_geo.ui.replicas import ROUTE_COOKIE, Cluster, cluster, precompressed_frontend

from .conftest import map_frame, sign_in

pytestmark = pytest.mark.e2e
PG_ENV = "MUTTE_TEST_POSTGRES_URL"


PASSWORDS = {"pau": "Số liệu xã Pa Ủ 2025", "duyet": "Phòng Thống kê duyệt số"}  # TEST DATA accounts
WIDE = "Ranh giới;2025\nKỳ;2025-H1\nLoại;thực hiện\nNguồn;TEST DATA\nMã;Số bản\n03442;{n}\n"


@pytest.fixture(scope="module")
def two_replicas(tmp_path_factory) -> Iterator[Cluster]:  # type: ignore[no-untyped-def]
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(f"{PG_ENV} is not set: `make test` starts PostgreSQL and sets it")
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(url)  # a store of its own: no table left by another test
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)
    engine.dispose()
    users = tmp_path_factory.mktemp("replicas") / "users.json"  # TEST DATA: an editor of Pa Ủ and an approver
    users.write_text(json.dumps({"users": {
        "pau": {"role": "editor", "name": "TEST Cán bộ Pa Ủ", "units": ["2025:03442"], "sensitive": False,
                "password": hash_password(PASSWORDS["pau"])},
        "duyet": {"role": "approver", "name": "TEST Người duyệt", "password": hash_password(PASSWORDS["duyet"])},
    }}), encoding="utf-8")
    with cluster(2, env={**os.environ, "MUTTE_DATABASE_URL": url, "MUTTE_USERS_FILE": str(users)}) as running:
        yield running


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return dict(response.headers.items()), response.read()


def _upstreams(running: Cluster, path: str) -> list[str]:
    lines = running.access_log.read_text().splitlines()
    return [line.split()[1] for line in lines if line.endswith(" " + path)]


def test_first_answer_sets_the_route_cookie(two_replicas: Cluster) -> None:
    headers, body = _get(two_replicas.url + "/")
    assert headers["Set-Cookie"].startswith(f"{ROUTE_COOKIE}=")
    assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Lax" in headers["Set-Cookie"]
    assert b"<div id=\"root\">" in body


def test_a_browser_stays_on_one_replica_and_browsers_spread(two_replicas: Cluster) -> None:
    routes = [secrets.token_hex(8) for _ in range(24)]
    seen: dict[str, set[str]] = {}
    for route in routes:
        path = f"/_stcore/health?r={route}"
        for _ in range(3):
            _get(two_replicas.url + path, {"Cookie": f"{ROUTE_COOKIE}={route}"})
        seen[route] = set(_upstreams(two_replicas, path))
    assert all(len(upstreams) == 1 for upstreams in seen.values()), seen
    replicas = {u.removeprefix("http://") for u in two_replicas.replica_urls}
    assert set().union(*seen.values()) == replicas


def test_the_frontend_is_served_compressed(two_replicas: Cluster) -> None:
    _, index = _get(two_replicas.url + "/")
    script = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', index)
    assert script is not None, "no script tag in the frontend's index.html"
    asset = two_replicas.url + "/" + script.group(1).decode()
    plain_headers, plain = _get(asset)
    assert "Content-Encoding" not in plain_headers
    br_headers, br = _get(asset, {"Accept-Encoding": "gzip, deflate, br"})  # what browsers send
    assert br_headers.get("Content-Encoding") == "br"
    assert brotli.decompress(br) == plain
    gz_headers, gz = _get(asset, {"Accept-Encoding": "gzip"})
    assert gz_headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(gz) == plain
    assert len(br) < len(gz) < len(plain) / 2
    # nginx's own precompressed copy (Brotli 11, no upstream), not the replicas' files compressed on the fly
    assert set(_upstreams(two_replicas, "/" + script.group(1).decode())) == {"-"}
    copy = precompressed_frontend() / "streamlit" / script.group(1).decode().removeprefix("static/")
    assert br == copy.with_name(copy.name + ".br").read_bytes()


def test_the_map_works_through_the_proxy(two_replicas: Cluster, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(two_replicas.url + "/map")
    frame = map_frame(page, 90000)
    assert frame.locator("path.leaflet-interactive").count() == 14
    assert page.external_requests == []


def _route_to(running: Cluster, index: int) -> str:
    """A route-cookie value that nginx sends to replica ``index`` (read from its access log)."""
    wanted = running.replica_urls[index].removeprefix("http://")
    for _ in range(64):
        route = secrets.token_hex(8)
        path = f"/_stcore/health?pin={route}"
        _get(running.url + path, {"Cookie": f"{ROUTE_COOKIE}={route}"})
        if _upstreams(running, path) == [wanted]:
            return route
    raise AssertionError(f"no route found to {wanted}")


def _pinned_page(browser, running: Cluster, index: int):  # type: ignore[no-untyped-def]
    """A browser whose every request goes to replica ``index`` (its route cookie set beforehand)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    host = urlsplit(running.url).hostname
    context.add_cookies([{"name": ROUTE_COOKIE, "value": _route_to(running, index), "domain": host, "path": "/"}])
    return context.new_page()


def test_an_edit_through_one_replica_is_seen_through_the_other(two_replicas: Cluster, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, second = (_pinned_page(browser, two_replicas, i) for i in (0, 1))
    upload = tmp_path / "pa_u.csv"
    upload.write_text(WIDE.format(n=23), encoding="utf-8")
    sign_in(first, two_replicas.url, "pau", PASSWORDS["pau"], path="/?vintage=2025")
    first.get_by_role("link", name="Nhập số liệu").click()
    first.locator("input[type=file]").set_input_files(str(upload))
    first.get_by_role("button", name="Gửi để duyệt").click()
    expect(first.get_by_text("Đã gửi 1 giá trị, đang chờ duyệt.")).to_be_visible(timeout=60000)

    sign_in(second, two_replicas.url, "duyet", PASSWORDS["duyet"], path="/?vintage=2025")
    second.get_by_role("link", name="Duyệt số liệu").click()
    second.get_by_text("Chọn giá trị để duyệt hoặc trả lại").wait_for(timeout=60000)  # the other replica's edit
    second.locator("[data-testid=stMultiSelect] input").first.click()
    second.get_by_role("option", name="Xã Pa Ủ (2025:03442)", exact=False).click()
    second.keyboard.press("Escape")
    second.get_by_role("button", name="Duyệt 1 giá trị đã chọn").click()
    expect(second.get_by_text("Đã duyệt 1 giá trị")).to_be_visible(timeout=60000)

    first.goto(two_replicas.url + "/map?vintage=2025&indicator=villages&period=2025-H1")  # the first replica
    frame = map_frame(first, legend_contains="Số bản")
    assert frame.evaluate("window.atlasData.units['03442'][1]").startswith("23")
    log = two_replicas.access_log.read_text()
    assert two_replicas.replica_urls[0].removeprefix("http://") in log
    assert two_replicas.replica_urls[1].removeprefix("http://") in log
    first.context.close()
    second.context.close()


def test_a_signed_in_user_stays_signed_in_when_their_replica_restarts(two_replicas: Cluster, browser) -> None:  # type: ignore[no-untyped-def]
    page = _pinned_page(browser, two_replicas, 0)
    sign_in(page, two_replicas.url, "duyet", PASSWORDS["duyet"], path="/?vintage=2025")
    two_replicas.restart_replica(0)  # a new process: nothing of the old one's memory survives
    page.goto(two_replicas.url + "/review?vintage=2025")
    expect(page.get_by_text("Đã đăng nhập")).to_have_count(1, timeout=90000)
    expect(page.get_by_role("heading", name="Duyệt số liệu")).to_be_visible(timeout=60000)
    page.context.close()


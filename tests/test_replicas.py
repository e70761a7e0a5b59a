"""Two replicas behind nginx on one PostgreSQL store: sticky, compressed, and the app works through it."""

from __future__ import annotations

import gzip
import os
import re
import secrets
import urllib.request
from collections.abc import Iterator

import pytest

from mutte_geo.ui.replicas import ROUTE_COOKIE, Cluster, cluster

from .conftest import map_frame

pytestmark = pytest.mark.e2e
PG_ENV = "MUTTE_TEST_POSTGRES_URL"


@pytest.fixture(scope="module")
def two_replicas() -> Iterator[Cluster]:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(f"{PG_ENV} is not set: `make test` starts PostgreSQL and sets it")
    with cluster(2, env={**os.environ, "MUTTE_DATABASE_URL": url}) as running:
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
    headers, body = _get(asset, {"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"
    plain_headers, plain = _get(asset)
    assert "Content-Encoding" not in plain_headers
    assert gzip.decompress(body) == plain
    assert len(body) < len(plain) / 2


def test_the_map_works_through_the_proxy(two_replicas: Cluster, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(two_replicas.url + "/map")
    frame = map_frame(page, 90000)
    assert frame.locator("path.leaflet-interactive").count() == 14
    assert page.external_requests == []

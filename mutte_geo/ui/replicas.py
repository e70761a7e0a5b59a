"""Several app replicas behind one nginx port: ``python -m mutte_geo.ui.replicas --count 2 --port 8501``.

Every replica is the app started as ``make run`` starts it, on its own loopback port, all on the one
store named by ``MUTTE_DATABASE_URL`` (PostgreSQL). nginx (Debian's package, run with a configuration
of its own in a temporary folder) is the only public port. It

- keeps each browser on one replica: Streamlit holds a session in the replica's memory (websocket,
  uploads, downloads), so the first answer sets a ``mutte_route`` cookie and the upstream is chosen by
  a consistent hash of it;
- forwards the websocket (``/_stcore/stream``) with the upgrade headers and long timeouts;
- serves Streamlit's frontend (``/static/``) itself, from a copy with a Brotli file (quality 11) beside
  each script and style sheet, made once per Streamlit version: Streamlit sends its bundles
  uncompressed, and no replica spends time on them (bench/RESULTS.md);
- compresses everything else (JavaScript, CSS, JSON, SVG) on the fly, with Brotli for browsers that
  accept it (all current ones), else with gzip.

The replicas share ``server.cookieSecret``, so a cookie signed by one is valid on the others.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import brotli
import streamlit
import streamlit_folium

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.ui.serve import free_port, wait_until_healthy

NGINX = Path("/usr/sbin/nginx")
MODULES = Path("/usr/lib/nginx/modules")  # Debian's Brotli packages (scripts/ensure_nginx.sh)
BROTLI_MODULES = (MODULES / "ngx_http_brotli_filter_module.so", MODULES / "ngx_http_brotli_static_module.so")
FRONTENDS = {  # folder in the cache: (URL path, the files served there)
    "streamlit": ("/static/", Path(streamlit.__file__).parent / "static" / "static"),
    "st_folium": ("/component/streamlit_folium.st_folium/",
                  Path(streamlit_folium.__file__).parent / "frontend" / "build"),
    "vendor": ("/app/static/vendor/", PROJECT_ROOT / "static" / "vendor"),  # Leaflet (scripts/install_assets.sh)
}
FRONTEND_CACHE = PROJECT_ROOT / "build" / "frontend"
ROUTE_COOKIE = "mutte_route"
COMPRESSED_TYPES = "text/css application/javascript text/javascript application/json image/svg+xml"


def precompressed_frontend(cache: Path = FRONTEND_CACHE) -> Path:
    """A copy of the frontends (Streamlit's, the map component's, the vendored Leaflet) with ``<file>.br``
    beside each script, style sheet and JSON file, made once per version (about half a minute on 2 cores):
    the folder nginx serves them from, one subfolder per entry of FRONTENDS."""
    vendored = hashlib.sha256(b"".join(f.read_bytes() for f in sorted(FRONTENDS["vendor"][1].rglob("*"))
                                       if f.is_file())).hexdigest()[:12]
    folder = cache / "-".join([*(version(p) for p in ("streamlit", "streamlit-folium")), vendored])
    done = folder / ".complete"
    if done.exists():
        return folder
    for older in cache.glob("*"):  # other versions' copies, or a copy left half made
        shutil.rmtree(older, ignore_errors=True)
    for name, (_, source) in FRONTENDS.items():
        shutil.copytree(source, folder / name)
    files = [f for f in folder.rglob("*") if f.suffix in (".js", ".css", ".json", ".svg") and f.stat().st_size > 1024]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_brotli, files, chunksize=8))
    done.touch()
    return folder


def _write_brotli(path: Path) -> None:
    path.with_name(path.name + ".br").write_bytes(brotli.compress(path.read_bytes(), quality=11))


def proxy_config(port: int, replica_ports: list[int], prefix: Path, frontends: Path = FRONTEND_CACHE) -> str:
    """The nginx configuration: sticky upstream, websocket forwarding, the frontends served from
    ``frontends`` (see :func:`precompressed_frontend`), other answers compressed, one loopback port.

    >>> "hash $route_key consistent;" in proxy_config(8501, [9001, 9002], Path("/tmp/p"))
    True
    """
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in replica_ports)
    modules = "".join(f"load_module {m};\n" for m in BROTLI_MODULES)
    # Streamlit's files are content-hashed: cached for a year. The component's index.html is not.
    immutable = '\n            add_header Cache-Control "public, immutable, max-age=31536000";'
    frontend_locations = "".join(
        f"\n        location {url} {{\n            alias {frontends / name}/;\n            brotli_static on;"
        f"{immutable if name == 'streamlit' else ''}\n        }}"
        for name, (url, _) in FRONTENDS.items())
    return f"""{modules}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;  # the frontend's files get their types (a module script must be JavaScript)
    log_format routed '$status $upstream_addr $request_uri';
    access_log {prefix}/access.log routed;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 11m;
    brotli on;
    brotli_comp_level 6;
    brotli_min_length 1024;
    brotli_types {COMPRESSED_TYPES};
    gzip on;
    gzip_comp_level 6;
    gzip_min_length 1024;
    gzip_proxied any;
    gzip_types {COMPRESSED_TYPES};
    map $cookie_{ROUTE_COOKIE} $route_key {{
        "" $request_id;
        default $cookie_{ROUTE_COOKIE};
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" close;
    }}
    upstream replicas {{
        hash $route_key consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};{frontend_locations}
        location / {{
            if ($cookie_{ROUTE_COOKIE} = "") {{
                add_header Set-Cookie "{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
            }}
            proxy_pass http://replicas;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header Accept-Encoding "";  # the proxy compresses (Brotli): replicas send plain
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
        }}
    }}
}}
"""


@dataclass
class Cluster:
    """Running replicas and proxy; ``url`` is the one public address."""

    url: str
    replica_urls: list[str]
    access_log: Path
    replicas: list[subprocess.Popen[bytes]]
    env: dict[str, str]

    def restart_replica(self, index: int) -> None:
        """Stop replica ``index`` and start it again on the same port (as after a crash or a deploy)."""
        self.replicas[index].terminate()
        self.replicas[index].wait(timeout=30)
        port = int(self.replica_urls[index].rsplit(":", 1)[1])
        self.replicas[index] = _start_replica(port, self.env)
        wait_until_healthy(self.replica_urls[index], timeout=120)


def _start_replica(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "mutte_geo.ui.serve", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)


@contextlib.contextmanager
def cluster(count: int, *, port: int | None = None, env: dict[str, str] | None = None) -> Iterator[Cluster]:
    """Start ``count`` replicas and the proxy; stop them all on exit."""
    if count < 1:
        raise ValueError("at least one replica")
    for needed in (NGINX, *BROTLI_MODULES):
        if not needed.exists():
            raise RuntimeError(f"{needed} not found: run scripts/ensure_nginx.sh (make replicas does)")
    base = dict(os.environ if env is None else env)
    if not base.get("MUTTE_DATABASE_URL"):
        raise RuntimeError("MUTTE_DATABASE_URL must name the PostgreSQL store all replicas share")
    base.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    ports = [free_port() for _ in range(count)]
    public = port or free_port()
    replicas = [_start_replica(p, base) for p in ports]
    proxy = None
    with tempfile.TemporaryDirectory(prefix="mutte-proxy-") as folder:
        prefix = Path(folder)
        try:
            for p in ports:
                wait_until_healthy(f"http://127.0.0.1:{p}", timeout=120)
            (prefix / "nginx.conf").write_text(proxy_config(public, ports, prefix, precompressed_frontend()))
            proxy = subprocess.Popen([str(NGINX), "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            url = f"http://127.0.0.1:{public}"
            wait_until_healthy(url, timeout=30)
            yield Cluster(url, [f"http://127.0.0.1:{p}" for p in ports], prefix / "access.log", replicas, base)
        finally:
            for process in [*replicas, *([proxy] if proxy else [])]:
                process.terminate()
            for process in [*replicas, *([proxy] if proxy else [])]:
                process.wait(timeout=30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mutte_geo.ui.replicas", description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2, help="number of app replicas (default 2)")
    parser.add_argument("--port", type=int, default=8501, help="the one public port (default 8501)")
    args = parser.parse_args(argv)
    with cluster(args.count, port=args.port) as running:
        print(f"{args.count} replicas behind {running.url} (replicas: {', '.join(running.replica_urls)})",
              flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()

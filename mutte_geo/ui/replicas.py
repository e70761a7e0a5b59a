"""Several app replicas behind one nginx port: ``python -m mutte_geo.ui.replicas --count 2 --port 8501``.

Every replica is the app started as ``make run`` starts it, on its own loopback port, all on the one
store named by ``MUTTE_DATABASE_URL`` (PostgreSQL). nginx (Debian's package, run with a configuration
of its own in a temporary folder) is the only public port. It

- keeps each browser on one replica: Streamlit holds a session in the replica's memory (websocket,
  uploads, downloads), so the first answer sets a ``mutte_route`` cookie and the upstream is chosen by
  a consistent hash of it;
- forwards the websocket (``/_stcore/stream``) with the upgrade headers and long timeouts;
- compresses the frontend (JavaScript, CSS, JSON, SVG) with gzip.

The replicas share ``server.cookieSecret``, so a cookie signed by one is valid on the others.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.ui.serve import free_port, wait_until_healthy

NGINX = Path("/usr/sbin/nginx")
ROUTE_COOKIE = "mutte_route"
GZIP_TYPES = "text/css application/javascript text/javascript application/json image/svg+xml"


def proxy_config(port: int, replica_ports: list[int], prefix: Path) -> str:
    """The nginx configuration: sticky upstream, websocket forwarding, gzip, one loopback port.

    >>> "hash $route_key consistent;" in proxy_config(8501, [9001, 9002], Path("/tmp/p"))
    True
    """
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in replica_ports)
    return f"""worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format routed '$status $upstream_addr $request_uri';
    access_log {prefix}/access.log routed;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 11m;
    gzip on;
    gzip_min_length 1024;
    gzip_proxied any;
    gzip_types {GZIP_TYPES};
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
        listen 127.0.0.1:{port};
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
    if not NGINX.exists():
        raise RuntimeError(f"{NGINX} not found: run scripts/ensure_nginx.sh (make replicas does)")
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
            (prefix / "nginx.conf").write_text(proxy_config(public, ports, prefix))
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

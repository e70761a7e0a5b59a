#!/usr/bin/env bash
# Debian's nginx, the reverse proxy in front of several app replicas (`make replicas`, tests/test_replicas.py).
# Only the binary is used: the proxy runs with its own configuration in a temporary folder, never as a service.
set -euo pipefail
# With Debian's Brotli modules (on the fly and precompressed), loaded by the proxy's configuration
# (mutte_geo/ui/replicas.py).
if [ -x /usr/sbin/nginx ] && [ -f /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] \
    && [ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "nginx is missing: run 'sudo apt-get install nginx-light libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static' first." >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light libnginx-mod-http-brotli-filter \
    libnginx-mod-http-brotli-static >/dev/null
# The package enables and starts a default site on port 80; this project does not use it.
if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi

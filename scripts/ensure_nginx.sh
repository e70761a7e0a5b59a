#!/usr/bin/env bash
# Debian's nginx, the reverse proxy in front of several app replicas (`make replicas`, tests/test_replicas.py).
# Only the binary is used: the proxy runs with its own configuration in a temporary folder, never as a service.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "nginx is missing: run 'sudo apt-get install nginx-light' first." >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
# The package enables and starts a default site on port 80; this project does not use it.
if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi

#!/usr/bin/env bash
# A throw-away PostgreSQL server for the store tests: Debian's postgresql package, one cluster in a
# temporary data directory, listening on loopback only (for tests and trying `make replicas`; a real
# deployment points MUTTE_DATABASE_URL at its own server). Prints nothing on success; the tests reach it
# at postgresql://postgres@127.0.0.1:$PORT/mutte_test (the Makefile passes MUTTE_TEST_POSTGRES_URL).
set -euo pipefail
PORT="${MUTTE_PG_PORT:-55432}"
DATA="${MUTTE_PG_DIR:-/tmp/mutte-pg-$PORT}"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(bindir)" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL is missing: run 'sudo apt-get install postgresql' first." >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(bindir)"

# The server refuses to run as root: run it as the postgres user when we are root.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if as_pg "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    exit 0
fi
if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DATA -c fsync=off" start >/dev/null
# mutte_test for the tests, mutte for `make replicas` on this machine.
for db in mutte_test mutte; do
    as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" \
        | grep -q 1 || as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$db"
done

#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the `postgres` tests and print its URL.
#
#   export ATTEST_TEST_POSTGRES_URL=$(scripts/start-postgres.sh)
#
# Installs Debian's `postgresql` when initdb is missing (as install-browser.sh
# does for Chromium), then runs initdb + pg_ctl as a non-root user (initdb
# refuses root) in a temporary directory, on a free port, with trust auth on
# 127.0.0.1 only. Only the URL goes to stdout; progress goes to stderr.
# Stop it with: scripts/start-postgres.sh stop   (reads the recorded data dir)
set -euo pipefail

STATE=${ATTEST_PG_STATE:-/tmp/attest-postgres.dir}
DBUSER=attest
DBNAME=attest

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; fi
  done | sort -V | tail -n 1
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

BIN=$(find_bin)
if [ -z "$BIN" ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  BIN=$(find_bin)
fi
if [ -z "$BIN" ]; then
  echo "error: no initdb found after installing postgresql" >&2
  exit 1
fi

# Run a command as the cluster's owner: ourselves unless we are root.
OWNER=$(id -un)
as_owner() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  OWNER=${ATTEST_PG_OWNER:-postgres}
  if ! id "$OWNER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$OWNER"
  fi
  as_owner() { runuser -u "$OWNER" -- "$@"; }
fi

if [ "${1:-}" = "stop" ]; then
  if [ -f "$STATE" ]; then
    DATA=$(cat "$STATE")
    as_owner "$BIN/pg_ctl" -D "$DATA/data" -m immediate stop >&2 || true
    rm -rf "$DATA" "$STATE"
  fi
  exit 0
fi

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/attest-pg.XXXXXX)
chown "$OWNER" "$DATA"
chmod 700 "$DATA"

as_owner "$BIN/initdb" -D "$DATA/data" -U "$DBUSER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
cat >"$DATA/data/pg_hba.conf" <<EOF
host all all 127.0.0.1/32 trust
local all all trust
EOF
as_owner "$BIN/pg_ctl" -D "$DATA/data" -l "$DATA/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA -c fsync=off" start >&2
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$DBUSER" "$DBNAME"
echo "$DATA" >"$STATE"
echo "postgresql+psycopg://$DBUSER@127.0.0.1:$PORT/$DBNAME"

# SPDX-License-Identifier: GPL-3.0-or-later
# A throwaway PostgreSQL cluster for the tests and benches: initdb into a
# temporary directory, started on a Unix socket only (listen_addresses=''),
# as an unprivileged user when run as root, stopped and removed when the
# sourcing shell exits.
#
#   . tests/pg.sh
#   pg_require                 # "1..0 # SKIP ..." and exit 0 without server binaries
#   pg_cluster [SUPERUSER]     # initdb + start (superuser "kascon" by default)
#   pg_createdb NAME           # a new, empty database
#   uri=$(pg_uri NAME [USER])  # postgresql://USER@/NAME?host=SOCKETDIR&port=PORT
#   pg_psql NAME [ARGS...]     # psql -qAtX, stops at the first error
#   pg_stop; pg_start          # stop and start the same cluster again
#
# PG_DIR is the cluster's directory (socket, data/, log), PG_PORT the port
# naming its socket, PG_BIN the server's bin directory, PG_SUPERUSER the
# superuser.  PG_OPTS adds server options to the defaults (which trade
# durability for speed: fsync off; a bench sets PG_DURABLE=1 for fsync on).
# shellcheck shell=bash

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_DIR=""
PG_PORT=5432
PG_SUPERUSER=kascon
PG_AS=()

# pg_available: the server binaries (initdb, pg_ctl, postgres) and psql.
pg_available() {
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] &&
    [ -x "$PG_BIN/postgres" ] && command -v psql >/dev/null
}
pg_require() {
  pg_available && return 0
  echo "1..0 # SKIP PostgreSQL server binaries (initdb, pg_ctl, postgres; Debian package postgresql) are not installed"
  exit 0
}

pg_run() { "${PG_AS[@]}" "$PG_BIN/$@"; }
pg_start() {
  local opts="-k $PG_DIR -p $PG_PORT -c listen_addresses=''"
  [ "${PG_DURABLE:-0}" = 1 ] || opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  pg_run pg_ctl -D "$PG_DIR/data" -o "$opts ${PG_OPTS:-}" -l "$PG_DIR/log" -w -t 60 start >/dev/null || {
    echo "# PostgreSQL did not start:"; sed 's/^/#   /' "$PG_DIR/log" | tail -20
    return 1
  }
}
pg_stop() {
  [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
  pg_run pg_ctl -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1
}
# pg_cleanup: stops the cluster and removes its directory (run at exit; a
# test with its own EXIT trap calls it there too; with tests/lib.sh it is
# an at_exit hook).
pg_cleanup() {
  [ -n "$PG_DIR" ] || return 0
  pg_stop
  rm -rf "$PG_DIR"
}

pg_cluster() {
  PG_SUPERUSER=${1:-kascon}
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kascon-pg.XXXXXX") || return 1
  # The socket directory is world-searchable: a kascond that drops to a
  # service user still reaches it.  The data directory stays 0700.
  chmod 755 "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then
    chown nobody "$PG_DIR"
    PG_AS=(runuser -u nobody --)
  fi
  if declare -F at_exit >/dev/null; then
    at_exit pg_cleanup # tests/lib.sh
  else
    local prev
    prev=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
    # shellcheck disable=SC2064
    trap "pg_cleanup; $prev" EXIT
  fi
  trap 'exit 1' TERM INT HUP
  # Whatever happens to the sourcing shell (kill -9, a trap replaced later),
  # the cluster does not outlive it.
  (
    trap '' TERM INT HUP
    tail --pid=$$ -f /dev/null
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop
    rm -rf "$PG_DIR"
  ) </dev/null >/dev/null 2>&1 &
  disown $!  # a test's bare "wait" does not wait for it
  if ! pg_run initdb -D "$PG_DIR/data" -A trust -U "$PG_SUPERUSER" -E UTF8 --locale=C \
    >"$PG_DIR/initdb.log" 2>&1; then
    echo "# initdb failed:"; sed 's/^/#   /' "$PG_DIR/initdb.log"
    return 1
  fi
  pg_start
}

pg_createdb() { pg_run createdb -h "$PG_DIR" -p "$PG_PORT" -U "$PG_SUPERUSER" "$1"; }
pg_uri() { echo "postgresql://${2:-$PG_SUPERUSER}@/$1?host=$PG_DIR&port=$PG_PORT"; }
pg_psql() {
  local db=$1; shift
  psql -qAtX -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U "$PG_SUPERUSER" "$db" "$@"
}

# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for the shell tests: TAP output and temporary databases.
# shellcheck shell=bash
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# eventually CMD...: polls CMD for up to ${EVENTUALLY:-10} seconds; for what a
# screen or another process shows some moments after a key or a write.
eventually() {
  local i=0
  until "$@"; do
    i=$((i + 1)); [ $i -ge $((${EVENTUALLY:-10} * 20)) ] && return 1
    sleep 0.05
  done
}
done_testing() { echo "1..$n"; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kascon-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export KASCON_DB="$TMP/test.db"
unset KASCON_NOW
export LC_ALL=C.UTF-8 LANGUAGE=
: "${KASCONCTL:=kasconctl}"
# An operator's first step: kasconctl creates the database only on init
# (or demo); every other command wants it to exist.
if command -v "$KASCONCTL" >/dev/null; then "$KASCONCTL" init >/dev/null || exit 1; fi

# run_ctl EXPECTED_STATUS ARGS...: runs kasconctl, keeps stdout/stderr in
# $TMP/out and $TMP/err, returns 0 when the exit status is as expected.
run_ctl() {
  local want=$1; shift
  "$KASCONCTL" "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "# kasconctl $* -> $got (want $want)"; sed 's/^/#   /' "$TMP/err"
    return 1
  fi
}
# db_hash: a digest of the database content (after a checkpoint).
# q SQL...: reads (or sets up) the test database the way a person would
# with the sqlite3 shell, waiting while a server or console holds the
# write lock instead of failing with "database is locked".
q() { sqlite3 -cmd '.timeout 10000' "$KASCON_DB" "$@"; }
db_hash() { q 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null; sha256sum <"$KASCON_DB"; }

# A Japanese locale built into the build tree (no root needed).
ja_locale() {
  local dir="${top_builddir:-.}/locale"
  if [ ! -d "$dir/ja_JP.UTF-8" ]; then
    mkdir -p "$dir"
    localedef -i ja_JP -f UTF-8 "$dir/ja_JP.UTF-8" >/dev/null 2>&1 || return 1
  fi
  (cd "$dir" && pwd)
}


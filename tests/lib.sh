# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for the shell tests: TAP output and temporary databases.
# shellcheck shell=bash
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# eventually CMD...: polls CMD for up to ${EVENTUALLY:-30} seconds; for what a
# screen or another process shows some moments after a key or a write.  The
# bound is generous: CI runs the suite under ASan on two busy cores, and a
# condition that holds ends the wait at once.  (Its arguments are expanded
# once: poll a function or `eval '...'`, never a "$(...)" written inline.)
eventually() {
  local i=0
  until "$@"; do
    i=$((i + 1)); [ $i -ge $((${EVENTUALLY:-30} * 20)) ] && return 1
    sleep 0.05
  done
}
done_testing() { echo "1..$n"; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kascon-test.XXXXXX")
# at_exit COMMAND: a command line run when the test file ends, however it
# ends (last registered first); $TMP is removed after all of them.
EXIT_HOOKS=()
at_exit() { EXIT_HOOKS+=("$1"); }
run_exit_hooks() {
  local i
  for ((i = ${#EXIT_HOOKS[@]} - 1; i >= 0; i--)); do eval "${EXIT_HOOKS[i]}"; done
  rm -rf "$TMP"
}
trap run_exit_hooks EXIT
# private_tmux NAME: this test's own tmux server, $TMUX_SOCKET, kept running
# while it has no session (exit-empty off): a session made just after the
# last one was killed would otherwise meet the server on its way out and
# be lost with it ("no server running").  Killed when the test ends.
private_tmux() {
  TMUX_SOCKET="kascon-$1-$$"
  tmux -L "$TMUX_SOCKET" -f /dev/null start-server \; set -s exit-empty off
  at_exit 'tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null'
}
# time_bound SECONDS: the whole file is ended (as failed) after SECONDS, so
# that a hung step cannot hold the test run.  The watchdog's output goes
# nowhere: an open stdout would hold the test harness.
time_bound() {
  { sleep "$1" && kill -TERM $$; } </dev/null >/dev/null 2>&1 &
  local watchdog=$!
  at_exit "pkill -P $watchdog 2>/dev/null; kill $watchdog 2>/dev/null"
  trap 'exit 1' TERM INT
}
# wait_for SECONDS COMMAND...: polls until the command succeeds; 1 if it
# has not after SECONDS.  (tests/tmux.sh has its own wait_for TEXT, which
# waits for text on the console's screen.)
wait_for() {
  local end=$((SECONDS + $1)); shift
  until "$@"; do
    [ "$SECONDS" -ge "$end" ] && return 1
    sleep 0.1
  done
}
export KASCON_DB="${KASCON_TEST_DB:-$TMP/test.db}"
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
# as_db_owner COMMAND...: runs COMMAND as the owner of the test database
# when root and the database belongs to another user (kascond's, after
# start_kascond), as kasconctl does; otherwise as is.  Root must not open
# such a database with SQLite itself: a root SQLite process that is the
# first to open it creates the -wal and -shm files as root and hands them
# to the database's owner only a moment later (fchown), and a kascon
# process opening the database in that moment fails with "unable to open
# database file".
as_db_owner() {
  local owner
  if [ "$(id -u)" = 0 ] && [ -z "${KASCON_TEST_DB:-}" ] &&
    owner=$(stat -c '%u %g' "$KASCON_DB" 2>/dev/null) && [ "${owner% *}" != 0 ]; then
    setpriv --reuid="${owner% *}" --regid="${owner#* }" --clear-groups -- "$@"
  else
    "$@"
  fi
}
# q SQL...: reads (or sets up) the test database the way a person would
# with the sqlite3 shell (as its owner), waiting while a server or console
# holds the write lock instead of failing with "database is locked".
q() { as_db_owner sqlite3 -cmd '.timeout 10000' "$KASCON_DB" "$@"; }
# db_hash: the database's content, not its file: a checkpoint cannot run while a
# console holds a read snapshot, so the file's bytes may differ for the same rows.
db_hash() { q .dump | sha256sum; }
# remove_db: the test database and its WAL and shared-memory files; a stale
# -wal left beside a new database would be read as part of it.
remove_db() { rm -f "$KASCON_DB" "$KASCON_DB-wal" "$KASCON_DB-shm" "$KASCON_DB-journal"; }
# On PostgreSQL (tests/pg_suite.sh sets KASCON_TEST_DB): psql reads and
# writes, and the digest is of a data-only dump (sequences left out: a
# refused insert may advance one without changing any row).
if [ -n "${KASCON_TEST_DB:-}" ]; then
  q() { printf '%s;\n' "$@" | psql -qAtX -v ON_ERROR_STOP=1 -d "$KASCON_DB" -f -; }
  db_hash() { pg_dump --data-only -d "$KASCON_DB" | grep -Ev '^(SELECT pg_catalog.setval|\\(un)?restrict )' | sha256sum; }
fi

# A Japanese locale built into the build tree (no root needed).
ja_locale() {
  local dir="${top_builddir:-.}/locale"
  mkdir -p "$dir" || return 1
  # Tests run in parallel: one builds the locale under a lock, beside its
  # final name, so that no other sees a half-written one.
  (
    flock 8
    if [ ! -d "$dir/ja_JP.UTF-8" ]; then
      rm -rf "$dir/.building"
      localedef -i ja_JP -f UTF-8 "$dir/.building" >/dev/null 2>&1 || exit 1
      mv "$dir/.building" "$dir/ja_JP.UTF-8"
    fi
  ) 8>"$dir/.lock" || return 1
  (cd "$dir" && pwd)
}


# needs TOOL...: skips the whole file (TAP "1..0 # SKIP") unless every
# tool is installed.
needs() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null ||
      { echo "1..0 # SKIP $tool is not installed (./quickstart installs it)"; exit 0; }
  done
}
# paramiko_python: prints the python3 that has Debian's python3-paramiko
# (/usr/bin/python3 first, then the one on PATH); 1 when none has.
paramiko_python() {
  local py
  for py in /usr/bin/python3 python3; do
    "$py" -c 'import paramiko' 2>/dev/null && { echo "$py"; return 0; }
  done
  return 1
}

# ---- kascond ----
# The stock OpenSSH client's options for a password login to a test
# kascond: no settings file, known hosts, agent or keys; one password prompt.
SSH_OPTS=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
          -o LogLevel=ERROR -o ConnectTimeout=10 -o IdentityAgent=none -o IdentitiesOnly=yes
          -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1)
: "${KASCOND:=kascond}"
KASCOND_PIDS=()
# start_kascond [--log FILE] ARGUMENT...: starts "$KASCOND --foreground
# ARGUMENT..." in the background with its log in FILE ($TMP/server.log
# unless given) and waits up to ${KASCOND_START_SECONDS:-30} seconds until
# it logs that it listens.  Sets KASCOND_PID, KASCOND_LOG and KASCOND_PORT
# (the first port it logs; give --listen 127.0.0.1:0 for a free one).  Returns 1,
# showing the log, when it exits or does not listen in time.  Environment
# set before the call (LOCPATH=... start_kascond ...) and the umask are the
# server's.  Every kascond started so is stopped when the test file ends.
start_kascond() {
  local log="$TMP/server.log" end=$((SECONDS + ${KASCOND_START_SECONDS:-30}))
  if [ "$1" = --log ]; then log=$2; shift 2; fi
  # As root (CI), kascond does not stay root: unless told --user, it runs
  # as ${KASCOND_USER-nobody} (empty: as kascond itself chooses), and the
  # test's files become that user's (kasconctl, as root, then acts as the
  # database's owner, as with the packaged database).
  local as=${KASCOND_USER-nobody}
  if [ "$(id -u)" = 0 ] && [ -n "$as" ] && ! printf '%s\n' "$@" | grep -qx -- --user; then
    chown -R "$as:" "$TMP"
    set -- --user "$as" "$@"
    runuser -u "$as" -- test -r "$KASCOND" ||
      echo "# $as cannot reach $KASCOND: its sessions will not find the build's catalogues"
  fi
  "$KASCOND" --foreground "$@" 2>"$log" &
  KASCOND_PID=$! KASCOND_LOG=$log KASCOND_PORT=
  KASCOND_PIDS+=("$KASCOND_PID")
  until KASCOND_PORT=$(kascond_port "$log") && [ -n "$KASCOND_PORT" ]; do
    if ! kill -0 "$KASCOND_PID" 2>/dev/null || [ "$SECONDS" -ge "$end" ]; then
      echo "# kascond $* did not start listening:"; sed 's/^/#   /' "$log"
      return 1
    fi
    sleep 0.1
  done
}
# kascond_port LOG: the first port a kascond logged in LOG that it listens on.
kascond_port() { sed -n 's/.*Server listening on .* port \([0-9]*\)\..*/\1/p' "$1" 2>/dev/null | head -n 1; }
# log_has TEXT [LOG]: the log of the last kascond started (or LOG) has TEXT,
# or comes to have it within ${EVENTUALLY:-30} s: a session may write its line
# after the client has had its answer and gone.
log_has_now() { grep -q -- "$1" "${2:-${KASCOND_LOG:-$TMP/server.log}}" 2>/dev/null; }
log_has() { eventually log_has_now "$@"; }
# stop_kascond [PID]: stops a kascond (the last one started unless given)
# with SIGTERM, SIGKILL after 10 seconds, and reaps it.  Its sessions go on
# (as with systemd's KillMode=process) until their clients leave.
stop_kascond() {
  local pid=${1:-${KASCOND_PID:-}} i kept=()
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  for i in "${KASCOND_PIDS[@]}"; do [ "$i" = "$pid" ] || kept+=("$i"); done
  KASCOND_PIDS=("${kept[@]}")
  [ "$pid" != "${KASCOND_PID:-}" ] || KASCOND_PID=
}
stop_every_kascond() { while [ ${#KASCOND_PIDS[@]} -gt 0 ]; do stop_kascond "${KASCOND_PIDS[0]}"; done; }
at_exit stop_every_kascond

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Two kascond hosts on one PostgreSQL database, driven with the stock ssh
# client: a row locked through host A is read only for an administrator on
# host B, and a stale save is refused with the same code; wrong passwords
# spread over both hosts lock the account, and ten at once count exactly;
# kill -9 of a host holding a lock, and the lock freed as documented (at
# once when that host starts again, else when the 120-second lease has
# run out); a bulk import over ssh on one host while the other serves
# logins and lists; a SQLite database migrated to PostgreSQL and back,
# compared.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/pg.sh"
MAIN_MENU_TEXT=${MAIN_MENU_TEXT-Main menu}
pg_require
for tool in ssh sshpass tmux ssh-keygen ssh-keyscan; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..0 # SKIP $tool is not installed (./quickstart installs it)"
    exit 0
  fi
done
if "$KASCONCTL" --db postgresql:///x init 2>&1 | grep -q 'without PostgreSQL'; then
  echo "1..0 # SKIP kascon was built without its PostgreSQL engine (libpq)"
  exit 0
fi

private_tmux pghosts
T() { tmux -L "$TMUX_SOCKET" "$@"; }
import_pid=
at_exit '[ -z "$import_pid" ] || kill "$import_pid" 2>/dev/null'
time_bound 500

check "a throwaway PostgreSQL starts" pg_cluster
pg_createdb kascon
SQLITE_DB=$KASCON_DB
export KASCON_DB
KASCON_DB=$(pg_uri kascon)
pq() { pg_psql kascon -c "$1"; }
check "kasconctl init creates the schema in PostgreSQL" run_ctl 0 init

D=tokyo.example.jp
"$KASCONCTL" site add $D --capacity 600 >/dev/null
for a in admin:secret12 admin2:secret34 admin3:secret56 admin4:secret78; do
  echo "${a#*:}" | "$KASCONCTL" admin add $D "${a%%:*}" >/dev/null
done
"$KASCONCTL" line add $D 09055550001 09055550002 >/dev/null
printf '2001,09055550001\r\n2002,09055550002\r\n' | "$KASCONCTL" ext import $D - >/dev/null

# Both hosts share one host key (doc/scale-out.md), made before either starts.
ssh-keygen -q -t ed25519 -N '' -f "$TMP/host_key"
mkdir -p "$TMP/files"
# start_host NAME: kascond NAME on a free loopback port of its own, on the
# shared database, host key and file areas.
start_host() {
  start_kascond --log "$TMP/$1.log" --listen 127.0.0.1:0 --db "$KASCON_DB" \
    --host-key "$TMP/host_key" --files "$TMP/files" || return 1
  echo "$KASCOND_PID" >"$TMP/$1.pid"
  echo "$KASCOND_PORT" >"$TMP/$1.port"
}
port() { cat "$TMP/$1.port"; }
check "host A starts" start_host A
check "host B starts" start_host B
check "... on different ports" test "$(port A)" != "$(port B)"
keyscan() { ssh-keyscan -t ed25519 -p "$(port "$1")" 127.0.0.1 2>/dev/null | cut -d' ' -f2-; }
check "... showing one host key" test -n "$(keyscan A)" -a "$(keyscan A)" = "$(keyscan B)"

# One password prompt, and no keyboard-interactive: one try is one failure.
SSH_OPTS+=(-o PreferredAuthentications=password)
# remote HOST USER PASSWORD COMMAND...: an exec verb over ssh.
remote() {
  local h=$1 u=$2 pw=$3; shift 3
  timeout 60 sshpass -p "$pw" ssh "${SSH_OPTS[@]}" -p "$(port "$h")" "$u@$D@127.0.0.1" "$@"
}
# console NAME HOST USER PASSWORD: a console over ssh in its own tmux window.
console() {
  T -f /dev/null new-session -d -s "$1" -x 100 -y 30 \
    "sshpass -p $4 ssh ${SSH_OPTS[*]} -tt -p $(port "$2") $3@$D@127.0.0.1; sleep 120"
}
pane_has() { T capture-pane -p -t "$1" | grep -qF -- "$2"; }
shows() { # NAME TEXT: waits until the window shows TEXT
  wait_for 40 pane_has "$1" "$2" && return 0
  echo "# $1 never showed: $2"; T capture-pane -p -t "$1" | sed 's/^/#   |/'
  return 1
}
keys() {
  local w=$1 k; shift
  for k in "$@"; do
    T send-keys -t "$w" "$k"
    case "$k" in Escape) sleep 0.1 ;; *) sleep 0.02 ;; esac
  done
}
type_text() { T send-keys -t "$1" -l "$2"; }
# edit_ext NAME EXT: from the main menu to the extension's edit form.
edit_ext() {
  keys "$1" 1; keys "$1" 1; keys "$1" 1
  shows "$1" "Registered:" >/dev/null || return 1
  keys "$1" C-u; type_text "$1" "$2"
  shows "$1" "Start extension  $2" >/dev/null || return 1
  keys "$1" Enter Enter
}
locks() { pq "select count(*) from locks"; }
locks_are() { test "$(locks)" = "$1"; }

# ---- a lock seen across hosts ----
console a1 A admin secret12
check "admin logs in through host A" shows a1 "$MAIN_MENU_TEXT"
edit_ext a1 2001
check "... and edits extension 2001" shows a1 "SIP password (empty: unchanged)"
check "... holding one lock, in the shared database" test "$(locks)" = 1
console b1 B admin2 secret34
check "admin2 logs in through host B" shows b1 "$MAIN_MENU_TEXT"
edit_ext b1 2001
check "... and sees 2001 read only, held by admin" shows b1 "Read only: admin is editing"
# admin2 goes back to the list: a read-only form left open follows its
# row and takes the lock as soon as it is free, which would hide whether
# the lock below stays behind the killed host.
keys b1 Escape; shows b1 "Registered:" >/dev/null
# A change saved elsewhere meanwhile (by the operator, on the same
# database): admin's save through host A is refused with the version
# check's code, as on SQLite.
keys a1 C-u; type_text a1 s2001
echo newpass77 | "$KASCONCTL" ext set $D 2001 sip-password >/dev/null
keys a1 F2
check "a stale save through host A is refused (251)" shows a1 "251"
check "... saying someone else changed it" shows a1 "someone else changed this item meanwhile"
# A second lock through host A, on 2002.
console a2 A admin3 secret56
shows a2 "$MAIN_MENU_TEXT" >/dev/null
edit_ext a2 2002
check "a second administrator on host A edits 2002" shows a2 "SIP password (empty: unchanged)"
check "... two locks held through host A" test "$(locks)" = 2

# ---- kill -9 of a host holding a lock ----
# Host A dies with everything it runs: listener, session processes, consoles.
tree() { local p; echo "$1"; for p in $(pgrep -P "$1"); do tree "$p"; done; }
pids=$(tree "$(cat "$TMP/A.pid")")
# All stopped first, then killed children first: no process of the host
# sees another die.  A console would release its locks on the hang-up,
# and its terminal's hang-up (the connection process dying) sends it
# SIGCONT with SIGHUP: killed after its parent, it ran in between.
# shellcheck disable=SC2086
kill -STOP $pids
# shellcheck disable=SC2046
kill -9 $(printf '%s\n' $pids | tac)
wait "$(cat "$TMP/A.pid")" 2>/dev/null
gone() { local p; for p in $pids; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
check "kill -9 takes host A down with its sessions" wait_for 10 gone
check "... its locks stay behind (nobody released them)" test "$(locks)" = 2
keys b1 Enter
check "... and host B still shows 2001 read only within the lease" shows b1 "Read only: admin is editing"
keys b1 Escape; shows b1 "Registered:" >/dev/null
# Documented: a lease runs 120 s unless renewed; whoever looks after
# that sees the row free.  A console whose clock is 3 minutes on:
T -f /dev/null new-session -d -s late -x 100 -y 30 \
  "env KASCON_NOW=$(($(date +%s) + 180)) LC_ALL=C.UTF-8 TERM=xterm '$KASCON' --db '$KASCON_DB'; sleep 120"
shows late "Site domain name" >/dev/null
type_text late $D; keys late Tab; type_text late admin4; keys late Tab; type_text late secret78; keys late Enter
shows late "$MAIN_MENU_TEXT" >/dev/null
edit_ext late 2002
check "once the lease has run out, 2002 is free to edit" shows late "SIP password (empty: unchanged)"
keys late Escape
shows late "Registered:" >/dev/null
T kill-session -t late
check "... and leaving it releases it" wait_for 20 locks_are 1
# Documented: the host starting again releases its own gone sessions'
# leases at once.
check "host A starts again" start_host A
check "... and releases the lock left by its killed session" wait_for 20 locks_are 0
check "... saying so in its log" grep -q "Released 1 edit lock" "$TMP/A.log"
keys b1 Enter
check "admin2 on host B now edits 2001" shows b1 "SIP password (empty: unchanged)"
keys b1 Escape; keys b1 Escape; keys b1 Escape
T kill-session -t b1

# ---- lockout across hosts ----
wrong() { remote "$1" "$2" wrong-password true </dev/null >/dev/null 2>&1; }
failures() { pq "select failures || '/' || (locked_at > 0)::int from admins where name = '$1'"; }
wrong A admin4; wrong B admin4
check "two wrong passwords on two hosts count two" test "$(failures admin4)" = "2/0"
wrong A admin4
check "the third, on host A again, locks admin4" test "$(failures admin4)" = "3/1"
check "... and the right password is refused on host B" \
  bash -c "! sshpass -p secret78 ssh ${SSH_OPTS[*]} -p $(port B) admin4@$D@127.0.0.1 ext list </dev/null >/dev/null 2>&1"
check "... and on host A" \
  bash -c "! sshpass -p secret78 ssh ${SSH_OPTS[*]} -p $(port A) admin4@$D@127.0.0.1 ext list </dev/null >/dev/null 2>&1"
"$KASCONCTL" admin unlock $D admin4 >/dev/null
lists() { remote "$1" "$2" "$3" ext list </dev/null | grep -q '^2001	'; }
check "once unlocked, it logs in on host B" lists B admin4 secret78

# Ten wrong attempts at once, five on each host: exactly three count.
echo secret90 | "$KASCONCTL" admin add $D admin5 >/dev/null
before=$(cat "$TMP/A.log" "$TMP/B.log" | grep -c "Failed password for admin5")
attempts=()
for i in 1 2 3 4 5 6 7 8 9 10; do
  if [ $((i % 2)) = 0 ]; then h=A; else h=B; fi
  wrong $h admin5 &
  attempts+=($!)
done
wait "${attempts[@]}"
logged() { test "$(cat "$TMP/A.log" "$TMP/B.log" | grep -c "Failed password for admin5")" = $((before + 10)); }
check "ten parallel wrong passwords over two hosts all fail" wait_for 20 logged
check "... and count exactly three: locked" test "$(failures admin5)" = "3/1"

# ---- a bulk import on one host while the other serves ----
ROWS=${PG_HOSTS_IMPORT_ROWS:-300}
# shellcheck disable=SC2046
"$KASCONCTL" line add $D $(seq -f '080%08.0f' 0 $((ROWS - 1))) >/dev/null
# Ten columns: every web password is hashed, the slow part of an import.
awk -v n="$ROWS" 'BEGIN { for (i = 0; i < n; i++)
  printf "3%06d,080%08d,0000000000,,,0,0,w%06d,pw%06d,0\r\n", i, i, i, i }' >"$TMP/ext.csv"
remote A admin secret12 ext import <"$TMP/ext.csv" >"$TMP/import.out" 2>"$TMP/import.err" &
import_pid=$!
console b2 B admin2 secret34
rounds=0 fails=0 end=$((SECONDS + 200))
while :; do
  remote B admin2 secret34 ext list </dev/null >"$TMP/list.out" 2>"$TMP/list.err" || {
    fails=$((fails + 1)); sed 's/^/# ssh B: /' "$TMP/list.err"; }
  grep -q '^2001	' "$TMP/list.out" || fails=$((fails + 1))
  rounds=$((rounds + 1))
  kill -0 "$import_pid" 2>/dev/null || break
  [ "$SECONDS" -lt "$end" ] || break
done
echo "# $rounds logins with ext list through host B during the import through host A"
check "every login and list on host B during the import succeeds ($rounds)" test "$fails" = 0
check "... and a console on host B reaches its main menu" shows b2 "$MAIN_MENU_TEXT"
wait "$import_pid"; rc=$?; import_pid=
check "the import over ssh on host A completes" test "$rc" = 0
[ "$rc" = 0 ] || sed 's/^/# import: /' "$TMP/import.err"
check "... every row" test "$(pq "select count(*) from extensions where ext like '3%'")" = "$ROWS"
T kill-session -t b2

# ---- a SQLite database migrated to PostgreSQL and back ----
S="$SQLITE_DB"
"$KASCONCTL" --db "$S" demo --domain demo.example.jp >/dev/null
"$KASCONCTL" --db "$S" cdr demo demo.example.jp --days 3 --per-day 500 >/dev/null 2>&1
pg_createdb copy
COPY_URI=$(pg_uri copy)
check "kasconctl migrate copies SQLite into PostgreSQL" run_ctl 0 migrate --from "$S" --to "$COPY_URI"
check "... table by table, rows and checksums verified" grep -q "verified" "$TMP/out"
same() { # VERB...: the same output from both databases
  "$KASCONCTL" --db "$S" "$@" >"$TMP/s.out" 2>&1
  "$KASCONCTL" --db "$COPY_URI" "$@" >"$TMP/p.out" 2>&1
  cmp -s "$TMP/s.out" "$TMP/p.out" || { diff "$TMP/s.out" "$TMP/p.out" | head -5 | sed 's/^/# /'; return 1; }
}
check "... sites the same" same site list
check "... extensions the same" same ext list demo.example.jp
check "... lines the same" same line list demo.example.jp
check "... call-history files the same" same cdr list demo.example.jp
day=$("$KASCONCTL" --db "$S" cdr list demo.example.jp | awk 'NR == 1 { print $1 }')
check "... a page of call records the same" same cdr show demo.example.jp "$day" --limit 50
check "... pickup groups the same" same pickup list demo.example.jp
check "a second migrate into the same database is refused" run_ctl 1 migrate --from "$S" --to "$COPY_URI"
check "... naming why" grep -q "not empty" "$TMP/err"
check "... and back into a new SQLite file" run_ctl 0 migrate --from "$COPY_URI" --to "$TMP/back.db"
dump() { sqlite3 "$1" .dump | grep -v '^INSERT INTO audit'; }
check "... which holds what the first one held" cmp -s <(dump "$S") <(dump "$TMP/back.db")
done_testing
[ "$failed" = 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Readers and logins are never blocked by a long write: while a bulk import
# and a call-record load of several day files run, administrators log in
# over SSH (console and exec) and list extensions with kasconctl; none of
# them fails, every login is in the audit log, and both long writes
# complete.  With the write lock held (as an import's apply phase holds
# it), a console login still reaches its main menu; its audit row follows
# once the lock is free.  Wrong passwords that race an import lock the
# account after exactly three.
. "${top_srcdir:-.}/tests/lib.sh"
MAIN_MENU_TEXT=${MAIN_MENU_TEXT-Main menu}

needs ssh sshpass tmux

private_tmux busy
import_pid= load_pid= hold_pid=
at_exit 'for p in $import_pid $load_pid $hold_pid; do kill $p 2>/dev/null && wait $p 2>/dev/null; done'
time_bound 900

running() { kill -0 "$1" 2>/dev/null; }

# The call records are of 2024-05-01..05 (local time Japan); the clock
# stands at 2024-05-06 so that all are kept.
export TZ=JST-9 KASCON_NOW=1714964400
DOMAIN=tokyo.example.jp
PW=secret12
ROWS=${BUSY_IMPORT_ROWS:-400}
RECORDS=${BUSY_CDR_RECORDS:-300000}
"$KASCONCTL" site add "$DOMAIN" --capacity $((ROWS + 10)) >/dev/null
echo "$PW" | "$KASCONCTL" admin add "$DOMAIN" admin >/dev/null
# shellcheck disable=SC2046
"$KASCONCTL" line add "$DOMAIN" $(seq -f '090%08.0f' 0 $((ROWS - 1))) >/dev/null
"$KASCONCTL" line add "$DOMAIN" 09099999999 >/dev/null
echo '2000,09099999999' | "$KASCONCTL" ext import "$DOMAIN" - >/dev/null
# Ten columns: every web password is hashed, the slow part of an import.
awk -v n="$ROWS" 'BEGIN { for (i = 0; i < n; i++)
  printf "3%06d,090%08d,0000000000,,,0,0,w%06d,pw%06d,0\r\n", i, i, i, i }' >"$TMP/ext.csv"
awk -v n="$RECORDS" 'BEGIN { for (i = 0; i < n; i++) {
  d = 1 + int(i * 5 / n); s = i % 86400
  printf "2024/05/%02d %02d:%02d:%02d,,,不成立,,2002,2001,2002,,,,018\n", d, s/3600, s/60%60, s%60 } }' \
  >"$TMP/cdr.csv"

check "kascond starts" start_kascond --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key"
PORT=$KASCOND_PORT

"$KASCONCTL" ext import "$DOMAIN" "$TMP/ext.csv" >"$TMP/import.out" 2>"$TMP/import.err" &
import_pid=$!
"$KASCONCTL" cdr load "$DOMAIN" "$TMP/cdr.csv" >"$TMP/load.out" 2>"$TMP/load.err" &
load_pid=$!
# The load has committed its first chunk: the write lock has been taken.
first_chunk() { [ "$(q 'select coalesce(sum(records), 0) from cdr_files')" -gt 0 ]; }
wait_for 120 first_chunk

pane_has() { tmux -L "$TMUX_SOCKET" capture-pane -p -t busy | grep -qF -- "$1"; }
tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s busy -x 80 -y 24 \
  "sshpass -p $PW ssh ${SSH_OPTS[*]} -p $PORT -tt admin@$DOMAIN@127.0.0.1; sleep 60"

# Exec logins and lists for as long as either write runs (at least once).
rounds=0 failures=0 end=$((SECONDS + 300))
while :; do
  timeout 60 sshpass -p "$PW" ssh "${SSH_OPTS[@]}" -p "$PORT" "admin@127.0.0.1" ext list \
    </dev/null >"$TMP/ssh-list.out" 2>"$TMP/ssh-list.err" || {
    failures=$((failures + 1)); sed 's/^/# ssh: /' "$TMP/ssh-list.err"; }
  grep -q '^2000	' "$TMP/ssh-list.out" || failures=$((failures + 1))
  "$KASCONCTL" ext list "$DOMAIN" >"$TMP/list.out" 2>"$TMP/list.err" || {
    failures=$((failures + 1)); sed 's/^/# kasconctl: /' "$TMP/list.err"; }
  rounds=$((rounds + 1))
  { running "$import_pid" || running "$load_pid"; } || break
  [ "$SECONDS" -lt "$end" ] || break
done
echo "# $rounds rounds of ssh ext list and kasconctl ext list during the writes"
check "every ssh login and list during the writes succeeds ($rounds rounds)" test "$failures" = 0
check "the console over ssh reaches its main menu" wait_for 60 pane_has "$MAIN_MENU_TEXT"
logins() { q "select count(*) from audit where action = '$1' and actor = '$2'"; }
logins_are() { [ "$(logins login admin)" = "$1" ]; }
check "every login is in the audit log (console and $rounds commands)" \
  wait_for 60 logins_are $((rounds + 1))
wait "$import_pid"; import_rc=$?; import_pid=
wait "$load_pid"; load_rc=$?; load_pid=
check "the import completes" test "$import_rc" = 0
[ "$import_rc" = 0 ] || { echo "# import: exit status $import_rc"; sed 's/^/# import: /' "$TMP/import.err"; }
check "... every row" grep -q "^$ROWS rows imported" "$TMP/import.out"
check "the call-record load completes" test "$load_rc" = 0
[ "$load_rc" = 0 ] || { echo "# cdr load: exit status $load_rc"; sed 's/^/# cdr load: /' "$TMP/load.err"; }
check "... every record, in five days" \
  test "$(q 'select count(distinct day), sum(records) from cdr_files')" = "5|$RECORDS"

# The write lock held as an import's apply phase holds it, by a process
# that keeps its write transaction open until its standard input ends:
# SQLite's BEGIN IMMEDIATE, or on PostgreSQL the advisory lock that
# store_begin takes (src/store/pg_conn.c).
before=$(logins login admin)
mkfifo "$TMP/hold"
if [ -n "${KASCON_TEST_DB:-}" ]; then
  psql -qAtX -d "$KASCON_DB" <"$TMP/hold" >"$TMP/hold.out" 2>&1 &
  hold_pid=$!
  exec 7>"$TMP/hold"
  echo 'BEGIN; SELECT pg_advisory_xact_lock(7020396006551022);' >&7
  held() { [ "$(q "select count(*) from pg_locks where locktype = 'advisory' and granted")" = 1 ]; }
else
  # The sqlite3 shell as the database's owner (q), which rolls back when
  # its input ends.
  q -cmd '.timeout 60000' <"$TMP/hold" >"$TMP/hold.out" 2>&1 &
  hold_pid=$!
  exec 7>"$TMP/hold"
  echo "BEGIN IMMEDIATE; SELECT 'held';" >&7
  held() { grep -qx held "$TMP/hold.out"; }
fi
check "a writer holds the write lock" wait_for 60 held
lists() { "$KASCONCTL" ext list "$DOMAIN" >"$TMP/held-list.out" && grep -q '^2000	' "$TMP/held-list.out"; }
check "... kasconctl ext list answers meanwhile" lists
held_has() { tmux -L "$TMUX_SOCKET" capture-pane -p -t held | grep -qF -- "$1"; }
tmux -L "$TMUX_SOCKET" new-session -d -s held -x 80 -y 24 \
  "sshpass -p $PW ssh ${SSH_OPTS[*]} -p $PORT -tt admin@$DOMAIN@127.0.0.1; sleep 60"
check "... a password login over ssh reaches the console's main menu meanwhile" \
  wait_for 60 held_has "$MAIN_MENU_TEXT"
check "... its audit row waits for the lock" logins_are "$before"
exec 7>&-
wait "$hold_pid"; hold_pid=
check "once the lock is free, the login is in the audit log" wait_for 60 logins_are $((before + 1))

# Five wrong passwords for one administrator, racing an import into
# another site: exactly three count, the third locks the account, and the
# right password is refused after them.
echo "$PW" | "$KASCONCTL" admin add "$DOMAIN" flood >/dev/null
"$KASCONCTL" site add osaka.example.jp --capacity "$ROWS" >/dev/null
# shellcheck disable=SC2046
"$KASCONCTL" line add osaka.example.jp $(seq -f '080%08.0f' 0 $((ROWS - 1))) >/dev/null
awk -v n="$ROWS" 'BEGIN { for (i = 0; i < n; i++)
  printf "3%06d,080%08d,0000000000,,,0,0,o%06d,pw%06d,0\r\n", i, i, i, i }' >"$TMP/osaka.csv"
"$KASCONCTL" ext import osaka.example.jp "$TMP/osaka.csv" >"$TMP/import2.out" 2>&1 &
import_pid=$!
flood=()
for i in 1 2 3 4 5; do
  timeout 120 sshpass -p "wrong$i" ssh "${SSH_OPTS[@]}" -p "$PORT" "flood@$DOMAIN@127.0.0.1" true \
    </dev/null >/dev/null 2>&1 &
  flood+=($!)
done
wait "${flood[@]}"
wait "$import_pid"; import_rc=$?; import_pid=
check "the second import completes" test "$import_rc" = 0
check "five racing wrong passwords: two failures, the lock, two refusals" test \
  "$(logins login.fail flood)/$(logins login.lock flood)/$(logins login.refused_locked flood)" = 2/1/2
check "... the account is locked after exactly three" test \
  "$(q "select failures from admins where name = 'flood' and locked_at > 0")" = 3
timeout 60 sshpass -p "$PW" ssh "${SSH_OPTS[@]}" -p "$PORT" "flood@$DOMAIN@127.0.0.1" true \
  </dev/null >/dev/null 2>&1
check "... the right password is refused after them" \
  test "$(logins login flood)/$(logins login.refused_locked flood)" = 0/3
done_testing

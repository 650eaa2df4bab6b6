#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl run by root on a database another user owns (the kascon
# service's) acts as that user: the database and the files SQLite makes
# beside it (-wal, -shm) stay that user's, never root's.  A -wal that root's
# own SQLite made and has not yet handed to the owner is waited for.
. "${top_srcdir:-.}/tests/lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP needs root (the case is root running kasconctl)"
  exit 0
fi
owner=nobody
if ! id "$owner" >/dev/null 2>&1; then
  echo "1..0 # SKIP no user $owner"
  exit 0
fi
# A directory the owner can reach: $TMP is root's and 0700.
chmod 0711 "$TMP"
mkdir "$TMP/state"
chown "$owner:" "$TMP/state"
chmod 0700 "$TMP/state"
db="$TMP/state/kascon.db"

check "root creates the database in the owner's directory" run_ctl 0 --db "$db" init
check "... and it is the owner's" test "$(stat -c %U "$db")" = "$owner"
check "root adds a site" run_ctl 0 --db "$db" site add tokyo.example.jp --capacity 10
check "... kasconctl ran as $owner" test -z "$(find "$TMP/state" -user root)"
check "... the owner reads it" \
  bash -c "setpriv --reuid='$owner' --regid=\$(id -g '$owner') --clear-groups '$KASCONCTL' --db '$db' site list | grep -q tokyo.example.jp"

# Root's own sqlite3 shell, the first to open the owner's database, makes
# its -wal and -shm files as root and hands them to the owner a moment
# later: a kascon process opening the database in that moment waits for
# them instead of failing with "unable to open database file".
install -m 0600 /dev/null "$db-wal"
check "a -wal file root made and has not handed over yet" test "$(stat -c %U "$db-wal")" = root
"$KASCONCTL" --db "$db" site list >"$TMP/wait.out" 2>"$TMP/wait.err" &
wait_pid=$!
# kasconctl has the database open (as $owner): it is at the -wal now.
has_db_open() { ls -l "/proc/$wait_pid/fd" 2>/dev/null | grep -q -- "-> $db\$"; }
check "... kasconctl opens the database meanwhile" wait_for 30 has_db_open
chown "$owner:" "$db-wal"
wait "$wait_pid"; wait_rc=$?
check "... and lists the sites once the -wal is the owner's" \
  bash -c "test $wait_rc = 0 && grep -q tokyo.example.jp '$TMP/wait.out' && test ! -s '$TMP/wait.err'"
[ "$wait_rc" = 0 ] || sed 's/^/# /' "$TMP/wait.err"
install -m 0600 /dev/null "$db-wal"
check "a -wal file that stays root's: kasconctl gives up" run_ctl 1 --db "$db" site list
check "... naming the file and both owners" \
  grep -qF "$db-wal belongs to root, not to the database's owner $owner" "$TMP/err"
rm -f "$db-wal"
check "... and the database is the owner's still" test -z "$(find "$TMP/state" -user root)"

rootdb="$TMP/root.db"
check "root's own database stays root's" run_ctl 0 --db "$rootdb" init
check "... owned by root" test "$(stat -c %U "$rootdb")" = root
done_testing

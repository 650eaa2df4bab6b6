#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl run by root on a database another user owns (the kascon
# service's) acts as that user: the database and the files SQLite makes
# beside it (-wal, -shm) stay that user's, never root's.
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
rootdb="$TMP/root.db"
check "root's own database stays root's" run_ctl 0 --db "$rootdb" init
check "... owned by root" test "$(stat -c %U "$rootdb")" = root
done_testing

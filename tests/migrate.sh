#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl migrate: a whole database copied into another, table by table,
# verified by row counts and checksums; a destination holding data refused
# unless --replace; nothing left behind when it fails.  SQLite to SQLite
# here, always; SQLite to PostgreSQL and back where the server binaries
# are installed (tests/pg.sh), and backup on PostgreSQL naming pg_dump.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/pg.sh"
S="$TMP/source.db"
"$KASCONCTL" --db "$S" demo --domain demo.example.jp >/dev/null
"$KASCONCTL" --db "$S" cdr demo demo.example.jp --days 3 --per-day 300 >/dev/null 2>&1
echo secret12 | "$KASCONCTL" --db "$S" admin add demo.example.jp admin2 >/dev/null
"$KASCONCTL" --db "$S" fwd set demo.example.jp "$("$KASCONCTL" --db "$S" ext list demo.example.jp |
  awk 'NR == 1 { print $1 }')" busy 0312345678 >/dev/null

# same DB1 DB2 VERB...: the same output from both databases.
same() {
  local a=$1 b=$2; shift 2
  "$KASCONCTL" --db "$a" "$@" >"$TMP/a.out" 2>&1
  "$KASCONCTL" --db "$b" "$@" >"$TMP/b.out" 2>&1
  cmp -s "$TMP/a.out" "$TMP/b.out" || { diff "$TMP/a.out" "$TMP/b.out" | head -5 | sed 's/^/# /'; return 1; }
}
# compare DB1 DB2: what an operator sees of every kind of row.
compare() {
  local day
  day=$("$KASCONCTL" --db "$1" cdr list demo.example.jp | awk 'NR == 1 { print $1 }')
  same "$1" "$2" site list && same "$1" "$2" ext list demo.example.jp &&
    same "$1" "$2" line list demo.example.jp && same "$1" "$2" pickup list demo.example.jp &&
    same "$1" "$2" hunt list demo.example.jp && same "$1" "$2" cdr list demo.example.jp &&
    same "$1" "$2" cdr show demo.example.jp "$day" --limit 100 &&
    same "$1" "$2" code show demo.example.jp
}
tables() { sqlite3 "$1" "select name from sqlite_master where type = 'table' and name not like 'sqlite%'"; }
# rows DB: every row of every table but audit (which the copy adds to).
rows() {
  local t
  for t in $(tables "$1"); do
    [ "$t" = audit ] && continue
    echo "== $t"; sqlite3 "$1" "select * from $t order by 1, 2"
  done
}

check "migrate copies an SQLite database into a new file" run_ctl 0 migrate --from "$S" --to "$TMP/copy.db"
check "... printing every table with its rows" grep -q "^cdr  *$(sqlite3 "$S" 'select count(*) from cdr')  " "$TMP/out"
check "... and that each was verified" grep -q 'each table verified by row count and checksum' "$TMP/out"
check "... every row the same" cmp -s <(rows "$S") <(rows "$TMP/copy.db")
check "... the audit's too, plus one entry for the copy" \
  test "$(sqlite3 "$TMP/copy.db" "select count(*) from audit")" = $(($(sqlite3 "$S" "select count(*) from audit") + 1))
check "... which names the source" \
  test "$(sqlite3 "$TMP/copy.db" "select action || ' ' || object from audit order by id desc limit 1")" = "migrate $S"
check "... and what the console and CLI show is the same" compare "$S" "$TMP/copy.db"
before=$(sha256sum <"$TMP/copy.db")
check "a destination holding data is refused" run_ctl 1 migrate --from "$S" --to "$TMP/copy.db"
check "... saying so" grep -q 'not empty' "$TMP/err"
check "... and left as it was" test "$(sha256sum <"$TMP/copy.db")" = "$before"
check "--replace replaces what it held" run_ctl 0 migrate --from "$S" --to "$TMP/copy.db" --replace
check "... all of it" cmp -s <(rows "$S") <(rows "$TMP/copy.db")
check "a missing source is refused" run_ctl 1 migrate --from "$TMP/none.db" --to "$TMP/new.db"
check "... and creates nothing" test ! -e "$TMP/new.db"
check "the same database at both ends is refused" run_ctl 2 migrate --from "$S" --to "$S"
check "--from and --to are both needed" run_ctl 2 migrate --from "$S"
# A destination of another schema (a table of its own) fails whole.
"$KASCONCTL" --db "$TMP/other.db" init >/dev/null
sqlite3 "$TMP/other.db" "create table extra (x integer)"
check "a destination with a table the source lacks is refused" run_ctl 1 migrate --from "$S" --to "$TMP/other.db"
check "... naming it" grep -q 'table extra exists at one end only' "$TMP/err"

if pg_available && ! "$KASCONCTL" --db postgresql:///x init 2>&1 | grep -q 'without PostgreSQL'; then
  check "a throwaway PostgreSQL starts" pg_cluster
  pg_createdb k
  P=$(pg_uri k)
  check "migrate copies the SQLite database into PostgreSQL" run_ctl 0 migrate --from "$S" --to "$P"
  check "... every table verified" grep -q 'each table verified by row count and checksum' "$TMP/out"
  check "... the same for the operator" compare "$S" "$P"
  check "... a second copy into it is refused" run_ctl 1 migrate --from "$S" --to "$P"
  check "and back into a new SQLite file" run_ctl 0 migrate --from "$P" --to "$TMP/back.db"
  check "... row for row what the first file held" cmp -s <(rows "$S") <(rows "$TMP/back.db")
  check "backup of a PostgreSQL database is refused" run_ctl 1 --db "$P" backup "$TMP/b.db"
  check "... naming pg_dump" grep -q 'pg_dump' "$TMP/err"
else
  echo "# PostgreSQL server binaries or kascon's libpq engine absent: SQLite only"
fi
# A target's password is never shown: not in kasconctl's errors, not in
# migrate's (the server is not needed: the connection fails either way).
bad='postgresql://kascon:s3cret-pw@/nodb?host=/nonexistent&port=1'
"$KASCONCTL" --db "$bad" site list >/dev/null 2>"$TMP/bad.err"
check "kasconctl's error does not show the URI's password" bash -c "! grep -q s3cret-pw '$TMP/bad.err'"
check "... it shows the URI with *** in its place" grep -qF 'postgresql://kascon:***@/nodb' "$TMP/bad.err"
"$KASCONCTL" migrate --from "$S" --to "$bad" >/dev/null 2>"$TMP/bad.err"
check "nor does migrate's" bash -c "! grep -q s3cret-pw '$TMP/bad.err' && grep -qF 'kascon:***@' '$TMP/bad.err'"
KASCON_DB=$bad "$KASCONCTL" --help >"$TMP/help.out" 2>&1
check "nor --help, naming \$KASCON_DB" bash -c "! grep -q s3cret-pw '$TMP/help.out' && grep -qF 'kascon:***@' '$TMP/help.out'"
done_testing
[ "$failed" = 0 ]

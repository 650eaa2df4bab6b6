#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl cdr load of files of several chunks (40,000 records each), read
# and checked on one thread while another writes: a bad record in a later
# chunk, more problems than are shown, a complete load of a CP932 file
# (every record stored as it was in the file) and a store failure in the
# middle of a load, and a load interrupted by a signal, also one of a file
# of which nothing would be written.  Each ends all or nothing, problems in
# row order.
. "${top_srcdir:-.}/tests/lib.sh"
time_bound 600
# The records are of 2024-05-01..03 (local time Japan); the clock stands at
# 2024-05-04 so that all of them are kept.
export TZ=JST-9 KASCON_NOW=1714791600
D=tokyo.example.jp
check "site" run_ctl 0 site add $D --capacity 50

# rows N: N records, a third of them on each of three days, in time order.
rows() {
  awk -v n="$1" 'BEGIN { per = int((n + 2) / 3)
    for (i = 0; i < n; i++) {
      d = 1 + int(i / per); s = int((i % per) * 86400 / per)
      t = sprintf("2024/05/%02d %02d:%02d:%02d", d, s / 3600, s / 60 % 60, s % 60)
      if (i % 3) printf "%s,%s,%s,成立,,0312340000,090%08d,%d,,,%d,016\n", t, t, t, i, 2001 + i % 200, 2001 + i % 200
      else printf "%s,,%s,不成立,,%d,%d,%d,,,,%03d\n", t, t, 2001 + i % 200, 2001 + (i + 7) % 200, 2001 + (i + 7) % 200, 17 + i % 2
    } }'
}
# bad FILE ROW SED: the file with row ROW (1-based) edited by a sed command.
bad() { sed -i "$2$3" "$1"; }
counts() { q "select count(*), coalesce(sum(records), 0) from cdr_files" | tr '|' ' '; echo " $(q 'select count(*) from cdr') $(q 'select count(*) from audit')"; }
problem_rows() { grep -E '^[0-9]+:[A-L-]: [0-9]{3} ' "$TMP/err" | cut -d' ' -f1-2 | paste -sd' '; }

before=$(db_hash)
before_counts=$(counts)

# A bad record in the third chunk, after two chunks were committed; two
# more problems after it.  Nothing stays, and every problem is reported in
# row order.
rows 130000 >"$TMP/late.csv"
bad "$TMP/late.csv" 90001 's|^2024/05/03 [0-9:]*|2024/05/03 25:00:00|'
bad "$TMP/late.csv" 90002 's|,不\?成立,|,maybe,|'
bad "$TMP/late.csv" 129999 's|,016$|,200|'
check "a bad record in the third chunk is refused" run_ctl 1 cdr load $D "$TMP/late.csv"
check "... its problems in row order, with their columns" \
  test "$(problem_rows)" = "90001:A: 401 90002:D: 402 129999:L: 404"
check "... every record read" grep -q 'nothing loaded: 130000 records read' "$TMP/err"
check "... the committed chunks undone: records, files and audit as before" test "$(counts)" = "$before_counts"
check "... the database unchanged" test "$(db_hash)" = "$before"

# More problems than are shown: the first 1,000, in row order, and a count
# of the rest.
rows 50000 >"$TMP/many.csv"
awk 'BEGIN { for (i = 0; i < 1500; i++) printf "2024/05/03 23:59:59,,,maybe,,2001,2002,2003,,,,018\n2024/05/03 23:59:59,,,不成立,,2001,2002,2003,,,,018\n" }' >>"$TMP/many.csv"
check "a file of 1,500 bad records is refused" run_ctl 1 cdr load $D "$TMP/many.csv"
check "... 1,000 problems shown" test "$(grep -cE '^[0-9]+:D: 402 ' "$TMP/err")" = 1000
check "... from the first bad row to the 1,000th, in order" \
  bash -c "grep -E '^[0-9]+:D: 402 ' '$TMP/err' | cut -d: -f1 | sort -nc && grep -E '^[0-9]+:D: 402 ' '$TMP/err' | sed -n '1p;\$p' | cut -d: -f1 | paste -sd' ' | grep -qx '50001 51999'"
check "... and the other 500 counted" grep -q ': 500 more problems not shown' "$TMP/err"
check "... nothing stored" test "$(db_hash)" = "$before"

# A complete load of a CP932 file of four chunks: every record is stored as
# it was in the file, in its order (the export of each day is the day's
# records of the file).
rows 130000 >"$TMP/all.csv"
iconv -f UTF-8 -t CP932 "$TMP/all.csv" >"$TMP/all-cp932.csv"
check "a 130,000-record CP932 load" run_ctl 0 cdr load $D "$TMP/all-cp932.csv"
check "... reports every record stored" grep -q '^130000 records loaded into 6 files' "$TMP/out"
check "... in two parts of each of three days" \
  test "$(q "select day||'/'||part||':'||records from cdr_files order by day, part" | paste -sd' ')" = \
  "2024-05-01/1:40000 2024-05-01/2:3334 2024-05-02/1:40000 2024-05-02/2:3334 2024-05-03/1:40000 2024-05-03/2:3332"
same_day() {
  "$KASCONCTL" cdr export $D "$1" --encoding utf-8 -o "$TMP/day.csv" &&
    tr -d '\r' <"$TMP/day.csv" | cmp -s - <(grep "^${1//-//} " "$TMP/all.csv")
}
for day in 2024-05-01 2024-05-02 2024-05-03; do
  check "... $day exported is $day of the file" same_day $day
done
q "delete from cdr; delete from cdr_files"

# A store failure in the middle of the second chunk (an insert refused by a
# trigger at row 60,002) while the reader is ahead: the load stops at the
# insert that failed (of rows 60,001-60,016: the store inserts 16 records at
# a time), reports the storage error alone with the rows read up to it, and
# undoes the chunk committed before.  The process ends (no thread left
# waiting).
before=$(db_hash)
before_counts=$(counts)
q "CREATE TRIGGER refuse BEFORE INSERT ON cdr WHEN NEW.caller = '09000060001'
   BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
check "a load failing in the store is refused" run_ctl 1 cdr load $D "$TMP/all.csv"
check "... with the storage error alone" \
  test "$(grep -vE '^kasconctl: (detected encoding|nothing loaded)' "$TMP/err")" = "kasconctl: 901 database error: refused by the test"
check "... at the insert it stopped on" grep -q 'nothing loaded: 60016 records read' "$TMP/err"
q "DROP TRIGGER refuse"
check "... the committed chunk undone" test "$(counts)" = "$before_counts"
check "... the database unchanged" test "$(db_hash)" = "$before"
check "the same file loads once the store accepts it" run_ctl 0 cdr load $D "$TMP/all.csv"

# Interrupted (Ctrl-C, TERM) after a chunk was committed: the load stops at
# its next record, takes the committed chunks out again and says so.
q "delete from cdr; delete from cdr_files"
before=$(db_hash)
before_counts=$(counts)
rows 400000 >"$TMP/big.csv"
first_chunk() { [ "$(q 'select coalesce(sum(records), 0) from cdr_files')" -gt 0 ]; }
for sig in TERM INT; do
  "$KASCONCTL" cdr load $D "$TMP/big.csv" >"$TMP/out" 2>"$TMP/err" &
  pid=$!
  wait_for 120 first_chunk
  kill -$sig $pid
  rc=0; wait $pid || rc=$?
  check "$sig after a committed chunk stops the load" test "$rc" = 1
  check "... saying so: nothing was kept" grep -q '^kasconctl: 904 interrupted: nothing of it was kept' "$TMP/err"
  check "... the committed chunks undone" test "$(counts)" = "$before_counts"
  check "... the database unchanged" test "$(db_hash)" = "$before"
done

# TERM to a load of a large file whose every record is refused, so that it
# writes nothing; sent while the load waits for another writer's lock, so
# that it has read no record yet.  Once the lock is free the load stops at
# the first record it reads, not at the end of the file, says so and keeps
# nothing.
sed 's|,不\?成立,|,maybe,|' "$TMP/big.csv" >"$TMP/refused.csv"
mkfifo "$TMP/hold"
q -cmd '.timeout 60000' <"$TMP/hold" >"$TMP/hold.out" 2>&1 &
exec 7>"$TMP/hold"
echo "BEGIN IMMEDIATE; SELECT 'held';" >&7
held() { grep -qx held "$TMP/hold.out"; }
check "another writer holds the write lock" wait_for 60 held
# (Not given the holder's input, which would then never end.)
"$KASCONCTL" cdr load $D "$TMP/refused.csv" >"$TMP/out" 2>"$TMP/err" 7>&- &
pid=$!
# kasconctl catches TERM once the load has begun: it waits for the lock now.
# (kasconctl itself, with the database open: the shell's child that is still
# to exec it has this script's TERM trap, and TERM then would end kasconctl
# unhandled.)
catches_term() {
  local mask
  ls -l "/proc/$pid/fd" 2>/dev/null | grep -q -- "-> $KASCON_DB\$" &&
    mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) &&
    [ -n "$mask" ] && [ $((0x$mask >> 14 & 1)) = 1 ]
}
check "... a load of 400,000 refused records waits for it" wait_for 60 catches_term
kill -TERM $pid
exec 7>&-
rc=0; wait $pid || rc=$?
check "TERM stops the load" test "$rc" = 1
check "... saying so: nothing was kept" grep -q '^kasconctl: 904 interrupted: nothing of it was kept' "$TMP/err"
check "... at the first record it read, not at the end of the file" \
  grep -q 'nothing loaded: 0 records read' "$TMP/err"
check "... no problem of the file reported" bash -c "! grep -q ': 402 ' '$TMP/err'"
check "... the database unchanged" test "$(db_hash)" = "$before"
done_testing

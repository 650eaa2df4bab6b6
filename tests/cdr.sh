#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl cdr: loading (native CP932/UTF-8, Asterisk 16/18/21/22 columns),
# all-or-nothing refusals, retention, export round trip, demo traffic.
. "${top_srcdir:-.}/tests/lib.sh"
data="$top_srcdir/tests/data"
# The records are of 2024-05-01/02, local time Japan; the clock stands at
# 2024-05-02 12:00 JST so that they are within the 92 days kept.
export TZ=JST-9 KASCON_NOW=1714618800
D=tokyo.example.jp
records() { q "select coalesce(sum(records),0) from cdr_files f join sites s on s.id=f.site_id where s.domain='$D'"; }

check "site" run_ctl 0 site add $D --capacity 50
iconv -f UTF-8 -t CP932 "$data/cdr_native.csv" >"$TMP/native-cp932.csv"
check "load native CP932" run_ctl 0 cdr load $D "$TMP/native-cp932.csv"
check "... reports the encoding" grep -q 'CP932' "$TMP/err"
check "... six records in two day files" test "$(records) $(q 'select count(*) from cdr_files')" = "6 2"
check "list shows day, part, count" bash -c "'$KASCONCTL' cdr list $D | grep -qx '2024-05-01	1	5'"

# Export round trip: the file loaded is the file exported (CRLF as Excel).
check "export CP932" run_ctl 0 cdr export $D 2024-05-01 -o "$TMP/out.csv"
head -5 "$TMP/native-cp932.csv" | sed 's/"//g' >"$TMP/want.csv"
check "export round trip (CP932, bytes)" bash -c "tr -d '\r' <'$TMP/out.csv' | cmp -s - '$TMP/want.csv'"
check "export writes CRLF" bash -c "head -1 '$TMP/out.csv' | od -c | grep -q '\\\\r  \\\\n'"
check "export UTF-8 to stdout" bash -c "'$KASCONCTL' cdr export $D 2024-05-02 --encoding utf-8 | tr -d '\r' | cmp -s - <(tail -1 '$data/cdr_native.csv')"
check "export of a day without file refused" run_ctl 1 cdr export $D 2024-04-01
check "... with code 409" grep -q '409' "$TMP/err"
check "export bad day refused" run_ctl 1 cdr export $D 2024-4-1

# UTF-8 with BOM, appended to the same days.
printf '\xef\xbb\xbf' >"$TMP/bom.csv"; cat "$data/cdr_native.csv" >>"$TMP/bom.csv"
check "load native UTF-8 with BOM" run_ctl 0 cdr load $D "$TMP/bom.csv"
check "... reports UTF-8 with BOM" grep -q 'UTF-8 (BOM)' "$TMP/err"
check "load native UTF-8 without BOM" run_ctl 0 cdr load $D "$data/cdr_native.csv"
check "... reports UTF-8 without BOM" grep -q 'detected encoding: UTF-8$' "$TMP/err"
check "... appended: 18 records, still two files" test "$(records) $(q 'select count(*) from cdr_files')" = "18 2"

check "show with cause filter" bash -c "'$KASCONCTL' cdr show $D 2024-05-01 --cause 17 | grep -c . | grep -qx 3"
check "show explains a listed cause" bash -c "'$KASCONCTL' cdr show $D 2024-05-01 --cause 18 --limit 1 | grep -q '018 no answer'"
check "show gives an unlisted cause by number" bash -c "'$KASCONCTL' cdr show $D 2024-05-01 --cause 19 --limit 1 | grep -q '	019$'"
check "show paging: after 2 starts at 3" bash -c "'$KASCONCTL' cdr show $D 2024-05-01 --after 2 --limit 1 | cut -f1 | grep -qx 3"
check "show number filter" bash -c "'$KASCONCTL' cdr show $D 2024-05-01 --number 09011112222 | grep -c . | grep -qx 3"

# Bad files: every problem reported as ROW:COL: CODE, nothing changed.
before=$(db_hash)
cat >"$TMP/bad.csv" <<'CSV'
2024/05/01 09:00:00,2024/05/01 09:00:05,2024/05/01 09:03:00,成立,,0312340000,0312345678,2001,,,0312345678,016
2024/05/01 09:10:00,,2024/05/01 09:10:30,不成立,,2002,2001,2002,,,,018,extra
2024/13/01 09:10:00,,2024/05/01 09:10:30,maybe,,2002,090-1111-2222,2002,,,,200
CSV
check "bad native file refused" run_ctl 1 cdr load $D "$TMP/bad.csv"
check "... column count on row 2" grep -q '^2:-: 305 ' "$TMP/err"
check "... bad time on row 3 column A" grep -q '^3:A: 401 ' "$TMP/err"
check "... bad call type on row 3 column D" grep -q '^3:D: 402 ' "$TMP/err"
check "... bad number on row 3 column G" grep -q '^3:G: 403 ' "$TMP/err"
check "... bad cause on row 3 column L" grep -q '^3:L: 404 ' "$TMP/err"
printf '2024/05/01 09:00:00,,,\x82\xa0\xff\xff,,,,,,,,\n' >"$TMP/undecodable.csv"
check "undecodable bytes refused" run_ctl 1 cdr load $D "$TMP/undecodable.csv"
check "... with 304 on row 1, the column of the bytes" grep -q '^1:D: 304 ' "$TMP/err"
printf 'PK\003\004xlsx' >"$TMP/book.xlsx"
check "an .xlsx refused" run_ctl 1 cdr load $D "$TMP/book.xlsx"
check "... with 301" grep -q '301' "$TMP/err"
printf '2024/05/01 09:00:00,"unbalanced\n' >"$TMP/quote.csv"
check "unbalanced quote refused" run_ctl 1 cdr load $D "$TMP/quote.csv"
check "... with 307" grep -q '307' "$TMP/err"
check "asterisk 15 columns refused" bash -c "cut -d, -f1-15 '$data/ast16.csv' >'$TMP/a15.csv'; '$KASCONCTL' cdr load $D '$TMP/a15.csv' --format asterisk 2>'$TMP/err'; test \$? = 1"
check "... with 305" grep -q '^1:-: 305' "$TMP/err"
sed 's/"BUSY"/"BUSYISH"/' "$data/ast16.csv" >"$TMP/ast-bad.csv"
check "unknown disposition refused" run_ctl 1 cdr load $D "$TMP/ast-bad.csv" --format asterisk
check "... at row 3 column O" grep -q '^3:O: 407 ' "$TMP/err"
check "database unchanged byte for byte" test "$before" = "$(db_hash)"

# Asterisk layouts.
check "asterisk 16 columns" run_ctl 0 cdr load $D "$data/ast16.csv" --format asterisk
check "asterisk 18 columns" run_ctl 0 cdr load $D "$data/ast18.csv" --format asterisk
check "asterisk 21 columns" run_ctl 0 cdr load $D "$data/ast21.csv" --format asterisk
check "cdr_custom with trailing cause" run_ctl 0 cdr load $D "$data/ast22_cause.csv" --format asterisk
check "... 28 records" test "$(records)" = 28
check "NO ANSWER -> not completed 018" test "$(q "select count(*) from cdr where callee='2003' and completed=0 and cause=18")" = 2
check "BUSY -> 017, anonymous caller kept empty" test "$(q "select count(*) from cdr where cause=17 and caller is null and callee='2001'")" = 1
check "CONGESTION -> 034, FAILED -> 041" test "$(q "select count(*) from cdr where cause in (34,41) and completed=0")" = 2
check "hangup cause column wins: FAILED with 1 -> 001" test "$(q "select count(*) from cdr where cause=1 and caller='2001'")" = 1
check "ANSWERED -> completed 016 with answer time" test "$(q "select count(*) from cdr where caller='2001' and callee='0312345678' and completed=1 and cause=16 and answer_time='2024/05/01 09:00:07'")" = 3

# Retention: 92 days are kept; moving the clock deletes older files.
check "old records are skipped at load" bash -c "KASCON_NOW=1722481200 '$KASCONCTL' cdr load $D '$data/cdr_native.csv' 2>/dev/null | grep -q '5 older than 92 days skipped, 1 old files deleted'"
check "... 2024-05-01 deleted, 2024-05-02 kept" test "$(q 'select day from cdr_files')" = "2024-05-02"
check "purge later removes the rest" bash -c "KASCON_NOW=1722567600 '$KASCONCTL' cdr purge | grep -q '^1 '"
check "... nothing left" test "$(q 'select count(*) from cdr') $(q 'select count(*) from cdr_files')" = "0 0"
check "loads and purges are audited" test "$(q "select count(*) from audit where action in ('cdr.load','cdr.purge','cdr.import')")" -ge 10

# PostgreSQL (tests/pg_suite.sh): a day's records of every site are one
# partition of cdr, made by the day's first file; the retention drops it
# whole once no site keeps a file of that day, and deletes only the
# purged site's records from a day another site still keeps.
if [ -n "${KASCON_TEST_DB:-}" ]; then
  O=other.example.jp
  "$KASCONCTL" site add $O --capacity 10 >/dev/null
  parts() { q "select coalesce(string_agg(c.relname, ' ' order by c.relname), '-') from pg_inherits i
    join pg_class c on c.oid = i.inhrelid where i.inhparent = 'cdr'::regclass and c.relname <> 'cdr_legacy'"; }
  on_day() { q "select count(*) from cdr r join cdr_files f on f.id = r.file_id join sites s on s.id = f.site_id
    where f.day = '$2' and s.domain = '$1'"; }
  check "PostgreSQL: no day partition is left after the purge" test "$(parts)" = "-"
  run_ctl 0 cdr load $D "$data/cdr_native.csv" && run_ctl 0 cdr load $O "$data/cdr_native.csv"
  check "... two sites' loads make one partition per day" test "$(parts)" = "cdr_20240501 cdr_20240502"
  check "... holding both sites' records" \
    test "$(q 'select count(*) from cdr_20240501')" = "$(($(on_day $D 2024-05-01) + $(on_day $O 2024-05-01)))"
  o_first=$(on_day $O 2024-05-01)
  KASCON_NOW=1722481200 run_ctl 0 cdr load $D "$data/cdr_native.csv"
  check "... a site's load past 92 days deletes its own old day" test "$(on_day $D 2024-05-01)" = 0
  check "... the partition stays for the other site's records" \
    test "$(parts) $(q 'select count(*) from cdr_20240501')" = "cdr_20240501 cdr_20240502 $o_first"
  KASCON_NOW=1722567600 run_ctl 0 cdr purge
  check "... the purge of every site drops both days whole" test "$(parts)" = "-"
  check "... with their files and records" test "$(q 'select count(*) from cdr') $(q 'select count(*) from cdr_files')" = "0 0"
fi

# A load is written in chunks of one day file (40,000 records), so other
# sessions write in between; a problem after committed chunks still
# leaves nothing behind.
big_rows() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "2024/05/01 %02d:%02d:%02d,,2024/05/01 %02d:%02d:%02d,不成立,,2002,2001,2002,,,,018\n", i/3600%24, i/60%60, i%60, i/3600%24, i/60%60, i%60 }'; }
before_big="$(records) $(q 'select count(*) from cdr_files') $(q 'select count(*) from audit')"
big_rows 90000 >"$TMP/big-bad.csv"
echo '2024/05/01 25:00:00,,,不成立,,2002,2001,2002,,,,018' >>"$TMP/big-bad.csv"
check "a bad last record after two committed chunks is refused" run_ctl 1 cdr load $D "$TMP/big-bad.csv"
check "... names its row" grep -q '90001' "$TMP/err"
check "... and nothing of the file stays (records, files, audit)" \
  test "$(records) $(q 'select count(*) from cdr_files') $(q 'select count(*) from audit')" = "$before_big"
big_rows 90000 >"$TMP/big.csv"
check "a 90,000-record load" run_ctl 0 cdr load $D "$TMP/big.csv"
check "... fills the day's part 1 and goes on in parts 2 and 3" \
  test "$(q "select part||':'||records from cdr_files where day='2024-05-01' order by part" | paste -sd' ')" = "1:40000 2:40000 3:10000"
check "... one audit entry per part" \
  test "$(q "select object||' '||coalesce(before,'-')||' '||after from audit where action='cdr.load' order by id desc limit 3" | paste -sd,)" = "2024-05-01/3 - records=10000,2024-05-01/2 - records=40000,2024-05-01/1 - records=40000"
q "delete from cdr; delete from cdr_files"

# Demo traffic on the demo site.
check "demo site" run_ctl 0 demo
# Demo records stop at the present: late in the day, so that today is
# (almost) whole; a call still going on at 23:59:59 is left out.
late=$(date -d "$(date +%F) 23:59:59" +%s)
late_ctl() { KASCON_NOW=$late run_ctl "$@"; }
check "cdr demo" late_ctl 0 cdr demo demo.example.jp --days 3 --per-day 300
check "... 3 files of 300 (today's up to now)" test "$(q "select count(*)||'/'||sum(case when records between 298 and 300 then 1 else 0 end) from cdr_files f join sites s on s.id=f.site_id where s.domain='demo.example.jp'")" = "3/3"
check "... answered and unanswered" test "$(q "select count(distinct completed) from cdr")" = 2
check "... several causes" test "$(q "select count(distinct cause) from cdr")" -ge 5
check "... office hours busier than night" test "$(q "select count(*) from cdr where substr(call_time,12,2) between '09' and '17'")" -gt "$(q "select 5*count(*) from cdr where substr(call_time,12,2) < '07'")"
check "... between the site's extensions" test "$(q "select count(*) from cdr where caller between '2001' and '2180' and length(caller)=4")" -gt 0
check "demo more than 40,000 a day makes parts" late_ctl 0 cdr demo demo.example.jp --days 1 --per-day 40001
check "... part 2 of today" bash -c "'$KASCONCTL' cdr list demo.example.jp | grep -qE '	2	[0-9]+\$'"
done_testing

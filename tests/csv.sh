#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bulk register, delete and export with Excel CSV files (doc/spec.md §4): every
# FAQ §7 cause on its row and column, nothing changed on refusal, round trip.
. "${top_srcdir:-.}/tests/lib.sh"
K() { "$KASCONCTL" "$@"; }
D=t.example.jp
K site add $D --capacity 12 --site-number 81 >/dev/null
K line add $D 09011110001 09011110002 09011110003 08011110004 08011110005 07011110006 >/dev/null
echo secret12 | K admin add $D admin >/dev/null

# A CP932 file as Excel writes it: CRLF, Japanese nowhere needed but allowed.
printf '2001,09011110001,0000000000,,,0,0,web2001,abcd1234,0\r\n2002,09011110002,000000000000,sip2002,pw2002,0,0,web2002,efgh5678,0\r\n' >"$TMP/ok.csv"
check "10-column CP932 file imports" run_ctl 0 ext import $D "$TMP/ok.csv"
check "... with a summary" grep -q '2 profiles created, 2 mobiles assigned' "$TMP/out"
check "web passwords stored as yescrypt hashes" test "$(sqlite3 "$KASCON_DB" "select count(*) from extensions where web_pw_hash like '\$y\$%'")" = 2
check "empty SIP ID and password take the extension" test "$(sqlite3 "$KASCON_DB" "select sip_id||'/'||sip_password from extensions where ext='2001'")" = 2001/2001
check "the import is one audit entry: file, rows, checksum, who" \
  test "$(q "select action||' '||object||' '||actor||' '||after from audit where action like 'bulk.%'")" = \
  "bulk.register ok.csv operator rows=2 created=2 assigned=2 deleted=0 sha256=$(sha256sum <"$TMP/ok.csv" | cut -d' ' -f1)"
check "... with its rows, compact" \
  test "$(q "select group_concat(row||' '||action||' '||object||' '||detail, ',') from audit_rows")" = \
  "1 ext.add 2001 09011110001,2 ext.add 2002 09011110002"

# 2-column form, UTF-8 with BOM, quoted fields and trailing blanks.
printf '\xef\xbb\xbf"2003" , 09011110003 \n' >"$TMP/two.csv"
check "2-column UTF-8 (BOM) file with quotes and blanks imports" run_ctl 0 ext import $D "$TMP/two.csv"
check "... and the encoding is told" grep -q 'encoding: UTF-8 (BOM)' "$TMP/out"

before=$(db_hash)
# One bad file with every cause, each on its own row and column.
{
  printf '2004,9011110003\r\n'                                   # 1 B 113
  printf '2005,9.01E+09\r\n'                                     # 2 B 114
  printf '2006,07099999999\r\n'                                  # 3 B 115
  printf '2001,08011110004,0000000000,,,0,0,webx,abcd1234,0\r\n' # 4 A 233 (database)
  printf '2007,08011110004\r\n2007,08011110005\r\n'              # 5-6: 6 A 233 (file), 
  printf '2008,08011110005,0000000000,sip2002,,0,0,webz,abcd1234,0\r\n' # 7 D 234
  printf '2009,,0000000000,,,0,0,web2001,abcd1234,0\r\n'         # 8 H 235
  printf '\x82\x51\x82\x4f\x82\x50\x82\x4f,07011110006\r\n'      # 9 A 103 (full-width ２０１０)
  printf '2011,07011110006,0\r\n'                                # 10 - 305
  printf '200,07011110006\r\n'                                   # 11 A 141 (extension 2001)
  printf '2012,07011110006,1111111111,,,0,0,webq,abcd1234,0\r\n' # 12 C 306
  printf '2013,,0000000000,,,0,0,webr,abcdefgh,0\r\n'            # 13 I 125
} >"$TMP/bad.csv"
check "bad file refused (exit 1)" run_ctl 1 ext import $D "$TMP/bad.csv"
grep -E '^[0-9-]+:[A-J-]: [0-9]{3} ' "$TMP/err" >"$TMP/problems"
has() { grep -q "^$1: $2 " "$TMP/problems" || { echo "# missing $1 $2"; sed 's/^/#   /' "$TMP/problems"; return 1; }; }
check "CP932 detected" grep -q 'encoding: Shift_JIS (CP932)' "$TMP/out"
check "leading 0 dropped: 1:B 113" has 1:B 113
check "... with an Excel hint" grep -q 'Excel drops leading zeros' "$TMP/err"
check "9.01E+09: 2:B 114" has 2:B 114
check "not provisioned: 3:B 115" has 3:B 115
check "duplicate against the database: 4:A 233" has 4:A 233
check "duplicate within the file: 6:A 233" has 6:A 233
check "... 233 is the guide's duplicate-registration error" grep -q '^6:A: 233 parameter error (duplicate registration)' "$TMP/err"
check "duplicate SIP ID: 7:D 234" has 7:D 234
check "duplicate web user: 8:H 235" has 8:H 235
check "full-width characters: 9:A 103" has 9:A 103
check "wrong column count: 10:- 305" has 10:- 305
check "prefix collision: 11:A 141" has 11:A 141
check "... naming the colliding extension" grep -q '^11:A: 141 .*"2001"' "$TMP/err"
check "reserved field: 12:C 306" has 12:C 306
check "web password without a digit: 13:I 125" has 13:I 125
check "every problem in one pass (14+)" test "$(wc -l <"$TMP/problems")" -ge 14
check "nothing changed, byte for byte" test "$before" = "$(db_hash)"

printf 'PK\003\004\024\000\006\000rest' >"$TMP/book.xlsx"
check "an .xlsx is refused before any row" run_ctl 1 ext import $D "$TMP/book.xlsx"
check "... as 301" grep -q '^-:-: 301 ' "$TMP/err"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest' >"$TMP/enc.csv"
check "an encrypted Office file is refused as 302" bash -c "'$KASCONCTL' ext import $D '$TMP/enc.csv' 2>&1 | grep -q '^-:-: 302 '"
printf '2014,07011110006\n2015,\x85\x00x\n' >"$TMP/bin.csv"
check "binary data refused" run_ctl 1 ext import $D "$TMP/bin.csv"
printf '2014,07011110006\n2015,\x81\x00\n' >"$TMP/undec.csv"
printf '2014,07011110006\n"2015,07011110006\n' >"$TMP/quote.csv"
check "unbalanced quote refused (307)" bash -c "'$KASCONCTL' ext import $D '$TMP/quote.csv' 2>&1 | grep -q ' 307 '"
check "still nothing changed" test "$before" = "$(db_hash)"

# Capacity: 12 in the contract, 3 used; ten new rows: the tenth is over.
for i in $(seq 0 9); do printf '30%02d,,0000000000,,,0,0,cap%d,abcd1234,0\n' $i $i; done >"$TMP/cap.csv"
check "capacity exceeded refused" run_ctl 1 ext import $D "$TMP/cap.csv"
check "... on the first row over (10:- 151)" grep -q '^10:-: 151 ' "$TMP/err"
printf '2016,,0000000000,,,0,0,web2016,abcd1234,0\n' >"$TMP/dry.csv"
check "--dry-run checks a valid file" run_ctl 0 ext import --dry-run $D "$TMP/dry.csv"
check "... says what would happen" grep -q '1 profiles would be created' "$TMP/out"
check "... and changes nothing" test "$before" = "$(db_hash)"

# Export lists exactly what was imported (the web password aside).
check "export (CP932 by default)" run_ctl 0 ext export $D -o "$TMP/export.csv"
check "export lines end in CRLF" bash -c "head -1 '$TMP/export.csv' | od -c | grep -q '\\\\r  \\\\n'"
check "export has every imported value but the web password" \
  bash -c "grep -q '^2002,09011110002,0000000000,sip2002,pw2002,0,0,web2002,,0' '$TMP/export.csv'"
check "export to stdout in UTF-8" bash -c "'$KASCONCTL' ext export $D --encoding utf-8 | grep -q '^2003,09011110003,'"

# Delete: the export's first three columns are the delete format.
printf '2002,08011110004,0000000000\r\n' >"$TMP/mismatch.csv"
check "delete of a pair that does not match is refused" run_ctl 1 ext delete $D "$TMP/mismatch.csv"
check "... 1:B 244" grep -q '^1:B: 244 ' "$TMP/err"
K pickup add $D 1 >/dev/null 2>&1; K pickup member add $D 1 2003 >/dev/null 2>&1
check "delete of a group member is refused, naming the group" bash -c "'$KASCONCTL' ext delete $D '$TMP/export.csv' 2>&1 | grep -q '^3:A: 243 .*pickup group 1'"
K pickup member remove $D 1 2003 >/dev/null 2>&1
check "the export file deletes everything it lists" run_ctl 0 ext delete $D "$TMP/export.csv"
check "... 3 profiles deleted" grep -q '3 profiles deleted, 3 mobiles unassigned' "$TMP/out"
check "... and the mobiles are free again" test "$(K line list $D --unassigned | wc -l)" = 6
check "bulk changes are audited: one entry" test "$(q "select count(*) from audit where action='bulk.delete' and object='export.csv' and after like 'rows=3 %'")" = 1
check "... and its three rows" test "$(q "select count(*) from audit_rows r join audit a on a.id = r.audit_id where a.action='bulk.delete' and r.action='ext.delete'")" = 3
printf '2001,09011110001,0000000000,,,0,0,web2001,abcd1234,0\n' | K ext import $D - >/dev/null 2>&1
check "import from standard input" test "$(sqlite3 "$KASCON_DB" "select count(*) from extensions where ext='2001'")" = 1
done_testing

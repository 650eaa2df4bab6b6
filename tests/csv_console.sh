#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 一括登録, 一括削除 and 一括出力 in the console, in English and Japanese.
. "${top_srcdir:-.}/tests/tmux.sh"
D=t.example.jp
"$KASCONCTL" site add $D --capacity 20 --site-number 81 >/dev/null
echo secret12 | "$KASCONCTL" admin add $D admin >/dev/null
"$KASCONCTL" line add $D 09011110001 09011110002 09011110003 >/dev/null
mkdir -p "$TMP/files"
printf '2001,9011110001\r\n2002,07099999999\r\n' | iconv -t CP932 >"$TMP/files/bad-register.csv"
printf '2001,09011110001,0000000000,,,0,0,web2001,abcd1234,0\r\n2002,09011110002\r\n' >"$TMP/files/good-register.csv"

to_bulk() { # N: the item of 内線番号管理
  keys 2; wait_for "$1" >/dev/null; keys 1; keys "$2"
}
run_locale() {
  local lang=$1
  if [ "$lang" = C.UTF-8 ]; then
    L_MAIN="Main menu"; L_EXT="Extension number management"; L_PROBLEMS="problems in the file"
    L_DONE="Registered from 2 rows"; L_EXPORTED="profiles written to"; L_DELETED="Deleted from 2 rows"; L_ROWS="Rows (the first ones):"
    L_AUDITDEL="Bulk delete"; L_ROWDEL="Extension profile deleted"
    L_ASKDEL="The file deletes 2 extension profiles"
  else
    L_MAIN="メインメニュー"; L_EXT="内線番号管理"; L_PROBLEMS="件のエラーがあります"
    L_DONE="から一括登録しました"; L_EXPORTED="内線番号プロフィール 2 件を"; L_DELETED="から一括削除しました"; L_ROWS="行（先頭から）:"
    L_AUDITDEL="一括削除"; L_ROWDEL="内線番号プロフィール削除"
    L_ASKDEL="内線番号プロフィール 2 件を削除します"
  fi
  start_console "$lang"
  await_login; type_text $D; keys Tab; type_text admin; keys Tab; type_text secret12; keys Enter
  check "$lang: logged in" wait_for "$L_MAIN"
  keys 2; wait_for "$L_EXT" >/dev/null; keys 1; keys 3
  type_text "$TMP/files/bad-r"; keys Tab
  check "$lang: Tab completes the file name" wait_for "bad-register.csv"
  keys F2
  check "$lang: every problem is listed" wait_for "$L_PROBLEMS"
  check "$lang: ... row 1 column B code 113" eventually bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep -Eq '^ +1 B +113'"
  check "$lang: ... row 2 column B code 115" eventually bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep -Eq '^ +2 B +115'"
  check "$lang: nothing was registered" test "$(q 'select count(*) from extensions')" = 0
  keys C-u; type_text "$TMP/files/good-register.csv"; keys F2
  check "$lang: a valid file is registered" wait_for "$L_DONE"
  check "$lang: ... both profiles are there" test "$(q 'select count(*) from extensions')" = 2
  keys Escape; keys 5
  keys C-u; type_text "$TMP/files/export-$lang.csv"; keys F2
  check "$lang: bulk export writes the file" wait_for "$L_EXPORTED"
  check "$lang: ... in CP932 with every profile" test "$(grep -c '^200[12],0901111000[12],0000000000' "$TMP/files/export-$lang.csv")" = 2
  keys Escape; keys 4
  keys C-u; type_text "$TMP/files/export-$lang.csv"; keys F2
  check "$lang: bulk delete names how many profiles go and asks" wait_for "$L_ASKDEL"
  keys y
  check "$lang: bulk delete with the export file" wait_for "$L_DELETED"
  check "$lang: ... no profile left" test "$(q 'select count(*) from extensions')" = 0
  keys Escape Escape Escape; wait_for "$L_MAIN" >/dev/null; keys 3 4
  check "$lang: the audit log shows the bulk delete as one entry" wait_for "$L_AUDITDEL"
  keys Enter
  check "$lang: ... and Enter shows its rows" wait_for "$L_ROWS"
  check "$lang: ... with its identifier" wait_for "(bulk.delete)"
  check "$lang: ... each row with its extension and mobile" wait_for "$L_ROWDEL 2001 09011110001"
}
run_locale C.UTF-8
run_locale ja_JP.UTF-8
done_testing

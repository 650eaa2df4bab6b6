#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The console's lists, in English and Japanese: 未割当番号表示 searched and a
# mobile assigned from it (guide §3.5 補足), lists and counters that follow a
# change made by another session (kasconctl here) without a key, the
# audit log naming operations in the user's language, and the ■実行結果 area
# keeping its height whatever the message.
. "${top_srcdir:-.}/tests/tmux.sh"

D=t.example.jp
login() { await_login; type_text $D; keys Tab; type_text admin; keys Tab; type_text secret12; keys Enter; }
# mobile_of EXT: the mobile kasconctl lists for the extension ("-": none).
mobile_of() { "$KASCONCTL" ext list $D | awk -F'\t' -v e="$1" '$1 == e { print $3 }'; }
# The line under the list's header that counts (未割当番号: N件, 登録数: N).
shows() { screen | grep -qF -- "$1"; }
lacks() { ! screen | grep -qF -- "$1"; }

setup() {
  remove_db
  "$KASCONCTL" init >/dev/null
  "$KASCONCTL" site add $D --capacity 20 --site-number 81 >/dev/null
  echo secret12 | "$KASCONCTL" admin add $D admin >/dev/null
  "$KASCONCTL" line add $D 09011110001 09011110002 09022220001 >/dev/null
  printf '2001,,0000000000,,,0,0,u2001,abcd2001,0\r\n2002,,0000000000,,,0,0,u2002,abcd2002,0\r\n' \
    >"$TMP/two.csv"
  "$KASCONCTL" ext import $D "$TMP/two.csv" >/dev/null
}

run_locale() {
  local lang=$1
  if [ "$lang" = C.UTF-8 ]; then
    L_MAIN="Main menu"; L_COUNT="Unassigned numbers:"; L_NONE="No unassigned number begins with 0903"
    L_ASSIGNED="Mobile 09022220001 has been assigned to extension 2001."
    L_REG="Registered: "; L_OP="Mobile number assigned"; L_EXTFIELD="Extension number"
    L_EMPTY="(no entries)"
  else
    L_MAIN="メインメニュー"; L_COUNT="未割当番号:"; L_NONE="0903 で始まる未割当番号はありません"
    L_ASSIGNED="内線番号 2001 に携帯番号 09022220001 を割り当てました。"
    L_REG="登録数: "; L_OP="携帯番号割り当て"; L_EXTFIELD="内線番号"
    L_EMPTY="(該当なし)"
  fi
  setup
  start_console "$lang"
  login
  check "$lang: logged in" wait_for "$L_MAIN"
  keys 2; keys 1; keys 6
  check "$lang: 未割当番号表示 counts the three free numbers" wait_for "$L_COUNT 3"
  check "$lang: ... and lists them" wait_for "09022220001"

  # Search by the first digits, from the list (a digit starts a search).
  type_text 0902; keys Enter
  check "$lang: the search lists the numbers beginning with 0902" wait_gone "09011110001"
  check "$lang: ... and only those" shows "09022220001"
  keys Tab; keys C-u; type_text 0903; keys F3
  check "$lang: a search that finds nothing says so" wait_for "$L_NONE"
  keys Tab; keys C-u; type_text ０９０２; keys Enter
  check "$lang: full-width digits search as half-width" wait_for "09022220001"
  check "$lang: ... and the message of the empty search is gone" wait_gone "$L_NONE"

  # Enter on the number opens 新規登録 with it filled in.
  keys Enter
  check "$lang: Enter on a number opens the assignment with the number" \
    eventually eval 'screen | grep -F "$L_EXTFIELD" >/dev/null && screen | grep -qF 09022220001'
  type_text 2001; keys F2
  check "$lang: assigned: back on the list with the result" wait_for "$L_ASSIGNED"
  check "$lang: ... stored as typed" eventually eval 'test "$(mobile_of 2001)" = 09022220001'
  check "$lang: ... the number has left the list" wait_for "$L_EMPTY"
  check "$lang: ... and the count follows" wait_for "$L_COUNT 2"

  # Another session assigns a number: the list and its count follow
  # without a key.
  keys Tab; keys C-u; keys Enter
  check "$lang: an empty search lists every free number" wait_for "09011110002"
  printf '2003,09011110002,0000000000,,,0,0,u2003,abcd2003,0\r\n' >"$TMP/one.csv"
  "$KASCONCTL" ext import $D "$TMP/one.csv" >/dev/null
  check "$lang: a number assigned elsewhere leaves the list" wait_gone "09011110002"
  check "$lang: ... and the count follows" wait_for "$L_COUNT 1"

  # The profile list and its 登録数 follow another session too.
  keys Escape; keys Escape; keys Escape; keys 1; keys 1; keys 1
  check "$lang: the profile list counts three" wait_for "${L_REG}3"
  printf '2004,,0000000000,,,0,0,u2004,abcd2004,0\r\n' >"$TMP/four.csv"
  "$KASCONCTL" ext import $D "$TMP/four.csv" >/dev/null
  check "$lang: a profile registered elsewhere shows" wait_for "u2004"
  check "$lang: ... and is counted" wait_for "${L_REG}4"

  # The audit log names the operation in the user's language.
  keys Escape; keys Escape; keys Escape; keys 3; keys 4
  check "$lang: the audit log names the assignment" wait_for "$L_OP"
  check "$lang: ... not by its identifier" lacks "ext.assign"
  check "$lang: the identifier stays in kasconctl's output" \
    bash -c "'$KASCONCTL' audit list $D 2>/dev/null | grep -q ext.assign || sqlite3 -cmd '.timeout 10000' '$KASCON_DB' \"select action from audit\" | grep -q ext.assign"
}

# The row of the ■Result heading, and the text of the line n below it.
result_row() { screen | grep -n $'\xe2\x96\xa0' | cut -d: -f1; }
result_text() { screen | sed -n "$(($(result_row) + $1))p" | sed 's/ *$//'; }

result_area() {
  local lang=$1
  setup
  start_console "$lang"
  login
  wait_for "$L_MAIN" >/dev/null
  keys 2; keys 1; keys 1
  wait_for "$L_MOBILE" >/dev/null
  local row; row=$(result_row)
  # A mobile that lost its leading zero: the problem and Excel's hint
  # take two lines.
  type_text 2001; keys Tab; type_text 9011110001; keys F2
  check "$lang: a problem with a hint is shown" wait_for "113"
  check "$lang: ... on two lines" eventually eval 'test -n "$(result_text 2)"'
  check "$lang: ... below a heading that has not moved" test "$(result_row)" = "$row"
  keys C-u; type_text 09011110001; keys F2
  check "$lang: a one-line result after it" eventually eval 'result_text 1 | grep -qF 09011110001'
  check "$lang: ... leaves nothing of the longer one" test -z "$(result_text 2)"
  check "$lang: ... and the heading stays" test "$(result_row)" = "$row"
}

run_locale C.UTF-8
run_locale ja_JP.UTF-8
L_MAIN="Main menu"; L_MOBILE="Mobile number"; result_area C.UTF-8
L_MAIN="メインメニュー"; L_MOBILE="携帯番号"; result_area ja_JP.UTF-8
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 通信履歴 in the console: the secret question (set, three wrong answers,
# the lock lifting after 60 minutes), the files, paging, filters, a
# record's fields, and 取得 compared with what was loaded.
. "${top_srcdir:-.}/tests/tmux.sh"
D=t.example.jp
"$KASCONCTL" site add $D --capacity 20 --site-number 81 >/dev/null
echo secret12 | "$KASCONCTL" admin add $D admin >/dev/null
# The day of the records, read once: a run that passes midnight still
# looks for the day it loaded.
now=$(date +%s)
today=$(date -d "@$now" +%Y/%m/%d) today_iso=$(date -d "@$now" +%Y-%m-%d)
for i in $(seq 10 69); do
  printf '%s 09:%02d:00,%s 09:%02d:05,%s 09:%02d:50,成立,,0312340000,03999900%02d,2001,,,2001,016\r\n' \
    "$today" "$i" "$today" "$i" "$today" "$i" "$i"
done | sed 's/09:6\([0-9]\)/10:0\1/g' >"$TMP/day.csv"
"$KASCONCTL" cdr load $D "$TMP/day.csv" >/dev/null
check "60 records loaded for today" test "$(q 'select sum(records) from cdr_files')" = 60

login() { await_login; type_text $D; keys Tab; type_text admin; keys Tab; type_text secret12; keys Enter; }
# audited N ACTION: the audit log has at least N entries ACTION (an answer
# the console has judged: the screen reads the same after each refusal).
audited() { test "$(q "select count(*) from audit where action='$2'")" -ge "$1"; }
run_locale() {
  local lang=$1 question=$2
  if [ "$lang" = C.UTF-8 ]; then
    L_MAIN="Main menu"; L_NOSECRET="no secret question is set"; L_SET="The secret question has been set."
    L_WRONG="the answer to the secret question is wrong"; L_LOCKED="call history is locked"
    L_NORMAL="016 normal cleari"; L_WRITTEN="records written to"; L_FILTER="Filter applied."; L_FULLCAUSE="Disconnecting party: 2001"
    L_NOSUCH="no such date or time"; L_RANGE="start of the period is after its end"; L_FROM="From ("; L_TO="To:"
    L_FIRST="type one and its answer"; L_CURRENT="Current answer"; L_NEWQ="New secret question"
  else
    L_MAIN="メインメニュー"; L_NOSECRET="秘密の質問が設定されていません"; L_SET="秘密の質問を設定しました。"
    L_WRONG="秘密の質問の回答が正しくありません"; L_LOCKED="ロックされています"
    L_NORMAL="016 通話後の切断"; L_WRITTEN="件を"; L_FILTER="絞り込みました。"; L_FULLCAUSE="切断者番号: 2001"
    L_NOSUCH="存在しない日付または時刻です"; L_RANGE="開始日時が終了日時より後"; L_FROM="開始日時("; L_TO="終了日時:"
    L_FIRST="秘密の質問と回答を入力してください"; L_CURRENT="現在の回答"; L_NEWQ="新しい秘密の質問"
  fi
  "$KASCONCTL" secret reset $D >/dev/null
  KASCON_NOW= start_console "$lang"
  login
  check "$lang: logged in" wait_for "$L_MAIN"
  keys 1; keys 7; keys 1
  check "$lang: no secret question yet: told to set one" wait_for "$L_NOSECRET"
  # 認証設定変更 is a key of 通信履歴参照, as the guide's button (§6.3).
  keys F6
  # The guide's first setting asks for the question and its answer only.
  check "$lang: 認証設定変更 asks for a question and its answer" wait_for "$L_FIRST"
  check "$lang: ... not for a current answer" eval '! screen | grep -qF "$L_CURRENT"'
  type_text "$question"; keys Tab; type_text "答え42"; keys Enter
  check "$lang: secret question set (Japanese allowed)" wait_for "$L_SET"
  check "$lang: ... the form then asks for the current answer" wait_for "$L_CURRENT"
  check "$lang: ... and a new question" wait_for "$L_NEWQ"
  check "$lang: ... the answer stored only as a hash" bash -c "! sqlite3 -cmd '.timeout 10000' '$KASCON_DB' .dump | grep -q '答え42'"
  keys Escape
  check "$lang: the question is asked" wait_for "$question"
  for i in 1 2; do type_text "wrong$i"; keys Enter; done
  check "$lang: a wrong answer is refused" wait_for "$L_WRONG"
  type_text "wrong3"; keys Enter
  check "$lang: the third wrong answer locks the call history" wait_for "$L_LOCKED"
  local refused
  refused=$(q "select count(*) from audit where action='secret.refused_locked'")
  type_text "答え42"; keys Enter
  check "$lang: ... even the right answer, while locked" \
    eventually audited $((refused + 1)) secret.refused_locked
  check "$lang: ... saying it is locked" wait_for "$L_LOCKED"
  # 61 minutes later the lock has lifted.
  KASCON_NOW=$((now + 3660)) start_console "$lang"
  login
  wait_for "$L_MAIN" >/dev/null
  keys 1; keys 7; keys 1
  type_text "答え42"; keys Enter
  check "$lang: after 60 minutes the right answer opens the files" wait_for "$today_iso"
  keys Enter
  check "$lang: the viewer shows the first records" wait_for "0399990010"
  check "$lang: causes are explained" wait_for "$L_NORMAL"
  keys NPage; keys NPage; keys NPage
  check "$lang: PgDn pages to later records" wait_for "0399990055"
  keys F4; keys Tab; keys Tab; type_text 0399990042; keys F4
  check "$lang: the filter is applied" wait_for "$L_FILTER"
  check "$lang: ... the matching record is shown" wait_for "0399990042"
  check "$lang: ... and no other" wait_gone "0399990041"
  # The period is checked by the core: no such day, no month 13, from after to.
  keys F4; keys BTab; keys BTab; type_text 2026-02-30; keys F4
  check "$lang: 2026-02-30 is refused" wait_for "$L_NOSUCH"
  check "$lang: ... the result line names the from field" eventually eval 'result_line | grep -qF "$L_FROM"'
  keys C-u; type_text 2026-03-02; keys Tab; type_text 2026-13-01; keys F4
  check "$lang: 2026-13-01 is refused ... naming the to field" eventually eval 'result_line | grep -qF "$L_TO"'
  keys C-u; type_text 2026-03-01; keys F4
  check "$lang: from after to is refused" wait_for "$L_RANGE"
  # The focus is on the from field, the one refused.
  keys C-u; keys Tab; keys C-u; keys F4
  check "$lang: empty dates filter again" wait_for "$L_FILTER"
  check "$lang: ... the matching record is shown again" wait_for "0399990042"
  keys Enter
  check "$lang: a record's twelve fields" wait_for "$L_FULLCAUSE"
  keys Enter
  keys F5
  keys C-u; type_text "$TMP/got-$lang.csv"; keys F2
  check "$lang: download writes the file" wait_for "$L_WRITTEN"
  check "$lang: ... the same records as loaded (CP932, CRLF)" \
    bash -c "iconv -f CP932 -t UTF-8 '$TMP/got-$lang.csv' | cmp -s - '$TMP/day.csv'"
}
run_locale C.UTF-8 "First pet?"
run_locale ja_JP.UTF-8 "最初のペットの名前は?"
done_testing

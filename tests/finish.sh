#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every screen finishes what it starts, in English and Japanese: 新規登録
# asks for the web console login (guide §3.4), a save with nothing
# changed writes nothing, destructive actions ask naming what goes, lists
# and counters are fresh after an action, and the guide's words are used.
# Also the 9-column register row and the 92-day window of the call history.
. "${top_srcdir:-.}/tests/tmux.sh"

D=t.example.jp
"$KASCONCTL" site add $D --capacity 20 --site-number 81 >/dev/null
echo 'secret12' | "$KASCONCTL" admin add $D admin >/dev/null
"$KASCONCTL" line add $D 09011110001 09011110002 >/dev/null

login() { type_text $D; keys Tab; type_text admin; keys Tab; type_text secret12; keys Enter; }
version() { q "select version from extensions where ext='$1'"; }
audits() { q "select count(*) from audit"; }

run_locale() {
  local lang=$1 ext=$2
  if [ "$lang" = C.UTF-8 ]; then
    L_LOGIN="Site domain name"; L_ADMIN_USER="Administrator user name"; L_MAIN="Main menu"
    L_REG="Registered:"; L_REQUIRED="a value is required"; L_DONE="has been registered"
    L_STEP2="Extension details"; L_TYPE="Terminal type Mobile phone"
    L_UNCHANGED="Nothing has been changed"; L_ASKDEL="The file deletes 1 extension profile"
    L_NODEL="Nothing was deleted"; L_DELETED="Deleted from 1 rows"; L_HOLDDEL="Delete the hold code?"
    L_SENDSET="Set the DTMF-send code to *5?"; L_SENDDEL="Delete the DTMF-send code?"
    L_NEWQ="New secret question"; L_SECRETSET="The secret question has been set"
    L_REGISTERED1="Registered: 1"; L_HOLDSET="hold code has been set"
    L_HOLDGONE="The hold code has been deleted"
  else
    L_LOGIN="拠点ドメイン名"; L_ADMIN_USER="管理者ユーザー名"; L_MAIN="メインメニュー"
    L_REG="登録数:"; L_REQUIRED="値を入力してください"; L_DONE="を登録しました"
    L_STEP2="内線詳細設定"; L_TYPE="端末種別 携帯電話"
    L_UNCHANGED="変更がないため"; L_ASKDEL="内線番号プロフィール 1 件を削除します"
    L_NODEL="何も削除していません"; L_DELETED="から一括削除しました"; L_HOLDDEL="保留特番を削除しますか"
    L_SENDSET="送出特番を *5 に設定しますか"; L_SENDDEL="送出特番を削除しますか"
    L_NEWQ="新しい秘密の質問"; L_SECRETSET="秘密の質問を設定しました"
    # (Not 保留特番を alone: the form's notes read 保留特番を削除します.)
    L_REGISTERED1="登録数: 1"; L_HOLDSET="保留特番を #7 に設定しました"
    L_HOLDGONE="保留特番を削除しました"
  fi
  start_console "$lang"
  check "$lang: the login screen says $L_ADMIN_USER (guide §2.5)" wait_for "$L_ADMIN_USER"
  login
  wait_for "$L_MAIN" >/dev/null
  keys 1; keys 1; keys 1; wait_for "$L_REG" >/dev/null
  # 新規登録: the web console user name and password are required.
  keys F2; wait_for "1/2" >/dev/null
  check "$lang: 新規登録 shows the terminal type" wait_for "$L_TYPE"
  type_text "$ext"; keys Enter
  check "$lang: step 2 is the guide's ④内線詳細設定" wait_for "$L_STEP2"
  keys F2
  check "$lang: the web console user name is required" wait_for "$L_REQUIRED"
  check "$lang: ... nothing registered" test "$(q "select count(*) from extensions where ext='$ext'")" = 0
  # The focus is on the first field named.
  type_text "w$ext"; keys Tab; type_text "pass$ext"; keys F2
  check "$lang: registered with the web console login" wait_for "$L_DONE"
  keys Escape
  check "$lang: back on the list, the counter counts it" wait_for "$L_REGISTERED1"
  check "$lang: ... and the list shows it" wait_for "w$ext"
  check "$lang: ... and the result of 新規登録 is not carried over" wait_gone "$L_DONE"
  # Saving with nothing changed writes nothing.
  keys C-u; type_text "$ext"; keys Enter; wait_for "w$ext" >/dev/null; keys Enter
  wait_for "$L_TYPE" >/dev/null
  before=$(version "$ext"); audit_before=$(audits)
  keys F2
  check "$lang: a save with nothing changed says so" wait_for "$L_UNCHANGED"
  check "$lang: ... and writes nothing" test "$(version "$ext"):$(audits)" = "$before:$audit_before"
  keys Escape; wait_for "$L_REG" >/dev/null
  keys Escape; keys Escape; keys Escape; wait_for "$L_MAIN" >/dev/null
  # 一括削除 names how many profiles the file deletes, and No deletes nothing.
  printf '%s,,0000000000\r\n' "$ext" >"$TMP/del-$lang.csv"
  keys 2; keys 1; keys 4
  keys C-u; type_text "$TMP/del-$lang.csv"; keys F2
  check "$lang: 一括削除 asks, naming how many profiles go" wait_for "$L_ASKDEL"
  keys n
  check "$lang: ... No deletes nothing" wait_for "$L_NODEL"
  check "$lang: ... the profile is still there" test "$(q "select count(*) from extensions where ext='$ext'")" = 1
  keys F2; wait_for "$L_ASKDEL" >/dev/null; keys y
  check "$lang: ... Yes deletes it" wait_for "$L_DELETED"
  check "$lang: ... gone from the database" test "$(q "select count(*) from extensions where ext='$ext'")" = 0
  keys Escape; keys Escape
  # 保留特番: deleting asks.
  keys 2; keys C-u; type_text '#7'; keys F2
  check "$lang: a hold code is set" wait_for "$L_HOLDSET"
  keys C-u; keys F2
  check "$lang: deleting the hold code asks" wait_for "$L_HOLDDEL"
  check "$lang: ... No closes it" answer n
  check "$lang: ... No keeps it" test "$(q "select hold_code from sites")" = '#7'
  keys F2; wait_for "$L_HOLDDEL" >/dev/null; keys y
  check "$lang: ... Yes deletes it" wait_for "$L_HOLDGONE"
  check "$lang: ... gone from the database" test -z "$(q "select hold_code from sites")"
  keys Escape; keys Escape; wait_for "$L_MAIN" >/dev/null
  # 送出特番: setting asks as the guide's dialog, deleting too.
  keys 1; keys 6; keys 2
  keys C-u; type_text '*5'; keys F2
  check "$lang: setting the DTMF-send code asks" wait_for "$L_SENDSET"
  keys y
  check "$lang: ... and sets it" bash -c "for i in \$(seq 300); do test \"\$(sqlite3 -cmd '.timeout 5000' '$KASCON_DB' 'select dtmf_send_code from sites')\" = '*5' && exit 0; sleep 0.1; done; exit 1"
  keys C-u; keys F2
  check "$lang: deleting the DTMF-send code asks" wait_for "$L_SENDDEL"
  keys y
  keys Escape; keys Escape; keys Escape; wait_for "$L_MAIN" >/dev/null
  # 認証設定変更: 新しい秘密の質問 once a question is set (guide §6.3).
  keys 1; keys 7; keys 1; keys F6
  keys C-u; type_text "q$lang"; keys Tab; type_text "a$lang"; keys F2
  check "$lang: the secret question is set" wait_for "$L_SECRETSET"
  check "$lang: ... and the form now asks for $L_NEWQ" wait_for "$L_NEWQ"
  keys Escape; keys Escape; keys Escape; keys Escape; wait_for "$L_MAIN" >/dev/null
  "$KASCONCTL" secret reset $D >/dev/null
}

run_locale C.UTF-8 2001
run_locale ja_JP.UTF-8 3001

# A 9-column register row: column J (予約番号4) is optional.
printf '2101,09011110001,0000000000,,,0,0,nine,abcd1234\r\n' >"$TMP/nine.csv"
check "a 9-column register row is accepted (J optional)" run_ctl 0 ext import $D "$TMP/nine.csv"
check "... and registered" test "$(q "select count(*) from extensions where ext='2101'")" = 1

# The call history's 92 days: an older file is never listed or shown,
# whether or not the daily purge has run.
site=$(q "select id from sites where domain='$D'")
q "insert into cdr_files (site_id, day, part, records) values ($site, '2000-01-01', 1, 0)"
"$KASCONCTL" cdr list $D >"$TMP/cdr-list" 2>&1
check "a call-history file older than 92 days is not listed" bash -c "! grep -q 2000-01-01 '$TMP/cdr-list'"
check "... nor shown" run_ctl 1 cdr show $D 2000-01-01
done_testing

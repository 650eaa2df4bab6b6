#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The console driven as a person would, in tmux, in English and Japanese:
# log in, register a profile, assign a mobile, find both, field errors,
# lockout, expired password, resize mid-form.
. "${top_srcdir:-.}/tests/tmux.sh"

"$KASCONCTL" site add t.example.jp --capacity 20 --site-number 81 >/dev/null
echo 'secret12' | "$KASCONCTL" admin add t.example.jp admin >/dev/null
"$KASCONCTL" line add t.example.jp 09011110001 09011110002 08011110003 08011110004 >/dev/null

login() { # DOMAIN USER PASSWORD
  type_text "$1"; keys Tab; type_text "$2"; keys Tab; type_text "$3"; keys Enter
}
# audits ACTION OBJECT: how many ACTION entries on OBJECT the audit log has.
audits() { q "select count(*) from audit where action='$1' and object='$2'"; }
# audited N ACTION OBJECT: at least N of them (polled with eventually: the
# login screen reads the same after every failure, so only the log tells
# that the console has judged an attempt).
audited() { test "$(audits "$2" "$3")" -ge "$1"; }
# redrawn_at ROWS: the console has drawn the last row of a ROWS-row pane.
redrawn_at() { test -n "$(screen | sed -n "${1}p" | tr -d ' ')"; }

run_locale() {
  local lang=$1 ext=$2 mobile=$3
  if [ "$lang" = C.UTF-8 ]; then
    L_LOGIN="Site domain name"; L_MAIN="Main menu"; L_REG="Registered:"; L_FIRST="start with a digit from 2 to 9"
    L_SIP="SIP user name"; L_DONE="has been registered"; L_ASSIGNED="has been assigned"
    L_UNASSIGNED="Unassigned numbers:"; L_FAIL="login failed"; L_MOBILE_ERR="leading 0"
  else
    L_LOGIN="拠点ドメイン名"; L_MAIN="メインメニュー"; L_REG="登録数:"; L_FIRST="先頭は2～9"
    L_SIP="SIPユーザー名"; L_DONE="を登録しました"; L_ASSIGNED="を割り当てました"
    L_UNASSIGNED="未割当番号:"; L_FAIL="ログインできませんでした"; L_MOBILE_ERR="先頭“0”"
  fi
  start_console "$lang"
  check "$lang: login screen" wait_for "$L_LOGIN"
  # The password typed but not yet sent: the field shows it, masked.
  type_text t.example.jp; keys Tab; type_text admin; keys Tab; type_text secret12
  check "$lang: the password shows masked as it is typed" wait_for "********"
  check "$lang: password is never echoed" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -q secret12"
  keys Enter
  check "$lang: main menu after login" wait_for "$L_MAIN"
  keys 1; keys 1; keys 1
  check "$lang: extension profiles with counts" wait_for "$L_REG"
  keys F2
  type_text 123; keys Enter
  check "$lang: invalid extension shows the error at the field" wait_for "$L_FIRST"
  keys C-u; type_text "$ext"; keys Enter
  check "$lang: step 2 asks for the SIP user name" wait_for "$L_SIP"
  check "$lang: SIP user name defaults to the extension" wait_for "$ext"
  type_text sip$ext; keys Tab; type_text web$ext
  T resize-window -t main -x 100 -y 30
  eventually redrawn_at 30
  T resize-window -t main -x 80 -y 24
  check "$lang: typed value survives a resize" wait_for "web$ext"
  keys Tab; type_text abcd1234; keys Enter
  check "$lang: profile registered" wait_for "$L_DONE"
  keys Escape
  check "$lang: back on the list" wait_for "$L_REG"
  keys C-u; type_text "$ext"; keys Enter
  check "$lang: the new profile is listed" wait_for "web$ext"
  keys Escape; keys Escape; keys Escape
  check "$lang: back at the main menu" wait_for "$L_MAIN"
  keys 2; keys 1; keys 1
  type_text "$ext"; keys Tab; type_text "${mobile#0}"; keys Enter
  check "$lang: mobile without its leading 0 is explained" wait_for "$L_MOBILE_ERR"
  keys C-u; type_text "$mobile"; keys Enter
  check "$lang: mobile assigned" wait_for "$L_ASSIGNED"
  keys Escape; keys 2
  type_text "$ext"; keys Enter
  check "$lang: extension search shows the mobile" wait_for "$mobile"
  keys Escape; keys 6
  check "$lang: unassigned numbers listed" wait_for "$L_UNASSIGNED"
  check "$lang: the assigned mobile is not among them" wait_gone "$mobile"
  keys Escape; keys Escape; keys Escape
  keys 1; keys 1; keys 1
  keys C-u; type_text "$ext"; keys Enter
  check "$lang: the profile list shows the mobile" wait_for "$mobile"
  keys Escape; keys Escape; keys Escape
  wait_for "$L_MAIN" >/dev/null
  keys F10; keys y
  check "$lang: logout returns to the login screen" wait_for "$L_LOGIN"
  check "$lang: ... the logout is audited, from the console" \
    test "$(q "select action || ' ' || actor || ' ' || source from audit order by id desc limit 1")" = "logout admin console"
  # Three wrong passwords lock; then the right one is refused the same way.
  # After a failure the console keeps the domain and user and waits in the
  # password field, as a person would retype only the password.
  local fails locks refused
  fails=$(audits login.fail admin) locks=$(audits login.lock admin) refused=$(audits login.refused_locked admin)
  login t.example.jp admin wrong111
  eventually audited $((fails + 1)) login.fail admin
  wait_for "$L_FAIL" >/dev/null; result_line >"$TMP/fail1"
  type_text wrong222; keys Enter
  eventually audited $((fails + 2)) login.fail admin
  type_text wrong333; keys Enter
  check "$lang: the third wrong password locks" eventually audited $((locks + 1)) login.lock admin
  type_text secret12; keys Enter
  check "$lang: locked account refuses the right password" \
    eventually audited $((refused + 1)) login.refused_locked admin
  wait_for "$L_FAIL" >/dev/null
  result_line >"$TMP/fail4"
  check "$lang: same message for wrong and locked" cmp -s "$TMP/fail1" "$TMP/fail4"
  # Looked at once the console has read past the attempt (the audit entry
  # comes just before the screen it draws).
  check "$lang: ... and is still on the login screen" \
    eval 'keys_read && ! screen | grep -q "$L_MAIN"'
  "$KASCONCTL" admin unlock t.example.jp admin >/dev/null
  type_text secret12; keys Enter
  check "$lang: unlocked account logs in" wait_for "$L_MAIN"
}

run_locale C.UTF-8 3001 09011110001
run_locale ja_JP.UTF-8 3002 09011110002

# An expired password leads to the password change before anything else.
echo 'reset123' | "$KASCONCTL" admin reset t.example.jp admin >/dev/null
start_console C.UTF-8
wait_for "Site domain name" >/dev/null
login t.example.jp admin reset123
check "expired password: change screen first" wait_for "has expired"
type_text reset123; keys Tab; type_text newpass99; keys Tab; type_text newpass98; keys Enter
check "expired password: mismatch is refused" wait_for "confirmation differ"
type_text reset123; keys Tab; type_text newpass99; keys Tab; type_text newpass99; keys Enter
check "expired password: then the main menu" wait_for "Main menu"
check "... telling the password changed" wait_for "password has been changed"

# Deleting a profile that has a mobile is refused; a free one is deleted.
keys 1; keys 1; keys 1
keys C-u; type_text 3001; keys Enter; keys F8; keys y
check "delete refused while a mobile is assigned" wait_for "242"
check "... telling to unassign first" wait_for "unassign it first"
"$KASCONCTL" site list >/dev/null
keys Escape; keys Escape; keys Escape; keys 2; keys 1; keys 2
type_text 3001; keys Enter; wait_for 09011110001 >/dev/null; keys F8; keys y
check "unassign from extension search" wait_for "has been unassigned"
keys Escape; keys Escape; keys Escape; keys 1; keys 1; keys 1
keys C-u; type_text 3001; keys Enter; keys F8; keys y
check "delete after unassigning" wait_for "3001 has been deleted"
check "profile is gone from the database" test "$(q "select count(*) from extensions where ext='3001'")" = 0
check "console changes are audited with the administrator" test "$(q "select count(*) from audit where actor='admin' and action in ('ext.add','ext.assign','ext.unassign','ext.delete')")" -ge 5
# Mouse, F1 help and NO_COLOR, at a larger size.
NO_COLOR=1 start_console C.UTF-8 120 40
wait_for "Site domain name" >/dev/null
login t.example.jp admin newpass99
check "NO_COLOR: the console runs" wait_for "Main menu"
click 6 4
check "a click on a menu item opens it" wait_for "Extension number management"
keys F1
check "F1 shows the help generated from the actions" wait_for "Keys"
keys Escape
click 6 3
check "a click on a submenu item" wait_for "Extension search / delete"
check "the key bar shows Back" wait_for "Esc Back"

# ロック中ユーザー一覧, 自動ロック解除, インターネットアクセス規制設定 in Japanese.
echo 'other123' | "$KASCONCTL" admin add t.example.jp admin2 >/dev/null
start_console ja_JP.UTF-8
wait_for "拠点ドメイン名" >/dev/null
login t.example.jp admin2 bad11111
wait_for "ログインできませんでした" >/dev/null
for i in 2 3; do type_text "bad$i$i$i$i$i"; keys Enter; done
eventually audited 1 login.lock admin2
keys Up; keys C-u; type_text admin; keys Down; type_text newpass99; keys Enter
check "ja: main menu for the other administrator" wait_for "メインメニュー"
keys 1; keys 1; keys 3
check "ja: locked users lists the locked administrator" wait_for "admin2"
check "ja: ... as a system administrator" wait_for "システム管理者"
keys F2; keys y
check "ja: unlock from the list" wait_for "admin2 のロックを解除しました"
check "ja: the unlock is audited" test "$(q "select count(*) from audit where action='admin.unlock' and object='admin2' and actor='admin'")" = 1
keys Escape; keys Escape; keys Escape; keys 3; keys 2
check "ja: automatic unlock screen" wait_for "自動(60分後)"
keys Right; keys F2
check "ja: automatic unlock off" wait_for "自動ロック解除を無効にしました"
check "ja: ... stored" test "$(q "select auto_unlock from sites where domain='t.example.jp'")" = 0
keys Escape; keys 1
check "ja: internet access restriction screen" wait_for "アクセス回線のネットワーク: (未登録)"
keys Left; keys F2
check "ja: a warning when no trusted network is registered" wait_for "ログインできる管理者がいなくなります"
check "ja: ... No closes it" answer n
check "ja: ... and nothing is saved on No" test "$(q "select restrict_admin from sites where domain='t.example.jp'")" = 0
"$KASCONCTL" site set t.example.jp trusted-networks=192.0.2.0/24 >/dev/null
keys Escape
check "ja: leaving the unsaved choice asks first" wait_for "変更を破棄しますか"
keys y; keys 1
check "ja: the trusted networks set by the operator are shown" wait_for "192.0.2.0/24"
keys Left; keys F2
check "ja: restriction set" wait_for "インターネットアクセス規制を設定しました"
check "ja: ... stored" test "$(q "select restrict_admin from sites where domain='t.example.jp'")" = 1
keys Escape; keys 4
check "ja: the audit log lists the change just made, in Japanese" wait_for "拠点設定変更"
keys Enter
check "ja: ... with its old and new values" wait_for "変更後: capacity="
check "ja: ... restriction on in the new values" wait_for "restrict_admin=1"
done_testing

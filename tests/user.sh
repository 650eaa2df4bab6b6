#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ユーザーカスコン: extension users log in with their web console user name
# (locally and over SSH), see their own extension, set their forwarding and
# change their password; the administrator sees the forwarding at once and
# manages their lockout.  Nothing else is reachable from a user login.
. "${top_srcdir:-.}/tests/tmux.sh"

needs ssh sshpass sftp

D=u.example.jp
# With a busy timeout: kascond's sessions open the database as the test
# reads it, and a reader without one fails at once ("database is locked").
fwd() { "$KASCONCTL" fwd show $D "$1" | sed -n "s/^$2\t//p"; }
locked() { test "$(q "select web_locked_at > 0 from extensions where web_user='$1'")" = 1; }
# audited N ACTION OBJECT: the audit log has at least N entries ACTION on OBJECT
# (a login the console has judged: the screen reads the same after each).
audited() { test "$(q "select count(*) from audit where action='$2' and object='$3'")" -ge "$1"; }
unlocked() { ! locked "$1"; }

setup() {
  remove_db
  "$KASCONCTL" init >/dev/null
  "$KASCONCTL" site add $D --capacity 50 --site-number 81 >/dev/null
  echo secret12 | "$KASCONCTL" admin add $D admin >/dev/null
  "$KASCONCTL" line add $D 09011112001 09011112002 >/dev/null
  printf '2001,09011112001,0000000000,,,0,0,taro,taro1234,0\r\n2002,09011112002,0000000000,,,0,0,hana,hana1234,0\r\n' >"$TMP/users.csv"
  "$KASCONCTL" ext import $D "$TMP/users.csv" >/dev/null 2>&1
  "$KASCONCTL" pickup add $D 1 >/dev/null
  "$KASCONCTL" pickup member add $D 1 2001 2002 >/dev/null
}

# ---- one name space for administrators and web console users ----
setup
check "an administrator cannot take a web console user's name (249)" \
  run_ctl 1 admin add $D taro <<<"secret99"
check "... the error says so" grep -q '249' "$TMP/err"
printf '2003,,0000000000,,,0,0,admin,abcd1234,0\r\n' >"$TMP/clash.csv"
check "a web console user cannot take an administrator's name (240)" \
  run_ctl 1 ext import $D "$TMP/clash.csv"
check "... on row 1, column H" grep -q '^1:H: 240 ' "$TMP/err"

login() { await_login; type_text $D; keys Tab; type_text "$1"; keys Tab; type_text "$2"; keys Enter; }
logout() { keys F10; keys y; }

run_locale() {
  local lang=$1
  if [ "$lang" = C.UTF-8 ]; then
    L_LOGIN="Site domain name"; L_EXTCHECK="Extension number check"; L_SERVICE="Service settings"
    L_PG="pickup group 1"; L_FWDFORM="No-answer delay"; L_SELF="cannot forward to itself"
    L_SAVED="forwarding settings have been saved"; L_CURRENT="current password is wrong"
    L_PWDONE="password has been changed"; L_FAIL="login failed"; L_LOCKED="Locked users"
    L_VIEW="Voicemail / forwarding settings"; L_ON="On"; L_MAIN="Main menu"
    L_FWDMENU="Call forwarding settings"; L_PWMENU="Change password"
    L_MAX8="Up to 8 characters."; L_UNCOND="Unconditional"
  else
    L_LOGIN="拠点ドメイン名"; L_EXTCHECK="内線番号確認"; L_SERVICE="サービス設定"
    L_PG="ピックアップグループ 1"; L_FWDFORM="応答遅延時間"; L_SELF="自分自身"
    L_SAVED="転送設定を保存しました"; L_CURRENT="現在のパスワードが正しくありません"
    L_PWDONE="パスワードを変更しました"; L_FAIL="ログインできませんでした"; L_LOCKED="ロック中ユーザー一覧"
    L_VIEW="留守番・各種転送設定確認"; L_ON="設定あり"; L_MAIN="メインメニュー"
    L_FWDMENU="各種転送設定"; L_PWMENU="パスワード変更"
    L_MAX8="8文字までです"; L_UNCOND="無条件転送"
  fi
  setup
  start_console "$lang"
  check "$lang: login screen" wait_for "$L_LOGIN"
  login hana hana1234
  check "$lang: an extension user gets their own menu" wait_for "$L_EXTCHECK"
  check "$lang: ... with the guide's 各種転送設定" wait_for "$L_FWDMENU"
  check "$lang: ... and パスワード変更" wait_for "$L_PWMENU"
  check "$lang: ... with no administrator screen" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -qF '$L_SERVICE'"
  # No hidden entries behind other numbers: had 9 or 4 opened a screen,
  # the 1 typed after them would have gone to it, not opened 内線番号確認.
  # (The menu's own text shows before and after: no sign the keys were read.)
  keys 9; keys 4; keys 1
  check "$lang: 9 and 4 open nothing; 1 then opens 内線番号確認 with the assigned mobile" \
    wait_for "09011112002"
  check "$lang: ... and the groups the extension is in" wait_for "$L_PG"
  "$KASCONCTL" pickup member remove $D 1 2002 >/dev/null
  check "$lang: ... and follows what the administrator changes meanwhile" wait_gone "$L_PG"
  "$KASCONCTL" pickup member add $D 1 2002 >/dev/null
  check "$lang: ... both ways" wait_for "$L_PG"
  keys Escape; keys 2
  check "$lang: 各種転送設定" wait_for "$L_FWDFORM"
  type_text 2002; keys F2
  check "$lang: forwarding to oneself is refused (603)" wait_for "603"
  check "$lang: ... saying why" wait_for "$L_SELF"
  check "$lang: ... nothing saved" test "$(fwd 2002 unconditional)" = "-"
  # 2001 already forwards everything to 2002: 2002 -> 2001 would be a circle.
  "$KASCONCTL" fwd set $D 2001 unconditional 2002 >/dev/null
  keys C-u; type_text 2001; keys F2
  check "$lang: a forwarding loop is refused (604)" wait_for "604"
  check "$lang: ... naming the circle" wait_for "2001 > 2002"
  "$KASCONCTL" fwd clear $D 2001 unconditional >/dev/null
  keys C-u; type_text 110; keys F2
  check "$lang: a special-service number is refused (602)" wait_for "602"
  # Every setting at once: busy, no-answer with its delay, out of coverage, voicemail.
  keys C-u; keys Tab; type_text 2001; keys Tab; type_text 0312345678; keys Tab
  keys C-u; type_text 99; keys F2
  check "$lang: a delay outside 5-60 s is refused (605)" wait_for "605"
  check "$lang: ... and nothing of the form is saved" test "$(fwd 2002 busy)" = "-"
  keys C-u; type_text 20; keys Tab; type_text 09011112001; keys Tab; keys Right; keys F2
  check "$lang: every setting saved in one step" wait_for "$L_SAVED"
  check "$lang: ... busy" test "$(fwd 2002 busy)" = "2001"
  check "$lang: ... no-answer with its delay" test "$(fwd 2002 no-answer)" = "0312345678	20"
  check "$lang: ... out of coverage" test "$(fwd 2002 out-of-coverage)" = "09011112001"
  check "$lang: ... voicemail" test "$(fwd 2002 voicemail)" = "on"
  check "$lang: ... audited as the user" test "$(q "select count(*) from audit where actor='hana' and object like '%2002%'")" -ge 1
  keys Escape

  # パスワード変更 with the web console rules.
  keys 3
  # The web console password's limit is the core's (8), in every field.
  for f in 1 2 3; do
    type_text hana12345
    check "$lang: a 9th character of web password field $f is refused aloud" wait_for "$L_MAX8"
    keys C-u; wait_gone "$L_MAX8" >/dev/null; [ $f = 3 ] || keys Tab
  done
  keys Tab
  type_text wrong123; keys Tab; type_text hana5678; keys Tab; type_text hana5678; keys Enter
  # The result line, not the screen: the form's own labels read 現在のパスワード.
  check "$lang: a wrong current password is refused" eventually eval 'result_line | grep -qF "$L_CURRENT"'
  type_text hana1234; keys Tab; type_text hana; keys Tab; type_text hana; keys Enter
  check "$lang: a password against the web rules (8 characters) is refused (124)" \
    eventually eval 'result_line | grep -q 124'
  type_text hana1234; keys Tab; type_text hana5678; keys Tab; type_text hana5678; keys Enter
  check "$lang: password changed" wait_for "$L_PWDONE"
  keys Escape
  logout
  check "$lang: logged out" wait_for "$L_LOGIN"

  # Three wrong passwords lock the user (doc/spec.md §3.6), whatever comes next.
  # Each attempt is waited for in the audit log: the screen after the second
  # failure reads as after the first.
  login hana bad12345
  eventually audited 1 user.login.fail hana
  type_text bad12345; keys Enter
  eventually audited 2 user.login.fail hana
  type_text bad12345; keys Enter
  check "$lang: the third wrong password locks the user" eventually audited 1 user.login.lock hana
  check "$lang: ... locked in the database" locked hana
  type_text hana5678; keys Enter
  check "$lang: the locked user is refused even with the right password" \
    eventually audited 1 user.login.refused_locked hana
  check "$lang: ... saying only that the login failed" wait_for "$L_FAIL"
  keys BTab; keys C-u; keys BTab; keys C-u
  login admin secret12
  check "$lang: the administrator logs in" wait_for "$L_MAIN"
  keys 1; keys 1; keys 3
  check "$lang: ロック中ユーザー一覧 lists the user" wait_for "hana"
  keys F2; keys y
  check "$lang: ... and unlocks it" eventually unlocked hana
  keys Escape; keys Escape
  # The administrator's view shows the user's settings at once.
  keys 2
  check "$lang: 留守番・各種転送設定確認" wait_for "$L_VIEW"
  type_text 2002; keys Enter
  check "$lang: ... shows the user's no-answer forwarding" wait_for "0312345678"
  check "$lang: ... and voicemail on" wait_for "$L_ON"
  # ... and follows what the user (here kasconctl) changes while it is shown.
  "$KASCONCTL" fwd set $D 2002 unconditional 2001 >/dev/null
  check "$lang: ... and follows a change made meanwhile" \
    eventually eval 'screen | grep -F "$L_UNCOND" | grep -qF 2001'
  "$KASCONCTL" fwd clear $D 2002 unconditional >/dev/null
  keys Escape; keys Escape
  logout
  login hana hana5678
  check "$lang: after the unlock the new password logs in" wait_for "$L_EXTCHECK"
  logout
}

run_locale C.UTF-8
run_locale ja_JP.UTF-8

# ---- over SSH, in Japanese, with the stock OpenSSH client ----
setup
LOCPATH=$(ja_locale) \
check "kascond listens" start_kascond --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key" \
  --files "$TMP/files"
PORT=$KASCOND_PORT
is() { [ "$1" = "$2" ] || { echo "#   got '$1', want '$2'"; return 1; }; }

# attempt PASSWORD USER [COMMAND...]: one login; prints denied, refused
# (logged in, the command refused) or the command's output.
attempt() {
  local pw=$1 user=$2; shift 2
  timeout 60 sshpass -p "$pw" ssh "${SSH_OPTS[@]}" -p "$PORT" "$user@$D@127.0.0.1" "$@" \
    >"$TMP/attempt.out" 2>"$TMP/attempt.err"
  local rc=$?
  # sshpass exits 5 when the password is asked again (refused).
  if [ $rc = 5 ] || grep -q 'Permission denied' "$TMP/attempt.err"; then echo denied
  elif grep -q 'exec request failed' "$TMP/attempt.err"; then echo refused
  else echo "rc=$rc $(cat "$TMP/attempt.out")"; fi
}
check "a user's ssh command (ext list) is refused" is "$(attempt hana1234 hana ext list)" refused
check "... the administrator's ext list works" test "$(attempt secret12 admin ext list | head -c 4)" = "rc=0"
check "a user gets no SFTP" bash -c "! timeout 60 sshpass -p hana1234 sftp ${SSH_OPTS[*]} -P $PORT -b - hana@$D@127.0.0.1 <<<'ls' >/dev/null 2>&1"
check "... and no file area" test ! -e "$TMP/files/1/hana"

T new-session -d -x 80 -y 24 -s user \
  "LANG=ja_JP.UTF-8 sshpass -p hana1234 ssh ${SSH_OPTS[*]} -o SendEnv=LANG -tt -p $PORT hana@$D@127.0.0.1; sleep 30"
userpane() { T capture-pane -p -t user; }
wait_user() { local i; for i in $(seq 600); do userpane | grep -qF -- "$1" && return 0; sleep 0.05; done; userpane | sed 's/^/#   |/'; return 1; }
check "ssh: the user's console, in Japanese" wait_user "内線番号確認"
T send-keys -t user 2
check "ssh: 各種転送設定" wait_user "応答遅延時間"
T send-keys -t user -l 2001; T send-keys -t user F2
check "ssh: unconditional forwarding set" wait_user "転送設定を保存しました"
check "ssh: ... the administrator sees it at once" test "$(fwd 2002 unconditional)" = 2001
T send-keys -t user C-u; T send-keys -t user F2
# The first save's message is still on the screen, so the second save is
# known done only by its effect; the screen must still say saved after it.
uncond_cleared() { test "$(fwd 2002 unconditional)" = "-"; }
check "ssh: ... and cleared: the administrator sees it cleared" eventually uncond_cleared
check "ssh: ... and the user's screen says saved" wait_user "転送設定を保存しました"
T kill-session -t user

# Lockout and access restriction apply to users as to administrators.
for i in 1 2 3; do attempt wrong999 taro >/dev/null; done
check "ssh: three wrong passwords lock the user" eventually locked taro
check "ssh: ... the right password is refused then" is "$(attempt taro1234 taro)" denied
check "ssh: ... still locked" locked taro
"$KASCONCTL" site set $D restrict-user=on trusted-networks=192.0.2.0/24 >/dev/null
check "ssh: インターネットアクセス規制 refuses users outside the trusted networks" \
  is "$(attempt hana1234 hana true)" denied
check "ssh: ... administrators are not restricted by it" test "$(attempt secret12 admin ext list | head -c 4)" = "rc=0"
"$KASCONCTL" site set $D restrict-user=off >/dev/null
check "ssh: ... lifted, the user logs in again" is "$(attempt hana1234 hana true)" refused
stop_kascond
done_testing

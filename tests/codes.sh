#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The administrator's feature codes (doc/spec.md §3.4) end to end: kasconctl code,
# then 保留特番設定, ダイヤル確定特番設定 and プッシュ音設定 (消去設定, 送出特番設定)
# in the console, in English and Japanese: each success, each refusal
# naming what collides, the one-character warning, the erase confirmation,
# the lock banner of a second console and the version check.
. "${top_srcdir:-.}/tests/tmux.sh"

code() { q "select $2 from sites where domain='$1'"; }
# code_is DOMAIN EXPR WANT: the site's EXPR reads WANT.  The console's
# checks poll it: its result area keeps the last messages, so a success
# message may still show from the save before.
code_is() { test "$(code "$1" "$2")" = "$3"; }

# A site with every operator number, an administrator, a second one and
# extensions 3001 and 3002.
new_site() {
  "$KASCONCTL" site add "$1" --capacity 20 --site-number 81 --gw-id 82 --park-code '*71' \
    --pickup-code '*72' --group-pickup-code '*73' >/dev/null
  echo 'secret12' | "$KASCONCTL" admin add "$1" admin >/dev/null
  echo 'other123' | "$KASCONCTL" admin add "$1" admin2 >/dev/null
  "$KASCONCTL" line add "$1" "$2" "$3" >/dev/null
  printf '3001,%s\r\n3002,%s\r\n' "$2" "$3" | "$KASCONCTL" ext import "$1" - >/dev/null
}

# ---- kasconctl code ----
D=cli.example.jp
new_site $D 09022220001 09022220002
check "code show on a new site" run_ctl 0 code show $D
check "... lists every setting, empty and off" \
  test "$(cat "$TMP/out")" = "$(printf 'hold=\nhold-disconnect=off\ndial-confirm=\ndtmf-erase=off\ndtmf-send=')"
check "code set hold #7" run_ctl 0 code set $D hold '#7'
check "... stored" test "$(code $D hold_code)" = '#7'
check "... audited as codes.set, old and new" \
  test "$(q "select before || ' -> ' || after from audit where action='codes.set' order by id desc limit 1" | grep -c 'hold= .*-> hold=#7 ')" = 1
before=$(db_hash)
check "hold code of 5 characters refused" run_ctl 1 code set $D hold '#1234'
check "... with 131 naming it" grep -q '^kasconctl: 131 .*"#1234"' "$TMP/err"
check "hold code with a letter refused" run_ctl 1 code set $D hold '#a'
check "... with 131" grep -q '^kasconctl: 131 ' "$TMP/err"
check "hold 8 refused: prefix of the site number" run_ctl 1 code set $D hold 8
check "... 141 names site number 81" grep -q '^kasconctl: 141 .*"8" (collides with site number "81")' "$TMP/err"
check "hold 300 refused: prefix of an extension" run_ctl 1 code set $D hold 300
check "... names extension 3001" grep -q 'collides with extension "3001"' "$TMP/err"
check "hold 82 refused: the GW id" run_ctl 1 code set $D hold 82
check "... names the GW identifier" grep -q 'collides with GW identifier "82"' "$TMP/err"
check "dial-confirm #71 refused under hold code #7 (the guide's example)" run_ctl 1 code set $D dial-confirm '#71'
check "... names hold code #7" grep -q 'collides with hold code "#7"' "$TMP/err"
check "dial-confirm 71 refused: first character" run_ctl 1 code set $D dial-confirm 71
check "... with 132" grep -q '^kasconctl: 132 ' "$TMP/err"
check "dial-confirm #712 refused: too long" run_ctl 1 code set $D dial-confirm '#712'
check "an empty dial-confirm code is refused" run_ctl 1 code set $D dial-confirm ''
check "... with 104" grep -q '^kasconctl: 104 ' "$TMP/err"
check "DTMF-send 9* refused" run_ctl 1 code set $D dtmf-send '9*'
check "... with 133" grep -q '^kasconctl: 133 ' "$TMP/err"
check "DTMF-send *7 refused: prefix of the park code" run_ctl 1 code set $D dtmf-send '*7'
check "... names park hold code *71" grep -q 'collides with park hold code "\*71"' "$TMP/err"
check "refusals change nothing" test "$before" = "$(db_hash)"
check "a one-character hold code is saved" run_ctl 0 code set $D hold 5
check "... with warning 134 on stderr" grep -q '^kasconctl: warning: 134 .*"5"' "$TMP/err"
check "... stored" test "$(code $D hold_code)" = 5
check "an empty hold code deletes it" run_ctl 0 code set $D hold ''
check "... says so" grep -q 'hold of cli.example.jp deleted' "$TMP/out"
check "... stored as none" test "$(code $D "hold_code is null")" = 1
check "dial-confirm #9" run_ctl 0 code set $D dial-confirm '#9'
check "DTMF-send *9" run_ctl 0 code set $D dtmf-send '*9'
check "DTMF-send #9 refused: equals the dial-confirm code" run_ctl 1 code set $D dtmf-send '#9'
check "... names it" grep -q 'collides with dial-confirm code "#9"' "$TMP/err"
check "an empty DTMF-send code deletes it" run_ctl 0 code set $D dtmf-send ''
check "hold-disconnect on" run_ctl 0 code set $D hold-disconnect on
check "dtmf-erase on" run_ctl 0 code set $D dtmf-erase on
check "code show reflects it all" run_ctl 0 code show $D
check "... values" test "$(tr '\n' ' ' <"$TMP/out")" = "hold= hold-disconnect=on dial-confirm=#9 dtmf-erase=on dtmf-send= "
check "hold-disconnect maybe is a usage error" run_ctl 2 code set $D hold-disconnect maybe
check "an unknown code is a usage error" run_ctl 2 code set $D park '*5'
check "an unknown site is refused" run_ctl 1 code set nosuch.example.jp hold '#7'
check "... with 245" grep -q '^kasconctl: 245 ' "$TMP/err"
check "extension 990 refused under hold code 99 (the same checker)" \
  bash -c "'$KASCONCTL' code set $D hold 99 >/dev/null && printf '990,09022220003\r\n' | '$KASCONCTL' ext import $D - 2>&1 | grep -q '141.*hold code \"99\"'"
check "operator's site number *9 refused against dial-confirm #9" run_ctl 1 site set $D 'site-number=#90'
check "... names it" grep -q 'collides with dial-confirm code "#9"' "$TMP/err"
LOCPATH=$(ja_locale) \
  LC_ALL=ja_JP.UTF-8 LANG=ja_JP.UTF-8 "$KASCONCTL" code set $D hold 8 2>"$TMP/err.ja"
check "ja: the refusal in Japanese, naming 拠点番号 81" grep -q '141 .*「8」(拠点番号「81」と重複)' "$TMP/err.ja"

# ---- the console ----
# A second console in the same tmux server, for the lock banner.
start_second() {
  local lang=$1 locpath=""
  if [ "${lang#ja}" != "$lang" ]; then locpath=$(ja_locale); fi
  T new-session -d -x 160 -y 30 -s second \
    "env LANG=$lang LC_ALL=$lang LANGUAGE= LOCPATH=$locpath TERM=xterm-256color \
     '$KASCON' --db '$KASCON_DB'; echo KASCON-EXITED \$?; sleep 30"
}
on2() { PANE=second "$@"; }
login() { type_text "$1"; keys Tab; type_text "$2"; keys Tab; type_text "$3"; keys Enter; }
# pick LABEL: the menu item with this label, by the number shown before it
# (the menus grow as screens are added).
pick() {
  wait_for ". $1" >/dev/null || return 1
  keys "$(screen | grep -F ". $1" | head -1 | sed 's/^ *\([0-9]*\)\..*/\1/')"
}
# set_code TEXT: replace the focused code field and save.
set_code() { keys C-u; [ -z "$1" ] || type_text "$1"; keys F2; }

run_locale() {
  local lang=$1 D=$2
  if [ "$lang" = C.UTF-8 ]; then
    L_MAIN="Main menu"; L_MOBILE="Mobile extension settings"; L_SERVICE="Service settings"
    L_HOLD="Hold code settings"; L_DIAL="Dial-confirm code settings"; L_DTMF="DTMF tone settings"
    L_ERASE="Erase setting"; L_SEND="Send code setting"; L_NOTE="Two or more are recommended"
    L_SITE="site number"; L_EXT="extension"; L_PARK="park hold code"; L_HOLDK="hold code"
    L_DIALK="dial-confirm code"; L_GW="GW identifier"
    L_SET="The hold code has been set to"; L_DELETED="The hold code has been deleted."
    L_WARN="Warning: 134"; L_DISC="Disconnect"; L_DIAL_SET="The dial-confirm code has been set to"
    L_SEND_SET="The DTMF-send code has been set to"; L_SEND_DEL="The DTMF-send code has been deleted."
    L_ASK="Erase the DTMF tones"; L_KEPT="Nothing was changed."; L_ERASED="DTMF tones are now erased."
    L_RO="Read only:"; L_MINE="The setting is yours to edit now."; L_LOGIN="Site domain name"
    L_CHANGED="someone else changed this item meanwhile"; L_FULL="full-width"
    L_MAX4="Up to 4 characters."; L_MAX3="Up to 3 characters."
    L_DIALCHARS="Only half-width digits, * and # can be typed here."
    L_UNCHANGED="Nothing has been changed"; L_HOLD_ASK="Delete the hold code?"
    L_SEND_ASK="Set the DTMF-send code to"; L_SEND_DEL_ASK="Delete the DTMF-send code?"
    Q() { printf '"%s"' "$1"; }
    C() { printf '(collides with %s "%s")' "$1" "$2"; }
  else
    L_MAIN="メインメニュー"; L_MOBILE="携帯内線設定"; L_SERVICE="サービス設定"
    L_HOLD="保留特番設定"; L_DIAL="ダイヤル確定特番設定"; L_DTMF="プッシュ音設定"
    L_ERASE="消去設定"; L_SEND="送出特番設定"; L_NOTE="2桁以上を推奨します"
    L_SITE="拠点番号"; L_EXT="内線番号"; L_PARK="パーク保留特番"; L_HOLDK="保留特番"
    L_DIALK="ダイヤル確定特番"; L_GW="GW識別番号"
    # The space after を: the forms' notes read 保留特番を削除します and
    # プッシュ音送出特番を削除します from the start; only a result has it.
    L_SET="保留特番を "; L_DELETED="保留特番を削除しました。"
    L_WARN="注意: 134"; L_DISC="切断"; L_DIAL_SET="ダイヤル確定特番を"
    L_SEND_SET="プッシュ音送出特番を "; L_SEND_DEL="プッシュ音送出特番を削除しました。"
    L_ASK="プッシュ音を消去しますか"; L_KEPT="変更していません。"; L_ERASED="プッシュ音を消去する設定にしました。"
    L_RO="参照のみ:"; L_MINE="この設定を編集できるようになりました。"; L_LOGIN="拠点ドメイン名"
    L_CHANGED="他の管理者がこの項目を変更しました"; L_FULL="全角文字"
    L_MAX4="4文字までです"; L_MAX3="3文字までです"
    L_DIALCHARS="半角数字と*、#のみ入力できます"
    L_UNCHANGED="変更がないため"; L_HOLD_ASK="保留特番を削除しますか"
    L_SEND_ASK="に設定しますか"; L_SEND_DEL_ASK="送出特番を削除しますか"
    Q() { printf '「%s」' "$1"; }
    C() { printf '(%s「%s」と重複)' "$1" "$2"; }
  fi
  new_site "$D" "$3" "$4"
  start_console "$lang" 160 30
  wait_for "$L_LOGIN" >/dev/null
  login "$D" admin secret12
  check "$lang: logged in" wait_for "$L_MAIN"

  # 保留特番設定 under 携帯内線設定.
  pick "$L_MOBILE"; pick "$L_HOLD"
  check "$lang: hold code screen with the guide's notes" wait_for "$L_NOTE"
  # Past the limit or outside 0-9 * #: refused as typed, naming why.
  keys C-u; type_text '#1234'
  check "$lang: a hold code of 5 characters is refused as typed" wait_for "$L_MAX4"
  check "$lang: ... inserting nothing" wait_gone "#1234"
  keys C-u; type_text '#a'
  check "$lang: a letter refused as typed" wait_for "$L_DIALCHARS"
  keys C-u; type_text '＃７'
  check "$lang: full-width ＃７ becomes #7 as typed" wait_for "#7"
  set_code 8
  check "$lang: 8 collides with the site number, named" wait_for "$(C "$L_SITE" 81)"
  set_code 300
  check "$lang: 300 collides with extension 3001, named" wait_for "$(C "$L_EXT" 3001)"
  set_code 82
  check "$lang: 82 collides with the GW id, named" wait_for "$(C "$L_GW" 82)"
  set_code '*7'
  check "$lang: *7 collides with the park hold code, named" wait_for "$(C "$L_PARK" '*71')"
  check "$lang: ... nothing stored" test -z "$(code "$D" hold_code)"
  set_code 5
  check "$lang: a one-character hold code is saved" wait_for "$L_SET"
  check "$lang: ... with the warning in the result area" wait_for "$L_WARN"
  check "$lang: ... stored" eventually code_is "$D" hold_code 5
  keys C-u; type_text '#7'; keys Tab; keys Right; keys F2
  check "$lang: hold code #7 with 切断" wait_for "$L_SET"
  check "$lang: ... stored" eventually code_is "$D" "hold_code || '/' || hold_disconnect" '#7/1'
  check "$lang: ... shown as $L_DISC" wait_for "(*) $L_DISC"
  keys BTab
  set_code ''
  check "$lang: deleting the hold code asks" wait_for "$L_HOLD_ASK"
  keys y
  check "$lang: an empty hold code deletes it" wait_for "$L_DELETED"
  check "$lang: ... stored as none" eventually code_is "$D" "hold_code is null" 1
  set_code '#7'
  wait_for "$L_SET" >/dev/null

  # The same form from a second console: read only, naming the holder.
  start_second "$lang"
  on2 wait_for "$L_LOGIN" >/dev/null
  on2 login "$D" admin2 other123
  on2 pick "$L_MOBILE"; on2 pick "$L_HOLD"
  check "$lang: a second administrator sees the holder, read only" on2 wait_for "$L_RO admin "
  check "$lang: ... with no Set key" on2 wait_gone "F2 "
  on2 keys C-u; on2 type_text 99; on2 keys Enter
  check "$lang: ... where what is typed is read" on2 keys_read
  check "$lang: ... and changes nothing" eventually code_is "$D" hold_code '#7'
  keys Escape
  wait_for ". $L_HOLD" >/dev/null
  on2 keys F5
  check "$lang: once released, Reload takes it" on2 wait_for "$L_MINE"
  pick "$L_HOLD"
  check "$lang: now the first sees the second as the holder" wait_for "$L_RO admin2 "
  on2 keys Escape; on2 wait_for ". $L_HOLD" >/dev/null
  keys F5
  check "$lang: ... until it leaves" wait_for "$L_MINE"
  on2 keys Escape; on2 keys F10; on2 keys y
  on2 wait_for "$L_LOGIN" >/dev/null
  # Quit before the session goes: a console hung up instead ends through
  # the SIGHUP and SIGCONT of its orphaned process group, which can keep
  # a sanitizer build's leak check from ever ending.
  on2 keys C-c
  check "$lang: the second console quits" on2 wait_for "KASCON-EXITED 0"
  end_session second
  keys Escape; keys Escape

  # ダイヤル確定特番設定 under サービス設定.
  pick "$L_SERVICE"; pick "$L_DIAL"
  set_code '#71'
  check "$lang: dial-confirm #71 collides with hold code #7 (the guide's example)" wait_for "$(C "$L_HOLDK" '#7')"
  set_code 71
  check "$lang: dial-confirm must start with * or # (132)" wait_for "$(Q 71)"
  check "$lang: ... 132" wait_for "132 "
  keys C-u; type_text '#712'
  check "$lang: dial-confirm of 4 characters refused as typed" wait_for "$L_MAX3"
  set_code ''
  check "$lang: saving the empty form again changes nothing" wait_for "$L_UNCHANGED"
  set_code '#9'
  check "$lang: dial-confirm #9 set" wait_for "$L_DIAL_SET"
  check "$lang: ... stored" eventually code_is "$D" dial_confirm_code '#9'
  # A change saved elsewhere meanwhile: refused, the form reloaded.
  "$KASCONCTL" code set "$D" dial-confirm '#8' >/dev/null
  set_code '#6'
  check "$lang: a save after someone else's change is refused" wait_for "$L_CHANGED"
  check "$lang: ... the form shows their value" wait_for "#8"
  check "$lang: ... and theirs is kept" eventually code_is "$D" dial_confirm_code '#8'
  set_code '#6'
  check "$lang: saving again from the reloaded form works" wait_for "$(printf '%s' "$L_DIAL_SET")"
  check "$lang: ... stored" eventually code_is "$D" dial_confirm_code '#6'
  keys Escape

  # プッシュ音設定 > 送出特番設定.
  pick "$L_DTMF"; pick "$L_SEND"
  # Setting asks, as the guide's dialog (§5.5).
  set_code '#6'
  check "$lang: setting a DTMF-send code asks" wait_for "$L_SEND_ASK"
  keys y
  check "$lang: DTMF-send equal to the dial-confirm code refused, named" wait_for "$(C "$L_DIALK" '#6')"
  set_code '9*'; wait_for "$L_SEND_ASK" >/dev/null; keys y
  check "$lang: DTMF-send must start with * or # (133)" wait_for "133 "
  set_code '*9'; wait_for "$L_SEND_ASK" >/dev/null; keys y
  check "$lang: DTMF-send *9 set" wait_for "$L_SEND_SET"
  check "$lang: ... stored" eventually code_is "$D" dtmf_send_code '*9'
  set_code ''
  check "$lang: deleting the DTMF-send code asks" wait_for "$L_SEND_DEL_ASK"
  keys y
  check "$lang: an empty DTMF-send code deletes it" wait_for "$L_SEND_DEL"
  check "$lang: ... stored as none" eventually code_is "$D" "dtmf_send_code is null" 1
  keys Escape

  # プッシュ音設定 > 消去設定: only after the confirmation.
  pick "$L_ERASE"
  keys Right; keys F2
  check "$lang: erasing asks first" wait_for "$L_ASK"
  keys n
  check "$lang: No keeps the setting" wait_for "$L_KEPT"
  check "$lang: ... stored unchanged" eventually code_is "$D" dtmf_erase 0
  keys F2
  wait_for "$L_ASK" >/dev/null
  keys y
  check "$lang: Yes erases" wait_for "$L_ERASED"
  check "$lang: ... stored" eventually code_is "$D" dtmf_erase 1
  check "$lang: every console change is audited as the administrator" \
    test "$(q "select count(*) from audit a join sites s on s.id = a.site_id where s.domain='$D' and a.action='codes.set' and a.actor='admin'")" -ge 8
}

run_locale C.UTF-8 c1.example.jp 09033330001 09033330002
run_locale ja_JP.UTF-8 c2.example.jp 09044440001 09044440002
done_testing

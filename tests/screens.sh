#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Golden screens: the whole text of every console screen, as the real
# binary draws it in tmux, compared with tests/screens/LOCALE/COLSxROWS/NAME.txt.
#
# Every screen at 80x24 in ja_JP.UTF-8 and C.UTF-8, empty and filled, with
# its confirmations and error dialogs; the lists again at 132x43.  A file
# is the pane's text (trailing blanks cut, as capture-pane gives it) and a
# last line with the cursor: "@cursor X,Y" (0-based) or "@cursor hidden".
#
# Changing a screen on purpose?  Run `make screens-update` (it runs this
# test with SCREENS_UPDATE=1, rewriting the files in the source tree) and
# commit the diff of tests/screens/ with the change: a reviewer reads the
# layout change there.  A new screen is a few lines in walk_*() below.
#
# Deterministic by construction: the data is made here with kasconctl
# (fixed numbers, `cdr demo --seed`), the clock is fixed (KASCON_NOW, TZ),
# and no screen is read before it settles: a comparison polls the pane
# until it equals the file (or times out and shows the difference); an
# update waits for the screen's marker text and two equal captures.
. "${top_srcdir:-.}/tests/tmux.sh"

GOLDEN="${top_srcdir:-.}/tests/screens"
UPDATE=${SCREENS_UPDATE:-}
# 2026-06-15 09:30:00 UTC: every time stored or shown is this one.
export TZ=UTC KASCON_NOW=1781515800
F=f.example.jp # the filled site
E=e.example.jp # the empty one

# The locale and size of the run, as the golden files' directory.
TAG=""
SHOTS=0

setup() {
  remove_db
  "$KASCONCTL" init >/dev/null
  K() { "$KASCONCTL" "$@" >/dev/null 2>&1 || echo "# setup failed: kasconctl $*"; }
  K site add $E --capacity 20 --site-number 82
  echo secret12 | K admin add $E admin
  K site add $F --capacity 100 --site-number 81
  echo secret12 | K admin add $F admin
  K line add $F 09011110001 09011110002 09011110003 09011110004 08011110005 08011110006 \
    07011110007 07011110008
  {
    printf '2001,09011110001,0000000000,,,0,0,sato2001,abcd1234,0\r\n'
    printf '2002,09011110002,000000000000,sip2002,pw2002,0,0,suzuki02,efgh5678,0\r\n'
    printf '2003,09011110003,0000000000,,,0,0,takahashi,abcd1235,0\r\n'
    printf '2004,,0000000000,,,0,0,tanaka2004,abcd1236,0\r\n'
    printf '2005,,0000000000,,,0,0,ito2005,abcd1237,0\r\n'
  } >"$TMP/ext.csv"
  K ext import $F "$TMP/ext.csv"
  K pickup add $F 10
  K pickup member add $F 10 2001 2002 2003
  K hunt add $F 5 --type pilot --rep 2001
  K hunt member add $F 5 2002 2004
  K code set $F hold '#7'
  K code set $F dtmf-send '*8'
  K fwd set $F 2001 unconditional 0312345678
  K fwd set $F 2002 no-answer 2003 --delay 20
  K cdr demo $F --days 3 --per-day 30 --seed 7
}

login() { # DOMAIN USER PASSWORD
  type_text "$1"; keys Tab; type_text "$2"; keys Tab; type_text "$3"; keys Enter
}

# L ENGLISH JAPANESE: the text in the run's language.
L() { if [ "$LANG_RUN" = C.UTF-8 ]; then printf '%s' "$1"; else printf '%s' "$2"; fi; }

capture() {
  screen
  T display-message -p -t main '@cursor #{?cursor_flag,#{cursor_x}#,#{cursor_y},hidden}'
}

# settle MARKER: waits until MARKER shows and two captures 0.1 s apart are
# the same; the capture is left in $TMP/shot.
settle() {
  local marker=$1 i prev=""
  if ! wait_for "$marker" 20 >"$TMP/waited"; then head -1 "$TMP/waited"; return 1; fi
  for i in $(seq 200); do
    capture >"$TMP/shot"
    if [ -n "$prev" ] && cmp -s "$TMP/shot" "$TMP/prev"; then return 0; fi
    cp "$TMP/shot" "$TMP/prev"; prev=1
    sleep 0.1
  done
  return 1
}

# shot NAME ENGLISH-MARKER JAPANESE-MARKER: the screen now, whole, against
# its golden file (written instead with SCREENS_UPDATE=1).
shot() {
  local name=$1 marker file i
  marker=$(L "$2" "$3")
  file="$GOLDEN/$TAG/$name.txt"
  SHOTS=$((SHOTS + 1))
  if [ -n "$UPDATE" ]; then
    mkdir -p "$(dirname "$file")"
    if settle "$marker"; then
      cp "$TMP/shot" "$file"; ok "$TAG/$name written"
    else
      not_ok "$TAG/$name: no settled screen showing '$marker'"; screen | sed 's/^/#   |/'
    fi
    return
  fi
  if [ ! -f "$file" ]; then
    not_ok "$TAG/$name: no golden file (make screens-update writes it)"
    return
  fi
  # The console may still be drawing: poll until the screen is the file.
  for i in $(seq 600); do
    capture >"$TMP/shot"
    if cmp -s "$TMP/shot" "$file"; then ok "$TAG/$name"; return; fi
    sleep 0.05
  done
  not_ok "$TAG/$name differs from tests/screens/$TAG/$name.txt"
  diff -u "$file" "$TMP/shot" | sed 's/^/# /'
}

# same_as NAME WHAT: the screen, whole, is again the golden file NAME (a
# dialog closed over it, a repaint), polled as in shot.
same_as() {
  local file="$GOLDEN/$TAG/$1.txt" i
  for i in $(seq 600); do
    capture >"$TMP/shot"
    if cmp -s "$TMP/shot" "$file"; then ok "$TAG/$1: $2"; return; fi
    sleep 0.05
  done
  not_ok "$TAG/$1: $2"
  diff -u "$file" "$TMP/shot" | sed 's/^/# /'
}

# spoil: what a wall message or line noise does to the terminal: text
# written straight to the pane's tty, Japanese at odd columns across the
# screen's own double-width characters.
spoil() {
  local tty
  tty=$(T display-message -p -t main '#{pane_tty}')
  printf '\033[4;8H\343\201\202\343\201\204 Broadcast message from root\033[9;31Hwall \351\233\221\351\237\263\033[20;1H~~~' >"$tty"
}

back() { local i; for i in $(seq "${1:-1}"); do keys Escape; done; }

# ---- the walks: each starts at the main menu and returns to it ----

walk_login() {
  shot login "Site domain name" "拠点ドメイン名"
  login $F admin wrong123
  shot login-failed "login failed" "ログインできませんでした"
  keys Up; keys Up; keys C-u; type_text $F; keys Down; keys C-u; type_text admin; keys Down
  type_text secret12; keys Enter
  shot main-menu "Main menu" "メインメニュー"
  keys F1
  shot main-menu-help "Keys" "キー"
  back
  keys Escape
  shot quit-confirm "Do you want to quit?" "終了しますか"
  keys n
  keys F10
  shot logout-confirm "Do you want to log out?" "ログアウトしますか"
  keys n
}

walk_service() {
  local state=$1
  keys 1
  shot "$state/service-menu" "Service settings" "サービス設定"
  if [ "$state" = filled ]; then
    # A menu's F1 page is its own, naming what the category holds.
    keys F1
    shot "$state/service-menu-help" "call history." "通信履歴です"
    back
  fi
  keys 1
  shot "$state/user-menu" "Locked users" "ロック中ユーザー"
  keys 1
  shot "$state/profile-list" "Registered:" "登録数:"
  keys F2
  shot "$state/profile-new" "Register (new)" "新規登録"
  type_text 123; keys Enter
  shot "$state/profile-new-error" "2 to 9" "2～9"
  keys Escape
  shot "$state/profile-new-discard" "Discard the changes?" "変更を破棄しますか"
  keys y
  if [ "$state" = filled ]; then
    keys Tab; keys Enter
    shot "$state/profile-edit" "2001" "2001"
    back
    keys Down; keys Down; keys Down; keys F8
    shot "$state/profile-delete-confirm" "2004" "2004"
    keys n
    keys Home; keys F8; keys y
    shot "$state/profile-delete-refused" "242" "242"
  fi
  back
  keys 2
  shot "$state/virtual-list" "Virtual" "仮想"
  # One step: its F2 registers.
  keys F2
  shot "$state/virtual-new" "F2 Register" "F2 登録"
  back 2
  keys 3
  shot "$state/locked-users" "Locked users" "ロック中ユーザー"
  back 2
  keys 2
  shot "$state/fwd-view" "forwarding" "転送"
  if [ "$state" = filled ]; then
    type_text 2002; keys F3
    shot "$state/fwd-view-2002" "2003" "2003"
  fi
  back
  keys 3
  shot "$state/pickup-list" "Pickup group" "ピックアップグループ"
  if [ "$state" = filled ]; then
    keys Tab; keys Tab; keys Enter
    shot "$state/pickup-edit" "2003" "2003"
    back
    keys F8
    shot "$state/pickup-delete-confirm" "10" "10"
    keys n
  fi
  back
  keys 4
  shot "$state/hunt-list" "hunting" "ハンティング"
  if [ "$state" = filled ]; then
    keys Tab; keys Tab; keys Enter
    shot "$state/hunt-edit" "2004" "2004"
    # F1 help longer than the screen says that more follows, and scrolls.
    keys F1
    shot "$state/hunt-edit-help" "PgDn" "PgDn"
    keys NPage
    shot "$state/hunt-edit-help-end" "PgUp" "PgUp"
    back 2
  fi
  back
  keys 5
  shot "$state/dial-confirm" "Dial-confirm" "ダイヤル確定"
  back
  keys 6; keys 1
  shot "$state/dtmf-erase" "Erase" "消去"
  back
  keys 2
  shot "$state/dtmf-send" "Send code" "送出特番"
  back 3
  shot "$state/back-at-main" "Main menu" "メインメニュー"
}

walk_mobile() {
  local state=$1
  keys 2
  shot "$state/mobile-menu" "Hold code" "保留特番"
  keys 1
  shot "$state/ext-menu" "Unassigned numbers" "未割当"
  keys 1
  shot "$state/assign" "Mobile" "携帯"
  back
  keys 2
  shot "$state/ext-search" "Extension search" "内線番号検索"
  if [ "$state" = filled ]; then
    type_text 2001; keys Enter
    shot "$state/ext-search-2001" "09011110001" "09011110001"
    keys F8
    shot "$state/unassign-confirm" "09011110001" "09011110001"
    keys n
  fi
  back
  keys 3
  shot "$state/bulk-register" "Bulk register" "一括登録"
  back
  keys 4
  shot "$state/bulk-delete" "Bulk delete" "一括削除"
  back
  keys 5
  shot "$state/bulk-export" "Bulk export" "一括出力"
  back
  keys 6
  shot "$state/unassigned" "Unassigned numbers:" "未割当番号:"
  back
  keys 7
  shot "$state/transfer" "Transfer" "譲渡"
  if [ "$state" = filled ]; then
    type_text 2004; keys Tab; type_text 09011110004; keys F2
    shot "$state/transfer-plan" "09011110004" "09011110004"
    keys F2
    shot "$state/transfer-confirm" "09011110004" "09011110004"
    keys n; back
  fi
  back
  keys 8
  shot "$state/exchange" "Exchange" "交換"
  back 2
  keys 2
  shot "$state/hold-code" "Hold code" "保留特番"
  back 2
}

# サービス設定 > 通信履歴 > 通信履歴参照, and 認証設定変更 from there (§6.3, §6.4).
walk_cdr() {
  local state=$1
  keys 1; keys 7
  shot "$state/cdr-menu" "View call history" "通信履歴参照"
  keys 1
  shot "$state/cdr-no-secret" "secret question" "秘密の質問"
  keys F6
  shot "$state/secret-new" "secret question" "秘密の質問"
  if [ "$state" = filled ]; then
    type_text "$(L 'First pet?' 'ペットの名前は')"; keys Tab; type_text pochi; keys F2
    shot "$state/secret-set" "$(L 'has been set' '設定しました')" "設定しました"
    back
    shot "$state/cdr-question" "$(L 'First pet?' 'ペットの名前は')" "ペットの名前は"
    type_text wrong; keys Enter
    shot "$state/cdr-question-wrong" "$(L 'First pet?' 'ペットの名前は')" "ペットの名前は"
    type_text pochi; keys Enter
    shot "$state/cdr-files" "2026-06-13" "2026-06-13"
    keys Enter
    shot "$state/cdr-view" "2026/06/15" "2026/06/15"
    keys Enter
    shot "$state/cdr-record" "2026/06/15" "2026/06/15"
    keys Enter
    same_as "$state/cdr-view" "a dialog closed over double-width text leaves no stray cell"
    spoil
    check "$TAG: the screen is spoiled" wait_for "Broadcast message"
    keys C-l
    same_as "$state/cdr-view" "Ctrl-L repaints a spoiled screen whole"
    keys F4
    shot "$state/cdr-filter" "YYYY" "YYYY"
    back 2
  else
    back
  fi
  back 3
}

walk_other() {
  local state=$1
  keys 3
  shot "$state/other-menu" "Audit log" "監査ログ"
  keys 1
  shot "$state/inet-restrict" "Internet access" "インターネット"
  keys Left; keys F2
  shot "$state/inet-restrict-warning" "Internet access" "インターネット"
  keys n
  keys Escape
  shot "$state/inet-restrict-discard" "Discard the changes?" "変更を破棄しますか"
  keys y
  keys 2
  shot "$state/auto-unlock" "Automatic unlock" "自動ロック解除"
  back
  keys 3
  shot "$state/password" "Change password" "パスワード変更"
  back
  keys 4
  shot "$state/audit-log" "Login" "ログイン"
  if [ "$state" = filled ]; then
    # Enter on the newest entry (the list has the focus) opens it whole.
    keys Enter
    shot "$state/audit-entry" "(secret.verify)" "(secret.verify)"
    keys Enter
  fi
  back 2
}

# The extension user's own console (ユーザーカスコン).
walk_user() {
  keys F10; keys y
  wait_for "$(L "Site domain name" "拠点ドメイン名")" 20 >/dev/null
  login $F sato2001 abcd1234
  shot user/main-menu "Extension number check" "内線番号確認"
  keys 1
  shot user/ext "2001" "2001"
  back
  keys 2
  shot user/fwd "0312345678" "0312345678"
  back
  keys 3
  shot user/password "password" "パスワード"
  back
  # Quit, so that the user's logout is in the audit log before the next
  # console logs in (a closed terminal would log it out a moment later).
  keys F10; keys y
  wait_for KASCON-EXITED 20 >/dev/null
}

# The lists again at 132x43, on the filled site: columns widen.
walk_wide() {
  TAG="${LANG_RUN%%.*}/132x43"
  start_console "$LANG_RUN" 132 43
  wait_for "$(L "Site domain name" "拠点ドメイン名")" 20 >/dev/null
  login $F admin secret12
  keys 1; keys 1; keys 1
  shot profile-list "Registered:" "登録数:"
  # The arrows move the list while the search field has the focus.
  keys Down; keys Down; keys Tab; keys Enter
  check "$TAG: arrows in the search field moved the list (2003 opened)" wait_gone 2005
  check "$TAG: ... the profile of 2003" wait_for 09011110003
  back
  shot profile-list-after "Registered:" "登録数:"
  back
  keys 3
  shot locked-users "Locked users" "ロック中ユーザー"
  back 2
  keys 3
  shot pickup-list "Pickup group" "ピックアップグループ"
  keys Tab; keys Tab; keys Enter
  shot pickup-edit "2003" "2003"
  back 2
  keys 4
  shot hunt-list "hunting" "ハンティング"
  keys Tab; keys Tab; keys Enter
  shot hunt-edit "2004" "2004"
  back 3
  keys 2; keys 1; keys 6
  shot unassigned "Unassigned numbers:" "未割当番号:"
  back 3
  keys 1; keys 7; keys 1
  type_text pochi; keys Enter
  shot cdr-files "2026-06-13" "2026-06-13"
  keys Enter
  shot cdr-view "2026/06/15" "2026/06/15"
  back 4
  keys 3; keys 4
  shot audit-log "Login" "ログイン"
}

run() { # LANG STATE
  LANG_RUN=$1
  local state=$2 lang=${1%%.*}
  TAG="$lang/80x24"
  start_console "$1" 80 24
  if [ "$state" = filled ]; then
    walk_login
  else
    wait_for "$(L "Site domain name" "拠点ドメイン名")" 20 >/dev/null
    login $E admin secret12
    wait_for "$(L "Main menu" "メインメニュー")" 20 >/dev/null
  fi
  walk_service "$state"
  walk_mobile "$state"
  walk_cdr "$state"
  walk_other "$state"
  if [ "$state" = filled ]; then walk_user; walk_wide; fi
}

# SCREENS_LANGS narrows a run to some locales (while working on one).
# Demo call records stop at the present, and the 92-day limit is named.
setup
check "demo call records are never in the future" \
  bash -c "! \"\$KASCONCTL\" cdr show $F 2026-06-15 --limit 1000 | grep -E '2026/06/15 (09:[3-5][0-9]:[0-9][0-9]|09:30:0[1-9]|1[0-9]:|2[0-3]:)' | grep -v '^#'"
check "... yet today has records" bash -c "\"\$KASCONCTL\" cdr show $F 2026-06-15 | grep -q '2026/06/15 0'"
check "cdr demo --days 100 is refused" run_ctl 2 cdr demo $F --days 100
check "... naming the 92-day limit" grep -q 92 "$TMP/err"

for lang in ${SCREENS_LANGS:-C.UTF-8 ja_JP.UTF-8}; do
  setup
  run $lang empty
  run $lang filled
done

# Kinsoku over every Japanese screen: no line starts with closing
# punctuation or a long vowel mark, none ends with an opening bracket
# (inside a dialog's border too).
if [ -d "$GOLDEN/ja_JP" ]; then
  check "kinsoku: no Japanese line starts with 、。，．）」』】ー・ and the like" \
    bash -c "! grep -rnE '^[ ]*([0-9]?[xa-z]{1,2} )?[、。，．）」』】〕ー・：；？！ぁぃぅぇぉっゃゅょァィゥェォッャュョ]' '$GOLDEN/ja_JP'"
  check "kinsoku: no Japanese line ends with （「『【" \
    bash -c "! grep -rnE '[（「『【〔] *(x…?)?$' '$GOLDEN/ja_JP'"
fi
done_testing

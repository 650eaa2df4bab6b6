#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What a newcomer sees after ./quickstart: the built kascon, run with LANG
# as the only locale variable (no LC_ALL, LOCPATH or catalogue directory),
# opens a Japanese login screen on the system's ja_JP.UTF-8 locale, with
# the demo site and user filled in (--site, --user) so that only the
# password is typed.
. "${top_srcdir:-.}/tests/tmux.sh"
if ! locale -a 2>/dev/null | grep -qix 'ja_JP.utf-\{0,1\}8'; then
  echo "1..0 # SKIP the ja_JP.UTF-8 locale is not generated (./quickstart generates it)"
  exit 0
fi
DOMAIN=demo.example.jp
"$KASCONCTL" site add "$DOMAIN" --capacity 10 >/dev/null
echo 'FirstPass1' | "$KASCONCTL" admin add "$DOMAIN" admin >/dev/null

# start_newcomer LANG: kascon in a clean environment: PATH, HOME, TERM, LANG.
start_newcomer() {
  end_tmux "$SOCK"
  RUNS=$((RUNS + 1)); SOCK="kascon-test-$$-$RUNS"
  T new-session -d -x 80 -y 24 -s main \
    "env -i PATH=/usr/bin:/bin HOME='$TMP' TERM=xterm-256color LANG=$1 \
     '$KASCON' --db '$KASCON_DB' --site $DOMAIN --user admin; echo KASCON-EXITED \$?; sleep 30"
}

start_newcomer ja_JP.UTF-8
check "LANG=ja_JP.UTF-8 alone: a Japanese login screen" wait_for "拠点ドメイン名"
on_screen_now() { screen | grep -q -- "$1"; }
on_screen() { eventually on_screen_now "$1"; }
check "... the demo site filled in" on_screen "拠点ドメイン名 *$DOMAIN"
check "... and the user" on_screen "ユーザー名 *admin"
type_text FirstPass1; keys Enter
check "... only the password to type: the main menu" wait_for "メインメニュー"

start_newcomer C.UTF-8
check "LANG=C.UTF-8: the login screen in English" wait_for "Site domain name"
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A console login decided on a read has its audit row written after the
# first screen (doc/design.md §2).  When that row cannot be written (here:
# another writer holds the write lock past the busy timeout) the login has
# not taken effect: the console says so, in each language, and returns to
# the login screen; no login and no logout is audited for it.
. "${top_srcdir:-.}/tests/tmux.sh"
time_bound 600
D=t.example.jp
"$KASCONCTL" site add $D --capacity 20 >/dev/null
echo 'secret12' | "$KASCONCTL" admin add $D admin >/dev/null
audits() { q "select count(*) from audit where action in ('login', 'logout') and actor = 'admin'"; }

run_locale() {
  local lang=$1
  if [ "$lang" = C.UTF-8 ]; then
    L_MAIN="Main menu"; L_LOGIN="Site domain name"
    L_NOTREC="The login could not be written to the audit log, so it has not taken effect"
  else
    L_MAIN="メインメニュー"; L_LOGIN="拠点ドメイン名"
    L_NOTREC="ログインを監査ログに記録できなかったため、ログインは無効です"
  fi
  local before
  # The console first: its tmux server would keep the holder's input open.
  # (Starting it ends the previous run's console, whose logout is audited.)
  start_console "$lang" 100 30
  await_login
  before=$(audits)
  # The sqlite3 shell as the database's owner holds the write lock until
  # its input ends.
  rm -f "$TMP/hold"; mkfifo "$TMP/hold"
  q -cmd '.timeout 60000' <"$TMP/hold" >"$TMP/hold.out" 2>&1 &
  local hold_pid=$!
  exec 7>"$TMP/hold"
  echo "BEGIN IMMEDIATE; SELECT 'held';" >&7
  held() { grep -qx held "$TMP/hold.out"; }
  check "$lang: another writer holds the write lock" eventually held
  type_text $D; keys Tab; type_text admin; keys Tab; type_text secret12; keys Enter
  check "$lang: the login reaches the main menu meanwhile" wait_for "$L_MAIN" 60
  # The audit row waits for the lock about 10 s, then gives up.
  check "$lang: its audit row cannot be written: the console says so" wait_for "$L_NOTREC" 90
  check "$lang: ... naming the storage error" wait_for "901" 10
  exec 7>&-
  wait "$hold_pid"
  keys Enter
  check "$lang: ... and returns to the login screen" wait_for "$L_LOGIN" 30
  check "$lang: ... with no main menu behind it" wait_gone "$L_MAIN" 30
  check "$lang: no login or logout audited for it" test "$(audits)" = "$before"
  # With the lock free, the same login takes effect and is audited.
  type_text $D; keys Tab; type_text admin; keys Tab; type_text secret12; keys Enter
  check "$lang: logging in again works" wait_for "$L_MAIN" 60
  recorded() { [ "$(audits)" -gt "$before" ]; }
  check "$lang: ... and is audited" eventually recorded
}
run_locale C.UTF-8
run_locale ja_JP.UTF-8
done_testing

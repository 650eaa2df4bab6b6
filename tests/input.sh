#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What a person types into the console's fields, in English and Japanese:
# too long, pasted, full-width, Ctrl-C and Esc in the middle of an edit,
# then the stored values read back with kasconctl.  And a second
# administrator getting the row at once when the first one's terminal
# window is closed.
. "${top_srcdir:-.}/tests/tmux.sh"

"$KASCONCTL" site add t.example.jp --capacity 20 --site-number 81 >/dev/null
echo 'secret12' | "$KASCONCTL" admin add t.example.jp admin >/dev/null
echo 'secret34' | "$KASCONCTL" admin add t.example.jp admin2 >/dev/null

login() { # DOMAIN USER PASSWORD
  type_text "$1"; keys Tab; type_text "$2"; keys Tab; type_text "$3"; keys Enter
}
# paste TEXT: a paste as a terminal delivers it (bracketed when the
# console asked for that).
paste() { T set-buffer -b p -- "$1"; T paste-buffer -p -d -b p -t main; }
# field_shows LABEL VALUE: the line of the field LABEL comes to show VALUE.
field_line_has() { screen | grep -F -- "$1" | grep -qF -- "$2"; }
field_shows() { eventually field_line_has "$@"; }
field_lacks() { ! screen | grep -F -- "$1" | grep -qF -- "$2"; }
# stored LINE: kasconctl lists the profile exactly so (tab-separated).
stored() { "$KASCONCTL" ext list t.example.jp | grep -qxF -- "$1"; }
not_stored() { ! "$KASCONCTL" ext list t.example.jp | grep -q "^$1"$'\t'; }

run_locale() {
  local lang=$1 ext=$2 fwext=$3
  if [ "$lang" = C.UTF-8 ]; then
    L_LOGIN="Site domain name"; L_MAIN="Main menu"; L_REG="Registered:"; L_EXT="Extension number"
    L_SIP="SIP user name"; L_WEBUSER="Web console user name"; L_DONE="has been registered"
    L_MAX15="Up to 15 characters."; L_MAX32="Up to 32 characters."; L_MAX8="Up to 8 characters."
    L_DIGITS="Only half-width digits can be typed here."
    L_ALNUM="Only half-width letters and digits can be typed here."
    L_DISCARD="Discard the changes?"; L_QUIT="Discard the changes and quit?"
    L_EXTCHECK="Extension number check"
  else
    L_LOGIN="拠点ドメイン名"; L_MAIN="メインメニュー"; L_REG="登録数:"; L_EXT="内線番号"
    L_SIP="SIPユーザー名"; L_WEBUSER="WEBカスコンユーザー名"; L_DONE="を登録しました"
    L_MAX15="15文字までです"; L_MAX32="32文字までです"; L_MAX8="8文字までです"
    L_DIGITS="半角数字のみ入力できます"; L_ALNUM="半角英数字のみ入力できます"
    L_DISCARD="変更を破棄しますか"; L_QUIT="変更を破棄して終了しますか"
    L_EXTCHECK="内線番号確認"
  fi
  start_console "$lang"
  wait_for "$L_LOGIN" >/dev/null
  login t.example.jp admin secret12
  check "$lang: main menu" wait_for "$L_MAIN"
  keys 1; keys 1; keys 1
  wait_for "$L_REG" >/dev/null
  keys F2
  wait_for "1/2" >/dev/null
  # A 17-digit paste into the 15-digit field: refused whole, aloud.
  paste 20011234567890123
  check "$lang: a paste past the limit names the limit" wait_for "$L_MAX15"
  check "$lang: ... and inserts nothing" field_lacks "$L_EXT" 2001123
  # Full-width digits from an input method become half-width, visibly.
  type_text "$fwext"
  check "$lang: full-width digits typed become half-width ($ext)" wait_for "$ext"
  check "$lang: ... and the limit message is gone" wait_gone "$L_MAX15"
  type_text 'あ'
  check "$lang: a kana in a number field is refused aloud" wait_for "$L_DIGITS"
  check "$lang: ... and not inserted" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -F '$L_EXT' | grep -qF 'あ'"
  # 16 digits: the 16th key is refused, the 15 shown stay.
  keys C-u; paste 200112345678901
  wait_for 200112345678901 >/dev/null
  keys 9
  check "$lang: a key past the limit is refused aloud" wait_for "$L_MAX15"
  check "$lang: ... the field keeps 15 digits" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -qF 2001123456789019"
  keys C-u; type_text "$ext"; keys Enter
  check "$lang: step 2" wait_for "$L_SIP"
  keys Up; keys C-u
  paste "s$(printf 'x%.0s' $(seq 32))"
  check "$lang: a 33-character SIP user name is refused" wait_for "$L_MAX32"
  type_text "sip$ext"; keys Tab; type_text "pw$ext"; keys Tab
  type_text "ｗｅｂ$fwext"
  check "$lang: full-width letters become half-width" field_shows "$L_WEBUSER" "web$ext"
  type_text "-"
  check "$lang: a hyphen in a user name is refused aloud" wait_for "$L_ALNUM"
  keys Tab; type_text abcd1234; wait_gone "$L_ALNUM" >/dev/null; keys 5
  check "$lang: a 9th character of the web password is refused" wait_for "$L_MAX8"
  # Ctrl-C in the middle of an edit asks; No keeps everything.
  keys C-c
  check "$lang: Ctrl-C with unsaved edits asks" wait_for "$L_QUIT"
  keys n
  check "$lang: ... No keeps the form" wait_for "web$ext"
  keys Enter
  check "$lang: registered" wait_for "$L_DONE"
  check "$lang: stored as shown: sip$ext, web$ext" stored "$ext"$'\t'mobile$'\t'-$'\t'sip$ext$'\t'web$ext
  # Esc with unsaved edits asks before throwing them away.
  type_text 4$((ext + 1))
  keys Escape
  check "$lang: Esc with unsaved edits asks" wait_for "$L_DISCARD"
  keys n
  check "$lang: ... No stays on the form" field_shows "$L_EXT" "4$((ext + 1))"
  keys Escape; wait_for "$L_DISCARD" >/dev/null; keys y
  check "$lang: ... Yes goes back to the list" wait_for "$L_REG"
  check "$lang: ... and nothing was stored" not_stored "4$((ext + 1))"
  # Without edits Esc does not ask, and Ctrl-C quits at once.
  keys F2; wait_for "1/2" >/dev/null; keys Escape
  check "$lang: Esc without edits goes back" wait_for "$L_REG"
  keys C-c
  check "$lang: Ctrl-C without edits quits" wait_for "KASCON-EXITED 0"
  # The web password saved is the 8 characters shown: its user logs in.
  start_console "$lang"
  wait_for "$L_LOGIN" >/dev/null
  login t.example.jp "web$ext" abcd1234
  check "$lang: the new user logs in with the 8 characters shown" wait_for "$L_EXTCHECK"
}

run_locale C.UTF-8 2001 '２００１'
run_locale ja_JP.UTF-8 3001 '３００１'

# A second administrator waits for a row while the first one's terminal
# window is closed: the lock goes with the window, not after the lease.
SOCKB="kascon-test-$$-b"
TB() { tmux -L "$SOCKB" -f /dev/null "$@"; }
at_exit 'end_tmux "$SOCKB"'
locks() { q "select count(*) from locks"; }
start_console C.UTF-8
wait_for "Site domain name" >/dev/null
login t.example.jp admin secret12
wait_for "Main menu" >/dev/null
keys 1; keys 1; keys 1; wait_for "Registered:" >/dev/null
keys C-u; type_text 2001; keys Enter; wait_for sip2001 >/dev/null; keys Enter
check "the first administrator edits 2001" wait_for "SIP password (empty: unchanged)"
check "... holding its lock" test "$(locks)" = 1
TB new-session -d -x 80 -y 24 -s main \
  "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color '$KASCON' --db '$KASCON_DB'; sleep 30"
SOCK_A=$SOCK; SOCK=$SOCKB
wait_for "Site domain name" >/dev/null
login t.example.jp admin2 secret34
wait_for "Main menu" >/dev/null
keys 1; keys 1; keys 1; wait_for "Registered:" >/dev/null
keys C-u; type_text 2001; keys Enter; wait_for sip2001 >/dev/null; keys Enter
check "the second administrator sees it read only" wait_for "Read only: admin is editing"
start=$(date +%s%N)
tmux -L "$SOCK_A" kill-server
gone() { test "$(locks)" = 0; }
i=0; while ! gone && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
ms=$((($(date +%s%N) - start) / 1000000))
check "closing the first terminal releases its lock (${ms} ms; the lease is 120 s)" gone
logout_audited() { test "$(q "select count(*) from audit where action='logout' and actor='admin'")" -ge 1; }
check "... and its logout is audited" eventually logout_audited
# The second administrator's form follows without a key (no F5, no
# leaving and coming back).
check "... and the second administrator's form opens by itself" wait_gone "Read only"
check "... saying so" wait_for "The profile is yours to edit now."
check "... to edit the row" wait_for "SIP password (empty: unchanged)"
# SIGTERM (a shutdown) releases the second one's lock the same way.
check "the second administrator holds the lock now" test "$(locks)" = 1
kill -TERM "$(pgrep -P "$(TB display -p -t main '#{pane_pid}')" -x kascon)"
i=0; while ! gone && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
check "SIGTERM releases the lock" gone

# A dialog's answer typed together with what comes next (typing ahead,
# or keys batched on a slow link): y answers, the rest goes to the next
# screen, instead of the whole burst being taken for a paste and dropped.
start_console C.UTF-8
await_login
login t.example.jp admin secret12
wait_for "Main menu" >/dev/null
keys F10
wait_for "Do you want to log out?" >/dev/null
type_text "yt.example.jp"
check "y typed together with the next screen's text answers the dialog" wait_for "Site domain name"
check "... and the rest goes to the login form's first field" field_shows "Site domain name" t.example.jp
done_testing

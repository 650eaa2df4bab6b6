# SPDX-License-Identifier: GPL-3.0-or-later
# Drive the real console in a private tmux server, as a person would:
# send-keys to type, capture-pane -p to read the screen.
# shellcheck shell=bash
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..0 # SKIP tmux not installed"; exit 0; }
# One tmux server per console run: a server being killed never races the
# next one's start.
RUNS=0
SOCK="kascon-test-$$-0"
# No settings file (-f /dev/null): a ~/.tmux.conf (status line, keys, sizes)
# is not the test's.
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
# proc_id PID: the process's number and start time (a number can be
# reused), or nothing when it has ended.
proc_id() { local s; s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20) && [ -n "$s" ] && echo "$1:$s"; }
# tree PID: the process and every descendant.
tree() { local c; echo "$1"; for c in $(pgrep -P "$1"); do tree "$c"; done; }
# pane_procs SOCKET LIST-PANES-ARGS...: every process of those panes, as
# proc_id gives it.
pane_procs() {
  local sock=$1 pane p id; shift
  for pane in $(tmux -L "$sock" list-panes "$@" -F '#{pane_pid}' 2>/dev/null); do
    for p in $(tree "$pane"); do id=$(proc_id "$p") && echo "$id"; done
  done
}
# reap IDS...: waits for these processes to end (after their terminal has
# closed).  What is still there after 10 s is killed, so no test leaves a
# process behind.  Seen under ASan: a console whose exit-time leak check
# met the SIGHUP and SIGCONT its orphaned process group gets spins forever.
reap() {
  local ids="$*" id i left
  for ((i = 0; i < 100; i++)); do
    left=""
    for id in $ids; do [ "$(proc_id "${id%%:*}")" = "$id" ] && left+=" $id"; done
    ids=$left
    [ -z "$ids" ] && return 0
    sleep 0.1
  done
  for id in $ids; do
    echo "# process ${id%%:*} still ran 10 s after its terminal closed: killed"
    kill -KILL "${id%%:*}" 2>/dev/null
  done
  return 0
}
# end_tmux SOCKET: ends a tmux server and what runs in its panes.
end_tmux() {
  local ids
  ids=$(pane_procs "$1" -a)
  tmux -L "$1" kill-server 2>/dev/null
  reap $ids
}
# end_session NAME: ends one session of the test's server and what runs in
# its panes (a session killed alone would leave them to nobody).
end_session() {
  local ids
  ids=$(pane_procs "$SOCK" -s -t "$1")
  T kill-session -t "$1"
  reap $ids
}
cleanup_tmux() {
  local i
  for i in $(seq 0 "$RUNS"); do end_tmux "kascon-test-$$-$i"; done
}
at_exit cleanup_tmux

# start_console LANG [COLS ROWS]: runs kascon on $KASCON_DB in a new pane.
start_console() {
  local lang=$1 cols=${2:-80} rows=${3:-24} locpath=""
  end_tmux "$SOCK"
  RUNS=$((RUNS + 1)); SOCK="kascon-test-$$-$RUNS"
  if [ "${lang#ja}" != "$lang" ]; then locpath=$(ja_locale); fi
  T new-session -d -x "$cols" -y "$rows" -s main \
    "env LANG=$lang LC_ALL=$lang LANGUAGE= LOCPATH=$locpath TERM=xterm-256color \
     KASCON_NOW='${KASCON_NOW:-}' NO_COLOR='${NO_COLOR:-}' '$KASCON' --db '$KASCON_DB'; \
     echo KASCON-EXITED \$?; sleep 30"
}
# PANE names another pane or window of the test server (main unless set).
screen() { T capture-pane -p -t "${PANE:-main}"; }
# await_login: waits for the login screen (either language), so that what
# is typed next reaches its fields and not a terminal still starting.
login_screen_shown() { screen | grep -qE 'Site domain name|拠点ドメイン名'; }
await_login() {
  eventually login_screen_shown && return 0
  echo "# timed out waiting for the login screen"; screen | sed 's/^/#   |/'
  return 1
}
# keys KEY...: one key at a time, as typed (Esc needs its own moment, or
# curses reads Esc+key as one Alt sequence).
keys() {
  local k
  for k in "$@"; do
    T send-keys -t "${PANE:-main}" "$k"
    case "$k" in Escape) sleep 0.1;; *) sleep 0.02;; esac
  done
}
# type_text TEXT: literal text, no key names.
type_text() { T send-keys -t "${PANE:-main}" -l "$1"; }
# wait_for TEXT [SECONDS]: polls the screen until TEXT shows (30 s unless
# told: a screen under ASan on a loaded machine can take seconds).
wait_for() {
  local text=$1 limit=${2:-30} i=0
  while [ $i -lt $((limit * 20)) ]; do
    screen | grep -qF -- "$text" && return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "# timed out waiting for: $text"; screen | sed 's/^/#   |/'
  return 1
}
# wait_gone TEXT [SECONDS]: polls until TEXT is no longer on the screen.
wait_gone() {
  local text=$1 limit=${2:-30} i=0
  while [ $i -lt $((limit * 20)) ]; do
    screen | grep -qF -- "$text" || return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "# still on screen: $text"; screen | sed 's/^/#   |/'
  return 1
}
# answer KEY: answers the Yes/No dialog on the screen with KEY and returns
# once it has closed, so that what is checked next follows the answer (the
# screen behind a dialog answered No reads as before it).
dialog_open() { screen | grep -qE '\[ (Yes|はい) \]  \[ (No|いいえ) \]'; }
answer() {
  eventually dialog_open || { echo "# no Yes/No dialog to answer"; screen | sed 's/^/#   |/'; return 1; }
  keys "$1"
  eventually eval '! dialog_open' && return 0
  echo "# the dialog did not close"; screen | sed 's/^/#   |/'
  return 1
}
# keys_read: returns once the console has read every key sent before it:
# it reads keys in order, so the help that F1 opens shows only after them
# (Esc closes it again).  For a check that keys changed nothing visible.
help_shown() { screen | head -n 1 | grep -qE '> (Help|ヘルプ)$'; }
keys_read() {
  keys F1
  eventually help_shown || { echo "# the help did not open"; screen | sed 's/^/#   |/'; return 1; }
  keys Escape
  eventually eval '! help_shown' && return 0
  echo "# the help did not close"; screen | sed 's/^/#   |/'
  return 1
}
# result_line: the line under ■Result (the outcome of the last action).
result_line() { screen | grep -A1 $'\xe2\x96\xa0' | tail -1; }
# click COL ROW: a left click (1-based), as xterm reports it in SGR mode.
click() {
  T send-keys -t main -l $'\e[<0;'"$1;$2M"; sleep 0.02
  T send-keys -t main -l $'\e[<0;'"$1;$2m"; sleep 0.02
}

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kascond end to end with the stock OpenSSH client: logins and lockout,
# public keys, refusals, caps, trusted networks.  The server listens on a
# free loopback port of its own choosing (--listen 127.0.0.1:0).
#
# MAIN_MENU_TEXT is the main menu's title after login (the tests run in
# the C locale).
. "${top_srcdir:-.}/tests/lib.sh"
MAIN_MENU_TEXT=${MAIN_MENU_TEXT-Main menu}

for tool in ssh sshpass tmux ssh-keygen sftp; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..0 # SKIP $tool is not installed (./quickstart installs it)"
    exit 0
  fi
done

private_tmux ssh
time_bound 900

# wait_eq SECONDS WANT COMMAND...: polls until the command prints WANT.
wait_eq() {
  local end=$((SECONDS + $1)) want=$2; shift 2
  until [ "$("$@")" = "$want" ]; do
    [ "$SECONDS" -ge "$end" ] && return 1
    sleep 0.1
  done
}

DOMAIN=tokyo.example.jp
PW=secret12
"$KASCONCTL" site add "$DOMAIN" --capacity 10 >/dev/null
echo "$PW" | "$KASCONCTL" admin add "$DOMAIN" admin >/dev/null

cat >"$TMP/kascond.conf" <<EOF
# settings file: flags on the command line win
listen = 192.0.2.1:1
login-grace-time = 4
max-unauthenticated-per-source = 3
idle-timeout = 900
EOF
# Call history of a day 100 days ago, for the retention kascond runs at start.
KASCON_NOW=$(( $(date +%s) - 100 * 86400 )) "$KASCONCTL" cdr demo "$DOMAIN" --days 1 --per-day 5 >/dev/null 2>&1
old_files=$(q "select count(*) from cdr_files")

# The Japanese locale and catalogue of the build tree, for the console
# of a client that asks for LANG=ja_JP.UTF-8.
LOCPATH=$(ja_locale) \
check "kascond starts and logs its port" start_kascond --config "$TMP/kascond.conf" \
  --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key"
server_pid=$KASCOND_PID PORT=$KASCOND_PORT
no_cdr_files() { [ "$(q 'select count(*) from cdr_files')" = 0 ]; }
check "call history older than 92 days is deleted at start ($old_files file before)" \
  wait_for 30 no_cdr_files
check "... and logged" log_has "Call-history retention deleted 1 file"
check "host key created 0600" test "$(stat -c %a "$TMP/host_key" 2>/dev/null)" = 600

SSH_OPTS=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
          -o LogLevel=ERROR -o ConnectTimeout=10 -o IdentityAgent=none -o IdentitiesOnly=yes)
PW_OPTS=(-o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1)

# attempt PASSWORD USER [METHOD]: one password login that asks for `true`;
# kascond runs only its own commands, so "unknown command" means the login
# itself succeeded.  Prints "ok" or "denied" (or the client's error).
attempt() {
  local pw=$1 user=$2 method=${3:-password}
  timeout 60 sshpass -p "$pw" ssh "${SSH_OPTS[@]}" "${PW_OPTS[@]}" -p "$PORT" \
    -o PreferredAuthentications="$method" "$user@127.0.0.1" true 2>"$TMP/attempt.err"
  if grep -q 'unknown command: true' "$TMP/attempt.err"; then echo ok
  elif grep -q 'Permission denied' "$TMP/attempt.err"; then echo denied
  else echo "other: $(tr '\n' ' ' <"$TMP/attempt.err")"; fi
}
is() { local got=$1 want=$2; [ "$got" = "$want" ] || { echo "#   got '$got', want '$want'"; return 1; }; }

# ---- the console over ssh, in tmux ----
pane() { tmux -L "$TMUX_SOCKET" capture-pane -p -t kascon; }
pane_has() { pane | grep -qF -- "$1"; }
tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s kascon -x 80 -y 24 \
  "sshpass -p $PW ssh ${SSH_OPTS[*]} -o PubkeyAuthentication=no -p $PORT -M -S $TMP/mux -tt admin@$DOMAIN@127.0.0.1; sleep 60"
check "login as admin@$DOMAIN shows the main menu" wait_for 60 pane_has "$MAIN_MENU_TEXT"
check "login logged like sshd" log_has "Accepted keyboard-interactive for admin@$DOMAIN from 127.0.0.1 port [0-9]* ssh2"
# The audit row of a login is written once its first screen is on its way to
# the client (and before the console takes a key): it may come just after.
login_audited() { test "$(q "select count(*) from audit where action='login' and source='127.0.0.1'")" -ge 1; }
check "login audited with the source address" eventually login_audited

# The console's terminal follows the client's window.
console_size() {
  local pid
  for pid in $(pgrep -P "$server_pid"); do
    for c in $(pgrep -P "$pid"); do stty -F "/proc/$c/fd/0" size 2>/dev/null && return; done
  done
}
tmux -L "$TMUX_SOCKET" resize-window -t kascon -x 100 -y 30
check "window-change reaches the console's pty (30 rows, 100 columns)" wait_eq 30 "30 100" console_size
# The key bar is on the last of the 30 rows once the console has redrawn.
keybar_on_row_30() { pane | sed -n 30p | grep -q 'F1 Help'; }
check "console redraws for the new size (key bar on row 30)" wait_for 30 keybar_on_row_30

# A second session on the same connection (ControlMaster multiplexing).
timeout 60 ssh "${SSH_OPTS[@]}" -o BatchMode=yes -o ControlMaster=no -S "$TMP/mux" -p "$PORT" \
  -T x@127.0.0.1 true 2>"$TMP/mux.err"
check "second session channel refused" grep -q 'Session open refused' "$TMP/mux.err"
check "... and logged" log_has "Refused a second session channel for admin"
check "the first session is still there" pane_has "$MAIN_MENU_TEXT"

# A client whose LANG is Japanese (OpenSSH's SendEnv) gets the console in
# Japanese; the first session stays in English.
tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s kasconja -x 80 -y 24 \
  "LANG=ja_JP.UTF-8 sshpass -p $PW ssh ${SSH_OPTS[*]} -o SendEnv=LANG -o PubkeyAuthentication=no -p $PORT -tt admin@$DOMAIN@127.0.0.1; sleep 60"
pane_ja() { tmux -L "$TMUX_SOCKET" capture-pane -p -t kasconja; }
pane_ja_has() { pane_ja | grep -qF -- "$1"; }
check "LANG=ja_JP.UTF-8 client: the main menu in Japanese" wait_for 60 pane_ja_has "メインメニュー"
check "... with the guide's labels" wait_for 30 pane_ja_has "サービス設定"
check "the English session is unaffected" pane_has "$MAIN_MENU_TEXT"
tmux -L "$TMUX_SOCKET" kill-session -t kasconja
tmux -L "$TMUX_SOCKET" kill-session -t kascon
check "disconnect ends the console and is logged" log_has "Disconnected from user admin 127.0.0.1"
logouts() { q "select count(*) from audit where action='logout'"; }
check "... and audited (both sessions)" wait_eq 30 2 logouts

# ---- authentication ----
check "password login" is "$(attempt $PW admin@$DOMAIN)" ok
check "single site: @SITE may be left out" is "$(attempt $PW admin)" ok
check "keyboard-interactive login" is "$(attempt $PW admin@$DOMAIN keyboard-interactive)" ok
check "a command other than kascon's own refused" grep -q 'unknown command: true' "$TMP/attempt.err"
check "... and logged" log_has 'Command "true" for admin from 127.0.0.1 port [0-9]* exited with 2'
check "unknown user refused" is "$(attempt $PW nobody@$DOMAIN)" denied
# The reply without the "USER@HOST: " the client puts in front of it.
reply() { sed 's/^[^ ]*@127\.0\.0\.1: //' "$TMP/attempt.err"; }
reply >"$TMP/unknown.err"
check "unknown site refused" is "$(attempt $PW admin@nowhere.example.jp)" denied

for i in 1 2 3; do
  r=$(attempt wrong$i.pw admin@$DOMAIN)
  [ "$r" = denied ] || echo "# wrong password $i: $r"
done
check "wrong password: the same reply as an unknown user" test "$(reply)" = "$(cat "$TMP/unknown.err")"
check "failures logged like sshd" log_has "Failed password for admin@$DOMAIN from 127.0.0.1 port [0-9]* ssh2"
check "third failure locks (logged)" log_has "Locked account admin@$DOMAIN after 3 failed logins"
check "... and audited with the source address" \
  test "$(q "select count(*) from audit where action='login.lock' and source='127.0.0.1'")" = 1
check "locked: the right password is refused" is "$(attempt $PW admin@$DOMAIN)" denied
check "locked: the same reply again" test "$(reply)" = "$(cat "$TMP/unknown.err")"
check "locked: keyboard-interactive refused too" is "$(attempt $PW admin@$DOMAIN keyboard-interactive)" denied

ssh-keygen -q -t ed25519 -N '' -C test@kascon -f "$TMP/id" >/dev/null
"$KASCONCTL" admin key add "$DOMAIN" admin <"$TMP/id.pub" >/dev/null
key_attempt() {
  timeout 60 ssh "${SSH_OPTS[@]}" -o BatchMode=yes -o PreferredAuthentications=publickey \
    -i "$TMP/id" -p "$PORT" "admin@$DOMAIN@127.0.0.1" true 2>"$TMP/attempt.err"
  if grep -q 'unknown command: true' "$TMP/attempt.err"; then echo ok
  elif grep -q 'Permission denied' "$TMP/attempt.err"; then echo denied
  else echo "other: $(tr '\n' ' ' <"$TMP/attempt.err")"; fi
}
check "locked: a registered key is refused" is "$(key_attempt)" denied
check "... logged as locked" log_has "User admin@$DOMAIN not allowed because account is locked"

"$KASCONCTL" admin unlock "$DOMAIN" admin >/dev/null
check "after kasconctl admin unlock the password is accepted" is "$(attempt $PW admin@$DOMAIN)" ok
check "public-key login with a registered key" is "$(key_attempt)" ok
check "... logged with the key fingerprint" log_has "Accepted publickey for admin@$DOMAIN from 127.0.0.1 port [0-9]* ssh2: ssh-ed25519 SHA256:"
"$KASCONCTL" admin key remove "$DOMAIN" admin 1 >/dev/null
check "a removed key is refused" is "$(key_attempt)" denied

# ---- refusals ----
timeout 60 sshpass -p $PW ssh "${SSH_OPTS[@]}" "${PW_OPTS[@]}" -p "$PORT" -N \
  -o ExitOnForwardFailure=yes -R 0:127.0.0.1:"$PORT" "admin@$DOMAIN@127.0.0.1" 2>"$TMP/fwd.err"
check "remote port forwarding (tcpip-forward) refused" grep -q 'remote port forwarding failed' "$TMP/fwd.err"

lport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 42422)
timeout 30 sshpass -p $PW ssh "${SSH_OPTS[@]}" "${PW_OPTS[@]}" -p "$PORT" -N \
  -L "127.0.0.1:$lport:127.0.0.1:$PORT" "admin@$DOMAIN@127.0.0.1" 2>"$TMP/fwdl.err" &
fwd_pid=$!
forwarded() { timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$lport; head -c 7 <&3" 2>/dev/null; }
wait_for 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/$lport" 2>/dev/null
# Through a working forward this would read kascond's own "SSH-2.0" banner.
check "local port forwarding (direct-tcpip) refused" test "$(forwarded)" != "SSH-2.0"
check "... and logged" log_has "Refused port forwarding (direct-tcpip)"
kill "$fwd_pid" 2>/dev/null; wait "$fwd_pid" 2>/dev/null

timeout 60 sshpass -p $PW sftp "${SSH_OPTS[@]}" "${PW_OPTS[@]}" -P "$PORT" "admin@$DOMAIN@127.0.0.1" \
  <<<"ls" >"$TMP/sftp.out" 2>"$TMP/sftp.err"
check "sftp shows the administrator's file area (tests/sftp.sh tests it in full)" grep -q 'inbox' "$TMP/sftp.out"

timeout 60 sshpass -p $PW ssh "${SSH_OPTS[@]}" "${PW_OPTS[@]}" -p "$PORT" -T "admin@$DOMAIN@127.0.0.1" \
  </dev/null >/dev/null 2>"$TMP/nopty.err"
check "a shell without a terminal is refused" log_has "Refused shell without a pty"

# ---- インターネットアクセス規制設定 ----
"$KASCONCTL" site set "$DOMAIN" restrict-admin=on trusted-networks=192.0.2.0/24 >/dev/null
check "restricted, 127.0.0.1 not trusted: refused" is "$(attempt $PW admin@$DOMAIN)" denied
check "... logged" log_has "not allowed because not listed in the site's trusted networks"
check "... not counted as a failure" test "$(q "select failures from admins where name='admin'")" = 0
"$KASCONCTL" site set "$DOMAIN" trusted-networks=192.0.2.0/24,127.0.0.0/8 >/dev/null
check "restricted, 127.0.0.0/8 trusted: accepted" is "$(attempt $PW admin@$DOMAIN)" ok
"$KASCONCTL" site set "$DOMAIN" restrict-admin=off >/dev/null

# ---- a second site: @SITE is now required ----
"$KASCONCTL" site add osaka.example.jp --capacity 5 >/dev/null
check "two sites: user without @SITE refused" is "$(attempt $PW admin)" denied
check "two sites: admin@$DOMAIN accepted" is "$(attempt $PW admin@$DOMAIN)" ok

# ---- caps and grace time ----
# Three idle TCP connections use up the per-source allowance (3, from the
# settings file); the fourth is dropped at once, before key exchange.
exec 5<>/dev/tcp/127.0.0.1/"$PORT" 6<>/dev/tcp/127.0.0.1/"$PORT" 7<>/dev/tcp/127.0.0.1/"$PORT"
r=$(attempt $PW admin@$DOMAIN)
check "unauthenticated connections beyond the cap are dropped ($r)" \
  bash -c "case '$r' in other:*closed*|other:*reset*) exit 0;; *) exit 1;; esac"
check "... and logged" log_has "too many unauthenticated connections"
# The login grace time (4 s from the settings file) closes the idle ones:
# well before the idle timeout (900 s), with room for a loaded machine
# (CI's sanitizer pass on two busy cores).
start=$SECONDS
timeout 60 cat <&5 >/dev/null
took=$((SECONDS - start))
check "an idle connection is closed after the login grace time (4 s; took $took s)" test "$took" -le 30
exec 5>&- 6>&- 7>&-
check "after the idle connections are gone, logins work again" wait_eq 60 ok attempt $PW admin@$DOMAIN

# ---- one session crashing never touches another ----
sessions() { pgrep -P "$server_pid" | wc -l; }
wait_eq 30 0 sessions
tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s kascon -x 80 -y 24 \
  "sshpass -p $PW ssh ${SSH_OPTS[*]} -o PubkeyAuthentication=no -p $PORT -tt admin@$DOMAIN@127.0.0.1; sleep 60"
check "a session is up" wait_for 60 pane_has "$MAIN_MENU_TEXT"
# The console's is then the only session process (the earlier logins' may
# still be ending).
wait_eq 30 1 sessions
victim=$(pgrep -P "$server_pid" | head -1)
timeout 60 sshpass -p $PW ssh "${SSH_OPTS[@]}" "${PW_OPTS[@]}" -p "$PORT" -o ServerAliveInterval=1 -N \
  "admin@$DOMAIN@127.0.0.1" 2>/dev/null &
other=$!
wait_eq 30 2 sessions
kill -KILL "$(pgrep -P "$server_pid" | grep -v "^$victim\$" | head -1)" 2>/dev/null
wait "$other" 2>/dev/null
check "after another session's crash the first one still answers" pane_has "$MAIN_MENU_TEXT"
check "... and the server still accepts logins" is "$(attempt $PW admin@$DOMAIN)" ok
tmux -L "$TMUX_SOCKET" kill-session -t kascon

# ---- several administrators on one database (doc/spec.md §5) ----
echo "$PW" | "$KASCONCTL" admin add "$DOMAIN" admin2 >/dev/null
# Through the operator's bulk import: it waits for the database when a
# session is writing, where a raw sqlite3 shell would fail at once.
printf '4001,,0000000000,,,0,0,web4001,abcd1234,0\n' | "$KASCONCTL" ext import "$DOMAIN" - >/dev/null
ext_locks() { test "$(q "select count(*) from locks where object like 'ext:%'")" = "$1"; }
open_console() { # SESSION USER
  tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s "$1" -x 80 -y 24 \
    "sshpass -p $PW ssh ${SSH_OPTS[*]} -o PubkeyAuthentication=no -p $PORT -tt $2@$DOMAIN@127.0.0.1; sleep 60"
}
in_pane() { tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1" | grep -qF -- "$2"; }
# shows SESSION TEXT: waits (generously: CI runs this under load) for TEXT,
# and on failure shows the pane in the test log.
shows() {
  wait_for 60 in_pane "$1" "$2" && return 0
  echo "# $1 did not show: $2"
  tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1" | sed 's/^/#   |/'
  return 1
}
press() { # SESSION KEY...
  local s=$1 k; shift
  for k in "$@"; do tmux -L "$TMUX_SOCKET" send-keys -t "$s" "$k"; sleep 0.15; done
}
# Opens profile 4001 for editing: 1 1 1, start 4001, Enter (show), Enter (open).
# Each step waits for its screen, as a person looks before typing on.
open_profile() {
  press "$1" 1; shows "$1" "User management" || return 1
  press "$1" 1; shows "$1" "Extension profiles" || return 1
  press "$1" 1; shows "$1" "Registered:" || return 1
  tmux -L "$TMUX_SOCKET" send-keys -t "$1" -l 4001; press "$1" Enter
  shows "$1" " 4001 " || return 1
  press "$1" Enter
}
open_console edA admin
open_console edB admin2
check "two administrators logged in at once" wait_for 60 bash -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t edA | grep -q '$MAIN_MENU_TEXT' && tmux -L '$TMUX_SOCKET' capture-pane -p -t edB | grep -q '$MAIN_MENU_TEXT'"
open_profile edA
check "the first opens profile 4001 for editing" shows edA "F2 Save"
open_profile edB
check "the second sees who holds it, read only" shows edB "Read only: admin is editing this since"
check "... without a Save key" bash -c "! tmux -L '$TMUX_SOCKET' capture-pane -p -t edB | grep -q 'F2 Save'"
press edA C-u; tmux -L "$TMUX_SOCKET" send-keys -t edA -l sipA4001; press edA F2
check "the first saves" shows edA "Extension 4001 has been updated."
check "... and the lock is released" wait_for 30 ext_locks 0
press edB F5
check "the second then takes it (Reload)" shows edB "The profile is yours to edit now."
check "... and sees the first one's change" shows edB "sipA4001"
press edB C-u; tmux -L "$TMUX_SOCKET" send-keys -t edB -l sipB4001; press edB F2
check "the second saves the new version" shows edB "Extension 4001 has been updated."
check "both updates are in the audit log, none lost" test "$(q "select count(*) from audit where action='ext.update' and object='4001'")" = 2
check "the stored value is the second one's" test "$(q "select sip_id from extensions where ext='4001'")" = sipB4001

# A session killed while it holds a lock: the lease expires.
press edB Enter
check "the second holds the lock again" shows edB "F2 Save"
wait_for 30 ext_locks 1
expires=$(q "select expires_at from locks where object like 'ext:%'")
kill -KILL $(pgrep -P "$server_pid") 2>/dev/null
check "after kill -9 of its server process the console, hung up, frees the lock at once" wait_for 30 ext_locks 0
check "the lease is short (at most 2 minutes)" test $((expires - $(date +%s))) -le 120
# A console whose clock is just past the lease takes the profile.
tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s edC -x 80 -y 24 \
  "KASCON_NOW=$((expires + 1)) '$KASCON' --db '$KASCON_DB'; sleep 60"
shows edC "Site domain name"
tmux -L "$TMUX_SOCKET" send-keys -t edC -l "$DOMAIN"; press edC Tab
tmux -L "$TMUX_SOCKET" send-keys -t edC -l admin; press edC Tab
tmux -L "$TMUX_SOCKET" send-keys -t edC -l "$PW"; press edC Enter
shows edC "$MAIN_MENU_TEXT"
open_profile edC
check "past the lease another console takes the profile for editing" shows edC "F2 Save"
tmux -L "$TMUX_SOCKET" kill-session -t edC 2>/dev/null
tmux -L "$TMUX_SOCKET" kill-session -t edA 2>/dev/null
tmux -L "$TMUX_SOCKET" kill-session -t edB 2>/dev/null

# The first administrator's terminal window is closed while editing (the
# ssh client goes with it): the lock goes at once, not after the lease,
# and the second one's read-only form opens by itself.
check "the closed consoles left no lock" wait_for 30 ext_locks 0
open_console edD admin
open_console edE admin2
shows edD "$MAIN_MENU_TEXT" && shows edE "$MAIN_MENU_TEXT"
open_profile edD
check "a first administrator edits 4001 over SSH" shows edD "F2 Save"
open_profile edE
check "... a second one waits, read only" shows edE "Read only: admin is editing this since"
logouts=$(q "select count(*) from audit where action='logout' and actor='admin'")
start_ms=$(date +%s%3N)
tmux -L "$TMUX_SOCKET" kill-session -t edD
check "closing the first one's terminal frees the lock" wait_for 30 ext_locks 0
ms=$(($(date +%s%3N) - start_ms))
echo "# the lock went ${ms} ms after the window closed (the lease is 120 s)"
logged_out() { test "$(q "select count(*) from audit where action='logout' and actor='admin'")" -gt "$logouts"; }
check "... and its logout is audited" wait_for 30 logged_out
check "... and the second one's form opens by itself" shows edE "The profile is yours to edit now."
check "... for editing" shows edE "F2 Save"
check "... holding the lock now" test "$(q "select holder from locks where object like 'ext:%'")" = admin2
tmux -L "$TMUX_SOCKET" kill-session -t edE 2>/dev/null

check "no sanitizer reports from any kascond process" bash -c "! grep -q 'Sanitizer\|runtime error' '$TMP/server.log'"
check "kascond --version" bash -c "'$KASCOND' --version | grep -q '^kascond'"
check "kascond --help" bash -c "'$KASCOND' --help | grep -q -- '--listen'"
check "kascond: bad flag value is a usage error (2)" bash -c "'$KASCOND' --max-connections x 2>/dev/null; test \$? = 2"
kill "$server_pid"
check "kascond stops on SIGTERM" wait_for 30 bash -c "! kill -0 $server_pid 2>/dev/null"
stop_kascond "$server_pid"
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Terminals as Japanese administrators have them: the console in a
# ja_JP.EUC-JP terminal (output and input in EUC-JP), Shift_JIS (CP932)
# terminals through kascond by a stored setting or the client's LANG,
# refusals for TERM=dumb and unknown terminals, English on the Linux text
# console, and the end of input.  The bytes the terminal gets are read raw
# (tmux pipe-pane), since tmux itself shows UTF-8.
. "${top_srcdir:-.}/tests/tmux.sh"
needs ssh sshpass xxd iconv localedef
locdir=$(ja_locale) || { echo "1..0 # SKIP localedef cannot build ja_JP.UTF-8"; exit 0; }
if [ ! -d "$locdir/ja_JP.EUC-JP" ]; then
  localedef -i ja_JP -f EUC-JP "$locdir/ja_JP.EUC-JP.tmp$$" >/dev/null 2>&1 &&
    mv -T "$locdir/ja_JP.EUC-JP.tmp$$" "$locdir/ja_JP.EUC-JP" 2>/dev/null
  rm -rf "$locdir/ja_JP.EUC-JP.tmp$$"
fi
[ -d "$locdir/ja_JP.EUC-JP" ] || { echo "1..0 # SKIP localedef cannot build ja_JP.EUC-JP"; exit 0; }
time_bound 300

D=t.example.jp
"$KASCONCTL" site add $D --capacity 5 >/dev/null
echo secret12 | "$KASCONCTL" admin add $D admin >/dev/null
echo secret12 | "$KASCONCTL" admin add $D sjis >/dev/null

# hex TEXT [ENCODING]: the bytes of TEXT in ENCODING, as hex.
hex() { printf '%s' "$1" | iconv -t "${2:-UTF-8}" | xxd -p | tr -d '\n'; }
raw_hex() { xxd -p "$TMP/raw" | tr -d '\n'; }
# raw_has HEX: the terminal received those bytes.
raw_has() { raw_hex | grep -q "$1"; }
wait_raw() {
  local i=0
  while [ $i -lt $(($2 * 20)) ]; do raw_has "$1" && return 0; sleep 0.05; i=$((i + 1)); done
  echo "# timed out waiting for bytes $1"; return 1
}
# start_raw COMMAND: runs COMMAND in a new pane whose raw output goes to
# $TMP/raw from its first byte (the command waits until the pipe is on).
start_raw() {
  end_tmux "$SOCK"
  RUNS=$((RUNS + 1)); SOCK="kascon-test-$$-$RUNS"
  : >"$TMP/raw"; rm -f "$TMP/go"
  T -f /dev/null new-session -d -x 80 -y 24 -s main \
    "while [ ! -e '$TMP/go' ]; do sleep 0.05; done; $1; echo KASCON-EXITED \$?; sleep 30"
  T pipe-pane -o -t main "cat >>'$TMP/raw'"
  touch "$TMP/go"
}
console_env="LANGUAGE= LOCPATH=$locdir TERM=xterm-256color"

# ---- the console in ja_JP.EUC-JP ----
start_raw "env LANG=ja_JP.EUC-JP LC_ALL=ja_JP.EUC-JP $console_env '$KASCON' --db '$KASCON_DB'"
check "EUC-JP terminal: the login screen comes in EUC-JP" wait_raw "$(hex 'ユーザー名' EUC-JP)" 30
check "... and never in UTF-8" bash -c "! xxd -p '$TMP/raw' | tr -d '\n' | grep -q '$(hex 'ユーザー名')'"
# Full-width letters typed in EUC-JP into the domain field: decoded, they
# become the half-width "kanji"; misread, they would be refused.
# shellcheck disable=SC2046
T send-keys -t main -H $(hex 'ｋａｎｊｉ' EUC-JP | sed 's/../& /g')
check "EUC-JP input is decoded: ｋａｎｊｉ typed becomes kanji" wait_raw "$(hex 'kanji')" 30
check "... not refused" bash -c "! xxd -p '$TMP/raw' | tr -d '\n' | grep -q '$(hex '半角英数字' EUC-JP)'"
# A UTF-8 terminal still gets UTF-8.
start_raw "env LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 $console_env '$KASCON' --db '$KASCON_DB'"
check "UTF-8 terminal: the login screen in UTF-8" wait_raw "$(hex 'ユーザー名')" 30

# ---- terminals the console cannot draw on ----
TERM=dumb "$KASCON" --db "$KASCON_DB" </dev/null >"$TMP/out" 2>"$TMP/err"
check "TERM=dumb is refused (exit 1)" test $? = 1
check "... saying why" grep -q 'cannot move its cursor' "$TMP/err"
check "... with nothing drawn" test ! -s "$TMP/out"
TERM=no-such-terminal "$KASCON" --db "$KASCON_DB" </dev/null >"$TMP/out" 2>"$TMP/err"
check "an unknown TERM is refused (exit 1)" test $? = 1
check "... naming it" grep -q 'unknown terminal type "no-such-terminal"' "$TMP/err"
LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 LOCPATH=$locdir TERM=dumb "$KASCON" --db "$KASCON_DB" </dev/null 2>"$TMP/err"
check "... in the user's language" grep -q 'カーソル' "$TMP/err"
LANG=ja_JP.EUC-JP LC_ALL=ja_JP.EUC-JP LOCPATH=$locdir TERM=dumb "$KASCON" --db "$KASCON_DB" </dev/null 2>"$TMP/err"
check "... and codeset (EUC-JP)" bash -c "iconv -f EUC-JP -t UTF-8 '$TMP/err' | grep -q 'カーソル'"

# ---- the Linux text console ----
start_raw "env LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 LANGUAGE= LOCPATH=$locdir TERM=linux '$KASCON' --db '$KASCON_DB'"
check "TERM=linux with a Japanese locale: the login screen in English" wait_for "Site domain name"
check "... with a one-line note saying why" wait_for "no Japanese font"
check "... and the option that keeps Japanese" wait_for "--keep-language"
start_raw "env LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 LANGUAGE= LOCPATH=$locdir TERM=linux '$KASCON' --keep-language --db '$KASCON_DB'"
check "kascon --keep-language on TERM=linux: Japanese" wait_for "拠点ドメイン名"
start_raw "env LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= TERM=linux '$KASCON' --db '$KASCON_DB'"
check "TERM=linux in English: no note" wait_for "Site domain name"
check "... (none)" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -q 'Japanese font'"

# ---- the end of input ends the console ----
start=$(date +%s%N)
TERM=xterm-256color timeout 30 "$KASCON" --db "$KASCON_DB" </dev/null >/dev/null 2>&1
rc=$?
check "kascon </dev/null ends by itself (status $rc)" test "$rc" != 124
TIMEFORMAT='%U %S'
cpu=$( { time TERM=xterm-256color timeout 30 "$KASCON" --db "$KASCON_DB" </dev/null >/dev/null 2>/dev/null; } 2>&1 | tail -1)
check "... without spinning (cpu: $cpu s user, system)" awk -v c="$cpu" 'BEGIN { split(c, t, " "); exit !(t[1] + t[2] < 2) }'
end_tmux "$SOCK"

# ---- Shift_JIS (CP932) terminals through kascond ----
# (kascond also applies the audit retention when it starts, then daily.)
"$KASCONCTL" audit retention 30 >/dev/null
q "insert into audit (at, actor, source, action, object) values (strftime('%s','now','-31 days'), 'x', 'test', 'old', 'old')"
check "kascond listens" start_kascond --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key"
PORT=$KASCOND_PORT
check "kascond applies the audit retention at start, and logs it" log_has 'Audit retention deleted 1 entry'
check "... the old entry is gone" test "$(q "select count(*) from audit where action='old'")" = 0
SSH="ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -p $PORT -tt"
check "admin encoding: auto by default" bash -c "test \"\$('$KASCONCTL' admin encoding $D sjis)\" = auto"
check "admin encoding sjis is stored as cp932" bash -c "test \"\$('$KASCONCTL' admin encoding $D sjis sjis)\" = cp932"
check "... audited" test "$(q "select before||'>'||after from audit where action='admin.encoding' and object='sjis'")" = "auto>cp932"
check "a bad encoding is refused (168)" run_ctl 1 admin encoding $D sjis latin1
check "an unknown administrator is refused" run_ctl 1 admin encoding $D nobody cp932
check "user encoding of an unknown web user is refused" run_ctl 1 user encoding $D nobody cp932
# The server's locale path, so that the console finds ja_JP.EUC-JP.
stop_kascond
LOCPATH=$locdir start_kascond --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key"
PORT=$KASCOND_PORT
SSH="ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no -p $PORT -tt"

start_raw "sshpass -p secret12 $SSH sjis@$D@127.0.0.1"
check "stored cp932: the main menu comes in CP932" wait_raw "$(hex 'メインメニュー' CP932)" 60
check "... never in UTF-8" bash -c "! xxd -p '$TMP/raw' | tr -d '\n' | grep -q '$(hex 'メインメニュー')'"
check "... nor in EUC-JP" bash -c "! xxd -p '$TMP/raw' | tr -d '\n' | grep -q '$(hex 'メインメニュー' EUC-JP)'"
# ■ is two columns on a Shift_JIS terminal: the console laid it out in
# ja_JP.EUC-JP, where it is two columns too.
check "... the console runs with EUC-JP widths (in ja_JP.EUC-JP, converted to CP932)" \
  log_has 'Console of sjis@t.example.jp in ja_JP.EUC-JP for a CP932 terminal'
start_raw "sshpass -p secret12 $SSH admin@$D@127.0.0.1"
check "the other administrator (auto, no LANG) gets UTF-8" wait_raw "$(hex 'Main menu')" 60
start_raw "LANG=ja_JP.SJIS sshpass -p secret12 $SSH -o SendEnv=LANG admin@$D@127.0.0.1"
check "a client sending LANG=ja_JP.SJIS gets CP932 for that login" wait_raw "$(hex 'メインメニュー' CP932)" 60
start_raw "LANG=ja_JP.UTF-8 sshpass -p secret12 $SSH -o SendEnv=LANG sjis@$D@127.0.0.1"
check "LANG=ja_JP.UTF-8 from the client wins over the stored cp932" wait_raw "$(hex 'メインメニュー')" 60
done_testing

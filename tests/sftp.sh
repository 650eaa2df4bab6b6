#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Files over SSH with the stock OpenSSH clients: uploads with scp and sftp
# into the administrator's inbox/, everything that tries to leave the area
# refused, the size limits, the 24 hours, the exec commands (ext import /
# delete / export / list, line list) and the console reading inbox/ and
# writing outbox/ with the scp command that fetches the file, in English
# and Japanese.
. "${top_srcdir:-.}/tests/lib.sh"

needs ssh scp sftp sshpass tmux

private_tmux sftp
time_bound 900

is() { local got=$1 want=$2; [ "$got" = "$want" ] || { echo "#   got '$got', want '$want'"; return 1; }; }

DOMAIN=tokyo.example.jp
OTHER=osaka.example.jp
PW=secret12
"$KASCONCTL" site add "$DOMAIN" --capacity 20 >/dev/null
"$KASCONCTL" site add "$OTHER" --capacity 5 >/dev/null
for who in admin admin2; do echo "$PW" | "$KASCONCTL" admin add "$DOMAIN" $who >/dev/null; done
echo "$PW" | "$KASCONCTL" admin add "$OTHER" admin >/dev/null
"$KASCONCTL" line add "$DOMAIN" 09011110001 09011110002 09011110003 >/dev/null
# Late in the day: demo records stop at the present, and all 25 are wanted.
# The day is read once: a run that passes midnight still looks for it.
today=$(date +%F)
KASCON_NOW=$(date -d "$today 23:59:59" +%s) "$KASCONCTL" cdr demo "$DOMAIN" --days 1 --per-day 25 >/dev/null

LOCPATH=$(ja_locale) \
check "kascond starts" start_kascond --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key" \
  --files "$TMP/files" --max-file-size 64K --max-area-size 160K --public-host 127.0.0.1
PORT=$KASCOND_PORT

U="admin@$DOMAIN@127.0.0.1"
# sqlite3 that waits while a session writes (its logout, say).
site_id() { q "select id from sites where domain='$1'"; }
AREA="$TMP/files/$(site_id $DOMAIN)/admin"
AREA2="$TMP/files/$(site_id $DOMAIN)/admin2"
AREA_OSAKA="$TMP/files/$(site_id $OTHER)/admin"
# The administrator's PC: where the client's own files are.
PC="$TMP/pc"
OUTSIDE="$TMP/outside"
mkdir -p "$PC" "$OUTSIDE"
echo "not for administrators" >"$OUTSIDE/secret.txt"

# scp_as ARGS...: scp with the password (the same for every administrator).
scp_as() { timeout 60 sshpass -p "$PW" scp "${SSH_OPTS[@]}" -P "$PORT" "$@" 2>>"$TMP/client.err"; }
# sftp_as USER: runs the commands on stdin (-b: the first that fails ends
# it with exit status 1; BatchMode=no, given first, keeps password logins).
sftp_as() {
  timeout 60 sshpass -p "$PW" sftp "${SSH_OPTS[@]}" -o BatchMode=no -b - -P "$PORT" "$1" \
    2>>"$TMP/client.err"
}
ssh_as() { local who=$1; shift; timeout 60 sshpass -p "$PW" ssh "${SSH_OPTS[@]}" -p "$PORT" "$who" "$@"; }

printf '2001,09011110001,0000000000,,,0,0,web2001,abcd1234,0\r\n2002,09011110002\r\n' >"$PC/reg.csv"
printf '2001,9011110001\r\n2002,07099999999\r\n' >"$PC/bad.csv"

# ---- uploads with scp and sftp ----
check "scp uploads into inbox/ (OpenSSH $(ssh -V 2>&1 | sed 's/,.*//'), SFTP protocol)" \
  scp_as "$PC/reg.csv" "$U:inbox/"
check "... the file is there, byte for byte" cmp -s "$PC/reg.csv" "$AREA/inbox/reg.csv"
check "scp -s (SFTP forced) to a new name" scp_as -s "$PC/bad.csv" "$U:inbox/bad-copy.csv"
check "... there" cmp -s "$PC/bad.csv" "$AREA/inbox/bad-copy.csv"
check "the area and its boxes are 0700" is "$(stat -c %a "$AREA" "$AREA/inbox" "$AREA/outbox" | sort -u)" 700
check "sftp put" sftp_as "$U" <<<"put $PC/bad.csv inbox/bad.csv"
check "... and get it back" sftp_as "$U" <<<"get inbox/bad.csv $PC/bad-back.csv"
check "... the same bytes" cmp -s "$PC/bad.csv" "$PC/bad-back.csv"
sftp_as "$U" <<<"ls -1a inbox" >"$TMP/ls.out"
check "sftp ls lists the uploads" grep -q '^inbox/bad.csv' "$TMP/ls.out"
check "no temporary name is left after complete uploads" is "$(ls -A "$AREA/inbox" | grep -c '^\.')" 0

# ---- nothing outside the area ----
check "admin2 uploads a file of their own" scp_as "$PC/reg.csv" "admin2@$DOMAIN@127.0.0.1:inbox/theirs.csv"
check "the other site's admin too" scp_as "$PC/reg.csv" "admin@$OTHER@127.0.0.1:inbox/osaka.csv"
ln -s "$OUTSIDE/secret.txt" "$AREA/inbox/planted.csv"
ln -s "$OUTSIDE" "$AREA/inbox/planted-dir"
# What may not change: everything under $TMP but this administrator's area
# (and the server's own log and database).
snapshot() {
  find "$TMP" 2>/dev/null -mindepth 1 -path "$AREA" -prune -o -path "$PC" -prune -o -name 'server.log' -prune -o \
    -name 'client.err' -prune -o -name 'test.db*' -prune -o -name '*.out' -prune -o -print0 |
    sort -z | xargs -0 stat -c '%n %s %Y %a' 2>/dev/null
  sha256sum "$OUTSIDE/secret.txt" "$AREA2/inbox/theirs.csv" "$AREA_OSAKA/inbox/osaka.csv"
}
before=$(snapshot)
refused() { # DESCRIPTION COMMAND...: the command must fail
  local d=$1; shift
  if "$@" >/dev/null 2>&1; then not_ok "$d"; else ok "$d"; fi
}
refused "scp upload to ../" scp_as "$PC/reg.csv" "$U:../escape.csv"
refused "scp upload to inbox/../../" scp_as "$PC/reg.csv" "$U:inbox/../../escape.csv"
refused "scp upload to an absolute host path" scp_as "$PC/reg.csv" "$U:$OUTSIDE/abs.csv"
check "... nothing written there" test ! -e "$OUTSIDE/abs.csv"
refused "scp download of an absolute host path" scp_as "$U:$OUTSIDE/secret.txt" "$PC/stolen1"
refused "scp download of /etc/passwd" scp_as "$U:/etc/passwd" "$PC/stolen2"
refused "scp download through ../ into admin2's area" scp_as "$U:../admin2/inbox/theirs.csv" "$PC/stolen3"
refused "sftp get of another site's administrator's file" sftp_as "$U" <<<"get /../../$(site_id $OTHER)/admin/inbox/osaka.csv $PC/stolen4"
refused "scp download through a symlink planted in inbox/" scp_as "$U:inbox/planted.csv" "$PC/stolen5"
refused "scp upload onto that symlink" scp_as "$PC/reg.csv" "$U:inbox/planted.csv"
refused "sftp get through a planted directory link" sftp_as "$U" <<<"get inbox/planted-dir/secret.txt $PC/stolen6"
refused "sftp put through a planted directory link" sftp_as "$U" <<<"put $PC/reg.csv inbox/planted-dir/new.csv"
check "nothing was downloaded" is "$(ls "$PC" | grep -c stolen)" 0
refused "sftp mkdir" sftp_as "$U" <<<"mkdir inbox/sub"
refused "sftp symlink" sftp_as "$U" <<<"symlink /etc/passwd inbox/link.csv"
refused "sftp hard link" sftp_as "$U" <<<"ln inbox/reg.csv inbox/hard.csv"
refused "outbox/ is read-only to the client" scp_as "$PC/reg.csv" "$U:outbox/mine.csv"
refused "a file outside inbox/ and outbox/" scp_as "$PC/reg.csv" "$U:top.csv"
head -c 100000 /dev/urandom >"$PC/big.csv"
refused "an upload over the per-file limit (64K)" scp_as "$PC/big.csv" "$U:inbox/"
check "... not there, no temporary file left" is "$(ls -A "$AREA/inbox" | grep -c 'big')" 0
head -c 60000 /dev/urandom >"$PC/part.csv"
check "uploads up to the per-administrator limit (160K) pass (1)" scp_as "$PC/part.csv" "$U:inbox/p1.csv"
check "uploads up to the per-administrator limit (160K) pass (2)" scp_as "$PC/part.csv" "$U:inbox/p2.csv"
refused "... one more is refused" scp_as "$PC/part.csv" "$U:inbox/p3.csv"
check "... and not kept" test ! -e "$AREA/inbox/p3.csv"
check "sftp rm frees the space" sftp_as "$U" <<<"rm inbox/p1.csv
rm inbox/p2.csv"
check "no temporary file left by the refused uploads" is "$(ls -A "$AREA/inbox" | grep -c '^\.')" 0
check "nothing outside the area changed" is "$(snapshot)" "$before"
check "the secret file is unread and unchanged" is "$(cat "$OUTSIDE/secret.txt")" "not for administrators"
check "refusals are logged with the path" log_has 'sftp: refused .*"inbox/planted.csv" for admin@'
rm -f "$AREA/inbox/planted.csv" "$AREA/inbox/planted-dir"

# ---- 24 hours ----
touch -d '2 days ago' "$AREA/inbox/bad-copy.csv"
check "a session start removes files older than 24 hours" sftp_as "$U" <<<"ls inbox"
check "... the old one is gone" test ! -e "$AREA/inbox/bad-copy.csv"
check "... a fresh one stays" test -e "$AREA/inbox/reg.csv"
check "... logged" log_has "Removed 1 file(s) older than 24 hours for admin"

# ---- exec: kasconctl's verbs on the administrator's own site ----
# The site's data (logins and their audit entries aside).
site_data() { q ".dump sites extensions lines assignments forwarding" | sha256sum; }
h0=$(site_data)
ssh_as "$U" ext import <"$PC/bad.csv" >"$TMP/exec.out" 2>"$TMP/exec.err"
check "ext import of a bad file exits 1" is "$?" 1
check "... every row error on stderr as ROW:COL: CODE (row 1 B 113)" grep -q '^1:B: 113 ' "$TMP/exec.err"
check "... (row 2 B 115)" grep -q '^2:B: 115 ' "$TMP/exec.err"
check "... nothing was changed" is "$(site_data)" "$h0"
ssh_as "$U" ext import --dry-run <"$PC/reg.csv" >"$TMP/exec.out" 2>"$TMP/exec.err"
check "ext import --dry-run of a good file exits 0" is "$?" 0
check "... and changes nothing" is "$(site_data)" "$h0"
ssh_as "$U" ext import <"$PC/reg.csv" >"$TMP/exec.out" 2>"$TMP/exec.err"
check "ext import exits 0" is "$?" 0
check "... reports what it did" grep -q '2 rows imported: 2 profiles created, 2 mobiles assigned' "$TMP/exec.out"
check "... the profiles are there" is "$(q 'select count(*) from extensions')" 2
check "... audited as the administrator with the source address" \
  is "$(q "select count(*) from audit a join audit_rows r on r.audit_id = a.id where a.action='bulk.register' and r.action='ext.add' and a.actor='admin' and a.source='127.0.0.1'")" 2
ssh_as "$U" ext list </dev/null >"$TMP/list.out"
check "ext list" grep -q '^2001	mobile	09011110001' "$TMP/list.out"
check "line list --unassigned" is "$(ssh_as "$U" line list --unassigned </dev/null | cut -f1)" 09011110003
ssh_as "$U" ext export --encoding utf-8 </dev/null >"$PC/ext-utf8.csv"
check "ext export --encoding utf-8 > file: the operator's export, byte for byte" \
  cmp -s "$PC/ext-utf8.csv" <("$KASCONCTL" ext export "$DOMAIN" --encoding utf-8)
ssh_as "$U" ext delete --dry-run <"$PC/ext-utf8.csv" >"$TMP/exec.out" 2>&1
check "ext delete --dry-run < export" is "$?" 0
check "... nothing deleted" is "$(q 'select count(*) from extensions')" 2
ssh_as "$U" cdr list >/dev/null 2>"$TMP/exec.err" </dev/null
check "call history is not reachable by exec (exit 2)" is "$?" 2
check "... with a clear message" grep -q 'unknown command: cdr list' "$TMP/exec.err"
ssh_as "$U" ext export -o "$OUTSIDE/x.csv" >/dev/null 2>"$TMP/exec.err" </dev/null
check "ext export -o FILE (a server path) is a usage error (exit 2)" is "$?" 2
check "... nothing written" test ! -e "$OUTSIDE/x.csv"
ssh_as "$U" ext list "$OTHER" >/dev/null 2>&1 </dev/null
check "another site cannot be named (exit 2)" is "$?" 2
check "the other site's administrator sees none of this site's profiles" \
  is "$(ssh_as "admin@$OTHER@127.0.0.1" ext list </dev/null | wc -l)" 0
ssh_as "$U" ext delete <"$PC/ext-utf8.csv" >/dev/null 2>&1
check "ext delete < export deletes them (for the console below)" \
  is "$(q 'select count(*) from extensions')" 0

# ---- the console over ssh ----
pane() { tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1"; }
shows() { # SESSION TEXT
  wait_for 60 bash -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t '$1' | grep -qF -- '$2'" && return 0
  echo "# $1 did not show: $2"; pane "$1" | sed 's/^/#   |/'
  return 1
}
press() { local s=$1 k; shift; for k in "$@"; do tmux -L "$TMUX_SOCKET" send-keys -t "$s" "$k"; sleep 0.2; done; }
console() { # SESSION LANG
  tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s "$1" -x 100 -y 30 \
    "LANG=$2 sshpass -p $PW ssh ${SSH_OPTS[*]} -o SendEnv=LANG -p $PORT -tt $U; sleep 60"
}
# fetch SESSION NAME: runs the scp command the console shows, on the "PC".
fetch() {
  local cmd
  cmd=$(pane "$1" | grep -o "scp -P $PORT admin@$DOMAIN@127.0.0.1:outbox/$2 \\.")
  [ -n "$cmd" ] || { echo "# no scp command for $2 on the screen"; return 1; }
  rm -f "$PC/$2"
  (cd "$PC" && timeout 60 sshpass -p "$PW" scp "${SSH_OPTS[@]}" ${cmd#scp })
}

scp_as "$PC/reg.csv" "$U:inbox/"
console en C.UTF-8
check "console: main menu" shows en "Main menu"
press en 2 1 3
check "一括登録 offers the files of inbox/" shows en "Files in inbox/:  reg.csv"
check "... with the newest upload in the field" shows en "CSV file  reg.csv"
check "... and the scp command that uploads" shows en "scp -P $PORT FILE.csv admin@$DOMAIN@127.0.0.1:inbox/"
press en C-u; tmux -L "$TMUX_SOCKET" send-keys -t en -l "$OUTSIDE/secret.txt"; press en F2
check "a host path typed in the field is not read" shows en "Cannot read inbox/"
press en C-u; tmux -L "$TMUX_SOCKET" send-keys -t en -l "re"; press en Tab
check "Tab completes from inbox/" shows en "CSV file  reg.csv"
press en F2
check "一括登録 from the uploaded file" shows en "Registered from 2 rows"
check "... both profiles are there" is "$(q 'select count(*) from extensions')" 2
check "... audited with the source address" \
  is "$(q "select count(*) from audit a join audit_rows r on r.audit_id = a.id where a.action='bulk.register' and r.action='ext.add' and a.actor='admin' and a.source='127.0.0.1'")" 4
press en Escape 5 F2
check "一括出力 writes to outbox/" shows en "2 profiles written to outbox/kascon-export.csv."
check "... and shows the scp command" shows en "scp -P $PORT admin@$DOMAIN@127.0.0.1:outbox/kascon-export.csv ."
check "that exact command downloads the export" fetch en kascon-export.csv
check "... the operator's CP932 export, byte for byte" cmp -s "$PC/kascon-export.csv" <("$KASCONCTL" ext export "$DOMAIN")
press en F2
check "writing it again asks before overwriting" shows en "outbox/kascon-export.csv exists. Overwrite it?"
press en Enter
# 通信履歴: the secret question first, then 取得 of today's file.
press en Escape Escape Escape 1 7 1 F6
tmux -L "$TMUX_SOCKET" send-keys -t en -l "Pet?"; press en Tab
tmux -L "$TMUX_SOCKET" send-keys -t en -l "tama"; press en Enter
check "secret question set" shows en "The secret question has been set."
press en Escape
shows en "Pet?" >/dev/null
tmux -L "$TMUX_SOCKET" send-keys -t en -l "tama"; press en Enter
check "call history: today's file" shows en "$today"
press en F5 F2
name="cdr-$today-1.csv"
check "取得 writes the day to outbox/" shows en "25 records written to outbox/$name."
check "... with the scp command" shows en "scp -P $PORT admin@$DOMAIN@127.0.0.1:outbox/$name ."
check "that command downloads the call-history day" fetch en "$name"
check "... the operator's export of the day, byte for byte" cmp -s "$PC/$name" <("$KASCONCTL" cdr export "$DOMAIN" "$today")
tmux -L "$TMUX_SOCKET" kill-session -t en

console ja ja_JP.UTF-8
check "Japanese console" shows ja "メインメニュー"
press ja 2 1 3
check "一括登録 (Japanese) offers inbox/" shows ja "inbox/ のファイル:  reg.csv"
check "... and how to upload" shows ja "PCからのアップロード: scp -P $PORT"
press ja F3
check "... 確認のみ reads the file from inbox/" shows ja "233"
press ja Escape 5
press ja C-u; tmux -L "$TMUX_SOCKET" send-keys -t ja -l "ja-export.csv"; press ja F2
check "一括出力 (Japanese) writes to outbox/" shows ja "outbox/ja-export.csv"
check "... and shows the scp command" shows ja "取得できます"
check "that command downloads it" fetch ja ja-export.csv
check "... the same bytes" cmp -s "$PC/ja-export.csv" <("$KASCONCTL" ext export "$DOMAIN")
press ja C-u; tmux -L "$TMUX_SOCKET" send-keys -t ja -l "../escape.csv"; press ja F2
check "a path in the output field is refused" shows ja "outbox/ に置くファイル名を"
check "... nothing written" test ! -e "$AREA/escape.csv"
tmux -L "$TMUX_SOCKET" kill-session -t ja

check "every session has ended" wait_for 30 bash -c "! pgrep -P $KASCOND_PID >/dev/null"
check "no sanitizer reports from any kascond process" bash -c "! grep -q 'Sanitizer\|runtime error' '$TMP/server.log'"
stop_kascond
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The legacy scp protocol ("scp -t" / "scp -f" on the server), as OpenSSH's
# scp -O, PuTTY's pscp -scp and Tera Term's SCP dialog speak it: uploads
# into inbox/ and downloads from inbox/ and outbox/ with the SFTP server's
# rules (0600 files, the size limits, nothing outside the area, no
# directory or link), every refusal a message the client shows.
. "${top_srcdir:-.}/tests/lib.sh"
needs ssh scp sshpass pscp ssh-keygen
time_bound 900
is() { local got=$1 want=$2; [ "$got" = "$want" ] || { echo "#   got '$got', want '$want'"; return 1; }; }

DOMAIN=tokyo.example.jp
PW=secret12
"$KASCONCTL" site add "$DOMAIN" --capacity 5 >/dev/null
for who in admin admin2 admin3; do echo "$PW" | "$KASCONCTL" admin add "$DOMAIN" $who >/dev/null; done

check "kascond starts" start_kascond --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key" \
  --files "$TMP/files" --max-file-size 64K --max-area-size 160K
PORT=$KASCOND_PORT
FINGERPRINT=$(ssh-keygen -l -E sha256 -f "$TMP/host_key" | awk '{print $2}')

U="admin@$DOMAIN@127.0.0.1"
SITE=$(q "select id from sites where domain='$DOMAIN'")
AREA="$TMP/files/$SITE/admin"
AREA2="$TMP/files/$SITE/admin2"
PC="$TMP/pc"
OUTSIDE="$TMP/outside"
mkdir -p "$PC" "$OUTSIDE"
echo "not for administrators" >"$OUTSIDE/secret.txt"

# scp_o ARGS...: OpenSSH's scp over the legacy protocol; its messages in $TMP/err.
scp_o() { timeout 60 sshpass -p "$PW" scp "${SSH_OPTS[@]}" -O -P "$PORT" "$@" 2>"$TMP/err"; }
# pscp_as ARGS...: PuTTY's pscp forced to the legacy protocol, as admin.
pscp_as() {
  timeout 60 pscp -scp -batch -q -P "$PORT" -l "admin@$DOMAIN" -pw "$PW" -hostkey "$FINGERPRINT" \
    "$@" >"$TMP/out" 2>"$TMP/err"
}
said() { grep -qF -- "$1" "$TMP/err" || { echo "#   stderr: $(tr '\n' '|' <"$TMP/err")"; return 1; }; }
# refused DESCRIPTION MESSAGE COMMAND...: the command fails saying MESSAGE.
refused() {
  local d=$1 m=$2; shift 2
  if "$@"; then not_ok "$d (it succeeded)"; else check "$d" said "$m"; fi
}
no_temp() { is "$(ls -A "$AREA/inbox" | grep -c '^\.')" 0; }

printf '2001,09011110001\r\n2002,09011110002\r\n' >"$PC/reg.csv"
chmod 644 "$PC/reg.csv"
touch -d '3 days ago' "$PC/reg.csv"

# ---- OpenSSH scp -O ----
check "scp -O uploads into inbox/ (OpenSSH $(ssh -V 2>&1 | sed 's/,.*//'))" scp_o "$PC/reg.csv" "$U:inbox/"
check "... byte for byte" cmp -s "$PC/reg.csv" "$AREA/inbox/reg.csv"
check "... logged" log_has "scp: admin@$DOMAIN from 127.0.0.1 uploaded inbox/reg.csv (36 bytes)"
check "scp -O -p of a 0644 file from 3 days ago" scp_o -p "$PC/reg.csv" "$U:inbox/kept.csv"
check "... is 0600 in the area" is "$(stat -c %a "$AREA/inbox/kept.csv")" 600
check "... and dated now, so that its 24 hours start now" \
  test "$(stat -c %Y "$AREA/inbox/kept.csv")" -gt "$(($(date +%s) - 3600))"
check "scp -O to a new name" scp_o "$PC/reg.csv" "$U:inbox/renamed.csv"
check "... there" cmp -s "$PC/reg.csv" "$AREA/inbox/renamed.csv"
cp "$PC/reg.csv" "$PC/home.csv"
check "scp -O to the home directory (HOST:) puts the file in inbox/" scp_o "$PC/home.csv" "$U:"
check "... there" cmp -s "$PC/reg.csv" "$AREA/inbox/home.csv"
cp "$PC/reg.csv" "$PC/one.csv"; cp "$PC/reg.csv" "$PC/two.csv"
check "scp -O of two files at once" scp_o "$PC/one.csv" "$PC/two.csv" "$U:inbox"
check "... both there" is "$(ls "$AREA/inbox" | grep -c '^one.csv$\|^two.csv$')" 2
# As kascond writes it: 0600, the area owner's (the service user's).
printf 'ext,name\r\n2001,Tokyo\r\n' >"$AREA/outbox/export.csv"
chmod 600 "$AREA/outbox/export.csv"; chown --reference="$AREA" "$AREA/outbox/export.csv"
check "scp -O downloads from outbox/" scp_o "$U:outbox/export.csv" "$PC/"
check "... byte for byte" cmp -s "$AREA/outbox/export.csv" "$PC/export.csv"
check "... logged" log_has "scp: admin@$DOMAIN from 127.0.0.1 downloaded outbox/export.csv"
mkdir -p "$PC/all"
check "scp -O of a pattern (inbox/*.csv): no shell runs, the server matches it" \
  scp_o "$U:inbox/*.csv" "$PC/all/"
check "... every match" is "$(ls "$PC/all" | tr '\n' ' ')" "home.csv kept.csv one.csv reg.csv renamed.csv two.csv "
check "a downloaded file is 0600 too" is "$(stat -c %a "$PC/export.csv")" 600

# ---- refusals: each says why, and nothing is written ----
refused "scp -O into outbox/ is refused" "outbox/ is the server's to write: upload into inbox/" \
  scp_o "$PC/reg.csv" "$U:outbox/"
check "... nothing written" test ! -e "$AREA/outbox/reg.csv"
refused "scp -O to ../ is refused" "Permission denied: only inbox/ and outbox/ of your own area" \
  scp_o "$PC/reg.csv" "$U:../escape.csv"
refused "scp -O to an absolute host path is refused" "No such file or directory (your area holds inbox/ and outbox/)" \
  scp_o "$PC/reg.csv" "$U:$OUTSIDE/abs.csv"
check "... nothing written there" test ! -e "$OUTSIDE/abs.csv"
refused "scp -O of /etc/passwd is refused" "/etc/passwd: No such file or directory" \
  scp_o "$U:/etc/passwd" "$PC/stolen1"
echo theirs >"$TMP/theirs.csv"
mkdir -p "$AREA2/inbox" && cp "$TMP/theirs.csv" "$AREA2/inbox/theirs.csv"
refused "scp -O through ../ into another administrator's area is refused" "Permission denied" \
  scp_o "$U:inbox/../../admin2/inbox/theirs.csv" "$PC/stolen2"
ln -s "$OUTSIDE/secret.txt" "$AREA/inbox/planted.csv"
refused "scp -O of a symlink planted in inbox/ is refused" "inbox/planted.csv: not a plain file" \
  scp_o "$U:inbox/planted.csv" "$PC/stolen3"
refused "scp -O onto that symlink is refused" "inbox/planted.csv: not a plain file" \
  scp_o "$PC/reg.csv" "$U:inbox/planted.csv"
check "... the link and its target are untouched" is "$(readlink "$AREA/inbox/planted.csv"; cat "$OUTSIDE/secret.txt")" \
  "$OUTSIDE/secret.txt
not for administrators"
rm -f "$AREA/inbox/planted.csv"
check "nothing was downloaded" is "$(ls "$PC" | grep -c stolen)" 0
mkdir -p "$PC/dir" && cp "$PC/reg.csv" "$PC/dir/in-dir.csv"
refused "scp -O -r of a directory is refused" "dir: directories are not copied here" \
  scp_o -r "$PC/dir" "$U:inbox/"
check "... nothing of it written" test ! -e "$AREA/inbox/dir" -a ! -e "$AREA/inbox/in-dir.csv"
refused "scp -O -r of outbox is refused" "outbox: a directory: name its files" \
  scp_o -r "$U:outbox" "$PC/box"
refused "a name starting with '.' is refused" "not a name a file can have here" \
  scp_o "$PC/reg.csv" "$U:inbox/.hidden"
refused "a download of a name that is not there" "inbox/none*.csv: No such file or directory" \
  scp_o "$U:inbox/none*.csv" "$PC/"
head -c 100000 /dev/urandom >"$PC/big.csv"
refused "an upload over the per-file limit (64K)" "inbox/big.csv: file too large: at most 65536 bytes per file" \
  scp_o "$PC/big.csv" "$U:inbox/"
check "... not there, no temporary file left" is "$(ls -A "$AREA/inbox" | grep -c big)" 0
rm -f "$AREA"/inbox/*
head -c 60000 /dev/urandom >"$PC/part.csv"
check "uploads up to the area's quota (160K) pass (1)" scp_o "$PC/part.csv" "$U:inbox/p1.csv"
check "uploads up to the area's quota (160K) pass (2)" scp_o "$PC/part.csv" "$U:inbox/p2.csv"
refused "... one more is refused" "inbox/p3.csv: your file area is full: at most 163840 bytes in all" \
  scp_o "$PC/part.csv" "$U:inbox/p3.csv"
check "... and not kept" test ! -e "$AREA/inbox/p3.csv"
check "... no temporary file left" no_temp
check "the other administrator's file is unread and unchanged" cmp -s "$TMP/theirs.csv" "$AREA2/inbox/theirs.csv"
check "refusals are logged" log_has "scp: refused for admin@$DOMAIN from 127.0.0.1: inbox/p3.csv: your file area is full"
rm -f "$AREA"/inbox/*

echo 'reset123' | "$KASCONCTL" admin reset "$DOMAIN" admin3 >/dev/null
if timeout 60 sshpass -p reset123 scp "${SSH_OPTS[@]}" -O -P "$PORT" "$PC/reg.csv" \
  "admin3@$DOMAIN@127.0.0.1:inbox/" 2>"$TMP/err"; then
  not_ok "an expired password is refused (it succeeded)"
else
  check "an expired password is refused" said "your password has expired: log in to the console (ssh -t)"
fi
check "... nothing written" test ! -e "$TMP/files/$SITE/admin3/inbox/reg.csv"

# ---- PuTTY's pscp -scp ----
check "pscp -scp uploads into inbox/ ($(pscp -V | head -1))" pscp_as "$PC/reg.csv" "127.0.0.1:inbox/"
check "... byte for byte" cmp -s "$PC/reg.csv" "$AREA/inbox/reg.csv"
check "... 0600" is "$(stat -c %a "$AREA/inbox/reg.csv")" 600
check "pscp -scp to a new name" pscp_as "$PC/reg.csv" "127.0.0.1:inbox/putty.csv"
check "... there" cmp -s "$PC/reg.csv" "$AREA/inbox/putty.csv"
mkdir -p "$PC/putty"
check "pscp -scp downloads from outbox/" pscp_as "127.0.0.1:outbox/export.csv" "$PC/putty/"
check "... byte for byte" cmp -s "$AREA/outbox/export.csv" "$PC/putty/export.csv"
check "pscp -scp -unsafe of a pattern" pscp_as -unsafe "127.0.0.1:inbox/*.csv" "$PC/putty/"
check "... every match" is "$(ls "$PC/putty" | tr '\n' ' ')" "export.csv putty.csv reg.csv "
refused "pscp -scp into outbox/ is refused" "scp: outbox/: outbox/ is the server's to write" \
  pscp_as "$PC/reg.csv" "127.0.0.1:outbox/"
check "... cleanly (no connection error after the message)" bash -c "! grep -q 'FATAL' '$TMP/err'"
refused "pscp -scp over the per-file limit" "scp: inbox/big.csv: file too large" \
  pscp_as "$PC/big.csv" "127.0.0.1:inbox/"
check "... not kept" test ! -e "$AREA/inbox/big.csv"
refused "pscp -scp of a file that is not there" "scp: inbox/none.csv: No such file or directory" \
  pscp_as "127.0.0.1:inbox/none.csv" "$PC/putty/"
check "no temporary file is left by any of them" no_temp
check "the secret file is unread and unchanged" is "$(cat "$OUTSIDE/secret.txt")" "not for administrators"
check "no sanitizer reports from any kascond process" bash -c "! grep -q 'Sanitizer\|runtime error' '$TMP/server.log'"
stop_kascond
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kascond under hostile input from logged-in clients (stock OpenSSH and
# paramiko): terminal sizes out of range, parallel uploads against the
# quota, a large exec import.  Memory figures are checked in the plain
# build only: under ASan the shadow memory is not the program's.
. "${top_srcdir:-.}/tests/lib.sh"

needs ssh scp sftp sshpass python3
PY=$(paramiko_python)
[ -n "$PY" ] || { echo "1..0 # SKIP python3-paramiko is not installed (./quickstart installs it)"; exit 0; }

time_bound 900
figure() { sed -n "s/^$1 //p" "$2"; }
# at_most LIMIT VALUE: VALUE <= LIMIT; skipped (passes) under sanitizers.
MEM_LIMIT_KIB=$((64 * 1024))
memory_within() {
  if [ -n "${KASCON_SANITIZERS:-}" ]; then return 0; fi
  [ -n "$1" ] && [ "$1" -le "$MEM_LIMIT_KIB" ] || { echo "#   peak RSS ${1:-?} KiB, limit $MEM_LIMIT_KIB KiB"; return 1; }
}
memo() { if [ -n "${KASCON_SANITIZERS:-}" ]; then echo "(sanitizer build: memory not judged)"; else echo "$*"; fi; }

D=hostile.example.jp
PW=secret12
"$KASCONCTL" site add $D --capacity 100 >/dev/null
echo "$PW" | "$KASCONCTL" admin add $D admin >/dev/null
"$KASCONCTL" line add $D 09011113001 >/dev/null
printf '2001,09011113001,0000000000,,,0,0,taro,taro1234,0\r\n' >"$TMP/users.csv"
"$KASCONCTL" ext import $D "$TMP/users.csv" >/dev/null

check "kascond starts" start_kascond --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key" \
  --files "$TMP/files" --max-file-size 1M --max-area-size 2M
server_pid=$KASCOND_PID PORT=$KASCOND_PORT
hostile() { timeout 120 "$PY" "${top_srcdir:-.}/tests/hostile.py" --port "$PORT" --server "$server_pid" "$@"; }

# ---- terminal sizes ----
hostile --user "admin@$D" --password "$PW" --expect F10 resize >"$TMP/resize.out"
sed 's/^/# /' "$TMP/resize.out"
check "an administrator's console survives a storm of window sizes (10000x10000, 0x0, 2^32-1)" \
  grep -q '^console_alive_after_storm 1' "$TMP/resize.out"
rss=$(figure peak_rss_kib "$TMP/resize.out")
check "... no kascond process went over 64 MiB $(memo "(peak ${rss} KiB)")" memory_within "$rss"
hostile --user "taro@$D" --password taro1234 --expect F10 resize >"$TMP/resize-user.out"
check "an extension user's console survives it too" grep -q '^console_alive_after_storm 1' "$TMP/resize-user.out"
rss=$(figure peak_rss_kib "$TMP/resize-user.out")
check "... within 64 MiB $(memo "(peak ${rss} KiB)")" memory_within "$rss"
if [ -n "${KASCON:-}" ] && [ -x "$KASCON" ]; then
  hostile --kascon "$KASCON" --db "$KASCON_DB" --expect F10 console-resize >"$TMP/console.out"
  check "the console alone on a 10000x10000 terminal starts and survives a storm" \
    grep -q '^console_alive_after_storm 1' "$TMP/console.out"
  check "... the terminal is clamped to 512x256" grep -q '^terminal_size 512x256' "$TMP/console.out"
  rss=$(figure peak_rss_kib "$TMP/console.out")
  check "... within 64 MiB $(memo "(peak ${rss} KiB)")" memory_within "$rss"
fi

# ---- the quota: reserved as bytes are written ----
AREA="$TMP/files/$(q "select id from sites where domain='$D'")/admin"
mkdir -p "$TMP/pc"
head -c 1000 /dev/zero >"$TMP/pc/small.csv"
timeout 30 sshpass -p "$PW" sftp -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
  -o LogLevel=ERROR -o BatchMode=no -b - -P "$PORT" "admin@$D@127.0.0.1" <<<"put $TMP/pc/small.csv inbox/small.csv" >/dev/null 2>&1
rm -f "$AREA/inbox/small.csv"
hostile --user "admin@$D" --password "$PW" --area "$AREA" --size $((900 * 1024)) --quota $((2048 * 1024)) \
  --count 10 quota >"$TMP/quota.out"
peak=$(figure peak_area_bytes "$TMP/quota.out")
check "ten handles of one login, then ten logins of the same administrator, never hold more than the quota (peak $peak of $((2048 * 1024)) bytes)" \
  test -n "$peak" -a "$peak" -le $((2048 * 1024))
sed 's/^/# /' "$TMP/quota.out"
check "... every upload refused was told the area is full (SSH_FX_FAILURE with the message)" \
  test "$(figure refusals_with_message "$TMP/quota.out")" -eq \
  $((20 - $(figure handles_completed "$TMP/quota.out") - $(figure logins_completed "$TMP/quota.out")))
check "... and nothing is left in the area but complete files" \
  bash -c "! ls -A '$AREA/inbox' | grep -q part"
rm -f "$AREA"/inbox/*
hostile --user "admin@$D" --password "$PW" --area "$AREA" interrupt >"$TMP/interrupt.out"
check "an upload in progress has its temporary file" grep -q '^part_while_uploading 1' "$TMP/interrupt.out"
check "... which goes when the connection drops, not 24 hours later" \
  wait_for 30 bash -c "! ls -A '$AREA/inbox' | grep -q part"

# ---- exec import: streamed, bounded, all or nothing ----
ssh_cmd=(sshpass -p "$PW" ssh "${SSH_OPTS[@]}" -p "$PORT" "admin@$D@127.0.0.1")
# Rows of 30 bad columns: every row is a problem.
"$PY" -c '
import sys
row = b",".join(b"%d" % i for i in range(30)) + b"\r\n"
with open(sys.argv[1], "wb") as f:
    f.write(row * (int(sys.argv[2]) // len(row)))' "$TMP/junk30.csv" $((30 * 1000 * 1000))
"$PY" -c '
import sys
with open(sys.argv[1], "wb") as f:
    f.truncate(0)
    chunk = b"2001,09011113001\r\n" * 4096
    for _ in range(63 * 1000 * 1000 // len(chunk)):
        f.write(chunk)' "$TMP/big63.csv"
ext_state() { q "select * from extensions order by id; select * from lines order by id; select * from assignments" | sha256sum; }
before=$(ext_state)
hostile --input "$TMP/junk30.csv" --stderr "$TMP/junk30.err" exec "${ssh_cmd[@]}" ext import >"$TMP/junk30.out"
sed 's/^/# /' "$TMP/junk30.out"
check "a 30 MB import of bad rows is refused (exit 1)" grep -q '^exit_status 1' "$TMP/junk30.out"
check "... showing the first 1000 problems" test "$(grep -c '^[0-9]*:[A-J-]: [0-9][0-9][0-9] ' "$TMP/junk30.err")" -eq 1000
check "... then a count of the rest" grep -q '^\.\.\. and [0-9]* more problems, not shown' "$TMP/junk30.err"
rss=$(figure peak_rss_kib "$TMP/junk30.out")
check "... no kascond process over 64 MiB $(memo "(peak ${rss} KiB)")" memory_within "$rss"
check "... the database unchanged" test "$before" = "$(ext_state)"
hostile --input "$TMP/big63.csv" --stderr "$TMP/big63.err" exec "${ssh_cmd[@]}" ext import >"$TMP/big63.out"
sed 's/^/# /' "$TMP/big63.out" "$TMP/big63.err"
check "a 63 MB import is refused as over the 32 MiB limit" grep -q 'larger than 33554432 bytes; nothing was changed' "$TMP/big63.err"
check "... the client gets the exit status (1), not a dropped connection (255)" grep -q '^exit_status 1' "$TMP/big63.out"
rss=$(figure peak_rss_kib "$TMP/big63.out")
check "... within 64 MiB $(memo "(peak ${rss} KiB)")" memory_within "$rss"
hostile --input "$TMP/big63.csv" --stderr "$TMP/del63.err" exec "${ssh_cmd[@]}" ext delete >"$TMP/del63.out"
check "ext delete has the same limit" grep -q 'larger than 33554432 bytes' "$TMP/del63.err"
check "... exit status 1" grep -q '^exit_status 1' "$TMP/del63.out"
check "... the database unchanged" test "$before" = "$(ext_state)"
hostile --input <(head -c 1G /dev/zero) --stderr "$TMP/giga.err" exec "${ssh_cmd[@]}" ext import >"$TMP/giga.out"
sed 's/^/# /' "$TMP/giga.out"
check "a 1 GB import is cut off at the limit, not read to its end" grep -q 'larger than 33554432 bytes' "$TMP/giga.err"
check "... exit status 1" grep -q '^exit_status 1' "$TMP/giga.out"
rss=$(figure peak_rss_kib "$TMP/giga.out")
check "... within 64 MiB $(memo "(peak ${rss} KiB)")" memory_within "$rss"
rm -f "$TMP/junk30.csv" "$TMP/big63.csv"

# ---- NUL and control bytes ----
fails_before=$(q "select count(*) from audit where action like 'login.fail%'" 2>/dev/null || echo 0)
hostile --user "admin@$D" --password "$PW" nul >"$TMP/nul.out"
sed 's/^/# /' "$TMP/nul.out"
check "an SFTP name with a NUL byte is refused (not stored as inbox/a)" \
  bash -c "grep -q '^nul_name_refused 1' '$TMP/nul.out' && ! test -e '$AREA/inbox/a'"
check "... and in an scp file record" \
  bash -c "grep -q '^scp_nul_name_refused 1' '$TMP/nul.out' && ! test -e '$AREA/inbox/a'"
check "a password with a control byte fails, though it starts with the right one" \
  grep -q '^password_control_accepted 0' "$TMP/nul.out"
fails_after=$(q "select count(*) from audit where action like 'login.fail%'")
check "... and counts as a failed login ($fails_before, then $fails_after)" test "$fails_after" -gt "$fails_before"
printf '"20\r\n01",09011113001\r\n' >"$TMP/crlf.csv"
"$KASCONCTL" ext import $D "$TMP/crlf.csv" 2>"$TMP/crlf.err" >/dev/null
check "a CSV value with CR/LF keeps its message on one line, escaped" \
  grep -q '^1:A: [0-9]* .*20\\r\\n01' "$TMP/crlf.err"

# ---- the idle timeout on exec and SFTP channels ----
start_kascond --log "$TMP/idle.log" --listen 127.0.0.1:0 --db "$KASCON_DB" --host-key "$TMP/host_key" \
  --files "$TMP/files" --idle-timeout 3
idle_pid=$KASCOND_PID IDLE_PORT=$KASCOND_PORT
start=$SECONDS
timeout 60 sshpass -p "$PW" ssh "${SSH_OPTS[@]}" -p "$IDLE_PORT" "admin@$D@127.0.0.1" ext import \
  2>"$TMP/idle.err" < <(sleep 40)
status=$?
took=$((SECONDS - start))
check "ext import waiting on standard input ends after the idle timeout (3 s; took $took s)" \
  test "$status" = 1 -a "$took" -lt 30
check "... saying why" grep -q 'no input for 3 seconds; nothing was changed' "$TMP/idle.err"
timeout 90 "$PY" "${top_srcdir:-.}/tests/hostile.py" --port "$IDLE_PORT" --user "admin@$D" --password "$PW" \
  sftp-idle >"$TMP/sftp-idle.out"
took=$(figure ended_after "$TMP/sftp-idle.out")
check "an idle SFTP session ends after it too (took ${took:-?} s)" test -n "$took" -a "${took:-99}" -lt 30
stop_kascond "$idle_pid"

# ---- password guesses from one address take turns ----
wrong() { timeout 60 sshpass -p wrong1234 ssh "${SSH_OPTS[@]}" -p "$PORT" "$1@$D@127.0.0.1" true 2>/dev/null; }
wrong nobody # a failure: from now on this address's attempts are paced
start=$(date +%s%N) guesses=()
for i in 1 2 3 4 5 6; do wrong "nobody$i" & guesses+=($!); done
wait "${guesses[@]}"
took_ms=$((($(date +%s%N) - start) / 1000000))
check "after a failure, six wrong passwords at once from one address take turns (${took_ms} ms, at least 1250)" \
  test "$took_ms" -ge 1250
six_logged() { test "$(grep -c 'Failed [a-z-]* for invalid user nobody[1-6]@' "$TMP/server.log")" = 6; }
check "... each refused and logged" eventually six_logged

check "every session has ended" wait_for 30 bash -c "! pgrep -P $server_pid >/dev/null"
check "no sanitizer reports from any kascond process" bash -c "! grep -q 'Sanitizer\|runtime error' '$TMP/server.log'"
stop_kascond "$server_pid"
done_testing

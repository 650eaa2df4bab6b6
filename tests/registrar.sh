#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A real Kamailio registrar kept in step by kasconctl: the shipped
# doc/kamailio/kamailio.cfg on an SQLite database, run as an unprivileged
# user on a free loopback port, and real REGISTERs and requests from SIPp.
. "${top_srcdir:-.}/tests/tmux.sh"
SCHEMA=/usr/share/kamailio/db_sqlite
if ! command -v kamailio >/dev/null || [ ! -f "$SCHEMA/auth_db-create.sql" ]; then
  echo "1..0 # SKIP kamailio or kamailio-sqlite-modules is not installed"
  exit 0
fi
if ! command -v sipp >/dev/null; then
  echo "1..0 # SKIP sipp (Debian package sip-tester) is not installed"
  exit 0
fi
CFG=$(cd "${top_srcdir:-.}/doc/kamailio" && pwd)/kamailio.cfg
SC=$(cd "${top_srcdir:-.}/tests/sip" && pwd)
K() { "$KASCONCTL" "$@"; }
D=sip.example.jp

# Kamailio's own tables, as kamdbctl creates them, writable by kamailio's user.
KD="$TMP/kamailio"
mkdir -p "$KD"
chmod 711 "$TMP"
chmod 1777 "$KD"
for t in standard auth_db alias_db avpops domain usrloc; do cat "$SCHEMA/$t-create.sql"; done |
  sqlite3 "$KD/kam.db"
chmod 666 "$KD/kam.db"
export KASCON_REGISTRAR="$KD/kam.db"
kq() { sqlite3 -cmd '.timeout 10000' "$KD/kam.db" "$@"; }

K site add $D --capacity 500 --site-number 81 >/dev/null
K line add $D 09012340001 09012340002 09012340003 >/dev/null
printf '2001,09012340001,0000000000,,secret01,0,0,web2001,abcd1234,0\r\n2002,,0000000000,phone2002,pw2002xy,0,0,web2002,abcd1234,0\r\n' >"$TMP/ext.csv"
check "two extensions imported with the registrar configured" run_ctl 0 ext import $D "$TMP/ext.csv"
check "... the site's domain row" test "$(kq "select count(*) from domain where domain='$D'")" = 1
ha1=$(printf '%s' "2001:$D:secret01" | md5sum | cut -d' ' -f1)
ha1b=$(printf '%s' "2001@$D:$D:secret01" | md5sum | cut -d' ' -f1)
check "... subscriber rows with ha1 and ha1b, no plaintext password" \
  test "$(kq "select username||'|'||password||'|'||ha1||'|'||ha1b from subscriber where domain='$D' order by username" | head -1)" = "2001||$ha1|$ha1b"
check "... aliases: extension numbers and the assigned mobile" \
  test "$(kq "select group_concat(alias_username||'>'||username, ' ') from (select * from dbaliases where alias_domain='$D' order by alias_username)")" = "09012340001>2001 2001>2001 2002>phone2002"
check "... nothing waits" run_ctl 0 registrar status
check "... status says so" grep -q '^pending	0$' "$TMP/out"

# ---- a throwaway Kamailio ----
free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
KPID=
at_exit '[ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null'
as_user=()
[ "$(id -u)" = 0 ] && as_user=(-u nobody -g "$(id -gn nobody)")
port_open() { ss -Hnlu "sport = :$1" 2>/dev/null | grep -q "127.0.0.1:$1"; }
start_kamailio() {
  local try
  for try in 1 2 3; do
    PORT=$(free_port)
    kamailio -f "$CFG" -A "DBURL=\"sqlite:///$KD/kam.db\"" -A USRLOC_DB_MODE=1 \
      -l "udp:127.0.0.1:$PORT" -DD -E "${as_user[@]}" -Y "$KD" -w "$KD" >"$KD/log" 2>&1 &
    KPID=$!
    local i
    for i in $(seq 200); do
      port_open "$PORT" && return 0
      kill -0 "$KPID" 2>/dev/null || break
      sleep 0.1
    done
    kill "$KPID" 2>/dev/null; wait "$KPID" 2>/dev/null; KPID=
  done
  sed 's/^/#   /' "$KD/log" | tail -20
  return 1
}
if ! start_kamailio; then
  not_ok "kamailio starts with the shipped configuration"
  done_testing
  exit 1
fi
ok "kamailio starts with the shipped configuration (port $PORT)"

# sip SCENARIO USER PASSWORD KEY=VALUE...: one SIPp call to Kamailio; the
# exchange is kept in $TMP/sip.log.
sip() {
  local sc=$1 user=$2 pw=$3 args=() kv
  shift 3
  for kv in "$@"; do args+=(-key "${kv%%=*}" "${kv#*=}"); done
  rm -f "$TMP"/sipp/*
  mkdir -p "$TMP/sipp"
  (cd "$TMP/sipp" && timeout 30 sipp "127.0.0.1:$PORT" -sf "$SC/$sc.xml" -key user "$user" \
    -key domain $D "${args[@]}" -au "$user" -ap "$pw" -m 1 -i 127.0.0.1 -p "$(free_port)" -nostdin \
    -timeout 20s -timeout_error -trace_msg -trace_err >/dev/null 2>&1)
  local rc=$?
  cat "$TMP"/sipp/*_messages.log >"$TMP/sip.log" 2>/dev/null
  if [ $rc != 0 ]; then
    echo "# sipp $sc for $user -> $rc"
    cat "$TMP"/sipp/*_errors.log 2>/dev/null | head -5 | sed 's/^/#   /'
    echo
  fi
  return $rc
}
PHONE_PORT=$(free_port)
CONTACT="sip:2001@127.0.0.1:$PHONE_PORT"
registers() { sip register "$1" "$2" contact="$CONTACT"; }
refused() { sip register_refused "$1" "$2" contact="$CONTACT"; }
# The registered phone answers one request; call() then reads its reply.
start_phone() {
  mkdir -p "$TMP/phone"; rm -f "$TMP"/phone/*
  (cd "$TMP/phone" && exec timeout 30 sipp -sf "$SC/phone.xml" -m 1 -i 127.0.0.1 -p "$PHONE_PORT" \
    -nostdin -timeout 25s -trace_msg >/dev/null 2>&1) &
  PHONE=$!
  local i
  for i in $(seq 300); do port_open "$PHONE_PORT" && return 0; sleep 0.1; done
  return 1
}
# final_reply: the status of the last reply in the call's trace.
final_reply() { grep -a '^SIP/2.0 ' "$TMP/sip.log" | tail -1 | cut -d' ' -f2; }
call_reaches_phone() {
  start_phone || return 1
  sip call "$1" "$2" target="$3" || return 1
  wait "$PHONE"
  [ "$(final_reply)" = 200 ] && grep -aq "^OPTIONS $CONTACT SIP/2.0" "$TMP"/phone/*_messages.log
}

check "the provisioned extension registers (200)" registers 2001 secret01
check "... its contact is in location (usrloc db_mode 1)" \
  test "$(kq "select contact from location where username='2001' and domain='$D'")" = "$CONTACT"
check "a wrong password is refused (401)" refused 2001 wrong-pw1
check "a request to the mobile number reaches the registered contact through the alias" \
  call_reaches_phone phone2002 pw2002xy 09012340001
check "... and one to the extension number" call_reaches_phone phone2002 pw2002xy 2001

# Forwarding, as the configuration reads it.
K fwd set $D 2001 unconditional 0312345678 >/dev/null
check "unconditional forwarding is in usr_preferences" \
  test "$(kq "select value from usr_preferences where username='2001' and domain='$D' and attribute='fwd_unconditional'")" = 0312345678
check "... and the call to the mobile is forwarded (302 to the number)" \
  eval 'sip call phone2002 pw2002xy target=09012340001 && [ "$(final_reply)" = 302 ] && grep -aq "^Contact: <sip:0312345678@$D>" "$TMP/sip.log"'
K fwd clear $D 2001 unconditional >/dev/null
check "cleared: the call reaches the phone again" call_reaches_phone phone2002 pw2002xy 09012340001
K fwd set $D 2001 no-answer 2002 --delay 20 >/dev/null
check "no-answer forwarding with its delay" \
  test "$(kq "select group_concat(attribute||'='||type||':'||value, ' ') from (select * from usr_preferences where username='2001' order by attribute)")" = "fwd_no_answer=0:2002 fwd_no_answer_delay=1:20"

# Password change.
echo newpass9 | K ext set $D 2001 sip-password >/dev/null
check "after a password change the old password is refused" refused 2001 secret01
check "... and the new one registers" registers 2001 newpass9

# The registrar unreachable during a change, then back.
mv "$KD/kam.db" "$KD/kam.away"
echo later123 | K ext set $D 2001 sip-password >"$TMP/out" 2>"$TMP/err"
check "a change while the registrar is unreachable is still saved" test $? = 0
check "... and kasconctl says it waits, and why" grep -q 'Registrar: 1 change waiting (.*unable to open' "$TMP/err"
check "registrar status: exit 1 while changes wait" run_ctl 1 registrar status
check "... with the count and the reason" eval 'grep -q "^pending	1$" "$TMP/out" && grep -q "^reachable	no$" "$TMP/out" && grep -q "^last-error	.*kam.db" "$TMP/out"'
mv "$KD/kam.away" "$KD/kam.db"
check "back: the old password still works until the outbox is applied" registers 2001 newpass9
check "registrar sync applies what waited" run_ctl 0 registrar sync $D
check "... and prints it" grep -q "^~ subscriber 2001@$D$" "$TMP/out"
check "... the new password registers" registers 2001 later123
check "... nothing waits" run_ctl 0 registrar status

# Rows changed behind kascon's back.
kq "update subscriber set ha1='0' where username='2001'; delete from dbaliases where alias_username='09012340001';
    insert into dbaliases (alias_username, alias_domain, username, domain) values ('2002','$D','intruder','$D'), ('7777','$D','2001','$D');
    insert into usr_preferences (username, domain, attribute, type, value) values ('phone2002','$D','fwd_busy',0,'2001')"
before=$(kq "select count(*) from dbaliases")
check "sync --dry-run lists the drift" run_ctl 0 registrar sync $D --dry-run
has_line() { grep -qxF -e "$1" "$TMP/out"; }
check "... every row" eval 'has_line "~ subscriber 2001@$D" && has_line "+ dbaliases 09012340001@$D" && has_line "~ dbaliases 2002@$D" && has_line "- dbaliases 7777@$D" && has_line "- usr_preferences phone2002@$D"'
check "... and changes nothing" test "$(kq "select count(*) from dbaliases")" = "$before"
check "sync repairs it" run_ctl 0 registrar sync
check "... 5 changes" grep -q '^registrar: 5 changes made' "$TMP/out"
check "... a second sync finds nothing" eval 'run_ctl 0 registrar sync && grep -q "^registrar: 0 changes made" "$TMP/out"'
check "... the mobile reaches the phone again" call_reaches_phone phone2002 pw2002xy 09012340001
check "... the repaired credentials register" registers 2001 later123

# A version kascon does not know is refused, nothing written.
kq "update version set table_version=6 where table_name='subscriber'"
check "a registrar table at another version is refused" run_ctl 1 registrar sync
check "... with a clear message" grep -q 'table subscriber is at version 6; kascon writes version 7' "$TMP/err"
kq "update version set table_version=7 where table_name='subscriber'"

# Transfer: the mobile moves, its alias follows.
check "transfer 2002 to the person using mobile 09012340002" run_ctl 0 transfer $D 2002 09012340002
check "... the alias of the mobile names 2002's subscriber" \
  test "$(kq "select username from dbaliases where alias_username='09012340002'")" = phone2002

# Deletion.
printf '2001,09012340001,0000000000\r\n' >"$TMP/del.csv"
check "bulk delete of 2001" run_ctl 0 ext delete $D "$TMP/del.csv"
check "... its subscriber, aliases and preferences are gone" \
  test "$(kq "select (select count(*) from subscriber where username='2001') + (select count(*) from dbaliases where username='2001') + (select count(*) from usr_preferences where username='2001')")" = 0
check "after deletion the extension cannot register" refused 2001 later123

# A bulk import goes set-wise: one comparison of the whole domain.
python3 -c 'import sys
for i in range(300): sys.stdout.write("%d,,0000000000,,pw%06d,0,0,web%d,abcd1234,0\r\n" % (3000 + i, i, 3000 + i))' >"$TMP/bulk.csv"
check "300 extensions imported" run_ctl 0 ext import $D "$TMP/bulk.csv"
check "... all 300 subscribers in Kamailio" test "$(kq "select count(*) from subscriber where username between '3000' and '3299'")" = 300
check "... nothing waits" run_ctl 0 registrar status
check "one of them registers" sip register 3123 pw000123 contact="sip:3123@127.0.0.1:$PHONE_PORT"
# ---- kascond: exec verbs over SSH, the periodic worker, the console ----
until_ok() { # SECONDS COMMAND...: polls until the command succeeds
  local limit=$1 i=0; shift
  while [ $i -lt $((limit * 10)) ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}
PW=Adm1nPass9
echo "$PW" | K admin add $D admin >/dev/null
: >"$TMP/kascond.conf"
# --registrar alone names it to kascond.
unset KASCON_REGISTRAR
check "kascond starts with --registrar" start_kascond --config "$TMP/kascond.conf" --listen 127.0.0.1:0 \
  --db "$KASCON_DB" --host-key "$TMP/host_key" --registrar "$KD/kam.db" --registrar-interval 1
export KASCON_REGISTRAR="$KD/kam.db"
SPORT=$KASCOND_PORT
printf '4000,09012340003,0000000000,,ssh4000x,0,0,web4000,abcd1234,0\r\n' >"$TMP/ssh.csv"
env -u KASCON_REGISTRAR timeout 60 sshpass -p "$PW" ssh -F /dev/null -o StrictHostKeyChecking=no \
  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PubkeyAuthentication=no \
  -p "$SPORT" "admin@$D@127.0.0.1" ext import <"$TMP/ssh.csv" >"$TMP/out" 2>"$TMP/err"
check "ext import over SSH" grep -q '1 profiles created' "$TMP/out" ||
  sed 's/^/#   /' "$TMP/err"
check "... reaches Kamailio: 4000 registers" sip register 4000 ssh4000x contact="sip:4000@127.0.0.1:$PHONE_PORT"
check "... and its mobile alias names it" \
  test "$(kq "select username from dbaliases where alias_username='09012340003'")" = 4000

mv "$KD/kam.db" "$KD/kam.away"
echo worker77 | K ext set $D 4000 sip-password >/dev/null 2>&1
check "a change while the registrar is away waits" run_ctl 1 registrar status
mv "$KD/kam.away" "$KD/kam.db"
nothing_waits() { "$KASCONCTL" registrar status >/dev/null 2>&1; }
check "kascond's worker applies it once the registrar is back" until_ok 60 nothing_waits
check "... and logs it" log_has "Registrar .*kam.db: applied 1 waiting change"
check "... the new password registers" sip register 4000 worker77 contact="sip:4000@127.0.0.1:$PHONE_PORT"

# The console says what waits, and why, on its status line.
mv "$KD/kam.db" "$KD/kam.away"
stop_kascond
echo console88 | K ext set $D 4000 sip-password >/dev/null 2>&1
start_console C.UTF-8 100 24
wait_for "Site domain name" >/dev/null
type_text $D; keys Tab; type_text admin; keys Tab; type_text "$PW"; keys Enter
check "the console's status line: changes waiting for the registrar, and why" \
  wait_for "Registrar: 1 change waiting"
check "... naming the cause" eventually bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep -q 'unable to open'"
mv "$KD/kam.away" "$KD/kam.db"
run_ctl 0 registrar sync $D
check "... and clears it once applied" wait_gone "Registrar:"
done_testing
[ $failed = 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The registrar as a PostgreSQL database (libpq): a throwaway PostgreSQL
# server as an unprivileged user with Kamailio's own schema, kept in step
# by kasconctl; drift repaired; the server stopped during a change and
# started again.
. "${top_srcdir:-.}/tests/lib.sh"
. "${top_srcdir:-.}/tests/pg.sh"
pg_require
SCHEMA=/usr/share/kamailio/postgres
if [ ! -f "$SCHEMA/auth_db-create.sql" ]; then
  echo "1..0 # SKIP kamailio-postgres-modules (Kamailio's PostgreSQL schema) is not installed"
  exit 0
fi
if "$KASCONCTL" --registrar postgresql:///x registrar status 2>&1 | grep -q 'built without PostgreSQL'; then
  echo "1..0 # SKIP kascon was built without PostgreSQL"
  exit 0
fi
K() { "$KASCONCTL" "$@"; }
D=pg.example.jp
check "a throwaway PostgreSQL starts" pg_cluster kamailio
pg_createdb kam
pq() { pg_psql kam "$@"; }
for t in standard auth_db alias_db avpops domain; do cat "$SCHEMA/$t-create.sql"; done | pq >/dev/null
export KASCON_REGISTRAR=$(pg_uri kam)

K site add $D --capacity 50 >/dev/null
K line add $D 09055550001 >/dev/null
printf '2001,09055550001,0000000000,,secret01,0,0,web2001,abcd1234,0\r\n' >"$TMP/ext.csv"
check "an import reaches PostgreSQL" run_ctl 0 ext import $D "$TMP/ext.csv"
ha1=$(printf '%s' "2001:$D:secret01" | md5sum | cut -d' ' -f1)
check "... subscriber with ha1" test "$(pq -c "select ha1 from subscriber where username='2001' and domain='$D'")" = "$ha1"
check "... aliases" test "$(pq -c "select string_agg(alias_username||'>'||username, ' ' order by alias_username) from dbaliases")" = "09055550001>2001 2001>2001"
check "... domain" test "$(pq -c "select domain from domain")" = $D
K fwd set $D 2001 no-answer 0312345678 --delay 20 >/dev/null
check "forwarding as usr_preferences" test "$(pq -c "select string_agg(attribute||'='||type||':'||value, ' ' order by attribute) from usr_preferences")" = "fwd_no_answer=0:0312345678 fwd_no_answer_delay=1:20"

pq -c "update subscriber set ha1='0'; insert into dbaliases (alias_username, alias_domain, username, domain) values ('2001', '$D', 'intruder', '$D')"
check "sync repairs drift" run_ctl 0 registrar sync $D
check "... and prints it" eval 'grep -qxF "~ subscriber 2001@$D" "$TMP/out" && grep -qxF "~ dbaliases 2001@$D" "$TMP/out"'
check "... ha1 back" test "$(pq -c "select ha1 from subscriber where username='2001'")" = "$ha1"

pg_stop
echo newpass9 | K ext set $D 2001 sip-password >"$TMP/out" 2>"$TMP/err"
check "a change while PostgreSQL is down is saved" test $? = 0
check "... and waits, with the reason on one line" grep -q '^kasconctl: Registrar: 1 change waiting (connection to server .*)$' "$TMP/err"
check "registrar status says it cannot be reached" run_ctl 1 registrar status
pg_start
check "sync applies it once PostgreSQL is back" run_ctl 0 registrar sync
ha1=$(printf '%s' "2001:$D:newpass9" | md5sum | cut -d' ' -f1)
check "... the new ha1" test "$(pq -c "select ha1 from subscriber where username='2001'")" = "$ha1"
done_testing
[ $failed = 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl end to end on a temporary database.
. "${top_srcdir:-.}/tests/lib.sh"

check "--version" run_ctl 0 --version
check "--help lists site add" bash -c "'$KASCONCTL' --help | grep -q 'site add'"
check "unknown command is a usage error" run_ctl 2 frobnicate
check "init" run_ctl 0 init
check "database is 0600" test "$(stat -c %a "$KASCON_DB")" = 600
check "site add" run_ctl 0 site add tokyo.example.jp --capacity 5 --site-number 81 --gw-id 82 --pickup-code '*72'
check "site add without capacity is usage" run_ctl 2 site add osaka.example.jp

# Refused input changes nothing, byte for byte, and names the rule and value.
before=$(db_hash)
check "bad domain refused" run_ctl 1 site add 'bad_domain' --capacity 5
check "... names code 161" grep -q '161' "$TMP/err"
check "colliding codes refused" run_ctl 1 site add osaka.example.jp --capacity 5 --site-number 8 --gw-id 81
check "... names the colliding value" grep -q '"8"' "$TMP/err"
check "bad capacity refused" run_ctl 1 site add osaka.example.jp --capacity 0
check "site set with a colliding code refused" run_ctl 1 site set tokyo.example.jp park-code=8
check "... names site number 81" grep -q '81' "$TMP/err"
check "site set unknown key refused" run_ctl 1 site set tokyo.example.jp colour=blue
check "site set bad CIDR refused" run_ctl 1 site set tokyo.example.jp trusted-networks=10.0.0.0/99
check "partly bad set changes nothing" run_ctl 1 site set tokyo.example.jp capacity=9 restrict-admin=maybe
check "bad mobile refused" run_ctl 1 line add tokyo.example.jp 09011112222 9011112223
check "... with the leading-zero code 113" grep -q '113' "$TMP/err"
check "... and an Excel hint" grep -qi 'excel' "$TMP/err"
check "weak admin password refused" bash -c "echo short | '$KASCONCTL' admin add tokyo.example.jp admin 2>$TMP/err; test \$? = 1"
check "unknown site refused" run_ctl 1 line add nowhere.example.jp 09011112222
check "database unchanged by refused input" test "$before" = "$(db_hash)"

check "site set" run_ctl 0 site set tokyo.example.jp capacity=9 restrict-admin=on trusted-networks=192.0.2.0/24
check "site list shows the change" bash -c "'$KASCONCTL' site list | grep -q 'capacity=9.*restrict-admin=on'"
check "line add" run_ctl 0 line add tokyo.example.jp 09011112222 08011112222
check "line list" bash -c "'$KASCONCTL' line list tokyo.example.jp | grep -c '^0' | grep -qx 2"
check "line list --unassigned" run_ctl 0 line list tokyo.example.jp --unassigned
check "admin add from stdin" bash -c "echo 'secret12' | '$KASCONCTL' admin add tokyo.example.jp admin >/dev/null"
check "duplicate admin refused" bash -c "echo 'secret12' | '$KASCONCTL' admin add tokyo.example.jp admin 2>/dev/null; test \$? = 1"
check "admin reset" bash -c "echo 'other123' | '$KASCONCTL' admin reset tokyo.example.jp admin >/dev/null"
check "admin unlock" run_ctl 0 admin unlock tokyo.example.jp admin
check "admin unlock unknown" run_ctl 1 admin unlock tokyo.example.jp nobody
check "secret reset" run_ctl 0 secret reset tokyo.example.jp
check "... audited: the operator reset the site's secret question" \
  test "$(q "select a.action || ' ' || a.actor || ' ' || a.object from audit a where a.action = 'secret.reset' order by a.id desc limit 1")" = "secret.reset operator tokyo.example.jp"
ssh-keygen -q -t ed25519 -N '' -C 'ops@example' -f "$TMP/key" >/dev/null
check "admin key add" bash -c "'$KASCONCTL' admin key add tokyo.example.jp admin < '$TMP/key.pub' >/dev/null"
check "admin key add: same key refused (239)" bash -c "'$KASCONCTL' admin key add tokyo.example.jp admin < '$TMP/key.pub' 2>&1 >/dev/null | grep -q 239"
check "admin key add: a private key refused (174)" bash -c "'$KASCONCTL' admin key add tokyo.example.jp admin < '$TMP/key' 2>&1 >/dev/null | grep -q 174"
check "admin key list shows the comment" bash -c "'$KASCONCTL' admin key list tokyo.example.jp admin | grep -q 'ops@example'"
check "admin key remove unknown id" run_ctl 1 admin key remove tokyo.example.jp admin 99
check "admin key remove" run_ctl 0 admin key remove tokyo.example.jp admin 1
check "admin key list is empty" test -z "$("$KASCONCTL" admin key list tokyo.example.jp admin)"
check "admin key with a bad action is usage" run_ctl 2 admin key frob tokyo.example.jp admin
check "password never stored in clear" bash -c "! sqlite3 '$KASCON_DB' .dump | grep -q secret12"
check "operator changes are audited" test "$(sqlite3 "$KASCON_DB" "select count(*) from audit where actor='operator'")" -ge 5

# The demo data satisfies every rule: a second site with it, then checks.
check "demo" run_ctl 0 demo
check "demo prints the admin password" grep -q 'password: ' "$TMP/out"
pw=$(sed -n 's/.*password: //p' "$TMP/out")
check "demo refuses to run twice" run_ctl 1 demo
check "demo: 300 lines" test "$(q "select count(*) from lines l join sites s on s.id=l.site_id where s.domain='demo.example.jp'")" = 300
check "demo: 200 profiles" test "$(q "select count(*) from extensions e join sites s on s.id=e.site_id where s.domain='demo.example.jp'")" = 200
check "demo: virtual profiles" test "$(q "select count(*) from extensions where is_virtual=1")" -gt 0
check "demo: groups" test "$(q "select count(*) from pickup_groups") $(q "select count(*) from hunt_groups")" = "4 3"
check "demo: no virtual extension assigned" test "$(q "select count(*) from assignments a join extensions e on e.id=a.extension_id where e.is_virtual=1")" = 0
check "demo admin password is 12 characters" test "${#pw}" = 12
check "demo admin password is stored only as a hash" bash -c "! sqlite3 '$KASCON_DB' .dump | grep -q '$pw'"
# The whole demo numbering plan is prefix-free: check every pair in SQL.
plan="select ext v from extensions e join sites s on s.id=e.site_id where s.domain='demo.example.jp'
 union all select site_number from sites where domain='demo.example.jp'
 union all select gw_id from sites where domain='demo.example.jp'
 union all select park_code from sites where domain='demo.example.jp'
 union all select pickup_code from sites where domain='demo.example.jp'
 union all select group_pickup_code from sites where domain='demo.example.jp'
 union all select hold_code from sites where domain='demo.example.jp'
 union all select dial_confirm_code from sites where domain='demo.example.jp'
 union all select dtmf_send_code from sites where domain='demo.example.jp'"
check "demo numbering plan is prefix-free" test "$(q "with p as (select row_number() over () i, v from ($plan) where v is not null and v<>'') select count(*) from p a, p b where a.i<>b.i and substr(b.v,1,length(a.v))=a.v")" = 0
check "demo numbering plan has 208 values" test "$(q "with p as ($plan) select count(*) from p where v is not null")" = 208
done_testing

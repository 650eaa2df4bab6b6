#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl pickup / hunt / ext groups end to end.
. "${top_srcdir:-.}/tests/lib.sh"
D=g.example.jp
"$KASCONCTL" site add $D --capacity 200 --site-number 81 >/dev/null
# Profiles 2001-2080 and virtual 2901-2903, straight into the database:
# the profile verbs are not the subject here.
q "insert into extensions (site_id, ext, ext_num, is_virtual, sip_id, sip_password)
   with recursive n(i) as (select 2001 union all select i+1 from n where i<2080)
   select 1, i, i, 0, i, i from n union all
   select 1, i, i, 1, i, i from (select 2901 as i union all select 2902 union all select 2903) v"

check "pickup add" run_ctl 0 pickup add $D 1
check "pickup add duplicate refused" run_ctl 1 pickup add $D 1
check "... with 503" grep -q '^kasconctl: 503 ' "$TMP/err"
check "pickup add 0 refused" run_ctl 1 pickup add $D 0
check "... with 501" grep -q '^kasconctl: 501 ' "$TMP/err"
check "pickup add 07 refused (no leading zeros)" run_ctl 1 pickup add $D 07
check "pickup add 100000 refused" run_ctl 1 pickup add $D 100000
check "pickup add without a number is usage" run_ctl 2 pickup add $D
check "pickup member add" run_ctl 0 pickup member add $D 1 2001 2002 2003
check "... says 3 members" grep -q '3 members' "$TMP/out"
before=$(db_hash)
check "bad members refused all together" run_ctl 1 pickup member add $D 1 2004 9999 12 2001
check "... 9999 not registered (241)" grep -q '241.*"9999"' "$TMP/err"
check "... 12 bad (102)" grep -q '102.*"12"' "$TMP/err"
check "... 2001 already a member (507)" grep -q '507.*"2001"' "$TMP/err"
check "... and 2004 was not added" test "$before" = "$(db_hash)"
list=$(seq 2004 2070 | tr '\n' ' ')
check "65 members refused" run_ctl 1 pickup member add $D 1 $list
check "... with 506" grep -q '^kasconctl: 506 ' "$TMP/err"
check "64 members accepted" run_ctl 0 pickup member add $D 1 $(seq 2004 2064)
check "pickup add 2" run_ctl 0 pickup add $D 2
check "an extension in two pickup groups" run_ctl 0 pickup member add $D 2 2001 2080
check "pickup list" run_ctl 0 pickup list $D
check "... numbers and member counts" test "$(cat "$TMP/out")" = "$(printf '1\t64\n2\t2')"
check "pickup list --ext 2080" run_ctl 0 pickup list $D --ext 2080
check "... only group 2" test "$(cut -f1 "$TMP/out")" = 2
check "pickup list --number 1" run_ctl 0 pickup list $D --number 1
check "... only group 1" test "$(cut -f1 "$TMP/out")" = 1
check "pickup show" run_ctl 0 pickup show $D 2
check "... lists the members" grep -q '2080' "$TMP/out"
check "pickup member remove" run_ctl 0 pickup member remove $D 2 2080
check "remove a non-member refused" run_ctl 1 pickup member remove $D 2 2080
check "... with 508" grep -q '^kasconctl: 508 ' "$TMP/err"
check "show an unknown group refused" run_ctl 1 pickup show $D 9
check "... with 502" grep -q '^kasconctl: 502 ' "$TMP/err"

check "hunt add pilot" run_ctl 0 hunt add $D 1 --type pilot --rep 2901
check "hunt add round robin" run_ctl 0 hunt add $D 2 --type round-robin --rep 2902
check "hunt add without --rep is usage" run_ctl 2 hunt add $D 3 --type pilot
check "hunt add with a bad type is usage" run_ctl 2 hunt add $D 3 --type random --rep 2903
check "hunt add with an unregistered representative" run_ctl 1 hunt add $D 3 --type pilot --rep 2999
check "... with 241" grep -q '^kasconctl: 241 ' "$TMP/err"
check "hunt add with a taken representative" run_ctl 1 hunt add $D 3 --type pilot --rep 2901
check "... with 512 naming hunting group 1" grep -q '512.*hunting group 1' "$TMP/err"
check "hunt member add" run_ctl 0 hunt member add $D 1 2010 2011 2012
check "an extension in a second hunting group refused" run_ctl 1 hunt member add $D 2 2011
check "... with 509 naming hunting group 1" grep -q '509.*"2011".*hunting group 1' "$TMP/err"
check "a representative as member refused" run_ctl 1 hunt member add $D 2 2901
check "... with 511" grep -q '^kasconctl: 511 ' "$TMP/err"
check "hunt order" run_ctl 0 hunt order $D 1 2012 2010 2011
check "hunt show in the new order" bash -c "'$KASCONCTL' hunt show $D 1 | awk '/^  /{print \$2}' | tr '\n' ' ' | grep -qx '2012 2010 2011 '"
check "hunt order missing a member refused" run_ctl 1 hunt order $D 1 2012 2010
check "... with 514" grep -q '^kasconctl: 514 ' "$TMP/err"
check "hunt order of a round-robin group refused" run_ctl 1 hunt order $D 2 2012
check "... with 515" grep -q '^kasconctl: 515 ' "$TMP/err"
check "hunt set" run_ctl 0 hunt set $D 2 --type pilot --rep 2903
check "hunt list" run_ctl 0 hunt list $D
check "... number, type, representative, members" test "$(cat "$TMP/out")" = "$(printf '1\tpilot\t2901\t3\n2\tpilot\t2903\t0')"
check "hunt list --ext 2903 finds the group it represents" run_ctl 0 hunt list $D --ext 2903
check "... group 2" test "$(cut -f1 "$TMP/out")" = 2
check "ext groups" run_ctl 0 ext groups $D 2001
check "... pickup 1 and 2" test "$(cat "$TMP/out")" = "$(printf 'pickup\t1\npickup\t2')"
check "ext groups of a representative" run_ctl 0 ext groups $D 2901
check "... representative of hunting 1" grep -q 'representative' "$TMP/out"
check "ext groups of an unregistered extension" run_ctl 1 ext groups $D 2999
check "hunt delete" run_ctl 0 hunt delete $D 2
check "pickup delete" run_ctl 0 pickup delete $D 2
check "delete an unknown group refused" run_ctl 1 pickup delete $D 2
check "every change is audited with before and after" test "$(q "select count(*) from audit where action like 'pickup.%' or action like 'hunt.%'")" -ge 12
check "... member changes carry both lists" test "$(q "select count(*) from audit where action='hunt.order' and before='2010,2011,2012' and after='2012,2010,2011'")" = 1
check "Japanese messages" bash -c "LC_ALL=ja_JP.UTF-8 '$KASCONCTL' pickup add $D 1 2>&1 >/dev/null | grep -q '503'"
done_testing

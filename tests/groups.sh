#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ピックアップグループ設定 and コールハンティンググループ設定 in the console,
# in English and Japanese: the guide's flow (number, 新規登録, members in
# the entry area), every refusal of §3.3 naming what collides, pilot
# order, the list with its filter, the row lock and the version check.
. "${top_srcdir:-.}/tests/tmux.sh"
# The stored content without the row locks: an open edit form renews its
# lease every second, which is not a change of what was stored.
content_hash() { q .dump | grep -v '^INSERT INTO locks' | sha256sum; }

D=g.example.jp

setup() {
  remove_db
  "$KASCONCTL" init >/dev/null
  "$KASCONCTL" site add $D --capacity 300 --site-number 81 >/dev/null
  echo 'secret12' | "$KASCONCTL" admin add $D admin >/dev/null
  # Profiles 2001-2080 and virtual 2901-2903, straight into the database:
  # the profile screens are not the subject here.
  q "insert into extensions (site_id, ext, ext_num, is_virtual, sip_id, sip_password)
     with recursive n(i) as (select 2001 union all select i+1 from n where i<2080)
     select 1, i, i, 0, i, i from n union all
     select 1, i, i, 1, i, i from (select 2901 i union all select 2902 union all select 2903)"
}

# members_of KIND NUMBER: the group's members as stored, in order.
members_of() {
  q "select group_concat(ext, ' ') from (select e.ext from $1_members m join extensions e on e.id=m.extension_id
     join $1_groups g on g.id=m.group_id where g.number=$2 order by m.position)"
}
# has_members KIND NUMBER MEMBERS: polled after a save whose message may be
# old (the result area keeps three) or whose numbers are on the screen as typed.
has_members() { test "$(members_of "$1" "$2")" = "$3"; }

login() {
  await_login
  type_text $D; keys Tab; type_text admin; keys Tab; type_text secret12; keys Enter
}


run_locale() {
  local lang=$1
  if [ "$lang" = C.UTF-8 ]; then
    L_MAIN="Main menu"; L_PICKUP="Pickup groups"; L_COUNT="Registered groups: 0 of 4096"
    L_NEWFORM="Pickup group number"; L_REGD="Group 10 has been registered"
    L_ADDED="Registered 3 member(s) in group 10"; L_NOTHING="Nothing was changed"
    L_DUP="already"; L_REMOVED="Deleted 1 member(s) from group 10"; L_CHANGED="someone else changed this item meanwhile"
    L_RO="Read only: boss is editing"; L_HUNT="Call hunting groups"; L_PILOT="Pilot"
    L_MOVED="Extension 2012 is now number 2"; L_OTHER="hunting group 6"
    L_UPDATED="Group 5 has been updated"; L_DELQ="Delete group 10"; L_DELETED="Group 10 has been deleted"
    L_FULL="64"; L_LIMIT="4096"; L_TYPE="Round robin"; L_MEMBERS="Extension members"
    L_COUNT64="64 of 64"; L_COUNT1="Registered groups: 1 of 4096"
    L_EMPTY="(no entries)"; L_PG11="pickup group 11"; L_EXTDEL="Extension 2070 has been deleted"
    L_DISCARD="Discard the changes?"
  else
    L_MAIN="メインメニュー"; L_PICKUP="ピックアップグループ設定"; L_COUNT="登録グループ数: 0 / 4096"
    L_DISCARD="変更を破棄しますか"
    L_NEWFORM="ピックアップグループ番号"; L_REGD="グループ 10 を登録しました"
    L_ADDED="3 件の内線メンバをグループ 10 に登録しました"; L_NOTHING="何も変更されていません"
    L_DUP="既に"; L_REMOVED="1 件の内線メンバをグループ 10 から削除しました"; L_CHANGED="他の管理者がこの項目を変更しました"
    L_RO="boss"; L_HUNT="コールハンティンググループ設定"; L_PILOT="パイロット"
    L_MOVED="内線番号 2012 の順位を 2 にしました"; L_OTHER="グループ 6"
    L_UPDATED="グループ 5 を変更しました"; L_DELQ="グループ 10"; L_DELETED="グループ 10 を削除しました"
    L_FULL="64"; L_LIMIT="4096"; L_TYPE="均等"; L_MEMBERS="内線メンバ"
    L_COUNT64="64 / 64"; L_COUNT1="登録グループ数: 1 / 4096"
    L_EMPTY="(該当なし)"; L_PG11="グループ 11)"; L_EXTDEL="内線番号 2070 を削除しました"
  fi
  setup
  start_console "$lang"
  login
  check "$lang: main menu" wait_for "$L_MAIN"
  keys 1
  check "$lang: service settings list the pickup groups" wait_for "$L_PICKUP"
  keys 3
  check "$lang: the list counts groups against 4096" wait_for "$L_COUNT"

  # §5.1 ③: the group number, then 新規登録.
  type_text 10; keys F2
  check "$lang: new group form with the number typed" wait_for "$L_NEWFORM"
  keys Enter
  check "$lang: group registered" wait_for "$L_REGD"
  check "$lang: ... in the database" test "$(q "select count(*) from pickup_groups where number=10")" = 1
  # ④: members in the entry area, 登録.
  type_text "2001 2002,2003"; keys Enter
  check "$lang: three members registered" wait_for "$L_ADDED"
  check "$lang: ... shown in the upper area" wait_for "2003"
  before=$(content_hash)
  type_text "2004 9999 12 2001"; keys Enter
  check "$lang: bad members: every problem listed" wait_for "$L_NOTHING"
  check "$lang: ... 9999 not registered (241)" wait_for '241'
  check "$lang: ... 12 malformed (102)" wait_for '102'
  check "$lang: ... 2001 already a member (507)" wait_for '507'
  keys Enter
  check "$lang: ... and nothing changed" test "$before" = "$(content_hash)"
  keys C-u; type_text 2002; keys F8
  check "$lang: a member deleted through the entry area" wait_for "$L_REMOVED"
  check "$lang: ... 2001 2003 remain" test "$(q "select group_concat(e.ext, ' ') from pickup_members m join extensions e on e.id=m.extension_id join pickup_groups g on g.id=m.group_id where g.number=10 order by m.position")" = "2001 2003"

  # Someone else changes the group meanwhile: the save is refused, reloaded.
  "$KASCONCTL" pickup member add $D 10 2040 >/dev/null
  type_text 2041; keys Enter
  check "$lang: a stale group is not overwritten" wait_for "$L_CHANGED"
  check "$lang: ... the other change is shown" wait_for "2040"
  check "$lang: ... 2041 not added" test "$(q "select count(*) from pickup_members m join extensions e on e.id=m.extension_id where e.ext='2041'")" = 0
  keys C-u; type_text 2041; keys Enter
  check "$lang: after the reload the change goes through" eventually has_members pickup 10 "2001 2003 2040 2041"

  # 64 members per group (§3.3).
  "$KASCONCTL" pickup member add $D 10 $(seq 2005 2039) $(seq 2042 2066) >/dev/null
  keys C-u; type_text "2067"; keys Enter
  # (The count: the form shows "of 64" from the start.)
  check "$lang: the group changed meanwhile: reloaded" wait_for "$L_COUNT64"
  keys Enter
  check "$lang: a 65th member is refused (506)" wait_for "506"
  check "$lang: ... naming the limit" wait_for "$L_FULL"
  # The refused member is still typed: leaving asks before it is lost.
  keys Escape
  check "$lang: leaving with a member typed asks first" wait_for "$L_DISCARD"
  keys y
  # (The count: the form's heading names Pickup groups too.)
  check "$lang: back on the list" wait_for "$L_COUNT1"

  # Duplicate number and the 4096-group limit.
  keys C-u; type_text 10; keys F2; keys Enter
  check "$lang: a taken number is refused (503)" wait_for "503"
  keys Escape
  "$KASCONCTL" pickup add $D 11 >/dev/null
  "$KASCONCTL" pickup member add $D 11 2070 >/dev/null
  q "insert into pickup_groups (site_id, number) with recursive n(i) as (select 100 union all select i+1 from n where i<4193) select 1, i from n"
  keys C-u; type_text 9999; keys F2; keys Enter
  check "$lang: the 4097th group is refused (504)" wait_for "504"
  check "$lang: ... naming 4096" wait_for "$L_LIMIT"
  keys Escape
  q "delete from pickup_groups where number >= 100"

  # The list: from a number, and where an extension is used.
  keys C-u; keys Tab; type_text 2070; keys Enter
  check "$lang: filter by extension finds group 11" wait_for " 11 "
  check "$lang: ... and not group 10" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -qE '^ +10 +[0-9]+'"

  # Row lock: another administrator holds group 10.
  gid=$(q "select id from pickup_groups where number=10")
  now=$(date +%s)
  q "insert into locks values ('group:p:$gid', 'other-session', 'boss', $now, $((now + 600)))"
  keys BTab; keys C-u; keys Tab; keys C-u; keys Enter
  keys Enter
  check "$lang: a group held by another administrator is read only" wait_for "$L_RO"
  before=$(content_hash)
  type_text 2068; keys Enter
  check "$lang: ... where what is typed is read" keys_read
  check "$lang: ... and changes nothing" test "$before" = "$(content_hash)"
  q "delete from locks where session='other-session'"
  keys Escape

  # Delete a group from the list.
  keys Up; keys Up
  keys F8
  check "$lang: deleting asks first" wait_for "$L_DELQ"
  keys y
  check "$lang: group deleted" wait_for "$L_DELETED"
  check "$lang: ... with its memberships" test "$(q "select count(*) from pickup_members m join pickup_groups g on g.id=m.group_id where g.number=10")" = 0
  keys Escape

  # §5.3: 種別, number and representative, then members; pilot order.
  keys 4
  check "$lang: call hunting groups" wait_for "$L_HUNT"
  "$KASCONCTL" hunt add $D 6 --type round-robin --rep 2902 >/dev/null
  "$KASCONCTL" hunt member add $D 6 2020 >/dev/null
  keys F2
  check "$lang: new hunting group form offers the type" wait_for "$L_TYPE"
  keys Right; keys Tab; type_text 5; keys Tab; type_text 2999; keys Enter
  check "$lang: an unregistered representative is refused (241)" wait_for "241"
  keys C-u; type_text 2902; keys Enter
  check "$lang: a taken representative is refused (512), naming group 6" wait_for "512"
  check "$lang: ... group 6" wait_for "$L_OTHER"
  keys C-u; type_text 2901; keys Enter
  check "$lang: pilot group registered" wait_for "$L_MEMBERS"
  check "$lang: ... as a pilot group" test "$(q "select pilot from hunt_groups where number=5")" = 1
  type_text "2010 2011 2012"; keys Enter
  check "$lang: members registered" eventually has_members hunt 5 "2010 2011 2012"
  type_text 2020; keys Enter
  check "$lang: a member of another hunting group is refused (509)" wait_for "509"
  check "$lang: ... naming hunting group 6" wait_for "$L_OTHER"
  keys C-u; keys BTab; keys Down; keys Down; keys F6
  check "$lang: pilot: a member moved up" wait_for "$L_MOVED"
  check "$lang: ... the order is stored" test "$(q "select group_concat(ext, ' ') from (select e.ext from hunt_members m join extensions e on e.id=m.extension_id join hunt_groups g on g.id=m.group_id where g.number=5 order by m.position)")" = "2010 2012 2011"
  # Round robin: the type changes, moving is no longer offered.
  keys Tab; keys Tab; keys Left; keys F4
  check "$lang: type changed to round robin" wait_for "$L_UPDATED"
  check "$lang: ... stored" test "$(q "select pilot from hunt_groups where number=5")" = 0
  check "$lang: ... F6 Up no longer offered" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -q 'F6 '"
  keys Escape
  check "$lang: hunting list shows the representative" wait_for "2901"

  # FAQ §7: a group member's profile is not deleted, the groups are named;
  # 強制削除 takes it out of them in the same step.
  keys Escape; keys 1; keys 1
  type_text 2070; keys Enter
  check "$lang: profile list from 2070" wait_for "2070"
  keys F8; keys y
  check "$lang: deleting a group member is refused (243)" wait_for "243"
  check "$lang: ... naming pickup group 11" wait_for "$L_PG11"
  check "$lang: ... still registered" test "$(q "select count(*) from extensions where ext='2070'")" = 1
  keys F9; keys y
  check "$lang: force delete" wait_for "$L_EXTDEL"
  check "$lang: ... the profile is gone" test "$(q "select count(*) from extensions where ext='2070'")" = 0
  check "$lang: ... and group 11 has no members" test "$(q "select count(*) from pickup_members m join pickup_groups g on g.id=m.group_id where g.number=11")" = 0

  # 監査ログ: the changes above, filtered by object and by administrator.
  keys Escape; keys Escape; keys Escape
  check "$lang: back at the main menu" wait_for "$L_MAIN"
  keys 3; keys 4
  check "$lang: audit log lists the group changes" wait_for "hunting 5"
  keys Tab; type_text "PICKUP 11"; keys Enter
  check "$lang: filter by object" wait_for "pickup 11"
  check "$lang: ... hides the others" wait_gone "hunting 5"
  keys Tab; keys Tab; type_text operator; keys Enter
  check "$lang: ... and by administrator: the operator's changes" wait_for "operator"
  check "$lang: ... not the console's" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -qE '[0-9]{2}:[0-9]{2} +admin '"
  keys Tab; keys C-u; keys Tab; keys C-u; type_text nobody; keys Enter
  check "$lang: a filter matching nothing shows an empty list" wait_for "$L_EMPTY"
}

run_locale C.UTF-8
run_locale ja_JP.UTF-8

# A site with the most hunting groups allowed (10,000, each with its own
# representative): the list pages through them at once, and the 10,001st
# is refused.
setup
q "insert into extensions (site_id, ext, ext_num, is_virtual, sip_id, sip_password)
   with recursive n(i) as (select 30000 union all select i+1 from n where i<39999)
   select 1, i, i, 1, i, i from n"
q "insert into hunt_groups (site_id, number, pilot, rep_extension_id)
   select 1, ext_num - 29999, 0, id from extensions where ext_num >= 30000"
start_console C.UTF-8
login
keys 1; keys 4
check "10,000 hunting groups: the list opens with the count" wait_for "Registered groups: 10000 of 10000"
check "... the first page" wait_for "30000"
keys Tab; keys Tab; keys End
check "... End shows the last group at once" wait_for "39999"
keys PPage
check "... and PgUp the page before it" wait_for "399"
keys BTab; type_text 5000; keys Enter
check "... from group 5000" wait_for "34999"
keys F2; keys Tab; keys C-u; type_text 10001; keys Tab; type_text 2001; keys Enter
check "the 10,001st hunting group is refused (505)" wait_for "505"
done_testing

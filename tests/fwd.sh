#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Forwarding (kasconctl fwd, 留守番・各種転送設定確認) and the transfer and
# exchange of extension numbers (kasconctl transfer / exchange, 内線番号の
# 譲渡 / 交換), from the command line and in the console in both locales.
. "${top_srcdir:-.}/tests/tmux.sh"
D=f.example.jp
"$KASCONCTL" site add $D --capacity 20 --site-number 81 >/dev/null
echo 'secret12' | "$KASCONCTL" admin add $D admin >/dev/null
"$KASCONCTL" line add $D 09000000201 09000000202 09000000203 09000000204 09000000205 \
  09000000206 09000000207 09000000208 >/dev/null
printf '%s\n' 201,09000000201 202,09000000202 203,09000000203 205,09000000205 \
  | "$KASCONCTL" ext import $D - >/dev/null
# 204 has no mobile: a 10-column row with the mobile left empty.
echo '204,,0000000000,,,0,0,web204,abcd1234,0' | "$KASCONCTL" ext import $D - >/dev/null

# ---- kasconctl fwd ----
check "fwd show: nothing set" run_ctl 0 fwd show $D 201
check "... every kind reads -" test "$(cat "$TMP/out")" = "$(printf 'unconditional\t-\nbusy\t-\nno-answer\t-\nout-of-coverage\t-\nvoicemail\toff')"
check "fwd set unconditional" run_ctl 0 fwd set $D 201 unconditional 202
check "fwd set busy to a mobile" run_ctl 0 fwd set $D 202 busy 09011112222
check "fwd set no-answer with a delay" run_ctl 0 fwd set $D 202 no-answer 0312345678 --delay 25
check "... shows the delay" grep -qx $'no-answer\t0312345678\t25' "$TMP/out"
check "fwd set no-answer, default delay" run_ctl 0 fwd set $D 203 no-answer 204
check "... 15 s" grep -qx $'no-answer\t204\t15' "$TMP/out"
check "fwd voicemail on" run_ctl 0 fwd voicemail $D 202 on
check "... stored" test "$(q "select voicemail from forwarding f join extensions e on e.id=f.extension_id where e.ext='202'")" = 1
before=$(db_hash)
check "a loop is refused" run_ctl 1 fwd set $D 202 unconditional 201
check "... 604 naming the circle" grep -q '^kasconctl: 604 .*"201" (202 > 201 > 202)' "$TMP/err"
check "self forwarding refused" run_ctl 1 fwd set $D 202 out-of-coverage 202
check "... 603" grep -q '^kasconctl: 603 ' "$TMP/err"
check "a special number refused" run_ctl 1 fwd set $D 202 busy 119
check "... 602" grep -q '^kasconctl: 602 ' "$TMP/err"
check "bad digits refused" run_ctl 1 fwd set $D 202 busy 20-1
check "... 601" grep -q '^kasconctl: 601 ' "$TMP/err"
check "a delay out of range refused" run_ctl 1 fwd set $D 203 no-answer 204 --delay 4
check "... 605" grep -q '^kasconctl: 605 ' "$TMP/err"
check "an unknown extension refused" run_ctl 1 fwd set $D 299 busy 201
check "... 241" grep -q '^kasconctl: 241 ' "$TMP/err"
check "an unknown kind is usage" run_ctl 2 fwd set $D 202 always 201
check "--delay with busy is usage" run_ctl 2 fwd set $D 202 busy 201 --delay 20
check "nothing changed by the refusals" test "$before" = "$(db_hash)"
check "fwd clear" run_ctl 0 fwd clear $D 201 unconditional
check "... off" grep -qx $'unconditional\t-' "$TMP/out"
check "fwd set again" run_ctl 0 fwd set $D 201 unconditional 202
check "changes audited" test "$(q "select count(*) from audit where action='fwd.set'")" = 7

# ---- kasconctl transfer / exchange ----
# The guide's example (§6.1): A uses 2222, B uses 3333; B takes over 2222.
"$KASCONCTL" line add $D 09000002222 09000003333 09000004444 09000005555 09000009999 >/dev/null
printf '%s\n' 2222,09000002222 3333,09000003333 4444,09000004444 5555,09000005555 \
  | "$KASCONCTL" ext import $D - >/dev/null
"$KASCONCTL" pickup add $D 1 >/dev/null
"$KASCONCTL" pickup member add $D 1 3333 >/dev/null
"$KASCONCTL" hunt add $D 5 --type pilot --rep 5555 >/dev/null
"$KASCONCTL" fwd set $D 2222 busy 09011112222 >/dev/null
"$KASCONCTL" fwd set $D 4444 no-answer 3333 >/dev/null
holder() { q "select e.ext from lines l left join assignments a on a.line_id=l.id left join extensions e on e.id=a.extension_id where l.mobile='$1'"; }
before=$(db_hash)
check "transfer --dry-run" run_ctl 0 transfer $D 2222 3333 --dry-run
check "... shows the move" grep -q 'Extension 2222: mobile 09000002222 -> 09000003333' "$TMP/out"
check "... A's mobile becomes unassigned" grep -q 'Mobile 09000002222 becomes unassigned' "$TMP/out"
check "... 3333 deleted, leaving its group" grep -q 'leaves pickup group 1' "$TMP/out"
check "... forwarding kept by default" grep -q 'Forwarding kept: Busy forwarding 09011112222' "$TMP/out"
check "... forwarding to 3333 named" grep -q 'Forwarding of 4444 goes to 3333, which will no longer exist' "$TMP/out"
check "... and changes nothing" test "$before" = "$(db_hash)"
ja=$(ja_locale)
LANG=ja_JP.UTF-8 LC_ALL=ja_JP.UTF-8 LOCPATH=$ja \
  "$KASCONCTL" transfer $D 2222 09000003333 --dry-run --forwarding clear >"$TMP/ja.out" 2>&1
check "ja: the plan in Japanese" grep -q '携帯番号 09000002222 は未割当になります' "$TMP/ja.out"
check "ja: ... forwarding cleared" grep -q '転送設定を解除: 話中転送 09011112222' "$TMP/ja.out"
check "transfer to its own mobile refused" run_ctl 1 transfer $D 2222 09000002222
check "... 611" grep -q '^kasconctl: 611 ' "$TMP/err"
check "transfer to an extension without a mobile refused" run_ctl 1 transfer $D 2222 204
check "... 613" grep -q '^kasconctl: 613 .*"204"' "$TMP/err"
check "transfer to a mobile not provisioned refused" run_ctl 1 transfer $D 2222 09000000999
check "... 115" grep -q '^kasconctl: 115 ' "$TMP/err"
check "transfer over a representative extension refused" run_ctl 1 transfer $D 2222 5555
check "... 513 naming the group" grep -q '^kasconctl: 513 .*hunting group 5' "$TMP/err"
check "transfer of an unknown extension refused" run_ctl 1 transfer $D 2999 3333
check "... 241" grep -q '^kasconctl: 241 ' "$TMP/err"
check "exchange with itself refused" run_ctl 1 exchange $D 2222 2222
check "... 612" grep -q '^kasconctl: 612 ' "$TMP/err"
check "exchange with an extension without a mobile refused" run_ctl 1 exchange $D 2222 204
check "--forwarding maybe is usage" run_ctl 2 exchange $D 2222 4444 --forwarding maybe
check "nothing changed by the refusals" test "$before" = "$(db_hash)"
check "transfer 2222 to B" run_ctl 0 transfer $D 2222 3333
check "... says so" grep -q 'extension 2222 transferred to mobile 09000003333' "$TMP/out"
check "... B's mobile is on 2222" test "$(holder 09000003333)" = 2222
check "... A's mobile is unassigned" test -z "$(holder 09000002222)"
check "... 3333 is deleted" test "$(q "select count(*) from extensions where ext='3333'")" = 0
check "... and left its group" test "$(q "select count(*) from pickup_members")" = 0
check "... 2222 keeps its forwarding" test "$(q "select busy from forwarding f join extensions e on e.id=f.extension_id where e.ext='2222'")" = 09011112222
check "... audited" test "$(q "select count(*) from audit where action='ext.transfer' and object='2222'")" = 1
check "exchange 2222 and 4444, forwarding cleared" run_ctl 0 exchange $D 2222 4444 --forwarding clear
check "... mobiles swapped" test "$(holder 09000003333)-$(holder 09000004444)" = 4444-2222
check "... 2222's forwarding cleared" test "$(q "select coalesce(busy,'-') from forwarding f join extensions e on e.id=f.extension_id where e.ext='2222'")" = -

login() { await_login; type_text "$1"; keys Tab; type_text "$2"; keys Tab; type_text "$3"; keys Enter; }

# ---- 留守番・各種転送設定確認 ----
fwd_view() {
  local lang=$1
  if [ "$lang" = C.UTF-8 ]; then
    L_MAIN="Main menu"; L_TITLE="Voicemail / forwarding settings"; L_UNCOND="Unconditional forwarding"
    L_NOANS="No-answer forwarding"; L_VM="Voicemail"; L_DELAY="0312345678 (after 25 s)"; L_ON="On"
    L_BUSY="Busy forwarding"; L_NF="not registered"
  else
    L_MAIN="メインメニュー"; L_TITLE="留守番・各種転送設定確認"; L_UNCOND="無条件転送"
    L_NOANS="応答遅延転送"; L_VM="留守番"; L_DELAY="0312345678 (25秒後)"; L_ON="設定あり"
    L_BUSY="話中転送"; L_NF="登録されていません"
  fi
  start_console "$lang"
  login $D admin secret12
  check "$lang: logged in" wait_for "$L_MAIN"
  keys 1; keys 2
  check "$lang: the forwarding view opens from Service settings" wait_for "$L_TITLE"
  type_text 202; keys Enter
  check "$lang: busy forwarding to the mobile" eventually bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_BUSY' | grep -q 09011112222"
  check "$lang: no-answer with its delay" wait_for "$L_DELAY"
  check "$lang: voicemail on" eventually bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_VM' | grep -q '$L_ON'"
  check "$lang: unconditional not set reads -" eventually bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_UNCOND' | grep -q ' -'"
  keys C-u; type_text 201; keys F3
  check "$lang: 201 forwards unconditionally to 202" eventually bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_UNCOND' | grep -q ' 202'"
  check "$lang: ... and the rest is -" eventually bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_NOANS' | grep -q ' -\$'"
  keys C-u; type_text 299; keys Enter
  check "$lang: an unknown extension is refused at the field" wait_for "$L_NF"
  keys C-u; type_text 12; keys Enter
  check "$lang: a malformed extension is refused" wait_for "102"
  keys Escape; keys Escape
  check "$lang: back at the main menu" wait_for "$L_MAIN"
}
fwd_view C.UTF-8
fwd_view ja_JP.UTF-8

# ---- 内線番号の譲渡 / 交換 in the console ----
echo 'other123' | "$KASCONCTL" admin add $D admin2 >/dev/null
# A second console in a window of the same tmux server.
other_console() {
  T new-window -d -t main -n other "env LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= TERM=xterm-256color \
    '$KASCON' --db '$KASCON_DB'"
}
okeys() { local k; for k in "$@"; do T send-keys -t main:other "$k"; sleep 0.05; done; }
oshows() { local i=0; while [ $i -lt 600 ]; do T capture-pane -p -t main:other | grep -qF -- "$1" && return 0; sleep 0.05; i=$((i + 1)); done; T capture-pane -p -t main:other | sed 's/^/#   o|/'; return 1; }
no_lock_of() { test "$(q "select count(*) from locks where holder='$1'")" = 0; }
no_locks() { test "$(q "select count(*) from locks")" = 0; }
bar_lacks() { ! screen | tail -1 | grep -qF -- "$1"; }

move_console() {
  local lang=$1 p=$2
  local e1=${p}01 e2=${p}02 e3=${p}03 e4=${p}04 e5=${p}05 e6=${p}06
  local m1=0900000${p}001 m2=0900000${p}002 m3=0900000${p}003 m5=0900000${p}005 m6=0900000${p}006
  "$KASCONCTL" line add $D $m1 $m2 $m3 $m5 $m6 >/dev/null
  printf '%s\n' $e1,$m1 $e2,$m2 $e3,$m3 $e5,$m5 $e6,$m6 | "$KASCONCTL" ext import $D - >/dev/null
  echo "$e4,,0000000000,,,0,0,web$e4,abcd1234,0" | "$KASCONCTL" ext import $D - >/dev/null
  "$KASCONCTL" pickup add $D $p >/dev/null
  "$KASCONCTL" pickup member add $D $p $e2 >/dev/null
  "$KASCONCTL" hunt add $D $p --type pilot --rep $e5 >/dev/null
  "$KASCONCTL" fwd set $D $e1 busy 09011112222 >/dev/null
  "$KASCONCTL" fwd set $D $e3 unconditional 0312345678 >/dev/null
  if [ "$lang" = C.UTF-8 ]; then
    L_MAIN="Main menu"; L_TRANSFER="Transfer of extension numbers"; L_EXCHANGE="Exchange of extension numbers"
    L_CHECK="Check the changes"; L_DELETED="the profile is deleted"; L_LEAVES="leaves pickup group $p"
    L_CLEARED="Forwarding cleared: Busy forwarding 09011112222"; L_DONE="Extension $e1 has been transferred to mobile $m2."
    L_RO="Read only: admin2 is editing"; L_EXEC="F2 Execute"; L_SWAPPED="have been exchanged"
    L_KEPT="Forwarding kept: Unconditional forwarding 0312345678"; L_NEWFWD="Forwarding kept: Busy forwarding 0312345679"
    L_SAME="already uses this extension"
  else
    L_MAIN="メインメニュー"; L_TRANSFER="内線番号の譲渡"; L_EXCHANGE="内線番号の交換"
    L_CHECK="変更内容の確認"; L_DELETED="内線番号プロフィールを"; L_LEAVES="ピックアップグループ $p"
    L_CLEARED="転送設定を解除: 話中転送 09011112222"; L_DONE="内線番号 $e1 を携帯番号 $m2 へ譲渡しました。"
    L_RO="参照のみ: admin2 が"; L_EXEC="F2 実行"; L_SWAPPED="の携帯番号を交換しました"
    L_KEPT="転送設定を引き継ぐ: 無条件転送 0312345678"; L_NEWFWD="転送設定を引き継ぐ: 話中転送 0312345679"
    L_SAME="すでにこの内線番号を利用しています"
  fi
  start_console "$lang"
  login $D admin secret12
  check "$lang: logged in" wait_for "$L_MAIN"
  keys 2; keys 1; keys 7
  check "$lang: transfer opens from Extension number management" wait_for "$L_TRANSFER"
  # Each refusal, at the field it is about.
  type_text $e1; keys Tab; type_text $m1; keys Enter
  check "$lang: transfer to its own mobile refused (611)" wait_for "611 "
  check "$lang: ... in words" wait_for "$L_SAME"
  keys C-u; type_text $e4; keys Enter
  check "$lang: recipient without a mobile refused (613)" wait_for "613 "
  keys C-u; type_text 09000000999; keys Enter
  check "$lang: recipient mobile not provisioned refused (115)" wait_for "115 "
  keys C-u; type_text $e5; keys Enter
  check "$lang: a representative recipient refused (513)" wait_for "513 "
  keys C-u; type_text ０９０; keys Enter
  check "$lang: a full-width recipient becomes half-width as typed" wait_for "090"
  check "$lang: ... and is then checked as such" wait_gone "０９０"
  keys BTab; keys C-u; type_text 12; keys Tab; keys C-u; type_text $e2; keys Enter
  check "$lang: a malformed extension refused (102)" wait_for "102 "
  keys C-u; type_text ${p}99; keys F2
  check "$lang: an unknown extension refused (241)" wait_for "241 "
  check "$lang: nothing changed by the refusals" test "$(holder $m1)-$(holder $m2)" = "$e1-$e2"
  # Success, forwarding cleared.
  keys C-u; type_text $e1; keys F2
  check "$lang: the preview" wait_for "$L_CHECK"
  check "$lang: ... the recipient's profile is deleted" wait_for "$L_DELETED"
  check "$lang: ... leaving its group" wait_for "$L_LEAVES"
  keys Right
  check "$lang: ... choosing Clear shows the forwarding cleared" wait_for "$L_CLEARED"
  keys F2
  check "$lang: the confirmation asks; No closes it" answer n
  check "$lang: No at the confirmation changes nothing" test "$(holder $m2)" = $e2
  keys F2; keys y
  check "$lang: transferred" wait_for "$L_DONE"
  check "$lang: ... back at the first step" wait_for "$L_TRANSFER"
  check "$lang: ... B's mobile on $e1" test "$(holder $m2)" = $e1
  check "$lang: ... A's mobile unassigned" test -z "$(holder $m1)"
  check "$lang: ... $e2 deleted" test "$(q "select count(*) from extensions where ext='$e2'")" = 0
  check "$lang: ... forwarding cleared" test "$(q "select coalesce(busy,'-') from forwarding f join extensions e on e.id=f.extension_id where e.ext='$e1'")" = -
  check "$lang: ... no lock left" eventually no_locks
  # Another administrator editing one of the extensions: read only.
  other_console
  oshows "Site domain name"
  T send-keys -t main:other -l $D; okeys Tab; T send-keys -t main:other -l admin2; okeys Tab
  T send-keys -t main:other -l other123; okeys Enter
  oshows "Main menu"; okeys 1; oshows "User management"; okeys 1; oshows "Extension profiles"; okeys 1
  oshows "Registered:"; T send-keys -t main:other -l $e3; okeys Enter; oshows " $e3 "; okeys Enter
  check "$lang: the other administrator edits $e3" oshows "F2 Save"
  type_text $e1; keys Tab; type_text $e3; keys Enter
  check "$lang: the preview says who holds $e3" wait_for "$L_RO"
  check "$lang: ... and offers no Execute" bar_lacks "$L_EXEC"
  keys Escape
  okeys Escape
  T kill-window -t main:other
  # The closed window's console lets go of $e3 (on leaving the form or on
  # the hang-up) before the exchange below uses it.
  eventually no_lock_of admin2
  keys Escape
  # 交換, with each refusal and a change made meanwhile.
  keys 8
  check "$lang: exchange opens" wait_for "$L_EXCHANGE"
  type_text $e6; keys Tab; type_text $e6; keys Enter
  check "$lang: the same extension twice refused (612)" wait_for "612 "
  keys C-u; type_text $e4; keys Enter
  check "$lang: an extension without a mobile refused (613)" wait_for "613 "
  keys C-u; type_text ${p}99; keys Enter
  check "$lang: an unknown extension refused (241)" wait_for "241 "
  keys C-u; type_text $e3; keys Enter
  check "$lang: the exchange preview" wait_for "$L_KEPT"
  "$KASCONCTL" fwd set $D $e6 busy 0312345679 >/dev/null
  keys F2; keys y
  check "$lang: a change made meanwhile is caught (251)" wait_for "251 "
  check "$lang: ... and the preview shows it" wait_for "$L_NEWFWD"
  check "$lang: ... nothing exchanged" test "$(holder $m3)-$(holder $m6)" = "$e3-$e6"
  keys F2; keys y
  check "$lang: exchanged" wait_for "$L_SWAPPED"
  check "$lang: ... mobiles swapped" test "$(holder $m3)-$(holder $m6)" = "$e6-$e3"
  check "$lang: ... forwarding kept with the number" test "$(q "select unconditional from forwarding f join extensions e on e.id=f.extension_id where e.ext='$e3'")" = 0312345678
}
move_console C.UTF-8 6
move_console ja_JP.UTF-8 7
done_testing

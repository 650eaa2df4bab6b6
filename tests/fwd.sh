#!/bin/bash
# Forwarding (kasconctl fwd, 留守番・各種転送設定確認) and the transfer and
# exchange of extension numbers (kasconctl transfer / exchange, 内線番号の
# 譲渡 / 交換), from the command line and in the console in both locales.
. "${top_srcdir:-.}/tests/tmux.sh"
D=f.example.jp
q() { sqlite3 "$KASCON_DB" "$1"; }
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

login() { type_text "$1"; keys Tab; type_text "$2"; keys Tab; type_text "$3"; keys Enter; }

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
  check "$lang: busy forwarding to the mobile" bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_BUSY' | grep -q 09011112222"
  check "$lang: no-answer with its delay" wait_for "$L_DELAY"
  check "$lang: voicemail on" bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_VM' | grep -q '$L_ON'"
  check "$lang: unconditional not set reads -" bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_UNCOND' | grep -q ' -'"
  keys C-u; type_text 201; keys F3
  check "$lang: 201 forwards unconditionally to 202" bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_UNCOND' | grep -q ' 202'"
  check "$lang: ... and the rest is -" bash -c "tmux -L '$SOCK' capture-pane -p -t main | grep '$L_NOANS' | grep -q ' -\$'"
  keys C-u; type_text 299; keys Enter
  check "$lang: an unknown extension is refused at the field" wait_for "$L_NF"
  keys C-u; type_text 12; keys Enter
  check "$lang: a malformed extension is refused" wait_for "102"
  keys Escape; keys Escape
  check "$lang: back at the main menu" wait_for "$L_MAIN"
}
fwd_view C.UTF-8
fwd_view ja_JP.UTF-8
done_testing

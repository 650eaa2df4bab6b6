#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl as operators expect: options checked by name, help for every
# verb, no database created by mistake, key fingerprints, --json, progress
# on a terminal, online backup, audit purge and retention, bash completion.
. "${top_srcdir:-.}/tests/tmux.sh"
K() { "$KASCONCTL" "$@"; }
D=t.example.jp
rm -f "$KASCON_DB" # lib.sh made one: start as before the operator's init

# ---- a missing database is an error, except for init and demo ----
check "--db of a missing file is refused" run_ctl 1 --db "$TMP/nope.db" site list
check "... naming the file" grep -q "$TMP/nope.db" "$TMP/err"
check "... and init" grep -q 'init' "$TMP/err"
check "... and nothing is created" test ! -e "$TMP/nope.db"
check "the default path when missing is refused too" run_ctl 1 line list $D
check "init creates the database" run_ctl 0 init
check "demo creates one" run_ctl 0 --db "$TMP/demo.db" demo
check "... which then opens" run_ctl 0 --db "$TMP/demo.db" site list

# ---- unknown options, anywhere, by name ----
check "unknown option before the command" run_ctl 2 --frobnicate site list
check "... named" grep -q -- '--frobnicate' "$TMP/err"
check "unknown option after the command" run_ctl 2 site list --colour
check "... named with its command" grep -q -- '--colour for "site list"' "$TMP/err"
check "unknown option among arguments" run_ctl 2 site add $D --capacity 5 --sitenumber 81
check "... named" grep -q -- '--sitenumber' "$TMP/err"
check "a flag given a value is refused" run_ctl 2 line list $D --unassigned=yes
check "an option without its value is refused" run_ctl 2 site add $D --capacity
check "... named" grep -q -- '--capacity needs a value' "$TMP/err"
check "--json where it does not apply is refused" run_ctl 2 site add $D --capacity 5 --json
check "nothing was created by refused commands" test "$(q 'select count(*) from sites')" = 0

# ---- help for every verb, without a database ----
verbs=$(LC_ALL=C "$KASCONCTL" --help | sed -n 's/^  \([a-z][a-z]*\)\( [a-z][a-z]*\)\{0,1\} .*/\1\2/p')
check "the help lists 40 or more verbs" test "$(wc -l <<<"$verbs")" -ge 40
bad=""
while read -r verb; do
  # shellcheck disable=SC2086
  out=$("$KASCONCTL" --db "$TMP/none.db" $verb --help 2>&1) || bad="$bad [$verb: status]"
  grep -q "^Usage: kasconctl $verb" <<<"$out" || bad="$bad [$verb: $out]"
done <<<"$verbs"
check "VERB --help works for every verb${bad:+:$bad}" test -z "$bad"
check "... and opened no database" test ! -e "$TMP/none.db"
check "NOUN --help lists the noun's verbs" bash -c "'$KASCONCTL' hunt --help | grep -c '^Usage: kasconctl hunt' | grep -qx 7"
check "help NOUN VERB" bash -c "'$KASCONCTL' help ext import | grep -q -- '--dry-run'"
check "an unknown verb of a known noun is a usage error" run_ctl 2 site frob

# ---- admin key list shows fingerprints as ssh-keygen -l ----
K site add $D --capacity 400 --site-number 81 >/dev/null
echo secret12 | K admin add $D admin >/dev/null
for t in ed25519 rsa ecdsa; do
  ssh-keygen -q -t $t -N '' -C "ops $t" -f "$TMP/k$t"
  K admin key add $D admin <"$TMP/k$t.pub" >/dev/null
done
ssh-keygen -q -t ed25519 -N '' -C '' -f "$TMP/knone"
K admin key add $D admin <"$TMP/knone.pub" >/dev/null
K admin key list $D admin | cut -f2- >"$TMP/fp"
check "fingerprints match ssh-keygen -l (ed25519, rsa, ecdsa, no comment)" \
  diff <(for t in ed25519 rsa ecdsa none; do ssh-keygen -lf "$TMP/k$t.pub"; done) "$TMP/fp"

# ---- --json: valid JSON, strings escaped ----
# A key with an odd comment: quotes, a backslash, a control character, Japanese.
ssh-keygen -q -t ed25519 -N '' -f "$TMP/kodd" -C x
printf '%s %s\n' "$(cut -d' ' -f1,2 "$TMP/kodd.pub")" $'q"uote\\back\x01slash 日本語' >"$TMP/odd.pub"
K admin key add $D admin <"$TMP/odd.pub" >/dev/null
comment=$(K admin key list $D admin --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[-1]["comment"])')
check "admin key list --json: the comment survives escaping" test "$comment" = "$(printf 'q"uote\\back\001slash 日本語')"
K line add $D 09000000001 09000000002 >/dev/null
K pickup add $D 5 >/dev/null
printf '3001,09000000001\r\n3002,09000000002\r\n' >"$TMP/two.csv"
K ext import $D "$TMP/two.csv" >/dev/null
K pickup member add $D 5 3001 >/dev/null
K hunt add $D 7 --type pilot --rep 3002 >/dev/null
K fwd set $D 3001 busy 0312345678 >/dev/null
K cdr demo $D --days 2 --per-day 5 >/dev/null
day=$(K cdr list $D | head -1 | cut -f1)
for args in "site list" "line list $D" "line list $D --unassigned" "admin key list $D admin" \
  "cdr list $D" "cdr show $D $day" "pickup list $D" "pickup show $D 5" "hunt list $D" \
  "hunt show $D 7" "ext groups $D 3001" "ext list $D" "code show $D" "fwd show $D 3001"; do
  # shellcheck disable=SC2086
  check "$args --json is valid JSON" bash -c "'$KASCONCTL' $args --json | python3 -m json.tool >/dev/null"
done
check "--json before the command works too" bash -c "'$KASCONCTL' --json ext list $D | jq -e '.[0].extension == \"3001\"' >/dev/null"
check "pickup show --json lists the member" bash -c "'$KASCONCTL' pickup show $D 5 --json | jq -e '.member_list[0].extension == \"3001\"' >/dev/null"
check "fwd show --json has the busy target" bash -c "'$KASCONCTL' fwd show $D 3001 --json | jq -e '.busy == \"0312345678\" and .unconditional == null' >/dev/null"
check "cdr show --json has 12 columns and the cause" bash -c "'$KASCONCTL' cdr show $D $day --json | jq -e '.[0] | has(\"disconnector\") and has(\"cause\")' >/dev/null"

# ---- progress on a terminal, silent otherwise ----
N=300
mobiles=$(seq -f '0801%07g' 1 $N)
# shellcheck disable=SC2086
K line add $D $mobiles >/dev/null
i=0
for m in $mobiles; do
  i=$((i + 1)); printf '%d,%s,0000000000,,,0,0,web%d,pw%06d,0\r\n' $((4000 + i)) "$m" $((4000 + i)) $i
done >"$TMP/big.csv"
K ext import $D "$TMP/big.csv" --dry-run >"$TMP/out" 2>"$TMP/err"
check "no progress when standard error is not a terminal" test ! -s "$TMP/err"
run_tty() { # run_tty COMMAND: kasconctl with its output on a tmux pane
  end_tmux "$SOCK"
  RUNS=$((RUNS + 1)); SOCK="kascon-test-$$-$RUNS"
  T new-session -d -x 100 -y 24 -s main "env KASCON_DB='$KASCON_DB' LC_ALL=C.UTF-8 $1; echo CTL-EXITED \$?; sleep 30"
}
run_tty "'$KASCONCTL' ext import $D '$TMP/big.csv' --dry-run --quiet"
wait_for "CTL-EXITED 0" 60
check "--quiet: no progress on a terminal" bash -c "! tmux -L '$SOCK' capture-pane -p -t main | grep -qE 'rows checked: [0-9]+/'"
run_tty "'$KASCONCTL' ext import $D '$TMP/big.csv'"
# wait_re REGEX SECONDS: polls the pane until a line matches.
wait_re() {
  local i=0
  while [ $i -lt $(($2 * 20)) ]; do
    screen | grep -qE -- "$1" && return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "# timed out waiting for /$1/"; screen | sed 's/^/#   |/'
  return 1
}
check "progress while hashing: done, total, rate, time left" \
  wait_re "passwords hashed: [0-9]+/$N, [0-9]+/s, [0-9]+:[0-9]{2} left" 120
check "... rows checked" wait_for "rows checked: $N/$N" 120
check "... passwords hashed" wait_for "passwords hashed: $N/$N" 120
check "... rows applied, and how long it took" wait_re "rows applied: $N/$N, [0-9]+/s, done in [0-9]+:[0-9]{2}" 120
wait_for "CTL-EXITED 0" 60
check "... and the summary" wait_for "$N rows imported" 5

# ---- online backup, consistent while another program writes ----
for k in $(seq 1 60); do printf '%d,\r\n' $((5000 + k)); done >"$TMP/virt.csv"
K line add $D $(seq -f '0701%07g' 1 60) >/dev/null
for k in $(seq 1 60); do printf '%d,0701%07d\r\n' $((5000 + k)) "$k"; done >"$TMP/more.csv"
before_count=$(q 'select count(*) from extensions')
run_tty "'$KASCONCTL' ext import $D '$TMP/more.csv'"
check "backup while an import runs" run_ctl 0 backup "$TMP/during.db"
wait_for "CTL-EXITED 0" 60
got=$(sqlite3 "$TMP/during.db" 'select count(*) from extensions')
check "... the copy has all or none of the import ($got)" test "$got" = "$before_count" -o "$got" = $((before_count + 60))
check "... passes integrity_check" test "$(sqlite3 "$TMP/during.db" 'pragma integrity_check')" = ok
check "... is one file, not WAL" test "$(sqlite3 "$TMP/during.db" 'pragma journal_mode')" = delete
check "... is private (0600)" test "$(stat -c %a "$TMP/during.db")" = 600
check "backup after the import has it all" run_ctl 0 backup "$TMP/after.db"
check "... every extension" test "$(sqlite3 "$TMP/after.db" 'select count(*) from extensions')" = $((before_count + 60))
check "... and kasconctl reads the copy" run_ctl 0 --db "$TMP/after.db" ext list $D
check "backup refuses to overwrite a file" run_ctl 1 backup "$TMP/after.db"
check "... and leaves no partial file" test ! -e "$TMP/after.db.partial"
check "backup into a missing directory is refused" run_ctl 1 backup "$TMP/no/such/dir.db"

# ---- audit purge and retention ----
q "update audit set at = strftime('%s','2020-06-01')" 
total=$(q 'select count(*) from audit')
check "audit purge needs --before or a retention" run_ctl 2 audit purge
check "audit purge --before a bad date is refused" run_ctl 1 audit purge --before 2021-02-30
check "... naming it" grep -q '2021-02-30' "$TMP/err"
check "audit purge --before an earlier day keeps everything" run_ctl 0 audit purge --before 2020-06-01
check "... says 0" grep -q '^0 audit entries deleted' "$TMP/out"
check "audit purge --before a later day" run_ctl 0 audit purge --before 2021-01-01
check "... says how many" grep -q "^$total audit entries deleted" "$TMP/out"
check "... and is itself audited" test "$(q "select action||' '||object||' '||before from audit order by id desc limit 1")" = "purge audit $total entries before 2021-01-01 00:00:00"
check "audit retention is off by default" bash -c "'$KASCONCTL' audit retention | grep -q 'until'"
check "audit retention refuses a bad value" run_ctl 1 audit retention 0
check "... with code 168" grep -q 168 "$TMP/err"
check "audit retention 400" run_ctl 0 audit retention 400
check "... shown" grep -q '400 days' "$TMP/out"
check "... audited" test "$(q "select count(*) from audit where object='audit-retention-days' and after='400'")" = 1
q "insert into audit (at, actor, source, action, object) values (strftime('%s','now','-401 days'), 'x', 'test', 'old', 'old')"
check "audit purge with the retention" run_ctl 0 audit purge
check "... removes what is older" test "$(q "select count(*) from audit where action='old'")" = 0
check "... keeps the rest" test "$(q "select count(*) from audit where object='audit-retention-days'")" = 1

# ---- bash completion ----
comp="${top_srcdir:-.}/data/kasconctl.bash-completion"
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kasconctl; echo "${COMPREPLY[*]}"' \
    _ "$comp" "$KASCONCTL" "$@"
}
check "completion: commands" test "$(complete_words si)" = site
check "completion: verbs" test "$(complete_words hunt o)" = order
check "completion: options" test "$(complete_words ext import $D x --d)" = --dry-run
check "completion: domains from the database" test "$(complete_words pickup list t)" = $D
check "completion: domains from --db" test "$(complete_words --db "$TMP/demo.db" ext list "")" = demo.example.jp
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# kasconctl ext import hashes the web passwords of a 10-column file in
# worker processes (src/ops/bulk_hash.c): every stored hash verifies against
# its own row's password, and a worker killed while hashing fails the
# import with 903 and nothing changed.
. "${top_srcdir:-.}/tests/lib.sh"
time_bound 600
K() { "$KASCONCTL" "$@"; }
D=h.example.jp
ROWS=200 BIG=1500
K site add $D --capacity $BIG --site-number 9 >/dev/null
# ROWS rows, each with its own password; BIG more for the killed worker.
for ((i = 0; i < BIG; i++)); do
  printf '%d,,0000000000,,,0,0,w%d,p%06dq,0\r\n' $((2000 + i)) $((2000 + i)) $((i * 7919 % 1000000))
done >"$TMP/all.csv"
head -n $ROWS "$TMP/all.csv" >"$TMP/some.csv"
tail -n +$((ROWS + 1)) "$TMP/all.csv" >"$TMP/big.csv"

check "a 10-column file of $ROWS web passwords imports" run_ctl 0 ext import $D "$TMP/some.csv"
check "... $ROWS profiles" grep -q "$ROWS profiles created" "$TMP/out"
# Each stored hash against the password of its own row (perl's crypt is
# libcrypt's), and every fourth also against the next row's.
q "select e.ext || ' ' || e.web_pw_hash from extensions e join sites s on s.id = e.site_id
   where s.domain = '$D' order by e.ext" >"$TMP/hashes"
verify() {
  perl -e '
    my ($own, $other) = (0, 0);
    while (<STDIN>) {
      chomp; my ($ext, $hash) = split / /;
      my $i = $ext - 2000;
      my $pw = sprintf("p%06dq", $i * 7919 % 1000000);
      my $next = sprintf("p%06dq", ($i + 1) * 7919 % 1000000);
      $own++ if crypt($pw, $hash) eq $hash;
      $other++ if $i % 4 == 0 && crypt($next, $hash) eq $hash;
    }
    print "$own $other\n";' <"$TMP/hashes"
}
check "every stored hash verifies against its own password, none against the next" \
  test "$(verify)" = "$ROWS 0"
check "no hash stored twice" test "$(cut -d' ' -f2 "$TMP/hashes" | sort -u | wc -l)" = $ROWS

# A worker killed while hashing: the import fails, nothing is written.
if [ "$(getconf _NPROCESSORS_ONLN)" -gt 1 ]; then
  before=$(db_hash)
  "$KASCONCTL" ext import $D "$TMP/big.csv" >"$TMP/out" 2>"$TMP/err" &
  ctl=$!
  worker() { pgrep -P $ctl >"$TMP/worker"; }
  check "the import hashes in a worker process" wait_for 60 worker
  kill -KILL "$(head -n 1 "$TMP/worker")"
  wait $ctl
  check "killing it fails the import (exit 1)" test $? = 1
  check "... with 903 named" grep -q '^-:-: 903 the Web console passwords could not be hashed' "$TMP/err"
  check "... and nothing changed said" grep -q 'nothing was changed' "$TMP/err"
  check "... and nothing is written" test "$before" = "$(db_hash)"
else
  ok "# SKIP one core: the import hashes without workers"
fi
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The storage, rules and end-to-end tests again, on PostgreSQL: a
# throwaway cluster (tests/pg.sh), one fresh database per test, the test
# run with KASCON_TEST_DB naming it (tests/fixture.h and tests/lib.sh
# then use it instead of a file).  Its TAP lines are passed on, each
# prefixed with the test's name.  The sanitizer build stays on SQLite.
. "${top_srcdir:-.}/tests/pg.sh"
pg_require
if [ "${KASCON_SANITIZERS:-0}" = 1 ]; then
  echo "1..0 # SKIP the PostgreSQL pass runs in the ordinary build only"
  exit 0
fi
# CI's distcheck runs the suite a second time, on SQLite only; its
# ordinary pass has run this one (.ci/run).
if [ "${KASCON_PG_PASS:-1}" = 0 ]; then
  echo "1..0 # SKIP KASCON_PG_PASS=0: the PostgreSQL pass is left to the ordinary build"
  exit 0
fi
if "${KASCONCTL:-kasconctl}" --db postgresql:///x init 2>&1 | grep -q 'without PostgreSQL'; then
  echo "1..0 # SKIP kascon was built without PostgreSQL (configure --without-postgresql)"
  exit 0
fi
pg_cluster || { echo "1..0 # cannot start PostgreSQL"; exit 1; }
n=0
run() {
  local name db out
  name=$(basename "${!#}")
  db="t_${name//[^a-z0-9]/_}"
  pg_createdb "$db" || { n=$((n + 1)); echo "not ok $n - $name: createdb"; return; }
  out=$(KASCON_TEST_DB=$(pg_uri "$db") timeout 600 "$@" 2>&1)
  local rc=$? plan=0 seen=0
  while IFS= read -r line; do
    case $line in
      "ok "* | "not ok "*)
        n=$((n + 1)); seen=$((seen + 1))
        local head=${line%%[0-9]*} rest=${line#*[0-9]}
        rest=${rest#"${rest%%[!0-9]*}"}
        echo "${head}$n - $name:${rest# -}" ;;
      1..*) plan=${line#1..}; plan=${plan%% *} ;;
      "#"*) echo "$line" ;;
    esac
  done <<<"$out"
  if [ "$rc" != 0 ] || [ "$seen" != "$plan" ]; then
    n=$((n + 1))
    echo "not ok $n - $name: exit status $rc, $seen of $plan planned"
    printf '%s\n' "$out" | grep -v '^ok ' | tail -20 | sed 's/^/# /'
  fi
}
# The unit tests of the store, rules and the two-connection semantics,
# then end-to-end tests through kasconctl and kascond (stock ssh/scp).
for t in ${PG_SUITE_TESTS:-tests/test_store tests/test_lock tests/test_groups tests/test_codes \
  tests/test_fwd tests/test_cdr tests/test_cdr_load tests/test_plans tests/test_hosts \
  tests/groups_cli.sh tests/scp.sh tests/busy.sh tests/cdr.sh}; do
  case $t in
    *.sh) run bash "${top_srcdir:-.}/$t" ;;
    *) run "${top_builddir:-.}/$t" ;;
  esac
done
echo "1..$n"

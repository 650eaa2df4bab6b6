#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The layers point one way: src/core (pure rules) <- src/store (all SQL) <-
# src/ops (every write, transactional, audited) <- the front ends.  Each
# rule below names the files that break it.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$top_srcdir" || exit 1

# The patterns want a call or an #include, so a comment naming them is no alarm.
sources() { find "$@" -name '*.[ch]' | sort; }

# 1. Only the store and ops begin and commit write transactions.
writers=$(sources src screens | grep -v -e '^src/store/' -e '^src/ops/' |
  xargs grep -nE '\bstore_(begin|commit)[[:space:]]*\(' | sed 's/:.*//' | sort -u | tr '\n' ' ')
check "only src/store and src/ops begin and commit transactions${writers:+ (not: $writers)}" \
  test -z "$writers"

# 2. SQLite is the store's alone; src/registrar opens Kamailio's database
# (never kascon's: it includes nothing of the store or ops).
sqlite=$(sources src screens | grep -v -e '^src/store/' -e '^src/registrar/' |
  xargs grep -lE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]sqlite3\.h[>"]' | tr '\n' ' ')
check "only src/store (and src/registrar, for Kamailio's) includes sqlite3.h${sqlite:+ (not: $sqlite)}" test -z "$sqlite"
reg=$(sources src/registrar |
  xargs grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(store|ops|cli|tui|ssh)/' | tr '\n' ' ')
check "src/registrar includes no store, ops or front-end header${reg:+ (not: $reg)}" test -z "$reg"

# 3. The core includes only itself, the gettext wrapper and system headers.
above=$(sources src/core |
  xargs grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' |
  grep -vE '#[[:space:]]*include[[:space:]]*"(core/[a-z_]+\.h|i18n\.h)"' | tr '\n' ' ')
check "src/core includes nothing above it${above:+ (not: $above)}" test -z "$above"

# The rules looked at the tree (a wrong directory would pass them all).
check "the rules found sources to judge" test "$(sources src/core | wc -l)" -gt 5 -a \
  "$(sources screens | wc -l)" -gt 5
done_testing

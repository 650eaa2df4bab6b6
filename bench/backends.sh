#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/backends.sh: the two store engines side by side, through kasconctl
# as an operator runs it, with PostgreSQL's own COPY as the floor.
#
# One site on a new SQLite file and on a new PostgreSQL database (a
# throwaway cluster, tests/pg.sh, fsync on like SQLite's synchronous=FULL):
#   - bulk register of N extensions (2-column CSV), against SQLite, and
#     against psql's COPY of the same rows into a bare two-column table;
#   - a call-record load of R records (one file per day), against SQLite,
#     and against COPY of the same CSV into a bare table of its columns;
#   - listing the N extensions, and the first page of a day's records.
# Environment: BACKENDS_EXTENSIONS (10000), BACKENDS_RECORDS (200000).
# Prints "@row" lines for make bench.  The targets are PostgreSQL's own,
# set from what was measured (doc/scale-out.md, section 7, says why);
# SQLite's targets stay those of the other benches.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/pg.sh"
: "${KASCONCTL:=kasconctl}"
if ! pg_available; then
  echo "# PostgreSQL server binaries are not installed: backends skipped"
  exit 0
fi
if "$KASCONCTL" --db postgresql:///x init 2>&1 | grep -q 'without PostgreSQL'; then
  echo "# kascon was built without PostgreSQL: backends skipped"
  exit 0
fi
N=${BACKENDS_EXTENSIONS:-10000}
R=${BACKENDS_RECORDS:-200000}
PG_DURABLE=1
work=$(mktemp -d "${TMPDIR:-/tmp}/kascon-backends.XXXXXX")
pg_cluster || exit 1
trap 'pg_cleanup; rm -rf "$work"' EXIT
chmod 755 "$work"
pg_createdb kascon
pg_createdb floor
LITE="$work/k.db"
PG=$(pg_uri kascon)
export TZ=JST-9 KASCON_NOW=1714964400 LC_ALL=C.UTF-8
D=bench.example.jp

ms() { # COMMAND...: milliseconds of wall time; the command's output is dropped
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>"$work/err" || { echo "# failed: $*" >&2; sed 's/^/#   /' "$work/err" >&2; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
row() { # MEASURE KASCON REFERENCE UNIT TARGET
  local ratio
  ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '@row\t%s\t%s %s\t%s %s\t%s\t%s\n' "$1" "$2" "$4" "$3" "$4" "$ratio" "$5"
  echo "# $1: $2 $4 (reference $3 $4, ratio $ratio, target $5)"
}

# The same site on both engines.
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "3%06d,080%08d\r\n", i, i }' >"$work/ext.csv"
seq -f '080%08.0f' 0 $((N - 1)) >"$work/lines"
for db in "$LITE" "$PG"; do
  K() { "$KASCONCTL" --db "$db" "$@"; }
  K init >/dev/null
  K site add $D --capacity $((N + 10)) >/dev/null
  # shellcheck disable=SC2046
  xargs -n 1000 "$KASCONCTL" --db "$db" line add $D <"$work/lines" >/dev/null
done

lite=$(ms "$KASCONCTL" --db "$LITE" ext import $D "$work/ext.csv" --quiet)
pg=$(ms "$KASCONCTL" --db "$PG" ext import $D "$work/ext.csv" --quiet)
pg_psql floor -c "CREATE TABLE ext_floor (ext text, mobile text)"
tr -d '\r' <"$work/ext.csv" >"$work/ext.plain"; chmod 644 "$work/ext.plain"
floor=$( { echo '\timing on'; echo "COPY ext_floor FROM '$work/ext.plain' (FORMAT csv);"; } |
  pg_psql floor | awk '/^Time: / { t += $2 } END { printf "%.0f", t }')
row "import $N extensions (2 columns): PostgreSQL / SQLite" "$pg" "$lite" ms "<= 12x"
row "import $N extensions (2 columns): PostgreSQL / COPY of the rows" "$pg" "$floor" ms "-"

# Call records: R records over five days of the site.
awk -v n="$R" 'BEGIN { for (i = 0; i < n; i++) {
  d = 1 + int(i * 5 / n); s = i % 86400
  printf "2024/05/%02d %02d:%02d:%02d,,,不成立,,2002,2001,2002,,,,018\n", d, s/3600, s/60%60, s%60 } }' \
  >"$work/cdr.csv"
chmod 644 "$work/cdr.csv"
lite=$(ms "$KASCONCTL" --db "$LITE" cdr load $D "$work/cdr.csv")
pg=$(ms "$KASCONCTL" --db "$PG" cdr load $D "$work/cdr.csv")
pg_psql floor -c "CREATE TABLE cdr_floor (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text,
  c7 text, c8 text, c9 text, c10 text, c11 text, c12 text)"
floor=$( { echo '\timing on'; echo "COPY cdr_floor FROM '$work/cdr.csv' (FORMAT csv);"; } |
  pg_psql floor | awk '/^Time: / { t += $2 } END { printf "%.0f", t }')
row "cdr load of $R records: PostgreSQL / SQLite" "$pg" "$lite" ms "<= 1.5x"
row "cdr load of $R records: PostgreSQL / COPY of the CSV into a bare table" "$pg" "$floor" ms "<= 5.0x"

# Reading: the whole extension list, and a day's first page, five times each.
five() { local i; for i in 1 2 3 4 5; do "$@" || return 1; done; }
lite=$(ms five "$KASCONCTL" --db "$LITE" ext list $D)
pg=$(ms five "$KASCONCTL" --db "$PG" ext list $D)
row "ext list of $N extensions (x5, kasconctl): PostgreSQL / SQLite" "$pg" "$lite" ms "<= 3.5x"
lite=$(ms five "$KASCONCTL" --db "$LITE" cdr show $D 2024-05-03 --limit 20)
pg=$(ms five "$KASCONCTL" --db "$PG" cdr show $D 2024-05-03 --limit 20)
row "cdr show first page (x5, kasconctl): PostgreSQL / SQLite" "$pg" "$lite" ms "<= 4.0x"

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/cdr_pg.sh: call history at carrier scale on PostgreSQL, measured on
# a generated subset and scaled on paper (doc/scale-out.md).
#
# A throwaway cluster (tests/pg.sh, fsync on) holds call records
# partitioned by day as the store's PostgreSQL schema does: DAYS
# partitions, SITES day files of RECORDS records in each.  Measured with
# pgbench (prepared statements, like the store), each against a
# reference in the same run:
#   - the viewer's first page of a random file, and a filter that matches
#     nothing (reads the whole file), against the same statements on a
#     database of one day (one partition): what 92 days cost a page;
#   - loading one day file with COPY into the partitioned table, against
#     COPY of the same file into a bare table with no index;
#   - the 92-day retention: dropping a day's partition against DELETE of
#     the same day's records from an unpartitioned table.
# Environment: CDR_PG_DAYS (92), CDR_PG_SITES (2), CDR_PG_RECORDS (40000),
# CDR_PG_SECONDS (10, per pgbench run).  Prints "@row" lines for make bench.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/pg.sh"
if ! pg_available; then
  echo "# PostgreSQL server binaries are not installed: cdr_pg skipped"
  exit 0
fi
DAYS=${CDR_PG_DAYS:-92}
SITES=${CDR_PG_SITES:-2}
RECORDS=${CDR_PG_RECORDS:-40000}
SECONDS_EACH=${CDR_PG_SECONDS:-10}
PG_DURABLE=1
pg_cluster || exit 1
pg_createdb bench
sql() { pg_psql bench "$@"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/kascon-cdrpg.XXXXXX")
trap 'pg_cleanup; rm -rf "$work"' EXIT

# The store's own schema (kasconctl init): cdr partitioned by range of
# file_id, a file's id carrying its day, one partition per day made by the
# first file of that day.
: "${KASCONCTL:=kasconctl}"
if "$KASCONCTL" --db postgresql:///x init 2>&1 | grep -q 'without PostgreSQL'; then
  echo "# kascon was built without PostgreSQL: cdr_pg skipped"
  exit 0
fi
for db in bench small; do
  [ $db = bench ] || pg_createdb $db
  "$KASCONCTL" --db "$(pg_uri $db)" init >/dev/null || exit 1
  for i in $(seq 1 "$SITES"); do
    "$KASCONCTL" --db "$(pg_uri $db)" site add "s$i.example.jp" --capacity 10 >/dev/null || exit 1
  done
done

# One day's records of every site, in file order (as a load appends them).
day_of() { date -u -d "2024-01-01 + $1 days" +%F; }
fill_day() { # DATABASE DAY
  pg_psql "$1" -c "INSERT INTO cdr_files (site_id, day, part, records)
            SELECT id, '$2', 1, $RECORDS FROM sites ORDER BY id" -c "
          INSERT INTO cdr SELECT f.id, g,
            replace('$2', '-', '/') || ' ' || to_char(make_interval(secs => g::bigint * 86399 / $RECORDS), 'HH24:MI:SS'),
            NULL, NULL, (g % 3 = 0)::int, '外線', NULL, lpad((2000 + g % 500)::text, 4, '0'),
            '0' || (312345000 + g)::text, NULL, NULL, NULL, CASE WHEN g % 3 = 0 THEN 16 ELSE 18 END
          FROM cdr_files f, generate_series(1, $RECORDS) g WHERE f.day = '$2' ORDER BY f.id, g"
}
began=$SECONDS
for i in $(seq 0 $((DAYS - 1))); do
  fill_day bench "$(day_of "$i")" || exit 1
done
sql -c "VACUUM ANALYZE cdr_files" -c "VACUUM ANALYZE cdr"
total=$((DAYS * SITES * RECORDS))
size=$(sql -c "SELECT pg_total_relation_size('cdr_files') + coalesce(sum(pg_total_relation_size(inhrelid)), 0)
               FROM pg_inherits WHERE inhparent = 'cdr'::regclass")
parts=$(sql -c "SELECT count(*) FROM pg_inherits WHERE inhparent = 'cdr'::regclass")
echo "# $DAYS days x $SITES sites x $RECORDS records = $total records generated in $((SECONDS - began)) s;" \
  "$parts partitions, $((size / 1048576)) MiB with indexes, $((size / total)) bytes a record"

# The reference: a small database, the last day's files alone.
last=$(day_of $((DAYS - 1)))
fill_day small "$last" || exit 1
pg_psql small -c "VACUUM ANALYZE cdr_files" -c "VACUUM ANALYZE cdr"

COLS="seq, call_time, answer_time, end_time, completed, service, received, caller, callee, transferrer, disconnect_type, disconnector, cause"
files=$(sql -c "SELECT count(*) FROM cdr_files")
one=$(sql -c "SELECT min(id) FROM cdr_files")
ids=$(sql -c "SELECT min(id) || ', ' || max(id) FROM cdr_files")
small=$(pg_psql small -c "SELECT min(id) || ', ' || max(id) FROM cdr_files")
# The viewer's statement, as the store prepares it (a file, no day): a
# random file of the whole history; ids are dense within a day's range,
# so a drawn id that is no file reads nothing and is drawn again.
cat >"$work/page.sql" <<EOF
\set f random($ids)
SELECT id AS f FROM cdr_files WHERE id >= :f ORDER BY id LIMIT 1 \gset
SELECT $COLS FROM cdr WHERE file_id = :f AND seq > 0 ORDER BY seq LIMIT 20;
EOF
cat >"$work/page_one.sql" <<EOF
\set f random($small)
SELECT $COLS FROM cdr WHERE file_id = :f AND seq > 0 ORDER BY seq LIMIT 20;
EOF
sed -e 's/AND seq > 0 ORDER BY seq/AND seq > 0 AND cause = 999 ORDER BY seq/' "$work/page.sql" >"$work/none.sql"
sed -e 's/AND seq > 0 ORDER BY seq/AND seq > 0 AND cause = 999 ORDER BY seq/' "$work/page_one.sql" >"$work/none_one.sql"
# bench_ms SCRIPT [DATABASE]: the mean latency of the page statement (ms), pgbench -r.
bench_ms() {
  pg_run pgbench -n -M prepared -r -T "$SECONDS_EACH" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_SUPERUSER" \
    -f "$1" "${2:-bench}" 2>/dev/null | awk '/statement latencies/ { s = 1; next } s { v = $1 } END { print v }'
}
# Each script runs where nobody can read: pgbench runs as the cluster's user.
chmod 755 "$work"; chmod 644 "$work"/*.sql
row() { # MEASURE KASCON REFERENCE UNIT TARGET
  local ratio
  ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '@row\t%s\t%s %s\t%s %s\t%s\t%s\n' "$1" "$2" "$4" "$3" "$4" "$ratio" "$5"
  echo "# $1: $2 $4 (reference $3 $4, ratio $ratio, target $5)"
}
p=$(bench_ms "$work/page.sql"); p1=$(bench_ms "$work/page_one.sql" small)
row "cdr PG first page of a file: $DAYS days x $SITES sites / 1 day" "$p" "$p1" ms "<= 2.0x"
n=$(bench_ms "$work/none.sql"); n1=$(bench_ms "$work/none_one.sql" small)
row "cdr PG filter matching nothing (reads the file): $DAYS days / 1 day" "$n" "$n1" ms "<= 1.5x"

# A load: one more day file with COPY, into the partitioned table (its
# file row made first, which makes the new day's partition) and into a
# bare table.
d=$(day_of "$DAYS")
fid=$(sql -c "SELECT cdr_day_number('$d') * 1000000 + 999999")
sql -c "COPY (SELECT * FROM cdr WHERE file_id = $one) TO STDOUT" |
  awk -v f="$fid" 'BEGIN { FS = OFS = "\t" } { $1 = f; print }' >"$work/day.tsv"
sql -c "CREATE TABLE cdr_bare (LIKE cdr)"
# timed_ms SQL...: the server's time for the statements (psql \timing), ms.
timed_ms() {
  { echo '\timing on'; printf '%s\n' "$@"; } | sql | awk '/^Time: / { t += $2 } END { printf "%.0f", t }'
}
chmod 644 "$work/day.tsv"
c=$(timed_ms "BEGIN;" \
  "INSERT INTO cdr_files (id, site_id, day, part) VALUES ($fid, (SELECT min(id) FROM sites), '$d', 1);" \
  "COPY cdr FROM '$work/day.tsv';" "COMMIT;")
c1=$(timed_ms "BEGIN;" "COPY cdr_bare FROM '$work/day.tsv';" "COMMIT;")
row "cdr PG COPY of a $RECORDS-record day file: new day partition / bare table" "$c" "$c1" ms "<= 2.5x"

# Retention: the oldest day goes as one DROP (the store's
# cdr_drop_before); the reference deletes the same records from an
# unpartitioned copy of two days.
d0=$(day_of 0)
sql -c "CREATE TABLE cdr_flat (LIKE cdr)" -c "ALTER TABLE cdr_flat ADD PRIMARY KEY (file_id, seq)" \
  -c "INSERT INTO cdr_flat SELECT c.* FROM cdr c JOIN cdr_files f ON f.id = c.file_id
      WHERE f.day IN ('$d0', '$(day_of 1)')" -c "VACUUM ANALYZE cdr_flat"
t=$(timed_ms "SELECT cdr_drop_before('$(day_of 1)');")
t1=$(timed_ms "DELETE FROM cdr_flat WHERE file_id IN (SELECT id FROM cdr_files WHERE day = '$d0');")
row "cdr PG retention of one day: DROP partition / DELETE its $((SITES * RECORDS)) records" \
  "$t" "$t1" ms "<= 0.5x"

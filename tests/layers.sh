#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The layers point one way: src/core (pure rules) <- src/store (all SQL) <-
# src/ops (every write, transactional, audited) <- the front ends.  Each
# rule below names the files that break it.
. "${top_srcdir:-.}/tests/lib.sh"
builddir=$(cd "${top_builddir:-.}" && pwd) # the objects rule 4 reads
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

# 4. Inside a directory, calls go one way: no file calls a function of a
# file that calls back into it, directly or through others.  Read from the
# objects the build made (nm: what each defines, what it calls), so a
# function pointer in a table is no call but every direct call counts;
# tsort names each circle it finds.
object_of() { # the object the build made of source $1, if any
  local dir=${1%/*} name=${1##*/}
  name=${name%.c}
  for o in "$builddir/$dir/$name.o" "$builddir/$dir/"*-"$name.o"; do
    [ -f "$o" ] && { echo "$o"; return; }
  done
}
circles=
judged=0
for dir in $(sources src screens | grep '\.c$' | sed 's|/[^/]*$||' | sort -u); do
  edges=$(for c in "$dir"/*.c; do
    o=$(object_of "$c") && [ -n "$o" ] || continue
    f=${c##*/}
    nm "$o" | awk -v f="$f" '$1 == "U" {print "U", f, $2} NF == 3 && $2 == "T" {print "T", f, $3}'
  done | awk '$1 == "T" {def[$3] = $2; next} {use[NR] = $2 " " $3}
    END {for (i in use) {split(use[i], u, " "); if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]]}}' |
    sort -u)
  [ -n "$edges" ] && judged=$((judged + 1))
  circles="$circles$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null | awk -v d="$dir" '
    /input contains a loop/ {if (l) printf "%s; ", l; l = d ":"; next}
    {l = l " " $2} END {if (l) printf "%s; ", l}')"
done
check "no circle of calls between the files of a directory${circles:+ (not: $circles)}" test -z "$circles"
check "... judged from the objects of the build ($judged directories)" test "$judged" -gt 5

# 5. A file holds one concern: no C file of src/ or screens/ is over 600
# lines (split it by concern, with a header comment saying what each part
# owns).
long=$(sources src screens | grep '\.c$' | xargs wc -l | awk '$2 != "total" && $1 > 600 {print $2 " (" $1 " lines)"}' | tr '\n' ' ')
check "no C file of src/ or screens/ over 600 lines${long:+ (not: $long)}" test -z "$long"

# ... and says so: after its licence line a comment says what the file
# owns (for a file that carries out a header of its own name, the
# header's comment does).
mute=$(for c in $(sources src screens | grep '\.c$'); do
  sed -n 2p "$c" | grep -q '^/\*' && continue
  [ -f "${c%.c}.h" ] && sed -n 2p "${c%.c}.h" | grep -q '^/\*' && continue
  printf '%s ' "$c"
done)
check "every C file of src/ and screens/ says in a comment what it owns${mute:+ (not: $mute)}" test -z "$mute"

# 6. An ops call says who acts on what with one struct ops_ctx, passed
# first, and takes at most five values (more go in a request struct).
ops_decls() { # each ops_ function the ops headers declare, on one line
  awk '/^[a-z].*[ *]ops_[a-z_0-9]+\(/, /;/' src/ops/*.h | tr -s ' \n' ' ' | sed 's/;/;\n/g'
}
wide=$(ops_decls | awk '{
  args = $0; sub(/^[^(]*\(/, "", args); sub(/\)[^)]*$/, "", args)
  while (gsub(/\([^()]*\)/, "", args)) {} # a function pointer is one value
  if (gsub(/,/, ",", args) >= 5 && match($0, /ops_[a-z_0-9]+\(/))
    printf "%s ", substr($0, RSTART, RLENGTH - 1)
}')
check "no ops function takes more than five values${wide:+ (not: $wide)}" test -z "$wide"
loose=$(ops_decls | grep -E '\(.*(struct store \*|int64_t site_id)' | grep -v '(const struct ops_ctx \*ctx' |
  sed 's/^ *[a-z_ ]*[ *]\(ops_[a-z_0-9]*\)(.*/\1/' | tr '\n' ' ')
check "every ops function on a site takes the ops context first${loose:+ (not: $loose)}" test -z "$loose"
check "... judged from the ops headers ($(ops_decls | wc -l) functions)" test "$(ops_decls | wc -l)" -gt 40

# HACKING.md shows how a screen is added with the diff of a real one:
# that screen as it is, and its row of the menu table.
example=$(sed -n '/^+++ b\/screens\/assign.c$/,/^--- /{/^+++ /d;/^@@/d;/^--- /d;s/^+//p;}' HACKING.md)
hint=
[ "$example" = "$(cat screens/assign.c)" ] ||
  hint=" (a change of screens/assign.c goes into the example diff of HACKING.md too, each line after a +)"
check "HACKING.md's example screen is screens/assign.c as it is$hint" test -z "$hint"
row=$(sed -n 's/^+ *\({N_("Register (new)"), &scr_assign_screen.*\)$/\1/p' HACKING.md)
check "... and its menu row is in screens/menu.c" grep -qF "${row:-no row in HACKING.md}" screens/menu.c

# ... and how a kasconctl verb is, with kasconctl secret reset as it is.
verb=$(sed -n '/^int cli_secret_reset(/,/^}$/p' src/cli/cli_site.c)
check "HACKING.md's example verb is cli_secret_reset of src/cli/cli_site.c as it is" \
  test -n "$verb" -a "$(sed -n '/^int cli_secret_reset(/,/^}$/p' HACKING.md)" = "$verb"

# The rules looked at the tree (a wrong directory would pass them all).
check "the rules found sources to judge" test "$(sources src/core | wc -l)" -gt 5 -a \
  "$(sources screens | wc -l)" -gt 5
done_testing

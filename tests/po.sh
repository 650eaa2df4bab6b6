#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Japanese catalogue is complete and every source with strings is listed.
. "${top_srcdir:-.}/tests/lib.sh"
po="$top_srcdir/po/ja.po"
stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
check "ja.po passes msgfmt --check ($stats)" msgfmt --check -o /dev/null "$po"
case "$stats" in *untranslated*|*fuzzy*) not_ok "ja.po fully translated";; *) ok "ja.po fully translated";; esac
missing=""
for f in $(cd "$top_srcdir" && grep -rlE '\b_\(|\bN_\(' --include='*.c' src screens 2>/dev/null); do
  case "$f" in src/i18n.c) continue;; esac
  grep -qx "$f" "$top_srcdir/po/POTFILES.in" || missing="$missing $f"
done
check "POTFILES.in lists every source with strings:${missing:- none missing}" test -z "$missing"
# Every msgid of the sources is in ja.po (catches a stale catalogue).
pot="$TMP/kascon.pot"
(cd "$top_srcdir" && xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 -o "$pot" -f po/POTFILES.in 2>/dev/null)
stale=$(msgcmp "$po" "$pot" 2>&1 | grep -c 'this message is used but not defined' || true)
check "every msgid of the sources is in ja.po ($stale missing)" test "$stale" = 0
# Name them, ready to paste at the end of ja.po and translate.
if [ "$stale" != 0 ]; then
  msgmerge -q --no-location --no-fuzzy-matching "$po" "$pot" 2>/dev/null |
    msgattrib --untranslated --no-location --no-wrap 2>/dev/null |
    awk 'BEGIN {RS = ""; ORS = "\n\n"} NR > 1' | sed 's/^/# /'
fi
done_testing

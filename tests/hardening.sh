#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The programs are built with the hardening of Debian's dpkg-buildflags
# (configure uses them by default): position-independent, full RELRO
# (relro + now), the stack protector and _FORTIFY_SOURCE's checked calls.
. "${top_srcdir:-.}/tests/lib.sh"
if ! command -v readelf >/dev/null; then
  echo "1..0 # SKIP readelf is not installed (Debian package binutils)"
  exit 0
fi
for prog in "$KASCON" "$KASCONCTL" "$KASCOND"; do
  name=$(basename "$prog")
  check "$name: position-independent executable" \
    bash -c "readelf -h '$prog' | grep -q 'Type:.*DYN'"
  check "$name: RELRO" bash -c "readelf -lW '$prog' | grep -q GNU_RELRO"
  check "$name: bound now" bash -c "readelf -dW '$prog' | grep -Eq 'BIND_NOW|FLAGS_1.*NOW'"
  check "$name: stack protector" bash -c "readelf -sW --dyn-syms '$prog' | grep -q __stack_chk_fail"
  # ASan replaces the checked string functions with its own.
  if readelf -sW --dyn-syms "$prog" | grep -q __asan_init; then
    ok "$name: _FORTIFY_SOURCE # SKIP sanitizer build"
  else
    check "$name: _FORTIFY_SOURCE checked calls" \
      bash -c "readelf -sW --dyn-syms '$prog' | grep -Eq '__[a-z]+_chk@'"
  fi
done
done_testing

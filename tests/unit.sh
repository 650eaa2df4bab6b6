#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The systemd unit as built (kascond.service): it runs kascond as the kascon
# user with its state in StateDirectory, keeps sessions over a restart
# (KillMode=process), and `systemd-analyze security` rates its exposure 2.0
# or lower (Debian's ssh.service: 9.6, systemd-timesyncd: 2.3).
. "${top_srcdir:-.}/tests/lib.sh"
unit="${top_builddir:-.}/kascond.service"
if ! command -v systemd-analyze >/dev/null; then
  echo "1..0 # SKIP systemd-analyze is not installed (Debian package systemd)"
  exit 0
fi
check "the unit is built" test -s "$unit"
has() { grep -qx -- "$1" "$unit"; }
check "runs as the kascon user" has "User=kascon"
check "its state in /var/lib/kascon" has "StateDirectory=kascon"
check "its configuration in /etc/kascon" has "ConfigurationDirectory=kascon"
check "sessions survive a restart of the listener" has "KillMode=process"
check "no capability at all" has "CapabilityBoundingSet="
check "ExecStart names the installed kascond" \
  grep -qE '^ExecStart=/[^ @]*/kascond ' "$unit"

# systemd-analyze wants the unit under its own name.
mkdir -p "$TMP/unit"
cp "$unit" "$TMP/unit/kascond.service"
systemd-analyze security --offline=true --no-pager "$TMP/unit/kascond.service" \
  >"$TMP/security.out" 2>&1
grep '✗' "$TMP/security.out" | sed 's/^/# /'
score=$(sed -n 's/.*Overall exposure level for kascond.service: \([0-9.]*\).*/\1/p' "$TMP/security.out")
if [ -z "$score" ]; then
  sed 's/^/# /' "$TMP/security.out" | tail -20
  not_ok "systemd-analyze security rates the unit"
else
  check "exposure $score is 2.0 or lower" awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'
fi
check "systemd-analyze finds nothing wrong in it" \
  bash -c "! grep -Ei 'unknown|invalid|ignoring' '$TMP/security.out'"
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The fail2ban filter shipped in doc/fail2ban/ against the real log of a
# real kascond: failed logins made with the stock ssh client (wrong
# password, unknown user, keyboard-interactive, a locked account, a user
# name that pretends to carry another address) are written as syslog
# would write them, and fail2ban-regex must find every one with the
# client's address and nothing else.
. "${top_srcdir:-.}/tests/lib.sh"

needs fail2ban-regex ssh sshpass
common=/etc/fail2ban/filter.d/common.conf
if [ ! -f "$common" ]; then
  echo "1..0 # SKIP $common is missing (the fail2ban package installs it)"
  exit 0
fi

time_bound 120

DOMAIN=tokyo.example.jp
"$KASCONCTL" site add "$DOMAIN" --capacity 10 >/dev/null
echo secret12 | "$KASCONCTL" admin add "$DOMAIN" admin >/dev/null
echo secret34 | "$KASCONCTL" admin add "$DOMAIN" other >/dev/null
cat >"$TMP/kascond.conf" <<CONF
listen = 127.0.0.1:0
db = $KASCON_DB
host-key = $TMP/host_key
files = $TMP/files
CONF
check "kascond starts" start_kascond --config "$TMP/kascond.conf"
server_pid=$KASCOND_PID PORT=$KASCOND_PORT

# fail USER PASSWORD [METHOD]: one login that must be refused.
fail() {
  timeout 60 sshpass -p "$2" ssh "${SSH_OPTS[@]}" -p "$PORT" \
    -o PreferredAuthentications="${3:-password}" -l "$1" 127.0.0.1 true 2>"$TMP/attempt.err"
  grep -q 'Permission denied' "$TMP/attempt.err"
}
failed_lines() { grep -c 'Failed ' "$TMP/server.log"; }

check "wrong password refused" fail "admin@$DOMAIN" wrong111
check "unknown user refused" fail "nobody@$DOMAIN" wrong111
check "wrong keyboard-interactive password refused" \
  fail "other@$DOMAIN" wrong111 keyboard-interactive
check "a user name carrying another address refused" \
  fail "x from 10.9.8.7 port 22 ssh2" wrong111
# The third failure locks admin; the right password is then refused too.
fail "admin@$DOMAIN" wrong222
fail "admin@$DOMAIN" wrong333
check "the locked account refuses the right password" fail "admin@$DOMAIN" secret12
check "every refusal is logged" wait_for 30 bash -c "[ \$(grep -c 'Failed ' '$TMP/server.log') -ge 7 ]"
check "the lock is logged" log_has "Locked account"
want=$(failed_lines)

# The log as syslog writes it to /var/log/auth.log: date, host,
# "kascond[PID]: ", then the message kascond logged (fail2ban's systemd
# backend gives the filter journald's entries in the same form).
stamp=$(LC_ALL=C date '+%b %e %H:%M:%S')
sed -e 's/^kascond\[\([0-9]*\)\]: //' "$TMP/server.log" |
  sed "s/^/$stamp $(hostname) kascond[$server_pid]: /" >"$TMP/auth.log"
sed 's/^/# log: /' "$TMP/auth.log"
mkdir -p "$TMP/fail2ban/filter.d"
cp "$common" "$TMP/fail2ban/filter.d/"
cp "$top_srcdir/doc/fail2ban/filter.d/kascond.conf" "$TMP/fail2ban/filter.d/"
fail2ban-regex -v "$TMP/auth.log" "$TMP/fail2ban/filter.d/kascond.conf" >"$TMP/regex.out" 2>&1
sed -n '/^Failregex/,/^Ignoreregex/p;/^Lines:/p' "$TMP/regex.out" | sed 's/^/# /'
matched=$(sed -n 's/^Lines: .* \([0-9]*\) matched.*/\1/p' "$TMP/regex.out")
check "fail2ban-regex matches every failed login ($matched of $want)" test "${matched:-0}" = "$want"
addresses=$(sed -n '/^Failregex/,/^Ignoreregex/s/^|  *\([0-9a-f.:]\{3,\}\)  .*/\1/p' "$TMP/regex.out" | sort | uniq -c)
check "... each with the client's address, 127.0.0.1 ($(echo $addresses))" \
  test "$(echo $addresses)" = "$want 127.0.0.1"
check "the filter reads kascond's journal" \
  grep -qx 'journalmatch = _SYSTEMD_UNIT=kascond.service' "$TMP/fail2ban/filter.d/kascond.conf"
check "the shipped jail is disabled" grep -qx 'enabled  = false' "$top_srcdir/doc/fail2ban/jail.d/kascond.conf"
done_testing

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/ssh.py: N concurrent SSH sessions logging in with a password and
getting the console's first screen, against kascond and, in the same run,
against OpenSSH's sshd (own configuration on another loopback port,
ForceCommand running the same console as a plain program).

Like for like: both servers have an ed25519 host key, the clients ask
both for curve25519-sha256 and ssh-ed25519, and both check the same
password against the same yescrypt hash (kascon's administrator hash; for
sshd it is the shadow entry of a bench user that exists only in a private
mount namespace, so the system's /etc/passwd and /etc/shadow are not
touched).  The latency is from starting `sshpass ssh` to the first drawn
screen (median, p99).  Memory per session = sum of RSS / PSS of all the
server's processes (listener and every per-session process) / N.
Server CPU per login: user + system time of the server's per-connection
processes (reaped by the listener) / N.  Each N runs --repeat rounds per
server, alternating which server goes first (the machine's load drifts);
the latencies of the rounds are pooled for the median and p99.
Loopback only; every round is bounded in time, the whole run too.  The
sshd reference needs root (for the namespace) and Debian's
openssh-server.
"""
import argparse
import os
import pwd
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROUND_TIMEOUT = 60.0
TOTAL_TIMEOUT = 600.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_map():
    kids = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid):
    kids = children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def memory_kb(pids):
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def tree_cpu_seconds(pid):
    """CPU time of pid and of every child it has reaped (a server reaps
    its per-connection processes), user + system."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            st = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in st[11:15]) / os.sysconf("SC_CLK_TCK")


def wait_until(cond, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def percentile(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(q * len(v) + 0.5)) - 1))
    return v[k]


def run_round(n, ssh_cmd, server_pid, text):
    """Starts n clients at once; returns (latencies_ms, rss_kb, pss_kb, processes)."""
    base = len(tree(server_pid))
    sel = selectors.DefaultSelector()
    clients, start, seen, latency = [], {}, {}, {}
    env = dict(os.environ, TERM="xterm", LC_ALL="C.UTF-8")
    for i in range(n):
        start[i] = time.monotonic()
        p = subprocess.Popen(ssh_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=env)
        os.set_blocking(p.stdout.fileno(), False)
        sel.register(p.stdout, selectors.EVENT_READ, i)
        clients.append(p)
        seen[i] = b""
    end = time.monotonic() + ROUND_TIMEOUT
    open_streams = n
    while len(latency) < n and open_streams and time.monotonic() < end:
        for key, _ in sel.select(0.2):
            i = key.data
            try:
                data = os.read(key.fd, 65536)
            except BlockingIOError:
                continue
            if not data:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            if i not in latency:
                seen[i] = (seen[i] + data)[-4096:]
                if text in seen[i]:
                    latency[i] = (time.monotonic() - start[i]) * 1000.0
    # Every session that got its screen is still up: measure the server now.
    pids = tree(server_pid)
    rss, pss = memory_kb(pids)
    for p in clients:
        try:
            p.stdin.close()
        except OSError:
            pass
        p.terminate()
    for p in clients:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    sel.close()
    wait_until(lambda: len(tree(server_pid)) <= base, 15)
    return list(latency.values()), rss, pss, len(pids)


PASSWORD = "secret12"
KEX = ["-o", "KexAlgorithms=curve25519-sha256", "-o", "HostKeyAlgorithms=ssh-ed25519"]


def start_kascond(args, tmp, port):
    db = os.path.join(tmp, "kascon.db")
    env = dict(os.environ, KASCON_DB=db, LC_ALL="C.UTF-8")
    user = []
    if os.geteuid() == 0:
        # kascond never runs as root: it becomes nobody, whose files these
        # are (kasconctl, as root, acts as the owner of the database's
        # directory); sshd, as root, still reads its own.
        nobody = pwd.getpwnam("nobody")
        os.chown(tmp, nobody.pw_uid, nobody.pw_gid)
        user = ["--user", "nobody"]
    subprocess.run([args.kasconctl, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.kasconctl, "site", "add", "bench.example.jp", "--capacity", "10"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.kasconctl, "admin", "add", "bench.example.jp", "admin"],
                   input=(PASSWORD + "\n").encode(), env=env, check=True,
                   stdout=subprocess.DEVNULL)
    log = open(os.path.join(tmp, "kascond.log"), "w")
    conf = os.path.join(tmp, "kascond.conf")
    open(conf, "w").close()
    p = subprocess.Popen([args.kascond, "--foreground", *user, "--config", conf, "--listen", f"127.0.0.1:{port}",
                          "--db", db, "--host-key", os.path.join(tmp, "kascond_host_key"),
                          "--idle-timeout", "0", "--max-connections", "1000",
                          "--max-unauthenticated-per-source", "1000"],
                         stderr=log, env=env)
    return p, db


def admin_hash(db):
    import sqlite3
    with sqlite3.connect(db) as c:
        return c.execute("SELECT pw_hash FROM admins WHERE name = 'admin'").fetchone()[0]


def start_sshd(args, tmp, port, db):
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    if os.geteuid() != 0 or not os.path.exists(sshd) or not shutil.which("unshare"):
        return None, "needs root, unshare and /usr/sbin/sshd (Debian openssh-server)"
    os.makedirs("/run/sshd", exist_ok=True)
    host_key = os.path.join(tmp, "sshd_host_key")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key], check=True)
    # The bench user (uid 0, so that the console may open the database)
    # exists only in sshd's own mount namespace.
    passwd, shadow = os.path.join(tmp, "passwd"), os.path.join(tmp, "shadow")
    with open("/etc/passwd") as f, open(passwd, "w") as out:
        out.write(f.read() + f"kbench:x:0:0:kascon bench:{tmp}:/bin/sh\n")
    with open("/etc/shadow") as f, open(shadow, "w") as out:
        out.write(f.read() + f"kbench:{admin_hash(db)}:19000:0:99999:7:::\n")
    os.chmod(shadow, 0o600)
    console = os.path.abspath(args.console)
    cfg = os.path.join(tmp, "sshd_config")
    with open(cfg, "w") as f:
        f.write(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {host_key}
HostKeyAlgorithms ssh-ed25519
KexAlgorithms curve25519-sha256
PidFile {tmp}/sshd.pid
StrictModes no
PermitRootLogin yes
PubkeyAuthentication no
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 1000
MaxSessions 10
LogLevel ERROR
ForceCommand {console} {db} bench.example.jp admin
""")
    if subprocess.run([sshd, "-t", "-f", cfg]).returncode != 0:
        return None, "sshd -t refused the configuration"
    script = (f"mount --bind '{passwd}' /etc/passwd && mount --bind '{shadow}' /etc/shadow"
              f" && exec '{sshd}' -D -e -f '{cfg}'")
    p = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script],
                         stderr=open(os.path.join(tmp, "sshd.log"), "w"))
    return p, None


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            return s.recv(4).startswith(b"SSH-")
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kascond", required=True)
    ap.add_argument("--kasconctl", required=True)
    ap.add_argument("--console", required=True, help="bench/console_main for sshd's ForceCommand")
    ap.add_argument("--sessions", default="10,20,50,100")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds per server and N, alternating which server goes first")
    ap.add_argument("--text", default=os.environ.get("MAIN_MENU_TEXT", "Main menu"))
    ap.add_argument("--rows", action="store_true", help="also print make bench's table rows")
    args = ap.parse_args()
    counts = [int(x) for x in args.sessions.split(",")]
    text = args.text.encode()
    began = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="kascon-bench-")
    servers = []
    try:
        kport, sport = free_port(), free_port()
        kascond, db = start_kascond(args, tmp, kport)
        servers.append(kascond)
        sshd, why = start_sshd(args, tmp, sport, db)
        if sshd:
            servers.append(sshd)
        if not wait_until(lambda: listening(kport), 10):
            print("kascond did not start; see", tmp)
            return 1
        if sshd and not wait_until(lambda: listening(sport), 10):
            print("sshd did not start:", open(os.path.join(tmp, "sshd.log")).read())
            sshd = None
        common = ["sshpass", "-p", PASSWORD, "ssh", "-tt", "-F", "/dev/null",
                  "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                  "-o", "LogLevel=ERROR", "-o", "IdentityAgent=none", "-o", "PubkeyAuthentication=no",
                  "-o", "PreferredAuthentications=password,keyboard-interactive",
                  "-o", "NumberOfPasswordPrompts=1"] + KEX
        targets = [("kascond", common + ["-p", str(kport), "admin@bench.example.jp@127.0.0.1"], kascond.pid)]
        if sshd:
            targets.append(("sshd", common + ["-p", str(sport), "kbench@127.0.0.1"], sshd.pid))
        else:
            print(f"# OpenSSH comparison skipped: {why}")
        print(f"# {os.cpu_count()} CPUs; first screen = output containing {args.text!r}; "
              "memory = all server processes / N")
        print(f"{'server':8} {'N':>4} {'ok':>4} {'median ms':>10} {'p99 ms':>8} "
              f"{'RSS MiB/sess':>13} {'PSS MiB/sess':>13} {'procs':>6} {'CPU ms/login':>9}")
        results = {}
        for n in counts:
            pooled = {name: ([], [], [], 0.0, 0) for name, _, _ in targets}
            for r in range(args.repeat):
                # Alternate which server goes first: on a shared machine
                # the load drifts, and neither should always meet it first.
                order = targets if r % 2 == 0 else list(reversed(targets))
                for name, cmd, pid in order:
                    if time.monotonic() - began > TOTAL_TIMEOUT:
                        print("# time limit reached; stopping")
                        break
                    cpu0 = tree_cpu_seconds(pid)
                    lat, rss, pss, procs = run_round(n, cmd, pid, text)
                    cpu = (tree_cpu_seconds(pid) - cpu0) * 1000.0 / n
                    med, p99 = percentile(lat, 0.5), percentile(lat, 0.99)
                    print(f"{name:8} {n:4d} {len(lat):4d} {med:10.1f} {p99:8.1f} "
                          f"{rss / n / 1024:13.2f} {pss / n / 1024:13.2f} {procs:6d} {cpu:9.1f}",
                          flush=True)
                    lats, psss, rsss, cpus, ok = pooled[name]
                    pooled[name] = (lats + lat, psss + [pss / n], rsss + [rss / n], cpus + cpu,
                                    ok + (len(lat) == n))
            for name, (lats, psss, rsss, cpus, ok) in pooled.items():
                if lats:
                    results[(name, n)] = (percentile(lats, 0.5), percentile(lats, 0.99),
                                          percentile(psss, 0.5), percentile(rsss, 0.5),
                                          ok, cpus / args.repeat)
        if sshd:
            print(f"# ratios kascond / sshd over {args.repeat} round(s) each, latencies pooled"
                  " (below 1: kascond is faster or smaller)")
            for n in counts:
                k, s = results.get(("kascond", n)), results.get(("sshd", n))
                if not k or not s or not s[0] or not s[2]:
                    continue
                print(f"N={n:<4d} latency median {k[0] / s[0]:.2f}  p99 {k[1] / s[1]:.2f}  "
                      f"PSS/session {k[2] / s[2]:.2f}  RSS/session {k[3] / s[3]:.2f}  "
                      f"server CPU/login {k[5] / s[5]:.2f}")
                if args.rows:
                    for what, i, unit, target in (("median login to first screen", 0, "ms", "<= 1.0x"),
                                                  ("p99 login to first screen", 1, "ms", "<= 1.0x"),
                                                  ("server CPU per login", 5, "ms", "-"),
                                                  ("PSS per session", 2, "KiB", "-")):
                        print(f"@row\tssh N={n} {what}: kascond / sshd\t{k[i]:.1f} {unit}\t"
                              f"{s[i]:.1f} {unit}\t{k[i] / s[i]:.2f}\t{target}")
        failed = [key for key, r in results.items() if r[4] < args.repeat]
        if failed:
            print("# sessions without a first screen:", failed)
            return 1
        return 0
    finally:
        for p in servers:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

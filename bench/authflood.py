#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/authflood.py: an administrator's saves while another source
floods kascond with wrong passwords.

One administrator is logged in to the console over SSH (paramiko, a pty)
and saves an extension profile again and again (F2); the latency of a
save is from the key to the message that it was saved.  First the saves
run with nothing else going on (the reference), then while clients from
another loopback address (127.0.0.2, one source) try wrong passwords for
another administrator of the same site over as many connections at once
as kascond lets one address have (it locks, and every attempt is checked
and recorded all the same), and for names that do not exist.  Target: the
p90 under the flood is within 2x of the idle p90.

Loopback only; the flood and every wait are bounded in time and count.
As root, the files belong to an unprivileged user (nobody) that kascond
runs as (--user): kascond never runs as root.
"""
import argparse
import logging
import os
import pwd
import re
import select
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

try:
    import paramiko
except ImportError:  # Debian's python3-paramiko, whichever python3 ran this
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("# SKIP python3-paramiko is not installed (./quickstart installs it)")
    sys.exit(0)

from ssh import free_port, percentile  # bench/ssh.py, beside this file

logging.getLogger("paramiko").setLevel(logging.CRITICAL + 1)

DOMAIN = "bench.example.jp"
PASSWORD = "secret12"
TOTAL_TIMEOUT = 300.0
F2 = b"\x1bOQ"
CTRL_U = b"\x15"
ANSI = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>NOM78c])")


def stop(p):
    """Stops a server: SIGTERM, SIGKILL after 10 seconds."""
    p.terminate()
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


class Console:
    """The administrator's console over SSH, read as plain text."""

    def __init__(self, port):
        self.t = paramiko.Transport(("127.0.0.1", port))
        self.t.banner_timeout = 30
        self.t.connect(username=f"admin@{DOMAIN}", password=PASSWORD)
        self.ch = self.t.open_session()
        self.ch.get_pty(term="xterm", width=100, height=30)
        self.ch.invoke_shell()
        self.buf = b""

    def wait(self, text, seconds=30.0):
        """Waits for text in what the console drew since the last wait."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            plain = ANSI.sub(b"", self.buf)
            i = plain.find(text)
            if i >= 0:
                self.buf = b""
                return True
            if self.ch.recv_ready():
                self.buf += self.ch.recv(65536)
            elif self.ch.closed or self.ch.exit_status_ready():
                return False
            else:
                select.select([self.ch], [], [], 0.05)
        raise RuntimeError(f"the console did not show {text!r}; it showed {ANSI.sub(b'', self.buf)[-400:]!r}")

    def settle(self, quiet=0.3, seconds=10.0):
        """Reads until the console has drawn nothing for `quiet` seconds."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not select.select([self.ch], [], [], quiet)[0]:
                return
            self.buf += self.ch.recv(65536)

    def send(self, data):
        self.ch.sendall(data)

    def close(self):
        self.ch.close()
        self.t.close()


def open_profile(c):
    c.wait(b"Main menu")
    for key, text in ((b"1", b"User management"), (b"1", b"Extension profiles"), (b"1", b"Registered:")):
        c.send(key)
        c.wait(text)
    c.send(b"4001\r")
    c.settle()


def poll(db, sql, want, seconds=30.0):
    """Polls the database (a reader never waits for a writer) until sql gives want."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if db.execute(sql).fetchone()[0] == want:
            return
        time.sleep(0.0005)
    raise RuntimeError(f"{sql} did not give {want!r} in {seconds} s")


def saves(c, db, count, tag):
    """count saves of profile 4001's SIP user name; returns their latencies
    in ms, from the key to the commit (seen in the database: the screen
    is drawn in pieces that a byte stream does not tell apart)."""
    out = []
    for i in range(count):
        c.send(b"\r")  # open the profile: it takes the edit lock
        poll(db, "select count(*) from locks where object like 'ext:%'", 1)
        value = f"{tag}{i:04d}"
        c.send(CTRL_U + value.encode())
        time.sleep(0.02)  # the field has the text: only the save is timed
        start = time.monotonic()
        c.send(F2)
        poll(db, "select sip_id from extensions where ext = '4001'", value)
        out.append((time.monotonic() - start) * 1000.0)
        poll(db, "select count(*) from locks where object like 'ext:%'", 0)
    return out


class Flood:
    """Wrong passwords from 127.0.0.2 over `conns` connections at once."""

    def __init__(self, port, conns, target):
        self.port, self.conns, self.target = port, conns, target
        self.stop = threading.Event()
        self.attempts = 0
        self.connections = 0
        self.refused = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(conns)]

    def run(self, i):
        n = 0
        while not self.stop.is_set():
            try:
                s = socket.socket()
                s.settimeout(10)
                s.bind(("127.0.0.2", 0))
                s.connect(("127.0.0.1", self.port))
                t = paramiko.Transport(s)
                t.banner_timeout = 10
                t.start_client(timeout=10)
                with self.lock:
                    self.connections += 1
            except Exception:
                with self.lock:
                    self.refused += 1
                time.sleep(0.05)
                continue
            try:
                while not self.stop.is_set() and t.is_active():
                    n += 1
                    victim = self.target == "victim" or (self.target == "both" and n % 2)
                    user = f"victim@{DOMAIN}" if victim else f"nobody{i}x{n}@{DOMAIN}"
                    try:
                        t.auth_password(user, f"wrong{n}")
                    except paramiko.AuthenticationException:
                        pass
                    with self.lock:
                        self.attempts += 1
            except Exception:
                pass
            finally:
                t.close()

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(15)


def flood_process(port, conns, target):
    """The flood in a process of its own at the lowest CPU priority
    (SCHED_IDLE): it stands in for the attacker's own machine, whose CPU
    is not the server's.  It runs until its standard input closes, then
    prints its counts."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(19)
    f = Flood(port, conns, target)
    f.start()
    sys.stdin.read()
    f.finish()
    print(f.attempts, f.connections, f.refused, flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kascond", required=True)
    ap.add_argument("--kasconctl", required=True)
    ap.add_argument("--saves", type=int, default=100)
    ap.add_argument("--connections", type=int, default=10,
                    help="flood connections at once (kascond's default per-source cap is 10)")
    ap.add_argument("--target", choices=("both", "victim", "unknown"), default="both",
                    help="whose passwords: an administrator's (locked, recorded), names that do not exist, or both")
    ap.add_argument("--rows", action="store_true", help="also print make bench's table rows")
    ap.add_argument("--flood", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.flood:
        return flood_process(args.flood, args.connections, args.target)
    began = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="kascon-bench-")
    env = dict(os.environ, KASCON_DB=os.path.join(tmp, "kascon.db"), LC_ALL="C.UTF-8", LANGUAGE="")
    env.pop("KASCON_NOW", None)
    user = []
    if os.geteuid() == 0:
        # kasconctl, as root, acts as the owner of the database's directory.
        os.chmod(tmp, 0o700)
        os.chown(tmp, pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid)
        user = ["--user", "nobody"]
    server = None
    try:
        def ctl(*a, data=None):
            subprocess.run([args.kasconctl, *a], input=data, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        ctl("init")
        ctl("site", "add", DOMAIN, "--capacity", "10")
        ctl("admin", "add", DOMAIN, "admin", data=(PASSWORD + "\n").encode())
        ctl("admin", "add", DOMAIN, "victim", data=b"victim99\n")
        ctl("ext", "import", DOMAIN, "-", data=b"4001,,0000000000,,,0,0,web4001,abcd1234,0\r\n")
        port = free_port()
        log = open(os.path.join(tmp, "kascond.log"), "w")
        server = subprocess.Popen([args.kascond, "--foreground", *user, "--listen", f"127.0.0.1:{port}",
                                   "--db", env["KASCON_DB"], "--host-key", os.path.join(tmp, "host_key"),
                                   "--files", os.path.join(tmp, "files"), "--idle-timeout", "0"],
                                  stderr=log, env=env)
        end = time.monotonic() + 20
        while "Server listening" not in open(log.name).read():
            if time.monotonic() > end or server.poll() is not None:
                print("kascond did not start:", open(log.name).read())
                return 1
            time.sleep(0.05)
        c = Console(port)
        open_profile(c)
        db = sqlite3.connect(env["KASCON_DB"], timeout=10, isolation_level=None)
        saves(c, db, 5, "warm")
        idle = saves(c, db, args.saves, "idle")
        fails = "select count(*) from audit where action like 'login.%'"
        flood = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--flood", str(port),
                                  "--connections", str(args.connections), "--target", args.target,
                                  "--kascond", "-", "--kasconctl", "-"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            time.sleep(2.0)  # every flood connection is up and trying
            before = db.execute(fails).fetchone()[0]
            t0 = time.monotonic()
            busy = saves(c, db, args.saves, "busy")
            took = time.monotonic() - t0
            during = db.execute(fails).fetchone()[0] - before
        finally:
            out, _ = flood.communicate(timeout=30)
        attempts, connections, refused = (int(x) for x in (out.split() or [0, 0, 0]))
        c.close()
        if time.monotonic() - began > TOTAL_TIMEOUT:
            print("# time limit reached")
            return 1
        failures = db.execute(fails).fetchone()[0]
        db.close()
        print(f"# {os.cpu_count()} CPUs; {args.saves} saves each; flood: {args.connections} connections "
              f"from 127.0.0.2, {during} failures recorded during the saves ({during / took:.0f}/s); "
              f"{attempts} wrong passwords over {connections} connections ({refused} refused), "
              f"{failures} failures recorded in all")
        print(f"{'':8} {'median ms':>10} {'p90 ms':>8} {'max ms':>8}")
        for name, v in (("idle", idle), ("flood", busy)):
            print(f"{name:8} {percentile(v, 0.5):10.1f} {percentile(v, 0.9):8.1f} {max(v):8.1f}")
        ratio = percentile(busy, 0.9) / percentile(idle, 0.9)
        print(f"# p90 ratio flood / idle: {ratio:.2f} (target <= 2.0)")
        if args.rows:
            print(f"@row\tsave p90 during a wrong-password flood: flood / idle\t"
                  f"{percentile(busy, 0.9):.1f} ms\t{percentile(idle, 0.9):.1f} ms\t{ratio:.2f}\t<= 2.0x")
        return 0
    finally:
        if server:
            stop(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

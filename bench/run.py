#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/run.py: runs the benchmarks one after the other, each bounded in
time, passes their own output through, and ends with one table of every
row they reported ("@row" lines): measure, kascon, reference (measured in
the same run), ratio kascon / reference, target (for the ratio when in x,
else for kascon's figure, as bench/bench.h says).

    bench/run.py [--limit SECONDS] -- CMD [ARGS...] -- CMD [ARGS...] ...
"""
import subprocess
import sys
import time


def main(argv):
    limit = 1800.0
    if len(argv) > 1 and argv[0] == "--limit":
        limit = float(argv[1])
        argv = argv[2:]
    commands, cur = [], None
    for a in argv:
        if a == "--":
            cur = []
            commands.append(cur)
        elif cur is not None:
            cur.append(a)
    rows, failed = [], []
    for cmd in filter(None, commands):
        name = cmd[1] if cmd[0] in ("python3", "bash") else cmd[0]
        print(f"== {name}", flush=True)
        began = time.monotonic()
        try:
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
        except OSError as e:
            failed.append(f"{name}: {e}")
            continue
        for line in p.stdout:
            if line.startswith("@row\t"):
                rows.append(line.rstrip("\n").split("\t")[1:])
            else:
                print(line, end="", flush=True)
            if time.monotonic() - began > limit:
                break
        try:
            rc = p.wait(timeout=max(1.0, limit - (time.monotonic() - began)))
        except subprocess.TimeoutExpired:
            p.kill()
            rc = p.wait()
            failed.append(f"{name}: stopped after {limit:.0f} s")
        if rc:
            failed.append(f"{name}: exit status {rc}")
    head = ["measure", "kascon", "reference", "ratio", "target"]
    table = [head] + [r + [""] * (5 - len(r)) for r in rows]
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    print()
    for i, r in enumerate(table):
        print("  ".join(c.ljust(widths[k]) if k == 0 else c.rjust(widths[k])
                        for k, c in enumerate(r)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for f in failed:
        print("# " + f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

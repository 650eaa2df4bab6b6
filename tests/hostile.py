#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Raw SSH requests for tests/hostile.sh, with paramiko: what a stock
client does not send (window sizes out of range, many uploads at once).
Every subcommand prints its figures as "name value" lines and exits 0 when
the server behaved, 1 otherwise."""
import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

import paramiko


def descendants(pid):
    """Every process below pid (children first found through /proc)."""
    kids = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            kids.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for k in kids.get(p, []):
            out.append(k)
            todo.append(k)
    return out


def peak_rss_kib(pid):
    """VmHWM: the most resident memory the process ever had."""
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def connect(port, user, password):
    t = paramiko.Transport(('127.0.0.1', port))
    t.banner_timeout = 30
    t.connect(username=user, password=password)
    return t


def read_until(chan, needle, timeout):
    end = time.time() + timeout
    buf = b''
    while time.time() < end:
        if chan.recv_ready():
            buf += chan.recv(65536)
            if needle in buf:
                return True
        elif chan.exit_status_ready() or chan.closed:
            return False
        else:
            time.sleep(0.05)
    return False


# Window sizes a hostile client sends: huge, zero, the largest uint32s.
STORM = [(10000, 10000), (65535, 65535), (0, 0), (1, 1), (4294967295, 4294967295),
         (100000, 3), (3, 100000), (512, 256), (80, 24)]


def cmd_resize(a):
    t = connect(a.port, a.user, a.password)
    ch = t.open_session()
    ch.get_pty(term='xterm', width=10000, height=10000)
    ch.invoke_shell()
    ok = read_until(ch, a.expect.encode(), 30)
    print('console_started %d' % ok)
    for i in range(a.count):
        w, h = STORM[i % len(STORM)]
        ch.resize_pty(width=w, height=h)
    ch.resize_pty(width=10000, height=10000)
    # The console is still there: a size it has not drawn yet makes it
    # repaint (Ctrl-L too, where the console has it).
    ch.resize_pty(width=101, height=31)
    ch.send(b'\x0c')
    alive = read_until(ch, a.expect.encode(), 30)
    print('console_alive_after_storm %d' % alive)
    if not alive:
        print('channel_closed %d' % (ch.closed or ch.exit_status_ready()))
        print('exit_status %d' % (ch.recv_exit_status() if ch.exit_status_ready() else -1))
    peak = max([peak_rss_kib(p) for p in descendants(a.server)] or [0])
    print('peak_rss_kib %d' % peak)
    ch.close()
    t.close()
    return 0 if ok and alive else 1


def settle(chan, quiet=0.3, seconds=10):
    """Reads until the console has drawn nothing for `quiet` seconds."""
    end = time.time() + seconds
    while time.time() < end and not (chan.closed or chan.exit_status_ready()):
        if not select.select([chan], [], [], quiet)[0]:
            return
        chan.recv(65536)


def cmd_hold(a):
    """Opens extension profile --ext for editing in the console (which
    takes its edit lock), touches FLAG.open, and keeps the session until
    FLAG.done appears (60 s at most); then leaves the profile: whether the
    session still answered a key is printed."""
    t = connect(a.port, a.user, a.password)
    ch = t.open_session()
    ch.get_pty(term='xterm', width=100, height=30)
    ch.invoke_shell()
    print('console_started %d' % read_until(ch, a.expect.encode(), 30), flush=True)
    for key in (b'1', b'1', b'1', a.ext.encode() + b'\r', b'\r'):
        ch.send(key)
        settle(ch)
    open(a.flag + '.open', 'w').close()
    end = time.time() + 60
    while not os.path.exists(a.flag + '.done') and time.time() < end:
        if ch.closed or ch.exit_status_ready():
            break
        if ch.recv_ready():
            ch.recv(65536)
        time.sleep(0.05)
    answered = False
    if not (ch.closed or ch.exit_status_ready()):
        ch.send(b'\x1b')  # Esc: back to the list, which the console draws
        answered = bool(select.select([ch], [], [], 10)[0]) and len(ch.recv(65536)) > 0
    print('session_answered_after_restart %d' % answered, flush=True)
    ch.close()
    t.close()
    return 0


def cmd_console_resize(a):
    """The console alone on a pty that claims a huge size."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 10000, 10000, 0, 0))
    env = dict(os.environ, TERM='xterm')
    p = subprocess.Popen([a.kascon, '--db', a.db], stdin=slave, stdout=slave, stderr=slave,
                         env=env, start_new_session=True,
                         preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
    os.close(slave)
    buf = b''
    end = time.time() + 30
    while time.time() < end and a.expect.encode() not in buf:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                buf += os.read(master, 65536)
            except OSError:
                break
    started = a.expect.encode() in buf
    print('console_started %d' % started)
    for i in range(a.count):
        w, h = STORM[i % len(STORM)]
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack('HHHH', min(h, 65535), min(w, 65535), 0, 0))
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack('HHHH', 10000, 10000, 0, 0))
    # Let the console take the last SIGWINCH, then ask for a repaint.
    os.write(master, b'\x0c')
    buf = b''
    end = time.time() + 30
    while time.time() < end and a.expect.encode() not in buf:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                buf += os.read(master, 65536)
            except OSError:
                break
    # The console clamps the size when it takes the last SIGWINCH, which can
    # come after it has repainted for an earlier one: the size is polled.
    end = time.time() + 30
    while True:
        size = struct.unpack('HHHH', fcntl.ioctl(master, termios.TIOCGWINSZ, b'\0' * 8))
        if (size[0], size[1]) == (256, 512) or time.time() >= end or p.poll() is not None:
            break
        if select.select([master], [], [], 0.1)[0]:
            try:
                os.read(master, 65536)
            except OSError:
                break
    alive = p.poll() is None
    print('console_alive_after_storm %d' % alive)
    print('terminal_size %dx%d' % (size[1], size[0]))
    print('peak_rss_kib %d' % peak_rss_kib(p.pid))
    p.send_signal(signal.SIGHUP)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    os.close(master)
    return 0 if started and alive else 1


def area_bytes(area):
    """Bytes in inbox/ and outbox/, temporary files included."""
    total = 0
    for box in ('inbox', 'outbox'):
        d = os.path.join(area, box)
        for name in os.listdir(d):
            st = os.lstat(os.path.join(d, name))
            total += st.st_size
    return total


def upload(sftp, name, size, chunk=32768):
    """Writes size bytes to inbox/NAME; True if every write and the close
    were accepted."""
    try:
        f = sftp.open('inbox/' + name, 'wb')
        f.set_pipelined(False)
        data = b'x' * chunk
        done = 0
        while done < size:
            n = min(chunk, size - done)
            f.write(data[:n])
            f.flush()
            done += n
        f.close()
        return True
    except (IOError, OSError) as e:
        msg = str(e)
        if 'area is full' in msg:
            upload.full_messages += 1
        return False


upload.full_messages = 0


def cmd_quota(a):
    size = a.size
    peak = [0]
    stop = [False]

    def watch():
        while not stop[0]:
            peak[0] = max(peak[0], area_bytes(a.area))
            time.sleep(0.005)
    w = threading.Thread(target=watch)
    w.start()
    # Ten handles of one login, written in turns.
    t = connect(a.port, a.user, a.password)
    sftp = paramiko.SFTPClient.from_transport(t)
    files = []
    for i in range(a.count):
        f = sftp.open('inbox/handle%d.csv' % i, 'wb')
        f.set_pipelined(False)
        files.append(f)
    ok = [True] * a.count
    data = b'y' * 32768
    done = 0
    while done < size:
        n = min(32768, size - done)
        for i, f in enumerate(files):
            if not ok[i]:
                continue
            try:
                f.write(data[:n])
                f.flush()
            except (IOError, OSError) as e:
                if 'area is full' in str(e):
                    upload.full_messages += 1
                ok[i] = False
        done += n
    for i, f in enumerate(files):
        try:
            f.close()
        except (IOError, OSError):
            ok[i] = False
    handles_ok = sum(ok)
    sftp.close()
    t.close()
    # Ten logins of the same administrator at once.
    results = []

    def one(i):
        tt = connect(a.port, a.user, a.password)
        ss = paramiko.SFTPClient.from_transport(tt)
        results.append(upload(ss, 'login%d.csv' % i, size))
        ss.close()
        tt.close()
    for f in os.listdir(os.path.join(a.area, 'inbox')):
        os.unlink(os.path.join(a.area, 'inbox', f))
    threads = [threading.Thread(target=one, args=(i,)) for i in range(a.count)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    stop[0] = True
    w.join()
    print('quota_bytes %d' % a.quota)
    print('requested_bytes %d' % (2 * a.count * size))
    print('peak_area_bytes %d' % peak[0])
    print('handles_completed %d' % handles_ok)
    print('logins_completed %d' % sum(results))
    print('refusals_with_message %d' % upload.full_messages)
    return 0


def cmd_interrupt(a):
    """An upload whose connection drops half way."""
    t = connect(a.port, a.user, a.password)
    sftp = paramiko.SFTPClient.from_transport(t)
    f = sftp.open('inbox/interrupted.csv', 'wb')
    f.set_pipelined(False)
    for _ in range(8):
        f.write(b'z' * 32768)
        f.flush()
    parts = [n for n in os.listdir(os.path.join(a.area, 'inbox')) if n.endswith('.part')]
    print('part_while_uploading %d' % len(parts))
    t.sock.close()  # no close request, no SSH disconnect: the line drops
    return 0


def cmd_exec(a):
    """Runs a client command (the rest of the arguments) with --input as
    its standard input, sampling the peak RSS of every kascond process
    meanwhile."""
    peak = [0]
    stop = [False]

    def watch():
        while not stop[0]:
            for p in descendants(a.server):
                peak[0] = max(peak[0], peak_rss_kib(p))
            time.sleep(0.02)
    w = threading.Thread(target=watch)
    w.start()
    start = time.time()
    with open(a.input, 'rb') as f, open(a.stderr, 'wb') as err:
        p = subprocess.run(a.rest, stdin=f, stdout=subprocess.DEVNULL, stderr=err)
    took = time.time() - start
    stop[0] = True
    w.join()
    print('exit_status %d' % p.returncode)
    print('seconds %.1f' % took)
    print('peak_rss_kib %d' % peak[0])
    return 0


def cmd_sftp_idle(a):
    """An SFTP session that sends nothing: how long until the server ends it."""
    t = connect(a.port, a.user, a.password)
    sftp = paramiko.SFTPClient.from_transport(t)
    sftp.listdir('inbox')
    start = time.time()
    while t.is_active() and not sftp.sock.closed and time.time() - start < 60:
        if sftp.sock.recv_ready() or sftp.sock.eof_received:
            break
        time.sleep(0.1)
    print('ended_after %.0f' % (time.time() - start))
    t.close()
    return 0


def cmd_nul(a):
    """A name with a NUL byte over SFTP and scp; passwords with control bytes."""
    t = connect(a.port, a.user, a.password)
    sftp = paramiko.SFTPClient.from_transport(t)
    try:
        f = sftp.open('inbox/a\x00b.csv', 'wb')
        f.write(b'x')
        f.close()
        print('nul_name_refused 0')
    except (IOError, OSError) as e:
        print('nul_name_refused 1')
        print('nul_name_message %s' % str(e).replace('\n', ' '))
    sftp.close()
    t.close()
    # The same name in a file record of the legacy scp protocol.
    t = connect(a.port, a.user, a.password)
    ch = t.open_session()
    ch.exec_command('scp -t inbox/')
    ready = ch.recv(1)
    ch.sendall(b'C0600 1 a\x00b.csv\n')
    answer = ch.recv(200) if select.select([ch], [], [], 30)[0] else b''
    print('scp_nul_name_refused %d' % (ready == b'\x00' and answer[:1] == b'\x01'))
    print('scp_nul_name_message %s' % answer[1:].decode(errors='replace').strip())
    ch.close()
    t.close()
    for suffix, name in (('\x01', 'control'), ('\x00junk', 'nul')):
        try:
            tt = connect(a.port, a.user, a.password + suffix)
            tt.close()
            print('password_%s_accepted 1' % name)
        except paramiko.AuthenticationException:
            print('password_%s_accepted 0' % name)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int)
    ap.add_argument('--user')
    ap.add_argument('--password')
    ap.add_argument('--server', type=int, help='kascond pid')
    ap.add_argument('--count', type=int, default=300)
    ap.add_argument('--expect', default='')
    ap.add_argument('--kascon')
    ap.add_argument('--db')
    ap.add_argument('--area')
    ap.add_argument('--size', type=int, default=0)
    ap.add_argument('--quota', type=int, default=0)
    ap.add_argument('--input')
    ap.add_argument('--stderr')
    ap.add_argument('--ext')
    ap.add_argument('--flag')
    ap.add_argument('command')
    ap.add_argument('rest', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    return {'resize': cmd_resize, 'console-resize': cmd_console_resize, 'quota': cmd_quota,
            'interrupt': cmd_interrupt, 'exec': cmd_exec, 'sftp-idle': cmd_sftp_idle, 'nul': cmd_nul,
            'hold': cmd_hold}[a.command](a)


if __name__ == '__main__':
    sys.exit(main())

"""Running the real portinfo binary for the integration tests (standard library only).

Every run gets a clean environment: no NO_COLOR, no terminal, and an empty data directory of
its own, so that an imported registry on the machine (PORTINFO_DATA_DIR or the installed
default) cannot change the answers.
"""

import os
import re
import subprocess
import sys
import tempfile

_DATA_DIR = tempfile.TemporaryDirectory(prefix="portinfo-test-data-")

ESC = "\x1b"
WIDTH = 80


def portinfo_path():
    """The binary under test: the first argument, as meson passes it."""
    if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
        sys.stderr.write("usage: %s PATH-TO-PORTINFO [ARGS]\n" % sys.argv[0])
        sys.exit(2)
    return os.path.abspath(sys.argv[1])


def clean_env(**extra):
    """The environment for one run; a value of None removes that variable."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "PORTINFO_DATA_DIR", "COLUMNS", "TERM")}
    env["PORTINFO_DATA_DIR"] = _DATA_DIR.name
    env["LC_ALL"] = "C.UTF-8"
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


class Result:
    def __init__(self, args, rc, out, err):
        self.args = args
        self.rc = rc
        self.out = out
        self.err = err

    def __repr__(self):
        return "portinfo %r -> %d\n--- stdout ---\n%s--- stderr ---\n%s" % (
            self.args, self.rc, self.out[:2000], self.err[:2000])


def run(binary, args, env=None, timeout=30):
    """Runs portinfo with @args, stdout and stderr captured as text (UTF-8)."""
    p = subprocess.run([binary] + list(args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env if env is not None else clean_env(), timeout=timeout)
    return Result(args, p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8"))


def run_tty(binary, args, env=None, timeout=30):
    """Runs portinfo with stdout on a pseudo-terminal (80 columns, as a terminal reports none
    narrower), stderr captured.  Text on a terminal is wrapped; on a pipe it is not."""
    import pty
    import select
    master, slave = pty.openpty()
    p = subprocess.Popen([binary] + list(args), stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=subprocess.PIPE, env=env if env is not None else clean_env())
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            p.kill()
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = p.stderr.read()
    p.wait(timeout)
    out = b"".join(chunks).replace(b"\r\n", b"\n")
    return Result(args, p.returncode, out.decode("utf-8"), err.decode("utf-8"))


def overlong_lines(text, width=WIDTH):
    """Lines wider than @width columns that wrapping should have avoided.  A line may be too
    wide only when it holds a word so long (a URL) that no wrapping would make it fit well:
    one of more than 50 columns, or more than the width less its line's indentation."""
    bad = []
    for line in text.split("\n"):
        if len(line) <= width:
            continue
        indent = len(line) - len(line.lstrip(" "))
        longest = max(len(w) for w in line.split())
        if longest <= 50 and indent + longest <= width:
            bad.append(line)
    return bad


ANSI = re.compile(r"\x1b\[[0-9;]*m")

"""Shared by the live tests that need a private network namespace (who, audit): run this very
script again inside one, or say why it cannot be done (exit 77, skipped)."""
import os
import shutil
import subprocess
import sys

SKIP = 77


def run_inside(script, args, flag, timeout=100):
    """Runs `python3 SCRIPT ARGS...` in a new network namespace (`unshare -n` as root, else a
    user namespace with it, `unshare -rn`) with environment variable @flag set to "1", and
    returns its exit status; SKIP when unshare is missing or namespaces are not allowed."""
    skip = 1 if os.environ.get("CI") == "true" else SKIP  # CI must run every check
    unshare = shutil.which("unshare")
    if not unshare:
        print("unshare is not installed: skipped")
        return skip
    cmd = [unshare, "-n"] if os.geteuid() == 0 else [unshare, "-rn"]
    probe = subprocess.run(cmd + ["true"], capture_output=True, text=True)
    if probe.returncode != 0:
        print("no private network namespace here (%s): skipped" % probe.stderr.strip())
        return skip
    env = dict(os.environ, **{flag: "1"})
    return subprocess.run(cmd + [sys.executable, script, *args], env=env,
                          timeout=timeout).returncode

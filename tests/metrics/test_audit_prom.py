#!/usr/bin/env python3
"""test_audit_prom: `portinfo audit --format prometheus` against real listeners.

Usage: test_audit_prom.py PORTINFO WHO_LISTENER

In a private network namespace (`unshare -n` as root, `unshare -rn` otherwise; exits 77 where
neither is allowed) starts who-listener twice: from the build tree (forked, so that two holders
share every socket) and a copy under /tmp in a directory whose name holds a double quote, a
backslash and a newline.  Then reads the metrics back with promtext (a strict parser of the
text format) and checks the listeners, the finding on the crafted path with its label escaped,
the totals against `audit --json`, that no series repeats, and the option's refusals.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtext  # noqa: E402
sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import nslib  # noqa: E402

PORTINFO, LISTENER = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SKIP = 77
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def outer():
    return nslib.run_inside(__file__, [PORTINFO, LISTENER], "PORTINFO_AUDIT_PROM_INNER")


def start(exe, *args):
    """Starts a listener; returns (process, pids, ports)."""
    p = subprocess.Popen([exe, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    pids, ports = set(), []
    for line in p.stdout:
        words = line.split()
        if words[0] in ("pid", "child"):
            pids.add(int(words[1]))
        elif words[0] == "port":
            ports.append(int(words[2]))
        elif words[0] == "ready":
            break
    if not pids:
        raise SystemExit("%s did not start" % exe)
    return p, pids, ports


def portinfo(*args):
    # Root may still be refused a process or two (then the audit is incomplete and exits 2);
    # the findings are what is checked here.
    if args[:1] == ("audit",):
        args = (*args, "--partial-ok")
    p = subprocess.run([PORTINFO, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def inner():
    if not shutil.which("ip") or subprocess.run(["ip", "link", "set", "lo", "up"]).returncode:
        print("cannot bring up lo in the namespace: skipped")
        return 1 if os.environ.get("CI") == "true" else SKIP
    tmp = tempfile.mkdtemp(prefix="portinfo-prom-", dir="/tmp")
    crafted_dir = os.path.join(tmp, 'odd "dir"\\ with\na newline')
    os.mkdir(crafted_dir)
    crafted = os.path.join(crafted_dir, "who-listener")
    shutil.copy2(LISTENER, crafted)
    procs = []
    try:
        main = start(LISTENER, "--fork", "tcp4:127.0.0.1:0", "udp6:::1:0", "tcp6::::0")
        procs.append(main[0])
        odd = start(crafted, "tcp4:0.0.0.0:0")
        procs.append(odd[0])
        run_checks(main, odd, crafted)
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    print("%d failures" % len(failures))
    return 1 if failures else 0


def run_checks(main, odd, crafted):
    _, _, (tcp4, udp6, tcp6) = main
    _, _, (odd_port,) = odd
    t0 = time.time()
    rc, out, err = portinfo("audit", "--format", "prometheus", "--min-severity", "low",
                            "--allowlist", "/dev/null")
    check(rc == 1, "audit --format prometheus: status %d, want 1 (findings): %s" % (rc, err))
    try:
        types, samples = promtext.parse(out)
    except ValueError as e:
        failures.append("the output does not parse: %s\n%s" % (e, out[:2000]))
        return
    for name in ("portinfo_listener", "portinfo_audit_finding", "portinfo_audit_findings",
                 "portinfo_audit_min_severity", "portinfo_audit_unreadable_processes",
                 "portinfo_audit_complete",
                 "portinfo_audit_last_run_timestamp_seconds"):
        check(types.get(name) == "gauge", "%s: type %s" % (name, types.get(name)))

    promtool = shutil.which("promtool")
    check(promtool or os.environ.get("CI") != "true",
          "promtool is missing (tools/deps/test/serve.txt); CI=true must run its check")
    if promtool:
        p = subprocess.run([promtool, "check", "metrics"], input=out.encode(),
                           capture_output=True)
        check(p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(),
              "promtool check metrics: %r %r" % (p.stdout, p.stderr))

    listeners = [ls for n, ls, v in samples if n == "portinfo_listener"]
    check(all(v == 1 for n, _, v in samples if n == "portinfo_listener"), "listener values")
    user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    want = {("tcp", "127.0.0.1", str(tcp4), LISTENER), ("udp", "::1", str(udp6), LISTENER),
            ("tcp", "::", str(tcp6), LISTENER), ("tcp", "0.0.0.0", str(odd_port), crafted)}
    got = {(ls["proto"], ls["address"], ls["port"], ls["exe"]) for ls in listeners}
    check(got == want, "listeners: %r, want %r" % (got, want))
    # Two holders (parent and forked child) of one executable: one series each socket.
    check(len(listeners) == len(want), "%d listener series, want %d" % (len(listeners),
                                                                         len(want)))
    check(all(ls.get("user") in (user, str(os.geteuid())) for ls in listeners),
          "user labels: %r" % [ls.get("user") for ls in listeners])
    check(all(set(ls) == {"proto", "address", "port", "exe", "user"} for ls in listeners),
          "listener label names: %r" % listeners)

    # The crafted path, escaped on the wire and whole once read back.
    escaped = crafted.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    check('exe="%s"' % escaped in out, "the crafted path is not escaped as expected")
    check(all("\n" not in ls["exe"] or ls["exe"] == crafted for ls in listeners),
          "a newline in a label that is not the crafted path")
    findings = [ls for n, ls, v in samples if n == "portinfo_audit_finding"]
    # A checkout under /tmp (or in a hidden directory) makes the build tree's own listener a
    # rightful high finding too: then only the crafted one is looked at.
    tree_suspect = LISTENER.startswith(("/tmp/", "/var/tmp/", "/dev/shm/")) or any(
        p.startswith(".") and p not in (".", "..") for p in LISTENER.split("/"))
    if tree_suspect:
        findings = [f for f in findings if f["exe"] != LISTENER]
    temp = [f for f in findings if f["rule"] == "exe-temp-dir"]
    check(len(temp) == 1 and temp[0]["exe"] == crafted and temp[0]["severity"] == "high" and
          temp[0]["port"] == str(odd_port) and temp[0]["proto"] == "tcp",
          "exe-temp-dir finding: %r" % temp)
    check(not [f for f in findings if f["exe"] == LISTENER and f["severity"] == "high"],
          "a high finding on the build tree's listener: %r" % findings)

    # Totals agree with --json, and the threshold is said.
    rc, js, err = portinfo("audit", "--json", "--min-severity", "low", "--allowlist",
                           "/dev/null")
    check(rc == 1, "audit --json: status %d: %s" % (rc, err))
    counts = json.loads(js)["findings"] if rc in (0, 1) else {}
    # One per rule and listener, as the finding series count them (an executable more, or an
    # SO_REUSEPORT twin, is not another finding); no listener here has a twin, so --json's
    # per-socket totals agree too.
    all_findings = [ls for n, ls, v in samples if n == "portinfo_audit_finding"]
    for sev in ("low", "medium", "high"):
        listeners = {(f["rule"], f["proto"], f["address"], f["port"]) for f in all_findings
                     if f["severity"] == sev}
        got = promtext.value(samples, "portinfo_audit_findings", severity=sev)
        check(got == len(listeners) == counts.get(sev),
              "findings{severity=%s}: %s, series %d, json %s" % (
                  sev, got, len(listeners), counts.get(sev)))
    check(promtext.value(samples, "portinfo_audit_min_severity", severity="low") == 1,
          "min_severity")
    ts = promtext.value(samples, "portinfo_audit_last_run_timestamp_seconds")
    check(ts is not None and t0 - 5 <= ts <= time.time() + 1, "last run: %r" % ts)

    # The default threshold (medium) leaves out the low findings.
    rc, out, _ = portinfo("audit", "--format=prometheus", "--allowlist", "/dev/null")
    _, samples = promtext.parse(out)
    check(not [ls for n, ls, _ in samples
               if n == "portinfo_audit_finding" and ls["severity"] == "low"],
          "low findings under the default threshold")
    check(promtext.value(samples, "portinfo_audit_min_severity", severity="medium") == 1,
          "the default threshold")

    # The option's other values and its refusals.
    rc, out, err = portinfo("audit", "--format", "json", "--allowlist", "/dev/null")
    check(rc == 1 and "listeners" in json.loads(out), "--format json: %d %s" % (rc, err))
    rc, out, err = portinfo("audit", "--format", "prometheus", "--json", "--allowlist",
                            "/dev/null")
    check(rc == 1 and out.startswith("{"), "--json after --format prometheus wins")
    rc, out, _ = portinfo("audit", "--format", "text", "--color=never", "--allowlist",
                          "/dev/null")
    check(rc == 1 and not out.startswith("#"), "--format text")
    for bad in (["--format", "yaml"], ["--format"], ["--format="]):
        rc, out, err = portinfo("audit", *bad)
        check(rc == 2 and out == "" and err.startswith("portinfo audit: ") and
              err.count("\n") == 1, "audit %r: %d %r %r" % (bad, rc, out, err))
    rc, out, err = portinfo("who", "--format", "prometheus")
    check(rc == 2 and out == "", "who takes no --format prometheus: %d %r" % (rc, out))
    rc, out, _ = portinfo("audit", "--help")
    check(rc == 0 and "--format" in out and "prometheus" in out, "audit --help")


if __name__ == "__main__":
    sys.exit(inner() if os.environ.get("PORTINFO_AUDIT_PROM_INNER") else outer())

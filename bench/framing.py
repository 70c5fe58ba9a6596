#!/usr/bin/env python3
"""framing.py: how servers frame the request-smuggling variants of portinfo's fault tests.

    framing.py NAME=PORT...

Sends each variant of tests/faults/attacks.py (a request framed so that two readers could read
it differently, with a second request behind it) on a fresh loopback connection to each server,
and prints a Markdown table: the answers' status codes, and whether the server closed the
connection.  What portinfo must do is the first column: one refusal, then the connection
closed.  Two answers mean the server read the hidden request as a request of its own.  Used by
bench/serve.sh beside the speed figures, so that a faster server's framing is seen with its
speed.  Loopback only; each exchange is bounded by TIMEOUT seconds (default 2).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "faults"))
from attacks import STATUS_LINE, exchange, smuggling_variants  # noqa: E402


def main():
    servers = []
    for arg in sys.argv[1:]:
        name, _, port = arg.partition("=")
        if not port.isdigit():
            sys.exit("usage: framing.py NAME=PORT...")
        servers.append((name, int(port)))
    if not servers:
        sys.exit("usage: framing.py NAME=PORT...")
    timeout = float(os.environ.get("TIMEOUT", "2"))
    print("| variant | wanted | " + " | ".join(n for n, _ in servers) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in servers) + " |")
    held = {n: 0 for n, _ in servers}
    variants = smuggling_variants()
    for name, text, statuses, _ in variants:
        cells = []
        for server, port in servers:
            try:
                got, closed = exchange(port, text, timeout=timeout)
            except OSError as e:
                cells.append("error: %s" % e.strerror)
                continue
            answers = [m.group(1).decode() for m in STATUS_LINE.finditer(got)]
            ok = len(answers) == 1 and int(answers[0]) in statuses and closed
            held[server] += ok
            cells.append("%s%s%s" % (", ".join(answers) or "none",
                                     ", closed" if closed else ", kept open",
                                     "" if ok else " **x**"))
        print("| %s | %s, closed | %s |" % (name, "/".join(map(str, statuses)), " | ".join(cells)))
    print()
    print("Refused and closed as wanted: " +
          ", ".join("%s %d of %d" % (n, held[n], len(variants)) for n, _ in servers) + ".")


if __name__ == "__main__":
    main()

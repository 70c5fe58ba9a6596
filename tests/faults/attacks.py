"""Attacks on `portinfo serve` for the fault tests, replayed as an attacker would run them:
floods of idle or slowloris sockets that reconnect as soon as they are cut, from one loopback
address or many; request-smuggling variants; pipelining with a half-close.  Python standard
library only; loopback only; every wait bounded."""
import errno
import http.client
import re
import resource
import selectors
import socket
import threading
import time

STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3}) ")
H = b"Host: 127.0.0.1\r\n"
FORM = b"Content-Type: application/x-www-form-urlencoded\r\n"


def raise_nofile(want):
    """Raises this process's open-file limit towards @want (the server inherits it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def sources(n, base="127.0.1."):
    """@n loopback addresses to connect from (all of 127/8 is this machine on Linux)."""
    return ["%s%d" % (base, 1 + i) for i in range(n)]


class Flood(threading.Thread):
    """@n sockets to the server, each reconnected as soon as the server closes it.

    mode "idle": connect and send nothing.  mode "slowloris": send half a request, then one
    header byte a second.  The sockets are spread round robin over @srcs (local addresses)."""

    def __init__(self, port, n, mode="idle", srcs=("127.0.0.1",)):
        super().__init__(daemon=True)
        self.port, self.n, self.mode, self.srcs = port, n, mode, list(srcs)
        self.sel = selectors.DefaultSelector()
        self.stopping = threading.Event()
        self.connects = 0
        self.cuts = 0
        self.failures = 0
        self.open = 0
        self.ready = threading.Event()

    def _connect(self, i):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.bind((self.srcs[i % len(self.srcs)], 0))
            err = s.connect_ex(("127.0.0.1", self.port))
        except OSError:
            s.close()
            self.failures += 1
            return False
        if err not in (0, errno.EINPROGRESS):
            s.close()
            self.failures += 1
            return False
        self.connects += 1
        self.sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, [i, False])
        return True

    def _cut(self, s, data):
        self.sel.unregister(s)
        s.close()
        self.cuts += 1
        if not self.stopping.is_set():
            self._connect(data[0])

    def run(self):
        for i in range(self.n):
            self._connect(i)
        self.ready.set()
        last_trickle = time.monotonic()
        while not self.stopping.is_set():
            for key, mask in self.sel.select(timeout=0.2):
                s, data = key.fileobj, key.data
                if mask & selectors.EVENT_WRITE and not data[1]:
                    data[1] = True  # connected (or failed: the read below tells)
                    if self.mode == "slowloris":
                        try:
                            s.send(b"GET /ports/22 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                        except OSError:
                            self._cut(s, data)
                            continue
                    self.sel.modify(s, selectors.EVENT_READ, data)
                    continue
                if mask & selectors.EVENT_READ:
                    try:
                        got = s.recv(4096)
                    except BlockingIOError:
                        continue
                    except OSError:
                        got = b""
                    if not got:
                        self._cut(s, data)
            now = time.monotonic()
            if self.mode == "slowloris" and now - last_trickle >= 1:
                last_trickle = now
                for key in list(self.sel.get_map().values()):
                    if key.data[1]:
                        try:
                            key.fileobj.send(b"a")
                        except OSError:
                            pass
            self.open = len(self.sel.get_map())
        for key in list(self.sel.get_map().values()):
            key.fileobj.close()
        self.sel.close()

    def stop(self):
        self.stopping.set()
        self.join(10)


def timed_gets(port, paths, count, timeout, src=None, pause=0.0):
    """@count requests (fresh connection each, from @src if given), cycling through @paths.
    Returns (seconds of each answered one, [(i, why) of the others])."""
    times, failed = [], []
    for i in range(count):
        t0 = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                           source_address=(src, 0) if src else None)
            c.request("GET", paths[i % len(paths)])
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200:
                times.append(time.monotonic() - t0)
            else:
                failed.append((i, r.status))
        except OSError as e:
            failed.append((i, "%s after %.1f s" % (type(e).__name__, time.monotonic() - t0)))
        if pause:
            time.sleep(pause)
    return times, failed


def percentiles(times):
    """(p50, p95, max) in milliseconds, or None."""
    if not times:
        return None
    t = sorted(times)
    return (t[len(t) // 2] * 1000, t[min(len(t) - 1, int(len(t) * 0.95))] * 1000, t[-1] * 1000)


def smuggled(name):
    return b"GET /smuggled-" + name.encode() + b" HTTP/1.1\r\n" + H + b"\r\n"


def vote_post(port, fields, body):
    return (b"POST /ports/%d/feedback HTTP/1.1\r\n" % port) + H + FORM + fields + b"\r\n" + body


# Each: (name, bytes, statuses allowed, port whose vote must not be recorded or None).  The
# request after the refused one (or the body that a lenient reader would take for one) asks
# for /smuggled-NAME: it must never be answered nor logged.
def smuggling_variants():
    v = []

    def add(name, data, statuses=(400,), vote=None):
        v.append((name, data, statuses, vote))

    add("transfer-encoding identity",
        vote_post(4101, b"Transfer-Encoding: identity\r\n", smuggled("te-identity")))
    add("transfer-encoding xchunked",
        vote_post(4102, b"Transfer-Encoding: xchunked\r\n", smuggled("te-xchunked")))
    add("transfer-encoding beside content-length",
        vote_post(4103, b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                  b"0\r\n\r\n" + smuggled("cl-te")))
    add("content-length +10",
        vote_post(4104, b"Content-Length: +10\r\n", b"vote=happy" + smuggled("cl-plus")),
        vote=4104)
    add("two different content-lengths",
        vote_post(4105, b"Content-Length: 10\r\nContent-Length: 4\r\n",
                  b"vote=happy" + smuggled("cl-twice")), vote=4105)
    add("chunk size 0x0a",
        vote_post(4106, b"Transfer-Encoding: chunked\r\n",
                  b"0x0a\r\nvote=happy\r\n0\r\n\r\n" + smuggled("chunk-0x")), vote=4106)
    add("chunk size +a",
        vote_post(4107, b"Transfer-Encoding: chunked\r\n",
                  b"+a\r\nvote=happy\r\n0\r\n\r\n" + smuggled("chunk-plus")), vote=4107)
    add("chunk size with an extension",
        vote_post(4108, b"Transfer-Encoding: chunked\r\n",
                  b"a;x=1\r\nvote=happy\r\n0\r\n\r\n" + smuggled("chunk-ext")), vote=4108)
    add("space before a colon",
        b"GET /healthz HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n" + smuggled("space-colon"))
    add("space before the colon of transfer-encoding",
        vote_post(4109, b"Content-Length: 33\r\nTransfer-Encoding : chunked\r\n",
                  b"0\r\n\r\n" + smuggled("te-space")))
    add("no host in HTTP/1.1", b"GET /healthz HTTP/1.1\r\n\r\n" + smuggled("no-host"))
    add("two hosts", b"GET /healthz HTTP/1.1\r\n" + H + b"Host: elsewhere.example\r\n\r\n" +
        smuggled("two-hosts"))
    add("version HTTP/1.1000", b"GET /healthz HTTP/1.1000\r\n" + H + b"\r\n" +
        smuggled("v1000"), statuses=(505,))
    add("version HTTP/1.-24", b"GET /healthz HTTP/1.-24\r\n" + H + b"\r\n" + smuggled("vneg"))
    add("obs-fold", b"GET /healthz HTTP/1.1\r\n" + H + b"X-A: b\r\n Transfer-Encoding: chunked"
        b"\r\n\r\n" + smuggled("obs-fold"))
    add("body on HEAD", b"HEAD /healthz HTTP/1.1\r\n" + H + b"Content-Length: %d\r\n\r\n" %
        len(smuggled("head-body")) + smuggled("head-body"))
    return v


def exchange(port, data, timeout=5.0, half_close=False):
    """Sends @data on a fresh connection and reads until the server closes it or @timeout
    passes.  Returns (bytes, closed by the server)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    got, closed = b"", False
    end = time.monotonic() + timeout
    try:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        while time.monotonic() < end:
            s.settimeout(max(0.05, end - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            got += chunk
    finally:
        s.close()
    return got, closed


def pipelined_half_close(port, path, n, timeout=30.0):
    """@n pipelined GETs of @path, then a half-close.  Returns the statuses answered."""
    req = b"GET " + path.encode() + b" HTTP/1.1\r\n" + H + b"\r\n"
    got, _ = exchange(port, req * n, timeout=timeout, half_close=True)
    return [int(m.group(1)) for m in STATUS_LINE.finditer(got)]

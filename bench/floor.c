/* floor: the least an HTTP/1.1 server can do, as a reference for bench/serve.sh.
 *
 *   floor PORT FILE [LOOPS [calls]]
 *
 * Listens on 127.0.0.1:PORT with LOOPS threads (default 2), each with its own SO_REUSEPORT
 * socket and epoll set, and answers every request head it reads (every "\r\n\r\n") with the
 * bytes of FILE: a whole response, status line, headers and body, recorded from portinfo
 * beforehand.  It parses nothing, checks nothing, logs nothing and allocates nothing per
 * request: one read and one write a request, which is as few system calls as a keep-alive
 * HTTP server can make.  What it measures is the machine's loopback TCP and wrk, so a real
 * server's speed beside it says how much room is left for any HTTP layer at all.
 *
 * With "calls" it also makes the two system calls a libevent bufferevent adds to each request
 * (an ioctl(FIONREAD) before the read, an epoll_ctl(EPOLL_CTL_MOD) that changes nothing after
 * the answer), to weigh them on their own.
 *
 * Bench use only: it never stops by itself (kill it), and it answers anything on loopback.
 */
#define _GNU_SOURCE /* memmem, accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_LOOPS 64
#define MAX_FD    65536 /* per-connection state is indexed by descriptor */

static const char *answer;
static size_t answer_len;
static int port;
static int calls; /* make libevent's two extra calls too */
/* The last three bytes of each connection's previous read, so that a head split between two
 * reads is still counted once.  A descriptor belongs to one loop, so no lock is needed. */
static unsigned char tail[MAX_FD][3];

static void die(const char *what)
{
        fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
        exit(1);
}

/* Counts the "\r\n\r\n" in @buf[0..n) together with @fd's kept tail, and keeps the new tail. */
static unsigned heads(int fd, const char *buf, size_t n)
{
        static const char end[4] = { '\r', '\n', '\r', '\n' };
        unsigned char *t = tail[fd];
        unsigned count = 0;

        /* a terminator that starts in the kept tail (k of its bytes there) */
        for (size_t k = 1; k <= 3; k++) {
                size_t need = 4 - k;

                if (n >= need && memcmp(t + 3 - k, end, k) == 0 && memcmp(buf, end + k, need) == 0)
                        count++;
        }
        for (const char *p = buf; (p = memmem(p, (size_t)(buf + n - p), end, 4)) != NULL; p += 4)
                count++;
        if (n >= 3) {
                memcpy(t, buf + n - 3, 3);
        } else {
                memmove(t, t + n, 3 - n);
                memcpy(t + 3 - n, buf, n);
        }
        return count;
}

static void *loop(void *unused)
{
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        struct epoll_event ev = { .events = EPOLLIN }, evs[256];
        int one = 1, ls, ep;
        char buf[16384];

        (void)unused;
        ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0 ||
            bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 1024) < 0)
                die("listen");
        ep = epoll_create1(EPOLL_CLOEXEC);
        ev.data.fd = ls;
        if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev) < 0)
                die("epoll");
        for (;;) {
                int n = epoll_wait(ep, evs, 256, -1);

                for (int i = 0; i < n; i++) {
                        int fd = evs[i].data.fd, c;
                        ssize_t got;

                        if (fd == ls) {
                                while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                                        if (c >= MAX_FD) {
                                                close(c);
                                                continue;
                                        }
                                        memset(tail[c], 0, 3);
                                        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                                        ev.data.fd = c;
                                        if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) < 0)
                                                close(c);
                                }
                                continue;
                        }
                        if (calls) {
                                int avail;

                                ioctl(fd, FIONREAD, &avail);
                        }
                        got = read(fd, buf, sizeof(buf));
                        if (got <= 0) {
                                if (got < 0 && errno == EAGAIN)
                                        continue;
                                close(fd);
                                continue;
                        }
                        for (unsigned k = heads(fd, buf, (size_t)got); k > 0; k--) {
                                if (write(fd, answer, answer_len) != (ssize_t)answer_len) {
                                        close(fd); /* a short write: the bench's client is gone */
                                        break;
                                }
                        }
                        if (calls) {
                                ev.data.fd = fd;
                                epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
                        }
                }
        }
        return NULL;
}

int main(int argc, char **argv)
{
        pthread_t t[MAX_LOOPS];
        int loops = argc > 3 ? atoi(argv[3]) : 2;

        calls = argc > 4 && strcmp(argv[4], "calls") == 0;
        FILE *f;
        long len;
        char *bytes;

        if (argc < 3 || (port = atoi(argv[1])) <= 0 || port > 65535 || loops < 1 ||
            loops > MAX_LOOPS) {
                fprintf(stderr, "usage: floor PORT FILE [LOOPS [calls]]\n");
                return 2;
        }
        f = fopen(argv[2], "rb");
        if (!f || fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) < 0)
                die(argv[2]);
        bytes = malloc((size_t)len);
        if (!bytes || fread(bytes, 1, (size_t)len, f) != (size_t)len)
                die(argv[2]);
        fclose(f);
        answer = bytes;
        answer_len = (size_t)len;
        for (int i = 0; i < loops; i++)
                if (pthread_create(&t[i], NULL, loop, NULL) != 0)
                        die("pthread_create");
        pthread_join(t[0], NULL);
        return 0;
}

/* who-listener: opens the sockets the live tests and the netlink recorder look for.
 *
 *   who-listener [--fork] SPEC ...
 *   SPEC: tcp4:ADDR:PORT  tcp6:ADDR:PORT  tcp6only:ADDR:PORT  udp4:ADDR:PORT  udp6:ADDR:PORT
 *         conn:N  (a TCP connection to the listener of spec N, 0-based, accepted here too)
 *
 * PORT 0 lets the kernel choose.  Prints "pid P", with --fork "child C" (a child holding every
 * socket too), one "port I N" line per spec, then "ready"; holds everything until stdin closes.
 * Not part of portinfo: a test helper, which also gets copied into /tmp on purpose.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SPECS 32

static void die(const char *what, const char *spec)
{
        fprintf(stderr, "who-listener: %s %s: %s\n", what, spec, strerror(errno));
        exit(1);
}

static int parse_port(const char *s)
{
        char *end;
        long v = strtol(s, &end, 10);

        return *end || v < 0 || v > 65535 ? -1 : (int)v;
}

/* Opens one listening socket; returns its fd and stores its port. */
static int open_spec(const char *spec, int *ret_port)
{
        char kind[16], addr[64];
        const char *c1 = strchr(spec, ':'), *c2 = strrchr(spec, ':');
        struct sockaddr_storage ss = {0};
        socklen_t len;
        int v6, udp, only, fd, port, one = 1;

        if (!c1 || c1 == c2 || (size_t)(c1 - spec) >= sizeof(kind) ||
            (size_t)(c2 - c1 - 1) >= sizeof(addr))
                die("bad spec", spec);
        snprintf(kind, sizeof(kind), "%.*s", (int)(c1 - spec), spec);
        snprintf(addr, sizeof(addr), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
        port = parse_port(c2 + 1);
        v6 = strstr(kind, "6") != NULL;
        udp = strncmp(kind, "udp", 3) == 0;
        only = strcmp(kind, "tcp6only") == 0;
        if (port < 0 || (!udp && strncmp(kind, "tcp", 3) != 0))
                die("bad spec", spec);
        fd = socket(v6 ? AF_INET6 : AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
        if (fd < 0)
                die("socket", spec);
        if (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &(int){only}, sizeof(int)) < 0)
                die("IPV6_V6ONLY", spec);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (v6) {
                struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

                a->sin6_family = AF_INET6;
                a->sin6_port = htons((uint16_t)port);
                if (inet_pton(AF_INET6, addr, &a->sin6_addr) != 1)
                        die("bad address", spec);
                len = sizeof(*a);
        } else {
                struct sockaddr_in *a = (struct sockaddr_in *)&ss;

                a->sin_family = AF_INET;
                a->sin_port = htons((uint16_t)port);
                if (inet_pton(AF_INET, addr, &a->sin_addr) != 1)
                        die("bad address", spec);
                len = sizeof(*a);
        }
        if (bind(fd, (struct sockaddr *)&ss, len) < 0)
                die("bind", spec);
        if (!udp && listen(fd, 16) < 0)
                die("listen", spec);
        len = sizeof(ss);
        if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
                die("getsockname", spec);
        *ret_port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                             : ((struct sockaddr_in *)&ss)->sin_port);
        return fd;
}

/* Connects to listener @lfd (TCP) and accepts the connection: two more sockets. */
static void connect_to(int lfd, const char *spec)
{
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        int c;

        if (getsockname(lfd, (struct sockaddr *)&ss, &len) < 0)
                die("getsockname", spec);
        c = socket(ss.ss_family, SOCK_STREAM, 0);
        if (c < 0 || connect(c, (struct sockaddr *)&ss, len) < 0)
                die("connect", spec);
        if (accept(lfd, NULL, NULL) < 0)
                die("accept", spec);
}

int main(int argc, char **argv)
{
        int fds[MAX_SPECS], ports[MAX_SPECS], n = 0, do_fork = 0;
        pid_t child = 0;
        char c;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--fork") == 0) {
                        do_fork = 1;
                        continue;
                }
                if (n == MAX_SPECS)
                        die("too many specs", argv[i]);
                if (strncmp(argv[i], "conn:", 5) == 0) {
                        int k = parse_port(argv[i] + 5);

                        if (k < 0 || k >= n || fds[k] < 0)
                                die("bad connection spec", argv[i]);
                        connect_to(fds[k], argv[i]);
                        fds[n] = -1;
                        ports[n++] = ports[k];
                        continue;
                }
                fds[n] = open_spec(argv[i], &ports[n]);
                n++;
        }
        signal(SIGPIPE, SIG_IGN);
        if (do_fork) {
                child = fork();
                if (child < 0)
                        die("fork", "");
                if (child == 0) {
                        prctl(PR_SET_PDEATHSIG, SIGKILL);
                        for (;;)
                                pause();
                }
        }
        printf("pid %d\n", (int)getpid());
        if (child)
                printf("child %d\n", (int)child);
        for (int i = 0; i < n; i++)
                printf("port %d %d\n", i, ports[i]);
        printf("ready\n");
        fflush(stdout);
        while (read(0, &c, 1) > 0)
                ;
        if (child) {
                kill(child, SIGKILL);
                waitpid(child, NULL, 0);
        }
        return 0;
}

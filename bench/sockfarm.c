/* sockfarm: a bounded table of TCP sockets on loopback for bench/who.sh.
 *
 * Forks NPROC processes; each listens on 127.0.0.1 (a kernel-chosen port), connects NCONN clients
 * to the next process's listener (a ring) and accepts NCONN, so every process holds 1 + 2 * NCONN
 * sockets and each listening port is seen from two processes.  With NLISTEN (default 1) each
 * process listens on that many ports (the first one takes the ring's connections), for a table of
 * many listeners.  Prints the first listening port of each process, one a line, then "ready", and
 * holds everything until stdin closes or a signal arrives; the children die with the parent
 * (PR_SET_PDEATHSIG).  It does not touch anything but loopback.
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

#define MAX_PROCS  1000
#define MAX_CONNS  200
#define MAX_LISTEN 200

static void die(const char *what)
{
        fprintf(stderr, "sockfarm: %s: %s\n", what, strerror(errno));
        _exit(1);
}

static int read_full(int fd, void *p, size_t n)
{
        char *c = p;

        while (n > 0) {
                ssize_t k = read(fd, c, n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return -1;
                c += k;
                n -= (size_t)k;
        }
        return 0;
}

/* One member of the ring: listen, report the port, learn the neighbour's, connect, accept. */
static void child(int up, int down, int nconn, int nlisten, pid_t parent)
{
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        socklen_t alen = sizeof(a);
        unsigned short port, target;
        int l, fd;

        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
                _exit(1);
        l = socket(AF_INET, SOCK_STREAM, 0);
        if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, nconn + 16) < 0 ||
            getsockname(l, (struct sockaddr *)&a, &alen) < 0)
                die("listen");
        port = ntohs(a.sin_port);
        for (int i = 1; i < nlisten; i++) {
                struct sockaddr_in b = {.sin_family = AF_INET,
                                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

                fd = socket(AF_INET, SOCK_STREAM, 0);
                if (fd < 0 || bind(fd, (struct sockaddr *)&b, sizeof(b)) < 0 || listen(fd, 4) < 0)
                        die("listen");
        }
        if (write(up, &port, sizeof(port)) != sizeof(port) ||
            read_full(down, &target, sizeof(target)) < 0)
                die("pipe");
        a.sin_port = htons(target);
        for (int i = 0; i < nconn; i++) {
                fd = socket(AF_INET, SOCK_STREAM, 0);
                if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
                        die("connect");
        }
        for (int i = 0; i < nconn; i++)
                if (accept(l, NULL, NULL) < 0)
                        die("accept");
        if (write(up, &port, sizeof(port)) != sizeof(port))
                die("pipe");
        for (;;)
                pause();
}

/* A decimal in [lo, hi], or -1. */
static int number(const char *s, int lo, int hi)
{
        char *end;
        long v = strtol(s, &end, 10);

        return *s && !*end && v >= lo && v <= hi ? (int)v : -1;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
        (void)sig;
        stop = 1;
}

int main(int argc, char **argv)
{
        static pid_t pids[MAX_PROCS];
        static unsigned short ports[MAX_PROCS];
        static int down[MAX_PROCS];
        int nproc, nconn, nlisten = 1, up[2];
        pid_t self = getpid();
        char c;

        if ((argc != 3 && argc != 4) || (nproc = number(argv[1], 2, MAX_PROCS)) < 0 ||
            (nconn = number(argv[2], 0, MAX_CONNS)) < 0 ||
            (argc == 4 && (nlisten = number(argv[3], 1, MAX_LISTEN)) < 0)) {
                fprintf(stderr, "usage: sockfarm NPROC(2-%d) NCONN(0-%d) [NLISTEN(1-%d)]\n",
                        MAX_PROCS, MAX_CONNS, MAX_LISTEN);
                return 2;
        }
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        signal(SIGPIPE, SIG_IGN);
        if (pipe(up) < 0)
                die("pipe");
        for (int i = 0; i < nproc; i++) {
                int d[2];

                if (pipe(d) < 0)
                        die("pipe");
                pids[i] = fork();
                if (pids[i] < 0)
                        die("fork");
                if (pids[i] == 0) {
                        close(up[0]);
                        close(d[1]);
                        for (int j = 0; j < i; j++)
                                close(down[j]);
                        child(up[1], d[0], nconn, nlisten, self);
                }
                close(d[0]);
                down[i] = d[1];
                /* The order of reports is the order of forks: each child reports before the
                 * parent forks the next one. */
                if (read_full(up[0], &ports[i], sizeof(ports[i])) < 0)
                        die("child");
        }
        for (int i = 0; i < nproc; i++) {
                unsigned short t = ports[(i + 1) % nproc];

                if (write(down[i], &t, sizeof(t)) != sizeof(t))
                        die("pipe");
        }
        for (int i = 0; i < nproc; i++) {
                unsigned short p;

                if (read_full(up[0], &p, sizeof(p)) < 0)
                        die("child");
        }
        for (int i = 0; i < nproc; i++)
                printf("%u\n", ports[i]);
        printf("ready\n");
        fflush(stdout);
        while (!stop && read(0, &c, 1) > 0)
                ;
        for (int i = 0; i < nproc; i++)
                kill(pids[i], SIGKILL);
        while (wait(NULL) > 0)
                ;
        return 0;
}

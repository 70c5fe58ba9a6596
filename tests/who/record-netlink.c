/* record-netlink: asks the kernel one sock_diag dump and writes the raw replies to stdout, for
 * tests/fixtures/netlink/ (the decoder's tests replay them without a kernel).
 *
 *   record-netlink FAMILY PROTO STATES [PORT ...]
 *   FAMILY 4, 6 or 0 (both, TCP only); PROTO tcp or udp; STATES "all", "listen" (TCP LISTEN, UDP
 *   unconnected) or a
 *   number (a state bit mask).  With ports, the request carries the kernel-side port filter.
 *
 * Meant to be run in a private network namespace with known listeners (record-fixtures.sh).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sockdiag.h"

struct ctx {
        enum proto proto;
};

/* Writes each reply as it came and stops after the one that ends the dump. */
static int write_reply(const void *buf, size_t n, void *data)
{
        struct ctx *c = data;
        struct sock_table t = {0};
        int r = sockdiag_decode(buf, n, c->proto, &t);

        sock_table_done(&t);
        if (fwrite(buf, 1, n, stdout) != n)
                return -EIO;
        return r;
}

int main(int argc, char **argv)
{
        uint32_t buf[8192];
        uint16_t ports[64];
        size_t n_ports = 0;
        struct ctx c;
        uint32_t states;
        int family, len, r;

        if (argc < 4) {
                fputs("usage: record-netlink 4|6|0 tcp|udp all|listen|MASK [PORT ...]\n", stderr);
                return 2;
        }
        family = strcmp(argv[1], "6") == 0   ? AF_INET6
                 : strcmp(argv[1], "0") == 0 ? AF_UNSPEC
                                             : AF_INET;
        c.proto = strcmp(argv[2], "udp") == 0 ? PROTO_UDP : PROTO_TCP;
        if (strcmp(argv[3], "all") == 0)
                states = SOCK_STATES_ALL;
        else if (strcmp(argv[3], "listen") == 0)
                states = SOCK_STATE_BIT(c.proto == PROTO_TCP ? SOCK_LISTEN : SOCK_CLOSE);
        else
                states = (uint32_t)strtoul(argv[3], NULL, 0);
        for (int i = 4; i < argc && n_ports < 64; i++)
                ports[n_ports++] = (uint16_t)strtoul(argv[i], NULL, 10);
        len = sockdiag_build_request(buf, sizeof(buf), family, c.proto, states, ports, n_ports, 1);
        if (len < 0) {
                fprintf(stderr, "record-netlink: request: %s\n", strerror(-len));
                return 1;
        }
        r = sockdiag_exchange(buf, (size_t)len, write_reply, &c);
        if (r < 0) {
                fprintf(stderr, "record-netlink: %s\n", strerror(-r));
                return 1;
        }
        return fflush(stdout) == 0 ? 0 : 1;
}

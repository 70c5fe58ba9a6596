/* record-netlink: asks the kernel one sock_diag dump and writes the raw replies to stdout, for
 * tests/fixtures/netlink/ (the decoder's tests replay them without a kernel).
 *
 *   record-netlink FAMILY PROTO STATES [PORT ...]
 *   FAMILY 4 or 6; PROTO tcp or udp; STATES "all", "listen" (TCP LISTEN, UDP unconnected) or a
 *   number (a state bit mask).  With ports, the request carries the kernel-side port filter.
 *
 * Meant to be run in a private network namespace with known listeners (tests/who/README.md).
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sockdiag.h"

int main(int argc, char **argv)
{
        uint32_t buf[8192];
        uint16_t ports[64];
        size_t n_ports = 0;
        struct mnl_socket *nl;
        enum proto proto;
        uint32_t states;
        int family, len, done = 0;

        if (argc < 4) {
                fputs("usage: record-netlink 4|6 tcp|udp all|listen|MASK [PORT ...]\n", stderr);
                return 2;
        }
        family = strcmp(argv[1], "6") == 0 ? AF_INET6 : AF_INET;
        proto = strcmp(argv[2], "udp") == 0 ? PROTO_UDP : PROTO_TCP;
        if (strcmp(argv[3], "all") == 0)
                states = SOCK_STATES_ALL;
        else if (strcmp(argv[3], "listen") == 0)
                states = SOCK_STATE_BIT(proto == PROTO_TCP ? SOCK_LISTEN : SOCK_CLOSE);
        else
                states = (uint32_t)strtoul(argv[3], NULL, 0);
        for (int i = 4; i < argc && n_ports < 64; i++)
                ports[n_ports++] = (uint16_t)strtoul(argv[i], NULL, 10);
        len = sockdiag_build_request(buf, sizeof(buf), family, proto, states, ports, n_ports, 1);
        if (len < 0) {
                fprintf(stderr, "record-netlink: request: %s\n", strerror(-len));
                return 1;
        }
        nl = mnl_socket_open(NETLINK_SOCK_DIAG);
        if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
            mnl_socket_sendto(nl, buf, (size_t)len) < 0) {
                perror("record-netlink");
                return 1;
        }
        while (!done) {
                ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
                struct sock_table t = {0};

                if (n <= 0) {
                        perror("record-netlink: recv");
                        return 1;
                }
                fwrite(buf, 1, (size_t)n, stdout);
                done = sockdiag_decode(buf, (size_t)n, proto, &t) != 0;
                sock_table_done(&t);
        }
        mnl_socket_close(nl);
        return 0;
}

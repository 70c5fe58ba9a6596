/* fuzz-procnet: the /proc/net/{tcp,tcp6,udp,udp6} parser on any text.
 *
 * The first byte picks the table (protocol and family) and a filter; the rest is the table.
 * Seeds: the tables of tests/fixtures/proc/net/.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const uint16_t ports[] = {22, 5001};
        struct sockdiag_query q = {
            .protos = PROTO_MASK_TCP_UDP,
            .families = SOCKDIAG_V4 | SOCKDIAG_V6,
            .tcp_states = SOCK_STATES_ALL,
            .udp_states = SOCK_STATES_ALL,
        };
        struct sock_table t = {0};
        enum proto proto;
        int family, n;

        if (size < 1)
                return 0;
        proto = data[0] & 1 ? PROTO_UDP : PROTO_TCP;
        family = data[0] & 2 ? AF_INET6 : AF_INET;
        if (data[0] & 4) {
                q.ports = ports;
                q.n_ports = 2;
        }
        if (data[0] & 8)
                q.tcp_states = q.udp_states =
                    SOCK_STATE_BIT(SOCK_LISTEN) | SOCK_STATE_BIT(SOCK_CLOSE);
        n = procnet_parse((const char *)data + 1, size - 1, proto, family, &q, &t);
        if (n >= 0 && (size_t)n != t.n)
                abort();
        for (size_t i = 0; i < t.n; i++)
                if (t.rows[i].state == 0 || t.rows[i].state >= SOCK_STATE_MAX)
                        abort();
        sock_table_done(&t);
        return 0;
}

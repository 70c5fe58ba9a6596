/* fuzz-sockdiag: the sock_diag reply decoder on any bytes.
 *
 * The first byte picks the protocol the dump was for; the rest is what recv() returned, copied
 * to an aligned buffer as a real receive buffer is.  Seeds: tests/fixtures/netlink/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sockdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct sock_table t = {0};
        uint32_t *buf;
        enum proto proto;

        if (size < 1)
                return 0;
        proto = data[0] & 1 ? PROTO_UDP : PROTO_TCP;
        buf = malloc(size);
        if (!buf)
                return 0;
        memcpy(buf, data + 1, size - 1);
        if (sockdiag_decode(buf, size - 1, proto, &t) >= 0) {
                /* Every row decoded is whole: read every field. */
                for (size_t i = 0; i < t.n; i++)
                        if (t.rows[i].family != 2 && t.rows[i].family != 10)
                                abort();
        }
        sock_table_done(&t);
        free(buf);
        return 0;
}

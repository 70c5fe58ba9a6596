/* procnet: /proc/net/{tcp,tcp6,udp,udp6} text to socket rows.
 *
 * Addresses are printed as the kernel's own 32-bit words in hex (native byte order), ports and
 * states in hex, uid and inode in decimal (net/ipv4/tcp_ipv4.c, get_tcp4_sock).
 */
#include "procnet.h"

#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536

struct cursor {
        const char *p, *end;
};

static void skip_spaces(struct cursor *c)
{
        while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
                c->p++;
}

static int hexval(char ch)
{
        if (ch >= '0' && ch <= '9')
                return ch - '0';
        if (ch >= 'A' && ch <= 'F')
                return ch - 'A' + 10;
        if (ch >= 'a' && ch <= 'f')
                return ch - 'a' + 10;
        return -1;
}

/* Exactly @digits hex digits into *ret (at most 16). */
static bool take_hex(struct cursor *c, size_t digits, uint64_t *ret)
{
        uint64_t v = 0;

        if ((size_t)(c->end - c->p) < digits)
                return false;
        for (size_t i = 0; i < digits; i++) {
                int d = hexval(c->p[i]);

                if (d < 0)
                        return false;
                v = v << 4 | (uint64_t)d;
        }
        c->p += digits;
        *ret = v;
        return true;
}

/* A run of 1-16 hex digits. */
static bool take_hex_run(struct cursor *c, uint64_t *ret)
{
        size_t n = 0;

        while (c->p + n < c->end && n < 17 && hexval(c->p[n]) >= 0)
                n++;
        return n >= 1 && n <= 16 && take_hex(c, n, ret);
}

static bool take_dec(struct cursor *c, uint64_t *ret)
{
        uint64_t v = 0;
        size_t n = 0;

        for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++, n++) {
                unsigned d = (unsigned)(*c->p - '0');

                if (v > (UINT64_MAX - d) / 10)
                        return false;
                v = v * 10 + d;
        }
        *ret = v;
        return n > 0;
}

static bool take_char(struct cursor *c, char ch)
{
        if (c->p >= c->end || *c->p != ch)
                return false;
        c->p++;
        return true;
}

/* "0100007F:0016": the address words as the kernel stored them, then the port. */
static bool take_endpoint(struct cursor *c, int family, uint8_t addr[16], uint16_t *port)
{
        size_t words = family == AF_INET ? 1 : 4;
        uint64_t v;

        memset(addr, 0, 16);
        for (size_t i = 0; i < words; i++) {
                uint32_t w;

                if (!take_hex(c, 8, &v))
                        return false;
                w = (uint32_t)v;
                memcpy(addr + 4 * i, &w, 4); /* native order back to the bytes it came from */
        }
        if (!take_char(c, ':') || !take_hex(c, 4, &v))
                return false;
        *port = (uint16_t)v;
        return true;
}

int procnet_parse_line(const char *line, size_t len, enum proto proto, int family,
                       struct sock_row *ret_row)
{
        struct cursor c = {line, line + len};
        struct sock_row row = {.proto = (uint8_t)proto, .family = (uint8_t)family, .v6only = -1};
        uint64_t v, tx, rx;

        if ((family != AF_INET && family != AF_INET6) || (proto != PROTO_TCP && proto != PROTO_UDP))
                return -EINVAL;
        /* "  sl: local remote st tx:rx tr:when retrnsmt uid timeout inode ..." */
        skip_spaces(&c);
        if (!take_dec(&c, &v) || !take_char(&c, ':'))
                return -EINVAL;
        skip_spaces(&c);
        if (!take_endpoint(&c, family, row.local, &row.lport))
                return -EINVAL;
        skip_spaces(&c);
        if (!take_endpoint(&c, family, row.remote, &row.rport))
                return -EINVAL;
        skip_spaces(&c);
        if (!take_hex(&c, 2, &v) || v == 0 || v >= SOCK_STATE_MAX)
                return -EINVAL;
        row.state = (uint8_t)v;
        skip_spaces(&c);
        if (!take_hex_run(&c, &tx) || !take_char(&c, ':') || !take_hex_run(&c, &rx))
                return -EINVAL;
        row.wqueue = (uint32_t)tx;
        row.rqueue = (uint32_t)rx;
        skip_spaces(&c);
        if (!take_hex_run(&c, &v) || !take_char(&c, ':') || !take_hex_run(&c, &v))
                return -EINVAL;
        skip_spaces(&c);
        if (!take_hex_run(&c, &v)) /* retransmits */
                return -EINVAL;
        skip_spaces(&c);
        if (!take_dec(&c, &v) || v > UINT32_MAX)
                return -EINVAL;
        row.uid = (uint32_t)v;
        skip_spaces(&c);
        if (!take_dec(&c, &v)) /* timeout */
                return -EINVAL;
        skip_spaces(&c);
        if (!take_dec(&c, &row.inode))
                return -EINVAL;
        *ret_row = row;
        return 0;
}

static bool row_wanted(const struct sock_row *row, const struct sockdiag_query *q)
{
        uint32_t states = row->proto == PROTO_TCP ? q->tcp_states : q->udp_states;

        if (!(states & SOCK_STATE_BIT(row->state)))
                return false;
        if (q->n_ports == 0)
                return true;
        for (size_t i = 0; i < q->n_ports; i++)
                if (row->lport == q->ports[i] || row->rport == q->ports[i])
                        return true;
        return false;
}

int procnet_parse(const char *buf, size_t len, enum proto proto, int family,
                  const struct sockdiag_query *q, struct sock_table *t)
{
        const char *p = buf, *end = buf + len;
        int added = 0;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                struct sock_row row;

                if (n <= PROCNET_MAX_LINE && procnet_parse_line(p, n, proto, family, &row) == 0 &&
                    row_wanted(&row, q)) {
                        int r = sock_table_add(t, &row);

                        if (r < 0)
                                return r;
                        if (added < INT32_MAX)
                                added++;
                }
                p += n + (nl ? 1 : 0);
        }
        return added;
}

/* Reads one table in chunks, parsing whole lines as they come. */
static int read_table(int dirfd, const char *name, enum proto proto, int family,
                      const struct sockdiag_query *q, struct sock_table *t)
{
        char buf[READ_CHUNK];
        size_t have = 0;
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
        int r;

        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t k = read(fd, buf + have, sizeof(buf) - have);
                char *last;
                size_t whole;

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                have += (size_t)k;
                if (k == 0) {
                        r = have > 0 ? procnet_parse(buf, have, proto, family, q, t) : 0;
                        return r < 0 ? r : 0;
                }
                last = memrchr(buf, '\n', have);
                if (!last) {
                        if (have == sizeof(buf))
                                have = 0; /* a line longer than any record: drop it */
                        continue;
                }
                whole = (size_t)(last - buf) + 1;
                r = procnet_parse(buf, whole, proto, family, q, t);
                if (r < 0)
                        return r;
                memmove(buf, buf + whole, have - whole);
                have -= whole;
        }
}

int procnet_query(const char *root, const struct sockdiag_query *q, struct sock_table *t)
{
        static const struct {
                const char *name;
                enum proto proto;
                int family;
                unsigned fbit;
        } tables[] = {
            {"tcp", PROTO_TCP, AF_INET, SOCKDIAG_V4},
            {"tcp6", PROTO_TCP, AF_INET6, SOCKDIAG_V6},
            {"udp", PROTO_UDP, AF_INET, SOCKDIAG_V4},
            {"udp6", PROTO_UDP, AF_INET6, SOCKDIAG_V6},
        };
        char path[4096];
        _cleanup_close_ int dfd = -1;
        int opened = 0, r = 0;

        if ((size_t)snprintf(path, sizeof(path), "%s/net", root) >= sizeof(path))
                return -ENAMETOOLONG;
        dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -ENOENT;
        for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]) && r >= 0; i++) {
                if (!(q->protos & PROTO_BIT(tables[i].proto)) || !(q->families & tables[i].fbit))
                        continue;
                r = read_table(dfd, tables[i].name, tables[i].proto, tables[i].family, q, t);
                if (r == -ENOENT) /* no IPv6 in this kernel, say */
                        r = 0;
                else if (r == 0)
                        opened++;
        }
        if (r < 0)
                return r;
        return opened ? 0 : -ENOENT;
}

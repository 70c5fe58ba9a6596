/* parse: user text to ports, protocols and ranges.
 *
 * Strict by design: "22 ", "+22", "0x16" and "22abc" are refused rather than guessed at.  Every
 * decimal port portinfo reads goes through scan_port below; service names are resolve.c's.
 */
#include "parse.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

/* Reads the decimal digits at the start of the @n bytes at @s (stopping at a NUL too); stores
 * their value, capped at 65536 so that "too big" survives any length, in *ret_v.  Returns how
 * many digits there were. */
static size_t scan_port(const char *s, size_t n, unsigned long *ret_v)
{
        unsigned long v = 0;
        size_t k;

        for (k = 0; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
                v = v * 10 + (unsigned long)(s[k] - '0');
                if (v > 65535)
                        v = 65536;
        }
        *ret_v = v;
        return k;
}

int parse_port_n(const char *s, size_t n, uint16_t *ret_port)
{
        unsigned long v;
        size_t k = scan_port(s, n, &v);

        if (k == 0 || k != n)
                return -EINVAL;
        if (v > 65535)
                return -ERANGE;
        *ret_port = (uint16_t)v;
        return 0;
}

int parse_port(const char *s, uint16_t *ret_port)
{
        return parse_port_n(s, strlen(s), ret_port);
}

int parse_port_prefix(const char **p, uint16_t *ret_port)
{
        unsigned long v;
        size_t k = scan_port(*p, SIZE_MAX, &v);

        if (k == 0)
                return -EINVAL;
        if (v > 65535)
                return -ERANGE;
        *ret_port = (uint16_t)v;
        *p += k;
        return 0;
}

int parse_proto(const char *s, enum proto *ret_proto)
{
        for (enum proto p = PROTO_TCP; p < PROTO_NONE; p++)
                if (strcasecmp(s, portdb_proto_name(p)) == 0) {
                        *ret_proto = p;
                        return 0;
                }
        return -EINVAL;
}

int parse_proto_n(const char *s, size_t n, enum proto *ret_proto)
{
        for (enum proto p = PROTO_TCP; p < PROTO_NONE; p++) {
                const char *name = portdb_proto_name(p);

                if (strlen(name) == n && strncasecmp(s, name, n) == 0) {
                        *ret_proto = p;
                        return 0;
                }
        }
        return -EINVAL;
}

int parse_port_spec(const char *s, uint16_t *ret_port, unsigned *ret_protos)
{
        const char *slash = strchr(s, '/');
        uint16_t port;
        enum proto proto;
        int r;

        r = parse_port_n(s, slash ? (size_t)(slash - s) : strlen(s), &port);
        if (r < 0)
                return r;
        if (slash && parse_proto(slash + 1, &proto) < 0)
                return -EPROTONOSUPPORT;
        *ret_port = port;
        *ret_protos = slash ? PROTO_BIT(proto) : PROTO_MASK_ALL;
        return 0;
}

int parse_looks_numeric(const char *s)
{
        while (*s == ' ' || *s == '\t')
                s++;
        return (s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '+';
}

int parse_range_n(const char *s, size_t n, uint16_t *ret_lo, uint16_t *ret_hi)
{
        const char *dash = memchr(s, '-', n);
        uint16_t lo, hi;
        int r;

        r = parse_port_n(s, dash ? (size_t)(dash - s) : n, &lo);
        if (r < 0)
                return r;
        hi = lo;
        if (dash) {
                r = parse_port_n(dash + 1, n - (size_t)(dash - s) - 1, &hi);
                if (r < 0)
                        return r;
        }
        if (lo > hi)
                return -EDOM;
        *ret_lo = lo;
        *ret_hi = hi;
        return 0;
}

int parse_range(const char *s, uint16_t *ret_lo, uint16_t *ret_hi)
{
        return parse_range_n(s, strlen(s), ret_lo, ret_hi);
}

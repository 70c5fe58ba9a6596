/* parse: user text to ports, protocols and ranges.
 *
 * Strict by design: "22 ", "+22", "0x16" and "22abc" are refused rather than guessed at.
 */
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_port(const char *s, uint16_t *ret_port)
{
        unsigned long v;
        char *end;

        if (s[0] < '0' || s[0] > '9')
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (*end != '\0')
                return -EINVAL;
        if (errno == ERANGE || v > 65535)
                return -ERANGE;
        *ret_port = (uint16_t)v;
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

int parse_port_n(const char *s, size_t n, uint16_t *ret_port)
{
        char num[8];
        size_t digits = 0;

        /* Leading zeros do not count against the buffer: "0000000022/tcp" is 22, as "0000000022"
         * is. */
        while (n > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
                s++;
                n--;
        }
        /* Only the @n bytes are read: they need not be followed by a NUL, nor hold one. */
        while (digits < n && s[digits] >= '0' && s[digits] <= '9')
                digits++;
        if (digits != n)
                return -EINVAL;
        if (n >= sizeof(num))
                return -ERANGE;
        memcpy(num, s, n);
        num[n] = '\0';
        return parse_port(num, ret_port);
}

int parse_port_spec(const char *s, uint16_t *ret_port, unsigned *ret_protos)
{
        const char *slash = strchr(s, '/');
        uint16_t port;
        enum proto proto;
        size_t n;
        int r;

        if (!slash) {
                r = parse_port(s, &port);
                if (r < 0)
                        return r;
                *ret_port = port;
                *ret_protos = PROTO_MASK_ALL;
                return 0;
        }
        n = (size_t)(slash - s);
        if (n == 0)
                return -EINVAL;
        r = parse_port_n(s, n, &port);
        if (r < 0)
                return r;
        if (parse_proto(slash + 1, &proto) < 0)
                return -EPROTONOSUPPORT;
        *ret_port = port;
        *ret_protos = PROTO_BIT(proto);
        return 0;
}

int parse_looks_numeric(const char *s)
{
        while (*s == ' ' || *s == '\t')
                s++;
        return (s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '+';
}

int parse_range(const char *s, uint16_t *ret_lo, uint16_t *ret_hi)
{
        const char *dash = strchr(s, '-');
        uint16_t lo, hi;
        size_t n;
        int r;

        if (!dash) {
                r = parse_port(s, &lo);
                if (r < 0)
                        return r;
                *ret_lo = *ret_hi = lo;
                return 0;
        }
        n = (size_t)(dash - s);
        if (n == 0)
                return -EINVAL;
        r = parse_port_n(s, n, &lo);
        if (r < 0)
                return r;
        r = parse_port(dash + 1, &hi);
        if (r < 0)
                return r;
        if (lo > hi)
                return -EDOM;
        *ret_lo = lo;
        *ret_hi = hi;
        return 0;
}

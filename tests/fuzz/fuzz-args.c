/* fuzz-args: command-line text through the port, spec, range and protocol parsers, the
 * resolver every command uses, and as a search query and service name over the embedded table.
 *
 * The input is one argument: its bytes up to the first NUL, as argv would hold them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "parse.h"
#include "portdb_embedded.h"
#include "resolve.h"

static bool all_digits(const char *s)
{
        return s[0] != '\0' && strspn(s, "0123456789") == strlen(s);
}

static void check_port(const char *s)
{
        uint16_t port = 0;
        int r = parse_port(s, &port);

        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
        if (r == 0) {
                FUZZ_CHECK(all_digits(s));
                FUZZ_CHECK(strtoul(s, NULL, 10) == port);
        }
        if (r == -ERANGE)
                FUZZ_CHECK(all_digits(s));
}

static void check_spec(const struct portdb *db, const char *s)
{
        uint16_t port = 0;
        unsigned protos = 0;
        int r = parse_port_spec(s, &port, &protos);

        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE || r == -EPROTONOSUPPORT);
        if (r == 0) {
                const uint16_t *refs;
                size_t n = portdb_port_refs(db, port, &refs);

                FUZZ_CHECK(protos == PROTO_MASK_ALL ||
                           (protos != 0 && (protos & (protos - 1)) == 0 &&
                            protos < PROTO_BIT(PROTO_NONE)));
                for (size_t i = 0; i < n; i++)
                        FUZZ_CHECK(db->iana[refs[i]].lo <= port && port <= db->iana[refs[i]].hi);
                FUZZ_CHECK(portdb_status(db, port, protos) <= PORT_UNASSIGNED);
        }
        if (r == 0 || r == -ERANGE)
                FUZZ_CHECK(parse_looks_numeric(s));
}

static void check_range(const char *s)
{
        uint16_t lo = 0, hi = 0;
        int r = parse_range(s, &lo, &hi);

        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE || r == -EDOM);
        if (r == 0)
                FUZZ_CHECK(lo <= hi);
}

static void check_proto(const char *s)
{
        enum proto p = PROTO_COUNT;
        int r = parse_proto(s, &p);

        FUZZ_CHECK(r == 0 || r == -EINVAL);
        if (r == 0)
                FUZZ_CHECK(p < PROTO_NONE && strcasecmp(s, portdb_proto_name(p)) == 0);
}

/* The byte-range and prefix forms agree with the NUL-terminated ones. */
static void check_forms(const char *s)
{
        uint16_t a = 0, b = 0, lo = 0, hi = 0;
        const char *p = s;
        int r = parse_port(s, &a);

        FUZZ_CHECK(parse_port_n(s, strlen(s), &b) == r);
        FUZZ_CHECK(r < 0 || a == b);
        r = parse_port_prefix(&p, &b);
        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
        FUZZ_CHECK(r == 0 ? p > s : p == s);
        if (parse_port(s, &a) == 0)
                FUZZ_CHECK(r == 0 && a == b && *p == '\0');
        r = parse_range(s, &a, &b);
        FUZZ_CHECK(parse_range_n(s, strlen(s), &lo, &hi) == r);
        FUZZ_CHECK(r < 0 || (a == lo && b == hi));
}

/* The resolver: rows only on success, protocols only among those allowed, numbers as
 * parse_port_spec reads them unless the text is a whole service name. */
static void check_resolve(const struct portdb *db, const char *s, unsigned allowed)
{
        struct resolve_port v[16] = {{0}};
        struct resolve_why why;
        uint16_t port;
        unsigned protos;
        uint32_t first;
        size_t n = 0;
        int r = resolve_arg(db, s, allowed, v, &n, 16, &why);

        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE || r == -EPROTONOSUPPORT ||
                   r == -EOPNOTSUPP || r == -ENOENT || r == -ENODATA || r == -ENOPROTOOPT ||
                   r == -ENAMETOOLONG || r == -E2BIG);
        FUZZ_CHECK(r == 0 ? n > 0 : n == 0);
        for (size_t i = 0; i < n; i++)
                FUZZ_CHECK(v[i].protos != 0 && (v[i].protos & ~allowed) == 0);
        if (r < 0 && why.named)
                FUZZ_CHECK(why.name_len <= strlen(s));
        if (strlen(s) <= RESOLVE_MAX_ARG && portdb_find_name(db, s, &first) == 0 &&
            parse_port_spec(s, &port, &protos) == 0 && (protos & allowed))
                FUZZ_CHECK(r == 0 && n == 1 && v[0].port == port);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static struct portdb db;
        static bool opened;
        char *s = malloc(size + 1);
        uint32_t first = 0;
        size_t n;

        if (!s)
                return 0;
        if (!opened) {
                portdb_open_embedded(&db);
                opened = true;
        }
        memcpy(s, data, size);
        s[size] = '\0';

        check_port(s);
        check_spec(&db, s);
        check_range(s);
        check_proto(s);
        check_forms(s);
        check_resolve(&db, s, PROTO_MASK_ALL);
        check_resolve(&db, s, PROTO_MASK_TCP_UDP);
        (void)parse_looks_numeric(s);
        fuzz_search(&db, s);
        n = portdb_find_name(&db, s, &first);
        for (size_t i = 0; i < n; i++) {
                const struct portdb_iana *e = &db.iana[db.names[first + i]];

                FUZZ_CHECK(strcasecmp(portdb_str(&db, e->service), s) == 0);
        }
        free(s);
        return 0;
}

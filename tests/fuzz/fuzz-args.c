/* fuzz-args: command-line text through the port, spec, range and protocol parsers, and as a
 * search query and service name over the embedded table.
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

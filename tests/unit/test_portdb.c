/* test_portdb: lookups, status rules, the name index, search and blob verification, against the
 * table embedded in portinfo.
 *
 * The facts checked (femis on 1776, x11 on 6000-6063, eldim on 31337, ...) are the vendored
 * registry's; the status rules are CONTRACT.md's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "portdb.h"
#include "portdb_embedded.h"

#ifndef EMBEDDED_FORM
#define EMBEDDED_FORM "xml"
#endif

static struct portdb db;

static int setup(void **state)
{
        (void)state;
        portdb_open_embedded(&db);
        return 0;
}

static const char *str(uint32_t off)
{
        return portdb_str(&db, off);
}

/* The entry covering @port for @proto whose service is @service (or, for "", any service-less
 * entry); NULL if there is none. */
static const struct portdb_iana *entry_at(uint16_t port, enum proto proto, const char *service)
{
        const uint16_t *refs;
        size_t n = portdb_port_refs(&db, port, &refs);

        for (size_t i = 0; i < n; i++) {
                const struct portdb_iana *e = &db.iana[refs[i]];

                if (e->proto == proto && strcmp(str(e->service), service) == 0)
                        return e;
        }
        return NULL;
}

/* How many unofficial uses of @port are named @name and of kind @kind. */
static size_t unofficial_named(uint16_t port, const char *name, enum uo_kind kind)
{
        const struct portdb_unofficial *u;
        size_t n = portdb_unofficial_at(&db, port, &u), found = 0;

        for (size_t i = 0; i < n; i++) {
                assert_int_equal(u[i].port, port);
                if (strcmp(str(u[i].name), name) == 0 && u[i].kind == kind)
                        found++;
        }
        return found;
}

/* A heap copy of the embedded blob, 8-byte aligned, that a test may damage. */
static uint8_t *blob_copy(size_t extra)
{
        uint8_t *b = aligned_alloc(8, (portdb_embedded_size + extra + 7) & ~(size_t)7);

        assert_non_null(b);
        memcpy(b, portdb_embedded_blob, portdb_embedded_size);
        return b;
}

static struct portdb_header *hdr_of(uint8_t *b)
{
        return (struct portdb_header *)(void *)b;
}

static void reseal(uint8_t *b)
{
        struct portdb_header *h = hdr_of(b);

        h->checksum = portdb_checksum(b + sizeof(*h), h->size - sizeof(*h));
}

static void test_embedded_is_valid(void **state)
{
        struct portdb d;
        uint8_t *b = blob_copy(0);

        (void)state;
        assert_int_equal(portdb_open(&d, portdb_embedded_blob, portdb_embedded_size, true), 0);
        assert_int_equal(portdb_open(&d, b, portdb_embedded_size, true), 0);
        assert_ptr_equal(d.base, b);
        assert_string_equal(portdb_str(&d, d.hdr->registry_format), EMBEDDED_FORM);
        if (strcmp(EMBEDDED_FORM, "xml") == 0)
                assert_string_equal(portdb_str(&d, d.hdr->registry_updated), "2026-08-17");
        assert_true(d.hdr->n_records > 14000);
        assert_true(d.hdr->n_unofficial > 3000);
        free(b);
}

static void test_port_1776(void **state)
{
        const struct portdb_iana *tcp = entry_at(1776, PROTO_TCP, "femis");
        const struct portdb_iana *udp = entry_at(1776, PROTO_UDP, "femis");
        const struct portdb_unofficial *u;
        const uint16_t *refs;

        (void)state;
        assert_non_null(tcp);
        assert_non_null(udp);
        assert_int_equal(portdb_port_refs(&db, 1776, &refs), 2);
        assert_string_equal(str(tcp->description),
                            "Federal Emergency Management Information System");
        assert_string_equal(str(tcp->assignee), "Larry Gerhardstein");
        assert_int_equal(tcp->lo, 1776);
        assert_int_equal(tcp->hi, 1776);
        assert_int_equal(tcp->status, IANA_ASSIGNED);
        assert_int_equal(udp->status, IANA_ASSIGNED);
        assert_int_equal(portdb_status(&db, 1776, PROTO_MASK_ALL), PORT_ASSIGNED);
        assert_int_equal(portdb_status(&db, 1776, PROTO_BIT(PROTO_TCP)), PORT_ASSIGNED);
        assert_int_equal(portdb_status(&db, 1776, PROTO_BIT(PROTO_UDP)), PORT_ASSIGNED);
        assert_int_equal(portdb_status(&db, 1776, PROTO_BIT(PROTO_SCTP)), PORT_UNASSIGNED);
        assert_int_equal(portdb_tier(1776), TIER_REGISTERED);
        assert_int_equal(portdb_unofficial_at(&db, 1776, &u), 0);
}

static void test_port_6001_in_x11_range(void **state)
{
        const struct portdb_iana *tcp = entry_at(6001, PROTO_TCP, "x11");

        (void)state;
        assert_non_null(tcp);
        assert_non_null(entry_at(6001, PROTO_UDP, "x11"));
        assert_int_equal(tcp->lo, 6000);
        assert_int_equal(tcp->hi, 6063);
        assert_string_equal(str(tcp->description), "X Window System");
        assert_string_equal(str(tcp->unauthorized), "Known Unauthorized Use on port 6003");
        assert_int_equal(portdb_status(&db, 6001, PROTO_BIT(PROTO_TCP)), PORT_ASSIGNED);
        /* Both ends of the range carry the entry, the ports beside it do not. */
        assert_ptr_equal(entry_at(6000, PROTO_TCP, "x11"), tcp);
        assert_ptr_equal(entry_at(6063, PROTO_TCP, "x11"), tcp);
        assert_null(entry_at(5999, PROTO_TCP, "x11"));
        assert_null(entry_at(6064, PROTO_TCP, "x11"));
}

static void test_port_31337(void **state)
{
        const struct portdb_iana *tcp = entry_at(31337, PROTO_TCP, "eldim");
        const struct portdb_unofficial *u;
        size_t n = portdb_unofficial_at(&db, 31337, &u), malware = 0;

        (void)state;
        assert_non_null(tcp);
        assert_non_null(entry_at(31337, PROTO_UDP, "eldim"));
        assert_string_equal(str(tcp->registered), "2021-05-14");
        assert_int_equal(portdb_status(&db, 31337, PROTO_MASK_ALL), PORT_ASSIGNED);
        assert_true(n >= 3);
        for (size_t i = 0; i < n; i++) {
                malware += u[i].kind == UO_MALWARE;
                assert_true(str(u[i].source)[0] != '\0');
        }
        assert_true(malware >= 3);
        assert_int_equal(unofficial_named(31337, "Back Orifice", UO_MALWARE), 2);
        assert_int_equal(unofficial_named(31337, "BO2", UO_MALWARE), 1);
}

static void test_port_0(void **state)
{
        const uint16_t *refs;
        size_t n = portdb_port_refs(&db, 0, &refs);

        (void)state;
        assert_true(n >= 2);
        for (size_t i = 0; i < n; i++) {
                assert_int_equal(db.iana[refs[i]].status, IANA_RESERVED);
                assert_string_equal(str(db.iana[refs[i]].description), "Reserved");
        }
        assert_non_null(entry_at(0, PROTO_TCP, ""));
        assert_non_null(entry_at(0, PROTO_UDP, ""));
        assert_int_equal(portdb_status(&db, 0, PROTO_MASK_ALL), PORT_RESERVED);
        assert_int_equal(portdb_status(&db, 0, PROTO_BIT(PROTO_TCP)), PORT_RESERVED);
        assert_int_equal(portdb_tier(0), TIER_WELL_KNOWN);
}

static void test_port_65535_and_dynamic_range(void **state)
{
        const uint16_t *refs;
        const struct portdb_unofficial *u;

        (void)state;
        assert_int_equal(portdb_tier(65535), TIER_DYNAMIC);
        assert_int_equal(portdb_status(&db, 65535, PROTO_MASK_ALL), PORT_UNASSIGNED);
        /* IANA has no rows at all in the dynamic range. */
        for (uint32_t p = 49152; p <= 65535; p++)
                if (portdb_port_refs(&db, (uint16_t)p, &refs) != 0)
                        fail_msg("port %u in the dynamic range has IANA entries", p);
        assert_int_equal(portdb_unofficial_at(&db, 65535, &u), 3);
        assert_int_equal(unofficial_named(65535, "Adore worm", UO_MALWARE), 1);
}

static void test_tiers(void **state)
{
        (void)state;
        assert_int_equal(portdb_tier(0), TIER_WELL_KNOWN);
        assert_int_equal(portdb_tier(1023), TIER_WELL_KNOWN);
        assert_int_equal(portdb_tier(1024), TIER_REGISTERED);
        assert_int_equal(portdb_tier(49151), TIER_REGISTERED);
        assert_int_equal(portdb_tier(49152), TIER_DYNAMIC);
        assert_int_equal(portdb_tier(65535), TIER_DYNAMIC);
        assert_string_equal(portdb_tier_name(TIER_WELL_KNOWN), "well-known");
        assert_string_equal(portdb_tier_name(TIER_REGISTERED), "registered");
        assert_string_equal(portdb_tier_name(TIER_DYNAMIC), "dynamic");
}

static void test_names(void **state)
{
        (void)state;
        assert_string_equal(portdb_status_name(PORT_ASSIGNED), "assigned");
        assert_string_equal(portdb_status_name(PORT_RESERVED), "reserved");
        assert_string_equal(portdb_status_name(PORT_UNASSIGNED), "unassigned");
        assert_string_equal(portdb_proto_name(PROTO_TCP), "tcp");
        assert_string_equal(portdb_proto_name(PROTO_UDP), "udp");
        assert_string_equal(portdb_proto_name(PROTO_SCTP), "sctp");
        assert_string_equal(portdb_proto_name(PROTO_DCCP), "dccp");
        assert_null(portdb_proto_name(PROTO_NONE));
        assert_string_equal(portdb_kind_name(UO_MALWARE), "malware");
        assert_string_equal(portdb_kind_name(UO_SOFTWARE), "software");
        assert_string_equal(portdb_kind_name(UO_OTHER), "other");
}

/* CONTRACT.md: "assigned" when an entry names a service for the asked protocols, "reserved"
 * when only reserved entries exist, else "unassigned".  Cases from the registry. */
static void test_status_rules(void **state)
{
        const unsigned tcp = PROTO_BIT(PROTO_TCP), udp = PROTO_BIT(PROTO_UDP);

        (void)state;
        /* 143: imap on tcp, "Reserved" on udp. */
        assert_int_equal(portdb_status(&db, 143, tcp), PORT_ASSIGNED);
        assert_int_equal(portdb_status(&db, 143, udp), PORT_RESERVED);
        assert_int_equal(portdb_status(&db, 143, PROTO_MASK_ALL), PORT_ASSIGNED);
        /* 8: "Unassigned" on both. */
        assert_int_equal(portdb_status(&db, 8, PROTO_MASK_ALL), PORT_UNASSIGNED);
        /* 81: one protocol-less "Unassigned" row, which answers for every protocol. */
        assert_non_null(entry_at(81, PROTO_NONE, ""));
        assert_int_equal(portdb_status(&db, 81, tcp), PORT_UNASSIGNED);
        /* 585: "De-registered", protocol-less: no service is named, and IANA holds it back. */
        assert_int_equal(portdb_status(&db, 585, PROTO_MASK_ALL), PORT_RESERVED);
        assert_int_equal(portdb_status(&db, 585, PROTO_BIT(PROTO_DCCP)), PORT_RESERVED);
        /* 659: "Removed"; 1028: "Deprecated"; 9006: "De-Commissioned Port". */
        assert_int_equal(portdb_status(&db, 659, PROTO_MASK_ALL), PORT_RESERVED);
        assert_int_equal(portdb_status(&db, 1028, PROTO_MASK_ALL), PORT_RESERVED);
        assert_int_equal(portdb_status(&db, 9006, PROTO_MASK_ALL), PORT_RESERVED);
        /* 1783: "Decomissioned Port 04/14/00, ms", even though it names an assignee. */
        assert_int_equal(portdb_status(&db, 1783, PROTO_MASK_ALL), PORT_RESERVED);
        /* 2825: "(unassigned) Possibly assigned". */
        assert_int_equal(portdb_status(&db, 2825, PROTO_MASK_ALL), PORT_UNASSIGNED);
        /* 1008/udp: "Possibly used by Sun Solaris????" is a remark, not an assignment. */
        assert_int_equal(portdb_status(&db, 1008, udp), PORT_UNASSIGNED);
        /* 24: "any private mail system", assigned to Rick Adams without a service name. */
        assert_int_equal(portdb_status(&db, 24, tcp), PORT_ASSIGNED);
        /* A port IANA lists only for tcp is unassigned for the other protocols. */
        assert_int_equal(portdb_status(&db, 1776, PROTO_BIT(PROTO_DCCP)), PORT_UNASSIGNED);
}

static bool starts_with(const char *s, const char *prefix)
{
        return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Over the whole table: entries are classified as their text says, and a port's status follows
 * from its entries exactly as the contract words it. */
static void test_status_whole_table(void **state)
{
        static const char *const reserved_words[] = {
                "Reserved",     "De-registered", "Removed",         "Deprecated",
                "Decomissioned", "Decommissioned", "De-Commissioned",
        };

        (void)state;
        for (uint32_t i = 0; i < db.hdr->n_iana; i++) {
                const struct portdb_iana *e = &db.iana[i];
                const char *desc = str(e->description);
                bool reserved_text = false;

                for (size_t w = 0; w < sizeof(reserved_words) / sizeof(reserved_words[0]); w++)
                        reserved_text |= starts_with(desc, reserved_words[w]);
                if (str(e->service)[0] != '\0') {
                        if (e->status != IANA_ASSIGNED)
                                fail_msg("%u-%u %s: a named service that is not assigned", e->lo,
                                         e->hi, str(e->service));
                } else if (reserved_text) {
                        if (e->status != IANA_RESERVED)
                                fail_msg("%u-%u \"%s\" should be reserved", e->lo, e->hi, desc);
                } else if (starts_with(desc, "unassigned") || starts_with(desc, "(unassigned)")) {
                        if (e->status != IANA_UNASSIGNED)
                                fail_msg("%u-%u \"%s\" should be unassigned", e->lo, e->hi, desc);
                } else if (e->status == IANA_ASSIGNED && str(e->assignee)[0] == '\0') {
                        fail_msg("%u-%u \"%s\": assigned with neither a service nor an assignee",
                                 e->lo, e->hi, desc);
                }
        }
        for (uint32_t p = 0; p < PORTDB_PORTS; p++) {
                for (unsigned mask = 1; mask <= PROTO_MASK_ALL; mask <<= 1) {
                        const unsigned m = mask == PROTO_BIT(PROTO_NONE) ? PROTO_MASK_ALL : mask;
                        const uint16_t *refs;
                        size_t n = portdb_port_refs(&db, (uint16_t)p, &refs);
                        bool assigned = false, reserved = false;

                        for (size_t i = 0; i < n; i++) {
                                const struct portdb_iana *e = &db.iana[refs[i]];

                                if (!portdb_iana_matches(e, m))
                                        continue;
                                assigned |= e->status == IANA_ASSIGNED;
                                reserved |= e->status == IANA_RESERVED;
                        }
                        if (portdb_status(&db, (uint16_t)p, m) !=
                            (assigned ? PORT_ASSIGNED : reserved ? PORT_RESERVED : PORT_UNASSIGNED))
                                fail_msg("port %u mask %#x: status does not follow its entries",
                                         p, m);
                }
        }
}

/* The per-port index: every entry is listed at each port it covers and nowhere else, ordered by
 * protocol. */
static void test_port_index(void **state)
{
        size_t total = 0;

        (void)state;
        for (uint32_t p = 0; p < PORTDB_PORTS; p++) {
                const uint16_t *refs;
                size_t n = portdb_port_refs(&db, (uint16_t)p, &refs);

                for (size_t i = 0; i < n; i++) {
                        const struct portdb_iana *e = &db.iana[refs[i]];

                        assert_true(e->lo <= p && p <= e->hi);
                        assert_false(e->flags & PORTDB_F_NOPORT);
                        if (i > 0)
                                assert_true(db.iana[refs[i - 1]].proto <= e->proto);
                }
                total += n;
        }
        for (uint32_t i = 0; i < db.hdr->n_iana; i++)
                if (!(db.iana[i].flags & PORTDB_F_NOPORT))
                        total -= (size_t)db.iana[i].hi - db.iana[i].lo + 1;
        assert_int_equal(total, 0);
}

static void test_unofficial_sorted(void **state)
{
        (void)state;
        for (uint32_t i = 0; i < db.hdr->n_unofficial; i++) {
                const struct portdb_unofficial *u = &db.unofficial[i], *first;
                size_t n = portdb_unofficial_at(&db, u->port, &first);

                assert_true(u >= first && u < first + n);
                assert_true(u->protos != 0 && (u->protos & ~PROTO_MASK_TCP_UDP) == 0);
                assert_true(str(u->name)[0] != '\0');
                assert_true(str(u->source)[0] != '\0');
                if (i > 0)
                        assert_true(db.unofficial[i - 1].port <= u->port);
        }
}

static void test_find_name(void **state)
{
        uint32_t first = 0xffffffffu, first_upper = 0xffffffffu, untouched = 12345;
        size_t n = portdb_find_name(&db, "ssh", &first);
        bool tcp22 = false;

        (void)state;
        assert_true(n >= 3);
        for (size_t i = 0; i < n; i++) {
                const struct portdb_iana *e = &db.iana[db.names[first + i]];

                assert_string_equal(str(e->service), "ssh");
                tcp22 |= e->proto == PROTO_TCP && e->lo == 22 && e->hi == 22;
        }
        assert_true(tcp22);
        assert_int_equal(portdb_find_name(&db, "SSH", &first_upper), n);
        assert_int_equal(first_upper, first);
        assert_int_equal(portdb_find_name(&db, "Ssh", &first_upper), n);

        /* Exact names only: neither a prefix nor an extension matches. */
        assert_int_equal(portdb_find_name(&db, "ss", &untouched), 0);
        assert_int_equal(portdb_find_name(&db, "sshx", &untouched), 0);
        assert_int_equal(portdb_find_name(&db, "no-such-service-here", &untouched), 0);
        assert_int_equal(portdb_find_name(&db, "", &untouched), 0);
        assert_int_equal(untouched, 12345);

        /* "http" is not "https". */
        n = portdb_find_name(&db, "http", &first);
        assert_true(n >= 2);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(str(db.iana[db.names[first + i]].service), "http");

        /* A service registered without a port is found by name and flagged. */
        n = portdb_find_name(&db, "arp", &first);
        assert_int_equal(n, 1);
        assert_true(db.iana[db.names[first]].flags & PORTDB_F_NOPORT);
        assert_string_equal(str(db.iana[db.names[first]].description),
                            "Address Resolution Protocol");
}

/* Every named entry is in the name index once, in case-insensitive order. */
static void test_name_index(void **state)
{
        uint32_t named = 0;

        (void)state;
        for (uint32_t i = 0; i < db.hdr->n_iana; i++)
                named += str(db.iana[i].service)[0] != '\0';
        assert_int_equal(db.hdr->n_names, named);
        for (uint32_t i = 1; i < db.hdr->n_names; i++) {
                const char *a = str(db.iana[db.names[i - 1]].service);
                const char *b = str(db.iana[db.names[i]].service);

                if (strcasecmp(a, b) > 0)
                        fail_msg("name index out of order: \"%s\" before \"%s\"", a, b);
        }
}

static struct portdb_search_ctx *search_ctx(void)
{
        struct portdb_search_ctx *ctx = malloc(sizeof(*ctx));

        assert_non_null(ctx);
        return ctx;
}

static void check_order(const struct portdb_search_ctx *ctx, int n)
{
        for (int i = 1; i < n; i++) {
                const struct portdb_hit *a = &ctx->hits[i - 1], *b = &ctx->hits[i];

                if (a->score < b->score || (a->score == b->score && a->port >= b->port))
                        fail_msg("hits %d and %d out of order (%u:%u, %u:%u)", i - 1, i, a->port,
                                 a->score, b->port, b->score);
        }
}

static int find_hit(const struct portdb_search_ctx *ctx, int n, uint16_t port)
{
        for (int i = 0; i < n; i++)
                if (ctx->hits[i].port == port)
                        return i;
        return -1;
}

static void test_search_kuang(void **state)
{
        struct portdb_search_ctx *ctx = search_ctx();
        uint16_t ports[16];
        int n = portdb_search(&db, "kuang", ctx), i;

        (void)state;
        assert_true(n >= 1 && n <= 16);
        i = find_hit(ctx, n, 17300);
        assert_true(i >= 0);
        assert_int_equal(ctx->hits[i].protos, PROTO_BIT(PROTO_TCP));
        assert_true(ctx->hits[i].score > 0);
        check_order(ctx, n);
        for (int k = 0; k < n; k++)
                ports[k] = ctx->hits[k].port;
        /* Case does not matter. */
        assert_int_equal(portdb_search(&db, "KUANG", ctx), n);
        for (int k = 0; k < n; k++)
                assert_int_equal(ctx->hits[k].port, ports[k]);
        free(ctx);
}

static void test_search_ranking(void **state)
{
        struct portdb_search_ctx *ctx = search_ctx();
        int n;

        (void)state;
        /* An exact service name ranks first. */
        n = portdb_search(&db, "femis", ctx);
        assert_true(n >= 1);
        assert_int_equal(ctx->hits[0].port, 1776);
        assert_int_equal(ctx->hits[0].score, 100);
        assert_int_equal(ctx->hits[0].protos, PROTO_MASK_TCP_UDP);

        n = portdb_search(&db, "ssh", ctx);
        assert_true(n >= 1);
        assert_int_equal(ctx->hits[0].port, 22);
        check_order(ctx, n);

        /* A range entry's hit covers every port of the range. */
        n = portdb_search(&db, "x11", ctx);
        for (uint16_t p = 6000; p <= 6063; p++)
                if (find_hit(ctx, n, p) < 0)
                        fail_msg("search x11 misses port %u", p);
        check_order(ctx, n);

        /* Descriptions are searched too. */
        n = portdb_search(&db, "federal emergency", ctx);
        assert_true(find_hit(ctx, n, 1776) >= 0);

        assert_int_equal(portdb_search(&db, "zzqxzzqxnothing", ctx), 0);
        free(ctx);
}

static void test_search_limits(void **state)
{
        struct portdb_search_ctx *ctx = search_ctx();
        char q[PORTDB_MAX_QUERY + 2];

        (void)state;
        assert_int_equal(portdb_search(&db, "", ctx), -EINVAL);
        memset(q, 'a', sizeof(q) - 1);
        q[sizeof(q) - 1] = '\0';
        assert_int_equal(strlen(q), PORTDB_MAX_QUERY + 1);
        assert_int_equal(portdb_search(&db, q, ctx), -E2BIG);
        q[PORTDB_MAX_QUERY] = '\0';
        assert_int_equal(portdb_search(&db, q, ctx), 0);
        /* A tab separates a service name from its description in the search text: a query
         * never matches across it. */
        assert_int_equal(portdb_search(&db, "ssh\tthe secure shell", ctx), 0);
        free(ctx);
}

/* portdb_search against a plain scan of every searchable record: the same ports with the same
 * protocols. */
static void test_search_matches_plain_scan(void **state)
{
        static const char *const queries[] = { "kuang", "x11", "a", "e", "mail", "trojan",
                                               "web", "ss", "port", "-", "back orifice" };
        struct portdb_search_ctx *ctx = search_ctx();
        uint8_t *want = calloc(PORTDB_PORTS, 1);

        (void)state;
        assert_non_null(want);
        for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
                int n = portdb_search(&db, queries[q], ctx), count = 0;

                memset(want, 0, PORTDB_PORTS);
                for (uint32_t i = 0; i < db.hdr->n_iana; i++) {
                        const struct portdb_iana *e = &db.iana[i];
                        uint8_t bit = e->proto == PROTO_NONE ? PROTO_MASK_ALL : PROTO_BIT(e->proto);

                        if (e->status != IANA_ASSIGNED || (e->flags & PORTDB_F_NOPORT))
                                continue;
                        if (!strcasestr(str(e->service), queries[q]) &&
                            !strcasestr(str(e->description), queries[q]))
                                continue;
                        for (uint32_t p = e->lo; p <= e->hi; p++)
                                want[p] |= bit;
                }
                for (uint32_t i = 0; i < db.hdr->n_unofficial; i++)
                        if (strcasestr(str(db.unofficial[i].name), queries[q]))
                                want[db.unofficial[i].port] |= db.unofficial[i].protos;
                for (uint32_t i = 0; i < db.hdr->n_aliases; i++) {
                        const struct portdb_alias *al = &db.aliases[i];
                        const struct portdb_iana *e = &db.iana[al->iana];

                        if (!strcasestr(str(al->name), queries[q]) &&
                            !strcasestr(str(al->meaning), queries[q]))
                                continue;
                        for (uint32_t p = e->lo; p <= e->hi; p++)
                                want[p] |= PROTO_BIT(e->proto);
                }
                for (uint32_t p = 0; p < PORTDB_PORTS; p++)
                        count += want[p] != 0;
                if (n != count)
                        fail_msg("search \"%s\": %d hits, a plain scan finds %d", queries[q], n,
                                 count);
                for (int i = 0; i < n; i++)
                        if (want[ctx->hits[i].port] != ctx->hits[i].protos)
                                fail_msg("search \"%s\": port %u protocols %#x, want %#x",
                                         queries[q], ctx->hits[i].port, ctx->hits[i].protos,
                                         want[ctx->hits[i].port]);
                check_order(ctx, n);
        }
        free(want);
        free(ctx);
}

/* Each way of damaging a copy of the blob, and whether verification must catch it. */
static void test_verify_rejects_damage(void **state)
{
        const size_t len = portdb_embedded_size;
        struct portdb d = { .base = NULL };
        uint8_t *b = blob_copy(16);
        struct portdb_header *h = hdr_of(b);
        const struct portdb_header orig = *h;

        (void)state;
        /* Truncated copies. */
        {
                const size_t cuts[] = { 0,       1,       sizeof(*h) - 1, sizeof(*h),
                                        len / 2, len - 8, len - 1 };

                for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
                        if (portdb_open(&d, b, cuts[i], true) != -EINVAL)
                                fail_msg("a copy truncated to %zu bytes passes", cuts[i]);
        }
        /* Longer than the header says. */
        memset(b + len, 0, 16);
        assert_int_equal(portdb_open(&d, b, len + 8, true), -EINVAL);
        /* One flipped bit anywhere after the header: the checksum. */
        {
                const size_t at[] = { sizeof(*h), orig.off_iana + 3, orig.off_strings + 100,
                                      orig.off_search + 5, len - 1 };

                for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
                        b[at[i]] ^= 0x10;
                        if (portdb_open(&d, b, len, true) != -EINVAL)
                                fail_msg("a bit flipped at byte %zu passes", at[i]);
                        b[at[i]] ^= 0x10;
                }
        }
        /* Header fields (not covered by the checksum). */
        h->magic[0] = 'X';
        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
        *h = orig;
        h->version = PORTDB_VERSION + 1;
        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
        *h = orig;
        h->endian = 0x04030201u;
        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
        *h = orig;
        h->n_iana = 0x7fffffffu;
        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
        *h = orig;
        h->off_strings = (uint32_t)len;
        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
        *h = orig;
        h->off_refs = (uint32_t)len - 2;
        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
        *h = orig;
        h->off_iana += 2; /* misaligned */
        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
        *h = orig;
        h->registry_updated = orig.strings_size;
        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
        *h = orig;

        /* Damage inside the tables with the checksum made to match: the structural checks. */
        {
                uint16_t *refs = (uint16_t *)(void *)(b + orig.off_refs);
                uint16_t saved = refs[0];

                refs[0] = (uint16_t)orig.n_iana;
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                refs[0] = saved;
                refs[0] = (uint16_t)(saved + 1) < orig.n_iana ? (uint16_t)(saved + 1) : 0;
                reseal(b);
                /* An entry listed at a port it does not cover. */
                if (db.iana[refs[0]].lo != 0)
                        assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                refs[0] = saved;
        }
        {
                struct portdb_iana *e = (struct portdb_iana *)(void *)(b + orig.off_iana);
                struct portdb_iana saved = e[0];

                e[0].description = orig.strings_size + 10;
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                e[0] = saved;
                e[0].proto = PROTO_COUNT;
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                e[0] = saved;
                e[0].lo = 7;
                e[0].hi = 6;
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                e[0] = saved;
        }
        {
                struct portdb_unofficial *u =
                        (struct portdb_unofficial *)(void *)(b + orig.off_unofficial);
                struct portdb_unofficial saved = u[0];

                u[0].port = 65535; /* out of order */
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                u[0] = saved;
                u[0].kind = UO_KIND_COUNT;
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                u[0] = saved;
                u[0].protos = PROTO_BIT(PROTO_SCTP);
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                u[0] = saved;
        }
        {
                uint32_t *index = (uint32_t *)(void *)(b + orig.off_port_index);

                index[PORTDB_PORTS] += 1;
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                index[PORTDB_PORTS] -= 1;
        }
        {
                char *pool = (char *)(b + orig.off_strings);

                pool[orig.strings_size - 1] = 'x'; /* the last string runs off the pool */
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                pool[orig.strings_size - 1] = '\0';
        }
        {
                uint16_t *names = (uint16_t *)(void *)(b + orig.off_names);
                uint16_t saved = names[0];

                names[0] = names[orig.n_names - 1]; /* out of order */
                reseal(b);
                assert_int_equal(portdb_open(&d, b, len, true), -EINVAL);
                names[0] = saved;
        }
        assert_null(d.base); /* no failed open wrote to @d */

        /* Restored, the copy is accepted again; moved off 8-byte alignment, it is not. */
        reseal(b);
        assert_int_equal(memcmp(b, portdb_embedded_blob, len), 0);
        assert_int_equal(portdb_open(&d, b, len, true), 0);
        memmove(b + 4, b, len);
        assert_int_equal(portdb_open(&d, b + 4, len, true), -EINVAL);
        free(b);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_embedded_is_valid),
                cmocka_unit_test(test_port_1776),
                cmocka_unit_test(test_port_6001_in_x11_range),
                cmocka_unit_test(test_port_31337),
                cmocka_unit_test(test_port_0),
                cmocka_unit_test(test_port_65535_and_dynamic_range),
                cmocka_unit_test(test_tiers),
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_status_rules),
                cmocka_unit_test(test_status_whole_table),
                cmocka_unit_test(test_port_index),
                cmocka_unit_test(test_unofficial_sorted),
                cmocka_unit_test(test_find_name),
                cmocka_unit_test(test_name_index),
                cmocka_unit_test(test_search_kuang),
                cmocka_unit_test(test_search_ranking),
                cmocka_unit_test(test_search_limits),
                cmocka_unit_test(test_search_matches_plain_scan),
                cmocka_unit_test(test_verify_rejects_damage),
        };

        return cmocka_run_group_tests(tests, setup, NULL);
}

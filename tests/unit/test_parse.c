/* test_parse: every accepted and refused form of a port, a protocol, PORT/PROTO and LO-HI, and
 * the resolver's answer (resolve.h) for numbers and service names of the embedded table.
 *
 * Refusals must leave the out-parameters as they were (ret_ parameters are written only on
 * success), so every case starts them at a sentinel and checks it afterwards.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"
#include "resolve.h"
#include "portdb_embedded.h"

#define SENTINEL_PORT 0xbeefu
#define SENTINEL_MASK 0xdeadu

struct port_case {
        const char *in;
        int ret;
        uint16_t port;
};

static const struct port_case port_cases[] = {
        { "0", 0, 0 },
        { "1", 0, 1 },
        { "22", 0, 22 },
        { "1776", 0, 1776 },
        { "65535", 0, 65535 },
        { "022", 0, 22 }, /* decimal, never octal */
        { "0000000000000000000000022", 0, 22 },
        { "65536", -ERANGE, 0 },
        { "70000", -ERANGE, 0 },
        { "4294967296", -ERANGE, 0 },
        { "99999999999999999999999999999", -ERANGE, 0 },
        { "", -EINVAL, 0 },
        { "-1", -EINVAL, 0 },
        { "-0", -EINVAL, 0 },
        { "+22", -EINVAL, 0 },
        { " 22", -EINVAL, 0 },
        { "22 ", -EINVAL, 0 },
        { "\t22", -EINVAL, 0 },
        { "22\n", -EINVAL, 0 },
        { "0x16", -EINVAL, 0 },
        { "0X16", -EINVAL, 0 },
        { "22abc", -EINVAL, 0 },
        { "70000abc", -EINVAL, 0 },
        { "abc", -EINVAL, 0 },
        { "2 2", -EINVAL, 0 },
        { "22.0", -EINVAL, 0 },
        { "1e3", -EINVAL, 0 },
        { "22/tcp", -EINVAL, 0 },
        { "\xd9\xa2\xd9\xa2", -EINVAL, 0 }, /* Arabic-Indic digits */
};

static void test_parse_port(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(port_cases) / sizeof(port_cases[0]); i++) {
                const struct port_case *c = &port_cases[i];
                uint16_t port = SENTINEL_PORT;
                int r = parse_port(c->in, &port);

                if (r != c->ret || port != (c->ret == 0 ? c->port : SENTINEL_PORT))
                        fail_msg("parse_port(\"%s\") = %d, port %u; want %d, port %u", c->in, r,
                                 port, c->ret, c->ret == 0 ? c->port : SENTINEL_PORT);
        }
}

/* Every port's decimal form round-trips, alone and with each protocol. */
static void test_parse_port_every_value(void **state)
{
        static const char *const protos[] = { "tcp", "udp", "sctp", "dccp" };
        char buf[32];

        (void)state;
        for (uint32_t p = 0; p <= 65535; p++) {
                uint16_t port = SENTINEL_PORT;
                unsigned mask = SENTINEL_MASK;

                snprintf(buf, sizeof(buf), "%u", p);
                assert_int_equal(parse_port(buf, &port), 0);
                assert_int_equal(port, p);
                snprintf(buf, sizeof(buf), "%u/%s", p, protos[p % 4]);
                assert_int_equal(parse_port_spec(buf, &port, &mask), 0);
                assert_int_equal(port, p);
                assert_int_equal(mask, PROTO_BIT(p % 4));
        }
}

static void test_parse_proto(void **state)
{
        static const struct {
                const char *in;
                enum proto proto;
        } ok[] = {
                { "tcp", PROTO_TCP },   { "udp", PROTO_UDP },   { "sctp", PROTO_SCTP },
                { "dccp", PROTO_DCCP }, { "TCP", PROTO_TCP },   { "Udp", PROTO_UDP },
                { "SCTP", PROTO_SCTP }, { "dCcP", PROTO_DCCP },
        };
        static const char *const bad[] = { "",     "xyz", "tcp ", " tcp", "tcp6", "icmp",
                                           "none", "any", "tc",   "t",    "udp\n" };

        (void)state;
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
                enum proto p = PROTO_COUNT;

                assert_int_equal(parse_proto(ok[i].in, &p), 0);
                assert_int_equal(p, ok[i].proto);
        }
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                enum proto p = PROTO_COUNT;

                if (parse_proto(bad[i], &p) != -EINVAL)
                        fail_msg("parse_proto(\"%s\") accepted", bad[i]);
                assert_int_equal(p, PROTO_COUNT);
        }
}

struct spec_case {
        const char *in;
        int ret;
        uint16_t port;
        unsigned mask;
};

static const struct spec_case spec_cases[] = {
        { "22", 0, 22, PROTO_MASK_ALL },
        { "0", 0, 0, PROTO_MASK_ALL },
        { "65535", 0, 65535, PROTO_MASK_ALL },
        { "22/tcp", 0, 22, PROTO_BIT(PROTO_TCP) },
        { "22/TCP", 0, 22, PROTO_BIT(PROTO_TCP) },
        { "53/udp", 0, 53, PROTO_BIT(PROTO_UDP) },
        { "9/sctp", 0, 9, PROTO_BIT(PROTO_SCTP) },
        { "9/dccp", 0, 9, PROTO_BIT(PROTO_DCCP) },
        { "0/udp", 0, 0, PROTO_BIT(PROTO_UDP) },
        { "65535/tcp", 0, 65535, PROTO_BIT(PROTO_TCP) },
        { "6001/tcp", 0, 6001, PROTO_BIT(PROTO_TCP) },
        /* The port part means the same with or without a protocol after it. */
        { "022/tcp", 0, 22, PROTO_BIT(PROTO_TCP) },
        { "0000000000022/tcp", 0, 22, PROTO_BIT(PROTO_TCP) },
        { "", -EINVAL, 0, 0 },
        { "70000", -ERANGE, 0, 0 },
        { "-1", -EINVAL, 0, 0 },
        { "+22", -EINVAL, 0, 0 },
        { " 22", -EINVAL, 0, 0 },
        { "0x16", -EINVAL, 0, 0 },
        { "22/xyz", -EPROTONOSUPPORT, 0, 0 },
        { "22/", -EPROTONOSUPPORT, 0, 0 },
        { "22/tcp/udp", -EPROTONOSUPPORT, 0, 0 },
        { "22/tcp ", -EPROTONOSUPPORT, 0, 0 },
        { "22/ tcp", -EPROTONOSUPPORT, 0, 0 },
        { "/tcp", -EINVAL, 0, 0 },
        { "/", -EINVAL, 0, 0 },
        { "70000/tcp", -ERANGE, 0, 0 },
        { "70000/xyz", -ERANGE, 0, 0 },
        { "123456789/tcp", -ERANGE, 0, 0 },
        { "99999999999999999999/udp", -ERANGE, 0, 0 },
        { "-1/tcp", -EINVAL, 0, 0 },
        { "+22/tcp", -EINVAL, 0, 0 },
        { "0x16/tcp", -EINVAL, 0, 0 },
        { "22 /tcp", -EINVAL, 0, 0 },
        { "ssh/tcp", -EINVAL, 0, 0 },
        { "abcdefghijkl/tcp", -EINVAL, 0, 0 },
        { "1234567890abc/tcp", -EINVAL, 0, 0 },
};

static void test_parse_port_spec(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(spec_cases) / sizeof(spec_cases[0]); i++) {
                const struct spec_case *c = &spec_cases[i];
                uint16_t port = SENTINEL_PORT;
                unsigned mask = SENTINEL_MASK;
                int r = parse_port_spec(c->in, &port, &mask);

                if (r != c->ret)
                        fail_msg("parse_port_spec(\"%s\") = %d, want %d", c->in, r, c->ret);
                if (r == 0 && (port != c->port || mask != c->mask))
                        fail_msg("parse_port_spec(\"%s\"): port %u mask %#x, want %u %#x", c->in,
                                 port, mask, c->port, c->mask);
                if (r < 0 && (port != SENTINEL_PORT || mask != SENTINEL_MASK))
                        fail_msg("parse_port_spec(\"%s\") wrote its outputs on failure", c->in);
        }
}

/* The default mask covers protocol-less registry rows too. */
static void test_parse_port_spec_default_mask(void **state)
{
        uint16_t port;
        unsigned mask;

        (void)state;
        assert_int_equal(parse_port_spec("1776", &port, &mask), 0);
        for (enum proto p = PROTO_TCP; p < PROTO_COUNT; p++)
                assert_true(mask & PROTO_BIT(p));
}

struct range_case {
        const char *in;
        int ret;
        uint16_t lo, hi;
};

static const struct range_case range_cases[] = {
        { "6000-6010", 0, 6000, 6010 },
        { "0-65535", 0, 0, 65535 },
        { "3-9", 0, 3, 9 },
        { "5-5", 0, 5, 5 },
        { "5", 0, 5, 5 },
        { "0", 0, 0, 0 },
        { "65535", 0, 65535, 65535 },
        { "65535-65535", 0, 65535, 65535 },
        { "007-010", 0, 7, 10 },
        { "000000000001-2", 0, 1, 2 },
        { "9-3", -EDOM, 0, 0 },
        { "65535-0", -EDOM, 0, 0 },
        { "1-70000", -ERANGE, 0, 0 },
        { "70000-1", -ERANGE, 0, 0 },
        { "70000-80000", -ERANGE, 0, 0 },
        { "70000", -ERANGE, 0, 0 },
        { "123456789-1", -ERANGE, 0, 0 },
        { "", -EINVAL, 0, 0 },
        { "-", -EINVAL, 0, 0 },
        { "-5", -EINVAL, 0, 0 },
        { "5-", -EINVAL, 0, 0 },
        { "a-b", -EINVAL, 0, 0 },
        { "1-2-3", -EINVAL, 0, 0 },
        { "1 - 2", -EINVAL, 0, 0 },
        { "1--2", -EINVAL, 0, 0 },
        { "+1-2", -EINVAL, 0, 0 },
        { "1-+2", -EINVAL, 0, 0 },
        { "0x10-0x20", -EINVAL, 0, 0 },
        { "1-2 ", -EINVAL, 0, 0 },
        { "abcdefghijkl-2", -EINVAL, 0, 0 },
        { "6000-6010/tcp", -EINVAL, 0, 0 },
};

static void test_parse_range(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(range_cases) / sizeof(range_cases[0]); i++) {
                const struct range_case *c = &range_cases[i];
                uint16_t lo = SENTINEL_PORT, hi = SENTINEL_PORT;
                int r = parse_range(c->in, &lo, &hi);

                if (r != c->ret)
                        fail_msg("parse_range(\"%s\") = %d, want %d", c->in, r, c->ret);
                if (r == 0 && (lo != c->lo || hi != c->hi))
                        fail_msg("parse_range(\"%s\"): %u-%u, want %u-%u", c->in, lo, hi, c->lo,
                                 c->hi);
                if (r < 0 && (lo != SENTINEL_PORT || hi != SENTINEL_PORT))
                        fail_msg("parse_range(\"%s\") wrote its outputs on failure", c->in);
        }
}

static void test_parse_looks_numeric(void **state)
{
        /* Blanks before a number do not make it a name: " 22" is refused as a port. */
        static const char *const numeric[] = { "22",     "0",    "70000", "-1",  "+22", "0x16",
                                               "9-3",    "22/xyz", "1abc", " 22", "\t-1" };
        static const char *const names[] = { "", " ", "ssh", "x11", "femis", "/22", "\xd9\xa2" };

        (void)state;
        for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++)
                if (!parse_looks_numeric(numeric[i]))
                        fail_msg("\"%s\" should be taken as a port", numeric[i]);
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (parse_looks_numeric(names[i]))
                        fail_msg("\"%s\" should be taken as a name", names[i]);
}

/* The byte-range forms mean what the NUL-terminated ones do on the same bytes. */
static void test_parse_n_forms(void **state)
{
        uint16_t port = SENTINEL_PORT, lo = SENTINEL_PORT, hi = SENTINEL_PORT;
        enum proto p = PROTO_COUNT;

        (void)state;
        assert_int_equal(parse_port_n("22/tcp", 2, &port), 0);
        assert_int_equal(port, 22);
        assert_int_equal(parse_port_n("0000000000022", 13, &port), 0);
        assert_int_equal(parse_port_n("65536", 5, &port), -ERANGE);
        assert_int_equal(parse_port_n("99999x", 6, &port), -EINVAL);
        assert_int_equal(parse_port_n("", 0, &port), -EINVAL);
        assert_int_equal(port, 22);
        assert_int_equal(parse_proto_n("udp/x", 3, &p), 0);
        assert_int_equal(p, PROTO_UDP);
        assert_int_equal(parse_proto_n("SCTP", 4, &p), 0);
        assert_int_equal(p, PROTO_SCTP);
        assert_int_equal(parse_proto_n("tcpx", 3, &p), 0);
        assert_int_equal(parse_proto_n("tc", 2, &p), -EINVAL);
        assert_int_equal(parse_proto_n("", 0, &p), -EINVAL);
        assert_int_equal(parse_range_n("10-20/tcp", 5, &lo, &hi), 0);
        assert_int_equal(lo, 10);
        assert_int_equal(hi, 20);
        assert_int_equal(parse_range_n("20-10", 5, &lo, &hi), -EDOM);
        assert_int_equal(parse_range_n("1-70000", 7, &lo, &hi), -ERANGE);
        assert_int_equal(parse_range_n("1-", 2, &lo, &hi), -EINVAL);
        assert_int_equal(lo, 10);
}

/* The ports of text such as ip_local_port_range, one after the other. */
static void test_parse_port_prefix(void **state)
{
        const char *text = "32768\t60999\n", *p = text;
        uint16_t port = SENTINEL_PORT;

        (void)state;
        assert_int_equal(parse_port_prefix(&p, &port), 0);
        assert_int_equal(port, 32768);
        assert_ptr_equal(p, text + 5);
        assert_int_equal(parse_port_prefix(&p, &port), -EINVAL); /* at the tab */
        assert_ptr_equal(p, text + 5);
        p++;
        assert_int_equal(parse_port_prefix(&p, &port), 0);
        assert_int_equal(port, 60999);
        assert_int_equal(*p, '\n');
        p = "70000,1";
        assert_int_equal(parse_port_prefix(&p, &port), -ERANGE);
        assert_string_equal(p, "70000,1");
        p = "00000000000000000080-90";
        assert_int_equal(parse_port_prefix(&p, &port), 0);
        assert_int_equal(port, 80);
        assert_string_equal(p, "-90");
        assert_int_equal(port, 80);
}

static struct portdb db;

static int open_db(void **state)
{
        (void)state;
        portdb_open_embedded(&db);
        return 0;
}

struct resolve_case {
        const char *in;
        unsigned allowed;
        int ret;
        uint16_t port;      /* the first row's */
        unsigned protos;    /* bits the first row must have (0: the exact mask below) */
        unsigned exact;     /* the first row's exact mask, when protos is 0 */
        bool named;         /* on failure */
        size_t name_len;    /* on failure */
};

#define TCP     PROTO_BIT(PROTO_TCP)
#define UDP     PROTO_BIT(PROTO_UDP)
#define SCTP    PROTO_BIT(PROTO_SCTP)
#define TCP_UDP PROTO_MASK_TCP_UDP
#define ALL     PROTO_MASK_ALL

static const struct resolve_case resolve_cases[] = {
        /* Numbers: every protocol allowed, or those the command has. */
        { "22", ALL, 0, 22, 0, ALL, false, 0 },
        { "22", TCP_UDP, 0, 22, 0, TCP_UDP, false, 0 },
        { "0", ALL, 0, 0, 0, ALL, false, 0 },
        { "65535", ALL, 0, 65535, 0, ALL, false, 0 },
        { "53/udp", ALL, 0, 53, 0, UDP, false, 0 },
        { "53/UDP", TCP_UDP, 0, 53, 0, UDP, false, 0 },
        { "9/sctp", ALL, 0, 9, 0, SCTP, false, 0 },
        { "0022/tcp", ALL, 0, 22, 0, TCP, false, 0 },
        { "70000", ALL, -ERANGE, 0, 0, 0, false, 0 },
        { "70000/tcp", ALL, -ERANGE, 0, 0, 0, false, 0 },
        { "22abc", ALL, -EINVAL, 0, 0, 0, false, 0 },
        { "-1", ALL, -EINVAL, 0, 0, 0, false, 0 },
        { "+22", ALL, -EINVAL, 0, 0, 0, false, 0 },
        { " 22", ALL, -EINVAL, 0, 0, 0, false, 0 },
        { "6000-6010", ALL, -EINVAL, 0, 0, 0, false, 0 }, /* a range is not one argument */
        { "22/xyz", ALL, -EPROTONOSUPPORT, 0, 0, 0, false, 0 },
        { "22/", TCP_UDP, -EPROTONOSUPPORT, 0, 0, 0, false, 0 },
        { "22/sctp", TCP_UDP, -EOPNOTSUPP, 0, 0, 0, false, 0 },
        /* Names, also those that start with a digit or hold a slash. */
        { "ssh", ALL, 0, 22, TCP_UDP, 0, false, 0 },
        { "SSH", TCP_UDP, 0, 22, 0, TCP_UDP, false, 0 },
        { "ssh/udp", ALL, 0, 22, 0, UDP, false, 0 },
        { "domain/udp", TCP_UDP, 0, 53, 0, UDP, false, 0 },
        { "3com-tsmux", ALL, 0, 106, TCP_UDP, 0, false, 0 },
        { "3com-tsmux", TCP_UDP, 0, 106, TCP_UDP, 0, false, 0 },
        { "914c/g", ALL, 0, 211, TCP, 0, false, 0 },
        { "914c/g", TCP_UDP, 0, 211, TCP, 0, false, 0 },
        { "itu-bicc-stc", ALL, 0, 3097, SCTP, 0, false, 0 },
        { "3com-tsmux/udp", ALL, -EINVAL, 0, 0, 0, false, 0 }, /* numeric, not a whole name */
        { "ssh/xyz", ALL, -EPROTONOSUPPORT, 0, 0, 0, true, 3 },
        { "ssh/", ALL, -EPROTONOSUPPORT, 0, 0, 0, true, 3 },
        { "ssh/sctp", TCP_UDP, -EOPNOTSUPP, 0, 0, 0, true, 3 },
        { "no-such-service", ALL, -ENOENT, 0, 0, 0, true, 15 },
        { "no-such-service/tcp", TCP_UDP, -ENOENT, 0, 0, 0, true, 15 },
        { "/tcp", ALL, -ENOENT, 0, 0, 0, true, 4 },
        { "ssh/tcp/udp", ALL, -ENOENT, 0, 0, 0, true, 7 },
        { "", ALL, -ENOENT, 0, 0, 0, true, 0 },
        { "7ksonar", ALL, -ENODATA, 0, 0, 0, true, 7 },
        { "7ksonar/tcp", ALL, -EINVAL, 0, 0, 0, false, 0 }, /* numeric, not a whole name */
        { "ab-secure", ALL, -ENODATA, 0, 0, 0, true, 9 },
        { "ab-secure/tcp", ALL, -ENOPROTOOPT, 0, 0, 0, true, 9 },
        { "ident/udp", ALL, -ENOPROTOOPT, 0, 0, 0, true, 5 },
        { "itu-bicc-stc", TCP_UDP, -ENOPROTOOPT, 0, 0, 0, true, 12 },
};

static void test_resolve_cases(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(resolve_cases) / sizeof(resolve_cases[0]); i++) {
                const struct resolve_case *c = &resolve_cases[i];
                struct resolve_port v[8] = {{SENTINEL_PORT, SENTINEL_MASK}};
                struct resolve_why why = {0};
                size_t n = 0;
                int r = resolve_arg(&db, c->in, c->allowed, v, &n, 8, &why);

                if (r != c->ret)
                        fail_msg("resolve_arg(\"%s\", %#x) = %d, want %d", c->in, c->allowed, r,
                                 c->ret);
                if (r < 0) {
                        if (n != 0 || v[0].port != SENTINEL_PORT || v[0].protos != SENTINEL_MASK)
                                fail_msg("resolve_arg(\"%s\") wrote rows on failure", c->in);
                        if (why.named != c->named || (c->named && why.name_len != c->name_len))
                                fail_msg("resolve_arg(\"%s\"): named %d, name_len %zu", c->in,
                                         why.named, why.name_len);
                        continue;
                }
                if (n == 0 || v[0].port != c->port)
                        fail_msg("resolve_arg(\"%s\"): %zu rows, port %u, want %u", c->in, n,
                                 v[0].port, c->port);
                if (c->protos ? (v[0].protos & c->protos) != c->protos : v[0].protos != c->exact)
                        fail_msg("resolve_arg(\"%s\"): protocols %#x", c->in, v[0].protos);
                for (size_t k = 0; k < n; k++)
                        if (v[k].protos & ~c->allowed)
                                fail_msg("resolve_arg(\"%s\"): protocols %#x beyond %#x", c->in,
                                         v[k].protos, c->allowed);
        }
}

/* What the errors that need more than a code carry. */
static void test_resolve_why(void **state)
{
        struct resolve_port v[4];
        struct resolve_why why;
        char longest[RESOLVE_MAX_ARG + 2];
        size_t n = 0;

        (void)state;
        assert_int_equal(resolve_arg(&db, "ident/udp", ALL, v, &n, 4, &why), -ENOPROTOOPT);
        assert_int_equal(why.proto, PROTO_UDP);
        assert_int_equal(resolve_arg(&db, "7ksonar", ALL, v, &n, 4, &why), -ENODATA);
        assert_string_equal(portdb_str(&db, db.iana[db.names[why.first]].service), "7ksonar");
        memset(longest, '1', sizeof(longest) - 1);
        longest[sizeof(longest) - 1] = '\0';
        assert_int_equal(resolve_arg(&db, longest, ALL, v, &n, 4, &why), -ENAMETOOLONG);
        longest[RESOLVE_MAX_ARG] = '\0';
        assert_int_equal(resolve_arg(&db, longest, ALL, v, &n, 4, &why), -ERANGE);
        assert_int_equal(n, 0);
}

/* A name's ports join rows already listed; rows beyond the cap are refused whole. */
static void test_resolve_merge_and_cap(void **state)
{
        struct resolve_port v[5];
        struct resolve_why why;
        size_t n = 0;

        (void)state;
        assert_int_equal(resolve_arg(&db, "22/tcp", ALL, v, &n, 4, &why), 0);
        assert_int_equal(resolve_arg(&db, "ssh/udp", ALL, v, &n, 4, &why), 0);
        assert_int_equal(n, 1);
        assert_int_equal(v[0].protos, TCP | UDP);
        /* Numbers are never merged: "22 22" answers twice. */
        assert_int_equal(resolve_arg(&db, "22", ALL, v, &n, 4, &why), 0);
        assert_int_equal(n, 2);
        /* http-alt names three ports: two more rows do not fit. */
        assert_int_equal(resolve_arg(&db, "http-alt", ALL, v, &n, 4, &why), -E2BIG);
        assert_int_equal(n, 2);
        assert_int_equal(v[0].protos, TCP | UDP);
        assert_int_equal(resolve_arg(&db, "http-alt", ALL, v, &n, 5, &why), 0);
        assert_int_equal(n, 5);
        n = 4;
        assert_int_equal(resolve_arg(&db, "80", ALL, v, &n, 4, &why), -E2BIG);
        assert_int_equal(n, 4);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_port),
                cmocka_unit_test(test_parse_port_every_value),
                cmocka_unit_test(test_parse_proto),
                cmocka_unit_test(test_parse_port_spec),
                cmocka_unit_test(test_parse_port_spec_default_mask),
                cmocka_unit_test(test_parse_range),
                cmocka_unit_test(test_parse_looks_numeric),
                cmocka_unit_test(test_parse_n_forms),
                cmocka_unit_test(test_parse_port_prefix),
                cmocka_unit_test(test_resolve_cases),
                cmocka_unit_test(test_resolve_why),
                cmocka_unit_test(test_resolve_merge_and_cap),
        };

        return cmocka_run_group_tests(tests, open_db, NULL);
}

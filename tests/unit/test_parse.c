/* test_parse: every accepted and refused form of a port, a protocol, PORT/PROTO and LO-HI.
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
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_procnet: the /proc/net fallback on tables copied from a kernel (tests/fixtures/proc/net/)
 * and on lines that are not records.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "procnet.h"

static const struct sockdiag_query all = {
    .protos = PROTO_MASK_TCP_UDP,
    .families = SOCKDIAG_V4 | SOCKDIAG_V6,
    .tcp_states = SOCK_STATES_ALL,
    .udp_states = SOCK_STATES_ALL,
};

static void test_line_v4(void **state)
{
        static const char line[] = "   2: 0100007F:1389 0100007F:92B8 01 00000010:00000020 "
                                   "00:00000000 00000000  1000        0 1008 1 "
                                   "000000002d499779 20 0 0 10 -1";
        static const uint8_t loop[4] = {127, 0, 0, 1};
        struct sock_row r;

        (void)state;
        assert_int_equal(procnet_parse_line(line, strlen(line), PROTO_TCP, AF_INET, &r), 0);
        assert_int_equal(r.family, AF_INET);
        assert_int_equal(r.proto, PROTO_TCP);
        assert_memory_equal(r.local, loop, 4);
        assert_memory_equal(r.remote, loop, 4);
        assert_int_equal(r.lport, 5001);
        assert_int_equal(r.rport, 0x92B8);
        assert_int_equal(r.state, SOCK_ESTABLISHED);
        assert_int_equal(r.wqueue, 0x10);
        assert_int_equal(r.rqueue, 0x20);
        assert_int_equal(r.uid, 1000);
        assert_int_equal(r.inode, 1008);
        assert_int_equal(r.v6only, -1);
}

static void test_line_v6(void **state)
{
        static const char line[] = "   0: 00000000000000000000000001000000:138B "
                                   "00000000000000000000000000000000:0000 0A 00000000:00000000 "
                                   "00:00000000 00000000     0        0 1003 1 0000000085223ed5";
        static const uint8_t loop6[16] = {[15] = 1};
        struct sock_row r;

        (void)state;
        assert_int_equal(procnet_parse_line(line, strlen(line), PROTO_TCP, AF_INET6, &r), 0);
        assert_memory_equal(r.local, loop6, 16);
        assert_int_equal(r.lport, 5003);
        assert_int_equal(r.state, SOCK_LISTEN);
        /* The same line read as IPv4 is not a record. */
        assert_int_equal(procnet_parse_line(line, strlen(line), PROTO_TCP, AF_INET, &r), -EINVAL);
}

static void test_bad_lines(void **state)
{
        static const char *const bad[] = {
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   "
            "uid  timeout inode",
            "",
            "   0:",
            "   0: 0100007F:1389",
            "   0: 0100007G:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
            "   0: 0100007F:1389 00000000:0000 00 00000000:00000000 00:00000000 00000000 0 0 1",
            "   0: 0100007F:1389 00000000:0000 FF 00000000:00000000 00:00000000 00000000 0 0 1",
            "   0: 0100007F:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0",
            "   0: 0100007F:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000 x 0 1",
            "   0: 0100007F:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000 "
            "99999999999 0 1",
            "   0: 0100007F:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 "
            "99999999999999999999999",
        };
        struct sock_row r = {.lport = 4242};

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_int_equal(procnet_parse_line(bad[i], strlen(bad[i]), PROTO_TCP, AF_INET, &r),
                                 -EINVAL);
        assert_int_equal(r.lport, 4242); /* untouched on error */
        assert_int_equal(procnet_parse_line("x", 1, PROTO_SCTP, AF_INET, &r), -EINVAL);
        assert_int_equal(procnet_parse_line("x", 1, PROTO_TCP, AF_UNIX, &r), -EINVAL);
}

/* A table parsed whole, and the same bytes cut short anywhere: never past the end. */
static void test_table(void **state)
{
        static const char table[] =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   "
            "uid  timeout inode\n"
            "   0: 00000000:138A 00000000:0000 0A 00000000:00000000 00:00000000 00000000  "
            "1000        0 1002 1 0000000022eeb561 100 0 0 10 0\n"
            "   1: 0100007F:1389 00000000:0000 0A 00000000:00000000 00:00000000 00000000     "
            "0        0 1001 1 000000000a961a6e 100 0 0 10 0\n"
            "garbage\n"
            "   2: 0100007F:1389 0100007F:A000 06 00000000:00000000 03:00001770 00000000     "
            "0        0 0 3 0000000000000000";
        struct sockdiag_query listen = all;
        uint16_t port = 5002;
        struct sock_table t = {0};

        (void)state;
        assert_int_equal(procnet_parse(table, sizeof(table) - 1, PROTO_TCP, AF_INET, &all, &t), 3);
        assert_int_equal(t.rows[2].state, SOCK_TIME_WAIT);
        assert_int_equal(t.rows[2].inode, 0);
        t.n = 0;
        listen.tcp_states = SOCK_STATE_BIT(SOCK_LISTEN);
        assert_int_equal(procnet_parse(table, sizeof(table) - 1, PROTO_TCP, AF_INET, &listen, &t),
                         2);
        t.n = 0;
        listen.ports = &port;
        listen.n_ports = 1;
        assert_int_equal(procnet_parse(table, sizeof(table) - 1, PROTO_TCP, AF_INET, &listen, &t),
                         1);
        assert_int_equal(t.rows[0].inode, 1002);
        for (size_t cut = 0; cut < sizeof(table) - 1; cut++) {
                char *part = test_malloc(cut ? cut : 1);

                memcpy(part, table, cut);
                t.n = 0;
                assert_true(procnet_parse(part, cut, PROTO_TCP, AF_INET, &all, &t) <= 3);
                test_free(part);
        }
        sock_table_done(&t);
}

/* The fixture tables through the reader, filtered by protocol, family and state. */
static void test_query_fixture(void **state)
{
        struct sock_table t = {0};
        struct sockdiag_query q = all;
        size_t listen = 0;

        (void)state;
        assert_int_equal(procnet_query(FIXTURE_DIR "/proc", &q, &t), 0);
        /* tcp: 5 listeners, 2 connected, 1 TIME_WAIT; tcp6: 2; udp: 2; udp6: 1 */
        assert_int_equal(t.n, 13);
        for (size_t i = 0; i < t.n; i++)
                listen += sock_is_listener((enum proto)t.rows[i].proto, t.rows[i].state);
        assert_int_equal(listen, 10);
        sock_table_done(&t);

        q.protos = PROTO_BIT(PROTO_UDP);
        q.families = SOCKDIAG_V6;
        assert_int_equal(procnet_query(FIXTURE_DIR "/proc", &q, &t), 0);
        assert_int_equal(t.n, 1);
        assert_int_equal(t.rows[0].lport, 5006);
        assert_int_equal(t.rows[0].family, AF_INET6);
        sock_table_done(&t);

        assert_int_equal(procnet_query(FIXTURE_DIR "/no-such-dir", &all, &t), -ENOENT);
        assert_int_equal(t.n, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_line_v4),       cmocka_unit_test(test_line_v6),
            cmocka_unit_test(test_bad_lines),     cmocka_unit_test(test_table),
            cmocka_unit_test(test_query_fixture),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

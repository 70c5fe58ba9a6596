/* test_inspect: exposure in words, the ephemeral range files, and the whole join run on the
 * fixture tree (its /proc/net tables, its processes, a fixture passwd) without a kernel.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "inspect.h"

static void test_exposure(void **state)
{
        struct sock_row r = {.family = AF_INET};

        (void)state;
        assert_int_equal(inspect_exposure(&r), EXPOSURE_ALL);
        r.local[0] = 127, r.local[3] = 1;
        assert_int_equal(inspect_exposure(&r), EXPOSURE_LOOPBACK);
        r.local[0] = 127, r.local[2] = 9; /* all of 127.0.0.0/8 */
        assert_int_equal(inspect_exposure(&r), EXPOSURE_LOOPBACK);
        r.local[0] = 10;
        assert_int_equal(inspect_exposure(&r), EXPOSURE_ADDRESS);
        memset(&r, 0, sizeof(r));
        r.family = AF_INET6;
        assert_int_equal(inspect_exposure(&r), EXPOSURE_ALL);
        r.local[15] = 1;
        assert_int_equal(inspect_exposure(&r), EXPOSURE_LOOPBACK);
        r.local[10] = r.local[11] = 0xff, r.local[12] = 127; /* ::ffff:127.0.0.1 */
        assert_int_equal(inspect_exposure(&r), EXPOSURE_LOOPBACK);
        r.local[12] = 192;
        assert_int_equal(inspect_exposure(&r), EXPOSURE_ADDRESS);
        memset(r.local, 0, 16);
        r.local[0] = 0xfe, r.local[1] = 0x80, r.local[15] = 1;
        assert_int_equal(inspect_exposure(&r), EXPOSURE_ADDRESS);
}

static void test_port_range(void **state)
{
        uint16_t lo = 1, hi = 2;

        (void)state;
        assert_int_equal(inspect_parse_port_range("32768\t60999\n", &lo, &hi), 0);
        assert_int_equal(lo, 32768);
        assert_int_equal(hi, 60999);
        assert_int_equal(inspect_parse_port_range("1024 1024", &lo, &hi), 0);
        assert_int_equal(lo, 1024);
        lo = hi = 7;
        assert_int_equal(inspect_parse_port_range("60999 32768\n", &lo, &hi), -EINVAL);
        assert_int_equal(inspect_parse_port_range("32768", &lo, &hi), -EINVAL);
        assert_int_equal(inspect_parse_port_range("1 70000", &lo, &hi), -EINVAL);
        assert_int_equal(inspect_parse_port_range("1 2 3", &lo, &hi), -EINVAL);
        assert_int_equal(inspect_parse_port_range("", &lo, &hi), -EINVAL);
        assert_int_equal(lo, 7);

        assert_true(inspect_port_reserved("40001,50000-50010\n", 40001));
        assert_true(inspect_port_reserved("40001,50000-50010\n", 50005));
        assert_false(inspect_port_reserved("40001,50000-50010\n", 40000));
        assert_false(inspect_port_reserved("\n", 40000));
        assert_false(inspect_port_reserved("", 1));
        assert_false(inspect_port_reserved("x", 1));
}

static const struct inspect_socket *find(const struct inspect_report *r, enum proto proto,
                                         uint16_t lport, unsigned state)
{
        for (size_t i = 0; i < r->n; i++)
                if (r->socks[i].row.proto == proto && r->socks[i].row.lport == lport &&
                    r->socks[i].row.state == state)
                        return &r->socks[i];
        return NULL;
}

/* Every listener of the fixture, with holders, users, exposure and the ephemeral note. */
static void test_listeners(void **state)
{
        struct inspect_request req = {.proc_root = FIXTURE_DIR "/proc",
                                      .passwd = FIXTURE_DIR "/who/passwd",
                                      .use_procnet = true};
        struct inspect_report rep;
        const struct inspect_socket *s;

        (void)state;
        assert_int_equal(inspect_run(&req, &rep), 0);
        assert_true(rep.used_procnet);
        assert_int_equal(rep.n, 10); /* 7 TCP listeners and 3 UDP; nothing connected */
        for (size_t i = 1; i < rep.n; i++)
                assert_true(rep.socks[i - 1].port <= rep.socks[i].port);
        s = find(&rep, PROTO_TCP, 5001, SOCK_LISTEN);
        assert_non_null(s);
        assert_int_equal(s->exposure, EXPOSURE_LOOPBACK);
        assert_int_equal(s->n_holds, 2);
        assert_int_equal(inspect_proc(&rep, s, 0)->pid, 100);
        assert_int_equal(inspect_proc(&rep, s, 1)->pid, 101);
        assert_string_equal(inspect_proc(&rep, s, 0)->exe, "/usr/local/bin/listener");
        assert_string_equal(s->user, "root");
        s = find(&rep, PROTO_TCP, 5002, SOCK_LISTEN);
        assert_int_equal(s->exposure, EXPOSURE_ALL);
        assert_string_equal(s->user, "alice");
        s = find(&rep, PROTO_TCP, 5004, SOCK_LISTEN);
        assert_int_equal(s->row.family, AF_INET6);
        assert_string_equal(s->user, "www-data");
        s = find(&rep, PROTO_TCP, 40000, SOCK_LISTEN);
        assert_true(s->ephemeral);
        assert_int_equal(inspect_proc(&rep, s, 0)->pid, 300);
        s = find(&rep, PROTO_TCP, 40001, SOCK_LISTEN); /* reserved from the range */
        assert_false(s->ephemeral);
        assert_int_equal(inspect_proc(&rep, s, 0)->pid, 700);
        s = find(&rep, PROTO_TCP, 27374, SOCK_LISTEN);
        assert_int_equal(s->n_holds, 0);
        s = find(&rep, PROTO_UDP, 6000, SOCK_CLOSE);
        assert_true(inspect_proc(&rep, s, 0)->exe_replaced);
        assert_int_equal(rep.netns[0].eph_lo, 32768);
        assert_int_equal(rep.netns[0].eph_hi, 60999);
        inspect_done(&rep);
}

/* A port: the listener, both ends of the connection, the TIME_WAIT; -l keeps the listener. */
static void test_port(void **state)
{
        struct inspect_spec spec = {5001, PROTO_MASK_TCP_UDP};
        struct inspect_request req = {.specs = &spec,
                                      .n_specs = 1,
                                      .proc_root = FIXTURE_DIR "/proc",
                                      .passwd = FIXTURE_DIR "/who/passwd",
                                      .use_procnet = true};
        struct inspect_report rep;
        const struct inspect_socket *s;

        (void)state;
        assert_int_equal(inspect_run(&req, &rep), 0);
        assert_int_equal(rep.n, 4);
        assert_true(rep.socks[0].listener); /* listeners first */
        s = find(&rep, PROTO_TCP, 0x92B8, SOCK_ESTABLISHED);
        assert_non_null(s);
        assert_true(s->remote_match);
        assert_int_equal(s->port, 5001);
        assert_int_equal(s->n_holds, 2);
        s = find(&rep, PROTO_TCP, 5001, SOCK_TIME_WAIT);
        assert_non_null(s);
        assert_int_equal(s->n_holds, 0);
        inspect_done(&rep);

        req.listeners_only = true;
        assert_int_equal(inspect_run(&req, &rep), 0);
        assert_int_equal(rep.n, 1);
        inspect_done(&rep);

        spec.protos = PROTO_BIT(PROTO_UDP); /* 5001/udp: nothing */
        req.listeners_only = false;
        assert_int_equal(inspect_run(&req, &rep), 0);
        assert_int_equal(rep.n, 0);
        inspect_done(&rep);

        spec.protos = PROTO_BIT(PROTO_SCTP);
        assert_int_equal(inspect_run(&req, &rep), -EINVAL);
        inspect_done(&rep);
}

/* The same question asked of the kernel: it answers (maybe with nothing), never fails. */
static void test_live_kernel(void **state)
{
        struct inspect_spec spec = {1, PROTO_MASK_TCP_UDP};
        struct inspect_request req = {.specs = &spec, .n_specs = 1};
        struct inspect_report rep;

        (void)state;
        assert_int_equal(inspect_run(&req, &rep), 0);
        assert_true(rep.n_netns >= 1);
        inspect_done(&rep);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_exposure),    cmocka_unit_test(test_port_range),
            cmocka_unit_test(test_listeners),   cmocka_unit_test(test_port),
            cmocka_unit_test(test_live_kernel),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

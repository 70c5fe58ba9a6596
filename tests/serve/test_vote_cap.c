/* test_vote_cap: the network a client counts as for the vote cap (vote_net), and the cap as the
 * SQLite vote store keeps it (feedback_record with a struct vote_cap), in-process.  The same cap
 * on PostgreSQL and over HTTP is tests/pg/test_pg.py's and test_vote_cap.py's. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "feedback.h"
#include "vote.h"

static void net_of(const char *addr, char out[VOTE_NET_LEN])
{
        struct sockaddr_in in = {.sin_family = AF_INET};
        struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};

        if (inet_pton(AF_INET, addr, &in.sin_addr) == 1)
                assert_int_equal(vote_net((struct sockaddr *)&in, out), 0);
        else if (inet_pton(AF_INET6, addr, &in6.sin6_addr) == 1)
                assert_int_equal(vote_net((struct sockaddr *)&in6, out), 0);
        else
                fail_msg("not an address: %s", addr);
}

static void test_vote_net(void **state)
{
        char net[VOTE_NET_LEN];
        struct sockaddr_un un = {.sun_family = AF_UNIX};

        net_of("198.51.100.77", net);
        assert_string_equal(net, "198.51.100.0/24");
        net_of("198.51.100.0", net);
        assert_string_equal(net, "198.51.100.0/24");
        net_of("198.51.101.77", net);
        assert_string_equal(net, "198.51.101.0/24");
        net_of("127.0.0.1", net);
        assert_string_equal(net, "127.0.0.0/24");
        /* An IPv4-mapped IPv6 address is the IPv4 client it stands for. */
        net_of("::ffff:198.51.100.200", net);
        assert_string_equal(net, "198.51.100.0/24");
        net_of("2001:db8:1:2:3:4:5:6", net);
        assert_string_equal(net, "2001:db8:1:2::/64");
        net_of("2001:db8:1:2:ffff:ffff:ffff:ffff", net);
        assert_string_equal(net, "2001:db8:1:2::/64");
        net_of("2001:db8:1:3::1", net);
        assert_string_equal(net, "2001:db8:1:3::/64");
        net_of("::1", net);
        assert_string_equal(net, "::/64");
        net_of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", net);
        assert_string_equal(net, "ffff:ffff:ffff:ffff::/64");
        assert_int_equal(vote_net((struct sockaddr *)&un, net), -EAFNOSUPPORT);
        assert_string_equal(net, "");
}

struct store {
        char dir[64];
        char path[96];
};

static int store_setup(void **state)
{
        struct store *s = calloc(1, sizeof(*s));

        assert_non_null(s);
        snprintf(s->dir, sizeof(s->dir), "/tmp/portinfo-cap.XXXXXX");
        assert_non_null(mkdtemp(s->dir));
        snprintf(s->path, sizeof(s->path), "%s/feedback.sqlite", s->dir);
        *state = s;
        return 0;
}

static int store_teardown(void **state)
{
        struct store *s = *state;
        char p[128];

        for (const char *const *x = (const char *const[]){"", "-wal", "-shm", "-journal", NULL}; *x;
             x++) {
                snprintf(p, sizeof(p), "%s%s", s->path, *x);
                unlink(p);
        }
        rmdir(s->dir);
        free(s);
        return 0;
}

/* A voter id from a number: 32 hex digits. */
static const char *voter(unsigned i, char out[VOTER_ID_LEN + 1])
{
        snprintf(out, VOTER_ID_LEN + 1, "%032x", i);
        return out;
}

static unsigned total(const struct feedback_counts *c)
{
        return c->n[VOTE_SAD] + c->n[VOTE_MEH] + c->n[VOTE_HAPPY];
}

static void test_cap_sqlite(void **state)
{
        struct store *s = *state;
        struct feedback *fb = NULL;
        struct feedback_counts c;
        struct vote_cap cap = {.net = "198.51.100.0/24", .day = 20000, .limit = 3};
        struct vote_cap other = {.net = "198.51.101.0/24", .day = 20000, .limit = 3};
        struct vote_cap tomorrow = {.net = "198.51.100.0/24", .day = 20001, .limit = 3};
        char v[VOTER_ID_LEN + 1];

        assert_int_equal(feedback_open(s->path, false, &fb), 0);
        /* Three new voters are taken, the fourth is refused and changes nothing. */
        for (unsigned i = 1; i <= 3; i++) {
                assert_int_equal(feedback_record(fb, 1777, voter(i, v), VOTE_SAD, &cap, &c), 0);
                assert_int_equal(c.n[VOTE_SAD], i);
        }
        for (unsigned i = 4; i <= 6; i++)
                assert_int_equal(feedback_record(fb, 1777, voter(i, v), VOTE_HAPPY, &cap, &c),
                                 -EDQUOT);
        assert_int_equal(feedback_counts(fb, 1777, &c), 0);
        assert_int_equal(c.n[VOTE_SAD], 3);
        assert_int_equal(total(&c), 3);
        /* A voter the store knows changes its vote, and votes on another port, uncounted. */
        assert_int_equal(feedback_record(fb, 1777, voter(1, v), VOTE_HAPPY, &cap, &c), 0);
        assert_int_equal(c.n[VOTE_HAPPY], 1);
        assert_int_equal(total(&c), 3);
        assert_int_equal(feedback_record(fb, 1778, voter(2, v), VOTE_MEH, &cap, &c), 0);
        /* Another port has its own three (1778 was not charged by the known voter). */
        for (unsigned i = 10; i < 13; i++)
                assert_int_equal(feedback_record(fb, 1778, voter(i, v), VOTE_MEH, &cap, &c), 0);
        assert_int_equal(feedback_record(fb, 1778, voter(13, v), VOTE_MEH, &cap, &c), -EDQUOT);
        assert_int_equal(c.n[VOTE_MEH], 4);
        /* Another /24, another day: their own three. */
        assert_int_equal(feedback_record(fb, 1777, voter(20, v), VOTE_MEH, &other, &c), 0);
        assert_int_equal(feedback_record(fb, 1777, voter(21, v), VOTE_MEH, &tomorrow, &c), 0);
        /* No cap: anything goes. */
        assert_int_equal(feedback_record(fb, 1777, voter(30, v), VOTE_MEH, NULL, &c), 0);
        cap.limit = 0;
        assert_int_equal(feedback_record(fb, 1777, voter(31, v), VOTE_MEH, &cap, &c), 0);
        assert_int_equal(total(&c), 7);
        /* A cap of one: the second new voter is refused. */
        cap.limit = 1;
        cap.net = "203.0.113.0/24";
        assert_int_equal(feedback_record(fb, 9, voter(40, v), VOTE_MEH, &cap, &c), 0);
        assert_int_equal(feedback_record(fb, 9, voter(41, v), VOTE_MEH, &cap, &c), -EDQUOT);
        /* A cap without a network is refused. */
        cap.net = "";
        assert_int_equal(feedback_record(fb, 9, voter(42, v), VOTE_MEH, &cap, &c), -EINVAL);
        feedback_free(fb);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_vote_net),
            cmocka_unit_test_setup_teardown(test_cap_sqlite, store_setup, store_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

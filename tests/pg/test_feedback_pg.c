/* Unit tests of the vote store's PostgreSQL side that need no database: which paths name one,
 * what a log may show of a URI, and a store that cannot be reached (handle kept, calls fail at
 * once with -ENOTCONN, the reason kept without the password).  tests/pg/test_pg.py drives a
 * real PostgreSQL. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "feedback.h"

static const char voter[] = "0123456789abcdef0123456789abcdef";

static void test_is_postgres(void **state)
{
        assert_true(feedback_is_postgres("postgresql://db.example/votes"));
        assert_true(feedback_is_postgres("postgres://db.example/votes"));
        assert_false(feedback_is_postgres("postgresql:/votes"));
        assert_false(feedback_is_postgres("/var/lib/portinfo/feedback.sqlite"));
        assert_false(feedback_is_postgres("votes.sqlite"));
        assert_false(feedback_is_postgres(""));
}

static void redacts(const char *in, const char *want)
{
        char out[256];

        assert_int_equal(feedback_redact(in, out, sizeof(out)), 0);
        assert_string_equal(out, want);
}

static void test_redact(void **state)
{
        char small[24];

        redacts("/var/lib/portinfo/feedback.sqlite", "/var/lib/portinfo/feedback.sqlite");
        redacts("postgresql://db.example/votes", "postgresql://db.example/votes");
        redacts("postgresql://portinfo@db.example:5433/votes",
                "postgresql://portinfo@db.example:5433/votes");
        redacts("postgresql://portinfo:s3cret@db.example:5433/votes",
                "postgresql://portinfo:***@db.example:5433/votes");
        redacts("postgres://u:p%40ss@h1:5432,h2:5432/db?sslmode=require",
                "postgres://u:***@h1:5432,h2:5432/db?sslmode=require");
        redacts("postgresql://u@h/db?password=s3cret&sslmode=require",
                "postgresql://u@h/db?password=***&sslmode=require");
        redacts("postgresql://u@h/db?sslmode=require&password=s3cret",
                "postgresql://u@h/db?sslmode=require&password=***");
        redacts("postgresql://u@h/db?pass%77ord=s3cret", "postgresql://u@h/db?pass%77ord=***");
        redacts("postgresql://h?password=s3cret", "postgresql://h?password=***");
        redacts("postgresql://:pw@h/db", "postgresql://:***@h/db");
        /* Cut short: still no password, and the caller is told. */
        assert_int_equal(
            feedback_redact("postgresql://someone:s3cret@db.example/votes", small, sizeof(small)),
            -E2BIG);
        assert_null(strstr(small, "s3cret"));
        assert_int_equal(strlen(small), sizeof(small) - 1);
        assert_int_equal(feedback_redact("x", small, 0), -E2BIG);
}

static double seconds_since(const struct timespec *t0)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_unreachable(void **state)
{
        /* Port 1 on loopback: nothing listens, the connection is refused at once. */
        const char *dsn = "postgresql://portinfo:s3cret@127.0.0.1:1/votes";
        struct feedback *fb = NULL, *fb2 = NULL;
        struct feedback_counts c = {{7, 7, 7}};
        struct timespec t0;
        char why[256];
        int v = 5;

        assert_int_equal(feedback_open(dsn, false, &fb), -ENOTCONN);
        assert_non_null(fb);
        assert_true(feedback_writable(fb));
        feedback_last_error(fb, why, sizeof(why));
        assert_true(why[0] != '\0');
        assert_null(strstr(why, "s3cret"));
        assert_null(strchr(why, '\n'));
        /* A second handle shares the pool (and its state) without connecting. */
        assert_int_equal(feedback_open(dsn, false, &fb2), -ENOTCONN);
        assert_non_null(fb2);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int i = 0; i < 50; i++) {
                int r = feedback_counts(i % 2 ? fb : fb2, 80, &c);

                assert_int_equal(r, -ENOTCONN);
        }
        assert_true(seconds_since(&t0) < 2.0);
        assert_int_equal(feedback_vote_of(fb, 80, voter, &v), -ENOTCONN);
        assert_int_equal(feedback_record(fb, 80, voter, VOTE_HAPPY, NULL, &c), -ENOTCONN);
        /* Out-parameters untouched on failure. */
        assert_int_equal(v, 5);
        assert_int_equal(c.n[0], 7);
        /* Bad arguments are refused before the database is asked. */
        assert_int_equal(feedback_record(fb, 80, "nope", VOTE_HAPPY, NULL, &c), -EINVAL);
        assert_int_equal(feedback_vote_of(fb, 80, "nope", &v), -EINVAL);
        /* So is a cap without a network or with a day out of range; a good one reaches it. */
        {
                struct vote_cap cap = {.net = "", .day = 20000, .limit = 3};

                assert_int_equal(feedback_record(fb, 80, voter, VOTE_HAPPY, &cap, &c), -EINVAL);
                cap.net = "198.51.100.0/24";
                cap.day = -1;
                assert_int_equal(feedback_record(fb, 80, voter, VOTE_HAPPY, &cap, &c), -EINVAL);
                cap.day = 20000;
                assert_int_equal(feedback_record(fb, 80, voter, VOTE_HAPPY, &cap, &c), -ENOTCONN);
        }
        feedback_free(fb2);
        feedback_free(fb);

        /* Read-only handles refuse votes themselves. */
        assert_int_equal(feedback_open(dsn, true, &fb), -ENOTCONN);
        assert_false(feedback_writable(fb));
        assert_int_equal(feedback_record(fb, 80, voter, VOTE_HAPPY, NULL, &c), -EROFS);
        feedback_free(fb);
}

static void test_bad_uri(void **state)
{
        struct feedback *fb = NULL;

        assert_int_equal(feedback_open("postgresql://h/db?no_such_option=1", false, &fb), -EINVAL);
        assert_null(fb);
        assert_int_equal(feedback_open("postgresql://[::1/db", false, &fb), -EINVAL);
        assert_null(fb);
        assert_int_equal(feedback_check("postgresql://h/db?no_such_option=1"), -EINVAL);
        assert_int_equal(feedback_check("postgresql://u:pw@h:5433/db?sslmode=require"), 0);
        assert_int_equal(feedback_check("/any/file.sqlite"), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_is_postgres),
            cmocka_unit_test(test_redact),
            cmocka_unit_test(test_unreachable),
            cmocka_unit_test(test_bad_uri),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

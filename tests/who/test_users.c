/* test_users: uid -> name from a passwd file, first entry winning, misses remembered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "users.h"

static void test_fixture(void **state)
{
        struct users u;

        (void)state;
        users_init(&u, FIXTURE_DIR "/who/passwd");
        assert_string_equal(users_name(&u, 0), "root");
        assert_string_equal(users_name(&u, 33), "www-data");
        assert_string_equal(users_name(&u, 1000), "alice"); /* not "shadowed" */
        assert_null(users_name(&u, 4242));
        assert_null(users_name(&u, 4242)); /* the miss is cached */
        assert_null(users_name(&u, 99999));
        users_done(&u);
}

/* The system's own file, then the C library: root has a name everywhere. */
static void test_system(void **state)
{
        struct users u;

        (void)state;
        users_init(&u, NULL);
        assert_non_null(users_name(&u, 0));
        users_done(&u);
}

static void test_missing_file(void **state)
{
        struct users u;

        (void)state;
        users_init(&u, FIXTURE_DIR "/who/no-such-passwd");
        assert_null(users_name(&u, 0));
        users_done(&u);
}

static void test_parse(void **state)
{
        static const char text[] = "a:x:1:1::/:/bin/sh\n:x:2:2::/:/bin/sh\nb:x::3::/:/bin/sh\n"
                                   "c:x:4\nd:x:5:5";
        struct users u;

        (void)state;
        users_init(&u, "/dev/null"); /* a file of our own: no C library lookups */
        u.loaded = 1;                /* no file: only what is parsed here */
        assert_int_equal(users_parse(&u, text, sizeof(text) - 1), 2);
        assert_string_equal(users_name(&u, 1), "a");
        assert_string_equal(users_name(&u, 5), "d");
        assert_null(users_name(&u, 2));
        assert_null(users_name(&u, 4));
        /* Cut anywhere: no read past the end. */
        for (size_t cut = 0; cut < sizeof(text) - 1; cut++) {
                char *part = test_malloc(cut ? cut : 1);

                memcpy(part, text, cut);
                users_done(&u);
                users_init(&u, "/dev/null"); /* a file of our own: no C library lookups */
                u.loaded = 1;
                assert_true(users_parse(&u, part, cut) <= 2);
                test_free(part);
        }
        users_done(&u);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_fixture),
            cmocka_unit_test(test_missing_file),
            cmocka_unit_test(test_system),
            cmocka_unit_test(test_parse),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

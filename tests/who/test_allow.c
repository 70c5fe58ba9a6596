/* test_allow: the allowlist format, strictly parsed, and what an entry silences. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "allow.h"
#include "audit.h"

static int parse(struct allowlist *a, const char *text, struct allow_error *err)
{
        return allow_parse(a, text, strlen(text), "test", audit_rule_ids, err);
}

static void test_good(void **state)
{
        static const char text[] = "# listeners we know\n"
                                   "\n"
                                   "8000/tcp  /usr/bin/python3.11\n"
                                   "31337     /opt/game/bin/server   malware-port  # a game\n"
                                   "*/udp     /usr/sbin/avahi-daemon\n"
                                   "5000-5010/TCP *\n"
                                   "   9000   /opt/app/*   exe-temp-dir,no-owner\r\n"
                                   "7000/udp * no-owner";
        struct allowlist a = {0};
        struct allow_error err = {0};
        const char *py[] = {"/usr/bin/python3.11"}, *two[] = {"/usr/bin/python3.11", "/tmp/x"};
        const char *app[] = {"/opt/app/sub/bin"}, *game[] = {"/opt/game/bin/server"};

        (void)state;
        assert_int_equal(parse(&a, text, &err), 6);
        assert_int_equal(a.v[0].lo, 8000);
        assert_int_equal(a.v[0].protos, PROTO_BIT(PROTO_TCP));
        assert_int_equal(a.v[1].line, 4);
        assert_int_equal(a.v[3].lo, 5000);
        assert_int_equal(a.v[3].hi, 5010);
        assert_int_equal(a.v[2].lo, 0);
        assert_int_equal(a.v[2].hi, 65535);

        assert_true(allow_match(&a, 8000, PROTO_TCP, py, 1, "exe-temp-dir"));
        assert_false(allow_match(&a, 8000, PROTO_UDP, py, 1, "exe-temp-dir"));
        assert_false(allow_match(&a, 8001, PROTO_TCP, py, 1, "exe-temp-dir"));
        /* Every holder must match the pattern. */
        assert_false(allow_match(&a, 8000, PROTO_TCP, two, 2, "exe-temp-dir"));
        /* No visible holder: only "*" matches. */
        assert_false(allow_match(&a, 8000, PROTO_TCP, NULL, 0, "no-owner"));
        assert_true(allow_match(&a, 5005, PROTO_TCP, NULL, 0, "no-owner"));
        /* Only the rules named. */
        assert_true(allow_match(&a, 31337, PROTO_TCP, game, 1, "malware-port"));
        assert_false(allow_match(&a, 31337, PROTO_TCP, game, 1, "exe-deleted"));
        /* "*" in a pattern crosses "/". */
        assert_true(allow_match(&a, 9000, PROTO_UDP, app, 1, "no-owner"));
        assert_false(allow_match(&a, 9000, PROTO_UDP, app, 1, "malware-port"));
        assert_true(allow_match(&a, 7000, PROTO_UDP, NULL, 0, "no-owner"));
        assert_false(allow_match(&a, 7000, PROTO_TCP, NULL, 0, "no-owner"));
        allow_done(&a);
}

struct bad {
        const char *text;
        unsigned line;
};

static const struct bad bads[] = {
    {"22\n", 1},
    {"# ok\n22/sctp /usr/sbin/sshd\n", 2},
    {"70000 /x\n", 1},
    {"22a /x\n", 1},
    {"10-5 /x\n", 1},
    {"1-2-3 /x\n", 1},
    {"22 sshd\n", 1},
    {"22 /usr/sbin/sshd exe-deleted,\n", 1},
    {"22 /usr/sbin/sshd no-such-rule\n", 1},
    {"22 /usr/sbin/sshd no-owner extra\n", 1},
    {"/tcp /x\n", 1},
    {"-5 /x\n", 1},
};

static void test_bad(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
                struct allowlist a = {0};
                struct allow_error err = {0};

                assert_int_equal(parse(&a, "1 *\n", &err), 1);
                assert_int_equal(parse(&a, bads[i].text, &err), -EINVAL);
                assert_int_equal(err.line, bads[i].line);
                assert_string_equal(err.source, "test");
                assert_non_null(err.why);
                assert_int_equal(a.n, 1); /* what came before stays, nothing of the bad file */
                allow_done(&a);
        }
}

static void test_nul_and_long(void **state)
{
        struct allowlist a = {0};
        struct allow_error err = {0};
        char text[ALLOW_MAX_LINE + 16];

        (void)state;
        assert_int_equal(allow_parse(&a, "22 /x\0y\n", 8, "t", audit_rule_ids, &err), -EINVAL);
        memset(text, 'a', sizeof(text));
        text[0] = '#';
        assert_int_equal(allow_parse(&a, text, sizeof(text), "t", audit_rule_ids, &err), -EINVAL);
        assert_int_equal(a.n, 0);
        allow_done(&a);
}

static void test_files(void **state)
{
        struct allowlist a = {0};
        struct allow_error err = {0};

        (void)state;
        assert_int_equal(allow_load(&a, FIXTURE_DIR "/who/allow-good", audit_rule_ids, &err), 2);
        assert_int_equal(allow_load(&a, FIXTURE_DIR "/who/allow-bad", audit_rule_ids, &err),
                         -EINVAL);
        assert_int_equal(err.line, 3);
        assert_int_equal(allow_load(&a, FIXTURE_DIR "/who/none", audit_rule_ids, &err), -ENOENT);
        assert_int_equal(allow_load(&a, "/dev/null", audit_rule_ids, &err), 0);
        assert_int_equal(allow_load(&a, FIXTURE_DIR "/who", audit_rule_ids, &err), -EINVAL);
        assert_int_equal(a.n, 2);
        allow_done(&a);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_good),
            cmocka_unit_test(test_bad),
            cmocka_unit_test(test_nul_and_long),
            cmocka_unit_test(test_files),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

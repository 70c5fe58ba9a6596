/* Unit tests of render_audit_prom on a made-up report: one series per distinct label set
 * (SO_REUSEPORT twins, a parent and child running one executable), holders running different
 * executables, a socket without a visible holder, labels escaped, totals and threshold. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "render_who_prom.h"

static size_t count(const char *text, const char *needle)
{
        size_t n = 0;

        for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
                n++;
        return n;
}

static void test_series(void **state)
{
        struct procmap_proc procs[] = {
            {.pid = 10, .name = "sshd", .exe = "/usr/sbin/sshd"},
            {.pid = 11, .name = "sshd", .exe = "/usr/sbin/sshd"},
            {.pid = 20, .name = "x", .exe = "/tmp/a\"b\\c\nd/x"},
            {.pid = 21, .name = "y", .exe = NULL},
        };
        struct procmap_hold ssh_holds[] = {{1, 0}, {1, 1}}, odd_holds[] = {{3, 2}, {3, 3}};
        struct inspect_socket socks[4] = {0};
        struct audit_finding high = {.rule = "exe-temp-dir", .severity = SEV_HIGH};
        struct audit_finding low = {.rule = "no-owner", .severity = SEV_LOW};
        struct audit_listener ls[4] = {0};
        struct audit_report a = {
            .listeners = ls, .n = 4, .counts = {1, 0, 1}, .unreadable_processes = 3};
        struct inspect_report rep = {.socks = socks, .n = 4};
        struct buf b;

        rep.map.procs = procs;
        rep.map.n_procs = 4;
        rep.map.unreadable = 3;
        for (int i = 0; i < 4; i++) {
                socks[i].row.proto = PROTO_TCP;
                socks[i].row.family = AF_INET;
                socks[i].row.lport = 22;
                socks[i].row.uid = 0;
                socks[i].user = "root";
                socks[i].listener = true;
                ls[i].sock = &socks[i];
        }
        /* 0 and 1: SO_REUSEPORT twins on 0.0.0.0:22, each held by sshd parent and child. */
        socks[0].holds = socks[1].holds = ssh_holds;
        socks[0].n_holds = socks[1].n_holds = 2;
        /* 2: port 4444, held by two processes running different (or unknown) executables. */
        socks[2].row.lport = 4444;
        socks[2].row.uid = 1234;
        socks[2].user = NULL;
        socks[2].holds = odd_holds;
        socks[2].n_holds = 2;
        ls[2].findings = &high;
        ls[2].n_findings = 1;
        /* 3: nobody holds it (as root: no-owner), on 127.0.0.1:25. */
        socks[3].row.lport = 25;
        inet_pton(AF_INET, "127.0.0.1", socks[3].row.local);
        ls[3].findings = &low;
        ls[3].n_findings = 1;

        buf_init(&b, 1 << 20);
        assert_int_equal(render_audit_prom(&b, &rep, &a, SEV_LOW, 1700000000), 0);
        assert_int_equal(count(b.data, "portinfo_listener{"), 4);
        assert_int_equal(count(b.data, "portinfo_listener{proto=\"tcp\",address=\"0.0.0.0\","
                                       "port=\"22\",exe=\"/usr/sbin/sshd\",user=\"root\"} 1\n"),
                         1);
        assert_int_equal(
            count(b.data, "port=\"4444\",exe=\"/tmp/a\\\"b\\\\c\\nd/x\",user=\"1234\"} 1\n"), 1);
        assert_int_equal(count(b.data, "port=\"4444\",exe=\"\",user=\"1234\"} 1\n"), 1);
        assert_int_equal(
            count(b.data, "address=\"127.0.0.1\",port=\"25\",exe=\"\",user=\"root\"} 1\n"), 1);
        assert_int_equal(count(b.data, "portinfo_audit_finding{"), 3);
        assert_int_equal(count(b.data,
                               "portinfo_audit_finding{rule=\"exe-temp-dir\",severity=\"high\","
                               "proto=\"tcp\",address=\"0.0.0.0\",port=\"4444\",exe=\"/tmp/"),
                         1);
        assert_int_equal(count(b.data, "portinfo_audit_finding{rule=\"no-owner\",severity=\"low\""),
                         1);
        assert_int_equal(count(b.data, "portinfo_audit_findings{severity=\"high\"} 1\n"), 1);
        assert_int_equal(count(b.data, "portinfo_audit_findings{severity=\"medium\"} 0\n"), 1);
        buf_done(&b);

        /* The twins on :22 with a high finding each: one listener, one more high finding, as
         * the finding series say (not one per socket, as a.counts has them). */
        ls[0].findings = ls[1].findings = &high;
        ls[0].n_findings = ls[1].n_findings = 1;
        a.counts[SEV_HIGH] = 3;
        buf_init(&b, 1 << 20);
        assert_int_equal(render_audit_prom(&b, &rep, &a, SEV_LOW, 1700000000), 0);
        assert_int_equal(count(b.data, "portinfo_audit_finding{rule=\"exe-temp-dir\""), 3);
        assert_int_equal(count(b.data, "portinfo_audit_findings{severity=\"high\"} 2\n"), 1);
        assert_int_equal(count(b.data, "portinfo_audit_findings{severity=\"low\"} 1\n"), 1);
        ls[0].n_findings = ls[1].n_findings = 0;
        a.counts[SEV_HIGH] = 1;
        assert_int_equal(count(b.data, "portinfo_audit_min_severity{severity=\"low\"} 1\n"), 1);
        assert_int_equal(count(b.data, "portinfo_audit_unreadable_processes 3\n"), 1);
        assert_int_equal(count(b.data, "\nportinfo_audit_complete 0\n"), 1); /* 3 unread */
        assert_int_equal(count(b.data, "portinfo_audit_last_run_timestamp_seconds 1700000000\n"),
                         1);
        /* Every line is a comment or a sample; no raw newline inside a label. */
        for (const char *p = b.data; *p; p = strchr(p, '\n') + 1)
                assert_true(*p == '#' || strncmp(p, "portinfo_", 9) == 0);
        buf_done(&b);

        /* Too small a buffer: an error, not half an exposition. */
        buf_init(&b, 100);
        assert_int_equal(render_audit_prom(&b, &rep, &a, SEV_LOW, 0), -E2BIG);
        buf_done(&b);

        /* No listeners at all: the families are still declared. */
        a.n = 0;
        buf_init(&b, 4096);
        assert_int_equal(render_audit_prom(&b, &rep, &a, SEV_MEDIUM, 0), 0);
        assert_non_null(strstr(b.data, "# TYPE portinfo_listener gauge\n"));
        assert_null(strstr(b.data, "portinfo_listener{"));
        buf_done(&b);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_series),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

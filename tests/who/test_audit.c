/* test_audit: every rule as a pure function of a listener, its holders and the knowledge base;
 * then audit_run with the threshold and the allowlist.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "portdb_embedded.h"

static struct portdb db;

static struct inspect_socket listener(enum proto proto, uint16_t port, enum exposure e)
{
        struct inspect_socket s = {0};

        s.row.proto = (uint8_t)proto;
        s.row.family = AF_INET;
        s.row.state = proto == PROTO_TCP ? SOCK_LISTEN : SOCK_CLOSE;
        s.row.lport = port;
        s.row.inode = 4242;
        s.row.v6only = -1;
        if (e == EXPOSURE_LOOPBACK)
                s.row.local[0] = 127, s.row.local[3] = 1;
        else if (e == EXPOSURE_ADDRESS)
                s.row.local[0] = 192, s.row.local[1] = 168, s.row.local[3] = 5;
        s.port = port;
        s.listener = true;
        s.exposure = e;
        return s;
}

static struct procmap_proc proc(int pid, const char *name, const char *exe)
{
        return (struct procmap_proc){
            .pid = pid, .name = (char *)name, .exe = (char *)exe, .details = true};
}

struct fixture {
        struct inspect_socket sock;
        struct procmap_proc procs[4];
        const struct procmap_proc *ptrs[4];
        struct audit_input in;
};

static void setup_input(struct fixture *f, size_t n_procs)
{
        for (size_t i = 0; i < n_procs; i++)
                f->ptrs[i] = &f->procs[i];
        f->in = (struct audit_input){.sock = &f->sock,
                                     .procs = f->ptrs,
                                     .n_procs = n_procs,
                                     .db = &db,
                                     .root = true,
                                     .eph_lo = 32768,
                                     .eph_hi = 60999};
}

static void test_exe_deleted(void **state)
{
        struct fixture f = {.sock = listener(PROTO_TCP, 22, EXPOSURE_ALL)};
        struct audit_finding out;

        (void)state;
        f.procs[0] = proc(10, "sshd", "/usr/sbin/sshd");
        f.procs[1] = proc(11, "evil", "/usr/bin/evil");
        f.procs[1].exe_deleted = true;
        setup_input(&f, 2);
        assert_true(audit_rule_exe_deleted(&f.in, &out));
        assert_string_equal(out.rule, "exe-deleted");
        assert_int_equal(out.severity, SEV_HIGH);
        assert_non_null(strstr(out.evidence, "pid 11 (evil): /usr/bin/evil (deleted)"));
        assert_non_null(strstr(out.message, "deleted"));
        /* Replaced by an upgrade: not this rule, but exe-replaced (low). */
        f.procs[1].exe_replaced = true;
        assert_false(audit_rule_exe_deleted(&f.in, &out));
        assert_true(audit_rule_exe_replaced(&f.in, &out));
        assert_int_equal(out.severity, SEV_LOW);
        /* A memfd never was on disk. */
        f.procs[1] = proc(12, "x", "/memfd:payload");
        f.procs[1].exe_deleted = true;
        assert_true(audit_rule_exe_deleted(&f.in, &out));
        assert_non_null(strstr(out.message, "memory"));
        assert_false(audit_rule_exe_replaced(&f.in, &out));
        /* Nothing wrong, or nothing visible. */
        setup_input(&f, 1);
        assert_false(audit_rule_exe_deleted(&f.in, &out));
        f.procs[0].exe = NULL;
        assert_false(audit_rule_exe_deleted(&f.in, &out));
        setup_input(&f, 0);
        assert_false(audit_rule_exe_deleted(&f.in, &out));
}

static void test_exe_temp_dir(void **state)
{
        static const char *const yes[] = {"/tmp/x", "/tmp/a/b/c", "/var/tmp/.x/y",
                                          "/dev/shm/kworker"};
        static const char *const no[] = {"/usr/bin/tmp", "/tmpfoo/x", "/opt/tmp/x", "/var/tmpx"};
        struct fixture f = {.sock = listener(PROTO_TCP, 8000, EXPOSURE_LOOPBACK)};
        struct audit_finding out;

        (void)state;
        setup_input(&f, 1);
        for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
                f.procs[0] = proc(7, "p", yes[i]);
                assert_true(audit_rule_exe_temp_dir(&f.in, &out));
                assert_int_equal(out.severity, SEV_HIGH);
                assert_non_null(strstr(out.evidence, yes[i]));
        }
        f.procs[0] = proc(7, "p", "/dev/shm/x");
        assert_true(audit_rule_exe_temp_dir(&f.in, &out));
        assert_non_null(strstr(out.message, "/dev/shm,"));
        for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
                f.procs[0] = proc(7, "p", no[i]);
                assert_false(audit_rule_exe_temp_dir(&f.in, &out));
        }
}

static void test_exe_hidden_dir(void **state)
{
        static const char *const yes[] = {"/usr/lib/.hidden/x", "/.x/y",
                                          "/root/.cache/x/y",   "/home/bob/.local/share/.z/w",
                                          "/var/lib/.local/x",  "/home/.pyenv/x"};
        static const char *const no[] = {"/usr/bin/.x",
                                         "/root/.pyenv/versions/3.11/bin/python3",
                                         "/home/bob/.local/bin/jupyter",
                                         "/home/bob/.vscode-server/bin/abc/node",
                                         "/usr/lib/../bin/x",
                                         "/opt/a.b/c"};
        struct fixture f = {.sock = listener(PROTO_TCP, 8888, EXPOSURE_LOOPBACK)};
        struct audit_finding out;

        (void)state;
        setup_input(&f, 1);
        for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
                f.procs[0] = proc(7, "p", yes[i]);
                assert_true(audit_rule_exe_hidden_dir(&f.in, &out));
                assert_int_equal(out.severity, SEV_HIGH);
        }
        f.procs[0] = proc(7, "p", "/usr/lib/.hidden/x");
        assert_true(audit_rule_exe_hidden_dir(&f.in, &out));
        assert_non_null(strstr(out.message, "(.hidden)"));
        for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
                f.procs[0] = proc(7, "p", no[i]);
                assert_false(audit_rule_exe_hidden_dir(&f.in, &out));
        }
}

static void test_malware_port(void **state)
{
        struct fixture f = {.sock = listener(PROTO_TCP, 27374, EXPOSURE_ALL)};
        struct audit_finding out;

        (void)state;
        setup_input(&f, 0);
        /* SubSeven's port: nothing but malware, and unassigned. */
        assert_true(audit_rule_malware_port(&f.in, &out));
        assert_int_equal(out.severity, SEV_MEDIUM);
        assert_non_null(strstr(out.message, "27374/tcp"));
        assert_non_null(strstr(out.evidence, "IANA: unassigned"));
        /* A reserved port with only malware listed. */
        f.sock = listener(PROTO_TCP, 2, EXPOSURE_ALL);
        assert_true(audit_rule_malware_port(&f.in, &out));
        /* Old trojan lists name 80, 8080, 22 and 443: assigned ports, never enough. */
        f.sock = listener(PROTO_TCP, 80, EXPOSURE_ALL);
        assert_false(audit_rule_malware_port(&f.in, &out));
        f.sock = listener(PROTO_TCP, 8080, EXPOSURE_ALL);
        assert_false(audit_rule_malware_port(&f.in, &out));
        f.sock = listener(PROTO_TCP, 22, EXPOSURE_ALL);
        assert_false(audit_rule_malware_port(&f.in, &out));
        f.sock = listener(PROTO_TCP, 5432, EXPOSURE_ALL);
        assert_false(audit_rule_malware_port(&f.in, &out));
        /* Real software shares the port: 12345 (NetBus, and Cube World). */
        f.sock = listener(PROTO_TCP, 12345, EXPOSURE_ALL);
        assert_false(audit_rule_malware_port(&f.in, &out));
        /* The listing is for TCP only: a UDP listener there is not judged by it. */
        f.sock = listener(PROTO_UDP, 8, EXPOSURE_ALL);
        assert_false(audit_rule_malware_port(&f.in, &out));
        f.sock = listener(PROTO_TCP, 8, EXPOSURE_ALL);
        assert_true(audit_rule_malware_port(&f.in, &out));
}

static void test_unassigned_exposed(void **state)
{
        struct fixture f = {.sock = listener(PROTO_TCP, 10555, EXPOSURE_ALL)};
        struct audit_finding out;

        (void)state;
        setup_input(&f, 0);
        assert_true(audit_rule_unassigned_exposed(&f.in, &out));
        assert_int_equal(out.severity, SEV_LOW);
        assert_non_null(strstr(out.evidence, "0.0.0.0"));
        f.sock = listener(PROTO_UDP, 10555, EXPOSURE_ALL);
        f.sock.row.family = AF_INET6;
        assert_true(audit_rule_unassigned_exposed(&f.in, &out));
        assert_non_null(strstr(out.message, "datagrams"));
        f.sock = listener(PROTO_TCP, 10555, EXPOSURE_LOOPBACK);
        assert_false(audit_rule_unassigned_exposed(&f.in, &out));
        f.sock = listener(PROTO_TCP, 10555, EXPOSURE_ADDRESS);
        assert_false(audit_rule_unassigned_exposed(&f.in, &out));
        f.sock = listener(PROTO_TCP, 22, EXPOSURE_ALL);
        assert_false(audit_rule_unassigned_exposed(&f.in, &out));
        /* Inside the ephemeral range: the ephemeral rule speaks instead. */
        f.sock = listener(PROTO_TCP, 41000, EXPOSURE_ALL);
        assert_false(audit_rule_unassigned_exposed(&f.in, &out));
        /* Without a known range, a dynamic port is just unassigned. */
        f.in.eph_lo = f.in.eph_hi = 0;
        assert_true(audit_rule_unassigned_exposed(&f.in, &out));
}

static void test_no_owner(void **state)
{
        struct fixture f = {.sock = listener(PROTO_TCP, 2049, EXPOSURE_ALL)};
        struct audit_finding out;

        (void)state;
        setup_input(&f, 0);
        assert_true(audit_rule_no_owner(&f.in, &out));
        assert_int_equal(out.severity, SEV_LOW);
        assert_non_null(strstr(out.evidence, "inode 4242"));
        f.in.root = false; /* not root: hidden is normal, not a finding */
        assert_false(audit_rule_no_owner(&f.in, &out));
        f.in.root = true;
        f.procs[0] = proc(1, "nfsd", "/usr/sbin/nfsd");
        setup_input(&f, 1);
        assert_false(audit_rule_no_owner(&f.in, &out));
}

static void test_ephemeral_port(void **state)
{
        struct fixture f = {.sock = listener(PROTO_TCP, 45000, EXPOSURE_LOOPBACK)};
        struct audit_finding out;

        (void)state;
        setup_input(&f, 0);
        f.sock.ephemeral = true;
        assert_true(audit_rule_ephemeral_port(&f.in, &out));
        assert_non_null(strstr(out.evidence, "45000 in 32768-60999"));
        f.sock.ephemeral = false; /* reserved, say */
        assert_false(audit_rule_ephemeral_port(&f.in, &out));
        f.sock = listener(PROTO_UDP, 45000, EXPOSURE_LOOPBACK);
        f.sock.ephemeral = true;
        assert_false(audit_rule_ephemeral_port(&f.in, &out));
        /* Both ends of the range are in it; the ports just outside are not. */
        {
                static const struct {
                        uint16_t port;
                        bool in;
                } edge[] = {{32767, false}, {32768, true}, {60999, true}, {61000, false}};

                for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
                        f.sock = listener(PROTO_TCP, edge[i].port, EXPOSURE_LOOPBACK);
                        f.sock.ephemeral = true;
                        if (audit_rule_ephemeral_port(&f.in, &out) != edge[i].in)
                                fail_msg("port %u: ephemeral rule %s", edge[i].port,
                                         edge[i].in ? "silent" : "fired");
                }
        }
}

/* The loop: one report, two listeners, a threshold and an allowlist. */
static void test_run(void **state)
{
        struct inspect_socket socks[3] = {listener(PROTO_TCP, 27374, EXPOSURE_ALL),
                                          listener(PROTO_TCP, 22, EXPOSURE_ALL),
                                          listener(PROTO_TCP, 22, EXPOSURE_ALL)};
        struct procmap_proc procs[2] = {proc(5, "x", "/tmp/x"), proc(6, "sshd", "/usr/sbin/sshd")};
        struct procmap_hold holds[2] = {{1, 0}, {2, 1}};
        struct inspect_netns ns = {.eph_lo = 32768, .eph_hi = 60999};
        struct inspect_report rep = {
            .socks = socks, .n = 3, .root = true, .netns = &ns, .n_netns = 1};
        struct allowlist allow = {0};
        struct allow_error err;
        struct audit_report a;

        (void)state;
        socks[0].holds = &holds[0];
        socks[0].n_holds = 1;
        socks[1].holds = &holds[1];
        socks[1].n_holds = 1;
        socks[2].listener = false; /* not a listener: not judged */
        rep.map.procs = procs;
        rep.map.n_procs = 2;
        rep.map.holds = holds;
        rep.map.n_holds = 2;

        assert_int_equal(audit_run(&rep, &db, NULL, SEV_MEDIUM, &a), 0);
        assert_int_equal(a.n, 2);
        assert_int_equal(a.listeners[0].n_findings, 2);
        assert_string_equal(a.listeners[0].findings[0].rule, "exe-temp-dir"); /* high first */
        assert_string_equal(a.listeners[0].findings[1].rule, "malware-port");
        assert_int_equal(a.listeners[1].n_findings, 0);
        assert_int_equal(a.counts[SEV_HIGH], 1);
        assert_int_equal(a.counts[SEV_MEDIUM], 1);
        assert_int_equal(a.below, 1); /* 27374 on all interfaces, unassigned: low */
        audit_done(&a);

        assert_int_equal(audit_run(&rep, &db, NULL, SEV_HIGH, &a), 0);
        assert_int_equal(a.listeners[0].n_findings, 1);
        assert_int_equal(a.below, 2);
        audit_done(&a);

        assert_int_equal(
            allow_parse(&allow, "27374/tcp /tmp/* exe-temp-dir\n", 30, "t", audit_rule_ids, &err),
            1);
        assert_int_equal(audit_run(&rep, &db, &allow, SEV_LOW, &a), 0);
        assert_int_equal(a.silenced, 1);
        assert_int_equal(a.listeners[0].n_findings, 2); /* malware-port, unassigned-exposed */
        assert_int_equal(a.counts[SEV_HIGH], 0);
        audit_done(&a);
        allow_done(&allow);
}

/* What could not be seen makes the audit incomplete, whatever it found. */
static void test_complete(void **state)
{
        struct inspect_socket socks[2] = {listener(PROTO_TCP, 22, EXPOSURE_ALL),
                                          listener(PROTO_TCP, 2049, EXPOSURE_ALL)};
        struct procmap_proc procs[1] = {proc(6, "sshd", "/usr/sbin/sshd")};
        struct procmap_hold holds[1] = {{1, 0}};
        struct inspect_netns ns = {.eph_lo = 32768, .eph_hi = 60999};
        struct inspect_report rep = {
            .socks = socks, .n = 1, .root = true, .netns = &ns, .n_netns = 1};
        struct audit_report a;

        (void)state;
        socks[0].holds = &holds[0];
        socks[0].n_holds = 1;
        socks[1].row.inode = 2; /* held by nobody we can see */
        rep.map.procs = procs;
        rep.map.n_procs = 1;
        rep.map.holds = holds;
        rep.map.n_holds = 1;

        /* Everything seen: complete. */
        assert_int_equal(audit_run(&rep, &db, NULL, SEV_MEDIUM, &a), 0);
        assert_true(a.complete);
        assert_int_equal(a.unreadable_processes + a.unentered_netns + a.unowned, 0);
        audit_done(&a);

        /* One process hidden, even to root: incomplete, and counted. */
        rep.map.unreadable = 120;
        assert_int_equal(audit_run(&rep, &db, NULL, SEV_MEDIUM, &a), 0);
        assert_false(a.complete);
        assert_int_equal(a.unreadable_processes, 120);
        assert_int_equal(a.counts[SEV_HIGH] + a.counts[SEV_MEDIUM], 0); /* looks clean */
        audit_done(&a);
        rep.map.unreadable = 0;

        /* A namespace not entered. */
        rep.netns_failed = 1;
        assert_int_equal(audit_run(&rep, &db, NULL, SEV_MEDIUM, &a), 0);
        assert_false(a.complete);
        assert_int_equal(a.unentered_netns, 1);
        audit_done(&a);
        rep.netns_failed = 0;

        /* A listener without a visible holder: the kernel's, for root (complete); possibly
         * another user's otherwise (incomplete). */
        rep.n = 2;
        assert_int_equal(audit_run(&rep, &db, NULL, SEV_MEDIUM, &a), 0);
        assert_true(a.complete);
        assert_int_equal(a.unowned, 1);
        audit_done(&a);
        rep.root = false;
        assert_int_equal(audit_run(&rep, &db, NULL, SEV_MEDIUM, &a), 0);
        assert_false(a.complete);
        assert_int_equal(a.unowned, 1);
        audit_done(&a);
}

static void test_names(void **state)
{
        enum severity s = SEV_LOW;

        (void)state;
        assert_int_equal(audit_parse_severity("HIGH", &s), 0);
        assert_int_equal(s, SEV_HIGH);
        assert_int_equal(audit_parse_severity("medium", &s), 0);
        assert_int_equal(s, SEV_MEDIUM);
        assert_int_equal(audit_parse_severity("severe", &s), -EINVAL);
        assert_int_equal(s, SEV_MEDIUM);
        assert_string_equal(audit_severity_name(SEV_LOW), "low");
        /* The table and the id list agree. */
        for (size_t i = 0; i < audit_n_rules; i++) {
                bool listed = false;

                for (const char *const *id = audit_rule_ids; *id; id++)
                        listed = listed || strcmp(*id, audit_rules[i].id) == 0;
                assert_true(listed);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_exe_deleted),        cmocka_unit_test(test_exe_temp_dir),
            cmocka_unit_test(test_exe_hidden_dir),     cmocka_unit_test(test_malware_port),
            cmocka_unit_test(test_unassigned_exposed), cmocka_unit_test(test_no_owner),
            cmocka_unit_test(test_ephemeral_port),     cmocka_unit_test(test_run),
            cmocka_unit_test(test_complete),           cmocka_unit_test(test_names),
        };

        portdb_open_embedded(&db);
        return cmocka_run_group_tests(tests, NULL, NULL);
}

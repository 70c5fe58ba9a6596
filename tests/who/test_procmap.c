/* test_procmap: the fd scan on the fixture tree tests/fixtures/proc/ (pids 1, 100 with its
 * child 101 sharing every socket, 200 with a deleted executable, 300 under /tmp, 400 whose fd
 * table cannot be read, 500 a kernel thread, 600 replaced on disk, 700 with a socket past its
 * first 16 descriptors), and on a generated tree for the pieces the fixture cannot show.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "procdir.h"
#include "procmap.h"

#define ROOT FIXTURE_DIR "/proc"

static const struct procmap_proc *holder(const struct procmap *m, uint64_t inode, size_t i)
{
        const struct procmap_hold *h;
        size_t n = procmap_find(m, inode, &h);

        return i < n ? &m->procs[h[i].proc] : NULL;
}

static void test_socket_link(void **state)
{
        uint64_t v = 7;

        (void)state;
        assert_int_equal(procmap_parse_socket_link("socket:[12345]", 14, &v), 0);
        assert_int_equal(v, 12345);
        assert_int_equal(procmap_parse_socket_link("socket:[18446744073709551615]", 29, &v), 0);
        assert_int_equal(v, UINT64_MAX);
        v = 7;
        assert_int_equal(procmap_parse_socket_link("socket:[18446744073709551616]", 29, &v),
                         -EINVAL);
        assert_int_equal(procmap_parse_socket_link("socket:[]", 9, &v), -EINVAL);
        assert_int_equal(procmap_parse_socket_link("socket:[12a]", 12, &v), -EINVAL);
        assert_int_equal(procmap_parse_socket_link("pipe:[12]", 9, &v), -EINVAL);
        assert_int_equal(procmap_parse_socket_link("socket:[12", 10, &v), -EINVAL);
        assert_int_equal(procmap_parse_socket_link("/dev/null", 9, &v), -EINVAL);
        assert_int_equal(v, 7);
}

/* One wanted socket: found in 100, then 101 (its child) through the children file, and
 * nothing else is read. */
static void test_early_stop_and_family(void **state)
{
        struct procmap m;
        uint64_t want = 1001;

        (void)state;
        assert_int_equal(procmap_scan(&m, ROOT, &want, 1, PROCMAP_DETAILS), 0);
        assert_int_equal(m.n_holds, 2);
        assert_int_equal(holder(&m, 1001, 0)->pid, 100);
        assert_int_equal(holder(&m, 1001, 1)->pid, 101);
        assert_int_equal(m.visited, 3); /* 1, 100, and 101 as 100's child */
        assert_false(m.complete);
        assert_string_equal(holder(&m, 1001, 0)->name, "listener");
        assert_string_equal(holder(&m, 1001, 0)->exe, "/usr/local/bin/listener");
        assert_string_equal(holder(&m, 1001, 0)->cmdline, "/usr/local/bin/listener --fork");
        assert_false(holder(&m, 1001, 0)->exe_deleted);
        procmap_done(&m);
}

static void test_everything(void **state)
{
        struct procmap m;
        uint64_t want[] = {1009, 1002, 1002, 1012, 1010, 4242};
        const struct procmap_proc *p;

        (void)state;
        assert_int_equal(procmap_scan(&m, ROOT, want, 6, PROCMAP_DETAILS | PROCMAP_ALL), 0);
        assert_true(m.complete);
        assert_int_equal(m.visited, 8); /* every pid but 400 */
        assert_int_equal(m.unreadable, 1);
        assert_int_equal(procmap_find(&m, 1002, &(const struct procmap_hold *){NULL}), 2);
        assert_int_equal(procmap_find(&m, 4242, &(const struct procmap_hold *){NULL}), 0);
        p = holder(&m, 1009, 0);
        assert_non_null(p);
        assert_int_equal(p->pid, 300);
        assert_string_equal(p->exe, "/tmp/evil/x");
        assert_string_equal(p->cmdline, "./x");
        p = holder(&m, 1012, 0);
        assert_int_equal(p->pid, 600);
        assert_string_equal(p->exe, "/usr/bin/replaced");
        assert_true(p->exe_deleted);
        assert_true(p->exe_replaced);
        p = holder(&m, 1010, 0);
        assert_int_equal(p->pid, 700);
        /* Holds are sorted by inode, then pid. */
        for (size_t i = 1; i < m.n_holds; i++)
                assert_true(m.holds[i - 1].inode < m.holds[i].inode ||
                            (m.holds[i - 1].inode == m.holds[i].inode &&
                             m.procs[m.holds[i - 1].proc].pid < m.procs[m.holds[i].proc].pid));
        procmap_done(&m);
}

/* Listener mode: the socket past the first 16 descriptors of 700 is still found. */
static void test_listeners_deep(void **state)
{
        struct procmap m;
        uint64_t want[] = {1010, 1001};

        (void)state;
        assert_int_equal(procmap_scan(&m, ROOT, want, 2, PROCMAP_LISTENERS), 0);
        assert_non_null(holder(&m, 1010, 0));
        assert_int_equal(holder(&m, 1010, 0)->pid, 700);
        assert_int_equal(procmap_find(&m, 1001, &(const struct procmap_hold *){NULL}), 2);
        assert_true(m.complete);
        assert_null(holder(&m, 1010, 0)->name); /* no PROCMAP_DETAILS */
        procmap_done(&m);
}

static void test_details(void **state)
{
        struct procmap_proc p = {0};

        (void)state;
        assert_int_equal(procmap_proc_details(ROOT, 200, &p), 0);
        assert_string_equal(p.exe, "/usr/sbin/oldd");
        assert_true(p.exe_deleted);
        assert_false(p.exe_replaced);
        procmap_proc_done(&p);
        p = (struct procmap_proc){0};
        assert_int_equal(procmap_proc_details(ROOT, 500, &p), 0);
        assert_string_equal(p.name, "kworker/0:1");
        assert_null(p.exe);
        assert_null(p.cmdline);
        procmap_proc_done(&p);
        p = (struct procmap_proc){0};
        assert_int_equal(procmap_proc_details(ROOT, 999, &p), -ENOENT);
        assert_false(p.details);
}

/* The real uid: the first number of status's Uid: line (a server that dropped privileges
 * runs as the user it dropped to, whoever made its sockets). */
static void test_uid(void **state)
{
        static const char status[] = "Name:\tnginx\nUmask:\t0022\nState:\tS (sleeping)\n"
                                     "Tgid:\t300\nPPid:\t1\nUid:\t65534\t65534\t0\t65534\n"
                                     "Gid:\t65534\t65534\t65534\t65534\n";
        char dir[] = "/tmp/portinfo-uid-XXXXXX", path[128];
        struct procmap_proc p = {0};
        uint32_t uid = 7;
        FILE *f;

        (void)state;
        assert_int_equal(procmap_proc_parse_uid(status, &uid), 0);
        assert_int_equal(uid, 65534);
        assert_int_equal(procmap_proc_parse_uid("Name:\tx\nUid:\t0\t1\t2\t3\n", &uid), 0);
        assert_int_equal(uid, 0);
        uid = 7;
        assert_int_equal(procmap_proc_parse_uid("Name:\tx\nUid:\t\n", &uid), -EINVAL);
        assert_int_equal(procmap_proc_parse_uid("Name:\tx\nUid:\t-1\t0\n", &uid), -EINVAL);
        assert_int_equal(procmap_proc_parse_uid("Name:\tx\nUid:\t4294967296\t0\n", &uid), -EINVAL);
        assert_int_equal(procmap_proc_parse_uid("Name:\tUid:\t5\n", &uid), -EINVAL);
        assert_int_equal(uid, 7); /* untouched on failure */

        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/300", dir);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/300/status", dir);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(status, f);
        fclose(f);
        assert_int_equal(procmap_proc_details(dir, 300, &p), 0);
        assert_true(p.has_uid);
        assert_int_equal(p.uid, 65534);
        procmap_proc_done(&p);
        unlink(path);
        snprintf(path, sizeof(path), "%s/300", dir);
        p = (struct procmap_proc){0};
        assert_int_equal(procmap_proc_details(dir, 300, &p), 0);
        assert_false(p.has_uid); /* no status: no uid, not uid 0 */
        rmdir(path);
        rmdir(dir);
}

static void test_bad_root(void **state)
{
        struct procmap m;
        uint64_t want = 1;

        (void)state;
        assert_int_equal(procmap_scan(&m, FIXTURE_DIR "/no-such-root", &want, 1, 0), -ENOENT);
        procmap_done(&m);
        /* No wanted inode: nothing to read at all. */
        assert_int_equal(procmap_scan(&m, ROOT, NULL, 0, 0), 0);
        assert_int_equal(m.visited, 0);
        assert_int_equal(m.n_holds, 0);
        procmap_done(&m);
}

/* A generated tree: many processes, a holder with a child that is not its child in pid order,
 * and a holder whose children cannot be listed (no task directory: read everything). */
static char tree[64];

static void mkproc(int pid, const char *sockets, const char *children)
{
        char path[256];

        snprintf(path, sizeof(path), "%s/%d", tree, pid);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/%d/fd", tree, pid);
        assert_int_equal(mkdir(path, 0755), 0);
        for (int fd = 0; sockets && sockets[0]; fd++) {
                char link[64];
                unsigned long ino = strtoul(sockets, (char **)&sockets, 10);

                snprintf(path, sizeof(path), "%s/%d/fd/%d", tree, pid, fd);
                snprintf(link, sizeof(link), "socket:[%lu]", ino);
                assert_int_equal(symlink(link, path), 0);
                while (*sockets == ' ')
                        sockets++;
        }
        if (children) {
                FILE *f;

                snprintf(path, sizeof(path), "%s/%d/task", tree, pid);
                assert_int_equal(mkdir(path, 0755), 0);
                snprintf(path, sizeof(path), "%s/%d/task/%d", tree, pid, pid);
                assert_int_equal(mkdir(path, 0755), 0);
                snprintf(path, sizeof(path), "%s/%d/task/%d/children", tree, pid, pid);
                f = fopen(path, "w");
                assert_non_null(f);
                fputs(children, f);
                fclose(f);
        }
}

static void test_generated(void **state)
{
        struct procmap m;
        uint64_t want = 77;
        char cmd[128];

        (void)state;
        snprintf(tree, sizeof(tree), "/tmp/portinfo-procmap-XXXXXX");
        assert_non_null(mkdtemp(tree));
        for (int pid = 10; pid < 300; pid++)
                mkproc(pid, "5 6 7", "");
        mkproc(5, "77", "2000"); /* the holder, and its child born after a pid wrap */
        mkproc(2000, "1 77", "");
        procmap_set_lanes(1); /* one reader: exactly two processes are read */
        assert_int_equal(procmap_scan(&m, tree, &want, 1, 0), 0);
        assert_int_equal(procmap_find(&m, 77, &(const struct procmap_hold *){NULL}), 2);
        assert_int_equal(m.visited, 2);
        procmap_done(&m);
        /* Without a task directory the holder's children are unknown: everything is read. */
        mkproc(3, "77", NULL);
        assert_int_equal(procmap_scan(&m, tree, &want, 1, 0), 0);
        assert_int_equal(procmap_find(&m, 77, &(const struct procmap_hold *){NULL}), 3);
        assert_true(m.complete);
        procmap_done(&m);
        procmap_set_lanes(0);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
        assert_int_equal(system(cmd), 0);
}

/* Four lanes over 1,200 processes: every holder is found whichever lane reads it, the counts
 * add up over the lanes, and a listener deep in a table is still found. */
static void test_lanes(void **state)
{
        uint64_t want[] = {9001, 9002, 9003, 9004};
        uint64_t deep = 9100;
        struct procmap m;
        char cmd[128], sockets[512];
        size_t len = 0;

        (void)state;
        snprintf(tree, sizeof(tree), "/tmp/portinfo-procmap-XXXXXX");
        assert_non_null(mkdtemp(tree));
        for (int pid = 100; pid < 1300; pid++) {
                char mine[32] = "";

                if (pid == 150 || pid == 700)
                        snprintf(mine, sizeof(mine), "%s", pid == 150 ? " 9001" : " 9002 9003");
                else if (pid == 1299 || pid == 1000)
                        snprintf(mine, sizeof(mine), " 9003 9004"); /* shared after fork */
                snprintf(sockets, sizeof(sockets), "%d %d%s", 100000 + pid * 10, 100001 + pid * 10,
                         mine);
                mkproc(pid, sockets, pid == 1000 ? "1299" : ""); /* 1299: a late child */
        }
        /* A listener past the first look: descriptor 60 of a process. */
        for (int fd = 0; fd < 60; fd++)
                len += (size_t)snprintf(sockets + len, sizeof(sockets) - len, "%d ", 50000 + fd);
        snprintf(sockets + len, sizeof(sockets) - len, "9100");
        mkproc(1300, sockets, "");

        for (unsigned lanes = 1; lanes <= 4; lanes *= 2) {
                procmap_set_lanes(lanes);
                assert_int_equal(procmap_scan(&m, tree, want, 4, 0), 0);
                assert_int_equal(procmap_find(&m, 9001, &(const struct procmap_hold *){NULL}), 1);
                assert_int_equal(procmap_find(&m, 9002, &(const struct procmap_hold *){NULL}), 1);
                /* all four are seen by pid 1000; its child is read after the early stop */
                assert_int_equal(procmap_find(&m, 9003, &(const struct procmap_hold *){NULL}), 3);
                assert_int_equal(procmap_find(&m, 9004, &(const struct procmap_hold *){NULL}), 2);
                assert_int_equal(m.n_holds, 7);
                procmap_done(&m);

                assert_int_equal(procmap_scan(&m, tree, want, 4, PROCMAP_ALL), 0);
                assert_int_equal(m.visited, 1201);
                assert_true(m.complete);
                assert_int_equal(m.n_holds, 7);
                procmap_done(&m);

                assert_int_equal(procmap_scan(&m, tree, &deep, 1, PROCMAP_LISTENERS), 0);
                assert_int_equal(procmap_find(&m, 9100, &(const struct procmap_hold *){NULL}), 1);
                assert_int_equal(m.procs[0].pid, 1300);
                procmap_done(&m);
        }
        procmap_set_lanes(0);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
        assert_int_equal(system(cmd), 0);
}

/* procdir: pids of the fixture root in ascending order, the cap, pid names, whole files. */
static void test_procdir(void **state)
{
        static const int want[] = {1, 100, 101, 200, 300, 400, 500, 600, 700};
        char *dents = malloc(PROCDIR_DENTS_BUF), *text = NULL;
        int dfd = open(ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC), *pids = NULL;
        size_t n = 0, len = 0;

        (void)state;
        assert_non_null(dents);
        assert_true(dfd >= 0);
        assert_int_equal(procdir_list_pids(dfd, dents, 1000, &pids, &n), 0);
        assert_int_equal(n, sizeof(want) / sizeof(want[0]));
        assert_memory_equal(pids, want, sizeof(want));
        free(pids);
        pids = NULL;
        lseek(dfd, 0, SEEK_SET);
        assert_int_equal(procdir_list_pids(dfd, dents, 0, &pids, &n), -E2BIG);
        assert_null(pids);
        assert_int_equal(procdir_read_whole(dfd, "100/comm", &text, &len), 0);
        assert_int_equal(len, strlen(text));
        assert_true(len > 0 && text[len - 1] == '\n');
        free(text);
        assert_int_equal(procdir_read_whole(dfd, "100/no-such-file", &text, &len), -ENOENT);
        close(dfd);
        free(dents);
        assert_int_equal(procdir_parse_pid("42"), 42);
        assert_int_equal(procdir_parse_pid("0"), -1);
        assert_int_equal(procdir_parse_pid("4x"), -1);
        assert_int_equal(procdir_parse_pid(""), -1);
        assert_int_equal(procdir_parse_pid("99999999999"), -1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_socket_link), cmocka_unit_test(test_early_stop_and_family),
            cmocka_unit_test(test_everything),  cmocka_unit_test(test_listeners_deep),
            cmocka_unit_test(test_details),     cmocka_unit_test(test_bad_root),
            cmocka_unit_test(test_generated),   cmocka_unit_test(test_lanes),
            cmocka_unit_test(test_procdir),     cmocka_unit_test(test_uid),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

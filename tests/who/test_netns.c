/* test_netns: container hints from cgroup paths, and namespaces listed from the fixture tree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netns.h"

struct hint_case {
        const char *cgroup;
        const char *hint; /* NULL: none */
};

static const struct hint_case cases[] = {
    {"0::/system.slice/docker-3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6"
     "d7e8.scope\n",
     "docker 3f2a9c1b7d4e"},
    {"12:pids:/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
     "0::/\n",
     "docker 0123456789ab"},
    {"0::/machine.slice/libpod-aabbccddeeff00112233445566778899aabbccddeeff0011223344556677"
     "8899.scope/container\n",
     "podman aabbccddeeff"},
    {"0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/"
     "cri-containerd-ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
     ".scope\n",
     "containerd ffeeddccbbaa"},
    {"0::/kubepods/besteffort/pod1234/abc\n", "kubernetes pod"},
    {"0::/lxc.payload.web1/init.scope\n", "lxc web1"},
    {"5:cpu:/lxc/db2\n", "lxc db2"},
    {"0::/machine.slice/machine-web.scope\n", "machine machine-web.scope"},
    {"0::/system.slice/nginx.service\n", "systemd unit nginx.service"},
    {"0::/user.slice/user-1000.slice/user@1000.service/app.slice/syncthing.service\n",
     "systemd user unit syncthing.service"},
    {"0::/user.slice/user-1000.slice/user@1000.service/init.scope\n", NULL},
    {"0::/user.slice/user-1000.slice/session-3.scope\n", NULL},
    {"0::/init.scope\n", NULL},
    {"0::/\n", NULL},
    {"", NULL},
    {"garbage without colons", NULL},
    {"0::/docker/short\n", NULL},
};

static void test_hints(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char buf[NETNS_MAX_HINT];
                int r =
                    netns_cgroup_hint(cases[i].cgroup, strlen(cases[i].cgroup), buf, sizeof(buf));

                if (cases[i].hint) {
                        assert_int_equal(r, 0);
                        assert_string_equal(buf, cases[i].hint);
                } else {
                        assert_int_equal(r, -ENOENT);
                        assert_string_equal(buf, "");
                }
        }
}

static void test_hint_truncated(void **state)
{
        const char *text = cases[0].cgroup;
        char small[8];

        (void)state;
        for (size_t cut = 0; cut < strlen(text); cut++) {
                char buf[NETNS_MAX_HINT];
                char *part = test_malloc(cut ? cut : 1);

                memcpy(part, text, cut);
                netns_cgroup_hint(part, cut, buf, sizeof(buf));
                assert_true(strlen(buf) < sizeof(buf));
                test_free(part);
        }
        assert_int_equal(netns_cgroup_hint(text, strlen(text), small, sizeof(small)), 0);
        assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void test_fixture(void **state)
{
        struct netns_list l;
        uint64_t ino = 0;
        char buf[NETNS_MAX_HINT];

        (void)state;
        assert_int_equal(netns_list_scan(FIXTURE_DIR "/proc", &l), 0);
        assert_int_equal(l.n, 2);
        /* Directory order is the file system's: find each. */
        for (size_t i = 0; i < 2; i++) {
                assert_true(l.v[i].ino == 4026531840u || l.v[i].ino == 4026532999u);
                if (l.v[i].ino == 4026532999u)
                        assert_int_equal(l.v[i].pid, 300);
        }
        assert_int_not_equal(l.v[0].ino, l.v[1].ino);
        netns_list_done(&l);
        assert_int_equal(netns_of(FIXTURE_DIR "/proc", 100, &ino), 0);
        assert_int_equal(ino, 4026531840u);
        assert_true(netns_of(FIXTURE_DIR "/proc", 999, &ino) < 0);
        assert_int_equal(netns_container_hint(FIXTURE_DIR "/proc", 300, buf, sizeof(buf)), 0);
        assert_string_equal(buf, "docker 3f2a9c1b7d4e");
        assert_int_equal(netns_container_hint(FIXTURE_DIR "/proc", 1, buf, sizeof(buf)), -ENOENT);
        assert_int_equal(netns_of(NULL, 0, &ino), 0); /* this thread's own */
        assert_true(ino > 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_hints),
            cmocka_unit_test(test_hint_truncated),
            cmocka_unit_test(test_fixture),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

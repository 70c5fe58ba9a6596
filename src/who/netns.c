/* netns: network namespaces by /proc/PID/ns/net link, setns(2) in and out, cgroup hints.
 *
 * The hint reads only the cgroup path; it asks no container runtime anything.
 */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "procmap.h"

#define NS_PREFIX "net:["

/* Parses "net:[N]". */
static int parse_ns_link(const char *s, size_t len, uint64_t *ret)
{
        const size_t plen = sizeof(NS_PREFIX) - 1;
        uint64_t v = 0;

        if (len < plen + 2 || memcmp(s, NS_PREFIX, plen) != 0 || s[len - 1] != ']')
                return -EINVAL;
        for (size_t i = plen; i < len - 1; i++) {
                unsigned d = (unsigned)((unsigned char)s[i] - '0');

                if (d > 9 || v > (UINT64_MAX - d) / 10)
                        return -EINVAL;
                v = v * 10 + d;
        }
        *ret = v;
        return 0;
}

int netns_of(const char *root, int pid, uint64_t *ret_ino)
{
        char path[PATH_MAX], link[64];
        ssize_t n;

        if (pid > 0)
                snprintf(path, sizeof(path), "%s/%d/ns/net", root ? root : PROCMAP_ROOT, pid);
        else
                snprintf(path, sizeof(path), "/proc/thread-self/ns/net");
        n = readlink(path, link, sizeof(link));
        if (n < 0)
                return -errno;
        if ((size_t)n >= sizeof(link))
                return -EINVAL;
        return parse_ns_link(link, (size_t)n, ret_ino);
}

static int add_entry(struct netns_list *l, uint64_t ino, int pid)
{
        for (size_t i = 0; i < l->n; i++)
                if (l->v[i].ino == ino)
                        return 0;
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 8;
                struct netns_entry *v = realloc(l->v, cap * sizeof(*v));

                if (!v)
                        return -ENOMEM;
                l->v = v;
                l->cap = cap;
        }
        l->v[l->n++] = (struct netns_entry){ino, pid};
        return 0;
}

int netns_list_scan(const char *root, struct netns_list *l)
{
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *e;
        int r = 0;

        *l = (struct netns_list){0};
        d = opendir(root ? root : PROCMAP_ROOT);
        if (!d)
                return -errno;
        while ((e = readdir(d)) && r == 0) {
                char path[64], link[64];
                uint64_t ino;
                char *end;
                long pid = strtol(e->d_name, &end, 10);
                ssize_t n;

                if (*end || pid <= 0 || pid > INT_MAX)
                        continue;
                snprintf(path, sizeof(path), "%ld/ns/net", pid);
                n = readlinkat(dirfd(d), path, link, sizeof(link));
                if (n < 0) {
                        /* Kernel threads have a namespace too; only hidden ones count. */
                        if (errno == EACCES || errno == EPERM)
                                l->unreadable++;
                        continue;
                }
                if ((size_t)n < sizeof(link) && parse_ns_link(link, (size_t)n, &ino) == 0)
                        r = add_entry(l, ino, (int)pid);
        }
        return r;
}

void netns_list_done(struct netns_list *l)
{
        free(l->v);
        *l = (struct netns_list){0};
}

int netns_enter(const char *root, int pid, int *ret_back)
{
        char path[PATH_MAX];
        _cleanup_close_ int back = -1;
        _cleanup_close_ int fd = -1;

        back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (back < 0)
                return -errno;
        snprintf(path, sizeof(path), "%s/%d/ns/net", root ? root : PROCMAP_ROOT, pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
                return -errno;
        *ret_back = TAKE_FD(back);
        return 0;
}

int netns_leave(int back)
{
        int r = setns(back, CLONE_NEWNET) < 0 ? -errno : 0;

        close(back);
        return r;
}

/* Copies at most @n bytes of @s into @buf as a NUL-terminated string. */
static void put(char *buf, size_t size, const char *prefix, const char *s, size_t n)
{
        snprintf(buf, size, "%s%.*s", prefix, (int)(n > 64 ? 64 : n), s);
}

/* Whether @c is a lower-case hex digit. */
static bool is_hex(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Finds "<marker><64 hex>" in @path and writes "<label> <first 12 hex>". */
static bool container_id(const char *path, size_t len, const char *marker, const char *label,
                         char *buf, size_t size)
{
        size_t mlen = strlen(marker);

        for (size_t i = 0; i + mlen + 12 <= len; i++) {
                size_t h = 0;

                if (memcmp(path + i, marker, mlen) != 0)
                        continue;
                while (i + mlen + h < len && is_hex(path[i + mlen + h]))
                        h++;
                if (h >= 12) {
                        char prefix[32];

                        snprintf(prefix, sizeof(prefix), "%s ", label);
                        put(buf, size, prefix, path + i + mlen, 12);
                        return true;
                }
        }
        return false;
}

/* The last path component of @path ending in @suffix, as "<prefix><component>". */
static bool unit_named(const char *path, size_t len, const char *suffix, const char *prefix,
                       char *buf, size_t size)
{
        size_t slen = strlen(suffix);
        size_t end = len;

        while (end > 0) {
                size_t start = end;

                while (start > 0 && path[start - 1] != '/')
                        start--;
                if (end - start > slen && memcmp(path + end - slen, suffix, slen) == 0) {
                        put(buf, size, prefix, path + start, end - start);
                        return true;
                }
                if (start == 0)
                        break;
                end = start - 1;
        }
        return false;
}

/* The hint for one cgroup path. */
static int hint_for_path(const char *p, size_t n, char *buf, size_t size)
{
        const char *s;

        if (container_id(p, n, "docker-", "docker", buf, size) ||
            container_id(p, n, "/docker/", "docker", buf, size) ||
            container_id(p, n, "libpod-", "podman", buf, size) ||
            container_id(p, n, "cri-containerd-", "containerd", buf, size) ||
            container_id(p, n, "crio-", "cri-o", buf, size))
                return 0;
        if (memmem(p, n, "kubepods", 8)) {
                snprintf(buf, size, "kubernetes pod");
                return 0;
        }
        if (container_id(p, n, "/containerd/", "containerd", buf, size))
                return 0;
        s = memmem(p, n, "/lxc/", 5);
        if (!s)
                s = memmem(p, n, "lxc.payload.", 12);
        if (s) {
                const char *name = s + (s[1] == 'l' && s[4] == '/' ? 5 : 12);
                size_t k = 0;

                while (name + k < p + n && name[k] != '/')
                        k++;
                put(buf, size, "lxc ", name, k);
                return 0;
        }
        if (memmem(p, n, "machine.slice/", 14) && unit_named(p, n, ".scope", "machine ", buf, size))
                return 0;
        /* user@1000.service and session scopes say only "a login", not what runs. */
        if (unit_named(p, n, ".service", "systemd unit ", buf, size) && !memmem(p, n, "user@", 5))
                return 0;
        if (memmem(p, n, "user@", 5) &&
            unit_named(p, n, ".service", "systemd user unit ", buf, size) && !strstr(buf, "user@"))
                return 0;
        return -ENOENT;
}

int netns_cgroup_hint(const char *text, size_t len, char *buf, size_t size)
{
        const char *p = text, *end = text + len;
        int found = -ENOENT;

        if (size == 0)
                return -ENOBUFS;
        buf[0] = '\0';
        /* Lines are "ID:controllers:path"; the unified (v2) line "0::path" comes last, but any
         * line that names a container will do. */
        while (p < end && found < 0) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *eol = nl ? nl : end;
                const char *c1 = memchr(p, ':', (size_t)(eol - p));
                const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;

                if (c2)
                        found = hint_for_path(c2 + 1, (size_t)(eol - c2 - 1), buf, size);
                p = nl ? nl + 1 : end;
        }
        if (found < 0)
                buf[0] = '\0';
        return found;
}

int netns_container_hint(const char *root, int pid, char *buf, size_t size)
{
        char path[PATH_MAX], text[4096];
        ssize_t n;
        _cleanup_close_ int fd = -1;

        snprintf(path, sizeof(path), "%s/%d/cgroup", root ? root : PROCMAP_ROOT, pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, text, sizeof(text));
        if (n < 0)
                return -errno;
        return netns_cgroup_hint(text, (size_t)n, buf, size);
}

/* procmap_proc: what one process is: its name, user, executable and command line, read from its
 * /proc directory (or a fixture's).
 *
 * It does not look at descriptors; procmap.c finds the processes and calls it for holders.
 */
#include "procmap_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cleanup.h"

void procmap_proc_done(struct procmap_proc *p)
{
        free(p->name);
        free(p->exe);
        free(p->cmdline);
        p->name = p->exe = p->cmdline = NULL;
}

/* Reads at most @cap - 1 bytes of @dirfd/@name into @buf, NUL-terminated.  Returns the length or
 * -errno.  @procfs: a short read was the last (procfs fills a read while it has data). */
static ssize_t read_small(int dirfd, const char *name, char *buf, size_t cap, bool procfs)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
        size_t len = 0;

        if (fd < 0)
                return -errno;
        while (len < cap - 1) {
                ssize_t k = read(fd, buf + len, cap - 1 - len);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                len += (size_t)k;
                /* procfs fills a read while it has data: a short one was the last. */
                if (procfs && len < cap - 1)
                        break;
        }
        buf[len] = '\0';
        return (ssize_t)len;
}

int procmap_proc_parse_uid(const char *status, uint32_t *ret_uid)
{
        const char *p = strstr(status, "\nUid:");
        unsigned long long v;
        char *end;

        if (!p)
                return -EINVAL;
        p += 5;
        p += strspn(p, " \t");
        if (*p < '0' || *p > '9')
                return -EINVAL;
        errno = 0;
        v = strtoull(p, &end, 10);
        if (errno || v > UINT32_MAX || (*end != '\t' && *end != ' ' && *end != '\n'))
                return -EINVAL;
        *ret_uid = (uint32_t)v;
        return 0;
}

void procmap_proc_read_at(int dfd, const char *prefix, bool procfs, struct procmap_proc *p)
{
        static const char deleted[] = " (deleted)";
        char path[PATH_MAX], buf[PROCMAP_MAX_CMDLINE + 1], name[16];
        ssize_t n;

        p->details = true;
        snprintf(name, sizeof(name), "%scomm", prefix);
        n = read_small(dfd, name, buf, sizeof(buf), procfs);
        if (n > 0 && !p->name) {
                buf[strcspn(buf, "\n")] = '\0';
                p->name = strdup(buf);
        }
        /* The real uid, as ps and lsof name the process's user: a server that bound its socket
         * as root and then dropped privileges runs as the user it dropped to. */
        snprintf(name, sizeof(name), "%sstatus", prefix);
        n = read_small(dfd, name, buf, sizeof(buf), procfs);
        if (n > 0 && !p->has_uid && procmap_proc_parse_uid(buf, &p->uid) == 0)
                p->has_uid = true;
        snprintf(name, sizeof(name), "%sexe", prefix);
        n = readlinkat(dfd, name, path, sizeof(path) - 1);
        if (n > 0 && !p->exe) {
                size_t dl = sizeof(deleted) - 1;

                path[n] = '\0';
                if ((size_t)n > dl && strcmp(path + n - dl, deleted) == 0) {
                        char again[PATH_MAX + 16];

                        path[n - dl] = '\0';
                        p->exe_deleted = true;
                        /* Seen through the process's own root, so a container's path is looked
                         * up in the container. */
                        if (path[0] == '/' &&
                            (size_t)snprintf(again, sizeof(again), "%sroot%s", prefix, path) <
                                sizeof(again) &&
                            faccessat(dfd, again, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                                p->exe_replaced = true;
                }
                p->exe = strdup(path);
        }
        snprintf(name, sizeof(name), "%scmdline", prefix);
        n = read_small(dfd, name, buf, sizeof(buf), procfs);
        if (n > 0 && !p->cmdline) {
                /* Arguments are NUL-separated; the last ends with one (unless rewritten). */
                while (n > 0 && buf[n - 1] == '\0')
                        n--;
                for (ssize_t i = 0; i < n; i++)
                        if (buf[i] == '\0')
                                buf[i] = ' ';
                buf[n] = '\0';
                if (n > 0)
                        p->cmdline = strdup(buf);
        }
}

int procmap_proc_details(const char *root, int pid, struct procmap_proc *p)
{
        struct statfs fs;
        char path[PATH_MAX];
        _cleanup_close_ int dfd = -1;

        snprintf(path, sizeof(path), "%s/%d", root ? root : PROCMAP_ROOT, pid);
        dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -ENOENT;
        procmap_proc_read_at(dfd, "", fstatfs(dfd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC, p);
        return 0;
}

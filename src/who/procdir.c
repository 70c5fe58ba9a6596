/* procdir: lists the numbered entries of a /proc root or a task directory, and reads a small
 * file whole.
 *
 * One getdents64 buffer per call, given by the caller; no stat, no sorting beyond pids.
 */
#include "procdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "cleanup.h"

int procdir_parse_pid(const char *name)
{
        long v = 0;

        if (!*name)
                return -1;
        for (; *name; name++) {
                if (*name < '0' || *name > '9' || v > INT_MAX / 10)
                        return -1;
                v = v * 10 + (*name - '0');
        }
        return v > 0 ? (int)v : -1;
}

static int cmp_int(const void *a, const void *b)
{
        int x = *(const int *)a, y = *(const int *)b;

        return (x > y) - (x < y);
}

/* Appends @id to the array @ids of @n (room for @cap), growing it from @first.  Returns 0,
 * -E2BIG when @n reached @max, or -ENOMEM. */
static int append_id(int **ids, size_t *n, size_t *cap, size_t first, size_t max, int id)
{
        if (*n == *cap) {
                int *p;

                if (*cap >= max)
                        return -E2BIG;
                *cap = *cap ? *cap * 2 : first;
                p = realloc(*ids, *cap * sizeof(*p));
                if (!p)
                        return -ENOMEM;
                *ids = p;
        }
        (*ids)[(*n)++] = id;
        return 0;
}

int procdir_list_pids(int dfd, char *dents, size_t max, int **ret_pids, size_t *ret_n)
{
        _cleanup_free_ int *pids = NULL;
        size_t n_pids = 0, cap = 0;

        for (;;) {
                ssize_t n = getdents64(dfd, dents, PROCDIR_DENTS_BUF);

                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                for (ssize_t off = 0; off < n;) {
                        struct dirent64 *d = (struct dirent64 *)(void *)(dents + off);
                        int pid = procdir_parse_pid(d->d_name), r;

                        off += d->d_reclen;
                        if (pid < 0)
                                continue;
                        r = append_id(&pids, &n_pids, &cap, 512, max, pid);
                        if (r < 0)
                                return r;
                }
        }
        /* /proc lists in pid order already; a fixture directory need not. */
        if (n_pids > 1)
                qsort(pids, n_pids, sizeof(int), cmp_int);
        *ret_pids = TAKE_PTR(pids);
        *ret_n = n_pids;
        return 0;
}

int procdir_list_tids(int tfd, char *dents, int **ret_tids, size_t *ret_n)
{
        _cleanup_free_ int *tids = NULL;
        size_t n_tids = 0, cap = 0;

        for (;;) {
                ssize_t n = getdents64(tfd, dents, PROCDIR_DENTS_BUF);

                if (n <= 0)
                        break;
                for (ssize_t off = 0; off < n;) {
                        struct dirent64 *d = (struct dirent64 *)(void *)(dents + off);
                        int tid = procdir_parse_pid(d->d_name);

                        off += d->d_reclen;
                        if (tid >= 0 && append_id(&tids, &n_tids, &cap, 8, SIZE_MAX, tid) < 0)
                                return -ENOMEM;
                }
        }
        *ret_tids = TAKE_PTR(tids);
        *ret_n = n_tids;
        return 0;
}

int procdir_read_whole(int dirfd, const char *name, char **ret_buf, size_t *ret_len)
{
        size_t len = 0, cap = 4096;
        _cleanup_free_ char *buf = malloc(cap);
        _cleanup_close_ int fd = -1;

        if (!buf)
                return -ENOMEM;
        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t k;

                if (len + 1 == cap) {
                        char *b = cap < (4u << 20) ? realloc(buf, cap * 2) : NULL;

                        if (!b)
                                return cap < (4u << 20) ? -ENOMEM : -E2BIG;
                        buf = b;
                        cap *= 2;
                }
                k = read(fd, buf + len, cap - 1 - len);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                len += (size_t)k;
        }
        buf[len] = '\0';
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

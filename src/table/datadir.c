/* datadir: finding and mapping the imported table; reading input files with a cap.
 *
 * Writing the directory is update.c's job; this file only reads.
 */
#include "datadir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "portdb_embedded.h"

const char *datadir_path(const char *opt)
{
        const char *env;

        if (opt && opt[0])
                return opt;
        env = getenv("PORTINFO_DATA_DIR");
        if (env && env[0])
                return env;
        return PORTINFO_DATADIR;
}

int datadir_check_dir(int dirfd, unsigned *ret_uid, unsigned *ret_mode)
{
        struct stat st;

        if (fstat(dirfd, &st) < 0)
                return -errno;
        if (!S_ISDIR(st.st_mode))
                return -ENOTDIR;
        if (!(st.st_mode & (S_IWGRP | S_IWOTH)) ||
            ((st.st_mode & S_ISVTX) && st.st_uid == geteuid()))
                return 0;
        if (ret_uid)
                *ret_uid = (unsigned)st.st_uid;
        if (ret_mode)
                *ret_mode = (unsigned)(st.st_mode & 07777);
        return -EPERM;
}

int datadir_open(struct portdb *db, const char *dir)
{
        _cleanup_close_ int dirfd = -1;
        int r;

        portdb_open_embedded(db);
        dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return errno == ENOTDIR ? -ENOENT : -errno;
        r = datadir_check_dir(dirfd, NULL, NULL);
        if (r < 0)
                return r;
        return datadir_open_at(db, dirfd);
}

int datadir_open_at(struct portdb *db, int dirfd)
{
        struct stat st;
        void *map;
        _cleanup_close_ int fd = -1;

        portdb_open_embedded(db);
        /* A link is refused, not followed: the table is read by root too. */
        fd = openat(dirfd, DATADIR_CURRENT, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return errno == ELOOP ? -EINVAL : errno == ENOTDIR ? -ENOENT : -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(struct portdb_header) ||
            (unsigned long long)st.st_size > UINT32_MAX)
                return -EINVAL;
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
                return -errno;
        if (portdb_open(db, map, (size_t)st.st_size, true) < 0) {
                munmap(map, (size_t)st.st_size);
                portdb_open_embedded(db);
                return -EINVAL;
        }
        return 0;
}

int datadir_read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
        struct stat st;
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        if ((unsigned long long)st.st_size > max)
                return -E2BIG;
        buf = malloc((size_t)st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        /* Read to EOF but never past the cap, in case the file grows while we read. */
        for (;;) {
                ssize_t n = read(fd, buf + len, (size_t)st.st_size + 1 - len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t)n;
                if (len > (size_t)st.st_size)
                        return -EAGAIN; /* changed under us */
        }
        buf[len] = '\0';
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

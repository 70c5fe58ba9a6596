/* update_install: the only writer of the data directory: its lock, the atomic install of a new
 * table and the rollback.
 *
 * One flock(2) is held from before the table in use is read until the last rename, so two
 * updates never interleave; every file is opened beneath one directory descriptor without
 * following links, and the directory is changed only by rename(2) of complete, fsync'ed files,
 * so a reader sees the old table or the new one and a crash at any point leaves one of them.
 * Validation and the change report are update.c's.
 */
#include "update_install.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "datadir.h"
#include "portdb.h"

#define LOCK_NAME  ".lock"
#define TMP_PREFIX ".portdb."
#define TMP_SUFFIX ".tmp"

/* mkdir -p for @dir with mode 0755. */
static int make_dirs(const char *dir)
{
        char path[4096];
        size_t n = strlen(dir);

        if (n == 0 || n >= sizeof(path))
                return -ENAMETOOLONG;
        memcpy(path, dir, n + 1);
        for (char *p = path + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(path, 0755) < 0 && errno != EEXIST)
                        return -errno;
                *p = '/';
        }
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* Removes what an update killed before its end left behind (".portdb.*.tmp").  Called with the
 * lock held: every writer takes it, so no such file belongs to a running update. */
static void remove_stale(int dirfd)
{
        _cleanup_closedir_ DIR *d = NULL;
        int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        struct dirent *de;

        if (fd < 0)
                return;
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return;
        }
        while ((de = readdir(d))) {
                size_t n = strlen(de->d_name);

                if (n > strlen(TMP_PREFIX) + strlen(TMP_SUFFIX) &&
                    strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 &&
                    strcmp(de->d_name + n - strlen(TMP_SUFFIX), TMP_SUFFIX) == 0)
                        unlinkat(dirfd, de->d_name, 0);
        }
}

int update_lock(const char *dir, bool create, struct update_lock *ret)
{
        _cleanup_close_ int dirfd = -1;
        _cleanup_close_ int lockfd = -1;
        int r;

        if (create) {
                r = make_dirs(dir);
                if (r < 0)
                        return r;
        }
        dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return -errno;
        r = datadir_check_dir(dirfd, NULL, NULL);
        if (r < 0)
                return r;
        lockfd =
            openat(dirfd, LOCK_NAME, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
        if (lockfd < 0)
                return errno == ELOOP ? -EINVAL : -errno;
        if (flock(lockfd, LOCK_EX | LOCK_NB) < 0)
                return errno == EWOULDBLOCK ? -EBUSY : -errno;
        remove_stale(dirfd);
        ret->dirfd = TAKE_FD(dirfd);
        ret->lockfd = TAKE_FD(lockfd);
        return 0;
}

void update_unlock(struct update_lock *l)
{
        if (l->lockfd >= 0)
                close(l->lockfd); /* releases the flock */
        if (l->dirfd >= 0)
                close(l->dirfd);
        l->lockfd = l->dirfd = -1;
}

static int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;

        while (len > 0) {
                ssize_t n = write(fd, p, len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

/* Whether @name exists beneath @dirfd (a link counts: it is replaced, never followed). */
static int exists_at(int dirfd, const char *name)
{
        struct stat st;

        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                return 1;
        return errno == ENOENT ? 0 : -errno;
}

/* Keeps the table in use as the previous one: a hard link renamed over it, so that the current
 * name never goes missing.  With no table in use (the compiled-in one answers), any older
 * previous table is removed, so that --rollback returns to the compiled-in one.  Returns 1
 * (a previous table kept), 0 (the compiled-in one was in use) or -errno. */
static int keep_previous(int dirfd)
{
        char prev_tmp[64];
        int r;

        snprintf(prev_tmp, sizeof(prev_tmp), TMP_PREFIX "prev.%ld" TMP_SUFFIX, (long)getpid());
        if (linkat(dirfd, DATADIR_CURRENT, dirfd, prev_tmp, 0) == 0) {
                if (renameat(dirfd, prev_tmp, dirfd, DATADIR_PREVIOUS) < 0) {
                        r = -errno;
                        unlinkat(dirfd, prev_tmp, 0);
                        return r;
                }
                return 1;
        }
        if (errno != ENOENT)
                return -errno;
        if (unlinkat(dirfd, DATADIR_PREVIOUS, 0) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

/* Writes @len bytes of @data to a new temporary file @tmp beneath @dirfd and fsyncs it.
 * Returns 0 or -errno (the temporary file removed). */
static int write_temp(int dirfd, const char *tmp, const void *data, size_t len)
{
        _cleanup_close_ int fd = -1;
        int r;

        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        r = write_all(fd, data, len);
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        if (close(TAKE_FD(fd)) < 0 && r == 0)
                r = -errno;
        if (r < 0)
                unlinkat(dirfd, tmp, 0);
        return r;
}

int update_write_file(const struct update_lock *l, const char *name, const void *data, size_t len)
{
        char tmp[64];
        int r;

        snprintf(tmp, sizeof(tmp), TMP_PREFIX "file.%ld" TMP_SUFFIX, (long)getpid());
        r = write_temp(l->dirfd, tmp, data, len);
        if (r < 0)
                return r;
        if (renameat(l->dirfd, tmp, l->dirfd, name) < 0) {
                r = -errno;
                unlinkat(l->dirfd, tmp, 0);
                return r;
        }
        return fsync(l->dirfd) < 0 ? -errno : 0;
}

int update_install(const struct update_lock *l, const void *blob, size_t len)
{
        char tmp[64];
        _cleanup_close_ int fd = -1;
        int r, kept;

        snprintf(tmp, sizeof(tmp), TMP_PREFIX "bin.%ld" TMP_SUFFIX, (long)getpid());
        fd = openat(l->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        r = write_all(fd, blob, len);
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        if (close(TAKE_FD(fd)) < 0 && r == 0)
                r = -errno;
        kept = r == 0 ? keep_previous(l->dirfd) : r;
        if (kept >= 0 && renameat(l->dirfd, tmp, l->dirfd, DATADIR_CURRENT) < 0)
                kept = -errno;
        if (kept < 0) {
                unlinkat(l->dirfd, tmp, 0);
                return kept;
        }
        return fsync(l->dirfd) < 0 ? -errno : kept;
}

/* Whether @name beneath @dirfd holds a valid table. */
static int check_table(int dirfd, const char *name)
{
        struct portdb db;
        struct stat st;
        void *map;
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        int r;

        if (fd < 0)
                return errno == ELOOP ? -EINVAL : -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
            (unsigned long long)st.st_size > UINT32_MAX)
                return -EINVAL;
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
                return -EINVAL;
        r = portdb_open(&db, map, (size_t)st.st_size, true) < 0 ? -EINVAL : 0;
        munmap(map, (size_t)st.st_size);
        return r;
}

/* Swaps the previous and current tables (the previous one checked first).  With no current
 * table, the previous one becomes current and none is left. */
static int swap_tables(int dirfd, bool have_current)
{
        char tmp[64];
        int r = check_table(dirfd, DATADIR_PREVIOUS);

        if (r < 0)
                return r;
        snprintf(tmp, sizeof(tmp), TMP_PREFIX "swap.%ld" TMP_SUFFIX, (long)getpid());
        if (have_current && linkat(dirfd, DATADIR_CURRENT, dirfd, tmp, 0) < 0)
                return -errno;
        if (renameat(dirfd, DATADIR_PREVIOUS, dirfd, DATADIR_CURRENT) < 0) {
                r = -errno;
                if (have_current)
                        unlinkat(dirfd, tmp, 0);
                return r;
        }
        if (have_current && renameat(dirfd, tmp, dirfd, DATADIR_PREVIOUS) < 0) {
                r = -errno;
                unlinkat(dirfd, tmp, 0);
                return r;
        }
        return 0;
}

int update_rollback(const struct update_lock *l, enum update_rollback_to *ret_to)
{
        int have_prev = exists_at(l->dirfd, DATADIR_PREVIOUS);
        int have_cur = exists_at(l->dirfd, DATADIR_CURRENT);
        enum update_rollback_to to;
        int r;

        if (have_prev < 0 || have_cur < 0)
                return have_prev < 0 ? have_prev : have_cur;
        if (have_prev) {
                r = swap_tables(l->dirfd, have_cur);
                to = have_cur ? ROLLBACK_TO_PREVIOUS : ROLLBACK_FORWARD;
        } else if (have_cur) {
                /* The first import's previous table is the compiled-in one: the imported
                 * table steps aside (kept for a second --rollback, which goes forward). */
                r = renameat(l->dirfd, DATADIR_CURRENT, l->dirfd, DATADIR_PREVIOUS) < 0 ? -errno
                                                                                        : 0;
                to = ROLLBACK_TO_EMBEDDED;
        } else {
                return -ENOENT;
        }
        if (r < 0)
                return r;
        if (fsync(l->dirfd) < 0)
                return -errno;
        *ret_to = to;
        return 0;
}

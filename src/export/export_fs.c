/* export_fs: the file system steps of an export: create a file once, read an asset, remove a
 * tree fast, test a directory for entries, move an entry into place. */
#include "export_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

/* Creates @name in @dfd (it must not exist) holding @len bytes of @data.  0 or -errno. */
int exfs_write_at(int dfd, const char *name, const void *data, size_t len)
{
        const char *p = data;
        int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        int r = 0;

        if (fd < 0)
                return -errno;
        while (len > 0) {
                ssize_t n = write(fd, p, len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        break;
                }
                p += n;
                len -= (size_t)n;
        }
        if (close(fd) < 0 && r == 0)
                r = -errno;
        return r;
}

struct dir_entry {
        ino_t ino;
        bool dir;
        char *name;
};

static int entry_cmp(const void *a, const void *b)
{
        const struct dir_entry *x = a, *y = b;

        return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Removes @name in @parent and, if it is a directory, everything in it.  Entries go in inode
 * order, as rm -r does: on ext4 that is several times faster than directory order for the
 * 65,536 files of a ports directory.  Best effort: returns the first error but carries on. */
int exfs_remove_tree(int parent, const char *name)
{
        int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct dir_entry *v = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        DIR *d;
        int r = 0;

        if (fd < 0) {
                if (errno != ENOTDIR && errno != ELOOP)
                        return errno == ENOENT ? 0 : -errno;
                return unlinkat(parent, name, 0) < 0 ? -errno : 0;
        }
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return -errno;
        }
        while ((de = readdir(d))) {
                struct stat st;

                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                if (n == cap) {
                        struct dir_entry *nv = realloc(v, (cap ? 2 * cap : 256) * sizeof(*v));

                        if (!nv) {
                                r = -ENOMEM;
                                break;
                        }
                        v = nv;
                        cap = cap ? 2 * cap : 256;
                }
                v[n].ino = de->d_ino;
                v[n].dir = de->d_type == DT_DIR;
                if (de->d_type == DT_UNKNOWN)
                        v[n].dir = fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                                   S_ISDIR(st.st_mode);
                v[n].name = strdup(de->d_name);
                if (!v[n].name) {
                        r = -ENOMEM;
                        break;
                }
                n++;
        }
        if (n > 0)
                qsort(v, n, sizeof(*v), entry_cmp);
        for (size_t i = 0; i < n; i++) {
                int e = v[i].dir                         ? exfs_remove_tree(fd, v[i].name)
                        : unlinkat(fd, v[i].name, 0) < 0 ? -errno
                                                         : 0;

                r = r ? r : e;
                free(v[i].name);
        }
        free(v);
        closedir(d);
        if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && r == 0)
                r = -errno;
        return r;
}

/* Whether directory @fd has entries.  1, 0 or -errno. */
int exfs_dir_has_entries(int fd)
{
        _cleanup_close_ int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        if (dup_fd < 0)
                return -errno;
        d = fdopendir(dup_fd);
        if (!d)
                return -errno;
        TAKE_FD(dup_fd); /* the stream owns it now */
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        return 1;
        return 0;
}

/* Whether @name is a plain asset name: [A-Za-z0-9._-], not starting with a dot. */
bool exfs_plain_name(const char *name)
{
        if (!name[0] || name[0] == '.')
                return false;
        for (const char *s = name; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
                        return false;
        return true;
}

/* Reads the regular file @name of @dfd whole (at most @max bytes) into a malloc'ed
 * buffer.  0, -E2BIG, -EINVAL (not a regular file, or a symbolic link) or -errno. */
int exfs_read_file(int dfd, const char *name, size_t max, char **ret_data, size_t *ret_len)
{
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        _cleanup_free_ char *data = NULL;
        struct stat st;
        size_t got = 0;

        if (fd < 0)
                return errno == ELOOP ? -EINVAL : -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max)
                return !S_ISREG(st.st_mode) ? -EINVAL : -E2BIG;
        data = malloc((size_t)st.st_size + 1);
        if (!data)
                return -ENOMEM;
        while (got < (size_t)st.st_size) {
                ssize_t n = read(fd, data + got, (size_t)st.st_size - got);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                got += (size_t)n;
        }
        *ret_data = TAKE_PTR(data);
        *ret_len = got;
        return 0;
}

/* Moves entry @name from @tmp to @target, where an older one may be: that one is swapped
 * into @tmp (to be removed with it).  Where the file system cannot swap, the old entry is
 * first moved aside into @tmp. */
int exfs_move_entry(int tmp, int target, const char *name)
{
        char aside[64];

        if (renameat2(tmp, name, target, name, RENAME_NOREPLACE) == 0)
                return 0;
        if (errno == EEXIST && renameat2(tmp, name, target, name, RENAME_EXCHANGE) == 0)
                return 0;
        if (errno != EINVAL && errno != ENOSYS && errno != EEXIST)
                return -errno;
        snprintf(aside, sizeof(aside), "old.%s", name);
        if (renameat(target, name, tmp, aside) < 0 && errno != ENOENT)
                return -errno;
        return renameat(tmp, name, target, name) < 0 ? -errno : 0;
}

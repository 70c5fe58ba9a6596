/* export_fs: file system steps shared by the export's writers.  Every function returns 0 (or a
 * count) or -errno, and follows no symbolic link it did not create. */
#ifndef PORTINFO_EXPORT_FS_H
#define PORTINFO_EXPORT_FS_H

#include <stdbool.h>
#include <stddef.h>

/* Creates @name in @dfd (it must not exist) holding @len bytes of @data. */
int exfs_write_at(int dfd, const char *name, const void *data, size_t len);

/* Removes @name in @parent and, if it is a directory, everything in it (inode order). */
int exfs_remove_tree(int parent, const char *name);

/* Whether directory @fd has entries: 1, 0 or -errno. */
int exfs_dir_has_entries(int fd);

/* Whether @name is a plain asset name: [A-Za-z0-9._-], not starting with a dot. */
bool exfs_plain_name(const char *name);

/* Reads the regular file @name of @dfd whole (at most @max bytes) into a malloc'ed buffer: 0,
 * -E2BIG, -EINVAL (not a regular file, or a symbolic link) or -errno. */
int exfs_read_file(int dfd, const char *name, size_t max, char **ret_data, size_t *ret_len);

/* Moves entry @name from @tmp to @target, where an older one may be: that one goes into @tmp. */
int exfs_move_entry(int tmp, int target, const char *name);

#endif

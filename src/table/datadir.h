/* datadir: where `portinfo update` keeps an imported registry, and how it is found again.
 *
 * The directory holds portdb.bin (the table in use) and portdb.prev.bin (the one before it, for
 * `update --rollback`).  Files are only ever replaced whole, by rename.
 */
#ifndef PORTINFO_DATADIR_H
#define PORTINFO_DATADIR_H

#include <stddef.h>

#include "portdb.h"

#define DATADIR_CURRENT  "portdb.bin"
#define DATADIR_PREVIOUS "portdb.prev.bin"

/* The directory to use: @opt (a --data-dir value) if set, else $PORTINFO_DATA_DIR, else the
 * configured default.  The string is static or borrowed; never freed. */
const char *datadir_path(const char *opt);

/* Attaches @db to the imported table in @dir if a valid one is there, else to the embedded
 * table.  Returns 0 (imported table in use), -ENOENT (none there: embedded in use, normal),
 * -EINVAL (a damaged or foreign file, or a symbolic link: embedded in use), -EPERM (@dir is
 * writable by others: see datadir_check_dir; embedded in use) or another -errno (unreadable:
 * embedded in use).  A mapped file stays mapped for the life of the process. */
int datadir_open(struct portdb *db, const char *dir);

/* The same for the directory open at @dirfd: portdb.bin is opened beneath it without following
 * a symbolic link.  Does not check the directory itself. */
int datadir_open_at(struct portdb *db, int dirfd);

/* Whether the directory open at @dirfd may hold files this process trusts or writes: it must
 * not be writable by its group or by others, unless it is sticky (others cannot rename or
 * remove what is not theirs) and owned by this process's effective user.  Otherwise anyone
 * who can write it could plant a link or a table there.  Returns 0, -EPERM (unsafe; the
 * directory's owner in *@ret_uid and its mode in *@ret_mode when given) or -errno. */
int datadir_check_dir(int dirfd, unsigned *ret_uid, unsigned *ret_mode);

/* Reads @path whole into a malloc'ed buffer (caller frees), refusing anything that is not a
 * regular file or is larger than @max bytes.  Returns 0, -E2BIG, -EINVAL (not a regular file)
 * or -errno. */
int datadir_read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len);

#endif

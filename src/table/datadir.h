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
 * -EINVAL (a damaged or foreign file: embedded in use) or another -errno (unreadable: embedded
 * in use).  A mapped file stays mapped for the life of the process. */
int datadir_open(struct portdb *db, const char *dir);

/* Reads @path whole into a malloc'ed buffer (caller frees), refusing anything that is not a
 * regular file or is larger than @max bytes.  Returns 0, -E2BIG, -EINVAL (not a regular file)
 * or -errno. */
int datadir_read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len);

#endif

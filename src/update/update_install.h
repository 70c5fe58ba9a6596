/* update_install: the only writer of the data directory: its lock, the atomic install of a new
 * table and the rollback.
 *
 * What may be installed is update.h's decision; nothing here reads a registry.
 */
#ifndef PORTINFO_UPDATE_INSTALL_H
#define PORTINFO_UPDATE_INSTALL_H

#include <stdbool.h>
#include <stddef.h>

/* The data directory, locked for one update: every writer holds this from before it reads the
 * table in use until its last rename. */
struct update_lock {
        int dirfd;  /* the data directory */
        int lockfd; /* DIR/.lock, flock'ed */
};

/* Opens @dir (created, mode 0755, with its parents when @create), refuses it when others may
 * write it (datadir_check_dir), takes its lock and removes temporary files left by an update
 * that was killed.  Returns 0, -EBUSY (another update holds the lock), -EPERM (the directory
 * is writable by others), -EINVAL (the lock file is a link) or -errno. */
int update_lock(const char *dir, bool create, struct update_lock *ret);
void update_unlock(struct update_lock *l);

/* Installs @len bytes of @blob as DIR/portdb.bin: written to a temporary file, fsync'ed, the
 * current table kept as portdb.prev.bin, renamed into place, the directory fsync'ed.  With no
 * current table, portdb.prev.bin is removed, so that --rollback goes back to the compiled-in
 * table.  Returns 1 (a previous table kept), 0 (the compiled-in table was in use before) or
 * -errno; on failure the table in use is untouched. */
int update_install(const struct update_lock *l, const void *blob, size_t len);

/* Replaces DIR/@name (a small file beside the table, such as the fetch state) with @len bytes of
 * @data the same way: a temporary file, fsync'ed, renamed into place, the directory fsync'ed.
 * Returns 0 or -errno; on failure DIR/@name is untouched. */
int update_write_file(const struct update_lock *l, const char *name, const void *data, size_t len);

enum update_rollback_to {
        ROLLBACK_TO_PREVIOUS, /* portdb.prev.bin and portdb.bin swapped */
        ROLLBACK_TO_EMBEDDED, /* portdb.bin renamed portdb.prev.bin: the compiled-in table */
        ROLLBACK_FORWARD,     /* from the compiled-in table, portdb.prev.bin in use again */
};

/* Goes back one table: swaps portdb.prev.bin and portdb.bin after checking the previous table;
 * with no previous table, sets the imported one aside so that the compiled-in table answers.
 * Stores which in *@ret_to.  Returns 0, -ENOENT (nothing imported), -EINVAL (the previous
 * table is damaged) or -errno. */
int update_rollback(const struct update_lock *l, enum update_rollback_to *ret_to);

#endif

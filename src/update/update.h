/* update: importing a newer IANA registry into the data directory, safely.
 *
 * Validation and the change report (update.c) are pure functions over two tables; the lock,
 * install and rollback steps (update_install.c) are the only writers of the data directory.
 */
#ifndef PORTINFO_UPDATE_H
#define PORTINFO_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "portdb.h"
#include "registry_records.h"

/* A registry file with fewer records than this is not IANA's port registry. */
#define UPDATE_MIN_RECORDS 5000u
/* A new table with fewer records than this share of the one in use is refused without --force. */
#define UPDATE_MIN_SHARE_PERCENT 90u
/* Bounds of a sane registry, each refused without --force (IANA's registry of 2026: 14,533
 * records, at most 3 entries on one port and protocol).  Every answer is capped as well
 * (answer.h), so a forced registry beyond them still gives answers of bounded size. */
#define UPDATE_MAX_RECORDS  50000u
#define UPDATE_MAX_PER_PORT 16u

enum change_kind { CHANGE_ADDED, CHANGE_REMOVED, CHANGE_MODIFIED };

struct change {
        enum change_kind kind;
        const struct portdb_iana *old_e; /* NULL when added */
        const struct portdb_iana *new_e; /* NULL when removed */
};

struct change_list {
        struct change *v;
        size_t n;
        size_t added, removed, modified;
};

/* Copies the unofficial uses of @db into @reg, so that a new registry keeps them.  Returns 0 or
 * -ENOMEM. */
int update_keep_unofficial(struct registry *reg, const struct portdb *db);

/* Checks a freshly read registry against the rules and the table in use.  Returns 0, -EINVAL
 * (too few records: not the port registry; --force does not help), -ERANGE (allowed with
 * @force: a bound exceeded, in the order records, entries on one port and protocol, field
 * lengths; far fewer records than the table in use; or a registry older than the one in use)
 * or -ENOMEM.  @err says why, naming the bound. */
int update_validate(const struct registry *reg, const struct portdb *cur, bool force,
                    struct reg_error *err);

/* Compares the IANA entries of @old_db and @new_db.  Fills @ret (free with update_changes_free;
 * entries point into the two tables).  Returns 0 or -ENOMEM. */
int update_diff(const struct portdb *old_db, const struct portdb *new_db, struct change_list *ret);
void update_changes_free(struct change_list *l);

/* Prints the change report, at most @max_lines entry lines (0: all). */
void update_print_changes(FILE *out, const struct portdb *old_db, const struct portdb *new_db,
                          const struct change_list *l, size_t max_lines);

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

/* update: importing a newer IANA registry into the data directory, safely.
 *
 * Validation and the change report are pure functions over two tables; the install and
 * rollback steps are the only writers of the data directory.
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

/* Copies the unofficial uses, corrections and everyday names of @db into @reg, so that a new
 * registry keeps them (registry_keep.h); *@ret_dropped counts the names whose IANA entry is
 * gone.  Returns 0 or -ENOMEM. */
int update_keep_unofficial(struct registry *reg, const struct portdb *db, size_t *ret_dropped);

/* Checks a freshly read registry against the rules and the table in use.  Returns 0, -EINVAL
 * (too few records: not the port registry), or -ERANGE (far fewer records than the table in use;
 * allowed with @force).  @err says why. */
int update_validate(const struct registry *reg, const struct portdb *cur, bool force,
                    struct reg_error *err);

/* Compares the IANA entries of @old_db and @new_db.  Fills @ret (free with update_changes_free;
 * entries point into the two tables).  Returns 0 or -ENOMEM. */
int update_diff(const struct portdb *old_db, const struct portdb *new_db, struct change_list *ret);
void update_changes_free(struct change_list *l);

/* Prints the change report, at most @max_lines entry lines (0: all). */
void update_print_changes(FILE *out, const struct portdb *old_db, const struct portdb *new_db,
                          const struct change_list *l, size_t max_lines);

/* Installs @len bytes of @blob as DIR/portdb.bin: written to a temporary file, fsync'ed, the
 * current table kept as portdb.prev.bin, renamed into place, the directory fsync'ed.  Creates
 * @dir (mode 0755) if missing.  Returns 0, -EBUSY (another update holds the lock) or -errno;
 * on failure the table in use is untouched. */
int update_install(const char *dir, const void *blob, size_t len);

/* Swaps portdb.prev.bin and portdb.bin after checking the previous table.  Returns 0, -ENOENT
 * (no previous table), -EINVAL (the previous table is damaged), -EBUSY or -errno. */
int update_rollback(const char *dir);

#endif

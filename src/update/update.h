/* update: the checks a registry must pass to replace the table in use, and the report of what
 * changed.
 *
 * Pure functions over a registry and two tables; writing the data directory is
 * update_install.h's.
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

/* Copies the unofficial uses, corrections and everyday names of @db into @reg, so that a new
 * registry keeps them (registry_keep.h); *@ret_dropped counts the names whose IANA entry is
 * gone.  Returns 0 or -ENOMEM. */
int update_keep_unofficial(struct registry *reg, const struct portdb *db, size_t *ret_dropped);

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

#endif

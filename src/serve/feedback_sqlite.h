/* feedback_sqlite: the vote store in a SQLite file, behind feedback.h's interface.
 *
 * Private to feedback.c, which hands it every store that is not a PostgreSQL URI and checks
 * the arguments (voter ids, vote values, writability) before calling in.
 */
#ifndef PORTINFO_FEEDBACK_SQLITE_H
#define PORTINFO_FEEDBACK_SQLITE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "vote.h"

struct feedback_sqlite;

/* Checks the place of the store @path before anything opens it: its folder must not be
 * writable by others (datadir_check_dir), and none of the store's names (the file, its -wal,
 * -shm and -journal) may be a symbolic link, a hard link (several names) or anything but a
 * regular file.  Stores the folder's owner in *@ret_owner.  Returns 0, -EPERM (the folder is
 * writable by others), -ELOOP (a symbolic link), -EMLINK (a hard link), -EINVAL (not a regular
 * file) or -errno (the folder cannot be opened); *@ret_suffix names the file at fault ("",
 * "-wal", "-shm" or "-journal"). */
int feedback_sqlite_check(const char *path, const char **ret_suffix, uid_t *ret_owner);

/* Opens (creating it if needed) the file @path and brings its schema up to date; read-only
 * with @readonly or when the file cannot be written.  The place is checked first
 * (feedback_sqlite_check) and SQLite itself never follows a link to the file
 * (SQLITE_OPEN_NOFOLLOW).  Returns 0 and the handle in *ret, -EROFS when only a read-only
 * handle could be had (*ret is still set), or another -errno (*ret untouched).  Free the
 * handle with feedback_sqlite_free (NULL is fine). */
int feedback_sqlite_open(const char *path, bool readonly, struct feedback_sqlite **ret);
void feedback_sqlite_free(struct feedback_sqlite *fb);

/* Whether the handle was opened for writing. */
bool feedback_sqlite_writable(const struct feedback_sqlite *fb);

/* As feedback_counts, feedback_vote_of and feedback_record, arguments already checked (and,
 * for a record, the handle writable). */
int feedback_sqlite_counts(struct feedback_sqlite *fb, uint16_t port,
                           struct feedback_counts *ret_counts);
int feedback_sqlite_vote_of(struct feedback_sqlite *fb, uint16_t port, const char *voter,
                            int *ret_vote);
int feedback_sqlite_record(struct feedback_sqlite *fb, uint16_t port, const char *voter,
                           enum vote vote, const struct vote_cap *cap,
                           struct feedback_counts *ret_counts);

#endif

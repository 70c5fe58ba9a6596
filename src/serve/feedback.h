/* feedback: the "was this page helpful?" vote store: one interface over two backends.
 *
 * One vote per voter and port (voting again replaces the earlier vote), counts per port kept
 * by triggers in the same transaction; votes from voters the store does not know yet capped per
 * client network, port and day (struct vote_cap), counted in the vote's own transaction.  No HTTP
 * here: the server decides who a voter is and whether a request may vote at all.  feedback_open
 * chooses the backend by the store's name: a postgresql:// or postgres:// URI lives in PostgreSQL
 * (feedback_pg.c), anything else is a SQLite file (feedback_sqlite.c).
 */
#ifndef PORTINFO_FEEDBACK_H
#define PORTINFO_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vote.h"

struct feedback;

/* Whether @path names a PostgreSQL store (a postgresql:// or postgres:// URI). */
bool feedback_is_postgres(const char *path);

/* Checks the name of a store without opening it: a PostgreSQL URI must be one libpq accepts
 * (known parameters, well-formed hosts); any other path passes.  Returns 0, -EINVAL or
 * -ENOMEM. */
int feedback_check(const char *path);

/* Checks where a SQLite store lives before it is opened (feedback_sqlite_check): a folder not
 * writable by others, and no link under any of the store's names.  Stores the folder's owner
 * in *@ret_owner and the name at fault's suffix ("", "-wal", "-shm", "-journal") in
 * *@ret_suffix.  A PostgreSQL store is a network store: 0, owner (uid_t)-1.  Returns 0,
 * -EPERM, -ELOOP, -EMLINK, -EINVAL or -errno. */
int feedback_check_place(const char *path, const char **ret_suffix, uid_t *ret_owner);

/* Copies @path into @out (NUL-terminated, cut to @size) fit for a log: a PostgreSQL URI loses
 * its password (user:***@host, password=***).  Returns 0, or -E2BIG when it was cut. */
int feedback_redact(const char *path, char *out, size_t size);

/* Opens (creating it if needed) the store at @path and brings its schema up to date.  With
 * @readonly, or when the file cannot be written, the store is opened read-only: counts can be
 * read, votes are refused with -EROFS.  Returns 0 and a new handle in *ret_fb (free it with
 * feedback_free), -EROFS when only a read-only handle could be had (*ret_fb is still set),
 * -ENOTCONN when a PostgreSQL store cannot be reached now (*ret_fb is still set; its calls
 * fail with -ENOTCONN until the database answers again, then work without reopening),
 * -EPROTO for a store written by a newer portinfo, or another -errno (*ret_fb untouched).
 * One handle belongs to one thread; PostgreSQL handles on the same URI share a small pool of
 * connections (made on first use, at most 16 per process). */
int feedback_open(const char *path, bool readonly, struct feedback **ret_fb);

/* Closes the store; NULL is fine.  SQLite folds the write-ahead log back into the database
 * when the last handle on the file closes. */
void feedback_free(struct feedback *fb);

/* Whether votes can be recorded through @fb. */
bool feedback_writable(const struct feedback *fb);

/* Copies into @buf (cut to @size) why a PostgreSQL store last failed to connect or set up,
 * "" for none or for SQLite.  Never holds a password. */
void feedback_last_error(struct feedback *fb, char *buf, size_t size);

/* Stores the counts for @port in *ret_counts.  Returns 0, -EBUSY (store locked too long),
 * -ENOTCONN (PostgreSQL unreachable) or -EIO. */
int feedback_counts(struct feedback *fb, uint16_t port, struct feedback_counts *ret_counts);

/* Stores in *ret_vote the vote @voter gave @port, or -1 for none.  Returns 0, -EINVAL (bad
 * voter id), -EBUSY, -ENOTCONN or -EIO. */
int feedback_vote_of(struct feedback *fb, uint16_t port, const char *voter, int *ret_vote);

/* Records @voter's @vote on @port, replacing any earlier vote by the same voter on that port,
 * and stores the new counts in *ret_counts.  The vote is committed (and, with the store's
 * synchronous=FULL, on disk; on PostgreSQL, COMMIT has returned) before this returns 0.
 * With @cap (NULL or a limit of 0: no cap), a voter the store has never seen (a new cookie, or
 * an id it did not give out) is counted against @cap's network, port and day in the same
 * transaction, and refused once @cap->limit such votes were taken there: -EDQUOT, nothing
 * stored and nothing counted.  A voter with a vote on any port is not counted.
 * Returns 0, -EINVAL (bad voter, vote or cap), -EDQUOT, -EROFS (read-only store), -EBUSY,
 * -ENOSPC, -ENOTCONN (PostgreSQL unreachable) or -EIO; on error nothing is stored. */
int feedback_record(struct feedback *fb, uint16_t port, const char *voter, enum vote vote,
                    const struct vote_cap *cap, struct feedback_counts *ret_counts);

#endif

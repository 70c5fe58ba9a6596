/* feedback_pg: the vote store on PostgreSQL (libpq), behind feedback.h's interface.
 *
 * Private to feedback.c, which hands postgresql:// and postgres:// stores to it.  Same
 * semantics as the SQLite store; what differs is that the database can go away and come back,
 * so every call may return -ENOTCONN and the next one tries again.
 */
#ifndef PORTINFO_FEEDBACK_PG_H
#define PORTINFO_FEEDBACK_PG_H

#include <stddef.h>
#include <stdint.h>

#include "vote.h"

struct feedback_pg;

/* Checks the connection URI @dsn and opens a handle on the pool of connections to it, which
 * every handle opened on the same @dsn in this process shares.  The first handle connects
 * once, bringing the schema up to date.  Returns 0 and the handle in *ret; -ENOTCONN when the
 * database cannot be reached or set up now (*ret is still set: later calls try again);
 * -EINVAL for a URI libpq refuses, -EPROTO for a schema written by a newer portinfo or
 * -ENOMEM (*ret untouched).  One handle belongs to one thread; free it with feedback_pg_free. */
int feedback_pg_open(const char *dsn, struct feedback_pg **ret);

/* Whether libpq accepts the connection URI @dsn.  Returns 0, -EINVAL or -ENOMEM. */
int feedback_pg_check(const char *dsn);

/* Releases the handle; the last one on a pool closes its connections.  NULL is fine. */
void feedback_pg_free(struct feedback_pg *h);

/* As feedback_counts, feedback_vote_of and feedback_record (arguments already checked), plus
 * -ENOTCONN (the database is unreachable; nothing was stored) and -EBUSY (every pooled
 * connection stayed busy, or the database gave up on a lock or timed out). */
int feedback_pg_counts(struct feedback_pg *h, uint16_t port, struct feedback_counts *ret_counts);
int feedback_pg_vote_of(struct feedback_pg *h, uint16_t port, const char *voter, int *ret_vote);
int feedback_pg_record(struct feedback_pg *h, uint16_t port, const char *voter, enum vote vote,
                       const struct vote_cap *cap, struct feedback_counts *ret_counts);

/* Copies into @buf (NUL-terminated, cut to @size) the first line of the last error the pool
 * met connecting or setting up, "" when none.  libpq's messages name hosts, never passwords. */
void feedback_pg_last_error(struct feedback_pg *h, char *buf, size_t size);

#endif

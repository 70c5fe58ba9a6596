/* votes_report: what the website's votes say, read from a vote store without changing it: the
 * votes per choice, the pages voted on, and the pages with the most "not helpful" votes.
 *
 * Read-only on both stores (SQLite opened with SQLITE_OPEN_READONLY and never created; a
 * PostgreSQL session set read-only).  No output here: votes_main.c formats the report.
 */
#ifndef PORTINFO_VOTES_REPORT_H
#define PORTINFO_VOTES_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "vote.h"

/* --top's cap: more pages than there are ports cannot be listed. */
#define VOTES_REPORT_MAX_TOP 65536

/* One port's page (in every language: votes are per port) and its votes. */
struct votes_page {
        uint16_t port;
        unsigned long long n[VOTE_COUNT]; /* indexed by enum vote */
};

struct votes_report {
        unsigned long long total[VOTE_COUNT]; /* every vote, per choice */
        unsigned long long pages;             /* ports with at least one vote */
        struct votes_page *worst; /* the most "not helpful" votes first (ties: fewer "helpful",
                                   * then the lower port); only pages with one or more */
        size_t n_worst;
};

/* Reads the report from the store @path (a SQLite file, or a postgresql:// or postgres:// URI)
 * with at most @top pages in ->worst, into *@ret (caller-owned; free with votes_report_done).
 * On failure writes one line saying why into @why (never a password).  Returns 0, -ENOENT
 * (no store there), -EINVAL (not a vote store), -EPROTO (written by a newer portinfo),
 * -ENOTCONN (PostgreSQL unreachable), -ENOMEM or -EIO; *@ret is written only on success. */
int votes_report_read(const char *path, unsigned top, struct votes_report *ret, char *why,
                      size_t why_size);

/* Frees what votes_report_read allocated in @r; a zeroed @r is fine. */
void votes_report_done(struct votes_report *r);

#endif

/* votes_report: the totals and the worst pages, read from the vote store's counts table (kept
 * by the store's triggers), read-only: SQLite without creating anything, PostgreSQL in a
 * read-only session.
 *
 * Knows no HTTP and writes no output; the store's own code (feedback_*.c) is not used, because
 * it opens stores for writing, migrates them and needs the server's libraries.
 */
#include "votes_report.h"

#include <errno.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The schema versions of feedback_sqlite.c and feedback_pg_schema.h this reader understands:
 * every one has the counts table. */
#define SQLITE_SCHEMA_MAX 2
#define PG_SCHEMA_MAX     3

static const char totals_sql[] =
    "SELECT coalesce(sum(sad), 0), coalesce(sum(meh), 0), coalesce(sum(happy), 0), count(*)"
    " FROM counts WHERE sad + meh + happy > 0";
/* $1 / ?1: how many. */
static const char worst_sqlite[] = "SELECT port, sad, meh, happy FROM counts WHERE sad > 0"
                                   " ORDER BY sad DESC, happy ASC, port ASC LIMIT ?1";
static const char worst_pg[] = "SELECT port, sad, meh, happy FROM counts WHERE sad > 0"
                               " ORDER BY sad DESC, happy ASC, port ASC LIMIT $1";

static void say(char *why, size_t size, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(why, size, fmt, ap);
        va_end(ap);
        why[strcspn(why, "\r\n")] = '\0';
}

static unsigned long long count_of(long long v)
{
        return v < 0 ? 0 : (unsigned long long)v;
}

/* ---- SQLite ---- */

/* Opens @path read-only without making a file beside it.  While a server has the store open
 * in WAL mode, its -wal and -shm files exist and are read as they are.  Otherwise SQLite would
 * make them (owned by whoever runs this: root's files in the server's folder would lock the
 * server out of its own store), and nothing is being written anyway: the file is read as
 * immutable, which needs neither. */
static int sqlite_open_ro(const char *path, sqlite3 **ret)
{
        char side[4200], uri[8400];
        struct stat st;
        bool live;
        size_t n = 0;

        snprintf(side, sizeof(side), "%s-wal", path);
        live = stat(side, &st) == 0;
        snprintf(side, sizeof(side), "%s-shm", path);
        live = live && stat(side, &st) == 0;
        if (live)
                return sqlite3_open_v2(path, ret, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW,
                                       NULL);
        n = (size_t)snprintf(uri, sizeof(uri), "file:");
        for (const char *p = path; *p && n + 16 < sizeof(uri); p++)
                n += (size_t)(strchr("%?#", *p)
                                  ? snprintf(uri + n, sizeof(uri) - n, "%%%02X", (unsigned char)*p)
                                  : snprintf(uri + n, sizeof(uri) - n, "%c", *p));
        snprintf(uri + n, sizeof(uri) - n, "?immutable=1");
        return sqlite3_open_v2(uri, ret,
                               SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW, NULL);
}

static int sqlite_worst(sqlite3 *db, unsigned top, struct votes_report *r)
{
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(db, worst_sqlite, -1, &st, NULL);

        if (rc != SQLITE_OK)
                return -EIO;
        sqlite3_bind_int64(st, 1, top);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && r->n_worst < top) {
                struct votes_page *p = &r->worst[r->n_worst++];

                p->port = (uint16_t)sqlite3_column_int(st, 0);
                for (int v = 0; v < VOTE_COUNT; v++)
                        p->n[v] = count_of(sqlite3_column_int64(st, 1 + v));
        }
        sqlite3_finalize(st);
        return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -EIO;
}

static int sqlite_read(const char *path, unsigned top, struct votes_report *r, char *why,
                       size_t size)
{
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        struct stat sb;
        int rc, version = -1, ret = -EIO;

        if (stat(path, &sb) < 0) {
                say(why, size, "no vote store at %s (%s)", path, strerror(errno));
                return -ENOENT;
        }
        rc = sqlite_open_ro(path, &db);
        if (rc == SQLITE_OK &&
            sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
                version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        st = NULL;
        if (version < 1) {
                say(why, size, "%s is not a portinfo vote store (%s)", path,
                    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
                sqlite3_close(db);
                return version == 0 ? -EINVAL : -EIO;
        }
        if (version > SQLITE_SCHEMA_MAX) {
                say(why, size, "%s was written by a newer portinfo", path);
                sqlite3_close(db);
                return -EPROTO;
        }
        if (sqlite3_prepare_v2(db, totals_sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
                for (int v = 0; v < VOTE_COUNT; v++)
                        r->total[v] = count_of(sqlite3_column_int64(st, v));
                r->pages = count_of(sqlite3_column_int64(st, VOTE_COUNT));
                ret = 0;
        }
        sqlite3_finalize(st);
        if (ret == 0)
                ret = sqlite_worst(db, top, r);
        if (ret < 0)
                say(why, size, "cannot read %s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return ret;
}

/* ---- PostgreSQL ---- */

/* An integer field of @res (text format). */
static long long pg_int(const PGresult *res, int row, int col)
{
        return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

/* Runs @sql with at most one text parameter @param; returns the result or NULL after saying
 * why. */
static PGresult *pg_query(PGconn *pq, const char *sql, const char *param, char *why, size_t size)
{
        PGresult *res =
            PQexecParams(pq, sql, param ? 1 : 0, NULL, param ? &param : NULL, NULL, NULL, 0);

        if (PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK)
                return res;
        say(why, size, "PostgreSQL: %s", PQerrorMessage(pq));
        PQclear(res);
        return NULL;
}

static int pg_fill(PGconn *pq, unsigned top, struct votes_report *r, char *why, size_t size)
{
        char limit[16];
        PGresult *res = pg_query(pq,
                                 "SELECT to_regclass('schema_version') IS NOT NULL AND"
                                 " to_regclass('counts') IS NOT NULL",
                                 NULL, why, size);
        long long version = -1;

        if (!res)
                return -EIO;
        if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
                PQclear(res);
                res = pg_query(pq, "SELECT coalesce(max(version), -1) FROM schema_version", NULL,
                               why, size);
                if (!res)
                        return -EIO;
                version = PQntuples(res) == 1 ? pg_int(res, 0, 0) : -1;
        }
        PQclear(res);
        if (version < 1) {
                say(why, size, "the database holds no portinfo vote store");
                return -EINVAL;
        }
        if (version > PG_SCHEMA_MAX) {
                say(why, size, "the vote store was written by a newer portinfo");
                return -EPROTO;
        }
        res = pg_query(pq, totals_sql, NULL, why, size);
        if (!res || PQntuples(res) != 1) {
                PQclear(res);
                return -EIO;
        }
        for (int v = 0; v < VOTE_COUNT; v++)
                r->total[v] = count_of(pg_int(res, 0, v));
        r->pages = count_of(pg_int(res, 0, VOTE_COUNT));
        PQclear(res);
        snprintf(limit, sizeof(limit), "%u", top);
        res = pg_query(pq, worst_pg, limit, why, size);
        if (!res)
                return -EIO;
        for (int i = 0; i < PQntuples(res) && r->n_worst < top; i++) {
                struct votes_page *p = &r->worst[r->n_worst++];

                p->port = (uint16_t)pg_int(res, i, 0);
                for (int v = 0; v < VOTE_COUNT; v++)
                        p->n[v] = count_of(pg_int(res, i, 1 + v));
        }
        PQclear(res);
        return 0;
}

static int pg_read(const char *dsn, unsigned top, struct votes_report *r, char *why, size_t size)
{
        static const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
        const char *vals[] = {"5", "portinfo-votes", dsn, NULL};
        PGconn *pq = PQconnectdbParams(keys, vals, 1);
        PGresult *res;
        int ret;

        if (!pq)
                return -ENOMEM;
        if (PQstatus(pq) != CONNECTION_OK) {
                say(why, size, "cannot reach the vote store: %s", PQerrorMessage(pq));
                PQfinish(pq);
                return -ENOTCONN;
        }
        /* Nothing this session runs can change the store. */
        res = pg_query(pq, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", NULL, why, size);
        ret = res ? 0 : -EIO;
        PQclear(res);
        if (ret == 0)
                ret = pg_fill(pq, top, r, why, size);
        PQfinish(pq);
        return ret;
}

int votes_report_read(const char *path, unsigned top, struct votes_report *ret, char *why,
                      size_t why_size)
{
        struct votes_report r;
        int rc;

        memset(&r, 0, sizeof(r));
        why[0] = '\0';
        if (top > VOTES_REPORT_MAX_TOP)
                return -EINVAL;
        r.worst = calloc(top ? top : 1, sizeof(*r.worst));
        if (!r.worst)
                return -ENOMEM;
        if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0)
                rc = pg_read(path, top, &r, why, why_size);
        else
                rc = sqlite_read(path, top, &r, why, why_size);
        if (rc < 0) {
                votes_report_done(&r);
                return rc;
        }
        *ret = r;
        return 0;
}

void votes_report_done(struct votes_report *r)
{
        free(r->worst);
        r->worst = NULL;
        r->n_worst = 0;
}

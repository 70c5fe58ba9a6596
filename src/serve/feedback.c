/* feedback: the vote store on SQLite (WAL, busy timeout, migrations by user_version), and the
 * switch that hands PostgreSQL stores to feedback_pg.c.
 *
 * SQL is prepared once per handle with bound parameters only.  Does not know about HTTP,
 * cookies or origins, and never logs: every failure is a -errno for the server to word.
 *
 * Durability: the store runs in WAL mode with synchronous=FULL, so a COMMIT returns only after
 * the log is on disk; a vote that was answered with 2xx/3xx survives a crash of the process or
 * of the machine.  Checkpoints: SQLite's automatic PASSIVE checkpoint (every 1000 log pages,
 * about 4 MiB, some hundreds of votes) runs on the committing handle after the vote is already
 * durable, so it only delays that one answer; journal_size_limit keeps the log file from
 * staying large; SQLite folds the log back in when the last handle closes at a clean stop.
 */
#include "feedback.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include "feedback_pg.h"

#define BUSY_TIMEOUT_MS 1000

struct feedback {
        struct feedback_pg *pg; /* a PostgreSQL store; NULL for SQLite (the fields below) */
        sqlite3 *db;
        bool writable;
        sqlite3_stmt *counts;
        sqlite3_stmt *vote_of;
        sqlite3_stmt *upsert;
        sqlite3_stmt *begin;
        sqlite3_stmt *commit;
        sqlite3_stmt *rollback;
};

static const char *const vote_names[VOTE_COUNT] = {"sad", "meh", "happy"};

/* Schema version 1.  Counts are kept by triggers so that no code path can forget them. */
static const char schema_v1[] =
    "CREATE TABLE votes ("
    "  port INTEGER NOT NULL CHECK (port BETWEEN 0 AND 65535),"
    "  voter TEXT NOT NULL CHECK (length(voter) = 32),"
    "  value INTEGER NOT NULL CHECK (value IN (0, 1, 2)),"
    "  time INTEGER NOT NULL,"
    "  PRIMARY KEY (port, voter)"
    ") WITHOUT ROWID;"
    "CREATE TABLE counts ("
    "  port INTEGER PRIMARY KEY CHECK (port BETWEEN 0 AND 65535),"
    "  sad INTEGER NOT NULL DEFAULT 0,"
    "  meh INTEGER NOT NULL DEFAULT 0,"
    "  happy INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TRIGGER votes_insert AFTER INSERT ON votes BEGIN"
    "  INSERT OR IGNORE INTO counts (port) VALUES (NEW.port);"
    "  UPDATE counts SET sad = sad + (NEW.value = 0), meh = meh + (NEW.value = 1),"
    "    happy = happy + (NEW.value = 2) WHERE port = NEW.port;"
    "END;"
    "CREATE TRIGGER votes_update AFTER UPDATE OF value ON votes BEGIN"
    "  UPDATE counts SET sad = sad - (OLD.value = 0) + (NEW.value = 0),"
    "    meh = meh - (OLD.value = 1) + (NEW.value = 1),"
    "    happy = happy - (OLD.value = 2) + (NEW.value = 2) WHERE port = NEW.port;"
    "END;"
    "CREATE TRIGGER votes_delete AFTER DELETE ON votes BEGIN"
    "  UPDATE counts SET sad = sad - (OLD.value = 0), meh = meh - (OLD.value = 1),"
    "    happy = happy - (OLD.value = 2) WHERE port = OLD.port;"
    "END;";

/* Each entry takes the schema from version i to i + 1. */
static const char *const migrations[] = {schema_v1};

int feedback_parse_vote(const char *s, enum vote *ret_vote)
{
        for (int v = 0; v < VOTE_COUNT; v++)
                if (strcmp(s, vote_names[v]) == 0) {
                        *ret_vote = (enum vote)v;
                        return 0;
                }
        return -EINVAL;
}

const char *feedback_vote_name(int v)
{
        return v >= 0 && v < VOTE_COUNT ? vote_names[v] : NULL;
}

bool feedback_voter_valid(const char *s)
{
        size_t i;

        for (i = 0; i < FEEDBACK_VOTER_LEN; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return s[i] == '\0';
}

bool feedback_is_postgres(const char *path)
{
        return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0;
}

/* Appends @n bytes of @s to @out (capacity @size, length *@len); false once it is full. */
static bool put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
        bool fits = *len + n < size;

        if (!fits)
                n = size - 1 - *len;
        memcpy(out + *len, s, n);
        *len += n;
        out[*len] = '\0';
        return fits;
}

static int hex_digit(char c)
{
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
}

/* Whether the @n bytes at @key, percent-decoded as libpq does, spell "password". */
static bool is_password_key(const char *key, size_t n)
{
        static const char want[] = "password";
        size_t got = 0;

        for (size_t i = 0; i < n; i++, got++) {
                int c = (unsigned char)key[i];

                if (c == '%' && i + 2 < n && hex_digit(key[i + 1]) >= 0 &&
                    hex_digit(key[i + 2]) >= 0) {
                        c = hex_digit(key[i + 1]) << 4 | hex_digit(key[i + 2]);
                        i += 2;
                }
                if (got >= sizeof(want) - 1 || c != want[got])
                        return false;
        }
        return got == sizeof(want) - 1;
}

int feedback_redact(const char *path, char *out, size_t size)
{
        const char *auth, *end, *at, *colon, *p;
        size_t len = 0;
        bool ok;

        if (!size)
                return -E2BIG;
        out[0] = '\0';
        if (!feedback_is_postgres(path))
                return put(out, size, &len, path, strlen(path)) ? 0 : -E2BIG;
        /* scheme://[user[:password]@]host[:port][,...][/dbname][?key=value&...] */
        auth = strstr(path, "://") + 3;
        end = auth + strcspn(auth, "/?");
        at = memrchr(auth, '@', (size_t)(end - auth));
        colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon)
                ok = put(out, size, &len, path, (size_t)(colon - path)) &&
                     put(out, size, &len, ":***", 4) &&
                     put(out, size, &len, at, (size_t)(end - at));
        else
                ok = put(out, size, &len, path, (size_t)(end - path));
        p = end + strcspn(end, "?");
        ok = ok && put(out, size, &len, end, (size_t)(p - end));
        while (ok && *p) {
                size_t n = strcspn(p + 1, "&") + 1; /* one "?key=value" or "&key=value" */
                size_t k = strcspn(p + 1, "&=");

                if (k < n - 1 && is_password_key(p + 1, k))
                        ok = put(out, size, &len, p, k + 2) && put(out, size, &len, "***", 3);
                else
                        ok = put(out, size, &len, p, n);
                p += n;
        }
        return ok ? 0 : -E2BIG;
}

/* One -errno per kind of SQLite failure. */
static int sql_errno(int rc)
{
        switch (rc & 0xff) {
        case SQLITE_OK:
        case SQLITE_DONE:
        case SQLITE_ROW:
                return 0;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
                return -EBUSY;
        case SQLITE_READONLY:
        case SQLITE_PERM:
                return -EROFS;
        case SQLITE_FULL:
                return -ENOSPC;
        case SQLITE_NOMEM:
                return -ENOMEM;
        case SQLITE_CANTOPEN:
                return -ENOENT;
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
                return -EINVAL;
        default:
                return -EIO;
        }
}

/* Runs @stmt to completion and resets it.  Returns 0 or -errno. */
static int step_done(sqlite3_stmt *stmt)
{
        int rc = sqlite3_step(stmt);

        sqlite3_reset(stmt);
        return rc == SQLITE_DONE ? 0 : sql_errno(rc ? rc : SQLITE_ERROR);
}

static int exec_sql(sqlite3 *db, const char *sql)
{
        return sql_errno(sqlite3_exec(db, sql, NULL, NULL, NULL));
}

static int user_version(sqlite3 *db, int *ret_version)
{
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

        if (rc != SQLITE_OK)
                return sql_errno(rc);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *ret_version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        return rc == SQLITE_ROW ? 0 : sql_errno(rc);
}

/* Brings the schema to FEEDBACK_SCHEMA_VERSION in one immediate transaction, so that two
 * servers starting on the same file do not both migrate. */
static int migrate(sqlite3 *db)
{
        char sql[64];
        int version = 0, r;

        r = exec_sql(db, "BEGIN IMMEDIATE");
        if (r < 0)
                return r;
        r = user_version(db, &version);
        if (r == 0 && version > FEEDBACK_SCHEMA_VERSION)
                r = -EPROTO;
        for (; r == 0 && version < FEEDBACK_SCHEMA_VERSION; version++) {
                r = exec_sql(db, migrations[version]);
                if (r == 0) {
                        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
                        r = exec_sql(db, sql);
                }
        }
        if (r == 0)
                r = exec_sql(db, "COMMIT");
        if (r < 0)
                exec_sql(db, "ROLLBACK");
        return r;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret)
{
        return sql_errno(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, ret, NULL));
}

static int prepare_all(struct feedback *fb)
{
        int r = prepare(fb->db, "SELECT sad, meh, happy FROM counts WHERE port = ?1", &fb->counts);

        if (r == 0)
                r = prepare(fb->db, "SELECT value FROM votes WHERE port = ?1 AND voter = ?2",
                            &fb->vote_of);
        if (r == 0 && fb->writable)
                r = prepare(fb->db,
                            "INSERT INTO votes (port, voter, value, time) VALUES (?1, ?2, ?3, ?4)"
                            " ON CONFLICT (port, voter) DO UPDATE SET value = excluded.value,"
                            " time = excluded.time",
                            &fb->upsert);
        if (r == 0 && fb->writable)
                r = prepare(fb->db, "BEGIN IMMEDIATE", &fb->begin);
        if (r == 0 && fb->writable)
                r = prepare(fb->db, "COMMIT", &fb->commit);
        if (r == 0 && fb->writable)
                r = prepare(fb->db, "ROLLBACK", &fb->rollback);
        return r;
}

/* Opens one connection in mode @flags and sets it up; a read-only one must find the schema. */
static int open_one(const char *path, int flags, struct feedback **ret_fb)
{
        struct feedback *fb = calloc(1, sizeof(*fb));
        int rc, r, version = 0;

        if (!fb)
                return -ENOMEM;
        fb->writable = (flags & SQLITE_OPEN_READWRITE) != 0;
        rc = sqlite3_open_v2(path, &fb->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
        r = sql_errno(rc);
        if (r == 0)
                r = sql_errno(sqlite3_busy_timeout(fb->db, BUSY_TIMEOUT_MS));
        if (r == 0 && fb->writable) {
                /* Setting up holds no vote, so it is not synced: creating a store then costs
                 * no fsync at start.  Were the machine to crash before the first vote, the
                 * schema would simply be made again; the first vote's commit (FULL) syncs the
                 * log with everything before it. */
                r = exec_sql(fb->db, "PRAGMA synchronous = OFF");
                if (r == 0)
                        r = exec_sql(fb->db, "PRAGMA journal_mode = WAL");
                if (r == 0)
                        r = exec_sql(fb->db, "PRAGMA journal_size_limit = 4194304");
                if (r == 0)
                        r = migrate(fb->db);
                if (r == 0)
                        r = exec_sql(fb->db, "PRAGMA synchronous = FULL");
        } else if (r == 0) {
                r = user_version(fb->db, &version);
                if (r == 0 && version > FEEDBACK_SCHEMA_VERSION)
                        r = -EPROTO;
                else if (r == 0 && version < FEEDBACK_SCHEMA_VERSION)
                        r = -ENOENT; /* never written: nothing to show */
        }
        if (r == 0)
                r = prepare_all(fb);
        if (r < 0) {
                feedback_free(fb);
                return r;
        }
        *ret_fb = fb;
        return 0;
}

int feedback_check(const char *path)
{
        return feedback_is_postgres(path) ? feedback_pg_check(path) : 0;
}

/* A handle on a PostgreSQL store.  It can be written unless @readonly: PostgreSQL itself
 * refuses votes (-EROFS) where it cannot take them. */
static int open_pg(const char *dsn, bool readonly, struct feedback **ret_fb)
{
        struct feedback *fb = calloc(1, sizeof(*fb));
        int r;

        if (!fb)
                return -ENOMEM;
        r = feedback_pg_open(dsn, &fb->pg);
        if (!fb->pg) {
                free(fb);
                return r;
        }
        fb->writable = !readonly;
        *ret_fb = fb;
        return r;
}

/* On a read-only file system (a read-only mount, a snapshot) SQLite cannot make the -shm file
 * that reading a WAL store needs; nothing can change the store there, so it is opened as
 * immutable, which needs none.  Returns open_one's answer, or -EROFS when the file system can
 * be written (then immutable would be wrong: another process may be writing). */
static int open_immutable(const char *path, struct feedback **ret_fb)
{
        char dir[4096], uri[4200];
        const char *slash = strrchr(path, '/');
        struct statvfs vfs;
        size_t n = 0;

        snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
        if (statvfs(dir, &vfs) < 0 || !(vfs.f_flag & ST_RDONLY))
                return -EROFS;
        n = (size_t)snprintf(uri, sizeof(uri), "file:");
        for (const char *p = path; *p && n + 4 < sizeof(uri); p++)
                n += (size_t)(strchr("%?#", *p)
                                  ? snprintf(uri + n, sizeof(uri) - n, "%%%02X", (unsigned char)*p)
                                  : snprintf(uri + n, sizeof(uri) - n, "%c", *p));
        if (n + 16 >= sizeof(uri))
                return -ENAMETOOLONG;
        snprintf(uri + n, sizeof(uri) - n, "?immutable=1");
        return open_one(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, ret_fb);
}

int feedback_open(const char *path, bool readonly, struct feedback **ret_fb)
{
        int r = -EROFS;

        if (feedback_is_postgres(path))
                return open_pg(path, readonly, ret_fb);
        if (!readonly) {
                r = open_one(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, ret_fb);
                if (r != -EROFS && r != -ENOENT)
                        return r;
        }
        /* The file or its directory cannot be written: counts may still be read. */
        if (open_one(path, SQLITE_OPEN_READONLY, ret_fb) == 0 || open_immutable(path, ret_fb) == 0)
                return -EROFS;
        return r;
}

void feedback_free(struct feedback *fb)
{
        if (!fb)
                return;
        feedback_pg_free(fb->pg);
        sqlite3_finalize(fb->counts);
        sqlite3_finalize(fb->vote_of);
        sqlite3_finalize(fb->upsert);
        sqlite3_finalize(fb->begin);
        sqlite3_finalize(fb->commit);
        sqlite3_finalize(fb->rollback);
        sqlite3_close(fb->db);
        free(fb);
}

bool feedback_writable(const struct feedback *fb)
{
        return fb && fb->writable;
}

void feedback_last_error(struct feedback *fb, char *buf, size_t size)
{
        if (fb && fb->pg)
                feedback_pg_last_error(fb->pg, buf, size);
        else if (size)
                buf[0] = '\0';
}

/* Reads the counts row for @port into *ret_counts; no row means no votes yet. */
static int read_counts(struct feedback *fb, uint16_t port, struct feedback_counts *ret_counts)
{
        struct feedback_counts c = {{0}};
        sqlite3_stmt *st = fb->counts;
        int rc;

        sqlite3_bind_int(st, 1, port);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                for (int v = 0; v < VOTE_COUNT; v++) {
                        sqlite3_int64 n = sqlite3_column_int64(st, v);

                        c.n[v] = n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (unsigned)n;
                }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return sql_errno(rc);
        *ret_counts = c;
        return 0;
}

int feedback_counts(struct feedback *fb, uint16_t port, struct feedback_counts *ret_counts)
{
        if (fb->pg)
                return feedback_pg_counts(fb->pg, port, ret_counts);
        return read_counts(fb, port, ret_counts);
}

int feedback_vote_of(struct feedback *fb, uint16_t port, const char *voter, int *ret_vote)
{
        sqlite3_stmt *st = fb->vote_of;
        int rc, v = -1;

        if (!feedback_voter_valid(voter))
                return -EINVAL;
        if (fb->pg)
                return feedback_pg_vote_of(fb->pg, port, voter, ret_vote);
        sqlite3_bind_int(st, 1, port);
        sqlite3_bind_text(st, 2, voter, FEEDBACK_VOTER_LEN, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                v = sqlite3_column_int(st, 0);
                if (v < 0 || v >= VOTE_COUNT)
                        v = -1;
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return sql_errno(rc);
        *ret_vote = v;
        return 0;
}

int feedback_record(struct feedback *fb, uint16_t port, const char *voter, enum vote vote,
                    struct feedback_counts *ret_counts)
{
        struct feedback_counts c;
        sqlite3_stmt *st = fb->upsert;
        int r;

        if (!feedback_voter_valid(voter) || (int)vote < 0 || vote >= VOTE_COUNT)
                return -EINVAL;
        if (!fb->writable)
                return -EROFS;
        if (fb->pg)
                return feedback_pg_record(fb->pg, port, voter, vote, ret_counts);
        r = step_done(fb->begin);
        if (r < 0)
                return r;
        sqlite3_bind_int(st, 1, port);
        sqlite3_bind_text(st, 2, voter, FEEDBACK_VOTER_LEN, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, (int)vote);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
        r = step_done(st);
        sqlite3_clear_bindings(st);
        if (r == 0)
                r = read_counts(fb, port, &c);
        if (r == 0)
                r = step_done(fb->commit);
        if (r < 0) {
                /* Not committed: make sure the transaction is gone before answering. */
                if (!sqlite3_get_autocommit(fb->db))
                        step_done(fb->rollback);
                return r;
        }
        *ret_counts = c;
        return 0;
}

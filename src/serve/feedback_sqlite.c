/* feedback_sqlite: the vote store in a SQLite file (WAL, busy timeout, migrations by
 * user_version), behind feedback.h's interface.
 *
 * SQL is prepared once per handle with bound parameters only.  Arguments arrive checked
 * (feedback.c); nothing here knows HTTP or PostgreSQL, and nothing logs.
 *
 * Durability: the store runs in WAL mode with synchronous=FULL, so a COMMIT returns only after
 * the log is on disk; a vote that was answered with 2xx/3xx survives a crash of the process or
 * of the machine.  Checkpoints: SQLite's automatic PASSIVE checkpoint (every 1000 log pages,
 * about 4 MiB, some hundreds of votes) runs on the committing handle after the vote is already
 * durable, so it only delays that one answer; journal_size_limit keeps the log file from
 * staying large; SQLite folds the log back in when the last handle closes at a clean stop.
 *
 * Links: the server may open the store as root, in a folder someone else could have prepared.
 * Its folder must not be writable by others, and no name of the store may be a link
 * (feedback_sqlite_check); SQLite opens the main file with SQLITE_OPEN_NOFOLLOW.
 */
#include "feedback_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"

#define BUSY_TIMEOUT_MS 1000

/* The schema version this build writes (PRAGMA user_version). */
#define FEEDBACK_SCHEMA_VERSION 2

struct feedback_sqlite {
        sqlite3 *db;
        bool writable;
        sqlite3_stmt *counts;
        sqlite3_stmt *vote_of;
        sqlite3_stmt *upsert;
        sqlite3_stmt *known;  /* whether a voter has a vote on any port */
        sqlite3_stmt *charge; /* one more vote against a network's cap, if under it */
        sqlite3_stmt *prune;  /* the cap's counts of days gone */
        sqlite3_stmt *begin;
        sqlite3_stmt *commit;
        sqlite3_stmt *rollback;
};

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

/* Schema version 2: the cap on votes from voters the store does not know yet, per network (an
 * IPv4 /24 or IPv6 /64 as text, never a whole address), port and UTC day; and an index to tell
 * a known voter quickly. */
static const char schema_v2[] = "CREATE INDEX votes_voter ON votes (voter);"
                                "CREATE TABLE vote_caps ("
                                "  net TEXT NOT NULL CHECK (length(net) <= 64),"
                                "  port INTEGER NOT NULL CHECK (port BETWEEN 0 AND 65535),"
                                "  day INTEGER NOT NULL,"
                                "  n INTEGER NOT NULL,"
                                "  PRIMARY KEY (net, port, day)"
                                ") WITHOUT ROWID;"
                                "CREATE INDEX vote_caps_day ON vote_caps (day);";

/* Each entry takes the schema from version i to i + 1. */
static const char *const migrations[] = {schema_v1, schema_v2};

/* One -errno per kind of SQLite failure. */
static int sql_errno(int rc)
{
        if (rc == SQLITE_CANTOPEN_SYMLINK)
                return -ELOOP;
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

static int prepare_all(struct feedback_sqlite *fb)
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
                r = prepare(fb->db, "SELECT 1 FROM votes WHERE voter = ?1 LIMIT 1", &fb->known);
        /* Counted only under the cap: a refused vote changes no row. */
        if (r == 0 && fb->writable)
                r = prepare(fb->db,
                            "INSERT INTO vote_caps (net, port, day, n) VALUES (?1, ?2, ?3, 1)"
                            " ON CONFLICT (net, port, day) DO UPDATE SET n = n + 1 WHERE n < ?4",
                            &fb->charge);
        if (r == 0 && fb->writable)
                r = prepare(fb->db, "DELETE FROM vote_caps WHERE day < ?1", &fb->prune);
        if (r == 0 && fb->writable)
                r = prepare(fb->db, "BEGIN IMMEDIATE", &fb->begin);
        if (r == 0 && fb->writable)
                r = prepare(fb->db, "COMMIT", &fb->commit);
        if (r == 0 && fb->writable)
                r = prepare(fb->db, "ROLLBACK", &fb->rollback);
        return r;
}

/* The data directory's rule (datadir_check_dir, which the server checks first; repeated here
 * so that this file stays off the table's library): not writable by group or others unless
 * sticky and owned by this process's user. */
static bool folder_safe(const struct stat *st)
{
        return !(st->st_mode & (S_IWGRP | S_IWOTH)) ||
               ((st->st_mode & S_ISVTX) && st->st_uid == geteuid());
}

int feedback_sqlite_check(const char *path, const char **ret_suffix, uid_t *ret_owner)
{
        static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        char dir[4096], name[512];
        _cleanup_close_ int dirfd = -1;
        struct stat st;

        *ret_suffix = "";
        if (!base[0] || strlen(base) + 16 > sizeof(name))
                return -EINVAL;
        snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
        dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0 || fstat(dirfd, &st) < 0)
                return -errno;
        if (!folder_safe(&st))
                return -EPERM;
        for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
                struct stat f;

                *ret_suffix = suffixes[i];
                snprintf(name, sizeof(name), "%s%s", base, suffixes[i]);
                if (fstatat(dirfd, name, &f, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                continue;
                        return -errno;
                }
                if (S_ISLNK(f.st_mode))
                        return -ELOOP;
                if (!S_ISREG(f.st_mode))
                        return -EINVAL;
                if (f.st_nlink > 1)
                        return -EMLINK;
        }
        *ret_suffix = "";
        *ret_owner = st.st_uid;
        return 0;
}

/* Opens one connection in mode @flags and sets it up; a read-only one must find the schema. */
static int open_one(const char *path, int flags, struct feedback_sqlite **ret_fb)
{
        struct feedback_sqlite *fb = calloc(1, sizeof(*fb));
        int rc, r, version = 0;

        if (!fb)
                return -ENOMEM;
        fb->writable = (flags & SQLITE_OPEN_READWRITE) != 0;
        rc = sqlite3_open_v2(path, &fb->db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
                             NULL);
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
                else if (r == 0 && version < 1)
                        r = -ENOENT; /* never written: nothing to show; from 1 on, counts */
        }
        if (r == 0)
                r = prepare_all(fb);
        if (r < 0) {
                feedback_sqlite_free(fb);
                return r;
        }
        *ret_fb = fb;
        return 0;
}

/* On a read-only file system (a read-only mount, a snapshot) SQLite cannot make the -shm file
 * that reading a WAL store needs; nothing can change the store there, so it is opened as
 * immutable, which needs none.  Returns open_one's answer, or -EROFS when the file system can
 * be written (then immutable would be wrong: another process may be writing). */
static int open_immutable(const char *path, struct feedback_sqlite **ret_fb)
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

int feedback_sqlite_open(const char *path, bool readonly, struct feedback_sqlite **ret)
{
        const char *suffix;
        uid_t owner;
        int r = feedback_sqlite_check(path, &suffix, &owner);

        if (r < 0)
                return r;
        r = -EROFS;

        if (!readonly) {
                r = open_one(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, ret);
                if (r != -EROFS && r != -ENOENT)
                        return r;
        }
        /* The file or its directory cannot be written: counts may still be read. */
        if (open_one(path, SQLITE_OPEN_READONLY, ret) == 0 || open_immutable(path, ret) == 0)
                return -EROFS;
        return r;
}

void feedback_sqlite_free(struct feedback_sqlite *fb)
{
        if (!fb)
                return;
        sqlite3_finalize(fb->counts);
        sqlite3_finalize(fb->vote_of);
        sqlite3_finalize(fb->upsert);
        sqlite3_finalize(fb->known);
        sqlite3_finalize(fb->charge);
        sqlite3_finalize(fb->prune);
        sqlite3_finalize(fb->begin);
        sqlite3_finalize(fb->commit);
        sqlite3_finalize(fb->rollback);
        sqlite3_close(fb->db);
        free(fb);
}

bool feedback_sqlite_writable(const struct feedback_sqlite *fb)
{
        return fb->writable;
}

/* Reads the counts row for @port into *ret_counts; no row means no votes yet. */
static int read_counts(struct feedback_sqlite *fb, uint16_t port,
                       struct feedback_counts *ret_counts)
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

int feedback_sqlite_counts(struct feedback_sqlite *fb, uint16_t port,
                           struct feedback_counts *ret_counts)
{
        return read_counts(fb, port, ret_counts);
}

int feedback_sqlite_vote_of(struct feedback_sqlite *fb, uint16_t port, const char *voter,
                            int *ret_vote)
{
        sqlite3_stmt *st = fb->vote_of;
        int rc, v = -1;

        sqlite3_bind_int(st, 1, port);
        sqlite3_bind_text(st, 2, voter, VOTER_ID_LEN, SQLITE_STATIC);
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

/* Counts a vote by @voter against @cap, inside the caller's transaction: nothing when the
 * store knows @voter already.  Returns 0, -EDQUOT when the cap is reached (nothing changed), or
 * -errno. */
static int charge_cap(struct feedback_sqlite *fb, uint16_t port, const char *voter,
                      const struct vote_cap *cap)
{
        sqlite3_stmt *st = fb->known;
        int rc, r;

        sqlite3_bind_text(st, 1, voter, VOTER_ID_LEN, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc == SQLITE_ROW)
                return 0;
        if (rc != SQLITE_DONE)
                return sql_errno(rc);
        st = fb->charge;
        sqlite3_bind_text(st, 1, cap->net, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, port);
        sqlite3_bind_int64(st, 3, cap->day);
        sqlite3_bind_int64(st, 4, cap->limit);
        r = step_done(st);
        sqlite3_clear_bindings(st);
        if (r < 0)
                return r;
        if (sqlite3_changes(fb->db) == 0)
                return -EDQUOT;
        /* Yesterday stays, for a server whose clock is a little behind another's. */
        sqlite3_bind_int64(fb->prune, 1, cap->day - 1);
        return step_done(fb->prune);
}

int feedback_sqlite_record(struct feedback_sqlite *fb, uint16_t port, const char *voter,
                           enum vote vote, const struct vote_cap *cap,
                           struct feedback_counts *ret_counts)
{
        struct feedback_counts c;
        sqlite3_stmt *st = fb->upsert;
        int r;

        r = step_done(fb->begin);
        if (r < 0)
                return r;
        if (cap)
                r = charge_cap(fb, port, voter, cap);
        if (r == 0) {
                sqlite3_bind_int(st, 1, port);
                sqlite3_bind_text(st, 2, voter, VOTER_ID_LEN, SQLITE_STATIC);
                sqlite3_bind_int(st, 3, (int)vote);
                sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
                r = step_done(st);
                sqlite3_clear_bindings(st);
        }
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

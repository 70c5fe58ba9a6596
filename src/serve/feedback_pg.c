/* feedback_pg: the vote store on PostgreSQL through libpq: a capped pool of connections made
 * on first use, migrations under an advisory lock, one statement per vote (an upsert, with
 * counts kept by a trigger in the same transaction), prepared statements with bound parameters
 * only.
 *
 * Does not log and does not retry for long: a call that finds the database gone answers
 * -ENOTCONN at once, and only one thread at a time tries to reconnect, with a growing pause
 * between attempts, so that pages keep being served from every other thread.
 *
 * Durability: a vote is answered only after its transaction committed, with synchronous_commit
 * on for the session (the server's WAL is flushed first).
 */
#include "feedback_pg.h"
#include "feedback_pg_schema.h"

#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POOL_CAP         16   /* connections per database and process, at most */
#define POOL_WAIT_MS     2000 /* how long a call waits for a connection when all are busy */
#define BACKOFF_FIRST_MS 200  /* pause after a failed attempt to connect, doubled each time */
#define BACKOFF_MAX_MS   5000
#define MAX_ERROR        256
#define MAX_PASSWORD     256

/* pg_advisory_xact_lock key taken while migrating: "portinfo" in ASCII. */
#define MIGRATE_LOCK "8101820098973427311"

/* What portinfo sets for the connection unless the URI says otherwise (libpq keywords given
 * before "dbname" are overridden by what the expanded URI names).  connect_timeout bounds an
 * attempt to reach a silent host; the keepalives and tcp_user_timeout bound a call on a
 * connection whose peer vanished. */
static const char *const connect_keys[] = {
    "connect_timeout",  "application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "password",   "dbname",          NULL,
};
#define N_DEFAULTS 7 /* values for the keys before "password" */
static const char *const connect_defaults[N_DEFAULTS] = {
    "3", "portinfo-serve", "1", "30", "10", "3", "10000",
};

/* Bounds on the server's side, and no asynchronous commit: a vote answered is on disk. */
static const char session_sql[] =
    "SET statement_timeout = 5000; SET lock_timeout = 2000;"
    " SET idle_in_transaction_session_timeout = 10000; SET synchronous_commit = on";

struct pg_conn {
        PGconn *pq;
        unsigned gen; /* the pool's generation when it was made */
        struct pg_conn *next;
};

/* The connections to one database, shared by the handles opened on it. */
struct pg_pool {
        struct pg_pool *next; /* in the registry */
        char *dsn;
        unsigned refs; /* handles; under registry_lock */

        pthread_mutex_t lock; /* everything below */
        pthread_cond_t returned;
        struct pg_conn *idle;
        unsigned open;       /* connections made or being made */
        unsigned gen;        /* bumped when a connection is found lost: older idle ones go */
        bool down;           /* the last attempt to connect failed */
        bool retrying;       /* while down, one caller is trying again */
        long long retry_at;  /* while down, no attempt before this (monotonic ms) */
        unsigned backoff_ms; /* the next pause */
        bool migrated;
        bool single_host; /* the URI names one server: one password for every connection */
        char password[MAX_PASSWORD]; /* the one libpq found first; "" until then */
        int fatal; /* -EPROTO once the schema is known to be newer than this build's */
        char error[MAX_ERROR];
};

struct feedback_pg {
        struct pg_pool *pool;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pg_pool *registry;

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libpq prints notices ("relation already exists, skipping") to stderr by default. */
static void ignore_notice(void *arg, const char *message)
{
}

/* Copies the first line of @msg into @out. */
static void first_line(char *out, size_t size, const char *msg)
{
        size_t n = msg ? strcspn(msg, "\r\n") : 0;

        if (n >= size)
                n = size - 1;
        if (n)
                memcpy(out, msg, n);
        out[n] = '\0';
}

/* One -errno per kind of failure of a call on @pq that gave @res (NULL: nothing came back). */
static int result_errno(PGconn *pq, const PGresult *res)
{
        const char *state;

        if (PQstatus(pq) != CONNECTION_OK)
                return -ENOTCONN;
        if (!res)
                return -ENOMEM;
        state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (!state)
                return -EIO;
        /* Class 40: serialization failure, deadlock; 55P03: lock not available; 57014: the
         * statement timed out or was cancelled. */
        if (strncmp(state, "40", 2) == 0 || strcmp(state, "55P03") == 0 ||
            strcmp(state, "57014") == 0)
                return -EBUSY;
        if (strcmp(state, "53100") == 0) /* disk full */
                return -ENOSPC;
        if (strncmp(state, "53", 2) == 0) /* out of memory, too many connections */
                return -EBUSY;
        if (strcmp(state, "25006") == 0) /* a read-only (standby) server */
                return -EROFS;
        if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) /* going away */
                return -ENOTCONN;
        return -EIO;
}

/* Runs a statement without parameters that returns no rows.  Returns 0 or -errno. */
static int exec_simple(PGconn *pq, const char *sql)
{
        PGresult *res = PQexec(pq, sql);
        int r = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : result_errno(pq, res);

        PQclear(res);
        return r;
}

/* COMMIT, checked: in a transaction that failed, PostgreSQL answers COMMIT with "ROLLBACK". */
static int commit(PGconn *pq)
{
        PGresult *res = PQexec(pq, "COMMIT");
        int r = PQresultStatus(res) != PGRES_COMMAND_OK   ? result_errno(pq, res)
                : strcmp(PQcmdStatus(res), "COMMIT") != 0 ? -EIO
                                                          : 0;

        PQclear(res);
        return r;
}

static void rollback(PGconn *pq)
{
        if (PQstatus(pq) == CONNECTION_OK && PQtransactionStatus(pq) != PQTRANS_IDLE)
                PQclear(PQexec(pq, "ROLLBACK"));
}

/* A binary int2, int4 or int8 field (network byte order) of row @row, column @col; -1 when
 * NULL or of another size. */
static long long int_field(const PGresult *res, int row, int col)
{
        const unsigned char *p = (const unsigned char *)PQgetvalue(res, row, col);
        int len = PQgetlength(res, row, col);
        uint64_t v = 0;

        if (PQgetisnull(res, row, col) || (len != 2 && len != 4 && len != 8))
                return -1;
        for (int i = 0; i < len; i++)
                v = v << 8 | p[i];
        if (len < 8 && (v >> (len * 8 - 1)) & 1)
                v |= ~UINT64_C(0) << (len * 8); /* negative: extend the sign */
        return (long long)v;
}

/* Brings the schema up to PG_SCHEMA_VERSION in one transaction, under an advisory lock so that
 * two servers starting together do not both migrate.  Returns 0, -EPROTO (newer schema) or
 * -errno. */
static int migrate(PGconn *pq)
{
        char text[16];
        const char *param[1] = {text};
        PGresult *res;
        long long version;
        int r;

        r = exec_simple(pq, "BEGIN");
        if (r == 0) {
                res = PQexec(pq, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")");
                r = PQresultStatus(res) == PGRES_TUPLES_OK ? 0 : result_errno(pq, res);
                PQclear(res);
        }
        if (r == 0)
                r = exec_simple(pq, "CREATE TABLE IF NOT EXISTS schema_version ("
                                    "version integer NOT NULL)");
        if (r < 0) {
                rollback(pq);
                return r;
        }
        res = PQexecParams(pq, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL,
                           NULL, NULL, NULL, 1);
        if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
                r = result_errno(pq, res);
                PQclear(res);
                rollback(pq);
                return r < 0 ? r : -EIO;
        }
        version = int_field(res, 0, 0);
        PQclear(res);
        if (version < 0 || version > PG_SCHEMA_VERSION) {
                rollback(pq);
                return version < 0 ? -EIO : -EPROTO;
        }
        if (version == PG_SCHEMA_VERSION) {
                rollback(pq); /* nothing to do; releases the lock */
                return 0;
        }
        for (; r == 0 && version < PG_SCHEMA_VERSION; version++)
                r = exec_simple(pq, feedback_pg_migrations[version]);
        if (r == 0)
                r = exec_simple(pq, "DELETE FROM schema_version");
        if (r == 0) {
                snprintf(text, sizeof(text), "%d", PG_SCHEMA_VERSION);
                res = PQexecParams(pq, "INSERT INTO schema_version (version) VALUES ($1::integer)",
                                   1, NULL, param, NULL, NULL, 0);
                r = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : result_errno(pq, res);
                PQclear(res);
        }
        if (r == 0)
                r = commit(pq);
        if (r < 0)
                rollback(pq);
        return r;
}

static int prepare_all(PGconn *pq)
{
        for (size_t i = 0; i < feedback_pg_n_statements; i++) {
                const struct feedback_pg_statement *st = &feedback_pg_statements[i];
                PGresult *res = PQprepare(pq, st->name, st->sql, st->nparams, st->types);
                int r = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : result_errno(pq, res);

                PQclear(res);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Makes and sets up one connection (blocking, bounded by connect_timeout).  On failure the
 * reason's first line is left in @why.  Returns 0 and *ret, -EPROTO, or -ENOTCONN. */
static int connect_one(const char *dsn, const char *password, bool migrate_first, PGconn **ret,
                       char *why, size_t why_size, char *seen, size_t seen_size)
{
        const char *vals[sizeof(connect_keys) / sizeof(connect_keys[0])];
        PGconn *pq;
        int r;

        for (size_t i = 0; i < N_DEFAULTS; i++)
                vals[i] = connect_defaults[i];
        vals[N_DEFAULTS] = password; /* NULL: PGPASSWORD, then the password file */
        vals[N_DEFAULTS + 1] = dsn;
        vals[N_DEFAULTS + 2] = NULL;
        pq = PQconnectdbParams(connect_keys, vals, 1);
        if (!pq) {
                first_line(why, why_size, "out of memory");
                return -ENOTCONN;
        }
        /* The password libpq settled on (the URI's, PGPASSWORD, or the password file's), known
         * even when the server did not answer: kept, so that reconnecting needs no file that
         * the sandbox may have closed since. */
        if (seen_size && strlen(PQpass(pq)) < seen_size)
                memcpy(seen, PQpass(pq), strlen(PQpass(pq)) + 1);
        if (PQstatus(pq) != CONNECTION_OK) {
                first_line(why, why_size, PQerrorMessage(pq));
                PQfinish(pq);
                return -ENOTCONN;
        }
        PQsetNoticeProcessor(pq, ignore_notice, NULL);
        r = exec_simple(pq, session_sql);
        if (r == 0 && migrate_first)
                r = migrate(pq);
        if (r == 0)
                r = prepare_all(pq);
        if (r < 0) {
                if (r == -EPROTO)
                        first_line(why, why_size, "the vote store was written by a newer portinfo");
                else
                        first_line(why, why_size, PQerrorMessage(pq));
                PQfinish(pq);
                return r == -EPROTO ? r : -ENOTCONN;
        }
        *ret = pq;
        return 0;
}

/* Closes a list of connections (outside the pool's lock: PQfinish may send a goodbye). */
static void close_list(struct pg_conn *c)
{
        while (c) {
                struct pg_conn *next = c->next;

                PQfinish(c->pq);
                free(c);
                c = next;
        }
}

/* Makes a new connection for the pool; the caller counted it in p->open and set p->retrying
 * when @retry.  Returns 0 and *ret, or -errno (p->open is given back). */
static int pool_connect(struct pg_pool *p, bool retry, struct pg_conn **ret)
{
        char why[MAX_ERROR] = "", password[MAX_PASSWORD] = "", seen[MAX_PASSWORD] = "";
        struct pg_conn *c = calloc(1, sizeof(*c));
        bool migrated, keep;
        unsigned gen;
        int r;

        pthread_mutex_lock(&p->lock);
        migrated = p->migrated;
        gen = p->gen;
        memcpy(password, p->password, sizeof(password));
        keep = p->single_host && !password[0];
        pthread_mutex_unlock(&p->lock);
        r = c ? connect_one(p->dsn, password[0] ? password : NULL, !migrated, &c->pq, why,
                            sizeof(why), seen, keep ? sizeof(seen) : 0)
              : -ENOMEM;
        explicit_bzero(password, sizeof(password));
        pthread_mutex_lock(&p->lock);
        if (keep && seen[0] && !p->password[0])
                memcpy(p->password, seen, sizeof(p->password));
        explicit_bzero(seen, sizeof(seen));
        if (retry)
                p->retrying = false;
        if (r == 0) {
                c->gen = gen;
                p->migrated = true;
                p->down = false;
                p->backoff_ms = BACKOFF_FIRST_MS;
                *ret = c;
        } else {
                p->open--;
                if (r == -EPROTO)
                        p->fatal = r;
                if (r == -ENOTCONN) {
                        p->down = true;
                        p->retry_at = now_ms() + p->backoff_ms;
                        p->backoff_ms =
                            p->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : p->backoff_ms * 2;
                }
                if (why[0])
                        memcpy(p->error, why, sizeof(p->error));
                free(c);
                pthread_cond_broadcast(&p->returned);
        }
        pthread_mutex_unlock(&p->lock);
        return r;
}

/* Takes a connection: an idle one, else a new one under the cap, else waits a little for one
 * to come back.  While the database is down only one caller tries to reconnect, and only when
 * the pause is over; the others get -ENOTCONN at once.  Returns 0 and *ret, -ENOTCONN,
 * -EBUSY (waited POOL_WAIT_MS in vain), -EPROTO or -ENOMEM. */
static int pool_get(struct pg_pool *p, struct pg_conn **ret)
{
        struct timespec until;
        bool waiting = false;
        int r = 0;

        pthread_mutex_lock(&p->lock);
        for (;;) {
                if (p->fatal) {
                        r = p->fatal;
                        break;
                }
                if (p->idle) {
                        *ret = p->idle;
                        p->idle = p->idle->next;
                        break;
                }
                if (p->open < POOL_CAP) {
                        bool retry = p->down;

                        if (retry && (p->retrying || now_ms() < p->retry_at)) {
                                r = -ENOTCONN;
                                break;
                        }
                        p->open++;
                        p->retrying |= retry;
                        pthread_mutex_unlock(&p->lock);
                        return pool_connect(p, retry, ret);
                }
                if (!waiting) {
                        clock_gettime(CLOCK_MONOTONIC, &until);
                        until.tv_sec += POOL_WAIT_MS / 1000;
                        until.tv_nsec += (POOL_WAIT_MS % 1000) * 1000000L;
                        if (until.tv_nsec >= 1000000000L) {
                                until.tv_sec++;
                                until.tv_nsec -= 1000000000L;
                        }
                        waiting = true;
                }
                if (pthread_cond_timedwait(&p->returned, &p->lock, &until) != 0) {
                        r = -EBUSY;
                        break;
                }
        }
        pthread_mutex_unlock(&p->lock);
        return r;
}

/* Gives a connection back.  A @lost one is closed, and so is every idle connection made before
 * it: they most likely went with it (the server restarted). */
static void pool_put(struct pg_pool *p, struct pg_conn *c, bool lost)
{
        struct pg_conn *drop = NULL;

        pthread_mutex_lock(&p->lock);
        if (lost && c->gen == p->gen) {
                p->gen++;
                for (struct pg_conn **pp = &p->idle; *pp;) {
                        struct pg_conn *d = *pp;

                        *pp = d->next;
                        d->next = drop;
                        drop = d;
                        p->open--;
                }
        }
        if (lost || c->gen != p->gen) {
                c->next = drop;
                drop = c;
                p->open--;
        } else {
                c->next = p->idle;
                p->idle = c;
        }
        pthread_cond_broadcast(&p->returned);
        pthread_mutex_unlock(&p->lock);
        close_list(drop);
}

static void pool_free(struct pg_pool *p)
{
        close_list(p->idle);
        explicit_bzero(p->password, sizeof(p->password));
        pthread_cond_destroy(&p->returned);
        pthread_mutex_destroy(&p->lock);
        free(p->dsn);
        free(p);
}

/* Whether @dsn names one server (no host list): then the password found for the first
 * connection serves every later one. */
static bool single_host(const char *dsn)
{
        PQconninfoOption *opts = PQconninfoParse(dsn, NULL);
        bool one = opts != NULL;

        for (PQconninfoOption *o = opts; o && o->keyword; o++)
                if ((strcmp(o->keyword, "host") == 0 || strcmp(o->keyword, "hostaddr") == 0) &&
                    o->val && strchr(o->val, ','))
                        one = false;
        PQconninfoFree(opts);
        return one;
}

static struct pg_pool *pool_new(const char *dsn)
{
        struct pg_pool *p = calloc(1, sizeof(*p));
        pthread_condattr_t attr;

        if (!p)
                return NULL;
        p->single_host = single_host(dsn);
        p->dsn = strdup(dsn);
        if (!p->dsn) {
                free(p);
                return NULL;
        }
        pthread_mutex_init(&p->lock, NULL);
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&p->returned, &attr);
        pthread_condattr_destroy(&attr);
        p->backoff_ms = BACKOFF_FIRST_MS;
        return p;
}

/* What one call does with a connection.  Returns 0 or -errno. */
typedef int (*pg_op)(PGconn *pq, void *arg);

/* Runs @op on a pooled connection.  When the connection turns out to be lost (the server
 * restarted since it was last used), runs it once more on a fresh one: every operation here
 * may run twice, since recording the same vote again leaves the same state. */
static int run(struct feedback_pg *h, pg_op op, void *arg)
{
        struct pg_conn *c;
        int r = -ENOTCONN;

        for (int attempt = 0; attempt < 2; attempt++) {
                bool lost;

                r = pool_get(h->pool, &c);
                if (r < 0)
                        return r;
                r = op(c->pq, arg);
                lost = PQstatus(c->pq) != CONNECTION_OK;
                pool_put(h->pool, c, lost);
                if (!lost)
                        return r;
                r = -ENOTCONN;
        }
        return r;
}

int feedback_pg_check(const char *dsn)
{
        char *err = NULL;
        PQconninfoOption *opts = PQconninfoParse(dsn, &err);
        int r = opts ? 0 : err ? -EINVAL : -ENOMEM;

        PQconninfoFree(opts);
        PQfreemem(err);
        return r;
}

int feedback_pg_open(const char *dsn, struct feedback_pg **ret)
{
        struct feedback_pg *h;
        struct pg_pool *p;
        struct pg_conn *c;
        bool fresh = false;
        int r = feedback_pg_check(dsn);

        if (r < 0)
                return r;
        h = calloc(1, sizeof(*h));
        if (!h)
                return -ENOMEM;
        pthread_mutex_lock(&registry_lock);
        for (p = registry; p && strcmp(p->dsn, dsn) != 0; p = p->next)
                ;
        if (!p) {
                p = pool_new(dsn);
                if (p) {
                        p->next = registry;
                        registry = p;
                        fresh = true;
                }
        }
        if (p)
                p->refs++;
        pthread_mutex_unlock(&registry_lock);
        if (!p) {
                free(h);
                return -ENOMEM;
        }
        h->pool = p;
        /* The first handle connects now: a wrong address or password shows at start, and the
         * schema is brought up to date before the first vote. */
        if (fresh) {
                r = pool_get(p, &c);
                if (r == 0)
                        pool_put(p, c, false);
        } else {
                pthread_mutex_lock(&p->lock);
                r = p->fatal ? p->fatal : p->down ? -ENOTCONN : 0;
                pthread_mutex_unlock(&p->lock);
        }
        if (r == 0 || r == -ENOTCONN) {
                *ret = h;
                return r;
        }
        feedback_pg_free(h);
        return r;
}

void feedback_pg_free(struct feedback_pg *h)
{
        struct pg_pool *p, **pp;

        if (!h)
                return;
        p = h->pool;
        pthread_mutex_lock(&registry_lock);
        if (--p->refs == 0) {
                for (pp = &registry; *pp != p; pp = &(*pp)->next)
                        ;
                *pp = p->next;
        } else {
                p = NULL;
        }
        pthread_mutex_unlock(&registry_lock);
        if (p)
                pool_free(p);
        free(h);
}

void feedback_pg_last_error(struct feedback_pg *h, char *buf, size_t size)
{
        if (!size)
                return;
        pthread_mutex_lock(&h->pool->lock);
        first_line(buf, size, h->pool->error);
        pthread_mutex_unlock(&h->pool->lock);
}

/* ---- the operations ---- */

struct op_args {
        uint16_t port;
        const char *voter;
        enum vote vote;
        const struct vote_cap *cap; /* NULL or a limit of 0: no cap */
        struct feedback_counts counts;
        int my_vote;
};

/* Reads sad, meh, happy from @res (binary; no row: no votes yet) into a->counts. */
static int read_counts(PGconn *pq, PGresult *res, struct op_args *a)
{
        int r = 0;

        memset(&a->counts, 0, sizeof(a->counts));
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
                r = result_errno(pq, res);
        } else if (PQntuples(res) == 1 && PQnfields(res) == VOTE_COUNT) {
                for (int v = 0; v < VOTE_COUNT; v++) {
                        long long n = int_field(res, 0, v);

                        a->counts.n[v] = n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (unsigned)n;
                }
        }
        return r;
}

/* Reads the counts row of a->port into a->counts. */
static int op_counts(PGconn *pq, void *arg)
{
        struct op_args *a = arg;
        char port[8];
        const char *params[1] = {port};
        PGresult *res;
        int r;

        snprintf(port, sizeof(port), "%u", a->port);
        res = PQexecPrepared(pq, "counts", 1, params, NULL, NULL, 1);
        r = read_counts(pq, res, a);
        PQclear(res);
        return r;
}

static int op_vote_of(PGconn *pq, void *arg)
{
        struct op_args *a = arg;
        char port[8];
        const char *params[2] = {port, a->voter};
        PGresult *res;
        int r = 0;

        snprintf(port, sizeof(port), "%u", a->port);
        res = PQexecPrepared(pq, "vote_of", 2, params, NULL, NULL, 1);
        a->my_vote = -1;
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
                r = result_errno(pq, res);
        } else if (PQntuples(res) == 1) {
                long long v = int_field(res, 0, 0);

                a->my_vote = v >= 0 && v < VOTE_COUNT ? (int)v : -1;
        }
        PQclear(res);
        return r;
}

/* The upsert and the counts after it, in one statement and so one transaction: committed (and,
 * with synchronous_commit on, flushed) before the server answers ready, which PQexecPrepared
 * waits for; a failed commit comes back as the error.  Answers 0 only then.  Under a cap, the
 * statement returns no row when the vote was refused (and nothing was stored): -EDQUOT. */
static int op_record(PGconn *pq, void *arg)
{
        struct op_args *a = arg;
        char port[8], value[4], day[24], limit[16];
        const char *params[6] = {port, a->voter, value, NULL, day, limit};
        bool capped = a->cap && a->cap->limit > 0;
        PGresult *res;
        int r;

        snprintf(port, sizeof(port), "%u", a->port);
        snprintf(value, sizeof(value), "%d", (int)a->vote);
        if (capped) {
                params[3] = a->cap->net;
                snprintf(day, sizeof(day), "%lld", a->cap->day);
                snprintf(limit, sizeof(limit), "%u", a->cap->limit);
        }
        res = PQexecPrepared(pq, capped ? "vote_capped" : "vote", capped ? 6 : 3, params, NULL,
                             NULL, 1);
        r = read_counts(pq, res, a);
        if (r == 0 && PQntuples(res) != 1)
                r = capped && PQntuples(res) == 0 ? -EDQUOT
                                                  : -EIO; /* the trigger leaves a counts row */
        PQclear(res);
        return r;
}

int feedback_pg_counts(struct feedback_pg *h, uint16_t port, struct feedback_counts *ret_counts)
{
        struct op_args a = {.port = port};
        int r = run(h, op_counts, &a);

        if (r == 0)
                *ret_counts = a.counts;
        return r;
}

int feedback_pg_vote_of(struct feedback_pg *h, uint16_t port, const char *voter, int *ret_vote)
{
        struct op_args a = {.port = port, .voter = voter};
        int r = run(h, op_vote_of, &a);

        if (r == 0)
                *ret_vote = a.my_vote;
        return r;
}

int feedback_pg_record(struct feedback_pg *h, uint16_t port, const char *voter, enum vote vote,
                       const struct vote_cap *cap, struct feedback_counts *ret_counts)
{
        struct op_args a = {.port = port, .voter = voter, .vote = vote, .cap = cap};
        int r = run(h, op_record, &a);

        if (r == 0)
                *ret_counts = a.counts;
        return r;
}

/* feedback: the vote store's interface: chooses the backend by the store's name, checks the
 * arguments once for both, and names stores for the log without their passwords.
 *
 * Holds no SQL: SQLite lives in feedback_sqlite.c, PostgreSQL in feedback_pg.c.  Never logs:
 * every failure is a -errno for the server to word.
 */
#include "feedback.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "feedback_pg.h"
#include "feedback_sqlite.h"

/* Exactly one of the backends is set. */
struct feedback {
        struct feedback_pg *pg;
        struct feedback_sqlite *sqlite;
        bool writable;
};

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

int feedback_check(const char *path)
{
        return feedback_is_postgres(path) ? feedback_pg_check(path) : 0;
}

int feedback_check_place(const char *path, const char **ret_suffix, uid_t *ret_owner)
{
        *ret_suffix = "";
        if (feedback_is_postgres(path)) {
                *ret_owner = (uid_t)-1;
                return 0;
        }
        return feedback_sqlite_check(path, ret_suffix, ret_owner);
}

int feedback_open(const char *path, bool readonly, struct feedback **ret_fb)
{
        _cleanup_free_ struct feedback *fb = calloc(1, sizeof(*fb));
        int r;

        if (!fb)
                return -ENOMEM;
        if (feedback_is_postgres(path)) {
                /* It can be written unless @readonly: PostgreSQL itself refuses votes (-EROFS)
                 * where it cannot take them. */
                r = feedback_pg_open(path, &fb->pg);
                fb->writable = !readonly;
        } else {
                r = feedback_sqlite_open(path, readonly, &fb->sqlite);
                fb->writable = fb->sqlite && feedback_sqlite_writable(fb->sqlite);
        }
        if (fb->pg || fb->sqlite) {
                *ret_fb = fb;
                fb = NULL; /* the caller's now */
        }
        return r;
}

void feedback_free(struct feedback *fb)
{
        if (!fb)
                return;
        feedback_pg_free(fb->pg);
        feedback_sqlite_free(fb->sqlite);
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

int feedback_counts(struct feedback *fb, uint16_t port, struct feedback_counts *ret_counts)
{
        if (fb->pg)
                return feedback_pg_counts(fb->pg, port, ret_counts);
        return feedback_sqlite_counts(fb->sqlite, port, ret_counts);
}

int feedback_vote_of(struct feedback *fb, uint16_t port, const char *voter, int *ret_vote)
{
        if (!voter_id_valid(voter))
                return -EINVAL;
        if (fb->pg)
                return feedback_pg_vote_of(fb->pg, port, voter, ret_vote);
        return feedback_sqlite_vote_of(fb->sqlite, port, voter, ret_vote);
}

int feedback_record(struct feedback *fb, uint16_t port, const char *voter, enum vote vote,
                    const struct vote_cap *cap, struct feedback_counts *ret_counts)
{
        if (!voter_id_valid(voter) || (int)vote < 0 || vote >= VOTE_COUNT)
                return -EINVAL;
        if (cap && cap->limit == 0)
                cap = NULL;
        if (cap && (!cap->net || !cap->net[0] || strlen(cap->net) >= VOTE_NET_LEN || cap->day < 0 ||
                    cap->day > INT32_MAX))
                return -EINVAL;
        if (!fb->writable)
                return -EROFS;
        if (fb->pg)
                return feedback_pg_record(fb->pg, port, voter, vote, cap, ret_counts);
        return feedback_sqlite_record(fb->sqlite, port, voter, vote, cap, ret_counts);
}

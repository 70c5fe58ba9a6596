/* users: uid -> name with a small cache; the first entry for a uid in the file wins, as with
 * getpwuid().  Not a general passwd reader: only names and uids are kept.
 */
#include "users.h"

#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void users_init(struct users *u, const char *passwd)
{
        *u = (struct users){.passwd = passwd};
}

void users_done(struct users *u)
{
        for (size_t i = 0; i < u->n; i++)
                free(u->v[i].name);
        free(u->v);
        u->v = NULL;
        u->n = u->cap = 0;
        u->loaded = 0;
}

static struct users_entry *find(struct users *u, uint32_t uid)
{
        for (size_t i = 0; i < u->n; i++)
                if (u->v[i].uid == uid)
                        return &u->v[i];
        return NULL;
}

/* Adds @uid with a copy of @name (@len bytes; NULL: known to have no name). */
static int add(struct users *u, uint32_t uid, const char *name, size_t len)
{
        char *copy = NULL;

        if (u->n == u->cap) {
                size_t cap = u->cap ? u->cap * 2 : 32;
                struct users_entry *v = realloc(u->v, cap * sizeof(*v));

                if (!v)
                        return -ENOMEM;
                u->v = v;
                u->cap = cap;
        }
        if (name) {
                copy = strndup(name, len);
                if (!copy)
                        return -ENOMEM;
        }
        u->v[u->n++] = (struct users_entry){uid, copy};
        return 0;
}

int users_parse(struct users *u, const char *buf, size_t len)
{
        const char *p = buf, *end = buf + len;
        int added = 0;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *eol = nl ? nl : end;
                const char *c1 = memchr(p, ':', (size_t)(eol - p));
                const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
                uint64_t uid = 0;
                const char *q;

                if (c1 && c2 && c1 > p && p[0] != '#' && p[0] != '+' && p[0] != '-') {
                        for (q = c2 + 1; q < eol && *q >= '0' && *q <= '9' && uid <= UINT32_MAX;
                             q++)
                                uid = uid * 10 + (uint64_t)(*q - '0');
                        if (q > c2 + 1 && q < eol && *q == ':' && uid <= UINT32_MAX &&
                            !find(u, (uint32_t)uid)) {
                                if (add(u, (uint32_t)uid, p, (size_t)(c1 - p)) < 0)
                                        return -ENOMEM;
                                added++;
                        }
                }
                p = nl ? nl + 1 : end;
        }
        return added;
}

static void load(struct users *u)
{
        const char *path = u->passwd ? u->passwd : USERS_PASSWD;
        struct stat st;
        _cleanup_free_ char *buf = NULL;
        ssize_t k;
        size_t len = 0;
        _cleanup_close_ int fd = -1;

        u->loaded = 1;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
            (uint64_t)st.st_size > USERS_MAX_FILE)
                return;
        buf = malloc((size_t)st.st_size);
        if (!buf)
                return;
        while (
            len < (size_t)st.st_size &&
            ((k = read(fd, buf + len, (size_t)st.st_size - len)) > 0 || (k < 0 && errno == EINTR)))
                if (k > 0)
                        len += (size_t)k;
        users_parse(u, buf, len);
}

const char *users_name(struct users *u, uint32_t uid)
{
        struct users_entry *e;

        if (!u->loaded)
                load(u);
        e = find(u, uid);
        if (e)
                return e->name;
        if (!u->passwd) {
                struct passwd pw, *res = NULL;
                char buf[1024];

                if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
                        return add(u, uid, res->pw_name, strlen(res->pw_name)) == 0
                                   ? u->v[u->n - 1].name
                                   : NULL;
        }
        /* Remember the miss too: the next socket of this uid costs nothing. */
        add(u, uid, NULL, 0);
        return NULL;
}

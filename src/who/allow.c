/* allow: parsing the allowlist strictly (a typo must not silence more than meant) and matching
 * findings against it.  It knows rule ids only as strings handed in.
 */
#include "allow.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "parse.h"

struct field {
        const char *p;
        size_t n;
};

/* Splits @line into whitespace-separated fields, stopping at '#'.  Returns their number, at
 * most @max (one more when there are too many). */
static size_t split(const char *line, size_t len, struct field *f, size_t max)
{
        size_t n = 0, i = 0;

        while (i < len) {
                size_t start;

                while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
                        i++;
                if (i == len || line[i] == '#')
                        break;
                start = i;
                while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' &&
                       line[i] != '#')
                        i++;
                if (n == max)
                        return max + 1;
                f[n++] = (struct field){line + start, i - start};
        }
        return n;
}

/* "*", "N", "LO-HI", each optionally "/tcp" or "/udp"; a bound has at most five digits. */
static const char *parse_ports(struct field f, struct allow_entry *e)
{
        const char *slash = memchr(f.p, '/', f.n);
        size_t n = slash ? (size_t)(slash - f.p) : f.n;
        const char *dash = memchr(f.p, '-', n);
        size_t lo_n = dash ? (size_t)(dash - f.p) : n, hi_n = dash ? n - lo_n - 1 : 0;
        enum proto p;
        int r;

        e->protos = PROTO_MASK_TCP_UDP;
        if (slash) {
                if (parse_proto_n(slash + 1, f.n - n - 1, &p) < 0 ||
                    !(PROTO_BIT(p) & PROTO_MASK_TCP_UDP))
                        return "the protocol after '/' must be tcp or udp";
                e->protos = PROTO_BIT(p);
        }
        if (n == 1 && f.p[0] == '*') {
                e->lo = 0;
                e->hi = 65535;
                return NULL;
        }
        r = lo_n > 5 || hi_n > 5 ? -EINVAL : parse_range_n(f.p, n, &e->lo, &e->hi);
        if (r == -EDOM)
                return "the first port of the range is above the last";
        if (r < 0)
                return "the first field must be a port (0-65535), LO-HI or *";
        return NULL;
}

static bool is_known(const char *const *known, const char *p, size_t n)
{
        for (; known && *known; known++)
                if (strlen(*known) == n && memcmp(*known, p, n) == 0)
                        return true;
        return false;
}

/* "rule,rule" into "rule\0rule\0\0". */
static const char *parse_rules(struct field f, const char *const *known, char **ret)
{
        char *out = malloc(f.n + 2);
        size_t at = 0, count = 0;
        const char *p = f.p, *end = f.p + f.n;

        if (!out)
                return NULL; /* reported as out of memory by the caller */
        while (p <= end) {
                const char *comma = memchr(p, ',', (size_t)(end - p));
                size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);

                if (n == 0 || !is_known(known, p, n) || ++count > ALLOW_MAX_RULES) {
                        free(out);
                        return n == 0                    ? "an empty rule id in the list"
                               : count > ALLOW_MAX_RULES ? "too many rule ids"
                                                         : "an unknown rule id";
                }
                memcpy(out + at, p, n);
                at += n;
                out[at++] = '\0';
                p += n + 1;
        }
        out[at] = '\0';
        *ret = out;
        return NULL;
}

static void entry_free(struct allow_entry *e)
{
        free(e->exe);
        free(e->rules);
}

/* Parses one line; *ret_empty when it holds no entry.  Returns NULL or why it is bad. */
static const char *parse_line(const char *line, size_t len, const char *const *known,
                              struct allow_entry *e, bool *ret_empty, bool *ret_nomem)
{
        struct field f[3];
        size_t n = split(line, len, f, 3);
        const char *why;

        *e = (struct allow_entry){0};
        *ret_empty = n == 0;
        if (n == 0)
                return NULL;
        if (n == 1)
                return "an entry needs a port and an executable (or *)";
        if (n > 3)
                return "too many fields (PORT[/PROTO] EXECUTABLE [RULE,...])";
        why = parse_ports(f[0], e);
        if (why)
                return why;
        if (!(f[1].n == 1 && f[1].p[0] == '*') && f[1].p[0] != '/')
                return "the executable must be an absolute path, a pattern starting with /, or *";
        e->exe = strndup(f[1].p, f[1].n);
        if (!e->exe) {
                *ret_nomem = true;
                return "out of memory";
        }
        if (n == 3) {
                why = parse_rules(f[2], known, &e->rules);
                if (why || !e->rules) {
                        free(e->exe);
                        e->exe = NULL;
                        if (!why)
                                *ret_nomem = true;
                        return why ? why : "out of memory";
                }
        }
        return NULL;
}

static int add_source(struct allowlist *a, const char *source, const char **ret)
{
        char **v = realloc(a->sources, (a->n_sources + 1) * sizeof(*v));

        if (!v)
                return -ENOMEM;
        a->sources = v;
        v[a->n_sources] = strdup(source);
        if (!v[a->n_sources])
                return -ENOMEM;
        *ret = v[a->n_sources++];
        return 0;
}

int allow_parse(struct allowlist *a, const char *text, size_t len, const char *source,
                const char *const *known, struct allow_error *err)
{
        const char *p = text, *end = text + len, *src;
        size_t before = a->n;
        unsigned line = 0;
        int r = add_source(a, source, &src);

        if (r < 0)
                return r;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                struct allow_entry e;
                bool empty, nomem = false;
                const char *why;

                line++;
                why = n > ALLOW_MAX_LINE   ? "line too long"
                      : memchr(p, '\0', n) ? "a NUL byte in the line"
                                           : parse_line(p, n, known, &e, &empty, &nomem);
                if (why) {
                        r = nomem ? -ENOMEM : -EINVAL;
                        *err = (struct allow_error){src, line, why};
                        goto fail;
                }
                p += n + (nl ? 1 : 0);
                if (empty)
                        continue;
                if (a->n == a->cap) {
                        size_t cap = a->cap ? a->cap * 2 : 16;
                        struct allow_entry *v =
                            a->n < 65536 ? realloc(a->v, cap * sizeof(*v)) : NULL;

                        if (!v) {
                                entry_free(&e);
                                r = a->n < 65536 ? -ENOMEM : -E2BIG;
                                *err = (struct allow_error){src, line, "too many entries"};
                                goto fail;
                        }
                        a->v = v;
                        a->cap = cap;
                }
                e.source = src;
                e.line = line;
                a->v[a->n++] = e;
        }
        return (int)(a->n - before);
fail:
        while (a->n > before)
                entry_free(&a->v[--a->n]);
        return r;
}

int allow_load(struct allowlist *a, const char *path, const char *const *known,
               struct allow_error *err)
{
        struct stat st;
        size_t len = 0;
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))) {
                *err = (struct allow_error){path, 0, "not a regular file"};
                return -EINVAL;
        }
        if (st.st_size > (off_t)ALLOW_MAX_FILE)
                return -E2BIG;
        buf = malloc(ALLOW_MAX_FILE + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t k = read(fd, buf + len, ALLOW_MAX_FILE + 1 - len);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                len += (size_t)k;
                if (len > ALLOW_MAX_FILE)
                        return -E2BIG;
        }
        return allow_parse(a, buf, len, path, known, err);
}

static bool rule_listed(const char *rules, const char *rule)
{
        if (!rules)
                return true;
        for (const char *p = rules; *p; p += strlen(p) + 1)
                if (strcmp(p, rule) == 0)
                        return true;
        return false;
}

bool allow_match(const struct allowlist *a, uint16_t port, enum proto proto,
                 const char *const *exes, size_t n_exes, const char *rule)
{
        for (size_t i = 0; i < a->n; i++) {
                const struct allow_entry *e = &a->v[i];
                bool all = true;

                if (port < e->lo || port > e->hi || !(e->protos & PROTO_BIT(proto)) ||
                    !rule_listed(e->rules, rule))
                        continue;
                if (strcmp(e->exe, "*") == 0)
                        return true;
                if (n_exes == 0)
                        continue;
                for (size_t j = 0; j < n_exes && all; j++)
                        all = exes[j] && fnmatch(e->exe, exes[j], 0) == 0;
                if (all)
                        return true;
        }
        return false;
}

void allow_done(struct allowlist *a)
{
        for (size_t i = 0; i < a->n; i++)
                entry_free(&a->v[i]);
        for (size_t i = 0; i < a->n_sources; i++)
                free(a->sources[i]);
        free(a->v);
        free(a->sources);
        *a = (struct allowlist){0};
}

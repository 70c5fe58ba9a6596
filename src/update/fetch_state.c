/* fetch_state: the text of DIR/registry.fetch, one "key value" line per field after a comment.
 *
 * Values are checked when read as when written (printable ASCII, bounded), so that a damaged or
 * planted file can never put a line break into a request header.
 */
#include "fetch_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

static const struct {
        const char *key;
        size_t off, cap;
} fields[] = {
    {"url", offsetof(struct fetch_state, url), sizeof(((struct fetch_state *)0)->url)},
    {"etag", offsetof(struct fetch_state, etag), FETCH_MAX_VALIDATOR},
    {"last-modified", offsetof(struct fetch_state, last_modified), FETCH_MAX_VALIDATOR},
    {"registry", offsetof(struct fetch_state, registry),
     sizeof(((struct fetch_state *)0)->registry)},
    {"fetched", offsetof(struct fetch_state, fetched), sizeof(((struct fetch_state *)0)->fetched)},
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static bool printable(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
                        return false;
        return true;
}

/* Reads one "key value" line of @n bytes into @s.  Unknown keys are skipped. */
static int parse_line(const char *line, size_t n, struct fetch_state *s)
{
        if (n == 0 || line[0] == '#')
                return 0;
        for (size_t i = 0; i < N_FIELDS; i++) {
                size_t k = strlen(fields[i].key);
                char *dst = (char *)s + fields[i].off;

                if (n <= k || strncmp(line, fields[i].key, k) != 0 || line[k] != ' ')
                        continue;
                if (n - k - 1 >= fields[i].cap || !printable(line + k + 1, n - k - 1))
                        return -EINVAL;
                memcpy(dst, line + k + 1, n - k - 1);
                dst[n - k - 1] = '\0';
                return 0;
        }
        return 0;
}

int fetch_state_read(int dirfd, struct fetch_state *ret)
{
        char buf[FETCH_STATE_MAX + 1];
        struct fetch_state s = {0};
        _cleanup_close_ int fd = -1;
        struct stat st;
        ssize_t n;
        size_t len = 0;

        fd = openat(dirfd, FETCH_STATE_NAME, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (fd < 0)
                return errno == ELOOP ? -EINVAL : -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || st.st_size > FETCH_STATE_MAX)
                return -EINVAL;
        while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                len += (size_t)n;
        }
        buf[len] = '\0';
        for (char *p = buf, *nl; p < buf + len; p = nl + 1) {
                nl = memchr(p, '\n', (size_t)(buf + len - p));
                if (!nl)
                        return -EINVAL; /* cut short */
                if (parse_line(p, (size_t)(nl - p), &s) < 0)
                        return -EINVAL;
        }
        if (!s.url[0])
                return -EINVAL;
        *ret = s;
        return 0;
}

int fetch_state_format(const struct fetch_state *s, char *out, size_t cap)
{
        int n = snprintf(out, cap,
                         "# portinfo update --fetch: the last successful download, for a "
                         "conditional request\n");
        size_t len = n > 0 ? (size_t)n : 0;

        for (size_t i = 0; i < N_FIELDS && len < cap; i++) {
                const char *v = (const char *)s + fields[i].off;

                if (!v[0] || !printable(v, strlen(v)))
                        continue;
                n = snprintf(out + len, cap - len, "%s %s\n", fields[i].key, v);
                if (n < 0)
                        return -E2BIG;
                len += (size_t)n;
        }
        return len < cap ? (int)len : -E2BIG;
}

/* buf: a size-capped growable byte buffer, and the one place HTML escaping lives.
 *
 * Errors are sticky: after the first failure every add is a no-op and buf_error() says why,
 * so a renderer can add freely and check once at the end.
 */
#ifndef PORTINFO_BUF_H
#define PORTINFO_BUF_H

#include <stddef.h>

struct buf {
        char *data; /* NUL-terminated when non-NULL */
        size_t len, cap, max;
        int err; /* 0, -E2BIG (max reached) or -ENOMEM */
};

/* Starts an empty buffer that refuses to grow past @max bytes. */
void buf_init(struct buf *b, size_t max);
/* Frees the buffer's memory; the struct may be reused after buf_init. */
void buf_done(struct buf *b);

void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends @s with & < > " ' escaped, and control characters other than tab and newline
 * dropped: safe inside element content and quoted attribute values. */
void buf_add_html(struct buf *b, const char *s);
/* Appends @s percent-encoded for a URL query value (unreserved characters kept). */
void buf_add_url(struct buf *b, const char *s);
/* Appends @s as the inside of a Prometheus label value (text exposition format): backslash,
 * double quote and newline escaped (\\ \" \n), each byte that is not part of well-formed
 * UTF-8 replaced by U+FFFD.  The result is one line whatever @s holds. */
void buf_add_prom_label(struct buf *b, const char *s);

/* Makes room for @n more bytes and returns where they go, for a producer that writes in place
 * (an encoder); NULL on error, which sticks.  Nothing counts until buf_commit(b, used), with
 * used <= @n, adds what was written. */
char *buf_space(struct buf *b, size_t n);
void buf_commit(struct buf *b, size_t n);

/* 0 or the first error. */
int buf_error(const struct buf *b);
/* Hands the contents over (caller frees) and leaves @b empty; NULL if empty or failed. */
char *buf_take(struct buf *b, size_t *ret_len);

#endif

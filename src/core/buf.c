/* buf: capped growable buffer with HTML and URL escaping.
 *
 * Does no I/O.  JSON is built with jansson, not here.
 */
#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
        memset(b, 0, sizeof(*b));
        b->max = max;
}

void buf_done(struct buf *b)
{
        free(b->data);
        b->data = NULL;
        b->len = b->cap = 0;
        b->err = 0;
}

/* Makes room for @n more bytes plus the terminating NUL. */
static int reserve(struct buf *b, size_t n)
{
        size_t need, ncap;
        char *nd;

        if (b->err)
                return b->err;
        if (n > b->max || b->len > b->max - n) {
                b->err = -E2BIG;
                return b->err;
        }
        need = b->len + n + 1;
        if (need <= b->cap)
                return 0;
        ncap = b->cap ? b->cap : 256;
        while (ncap < need)
                ncap *= 2;
        if (ncap > b->max + 1)
                ncap = b->max + 1;
        nd = realloc(b->data, ncap);
        if (!nd) {
                b->err = -ENOMEM;
                return b->err;
        }
        b->data = nd;
        b->cap = ncap;
        return 0;
}

char *buf_space(struct buf *b, size_t n)
{
        return reserve(b, n) < 0 ? NULL : b->data + b->len;
}

void buf_commit(struct buf *b, size_t n)
{
        b->len += n;
        b->data[b->len] = '\0';
}

void buf_add(struct buf *b, const void *p, size_t n)
{
        if (reserve(b, n) < 0)
                return;
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
        buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
        va_list ap;
        int n;

        if (b->err)
                return;
        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
                b->err = -EINVAL;
                return;
        }
        if (reserve(b, (size_t)n) < 0)
                return;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t)n;
}

void buf_add_html(struct buf *b, const char *s)
{
        const char *run = s;

        for (; *s; s++) {
                const char *rep;
                unsigned char c = (unsigned char)*s;

                switch (c) {
                case '&':
                        rep = "&amp;";
                        break;
                case '<':
                        rep = "&lt;";
                        break;
                case '>':
                        rep = "&gt;";
                        break;
                case '"':
                        rep = "&quot;";
                        break;
                case '\'':
                        rep = "&#39;";
                        break;
                default:
                        rep = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? "" : NULL;
                }
                if (!rep)
                        continue;
                buf_add(b, run, (size_t)(s - run));
                buf_adds(b, rep);
                run = s + 1;
        }
        buf_add(b, run, (size_t)(s - run));
}

void buf_add_url(struct buf *b, const char *s)
{
        static const char hex[] = "0123456789ABCDEF";

        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;

                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~') {
                        buf_add(b, s, 1);
                } else {
                        char enc[3] = {'%', hex[c >> 4], hex[c & 15]};

                        buf_add(b, enc, 3);
                }
        }
}

/* The length of the well-formed UTF-8 sequence at @s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
        size_t n;
        unsigned lo = 0x80, hi = 0xbf;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                n = 2;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                n = 3;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                n = 4;
        else
                return 0;
        if (s[0] == 0xe0)
                lo = 0xa0;
        else if (s[0] == 0xed)
                hi = 0x9f;
        else if (s[0] == 0xf0)
                lo = 0x90;
        else if (s[0] == 0xf4)
                hi = 0x8f;
        if (s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < n; i++)
                if (s[i] < 0x80 || s[i] > 0xbf)
                        return 0;
        return n;
}

void buf_add_prom_label(struct buf *b, const char *s)
{
        const unsigned char *p = (const unsigned char *)s;

        while (*p) {
                size_t n = utf8_len(p);

                if (*p == '\\')
                        buf_add(b, "\\\\", 2);
                else if (*p == '"')
                        buf_add(b, "\\\"", 2);
                else if (*p == '\n')
                        buf_add(b, "\\n", 2);
                else if (n)
                        buf_add(b, p, n);
                else
                        buf_add(b, "\xef\xbf\xbd", 3);
                p += n ? n : 1;
        }
}

int buf_error(const struct buf *b)
{
        return b->err;
}

char *buf_take(struct buf *b, size_t *ret_len)
{
        char *d;

        if (b->err || !b->data)
                return NULL;
        d = b->data;
        if (ret_len)
                *ret_len = b->len;
        b->data = NULL;
        b->len = b->cap = 0;
        return d;
}

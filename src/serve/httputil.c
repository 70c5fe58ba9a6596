/* httputil: pure helpers for the web server: addresses, percent-decoding, form fields, port
 * path segments, the voter cookie, same-origin checks and log-safe URIs.
 *
 * No I/O and no allocation (the log helper appends to a caller's capped buffer).
 */
#include "httputil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vote.h"
#include "parse.h"

int httputil_parse_listen(const char *s, struct sockaddr_storage *ret_addr, socklen_t *ret_len)
{
        struct sockaddr_storage ss;
        char host[64];
        const char *port_s, *colon;
        uint16_t port;
        size_t n;

        memset(&ss, 0, sizeof(ss));
        if (s[0] == '[') {
                const char *close = strchr(s, ']');

                if (!close || close[1] != ':')
                        return -EINVAL;
                n = (size_t)(close - s - 1);
                port_s = close + 2;
                if (n == 0 || n >= sizeof(host))
                        return -EINVAL;
                memcpy(host, s + 1, n);
                host[n] = '\0';
        } else if ((colon = strrchr(s, ':'))) {
                n = (size_t)(colon - s);
                port_s = colon + 1;
                if (n == 0 || n >= sizeof(host) || memchr(s, ':', n))
                        return -EINVAL;
                memcpy(host, s, n);
                host[n] = '\0';
        } else {
                snprintf(host, sizeof(host), "127.0.0.1");
                port_s = s;
        }
        if (parse_port(port_s, &port) < 0)
                return -EINVAL;
        if (s[0] == '[') {
                struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

                if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
                        return -EINVAL;
                a->sin6_family = AF_INET6;
                a->sin6_port = htons(port);
                *ret_len = sizeof(*a);
        } else {
                struct sockaddr_in *a = (struct sockaddr_in *)&ss;

                if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
                        return -EINVAL;
                a->sin_family = AF_INET;
                a->sin_port = htons(port);
                *ret_len = sizeof(*a);
        }
        *ret_addr = ss;
        return 0;
}

char *httputil_format_addr(const struct sockaddr *sa, char *out, size_t cap)
{
        char host[INET6_ADDRSTRLEN] = "?";

        if (sa->sa_family == AF_INET6) {
                const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;

                inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
                snprintf(out, cap, "[%s]:%u", host, ntohs(a->sin6_port));
        } else {
                const struct sockaddr_in *a = (const struct sockaddr_in *)sa;

                inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
                snprintf(out, cap, "%s:%u", host, ntohs(a->sin_port));
        }
        return out;
}

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int httputil_decode(const char *s, size_t n, bool plus, char *out, size_t cap, size_t *ret_len)
{
        size_t o = 0;

        if (cap == 0)
                return -E2BIG;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];

                if (c == '%') {
                        int hi, lo;

                        if (n - i < 3)
                                return -EINVAL;
                        hi = hexval(s[i + 1]);
                        lo = hexval(s[i + 2]);
                        if (hi < 0 || lo < 0)
                                return -EINVAL;
                        c = (char)(hi * 16 + lo);
                        if (c == '\0')
                                return -EINVAL;
                        i += 2;
                } else if (c == '+' && plus) {
                        c = ' ';
                } else if (c == '\0') {
                        return -EINVAL;
                }
                if (o + 1 >= cap)
                        return -E2BIG;
                out[o++] = c;
        }
        out[o] = '\0';
        *ret_len = o;
        return 0;
}

int httputil_form_field(const char *s, size_t n, const char *name, char *out, size_t cap)
{
        size_t name_len = strlen(name), pos = 0;
        bool found = false;

        while (pos < n) {
                const char *field = s + pos;
                const char *amp = memchr(field, '&', n - pos);
                size_t flen = amp ? (size_t)(amp - field) : n - pos;
                const char *eq = memchr(field, '=', flen);
                size_t klen = eq ? (size_t)(eq - field) : flen;

                pos += flen + 1;
                if (klen != name_len || memcmp(field, name, name_len) != 0)
                        continue;
                if (found)
                        return -EINVAL; /* given twice: refuse rather than pick one */
                found = true;
                if (eq) {
                        size_t len;
                        int r = httputil_decode(eq + 1, flen - klen - 1, true, out, cap, &len);

                        if (r < 0)
                                return r;
                } else {
                        if (cap == 0)
                                return -E2BIG;
                        out[0] = '\0';
                }
        }
        return found ? 0 : -ENOENT;
}

int httputil_parse_port(const char *s, size_t n, uint16_t *ret_port, bool *ret_canonical)
{
        uint16_t port;
        int r = parse_port_n(s, n, &port);

        if (r < 0)
                return r;
        *ret_port = port;
        *ret_canonical = !(n > 1 && s[0] == '0');
        return 0;
}

bool httputil_cookie_voter(const char *cookie, char out[33])
{
        size_t n = strlen(cookie), i = 0;

        while (i < n) {
                size_t start, len;

                while (i < n && (cookie[i] == ' ' || cookie[i] == '\t' || cookie[i] == ';'))
                        i++;
                start = i;
                while (i < n && cookie[i] != ';')
                        i++;
                len = i - start;
                while (len > 0 &&
                       (cookie[start + len - 1] == ' ' || cookie[start + len - 1] == '\t'))
                        len--;
                if (len == 6 + VOTER_ID_LEN && strncmp(cookie + start, "voter=", 6) == 0) {
                        char id[VOTER_ID_LEN + 1];

                        for (size_t k = 0; k < VOTER_ID_LEN; k++)
                                id[k] = cookie[start + 6 + k];
                        id[VOTER_ID_LEN] = '\0';
                        if (voter_id_valid(id)) {
                                for (size_t k = 0; k <= VOTER_ID_LEN; k++)
                                        out[k] = id[k];
                                return true;
                        }
                }
        }
        return false;
}

/* Compares host[:port] texts, treating ":80" (http) and ":443" (https) as no port. */
static bool same_authority(const char *a, size_t alen, const char *b, size_t blen,
                           const char *default_port)
{
        size_t dlen = strlen(default_port);

        if (alen > dlen && memcmp(a + alen - dlen, default_port, dlen) == 0)
                alen -= dlen;
        if (blen > dlen && memcmp(b + blen - dlen, default_port, dlen) == 0)
                blen -= dlen;
        return alen == blen && strncasecmp(a, b, alen) == 0;
}

bool httputil_same_origin(const char *origin, const char *host, const char *sec_fetch_site)
{
        if (sec_fetch_site && strcmp(sec_fetch_site, "same-origin") != 0 &&
            strcmp(sec_fetch_site, "none") != 0)
                return false;
        if (!origin)
                return true;
        if (!host || !host[0])
                return false;
        if (strncmp(origin, "http://", 7) == 0)
                return same_authority(origin + 7, strlen(origin + 7), host, strlen(host), ":80");
        if (strncmp(origin, "https://", 8) == 0)
                return same_authority(origin + 8, strlen(origin + 8), host, strlen(host), ":443");
        return false; /* "null" and every other scheme */
}

bool httputil_referer_is_polish(const char *referer, const char *host)
{
        const char *rest;
        size_t hlen;

        if (!referer || !host || !host[0])
                return false;
        if (strncmp(referer, "http://", 7) == 0)
                rest = referer + 7;
        else if (strncmp(referer, "https://", 8) == 0)
                rest = referer + 8;
        else
                return false;
        hlen = strlen(host);
        return strncasecmp(rest, host, hlen) == 0 && strncmp(rest + hlen, "/pl/", 4) == 0;
}

bool httputil_accepts_json(const char *accept)
{
        return accept && strstr(accept, "application/json") != NULL;
}

void httputil_log_uri(struct buf *b, const char *uri, size_t max)
{
        static const char hex[] = "0123456789ABCDEF";
        size_t i;

        for (i = 0; uri[i] && i < max; i++) {
                unsigned char c = (unsigned char)uri[i];

                if (c > 0x20 && c < 0x7f && c != '"' && c != '\\') {
                        buf_add(b, &uri[i], 1);
                } else {
                        char enc[3] = {'%', hex[c >> 4], hex[c & 15]};

                        buf_add(b, enc, 3);
                }
        }
        if (uri[i])
                buf_adds(b, "...");
}

int httputil_static_path(const char *s, size_t n, char *out, size_t cap)
{
        size_t seg = 0;

        if (n == 0 || n >= cap)
                return n == 0 ? -EINVAL : -E2BIG;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];

                if (c == '/') {
                        if (seg == 0)
                                return -EINVAL; /* empty segment: "//" or a leading slash */
                        seg = 0;
                } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                           (c == '.' && seg > 0)) {
                        seg++;
                } else {
                        /* '%' (nothing here needs escaping, so any escape is an attempt),
                         * '\\', NUL, a leading dot ("..", ".hidden") and the rest. */
                        return -EINVAL;
                }
        }
        if (seg == 0)
                return -EINVAL;
        memcpy(out, s, n);
        out[n] = '\0';
        return 0;
}

bool httputil_utf8_valid(const char *s, size_t n)
{
        const unsigned char *p = (const unsigned char *)s, *end = p + n;

        while (p < end) {
                unsigned c = *p++, need, min, cp;

                if (c < 0x80)
                        continue;
                if (c >= 0xc2 && c <= 0xdf) {
                        need = 1;
                        min = 0x80;
                        cp = c & 0x1f;
                } else if (c >= 0xe0 && c <= 0xef) {
                        need = 2;
                        min = 0x800;
                        cp = c & 0x0f;
                } else if (c >= 0xf0 && c <= 0xf4) {
                        need = 3;
                        min = 0x10000;
                        cp = c & 0x07;
                } else {
                        return false; /* a continuation byte, or 0xc0, 0xc1, 0xf5-0xff */
                }
                if ((size_t)(end - p) < need)
                        return false;
                for (unsigned i = 0; i < need; i++, p++) {
                        if ((*p & 0xc0) != 0x80)
                                return false;
                        cp = cp << 6 | (*p & 0x3f);
                }
                if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                        return false;
        }
        return true;
}

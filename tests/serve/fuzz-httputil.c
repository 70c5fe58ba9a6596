/* fuzz-httputil: the web server's parsers of request text (httputil.c).
 *
 * The first byte picks the parser, the rest is its input; for the same-origin check the rest is
 * three lines (Origin, Host, Sec-Fetch-Site).  What must hold: no read outside the input, every
 * output NUL-terminated within its capacity, and each "accepted" answer really is what the
 * caller will rely on (a port in range, a voter id of 32 hex digits, a static name without
 * traversal, a log line with nothing a log reader could trip on).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "httputil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed check aborts, so that libFuzzer and the replay both see it. */
#define FUZZ_CHECK(cond)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)

static char *text(const uint8_t *data, size_t size)
{
        char *s = malloc(size + 1);

        FUZZ_CHECK(s != NULL);
        memcpy(s, data, size);
        s[size] = '\0';
        return s;
}

static void check_static(const char *in, size_t n)
{
        char out[64];

        if (httputil_static_path(in, n, out, sizeof(out)) < 0)
                return;
        FUZZ_CHECK(strlen(out) == n);
        FUZZ_CHECK(out[0] != '.' && out[0] != '/');
        FUZZ_CHECK(strstr(out, "/.") == NULL && strstr(out, "//") == NULL);
        FUZZ_CHECK(
            strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *in;
        size_t n;
        char *s;

        if (size == 0)
                return 0;
        in = (const char *)data + 1;
        n = size - 1;
        switch (data[0] % 8) {
        case 0: {
                char out[32];
                size_t len = 0;

                if (httputil_decode(in, n, data[0] & 8, out, sizeof(out), &len) == 0) {
                        FUZZ_CHECK(len < sizeof(out) && len <= n);
                        FUZZ_CHECK(strlen(out) == len);
                }
                break;
        }
        case 1: {
                char out[16];

                if (httputil_form_field(in, n, "vote", out, sizeof(out)) == 0)
                        FUZZ_CHECK(strlen(out) < sizeof(out));
                break;
        }
        case 2: {
                uint16_t port;
                bool canonical;

                if (httputil_parse_port(in, n, &port, &canonical) == 0) {
                        FUZZ_CHECK(n > 0);
                        for (size_t i = 0; i < n; i++)
                                FUZZ_CHECK(in[i] >= '0' && in[i] <= '9');
                }
                break;
        }
        case 3: {
                char id[33];

                s = text((const uint8_t *)in, n);
                if (httputil_cookie_voter(s, id))
                        FUZZ_CHECK(strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32);
                free(s);
                break;
        }
        case 4: {
                char *origin, *host, *site, *nl;

                s = text((const uint8_t *)in, n);
                origin = s;
                host = (nl = strchr(origin, '\n')) ? (*nl = '\0', nl + 1) : NULL;
                site = host && (nl = strchr(host, '\n')) ? (*nl = '\0', nl + 1) : NULL;
                (void)httputil_same_origin(origin[0] ? origin : NULL, host, site);
                (void)httputil_referer_is_polish(origin, host);
                (void)httputil_accepts_json(origin);
                free(s);
                break;
        }
        case 5: {
                struct buf b;

                s = text((const uint8_t *)in, n);
                buf_init(&b, 4096);
                httputil_log_uri(&b, s, 512);
                for (size_t i = 0; b.data && i < b.len; i++)
                        FUZZ_CHECK(b.data[i] > 0x20 && b.data[i] < 0x7f && b.data[i] != '"' &&
                                   b.data[i] != '\\');
                buf_done(&b);
                free(s);
                break;
        }
        case 6:
                check_static(in, n);
                break;
        default: {
                struct sockaddr_storage ss;
                socklen_t len;

                s = text((const uint8_t *)in, n);
                if (httputil_parse_listen(s, &ss, &len) == 0)
                        FUZZ_CHECK(ss.ss_family == AF_INET || ss.ss_family == AF_INET6);
                free(s);
                break;
        }
        }
        return 0;
}

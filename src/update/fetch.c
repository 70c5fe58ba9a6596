/* fetch: one HTTP(S) download of a registry file into memory with libcurl.
 *
 * HTTPS with libcurl's own certificate checks (plain http only to the loopback host, where the
 * tests serve their fixtures), at most FETCH_MAX_REDIRECTS redirects and only to https, a
 * conditional request from the last answer's ETag and Last-Modified, the body capped while it
 * arrives, a connect timeout, a whole-transfer timeout and a stall timeout.  No printing, no
 * files: update_fetch.c decides what the bytes become.
 */
#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"

/* A connection that takes longer than this (or the whole --timeout, if shorter) is given up;
 * so is a transfer that moves no byte for as long. */
#define FETCH_CONNECT_TIMEOUT 30L
#define FETCH_STALL_TIME      30L

bool fetch_validator_ok(const char *s)
{
        size_t n = 0;

        for (; s[n]; n++)
                if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e)
                        return false;
        return n > 0 && n < FETCH_MAX_VALIDATOR;
}

static bool is_loopback_host(const char *host)
{
        return strcasecmp(host, "localhost") == 0 || strcmp(host, "127.0.0.1") == 0 ||
               strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;
}

/* The scheme of @url and whether its host is the loopback host.  Returns 0 or -EINVAL. */
static int url_parts(const char *url, bool *ret_https, bool *ret_loopback)
{
        CURLU *u = curl_url();
        char *scheme = NULL, *host = NULL;
        int r = -EINVAL;

        if (!u)
                return -ENOMEM;
        if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
                *ret_https = strcasecmp(scheme, "https") == 0;
                *ret_loopback = is_loopback_host(host);
                r = strcasecmp(scheme, "https") == 0 || strcasecmp(scheme, "http") == 0 ? 0
                                                                                        : -EINVAL;
        }
        curl_free(scheme);
        curl_free(host);
        curl_url_cleanup(u);
        return r;
}

int fetch_url_allowed(const char *url, char *err, size_t cap)
{
        bool https = false, loopback = false;
        int r = url_parts(url, &https, &loopback);

        if (r == -ENOMEM) {
                snprintf(err, cap, "out of memory");
                return r;
        }
        if (r < 0) {
                snprintf(err, cap, "\"%s\" is not an http or https URL", url);
                return -EINVAL;
        }
        if (!https && !loopback) {
                snprintf(err, cap,
                         "\"%s\": plain http is refused (anyone on the way could change the "
                         "registry); use https",
                         url);
                return -EINVAL;
        }
        return 0;
}

/* Where the body goes while it arrives. */
struct sink {
        char *buf;
        size_t len, cap, max;
        bool too_big;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
        struct sink *s = userdata;
        size_t n = size * nmemb;

        if (n > s->max - s->len) {
                s->too_big = true;
                return 0; /* curl stops with CURLE_WRITE_ERROR */
        }
        if (s->len + n + 1 > s->cap) {
                size_t cap = s->cap ? s->cap : 1 << 16;
                char *p;

                while (cap < s->len + n + 1)
                        cap *= 2;
                if (cap > s->max + 1)
                        cap = s->max + 1;
                p = realloc(s->buf, cap);
                if (!p)
                        return 0;
                s->buf = p;
                s->cap = cap;
        }
        memcpy(s->buf + s->len, data, n);
        s->len += n;
        s->buf[s->len] = '\0';
        return n;
}

/* Copies the value of header line @line (@n bytes) into @out if its name is @name. */
static void header_value(const char *line, size_t n, const char *name, char *out)
{
        size_t k = strlen(name);
        char v[FETCH_MAX_VALIDATOR];
        size_t a, b;

        if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
                return;
        for (a = k + 1; a < n && (line[a] == ' ' || line[a] == '\t'); a++)
                ;
        for (b = n; b > a && (line[b - 1] == '\r' || line[b - 1] == '\n' || line[b - 1] == ' ' ||
                              line[b - 1] == '\t');
             b--)
                ;
        if (b - a >= sizeof(v))
                return;
        memcpy(v, line + a, b - a);
        v[b - a] = '\0';
        if (fetch_validator_ok(v))
                memcpy(out, v, b - a + 1);
}

/* Keeps the validators of the last response only: a redirect's do not count. */
static size_t on_header(char *line, size_t size, size_t nmemb, void *userdata)
{
        struct fetch_result *r = userdata;
        size_t n = size * nmemb;

        if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
                r->etag[0] = r->last_modified[0] = '\0';
                return n;
        }
        header_value(line, n, "ETag", r->etag);
        header_value(line, n, "Last-Modified", r->last_modified);
        return n;
}

static void cleanup_slist(struct curl_slist **l)
{
        curl_slist_free_all(*l);
}

static void cleanup_easy(CURL **c)
{
        if (*c)
                curl_easy_cleanup(*c);
}

/* The conditional headers; *@ret stays NULL when there is nothing to send.  Returns 0 or
 * -ENOMEM. */
static int conditional_headers(const struct fetch_request *req, struct curl_slist **ret)
{
        char h[FETCH_MAX_VALIDATOR + 32];
        struct curl_slist *l = NULL, *t;

        if (req->etag && fetch_validator_ok(req->etag)) {
                snprintf(h, sizeof(h), "If-None-Match: %s", req->etag);
                if (!(t = curl_slist_append(l, h)))
                        goto oom;
                l = t;
        }
        if (req->last_modified && fetch_validator_ok(req->last_modified)) {
                snprintf(h, sizeof(h), "If-Modified-Since: %s", req->last_modified);
                if (!(t = curl_slist_append(l, h)))
                        goto oom;
                l = t;
        }
        *ret = l;
        return 0;
oom:
        curl_slist_free_all(l);
        return -ENOMEM;
}

/* Sets up @c for @req, the body into @s, the headers into @ret. */
static int setup(CURL *c, const struct fetch_request *req, struct curl_slist *hdrs, struct sink *s,
                 struct fetch_result *ret, char *errbuf, bool loopback_http)
{
        long connect = req->timeout < FETCH_CONNECT_TIMEOUT ? req->timeout : FETCH_CONNECT_TIMEOUT;
        long stall = req->timeout < FETCH_STALL_TIME ? req->timeout : FETCH_STALL_TIME;
        CURLcode e = CURLE_OK;

#define SET(opt, val)                                                                              \
        if (e == CURLE_OK)                                                                         \
        e = curl_easy_setopt(c, opt, val)
        SET(CURLOPT_URL, req->url);
        SET(CURLOPT_ERRORBUFFER, errbuf);
        SET(CURLOPT_NOSIGNAL, 1L);
        SET(CURLOPT_PROTOCOLS_STR, loopback_http ? "http,https" : "https");
        SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
        SET(CURLOPT_FOLLOWLOCATION, 1L);
        SET(CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRECTS);
        SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
        SET(CURLOPT_SSL_VERIFYPEER, 1L);
        SET(CURLOPT_SSL_VERIFYHOST, 2L);
        SET(CURLOPT_CONNECTTIMEOUT, connect);
        SET(CURLOPT_TIMEOUT, req->timeout);
        SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
        SET(CURLOPT_LOW_SPEED_TIME, stall);
        SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_bytes);
        SET(CURLOPT_ACCEPT_ENCODING, ""); /* gzip and the like, decoded before the cap */
        SET(CURLOPT_USERAGENT, req->user_agent);
        SET(CURLOPT_HTTPHEADER, hdrs);
        SET(CURLOPT_WRITEFUNCTION, on_body);
        SET(CURLOPT_WRITEDATA, s);
        SET(CURLOPT_HEADERFUNCTION, on_header);
        SET(CURLOPT_HEADERDATA, ret);
#undef SET
        return e == CURLE_OK ? 0 : -ENOMEM;
}

/* Turns curl's result @e into one of fetch_registry's return values, with words in @ret. */
static int transfer_error(CURLcode e, const struct sink *s, const char *errbuf,
                          const struct fetch_request *req, struct fetch_result *ret)
{
        const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(e);

        switch (e) {
        case CURLE_WRITE_ERROR:
        case CURLE_FILESIZE_EXCEEDED:
                if (e == CURLE_FILESIZE_EXCEEDED || s->too_big) {
                        snprintf(ret->error, sizeof(ret->error),
                                 "the registry is larger than %zu bytes (--max-size)",
                                 req->max_bytes);
                        return -E2BIG;
                }
                snprintf(ret->error, sizeof(ret->error), "out of memory");
                return -ENOMEM;
        case CURLE_OPERATION_TIMEDOUT:
                snprintf(ret->error, sizeof(ret->error),
                         "timed out after %ld seconds or stalled (--timeout): %s", req->timeout,
                         detail);
                return -ETIMEDOUT;
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
                snprintf(ret->error, sizeof(ret->error),
                         "the download was cut short after %zu bytes: %s", s->len, detail);
                return -EIO;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
                snprintf(ret->error, sizeof(ret->error), "cannot reach the server (offline?): %s",
                         detail);
                return -EHOSTUNREACH;
        case CURLE_UNSUPPORTED_PROTOCOL:
                snprintf(ret->error, sizeof(ret->error),
                         "refused a redirect to a URL that is not https: %s", detail);
                return -EINVAL;
        default:
                snprintf(ret->error, sizeof(ret->error), "%s", detail);
                return -ECONNABORTED;
        }
}

/* What a completed transfer says: 0 (200), 1 (304) or an error. */
static int transfer_done(CURL *c, const struct sink *s, const struct fetch_request *req,
                         struct fetch_result *ret)
{
        curl_off_t expect = -1, got = -1;

        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ret->status);
        if (ret->status == 304)
                return 1;
        if (ret->status != 200) {
                snprintf(ret->error, sizeof(ret->error), "the server answered HTTP %ld for %s",
                         ret->status, req->url);
                return -EPROTO;
        }
        /* curl refuses a body shorter than its Content-Length; this says so even if not. */
        curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expect);
        curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &got);
        if (expect >= 0 && got >= 0 && expect != got) {
                snprintf(ret->error, sizeof(ret->error),
                         "the download was cut short: %lld of %lld bytes", (long long)got,
                         (long long)expect);
                return -EIO;
        }
        if (s->len == 0) {
                snprintf(ret->error, sizeof(ret->error), "the server sent an empty body");
                return -EIO;
        }
        return 0;
}

int fetch_registry(const struct fetch_request *req, struct fetch_result *ret)
{
        static bool global_done;
        char errbuf[CURL_ERROR_SIZE] = "";
        struct sink s = {.max = req->max_bytes};
        __attribute__((cleanup(cleanup_slist))) struct curl_slist *hdrs = NULL;
        __attribute__((cleanup(cleanup_easy))) CURL *c = NULL;
        bool https = false, loopback = false;
        CURLcode e;
        int r;

        memset(ret, 0, sizeof(*ret));
        r = fetch_url_allowed(req->url, ret->error, sizeof(ret->error));
        if (r < 0)
                return r;
        url_parts(req->url, &https, &loopback);
        if (!global_done && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
                snprintf(ret->error, sizeof(ret->error), "libcurl failed to start");
                return -ENOMEM;
        }
        global_done = true;
        c = curl_easy_init();
        if (!c || conditional_headers(req, &hdrs) < 0 ||
            setup(c, req, hdrs, &s, ret, errbuf, !https && loopback) < 0) {
                snprintf(ret->error, sizeof(ret->error), "out of memory");
                return -ENOMEM;
        }
        e = curl_easy_perform(c);
        r = e == CURLE_OK ? transfer_done(c, &s, req, ret)
                          : transfer_error(e, &s, errbuf, req, ret);
        if (r == 0) {
                ret->body = TAKE_PTR(s.buf);
                ret->len = s.len;
        }
        free(s.buf);
        return r;
}

void fetch_result_done(struct fetch_result *r)
{
        free(r->body);
        r->body = NULL;
        r->len = 0;
}

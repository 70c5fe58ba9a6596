/* reply: status pages, redirects, and the way every answer goes out: the security headers,
 * Content-Type and Cache-Control as one block after the status line, bodies by reference.
 *
 * Knows the shape of an answer, not what any page says (render_html, render_json) nor which
 * route asked for it (routes.c).
 */
#include "reply.h"

#include <event2/bufferevent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "negotiate.h"
#include "server.h"

/* The powerful features no page of the site uses, refused for the page and anything it could
 * embed.  Only names Chromium knows: an unknown one is a console error ("Unrecognized feature",
 * a Lighthouse "Best Practices" finding; checked with Debian's chromium).  The retired
 * "interest-cohort" is not here: it does nothing in current browsers. */
#define PERMISSIONS_POLICY                                                                         \
        "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "          \
        "magnetometer=(), microphone=(), payment=(), usb=()"

static void free_cb(const void *data, size_t len, void *arg)
{
        free((void *)data);
}

static void unref_cb(const void *data, size_t len, void *arg)
{
        pagecache_unref(arg);
}

void reply_guard_init(struct reply_guard *g, const char *vote_url)
{
        char src[HTTP_MAX_URL + 3] = "", csp[REPLY_CSP_MAX];

        /* A CSP source with a path matches that exact path only, unless it ends in '/': a vote
         * URL with a path (https://example.org/portinfo) must cover what lies under it. */
        if (vote_url && vote_url[0]) {
                const char *host = strstr(vote_url, "://");
                bool has_path = host && strchr(host + 3, '/');

                snprintf(src, sizeof(src), " %s%s", vote_url, has_path ? "/" : "");
        }
        snprintf(csp, sizeof(csp),
                 "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'%s; form-action 'self'%s; frame-ancestors 'none'; "
                 "base-uri 'none'",
                 src, src);
        snprintf(g->lines, sizeof(g->lines),
                 "Content-Security-Policy: %s\r\nX-Content-Type-Options: nosniff\r\n"
                 "X-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n"
                 "Permissions-Policy: " PERMISSIONS_POLICY "\r\n",
                 csp);
        g->security_len = strlen(g->lines);
        snprintf(g->lines + g->security_len, sizeof(g->lines) - g->security_len,
                 "Cache-Control: no-store\r\n");
        g->len = strlen(g->lines);
}

void reply_html_ctx(const struct worker *w, const struct reqinfo *ri, struct html_ctx *ctx)
{
        memset(ctx, 0, sizeof(*ctx));
        ctx->lang = ri->lang;
        ctx->site_name = w->cfg->site_name;
        ctx->vote_action = w->cfg->vote_url;
        ctx->base_url = w->cfg->base_url;
        ctx->counts = NULL;
        ctx->my_vote = -1;
        if (w->cfg->web) {
                ctx->assets = w->cfg->web->assets;
                ctx->n_assets = w->cfg->web->n;
        }
}

void reply_body_owned(struct reply *rp, char *data, size_t len)
{
        rp->owned = data;
        rp->len = len;
}

void reply_json_text(struct reply *rp, int status, const char *cache, char *text)
{
        rp->status = status;
        rp->type = "application/json";
        rp->cache = cache;
        reply_body_owned(rp, text, text ? strlen(text) : 0);
        if (!text) {
                rp->status = 500;
                rp->fixed = "{\"error\":\"out of memory\"}";
                rp->len = strlen(rp->fixed);
        }
}

void reply_error(struct worker *w, const struct reqinfo *ri, struct reply *rp, int status,
                 const char *message)
{
        struct html_ctx ctx;
        struct buf b;

        rp->status = status;
        rp->cache = "no-store";
        free(rp->owned);
        rp->owned = NULL;
        if (rp->cached) {
                pagecache_unref(rp->cached);
                rp->cached = NULL;
        }
        rp->answer = NULL;
        rp->tag_owned = false;
        rp->last_mod = 0;
        if (ri->api || ri->wants_json) {
                char *text = NULL;

                if (asprintf(&text, "{\"error\":\"%s\",\"status\":%d}", message, status) < 0)
                        text = NULL;
                reply_json_text(rp, status, "no-store", text);
                rp->status = status;
                return;
        }
        reply_html_ctx(w, ri, &ctx);
        buf_init(&b, MAX_PAGE_BYTES);
        if (render_html_error(&b, status, &ctx) == 0 && b.len > 0) {
                size_t len;
                char *data = buf_take(&b, &len);

                rp->type = "text/html; charset=utf-8";
                reply_body_owned(rp, data, len);
                return;
        }
        buf_done(&b);
        rp->type = "text/plain; charset=utf-8";
        rp->fixed = message;
        rp->len = strlen(message);
}

void reply_redirect(struct reply *rp, int status, const char *fmt, ...)
{
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(rp->location, sizeof(rp->location), fmt, ap);
        va_end(ap);
        /* Cannot be (the buffer holds an allowed origin and any page's path), but a cut address
         * could name another host: go home instead. */
        if (n < 0 || (size_t)n >= sizeof(rp->location))
                snprintf(rp->location, sizeof(rp->location), "/");
        rp->status = status;
        rp->type = "text/plain; charset=utf-8";
        rp->cache = status == 301 ? "public, max-age=86400" : "no-store";
        rp->fixed = "";
        rp->len = 0;
}

void reply_preflight(struct reply *rp)
{
        rp->status = 204;
        rp->type = "text/plain; charset=utf-8";
        rp->cache = "no-store";
        rp->fixed = "";
        rp->len = 0;
        rp->allow = "GET, HEAD, POST";
        rp->preflight = true;
}

/* What write_head puts after the security headers. */
struct head_fields {
        const char *type, *cache;
        bool with_length; /* a HEAD answer: the length evhttp would not send */
        size_t len;
        enum encoding enc; /* Content-Encoding, unless identity */
        bool vary, noindex;
        const char *origin_vary; /* "Origin, " when a CORS origin was answered, else "" */
        const char *etag;        /* NULL: none */
        const char *last_mod;    /* NULL: none */
};

/* Appends one formatted line to w->head; false when it did not fit. */
static bool head_line(struct worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool head_line(struct worker *w, const char *fmt, ...)
{
        size_t room = sizeof(w->head) - w->head_len;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(w->head + w->head_len, room, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= room)
                return false;
        w->head_len += (size_t)n;
        return true;
}

/* Writes w->head: the security headers (already there), then Content-Type, Cache-Control and
 * what @f adds, as one block (the values are ours and short). */
static void write_head(struct worker *w, struct evkeyvalq *h, const struct head_fields *f)
{
        static const char *const enc_names[ENC_COUNT] = {NULL, "gzip", "br"};
        bool ok;

        w->head_len = w->srv->guard.security_len;
        ok = head_line(w, "Content-Type: %s\r\nCache-Control: %s\r\n", f->type, f->cache) &&
             (!f->with_length || head_line(w, "Content-Length: %zu\r\n", f->len)) &&
             (!enc_names[f->enc] || head_line(w, "Content-Encoding: %s\r\n", enc_names[f->enc])) &&
             (!f->vary || head_line(w, "Vary: %sAccept-Encoding\r\n", f->origin_vary)) &&
             (!f->etag || head_line(w, "ETag: %s\r\n", f->etag)) &&
             (!f->last_mod || head_line(w, "Last-Modified: %s\r\n", f->last_mod)) &&
             (!f->noindex || head_line(w, "X-Robots-Tag: noindex\r\n"));
        if (!ok) { /* cannot be: REPLY_HEAD_MAX has room for every line */
                w->head_len = w->srv->guard.security_len;
                evhttp_add_header(h, "Content-Type", f->type);
                evhttp_add_header(h, "Cache-Control", f->cache);
        }
}

/* The header lines that vary from answer to answer, given to evhttp in this order. */
static void add_headers(struct worker *w, struct evkeyvalq *h, const struct reqinfo *ri,
                        const struct reply *rp)
{
        if (ri->cors_origin) {
                evhttp_add_header(h, "Access-Control-Allow-Origin", ri->cors_origin);
                evhttp_add_header(h, "Access-Control-Allow-Credentials", "true");
                if (!rp->vary) /* else in the one Vary line of the head */
                        evhttp_add_header(h, "Vary", "Origin");
        }
        if (rp->location[0])
                evhttp_add_header(h, "Location", rp->location);
        if (rp->cookie[0])
                evhttp_add_header(h, "Set-Cookie", rp->cookie);
        if (rp->allow)
                evhttp_add_header(h, "Allow", rp->allow);
        if (rp->retry_after > 0) {
                char secs[24];

                snprintf(secs, sizeof(secs), "%ld", rp->retry_after);
                evhttp_add_header(h, "Retry-After", secs);
        }
        if (rp->preflight) {
                evhttp_add_header(h, "Access-Control-Allow-Methods", "GET, HEAD, POST");
                evhttp_add_header(h, "Access-Control-Allow-Headers", "Accept, Content-Type");
                evhttp_add_header(h, "Access-Control-Max-Age", "600");
        }
        if (w->draining)
                evhttp_add_header(h, "Connection", "close");
}

/* The Last-Modified text for @t, formatted once per distinct time in this loop. */
static const char *last_mod_text(struct worker *w, time_t t)
{
        if (t != w->lm_time) {
                if (negotiate_http_date(t, w->lm_text, sizeof(w->lm_text)) < 0)
                        return NULL;
                w->lm_time = t;
        }
        return w->lm_text;
}

/* Whether the client already has this answer (RFC 9110 section 13.2.2: If-None-Match decides
 * when present, else If-Modified-Since, and only for GET and HEAD). */
static bool not_modified(struct evkeyvalq *in, const char *etag, time_t last_mod)
{
        const char *inm = evhttp_find_header(in, "If-None-Match"), *ims;
        time_t t;

        if (inm)
                return negotiate_etag_match(inm, etag);
        ims = last_mod ? evhttp_find_header(in, "If-Modified-Since") : NULL;
        return ims && negotiate_parse_http_date(ims, &t) == 0 && last_mod <= t;
}

/* Picks the encoding of rp->answer for @ri, points *data and *len at it and writes its ETag. */
static enum encoding pick_form(struct evkeyvalq *in, struct reply *rp, const char **data,
                               size_t *len, char *etag, size_t cap)
{
        const char *ae = evhttp_find_header(in, "Accept-Encoding");
        unsigned avail = encoded_encodings(rp->answer);
        enum encoding e = negotiate_encoding(ae, avail);
        const struct encoded_form *f;

        /* A form made only now may not have shrunk the bytes: then the next choice. */
        while (!(f = encoded_form(rp->answer, e))) {
                avail &= ~ENC_BIT(e);
                e = negotiate_encoding(ae, avail);
        }
        *data = f->data;
        *len = f->len;
        encoded_etag(rp->answer, e, etag, cap);
        return e;
}

void reply_send(struct worker *w, struct evhttp_request *req, const struct reqinfo *ri,
                struct reply *rp)
{
        struct evkeyvalq *h = evhttp_request_get_output_headers(req);
        struct evkeyvalq *in = evhttp_request_get_input_headers(req);
        const char *data = rp->owned ? rp->owned : rp->fixed;
        size_t len = rp->len;
        bool head_only = ri->cmd == EVHTTP_REQ_HEAD;
        char etag[ENCODED_ETAG_MAX] = "";
        struct head_fields f = {
            .type = rp->type ? rp->type : "text/plain; charset=utf-8",
            .cache = rp->cache ? rp->cache : "no-store",
            .vary = rp->vary || rp->answer,
            .noindex = rp->noindex || ri->api,
            .origin_vary = ri->cors_origin ? "Origin, " : "",
        };

        if (rp->answer)
                f.enc = pick_form(in, rp, &data, &len, etag, sizeof(etag));
        else if (rp->tag_owned && rp->owned && rp->status == 200) {
                char tag[17];

                encoded_hash(rp->owned, rp->len, w->cache->tag_seed, tag);
                snprintf(etag, sizeof(etag), "\"%s\"", tag);
        }
        if (etag[0]) {
                f.etag = etag;
                f.last_mod = rp->last_mod ? last_mod_text(w, rp->last_mod) : NULL;
                if (rp->status == 200 && not_modified(in, etag, rp->last_mod)) {
                        rp->status = 304;
                        len = 0;
                }
        }
        /* The security headers, Content-Type and the rest are not given to evhttp one by one,
         * which allocates, searches and formats each on every answer: they go out as one block
         * right after the status line (reply_on_output).  An answer to HEAD has the GET
         * answer's headers and no body; evhttp would send a body given to it, and no length,
         * so the length is written here. */
        f.with_length = head_only && rp->status != 204 && rp->status != 304;
        f.len = len;
        write_head(w, h, &f);
        add_headers(w, h, ri, rp);
        if (len > 0 && !head_only && rp->status != 304) {
                if (rp->cached)
                        evbuffer_add_reference(w->body, data, len, unref_cb, rp->cached);
                else if (rp->owned)
                        evbuffer_add_reference(w->body, data, len, free_cb, NULL);
                else
                        evbuffer_add_reference(w->body, data, len, NULL, NULL);
        } else {
                pagecache_unref(rp->cached);
                free(rp->owned);
        }
        rp->cached = NULL;
        rp->owned = NULL;
        w->answering = true;
        w->head_next = true;
        evhttp_send_reply(req, rp->status, NULL, w->body);
        w->answering = false;
        w->head_next = false;
        /* Whatever evhttp did not take (nothing, normally) is dropped here. */
        evbuffer_drain(w->body, evbuffer_get_length(w->body));
        rp->len = head_only || rp->status == 304 ? 0 : len;
}

/* Left to itself evhttp would switch the socket from reading to writing and back (two
 * epoll_ctl calls and a turn of the loop) only to learn that it is writable, which it nearly
 * always is.  This runs evhttp's own write callback, as the write event would. */
void reply_flush_now(struct evhttp_connection *evcon)
{
        struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
        struct evbuffer *out = bufferevent_get_output(bev);

        if (evbuffer_get_length(out) == 0)
                return;
        if (evbuffer_write(out, bufferevent_getfd(bev)) < 0 || evbuffer_get_length(out) > 0) {
                /* evhttp goes on reading while it writes, only to notice a close
                 * (evhttp_write_buffer,
                 * https://github.com/libevent/libevent/blob/5df3037d10556bfcb675bc73e516978b75fc7bc7/http.c#L380),
                 * and takes an end of stream then for the client gone (evhttp_error_cb, #L1561):
                 * a client that half-closes after its requests (as pipelining scripts and
                 * `nc -N` do) would lose every answer not yet written.  Reading resumes when
                 * evhttp starts on the next request; a client really gone shows as a write
                 * error, or the write timeout. */
                bufferevent_disable(bev, EV_READ);
                return;
        }
        bufferevent_trigger(bev, EV_WRITE, 0);
}

/* True when the @n bytes at @off in @buf begin a status line: "HTTP/", the version evhttp
 * echoes from the request (1.1, 1.0, and also 0.9 or -1.1, which it takes), a space and a
 * three-digit code, which goes to @code. */
static bool status_line_at(struct evbuffer *buf, size_t off, size_t n, char code[3])
{
        struct evbuffer_ptr p;
        char head[48];
        size_t k = n < sizeof(head) ? n : sizeof(head);
        const char *sp;

        if (k < 12 || evbuffer_ptr_set(buf, &p, off, EVBUFFER_PTR_SET) < 0 ||
            evbuffer_copyout_from(buf, &p, head, k) != (ev_ssize_t)k ||
            memcmp(head, "HTTP/", 5) != 0)
                return false;
        sp = memchr(head + 5, ' ', k - 5);
        if (!sp || (size_t)(sp - head) + 4 > k)
                return false;
        memcpy(code, sp + 1, 3);
        return true;
}

/* evhttp writes an answer's status line with one add to the output buffer, then its header
 * lines, then the body: the block is added when that first add is seen.
 *
 * For reply_send's answers (w->head_next) the block also has their Content-Type and
 * Cache-Control.  evhttp also answers some requests itself, without reaching on_request (a
 * request line it cannot parse or a method it does not know, headers or a body over the caps);
 * such an answer starts in an empty output buffer while no handler is answering, and gets
 * "Cache-Control: no-store" too. */
bool reply_on_output(struct worker *w, struct evbuffer *buf, const struct evbuffer_cb_info *info,
                     char code[3])
{
        struct evbuffer_ptr eol;
        size_t eol_len = 0;

        if (w->answering) {
                /* The first add of an answer is its status line. */
                if (w->head_next) {
                        w->head_next = false;
                        if (status_line_at(buf, info->orig_size, info->n_added, code))
                                evbuffer_add(buf, w->head, w->head_len);
                }
                return false;
        }
        if (info->orig_size != 0 || !status_line_at(buf, 0, info->n_added, code) || code[0] == '1')
                return false; /* not the start of a final answer by evhttp itself ("100 Continue")
                               */
        /* Only when exactly the status line is in the buffer, so the headers follow it. */
        eol = evbuffer_search_eol(buf, NULL, &eol_len, EVBUFFER_EOL_CRLF_STRICT);
        if (eol.pos < 0 || (size_t)eol.pos + eol_len != evbuffer_get_length(buf))
                return false;
        evbuffer_add(buf, w->srv->guard.lines, w->srv->guard.len);
        return true;
}

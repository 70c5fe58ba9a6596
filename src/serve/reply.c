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
#include "server.h"

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
                 "X-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n",
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

/* Writes w->head: the security headers (already there), Content-Type, Cache-Control and, for
 * a HEAD answer with a body, the length evhttp would not send. */
static void write_head(struct worker *w, struct evkeyvalq *h, const char *type, const char *cache,
                       bool with_length, size_t len)
{
        size_t sec = w->srv->guard.security_len;
        int n;

        if (with_length)
                n = snprintf(w->head + sec, sizeof(w->head) - sec,
                             "Content-Type: %s\r\nCache-Control: %s\r\nContent-Length: %zu\r\n",
                             type, cache, len);
        else
                n = snprintf(w->head + sec, sizeof(w->head) - sec,
                             "Content-Type: %s\r\nCache-Control: %s\r\n", type, cache);
        w->head_len = sec + (size_t)n;
        if (n < 0 || w->head_len >= sizeof(w->head)) { /* cannot be: the values are short */
                w->head_len = sec;
                evhttp_add_header(h, "Content-Type", type);
                evhttp_add_header(h, "Cache-Control", cache);
        }
}

/* The header lines that vary from answer to answer, given to evhttp in this order. */
static void add_headers(struct worker *w, struct evkeyvalq *h, const struct reqinfo *ri,
                        const struct reply *rp)
{
        if (ri->cors_origin) {
                evhttp_add_header(h, "Access-Control-Allow-Origin", ri->cors_origin);
                evhttp_add_header(h, "Access-Control-Allow-Credentials", "true");
                evhttp_add_header(h, "Vary", "Origin");
        }
        if (rp->location[0])
                evhttp_add_header(h, "Location", rp->location);
        if (rp->cookie[0])
                evhttp_add_header(h, "Set-Cookie", rp->cookie);
        if (rp->allow)
                evhttp_add_header(h, "Allow", rp->allow);
        if (rp->preflight) {
                evhttp_add_header(h, "Access-Control-Allow-Methods", "GET, HEAD, POST");
                evhttp_add_header(h, "Access-Control-Allow-Headers", "Accept, Content-Type");
                evhttp_add_header(h, "Access-Control-Max-Age", "600");
        }
        if (rp->etag)
                evhttp_add_header(h, "ETag", rp->etag);
        if (w->draining)
                evhttp_add_header(h, "Connection", "close");
}

void reply_send(struct worker *w, struct evhttp_request *req, const struct reqinfo *ri,
                struct reply *rp)
{
        struct evkeyvalq *h = evhttp_request_get_output_headers(req);
        const char *data = rp->cached ? rp->cached->data : rp->owned ? rp->owned : rp->fixed;
        size_t len = rp->cached ? rp->cached->len : rp->len;
        bool head_only = ri->cmd == EVHTTP_REQ_HEAD;

        /* The security headers, Content-Type and Cache-Control are not given to evhttp one by
         * one, which allocates, searches and formats each on every answer: they go out as one
         * block right after the status line (reply_on_output).  Their values are ours.  An
         * answer to HEAD has the GET answer's headers and no body; evhttp would send a body
         * given to it, and no length, so the length is written here. */
        write_head(w, h, rp->type ? rp->type : "text/plain; charset=utf-8",
                   rp->cache ? rp->cache : "no-store",
                   head_only && rp->status != 204 && rp->status != 304, len);
        add_headers(w, h, ri, rp);
        if (len > 0 && !head_only) {
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
        rp->len = head_only ? 0 : len;
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

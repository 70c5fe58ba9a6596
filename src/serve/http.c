/* http: evhttp glue and the route table of `portinfo serve`.
 *
 * One event loop per thread, each with its own SO_REUSEPORT socket on the same address, its
 * own vote-store handle and its own page cache: threads share only read-only data (the port
 * table, the static folder, the configuration) and the access log's lock.  Pages are built by
 * render_html, JSON by render_json; nothing here knows what a page says.
 */
#include "http.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "feedback.h"
#include "httputil.h"
#include "metrics.h"
#include "pagecache.h"
#include "render.h"
#include "render_html.h"

#define LOG_FLUSH_BYTES      16384
#define LOG_MAX_BYTES        (1u << 20)
#define LOG_MAX_URI          512
#define TICK_MS              100
#define SHED_PER_TICK        16       /* connections a full thread closes per tick to make room */
#define VOTER_COOKIE_MAX_AGE 31536000 /* a year */

enum answer_kind {
        KIND_HOME = 1,
        KIND_INDEX,
        KIND_PORT,
        KIND_API_PORT,
};

struct worker;

/* One accepted connection, counted from the moment evhttp asks for its bufferevent until
 * evhttp frees it (libevent 2.1 has no evhttp_set_max_connections). */
struct conn {
        struct conn *prev, *next;
        struct worker *w;
        struct bufferevent *bev;
        struct evhttp_connection *evcon; /* NULL while pending */
        struct evbuffer_cb_entry *in_cb, *out_cb;
        bool busy;         /* part of a request received and its answer not yet all sent */
        time_t busy_since; /* CLOCK_MONOTONIC_COARSE seconds when the request began */
};

struct conn_list {
        struct conn *head;
};

/* A table loaded on SIGHUP.  Tables are never freed while the server runs (a request may
 * still be reading the one before), so a reload costs one mapping of the file. */
struct db_node {
        struct db_node *prev;
        struct portdb db;
};

/* The Content-Security-Policy names the vote URL twice (connect-src, form-action); the header
 * lines around it take less than 192 bytes more. */
#define CSP_MAX   (256 + 2 * (HTTP_MAX_URL + 2))
#define GUARD_MAX (CSP_MAX + 192)

struct server {
        const struct http_config *cfg;
        _Atomic(const struct portdb *) db; /* the table in use; replaced whole on SIGHUP */
        struct db_node *loaded;            /* every table loaded on SIGHUP, newest first */
        atomic_ulong vote_gen; /* bumped after every recorded vote: cached counts are stale */
        /* The counters: a shard per worker, summed by GET /metrics. */
        struct metrics *metrics;
        char csp[CSP_MAX];
        /* The security headers every answer carries, as header lines: written as one block right
         * after each status line (see on_output_change), and for answers evhttp writes itself
         * followed by "Cache-Control: no-store" (guard_len covers both, security_len the first). */
        char guard_headers[GUARD_MAX];
        size_t guard_len, security_len;
        pthread_mutex_t log_lock;
};

struct worker {
        struct server *srv;
        const struct http_config *cfg;
        unsigned id;
        pthread_t thread;
        int listen_fd;
        int stop_fd; /* eventfd: the main thread writes to ask for a stop */
        struct event_base *base;
        struct evhttp *http;
        struct evhttp_bound_socket *bound;
        struct event *stop_ev, *resolve_ev, *tick_ev;
        struct conn_list pending, live;
        struct conn orphan; /* stands for connections that could not be counted (no memory) */
        unsigned nconn, max_conn;
        bool paused, draining;
        bool answering;             /* inside send_reply: the bytes written are ours */
        bool head_next;             /* ... and head[] still goes after the status line */
        char head[GUARD_MAX + 256]; /* the security headers, Content-Type and Cache-Control */
        size_t head_len;
        unsigned long ticks;
        struct timespec drain_deadline;
        struct feedback *fb;
        const struct portdb *db; /* read once per request from srv->db */
        struct metrics_shard *metrics;
        struct portdb_search_ctx *search;
        struct pagecache *cache;
        struct evbuffer *body;
        struct buf log;
        time_t log_sec;
        char log_time[32];
};

/* What a handler decided; sent by send_reply. */
struct reply {
        int status;
        const char *type;
        const char *cache;
        char *owned; /* malloc'ed body, freed after sending */
        struct pagecache_body *cached;
        const char *fixed; /* body that outlives the request (static files, literals) */
        size_t len;
        const char *allow;
        const char *etag;
        bool preflight;
        char location[HTTP_MAX_URL + 64]; /* an allowed origin and a port's page */
        char cookie[160];
};

/* What the router learnt about a request. */
struct reqinfo {
        enum evhttp_cmd_type cmd;
        enum lang lang;
        bool api, wants_json;
        const char *uri;
        const char *path; /* after the language prefix */
        size_t path_len;
        const char *query; /* after '?', or NULL */
        size_t query_len;
        char voter[VOTER_ID_LEN + 1];
        bool has_voter;
        const char *cors_origin; /* an allowed origin this request came from, or NULL */
};

/* ---- small helpers ---- */

static void list_add(struct conn_list *l, struct conn *c)
{
        c->prev = NULL;
        c->next = l->head;
        if (l->head)
                l->head->prev = c;
        l->head = c;
}

static void list_del(struct conn_list *l, struct conn *c)
{
        if (c->prev)
                c->prev->next = c->next;
        else
                l->head = c->next;
        if (c->next)
                c->next->prev = c->prev;
        c->prev = c->next = NULL;
}

static long long now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool path_is(const struct reqinfo *ri, const char *lit)
{
        size_t n = strlen(lit);

        return ri->path_len == n && memcmp(ri->path, lit, n) == 0;
}

static bool path_starts(const struct reqinfo *ri, const char *lit)
{
        size_t n = strlen(lit);

        return ri->path_len >= n && memcmp(ri->path, lit, n) == 0;
}

static const char *method_name(enum evhttp_cmd_type cmd)
{
        switch (cmd) {
        case EVHTTP_REQ_GET:
                return "GET";
        case EVHTTP_REQ_POST:
                return "POST";
        case EVHTTP_REQ_HEAD:
                return "HEAD";
        case EVHTTP_REQ_PUT:
                return "PUT";
        case EVHTTP_REQ_DELETE:
                return "DELETE";
        case EVHTTP_REQ_OPTIONS:
                return "OPTIONS";
        case EVHTTP_REQ_TRACE:
                return "TRACE";
        case EVHTTP_REQ_CONNECT:
                return "CONNECT";
        case EVHTTP_REQ_PATCH:
                return "PATCH";
        }
        return "?";
}

static void free_cb(const void *data, size_t len, void *arg)
{
        free((void *)data);
}

static void unref_cb(const void *data, size_t len, void *arg)
{
        pagecache_unref(arg);
}

/* ---- the access log: one line per request, buffered per thread, written whole ---- */

static void log_flush(struct worker *w)
{
        size_t off = 0;

        if (w->log.len == 0)
                return;
        pthread_mutex_lock(&w->srv->log_lock);
        while (off < w->log.len) {
                ssize_t n = write(STDERR_FILENO, w->log.data + off, w->log.len - off);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break; /* stderr gone: drop the log rather than stop serving */
                off += (size_t)n;
        }
        pthread_mutex_unlock(&w->srv->log_lock);
        w->log.len = 0;
        w->log.data[0] = '\0';
}

/* Starts a log line with the time and @evcon's peer; false when there is no access log. */
static bool log_start(struct worker *w, struct evhttp_connection *evcon)
{
        char *peer = NULL;
        ev_uint16_t port = 0;
        time_t t;

        if (!w->cfg->access_log)
                return false;
        t = time(NULL);
        if (t != w->log_sec) {
                struct tm tm;

                gmtime_r(&t, &tm);
                strftime(w->log_time, sizeof(w->log_time), "%Y-%m-%dT%H:%M:%SZ", &tm);
                w->log_sec = t;
        }
        if (evcon)
                evhttp_connection_get_peer(evcon, &peer, &port);
        if (buf_error(&w->log)) {
                /* An error is sticky: start over with a fresh buffer. */
                buf_done(&w->log);
                buf_init(&w->log, LOG_MAX_BYTES);
        }
        buf_printf(&w->log, "%s %s ", w->log_time, peer ? peer : "-");
        return true;
}

static void log_end(struct worker *w)
{
        if (w->log.len >= LOG_FLUSH_BYTES)
                log_flush(w);
}

static void log_request(struct worker *w, struct evhttp_request *req, const struct reqinfo *ri,
                        int status, size_t bytes, long long usec)
{
        if (!log_start(w, evhttp_request_get_connection(req)))
                return;
        buf_printf(&w->log, "%s ", method_name(ri->cmd));
        httputil_log_uri(&w->log, ri->uri ? ri->uri : "-", LOG_MAX_URI);
        buf_printf(&w->log, " %d %zu %lld\n", status, bytes, usec);
        log_end(w);
}

/* ---- answers ---- */

static void set_body_owned(struct reply *rp, char *data, size_t len)
{
        rp->owned = data;
        rp->len = len;
}

static void reply_json_text(struct reply *rp, int status, const char *cache, char *text)
{
        rp->status = status;
        rp->type = "application/json";
        rp->cache = cache;
        set_body_owned(rp, text, text ? strlen(text) : 0);
        if (!text) {
                rp->status = 500;
                rp->fixed = "{\"error\":\"out of memory\"}";
                rp->len = strlen(rp->fixed);
        }
}

static void html_ctx_init(const struct worker *w, const struct reqinfo *ri, struct html_ctx *ctx)
{
        memset(ctx, 0, sizeof(*ctx));
        ctx->lang = ri->lang;
        ctx->site_name = w->cfg->site_name;
        ctx->vote_action = w->cfg->vote_url;
        ctx->counts = NULL;
        ctx->my_vote = -1;
}

static void reply_error(struct worker *w, const struct reqinfo *ri, struct reply *rp, int status,
                        const char *message)
{
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
        struct html_ctx ctx;
        struct buf b;

        html_ctx_init(w, ri, &ctx);
        buf_init(&b, MAX_PAGE_BYTES);
        if (render_html_error(&b, status, &ctx) == 0 && b.len > 0) {
                size_t len;
                char *data = buf_take(&b, &len);

                rp->type = "text/html; charset=utf-8";
                set_body_owned(rp, data, len);
                return;
        }
        buf_done(&b);
        rp->type = "text/plain; charset=utf-8";
        rp->fixed = message;
        rp->len = strlen(message);
}

static void reply_redirect(struct reply *rp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reply_redirect(struct reply *rp, int status, const char *fmt, ...)
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

/* What "nothing changed" means for cached counts: no vote recorded by this server and the
 * same second (a vote recorded by another process on the same store shows within a second). */
static uint64_t fresh_stamp(const struct worker *w)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return (uint64_t)atomic_load_explicit(&w->srv->vote_gen, memory_order_acquire) << 32 |
               (uint32_t)ts.tv_sec;
}

/* Counts for @port as render_html wants them, or NULL when the store is unavailable. */
static const struct vote_counts *get_counts(struct worker *w, uint16_t port, struct vote_counts *vc)
{
        struct feedback_counts c;

        if (!w->fb || feedback_counts(w->fb, port, &c) < 0)
                return NULL;
        vc->sad = c.n[VOTE_SAD];
        vc->meh = c.n[VOTE_MEH];
        vc->happy = c.n[VOTE_HAPPY];
        return vc;
}

/* Renders (or takes from the cache) one HTML page.  @port is used for KIND_PORT only. */
static void reply_page(struct worker *w, const struct reqinfo *ri, struct reply *rp,
                       enum answer_kind kind, uint16_t port)
{
        struct html_ctx ctx;
        struct vote_counts vc;
        unsigned counts[3];
        const unsigned *key_counts = NULL;
        uint32_t key = pagecache_key(kind, ri->lang, port);
        uint64_t stamp = fresh_stamp(w);
        struct buf b;
        char *data;
        size_t len;
        int r;

        html_ctx_init(w, ri, &ctx);
        rp->status = 200;
        rp->type = "text/html; charset=utf-8";
        rp->cache = "no-cache";
        /* Without a voter cookie the page is everyone's: if no vote was recorded since this
         * slot's counts were read, in this second, it is still right. */
        if (!ri->has_voter) {
                rp->cached = pagecache_get_fresh(w->cache, key, stamp);
                if (rp->cached)
                        return;
        }
        if (kind == KIND_PORT) {
                ctx.counts = get_counts(w, port, &vc);
                if (ctx.counts) {
                        counts[0] = vc.sad;
                        counts[1] = vc.meh;
                        counts[2] = vc.happy;
                        key_counts = counts;
                }
                if (ri->has_voter && w->fb &&
                    feedback_vote_of(w->fb, port, ri->voter, &ctx.my_vote) < 0)
                        ctx.my_vote = -1;
        }
        /* A page showing this voter's own vote is theirs alone: never cached. */
        if (ctx.my_vote < 0) {
                rp->cached = pagecache_get(w->cache, key, key_counts, stamp);
                if (rp->cached)
                        return;
        }
        buf_init(&b, MAX_PAGE_BYTES);
        switch (kind) {
        case KIND_HOME:
                r = render_html_home(&b, w->db, &ctx);
                break;
        case KIND_INDEX:
                r = render_html_index(&b, w->db, &ctx);
                break;
        default:
                r = render_html_port(&b, w->db, port, &ctx);
                break;
        }
        data = r == 0 ? buf_take(&b, &len) : NULL;
        buf_done(&b);
        if (!data) {
                reply_error(w, ri, rp, 500, "The page could not be built.");
                return;
        }
        if (ctx.my_vote >= 0) {
                set_body_owned(rp, data, len);
                return;
        }
        rp->cached = pagecache_put(w->cache, key, key_counts, stamp, data, len);
        if (!rp->cached)
                reply_error(w, ri, rp, 500, "Out of memory.");
}

static void reply_api_port(struct worker *w, const struct reqinfo *ri, struct reply *rp,
                           uint16_t port)
{
        uint32_t key = pagecache_key(KIND_API_PORT, 0, port);
        json_t *o;
        char *text;

        rp->status = 200;
        rp->type = "application/json";
        rp->cache = "public, max-age=3600";
        rp->cached = pagecache_get(w->cache, key, NULL, 0);
        if (rp->cached)
                return;
        o = render_json_port(w->db, port, PROTO_MASK_ALL);
        text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        if (!text) {
                reply_error(w, ri, rp, 500, "out of memory");
                return;
        }
        rp->cached = pagecache_put(w->cache, key, NULL, 0, text, strlen(text));
        if (!rp->cached)
                reply_error(w, ri, rp, 500, "out of memory");
}

/* Reads the q parameter.  Returns 0 (possibly empty), or an HTTP status to refuse with. */
static int get_query_text(const struct reqinfo *ri, char *q, size_t cap)
{
        int r;

        q[0] = '\0';
        if (!ri->query)
                return 0;
        r = httputil_form_field(ri->query, ri->query_len, "q", q, cap);
        if (r == -ENOENT)
                return 0;
        if (r == -E2BIG)
                return 414;
        if (r == 0 && !httputil_utf8_valid(q, strlen(q))) {
                q[0] = '\0';
                return 400; /* it would be written back into the page */
        }
        return r < 0 ? 400 : 0;
}

static void reply_search(struct worker *w, const struct reqinfo *ri, struct reply *rp)
{
        char q[MAX_QUERY_LEN + 1];
        int status = get_query_text(ri, q, sizeof(q));
        int n = 0;

        if (status) {
                reply_error(w, ri, rp, status,
                            status == 414 ? "The search text is too long."
                                          : "The search text is not valid.");
                return;
        }
        if (q[0])
                n = portdb_search(w->db, q, w->search);
        if (n == -E2BIG) {
                reply_error(w, ri, rp, 414, "The search text is too long.");
                return;
        }
        if (ri->api) {
                json_t *a = json_array();
                char *text;

                if (!q[0]) {
                        json_decref(a);
                        reply_error(w, ri, rp, 400, "give the search text as ?q=TEXT");
                        return;
                }
                for (int i = 0; a && i < n; i++)
                        json_array_append_new(
                            a, render_json_port(w->db, w->search->hits[i].port, PROTO_MASK_ALL));
                text = a ? json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
                json_decref(a);
                reply_json_text(rp, 200, "public, max-age=3600", text);
                return;
        }
        /* A port number typed into the search box means its page. */
        if (q[0] >= '0' && q[0] <= '9') {
                uint16_t port;
                bool canonical;

                if (httputil_parse_port(q, strlen(q), &port, &canonical) == 0) {
                        reply_redirect(rp, 302, "%s/ports/%u", ri->lang == LANG_PL ? "/pl" : "",
                                       port);
                        return;
                }
        }
        struct html_ctx ctx;
        struct buf b;
        char *data;
        size_t len;

        html_ctx_init(w, ri, &ctx);
        buf_init(&b, MAX_PAGE_BYTES);
        data = render_html_search(&b, w->db, q, w->search->hits, n > 0 ? (size_t)n : 0, &ctx) == 0
                   ? buf_take(&b, &len)
                   : NULL;
        buf_done(&b);
        if (!data) {
                reply_error(w, ri, rp, 500, "The page could not be built.");
                return;
        }
        rp->status = 200;
        rp->type = "text/html; charset=utf-8";
        rp->cache = "no-cache";
        set_body_owned(rp, data, len);
}

static void reply_counts_json(struct reply *rp, int status, const struct feedback_counts *c,
                              int vote)
{
        char *text = NULL;
        int r;

        if (vote >= 0)
                r = asprintf(&text, "{\"sad\":%u,\"meh\":%u,\"happy\":%u,\"vote\":\"%s\"}",
                             c->n[VOTE_SAD], c->n[VOTE_MEH], c->n[VOTE_HAPPY], vote_name(vote));
        else
                r = asprintf(&text, "{\"sad\":%u,\"meh\":%u,\"happy\":%u}", c->n[VOTE_SAD],
                             c->n[VOTE_MEH], c->n[VOTE_HAPPY]);
        reply_json_text(rp, status, "no-store", r < 0 ? NULL : text);
}

static void reply_feedback_get(struct worker *w, const struct reqinfo *ri, struct reply *rp,
                               uint16_t port)
{
        struct feedback_counts c;
        int r = w->fb ? feedback_counts(w->fb, port, &c) : -ENOENT;

        int mine = -1;

        if (r < 0) {
                reply_error(w, ri, rp, 503, "the vote store is unavailable");
                return;
        }
        /* The voter's own vote too, so that a page can show it pressed. */
        if (ri->has_voter && feedback_vote_of(w->fb, port, ri->voter, &mine) < 0)
                mine = -1;
        reply_counts_json(rp, 200, &c, mine);
}

static void new_voter(char out[VOTER_ID_LEN + 1])
{
        static const char hex[] = "0123456789abcdef";
        unsigned char raw[VOTER_ID_LEN / 2];
        size_t got = 0;

        while (got < sizeof(raw)) {
                ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        abort(); /* the kernel's random source cannot fail once seeded */
                got += (size_t)n;
        }
        for (size_t i = 0; i < sizeof(raw); i++) {
                out[2 * i] = hex[raw[i] >> 4];
                out[2 * i + 1] = hex[raw[i] & 15];
        }
        out[VOTER_ID_LEN] = '\0';
}

static void reply_vote(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                       struct reply *rp, uint16_t port)
{
        struct evkeyvalq *in = evhttp_request_get_input_headers(req);
        struct evbuffer *body = evhttp_request_get_input_buffer(req);
        const char *ctype = evhttp_find_header(in, "Content-Type");
        struct feedback_counts c;
        char value[16], lang[8];
        size_t len = evbuffer_get_length(body);
        enum vote vote;
        const char *form;
        int r;

        ri->wants_json = httputil_accepts_json(evhttp_find_header(in, "Accept"));
        if (!ri->cors_origin &&
            !httputil_same_origin(evhttp_find_header(in, "Origin"), evhttp_find_header(in, "Host"),
                                  evhttp_find_header(in, "Sec-Fetch-Site"))) {
                reply_error(w, ri, rp, 403, "Votes are taken only from this site's own pages.");
                return;
        }
        if (len > MAX_FORM_BYTES) {
                reply_error(w, ri, rp, 413, "The form is too large.");
                return;
        }
        if (ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0) {
                reply_error(w, ri, rp, 415,
                            "Send the vote as a form (application/x-www-form-urlencoded).");
                return;
        }
        form = len ? (const char *)evbuffer_pullup(body, -1) : "";
        r = form ? httputil_form_field(form, len, "vote", value, sizeof(value)) : -ENOMEM;
        if (r < 0 || vote_parse(value, &vote) < 0) {
                reply_error(w, ri, rp, 400, "The vote must be one of sad, meh or happy.");
                return;
        }
        /* Back to the page in the voter's language: the path (/pl/ports/N/feedback), a lang
         * field, or the Polish page the form was sent from. */
        if ((form && httputil_form_field(form, len, "lang", lang, sizeof(lang)) == 0 &&
             strcmp(lang, "pl") == 0) ||
            httputil_referer_is_polish(evhttp_find_header(in, "Referer"),
                                       evhttp_find_header(in, "Host")))
                ri->lang = LANG_PL;
        if (!feedback_writable(w->fb)) {
                reply_error(w, ri, rp, 503,
                            "Votes cannot be recorded right now (the vote store is read-only or "
                            "unavailable); the pages still work.");
                return;
        }
        if (!ri->has_voter) {
                new_voter(ri->voter);
                ri->has_voter = true;
        }
        r = feedback_record(w->fb, port, ri->voter, vote, &c);
        if (r == -ENOTCONN) {
                reply_error(w, ri, rp, 503,
                            "The vote store cannot be reached right now; the vote was not "
                            "recorded. The pages still work; please try again later.");
                return;
        }
        if (r == -EBUSY || r == -EROFS || r == -ENOSPC) {
                reply_error(w, ri, rp, 503,
                            "The vote store is busy or full; the vote was not recorded. Please "
                            "try again.");
                return;
        }
        if (r < 0) {
                reply_error(w, ri, rp, 500, "The vote could not be recorded.");
                return;
        }
        atomic_fetch_add_explicit(&w->srv->vote_gen, 1, memory_order_release);
        metrics_vote(w->metrics, vote);
        snprintf(rp->cookie, sizeof(rp->cookie),
                 "voter=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict", ri->voter,
                 VOTER_COOKIE_MAX_AGE);
        if (ri->wants_json) {
                reply_counts_json(rp, 200, &c, (int)vote);
                return;
        }
        /* A form sent from another allowed site (a static export) goes back to that site's
         * page, not to this server's copy of it. */
        reply_redirect(rp, 303, "%s%s/ports/%u#feedback", ri->cors_origin ? ri->cors_origin : "",
                       ri->lang == LANG_PL ? "/pl" : "", port);
}

/* GET /metrics: the counters of every thread, in Prometheus's text format. */
static void reply_metrics(struct worker *w, const struct reqinfo *ri, struct reply *rp)
{
        struct buf b;
        size_t len;
        char *data;

        buf_init(&b, MAX_PAGE_BYTES);
        data = metrics_render(w->srv->metrics, portdb_str(w->db, w->db->hdr->registry_updated),
                              &b) == 0
                   ? buf_take(&b, &len)
                   : NULL;
        buf_done(&b);
        if (!data) {
                reply_error(w, ri, rp, 500, "The metrics could not be written.");
                return;
        }
        rp->status = 200;
        rp->type = "text/plain; version=0.0.4; charset=utf-8";
        rp->cache = "no-store";
        set_body_owned(rp, data, len);
}

static void reply_static(struct worker *w, struct evhttp_request *req, const struct reqinfo *ri,
                         struct reply *rp)
{
        char name[WEBROOT_MAX_NAME + 1];
        const char *rel = ri->path + strlen("/static/");
        size_t n = ri->path_len - strlen("/static/");
        const struct webroot_file *f;
        const char *inm;

        if (httputil_static_path(rel, n, name, sizeof(name)) < 0) {
                reply_error(w, ri, rp, n >= sizeof(name) ? 414 : 400, "Bad file name.");
                return;
        }
        f = webroot_find(w->cfg->web, name);
        if (!f) {
                reply_error(w, ri, rp, 404, "No such file.");
                return;
        }
        rp->status = 200;
        rp->type = f->type;
        rp->cache = "public, max-age=3600";
        rp->etag = f->etag;
        inm = evhttp_find_header(evhttp_request_get_input_headers(req), "If-None-Match");
        if (inm && strstr(inm, f->etag)) {
                rp->status = 304;
                rp->fixed = "";
                rp->len = 0;
                return;
        }
        rp->fixed = f->data;
        rp->len = f->len;
}

static void method_not_allowed(struct worker *w, const struct reqinfo *ri, struct reply *rp,
                               const char *allow)
{
        reply_error(w, ri, rp, 405, "That method is not allowed here.");
        rp->allow = allow;
}

/* Splits "/ports/N" or "/ports/N/feedback" (after @prefix) into N and the rest.  Returns 0,
 * -ENOENT (no such route) or -ERANGE/-EINVAL (not a port: a 404 page). */
static int port_route(const struct reqinfo *ri, const char *prefix, uint16_t *ret_port,
                      bool *ret_canonical, bool *ret_feedback)
{
        size_t pre = strlen(prefix), rest, nlen;
        const char *num, *slash;

        if (!path_starts(ri, prefix))
                return -ENOENT;
        num = ri->path + pre;
        rest = ri->path_len - pre;
        slash = memchr(num, '/', rest);
        nlen = slash ? (size_t)(slash - num) : rest;
        *ret_feedback = false;
        if (slash) {
                if (rest - nlen != strlen("/feedback") ||
                    memcmp(slash, "/feedback", strlen("/feedback")) != 0)
                        return -EINVAL;
                *ret_feedback = true;
        }
        return httputil_parse_port(num, nlen, ret_port, ret_canonical);
}

static bool is_get(const struct reqinfo *ri)
{
        return ri->cmd == EVHTTP_REQ_GET || ri->cmd == EVHTTP_REQ_HEAD;
}

/* The route table. */
static void route(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                  struct reply *rp)
{
        uint16_t port;
        bool canonical, feedback;
        int r;

        if (path_starts(ri, "/api/")) {
                ri->api = true;
                if (ri->lang != LANG_EN) {
                        reply_error(w, ri, rp, 404, "the API has no language prefix");
                        return;
                }
                r = port_route(ri, "/api/ports/", &port, &canonical, &feedback);
                if (r == 0) {
                        if (!is_get(ri))
                                method_not_allowed(w, ri, rp, "GET, HEAD");
                        else if (feedback)
                                reply_feedback_get(w, ri, rp, port);
                        else
                                reply_api_port(w, ri, rp, port);
                } else if (r != -ENOENT) {
                        reply_error(w, ri, rp, 404, "not a port (0-65535)");
                } else if (path_is(ri, "/api/search")) {
                        if (!is_get(ri))
                                method_not_allowed(w, ri, rp, "GET, HEAD");
                        else
                                reply_search(w, ri, rp);
                } else {
                        reply_error(w, ri, rp, 404, "no such API route");
                }
                return;
        }
        if (ri->lang == LANG_EN && path_is(ri, "/healthz")) {
                if (!is_get(ri)) {
                        method_not_allowed(w, ri, rp, "GET, HEAD");
                        return;
                }
                rp->status = 200;
                rp->type = "text/plain; charset=utf-8";
                rp->cache = "no-store";
                rp->fixed = "ok";
                rp->len = 2;
                return;
        }
        if (ri->lang == LANG_EN && path_is(ri, "/metrics")) {
                if (!is_get(ri))
                        method_not_allowed(w, ri, rp, "GET, HEAD");
                else
                        reply_metrics(w, ri, rp);
                return;
        }
        if (ri->lang == LANG_EN && path_starts(ri, "/static/")) {
                if (!is_get(ri))
                        method_not_allowed(w, ri, rp, "GET, HEAD");
                else
                        reply_static(w, req, ri, rp);
                return;
        }
        if (path_is(ri, "/ports/")) {
                if (!is_get(ri))
                        method_not_allowed(w, ri, rp, "GET, HEAD");
                else
                        reply_redirect(rp, 301, "%s/ports", ri->lang == LANG_PL ? "/pl" : "");
                return;
        }
        r = port_route(ri, "/ports/", &port, &canonical, &feedback);
        if (r == 0 && feedback) {
                if (ri->cmd != EVHTTP_REQ_POST)
                        method_not_allowed(w, ri, rp, "POST");
                else
                        reply_vote(w, req, ri, rp, port);
                return;
        }
        if (r != -ENOENT && ri->cmd == EVHTTP_REQ_POST && feedback) {
                reply_error(w, ri, rp, 404, "There is no such port (0-65535).");
                return;
        }
        if (r == 0 || r != -ENOENT) {
                if (!is_get(ri))
                        method_not_allowed(w, ri, rp, "GET, HEAD");
                else if (r < 0)
                        reply_error(w, ri, rp, 404, "There is no such port (0-65535).");
                else if (!canonical)
                        reply_redirect(rp, 301, "%s/ports/%u", ri->lang == LANG_PL ? "/pl" : "",
                                       port);
                else
                        reply_page(w, ri, rp, KIND_PORT, port);
                return;
        }
        if (path_is(ri, "/") || path_is(ri, "/ports") || path_is(ri, "/search")) {
                if (!is_get(ri))
                        method_not_allowed(w, ri, rp, "GET, HEAD");
                else if (path_is(ri, "/"))
                        reply_page(w, ri, rp, KIND_HOME, 0);
                else if (path_is(ri, "/ports"))
                        reply_page(w, ri, rp, KIND_INDEX, 0);
                else
                        reply_search(w, ri, rp);
                return;
        }
        reply_error(w, ri, rp, 404, "There is no such page.");
}

static void add_header(struct evkeyvalq *h, const char *k, const char *v)
{
        evhttp_add_header(h, k, v);
}

static void send_reply(struct worker *w, struct evhttp_request *req, const struct reqinfo *ri,
                       struct reply *rp)
{
        struct evkeyvalq *h = evhttp_request_get_output_headers(req);
        const char *data = rp->cached ? rp->cached->data : rp->owned ? rp->owned : rp->fixed;
        size_t len = rp->cached ? rp->cached->len : rp->len;
        const char *type = rp->type ? rp->type : "text/plain; charset=utf-8";
        const char *cache = rp->cache ? rp->cache : "no-store";
        bool head_only = ri->cmd == EVHTTP_REQ_HEAD;
        int n;

        /* The security headers, Content-Type and Cache-Control are not given to evhttp one by
         * one, which allocates, searches and formats each on every answer: they go out as one
         * block right after the status line (on_output_change).  Their values are ours.  An
         * answer to HEAD has the GET answer's headers and no body; evhttp would send a body
         * given to it, and no length, so the length is written here. */
        if (head_only && rp->status != 204 && rp->status != 304)
                n = snprintf(w->head + w->srv->security_len, sizeof(w->head) - w->srv->security_len,
                             "Content-Type: %s\r\nCache-Control: %s\r\nContent-Length: %zu\r\n",
                             type, cache, len);
        else
                n = snprintf(w->head + w->srv->security_len, sizeof(w->head) - w->srv->security_len,
                             "Content-Type: %s\r\nCache-Control: %s\r\n", type, cache);
        w->head_len = w->srv->security_len + (size_t)n;
        if (n < 0 || w->head_len >= sizeof(w->head)) { /* cannot be: the values are short */
                w->head_len = w->srv->security_len;
                add_header(h, "Content-Type", type);
                add_header(h, "Cache-Control", cache);
        }
        if (ri->cors_origin) {
                add_header(h, "Access-Control-Allow-Origin", ri->cors_origin);
                add_header(h, "Access-Control-Allow-Credentials", "true");
                add_header(h, "Vary", "Origin");
        }
        if (rp->location[0])
                add_header(h, "Location", rp->location);
        if (rp->cookie[0])
                add_header(h, "Set-Cookie", rp->cookie);
        if (rp->allow)
                add_header(h, "Allow", rp->allow);
        if (rp->preflight) {
                add_header(h, "Access-Control-Allow-Methods", "GET, HEAD, POST");
                add_header(h, "Access-Control-Allow-Headers", "Accept, Content-Type");
                add_header(h, "Access-Control-Max-Age", "600");
        }
        if (rp->etag)
                add_header(h, "ETag", rp->etag);
        if (w->draining)
                add_header(h, "Connection", "close");
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

/* The configured origin that @origin names (case aside), or NULL. */
static const char *allowed_origin(const struct http_config *cfg, const char *origin)
{
        for (unsigned i = 0; origin && i < cfg->n_allow_origins; i++)
                if (strcasecmp(origin, cfg->allow_origins[i]) == 0)
                        return cfg->allow_origins[i];
        return NULL;
}

/* The answer to a CORS preflight from an allowed origin. */
static void reply_preflight(struct reply *rp)
{
        rp->status = 204;
        rp->type = "text/plain; charset=utf-8";
        rp->cache = "no-store";
        rp->fixed = "";
        rp->len = 0;
        rp->allow = "GET, HEAD, POST";
        rp->preflight = true;
}

/* Writes the answer at once and, when all of it went, completes the request now.  Left to
 * itself evhttp would switch the socket from reading to writing and back (two epoll_ctl calls
 * and a turn of the loop) only to learn that it is writable, which it nearly always is.  This
 * runs evhttp's own write callback, as the write event would: the request is then freed (and
 * the connection too, when the answer closes it), so nothing may use them afterwards. */
static void flush_now(struct evhttp_connection *evcon)
{
        struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
        struct evbuffer *out = bufferevent_get_output(bev);

        if (evbuffer_get_length(out) == 0 || evbuffer_write(out, bufferevent_getfd(bev)) < 0 ||
            evbuffer_get_length(out) > 0)
                return;
        bufferevent_trigger(bev, EV_WRITE, 0);
}

/* False when the body's length is ambiguous (two Content-Length headers, or one beside a
 * Transfer-Encoding): a proxy in front may have read a different request from the same bytes
 * (RFC 9112, 6.3), so such a request is refused and its connection closed. */
static bool framing_ok(const struct evkeyvalq *in)
{
        const struct evkeyval *kv;
        unsigned lengths = 0, encodings = 0;

        for (kv = in->tqh_first; kv; kv = kv->next.tqe_next) {
                if (strcasecmp(kv->key, "Content-Length") == 0)
                        lengths++;
                else if (strcasecmp(kv->key, "Transfer-Encoding") == 0)
                        encodings++;
        }
        return lengths + encodings <= 1;
}

/* Takes the table a SIGHUP may have replaced, at the start of a request so that one answer
 * never mixes two tables; cached pages of the old one are dropped. */
static void use_current_db(struct worker *w)
{
        const struct portdb *db = atomic_load_explicit(&w->srv->db, memory_order_acquire);

        if (db != w->db) {
                w->db = db;
                pagecache_clear(w->cache);
        }
}

static void on_request(struct evhttp_request *req, void *arg)
{
        struct worker *w = arg;
        struct evhttp_connection *evcon = evhttp_request_get_connection(req);
        long long t0 = now_us(), usec;
        struct reqinfo ri = {0};
        struct reply rp = {0};
        struct evkeyvalq *in = evhttp_request_get_input_headers(req);
        const char *cookie, *q;

        use_current_db(w);
        ri.cmd = evhttp_request_get_command(req);
        ri.uri = evhttp_request_get_uri(req);
        ri.lang = LANG_EN;
        if (!ri.uri || ri.uri[0] != '/') {
                reply_error(w, &ri, &rp, 400, "Bad request.");
                goto send;
        }
        if (strlen(ri.uri) > MAX_URL_LEN) {
                reply_error(w, &ri, &rp, 414, "The address is too long.");
                goto send;
        }
        if (!framing_ok(in)) {
                evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
                reply_error(w, &ri, &rp, 400, "Bad request.");
                goto send;
        }
        q = strchr(ri.uri, '?');
        ri.path = ri.uri;
        ri.path_len = q ? (size_t)(q - ri.uri) : strlen(ri.uri);
        if (q) {
                ri.query = q + 1;
                ri.query_len = strcspn(ri.query, "#");
        }
        if (ri.path_len == 3 && memcmp(ri.path, "/pl", 3) == 0) {
                reply_redirect(&rp, 301, "/pl/");
                goto send;
        }
        if (ri.path_len >= 4 && memcmp(ri.path, "/pl/", 4) == 0) {
                ri.lang = LANG_PL;
                ri.path += 3;
                ri.path_len -= 3;
        }
        cookie = evhttp_find_header(in, "Cookie");
        if (cookie)
                ri.has_voter = httputil_cookie_voter(cookie, ri.voter);
        if (w->cfg->n_allow_origins)
                ri.cors_origin = allowed_origin(w->cfg, evhttp_find_header(in, "Origin"));
        if (ri.cmd == EVHTTP_REQ_OPTIONS && ri.cors_origin) {
                reply_preflight(&rp);
                goto send;
        }
        route(w, req, &ri, &rp);
send:
        send_reply(w, req, &ri, &rp);
        usec = now_us() - t0;
        log_request(w, req, &ri, rp.status, rp.len, usec);
        metrics_observe(w->metrics, metrics_route_of(ri.uri), rp.status, usec);
        if (evcon)
                flush_now(evcon); /* @req may be gone after this */
}

/* ---- connection accounting ---- */

static time_t coarse_now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return ts.tv_sec;
}

/* Request bytes arriving make a connection busy until its answer has all been written and
 * nothing more waits to be read: a stop then knows which connections it may close. */
static void on_input_change(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
        struct conn *c = arg;

        if (info->n_added && !c->busy) {
                c->busy = true;
                c->busy_since = coarse_now();
        }
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

/* Puts the security headers right after the status line of every answer.  evhttp writes an
 * answer's status line with one add to the output buffer, then its header lines, then the body:
 * the block is added when that first add is seen.
 *
 * For on_request's answers (w->head_next) the block also has their Content-Type and
 * Cache-Control (send_reply).  evhttp also answers some requests
 * itself, without reaching on_request (a request line it cannot parse or a method it does not
 * know, headers or a body over the caps); such an answer starts in an empty output buffer while
 * no handler is answering, and also gets "Cache-Control: no-store" and a line in the log. */
static void on_output_change(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
        struct conn *c = arg;
        struct worker *w = c->w;
        struct evbuffer_ptr eol;
        size_t eol_len = 0;
        char code[3];

        if (c->bev && info->n_deleted && info->orig_size == info->n_deleted) {
                /* An answer is all sent: idle, or the next (pipelined) request begins now. */
                if (evbuffer_get_length(bufferevent_get_input(c->bev)) == 0)
                        c->busy = false;
                else
                        c->busy_since = coarse_now();
        }
        if (!info->n_added)
                return;
        if (w->answering) {
                /* The first add of an answer is its status line. */
                if (w->head_next) {
                        w->head_next = false;
                        if (status_line_at(buf, info->orig_size, info->n_added, code))
                                evbuffer_add(buf, w->head, w->head_len);
                }
                return;
        }
        if (info->orig_size != 0 || !status_line_at(buf, 0, info->n_added, code) || code[0] == '1')
                return; /* not the start of a final answer by evhttp itself ("100 Continue") */
        /* Only when exactly the status line is in the buffer, so the headers follow it. */
        eol = evbuffer_search_eol(buf, NULL, &eol_len, EVBUFFER_EOL_CRLF_STRICT);
        if (eol.pos < 0 || (size_t)eol.pos + eol_len != evbuffer_get_length(buf))
                return;
        evbuffer_add(buf, w->srv->guard_headers, w->srv->guard_len);
        /* Logged with what is known: no method or target was read. */
        if (log_start(w, c->evcon)) {
                buf_printf(&w->log, "- - %.3s - -\n", code);
                log_end(w);
        }
}

static void conn_gone(struct worker *w, struct conn *c)
{
        if (c->in_cb)
                evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->in_cb);
        if (c->out_cb)
                evbuffer_remove_cb_entry(bufferevent_get_output(c->bev), c->out_cb);
        free(c);
        w->nconn--;
        if (w->paused && !w->draining && w->nconn < w->max_conn) {
                evconnlistener_enable(evhttp_bound_socket_get_listener(w->bound));
                w->paused = false;
        }
}

static void on_conn_closed(struct evhttp_connection *evcon, void *arg)
{
        struct conn *c = arg;
        struct worker *w = c->w;

        list_del(&w->live, c);
        conn_gone(w, c);
}

/* evhttp asks for a bufferevent for each accepted connection: count it, and stop accepting
 * at the cap (new connections then wait in the kernel's backlog). */
static struct bufferevent *on_new_conn(struct event_base *base, void *arg)
{
        struct worker *w = arg;
        struct conn *c = calloc(1, sizeof(*c));
        struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);

        if (!c || !bev) {
                /* Uncounted, but its answers still get their headers (on_output_change). */
                free(c);
                if (bev)
                        evbuffer_add_cb(bufferevent_get_output(bev), on_output_change, &w->orphan);
                return bev; /* NULL: evhttp makes its own, with no headers block */
        }
        /* Keep the bufferevent's memory until on_resolve has looked at it, even if evhttp
         * frees the connection at once. */
        bufferevent_incref(bev);
        c->w = w;
        c->bev = bev;
        c->in_cb = evbuffer_add_cb(bufferevent_get_input(bev), on_input_change, c);
        c->out_cb = evbuffer_add_cb(bufferevent_get_output(bev), on_output_change, c);
        list_add(&w->pending, c);
        w->nconn++;
        if (w->nconn >= w->max_conn && !w->paused) {
                evconnlistener_disable(evhttp_bound_socket_get_listener(w->bound));
                w->paused = true;
        }
        event_active(w->resolve_ev, EV_READ, 0);
        return bev;
}

/* Runs right after the accept: evhttp has made each pending connection by now, and a
 * bufferevent it owns carries the connection as its callback argument (libevent 2.1's
 * evhttp_connection_base_bufferevent_new); a freed one has no callbacks left. */
static void on_resolve(evutil_socket_t fd, short what, void *arg)
{
        struct worker *w = arg;
        struct conn *c;

        while ((c = w->pending.head)) {
                bufferevent_data_cb rcb, wcb;
                bufferevent_event_cb ecb;
                void *cbarg = NULL;

                list_del(&w->pending, c);
                bufferevent_getcb(c->bev, &rcb, &wcb, &ecb, &cbarg);
                if (ecb && cbarg &&
                    evhttp_connection_get_bufferevent((struct evhttp_connection *)cbarg) ==
                        c->bev) {
                        int one = 1;

                        c->evcon = cbarg;
                        evhttp_connection_set_closecb(c->evcon, on_conn_closed, c);
                        setsockopt(bufferevent_getfd(c->bev), IPPROTO_TCP, TCP_NODELAY, &one,
                                   sizeof(one));
                        list_add(&w->live, c);
                        bufferevent_decref(c->bev);
                } else {
                        conn_gone(w, c); /* evhttp has freed it: only our reference is left */
                        bufferevent_decref(c->bev);
                }
        }
}

/* ---- stopping ---- */

static void finish(struct worker *w)
{
        if (w->http) {
                evhttp_free(w->http); /* closes what is left; on_conn_closed for each */
                w->http = NULL;
        }
        event_base_loopbreak(w->base);
}

static bool past(const struct timespec *t)
{
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* Closes every idle connection (no request begun, no answer being sent); finishes when none
 * is left or the drain time is up. */
static void drain_check(struct worker *w)
{
        struct conn *c, *next;

        for (c = w->live.head; c; c = next) {
                next = c->next;
                if (!c->busy && evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
                        evhttp_connection_free(c->evcon);
        }
        if (w->nconn == 0 || past(&w->drain_deadline))
                finish(w);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
        struct worker *w = arg;
        uint64_t v;

        if (read(w->stop_fd, &v, sizeof(v)) < 0 || w->draining)
                return;
        w->draining = true;
        if (w->bound) {
                evhttp_del_accept_socket(w->http, w->bound); /* closes the listening socket */
                w->bound = NULL;
        }
        clock_gettime(CLOCK_MONOTONIC, &w->drain_deadline);
        w->drain_deadline.tv_sec += w->cfg->drain_s;
        drain_check(w);
}

/* Closes connections whose request has been arriving for longer than the timeout.  evhttp's
 * own timeout restarts with every byte, so a client sending one byte every few seconds would
 * otherwise hold its connection (and, with enough of them, every slot) for ever.  An answer
 * being sent to a slow reader is left to evhttp's write timeout. */
static void sweep_slow(struct worker *w)
{
        time_t now = coarse_now();
        struct conn *c, *next;

        for (c = w->live.head; c; c = next) {
                next = c->next;
                if (c->busy && now - c->busy_since > w->cfg->timeout_s &&
                    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
                        evhttp_connection_free(c->evcon); /* on_conn_closed frees c */
        }
}

/* At the connection cap the listener is paused, and a new client would wait in the kernel's
 * queue until a slot frees: with enough slow clients, up to the timeout.  So a full thread
 * makes room each tick (at most SHED_PER_TICK connections) by closing the requests that have
 * been arriving for the longest (over a second), never an answer being sent.  Idle
 * connections keep their slot until the timeout: the cap stays a cap for clients that behave. */
static void shed_when_full(struct worker *w)
{
        time_t now = coarse_now();
        unsigned shed = 0;
        struct conn *c, *next;

        for (time_t age = w->cfg->timeout_s; age >= 1 && shed < SHED_PER_TICK; age /= 2)
                for (c = w->live.head; c && shed < SHED_PER_TICK; c = next) {
                        next = c->next;
                        if (c->busy && now - c->busy_since >= age &&
                            evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
                                evhttp_connection_free(c->evcon); /* on_conn_closed frees c */
                                shed++;
                        }
                }
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
        struct worker *w = arg;

        log_flush(w);
        if (w->draining && w->http)
                drain_check(w);
        else if (w->http && w->paused)
                shed_when_full(w);
        else if (w->http && ++w->ticks % (1000 / TICK_MS) == 0)
                sweep_slow(w);
}

static void *worker_main(void *arg)
{
        struct worker *w = arg;

        event_base_dispatch(w->base);
        return NULL;
}

/* ---- set-up ---- */

static void worker_done(struct worker *w)
{
        struct conn *c;

        w->draining = true; /* nothing may enable the listener from here on */
        if (w->http)
                evhttp_free(w->http);
        while ((c = w->pending.head)) {
                struct bufferevent *bev = c->bev;

                list_del(&w->pending, c);
                conn_gone(w, c);
                bufferevent_decref(bev);
        }
        while ((c = w->live.head)) {
                list_del(&w->live, c);
                free(c);
        }
        if (w->stop_ev)
                event_free(w->stop_ev);
        if (w->resolve_ev)
                event_free(w->resolve_ev);
        if (w->tick_ev)
                event_free(w->tick_ev);
        if (w->body)
                evbuffer_free(w->body);
        if (w->base)
                event_base_free(w->base);
        if (w->stop_fd >= 0)
                close(w->stop_fd);
        if (w->listen_fd >= 0)
                close(w->listen_fd);
        if (w->log.data)
                log_flush(w);
        buf_done(&w->log);
        feedback_free(w->fb);
        pagecache_free(w->cache);
        free(w->search);
}

static int worker_init(struct worker *w)
{
        struct timeval tick = {0, TICK_MS * 1000};
        struct event_config *ec = event_config_new();

        /* Each base belongs to one thread: no locking wanted.  The changelist folds the
         * read-off/write-on/write-off/read-on that evhttp does around each answer into the
         * epoll_wait call instead of four epoll_ctl system calls. */
        if (ec)
                event_config_set_flag(ec, EVENT_BASE_FLAG_NOLOCK |
                                              EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
        w->base = ec ? event_base_new_with_config(ec) : NULL;
        event_config_free(ec);
        w->http = w->base ? evhttp_new(w->base) : NULL;
        w->body = evbuffer_new();
        w->search = malloc(sizeof(*w->search));
        w->cache = pagecache_new();
        w->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (!w->http || !w->body || !w->search || !w->cache || w->stop_fd < 0)
                return -ENOMEM;
        buf_init(&w->log, LOG_MAX_BYTES);
        buf_adds(&w->log, ""); /* allocates, so log_flush can always write a NUL */
        evhttp_set_gencb(w->http, on_request, w);
        evhttp_set_bevcb(w->http, on_new_conn, w);
        evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                                EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                                EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                                EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
        evhttp_set_max_headers_size(w->http, MAX_HEADER_BYTES);
        evhttp_set_max_body_size(w->http, MAX_BODY_BYTES);
        evhttp_set_timeout(w->http, w->cfg->timeout_s);
        /* send_reply writes Content-Type itself, past evhttp's view (on_output_change), and
         * evhttp's own answers name theirs: a default would be a second one. */
        evhttp_set_default_content_type(w->http, NULL);
        w->bound = evhttp_accept_socket_with_handle(w->http, w->listen_fd);
        if (!w->bound)
                return -EIO;
        w->listen_fd = -1; /* the listener owns it now */
        w->stop_ev = event_new(w->base, w->stop_fd, EV_READ | EV_PERSIST, on_stop, w);
        w->resolve_ev = event_new(w->base, -1, 0, on_resolve, w);
        w->tick_ev = event_new(w->base, -1, EV_PERSIST, on_tick, w);
        if (!w->stop_ev || !w->resolve_ev || !w->tick_ev || event_add(w->stop_ev, NULL) < 0 ||
            event_add(w->tick_ev, &tick) < 0)
                return -ENOMEM;
        return 0;
}

static int listen_socket(const struct sockaddr *sa, socklen_t len, bool reuseport, bool do_listen)
{
        int one = 1;
        int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

        if (fd < 0)
                return -errno;
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
            (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) ||
            (sa->sa_family == AF_INET6 &&
             setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
            bind(fd, sa, len) < 0 || (do_listen && listen(fd, 1024) < 0)) {
                int e = errno;

                close(fd);
                return -e;
        }
        return fd;
}

/* Tells systemd (Type=notify) how things stand; nothing when not started by it. */
static void sd_notify_text(const char *text)
{
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        size_t n;
        int fd;

        if (!path || (path[0] != '/' && path[0] != '@') ||
            (n = strlen(path)) >= sizeof(sun.sun_path))
                return;
        memcpy(sun.sun_path, path, n);
        if (sun.sun_path[0] == '@')
                sun.sun_path[0] = '\0';
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return;
        sendto(fd, text, strlen(text), MSG_NOSIGNAL, (struct sockaddr *)&sun,
               (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
        close(fd);
}

static void on_libevent_log(int severity, const char *msg)
{
        if (severity >= EVENT_LOG_WARN)
                fprintf(stderr, "portinfo-serve: libevent: %s\n", msg);
}

/* Opens one vote-store handle per thread; the first one creates or migrates the store.  @name
 * is the store as the log may show it (feedback_redact: no password). */
static void open_stores(const struct http_config *cfg, const char *name, struct worker *ws,
                        unsigned n)
{
        char why[256];
        int r;

        if (!cfg->feedback_path)
                return;
        r = feedback_open(cfg->feedback_path, false, &ws[0].fb);
        if (r == -EROFS)
                fprintf(stderr,
                        "portinfo-serve: warning: the vote store %s is read-only: pages show its "
                        "counts, votes are refused (503)\n",
                        name);
        else if (r == -EPROTO)
                fprintf(stderr,
                        "portinfo-serve: warning: the vote store %s was written by a newer "
                        "portinfo; votes are off (503)\n",
                        name);
        else if (r == -ENOTCONN) {
                feedback_last_error(ws[0].fb, why, sizeof(why));
                fprintf(stderr,
                        "portinfo-serve: warning: the vote store %s cannot be reached now (%s); "
                        "pages are served, votes get 503 until it answers\n",
                        name, why);
        } else if (r < 0)
                fprintf(stderr,
                        "portinfo-serve: warning: cannot open the vote store %s: %s; "
                        "votes are off (503)\n",
                        name, strerror(-r));
        if (!ws[0].fb)
                return;
        for (unsigned i = 1; i < n; i++)
                feedback_open(cfg->feedback_path, !feedback_writable(ws[0].fb), &ws[i].fb);
}

static void build_csp(struct server *srv, const char *vote_url)
{
        char src[HTTP_MAX_URL + 3] = "";

        /* A CSP source with a path matches that exact path only, unless it ends in '/': a vote
         * URL with a path (https://example.org/portinfo) must cover what lies under it. */
        if (vote_url && vote_url[0]) {
                const char *host = strstr(vote_url, "://");
                bool has_path = host && strchr(host + 3, '/');

                snprintf(src, sizeof(src), " %s%s", vote_url, has_path ? "/" : "");
        }
        snprintf(srv->csp, sizeof(srv->csp),
                 "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'%s; form-action 'self'%s; frame-ancestors 'none'; "
                 "base-uri 'none'",
                 src, src);
}

/* Raises the open-file limit as far as allowed; returns how many connections it leaves room
 * for. */
static unsigned fit_connections(unsigned want, unsigned threads)
{
        struct rlimit rl;
        unsigned spare = 64 + 4 * threads;

        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return want;
        if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < want + spare) {
                rl.rlim_cur = rl.rlim_max < want + spare ? rl.rlim_max : want + spare;
                setrlimit(RLIMIT_NOFILE, &rl);
                getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want + spare)
                return rl.rlim_cur > spare + threads ? (unsigned)(rl.rlim_cur - spare) : threads;
        return want;
}

/* SIGHUP: loads the table in the data directory (or the embedded one when none is there) and
 * makes it the one the next requests use.  A damaged file leaves the table in use alone. */
static void reload_db(struct server *srv)
{
        const struct http_config *cfg = srv->cfg;
        const struct portdb *cur = atomic_load_explicit(&srv->db, memory_order_acquire);
        struct db_node *node;
        int r;

        if (!cfg->data_dir || !cfg->load_db) {
                fprintf(stderr, "portinfo-serve: SIGHUP: no data directory; nothing reloaded\n");
                return;
        }
        node = calloc(1, sizeof(*node));
        if (!node) {
                fprintf(stderr, "portinfo-serve: SIGHUP: out of memory; the data is unchanged\n");
                return;
        }
        r = cfg->load_db(&node->db, cfg->data_dir);
        if (r < 0 && r != -ENOENT) {
                fprintf(stderr,
                        "portinfo-serve: SIGHUP: cannot use the table in %s (%s); the data in use "
                        "(registry of %s) is unchanged\n",
                        cfg->data_dir,
                        r == -EINVAL ? "damaged or not a portinfo table" : strerror(-r),
                        portdb_str(cur, cur->hdr->registry_updated));
                free(node);
                return;
        }
        node->prev = srv->loaded;
        srv->loaded = node;
        atomic_store_explicit(&srv->db, &node->db, memory_order_release);
        fprintf(stderr, "portinfo-serve: SIGHUP: now serving the %s registry of %s (%u records)\n",
                r == 0 ? "imported" : "embedded",
                portdb_str(&node->db, node->db.hdr->registry_updated), node->db.hdr->n_records);
}

int http_run(const struct http_config *cfg)
{
        struct server srv = {.cfg = cfg, .db = cfg->db};
        struct db_node *node;
        struct sockaddr_storage addr = cfg->addr;
        socklen_t alen = cfg->addrlen;
        struct worker *ws;
        unsigned n = cfg->threads ? cfg->threads : 1, started = 0, maxc;
        char where[80], status[160], store[256] = "";
        sigset_t sigs, old;
        int fd, sig, r = 0;

        /* Find out whether the address is free (and which port 0 stands for) without
         * SO_REUSEPORT, so that a second server on the same port fails instead of sharing. */
        fd = listen_socket((struct sockaddr *)&addr, alen, false, false);
        if (fd < 0 || getsockname(fd, (struct sockaddr *)&addr, &alen) < 0) {
                r = fd < 0 ? fd : -errno;
                fprintf(stderr, "portinfo-serve: cannot listen on %s: %s\n",
                        httputil_format_addr((struct sockaddr *)&cfg->addr, where, sizeof(where)),
                        strerror(-r));
                if (fd >= 0)
                        close(fd);
                return r;
        }
        close(fd);
        httputil_format_addr((struct sockaddr *)&addr, where, sizeof(where));

        ws = calloc(n, sizeof(*ws));
        srv.metrics = metrics_new(n, PORTINFO_VERSION);
        if (!ws || !srv.metrics) {
                free(ws);
                metrics_free(srv.metrics);
                return -ENOMEM;
        }
        pthread_mutex_init(&srv.log_lock, NULL);
        build_csp(&srv, cfg->vote_url);
        snprintf(srv.guard_headers, sizeof(srv.guard_headers),
                 "Content-Security-Policy: %s\r\nX-Content-Type-Options: nosniff\r\n"
                 "X-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n",
                 srv.csp);
        srv.security_len = strlen(srv.guard_headers);
        snprintf(srv.guard_headers + srv.security_len, sizeof(srv.guard_headers) - srv.security_len,
                 "Cache-Control: no-store\r\n");
        srv.guard_len = strlen(srv.guard_headers);
        event_set_log_callback(on_libevent_log);
        signal(SIGPIPE, SIG_IGN);
        maxc = fit_connections(cfg->max_connections, n);
        for (unsigned i = 0; i < n; i++) {
                ws[i].srv = &srv;
                ws[i].orphan.w = &ws[i];
                memcpy(ws[i].head, srv.guard_headers, srv.security_len);
                ws[i].cfg = cfg;
                ws[i].db = cfg->db;
                ws[i].id = i;
                ws[i].metrics = metrics_shard(srv.metrics, i);
                ws[i].stop_fd = -1;
                ws[i].max_conn = maxc / n ? maxc / n : 1;
                ws[i].listen_fd = listen_socket((struct sockaddr *)&addr, alen, true, true);
                if (ws[i].listen_fd < 0) {
                        r = ws[i].listen_fd;
                        fprintf(stderr, "portinfo-serve: cannot listen on %s: %s\n", where,
                                strerror(-r));
                        goto out;
                }
        }
        if (cfg->feedback_path)
                feedback_redact(cfg->feedback_path, store, sizeof(store));
        open_stores(cfg, store, ws, n);
        for (unsigned i = 0; i < n; i++) {
                r = worker_init(&ws[i]);
                if (r < 0) {
                        fprintf(stderr, "portinfo-serve: cannot start: %s\n", strerror(-r));
                        goto out;
                }
        }

        if (cfg->after_setup) {
                r = cfg->after_setup(cfg->after_setup_arg);
                if (r < 0)
                        goto out;
        }

        /* Only the main thread takes SIGTERM, SIGINT and SIGHUP, by sigwait. */
        sigemptyset(&sigs);
        sigaddset(&sigs, SIGTERM);
        sigaddset(&sigs, SIGINT);
        sigaddset(&sigs, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &sigs, &old);
        for (; started < n; started++)
                if (pthread_create(&ws[started].thread, NULL, worker_main, &ws[started]) != 0) {
                        fprintf(stderr, "portinfo-serve: cannot start a thread\n");
                        r = -EAGAIN;
                        break;
                }
        if (started == n) {
                fprintf(stderr,
                        "portinfo-serve: listening on http://%s/ (%u thread%s, %u connections, "
                        "votes %s%s)\n",
                        where, n, n == 1 ? "" : "s", maxc, ws[0].fb ? "in " : "off",
                        ws[0].fb ? store : "");
                snprintf(status, sizeof(status), "READY=1\nSTATUS=listening on http://%s/", where);
                sd_notify_text(status);
                for (;;) {
                        if (sigwait(&sigs, &sig) != 0)
                                continue;
                        if (sig != SIGHUP)
                                break;
                        reload_db(&srv);
                }
                fprintf(stderr, "portinfo-serve: %s: finishing answers in flight, then stopping\n",
                        sig == SIGTERM ? "SIGTERM" : "SIGINT");
                sd_notify_text("STOPPING=1");
        }
        for (unsigned i = 0; i < started; i++) {
                uint64_t one = 1;

                if (write(ws[i].stop_fd, &one, sizeof(one)) < 0)
                        event_base_loopbreak(ws[i].base);
        }
        for (unsigned i = 0; i < started; i++)
                pthread_join(ws[i].thread, NULL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
out:
        for (unsigned i = 0; i < n; i++)
                worker_done(&ws[i]);
        free(ws);
        metrics_free(srv.metrics);
        while ((node = srv.loaded)) {
                srv.loaded = node->prev;
                free(node); /* the mapping stays: datadir_open maps for the life of the process */
        }
        pthread_mutex_destroy(&srv.log_lock);
        if (r == 0)
                fprintf(stderr, "portinfo-serve: stopped\n");
        return r;
}

/* pages: the handlers that answer with what the port table says: the HTML pages (home, index,
 * a port, search), the JSON API for a port and a search, static files, /healthz and /metrics.
 * Pages are built by render_html, JSON by render_json, and kept in the loop's page cache;
 * nothing here decides what a page says, and votes are votes.c's. */
#include <errno.h>
#include <jansson.h>
#include <stdatomic.h>
#include <string.h>

#include "buf.h"
#include "httputil.h"
#include "render_json.h"
#include "routes.h"
#include "server.h"

enum answer_kind {
        KIND_HOME = 1,
        KIND_INDEX,
        KIND_PORT,
        KIND_API_PORT,
};

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

/* Builds one HTML page into a malloc'ed body (*ret_data, *ret_len).  Returns 0 or -errno. */
static int render_page(struct worker *w, enum answer_kind kind, uint16_t port,
                       const struct html_ctx *ctx, char **ret_data, size_t *ret_len)
{
        struct buf b;
        char *data;
        int r;

        buf_init(&b, MAX_PAGE_BYTES);
        switch (kind) {
        case KIND_HOME:
                r = render_html_home(&b, w->db, ctx);
                break;
        case KIND_INDEX:
                r = render_html_index(&b, w->db, ctx);
                break;
        default:
                r = render_html_port(&b, w->db, port, ctx);
                break;
        }
        data = r == 0 ? buf_take(&b, ret_len) : NULL;
        buf_done(&b);
        if (!data)
                return r < 0 ? r : -ENOMEM;
        *ret_data = data;
        return 0;
}

/* Points @rp at the cached body it holds: every encoding, its tag, and Last-Modified: the
 * table's time.  A page with vote counts has none: a vote changes it and not the table, each
 * loop reads the counts at its own time, and a date (a second's worth) could not tell two
 * votes in one second apart; its ETag, which changes with the counts, validates it alone. */
static void use_cached(struct worker *w, struct reply *rp, bool with_counts)
{
        rp->answer = &rp->cached->a;
        rp->last_mod = with_counts ? 0 : w->table_time;
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
        char *data;
        size_t len;

        reply_html_ctx(w, ri, &ctx);
        rp->status = 200;
        rp->type = "text/html; charset=utf-8";
        rp->cache = "no-cache";
        rp->vary = true;
        /* Without a voter cookie the page is everyone's: if no vote was recorded since this
         * slot's counts were read, in this second, it is still right. */
        if (!ri->has_voter) {
                rp->cached = pagecache_get_fresh(w->cache, key, stamp);
                if (rp->cached) {
                        use_cached(w, rp, kind == KIND_PORT && w->fb);
                        return;
                }
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
        /* A page showing this voter's own vote is theirs alone: never cached, sent as it is,
         * tagged from its bytes (which hold the vote, so the tag is theirs too), and without
         * Last-Modified (a vote of theirs would not move it). */
        if (ctx.my_vote < 0) {
                rp->cached = pagecache_get(w->cache, key, key_counts, stamp);
                if (rp->cached) {
                        use_cached(w, rp, key_counts != NULL);
                        return;
                }
        }
        if (render_page(w, kind, port, &ctx, &data, &len) < 0) {
                reply_error(w, ri, rp, 500, "The page could not be built.");
                return;
        }
        if (ctx.my_vote >= 0) {
                reply_body_owned(rp, data, len);
                rp->tag_owned = true;
                return;
        }
        rp->cached = pagecache_put(w->cache, key, key_counts, stamp, data, len);
        if (!rp->cached)
                reply_error(w, ri, rp, 500, "Out of memory.");
        else
                use_cached(w, rp, key_counts != NULL);
}

void page_home(struct worker *w, struct evhttp_request *req, struct reqinfo *ri, struct reply *rp)
{
        reply_page(w, ri, rp, KIND_HOME, 0);
}

void page_index(struct worker *w, struct evhttp_request *req, struct reqinfo *ri, struct reply *rp)
{
        reply_page(w, ri, rp, KIND_INDEX, 0);
}

/* A port written with leading zeros is sent to its canonical address. */
void page_port(struct worker *w, struct evhttp_request *req, struct reqinfo *ri, struct reply *rp)
{
        if (!ri->canonical)
                reply_redirect(rp, 301, "%s/ports/%u", ri->lang == LANG_PL ? "/pl" : "", ri->port);
        else
                reply_page(w, ri, rp, KIND_PORT, ri->port);
}

void page_api_port(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                   struct reply *rp)
{
        uint32_t key = pagecache_key(KIND_API_PORT, 0, ri->port);
        json_t *o;
        char *text;

        rp->status = 200;
        rp->type = "application/json";
        rp->cache = "public, max-age=3600";
        rp->noindex = true;
        rp->cached = pagecache_get(w->cache, key, NULL, 0);
        if (rp->cached) {
                use_cached(w, rp, false);
                return;
        }
        o = render_json_port(w->db, ri->port, PROTO_MASK_ALL);
        text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        if (!text || strlen(text) > MAX_PAGE_BYTES) {
                /* Past the cap only from a table imported with --force beyond its bounds. */
                free(text);
                reply_error(w, ri, rp, 500, text ? "The answer is too large." : "out of memory");
                return;
        }
        rp->cached = pagecache_put(w->cache, key, NULL, 0, text, strlen(text));
        if (!rp->cached)
                reply_error(w, ri, rp, 500, "out of memory");
        else
                use_cached(w, rp, false);
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

/* GET /api/search: the best hits (ANSWER_MAX_HITS at most, as the page shows) as an array of
 * port objects, as many as fit in MAX_PAGE_BYTES. */
static void search_json(struct worker *w, const struct reqinfo *ri, struct reply *rp, const char *q,
                        int n)
{
        struct buf b;
        char *text = NULL;
        size_t len;

        if (!q[0]) {
                reply_error(w, ri, rp, 400, "give the search text as ?q=TEXT");
                return;
        }
        buf_init(&b, MAX_PAGE_BYTES);
        buf_adds(&b, "[");
        for (int i = 0; i < n && i < ANSWER_MAX_HITS; i++) {
                json_t *o = render_json_search_hit(w->db, q, w->search->hits[i].port);
                char *one = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
                size_t add = one ? strlen(one) + 2 : 0; /* a comma and the closing bracket */

                json_decref(o);
                if (!one || b.len + add > MAX_PAGE_BYTES) {
                        free(one);
                        break;
                }
                if (i > 0)
                        buf_adds(&b, ",");
                buf_adds(&b, one);
                free(one);
        }
        buf_adds(&b, "]");
        if (!buf_error(&b))
                text = buf_take(&b, &len);
        buf_done(&b);
        reply_json_text(rp, 200, "public, max-age=3600", text);
        rp->tag_owned = true;
        rp->last_mod = w->table_time;
}

/* GET /search: a port number typed into the search box means its page; else the hits. */
static void search_html(struct worker *w, const struct reqinfo *ri, struct reply *rp, const char *q,
                        int n)
{
        struct html_ctx ctx;
        struct buf b;
        char *data;
        size_t len;

        if (q[0] >= '0' && q[0] <= '9') {
                uint16_t port;
                bool canonical;

                if (httputil_parse_port(q, strlen(q), &port, &canonical) == 0) {
                        reply_redirect(rp, 302, "%s/ports/%u", ri->lang == LANG_PL ? "/pl" : "",
                                       port);
                        return;
                }
        }
        reply_html_ctx(w, ri, &ctx);
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
        reply_body_owned(rp, data, len);
        rp->tag_owned = true;
        rp->last_mod = w->table_time;
}

void page_search(struct worker *w, struct evhttp_request *req, struct reqinfo *ri, struct reply *rp)
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
        if (ri->api)
                search_json(w, ri, rp, q, n);
        else
                search_html(w, ri, rp, q, n);
        rp->noindex = true; /* a search is not a page for an index to keep */
}

/* Answers with the static file @f: every encoding, its tag and modification time.  A hashed
 * name never changes its bytes, so a browser keeps it a year without asking again. */
static void reply_file(struct reply *rp, const struct webroot_file *f, const char *cache)
{
        rp->status = 200;
        rp->type = f->type;
        rp->cache = cache;
        /* Made whole at load (no brotli pending): encoded_form writes nothing in it. */
        rp->answer = (struct encoded *)&f->a;
        rp->last_mod = f->mtime;
}

/* GET /static/NAME: by its own name (old pages; a short cache) or its hashed name.  A folder
 * ("x/") has no listing: not found; a name no file could have is a bad request. */
void page_static(struct worker *w, struct evhttp_request *req, struct reqinfo *ri, struct reply *rp)
{
        char name[WEBROOT_MAX_NAME + 1];
        const char *rel = ri->path + strlen("/static/");
        size_t n = ri->path_len - strlen("/static/");
        const struct webroot_file *f = NULL;
        bool hashed = false;

        if (n >= sizeof(name)) {
                reply_error(w, ri, rp, 414, "The address is too long.");
                return;
        }
        if (httputil_static_path(rel, n, name, sizeof(name)) == 0)
                f = webroot_find(w->cfg->web, name, &hashed);
        else if (rel[n - 1] != '/') { /* traversal, encoded separators, hidden files */
                reply_error(w, ri, rp, 400, "Bad file name.");
                return;
        }
        if (!f) {
                reply_error(w, ri, rp, 404, "No such file.");
                return;
        }
        reply_file(rp, f, hashed ? "public, max-age=31536000, immutable" : "public, max-age=600");
}

/* GET /favicon.ico and /favicon.svg: the icons browsers ask for at the root, from the static
 * folder.  Their names cannot change, so a month's cache, revalidated by ETag. */
void page_favicon(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                  struct reply *rp)
{
        char name[16];
        bool hashed;
        const struct webroot_file *f;

        snprintf(name, sizeof(name), "%.*s", (int)ri->path_len - 1, ri->path + 1);
        f = webroot_find(w->cfg->web, name, &hashed);
        if (!f) {
                reply_error(w, ri, rp, 404, "No such file.");
                return;
        }
        reply_file(rp, f, "public, max-age=2592000");
}

void page_healthz(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                  struct reply *rp)
{
        rp->status = 200;
        rp->type = "text/plain; charset=utf-8";
        rp->cache = "no-store";
        rp->fixed = "ok";
        rp->len = 2;
}

/* GET /metrics: the counters of every thread, in Prometheus's text format. */
void page_metrics(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                  struct reply *rp)
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
        reply_body_owned(rp, data, len);
}

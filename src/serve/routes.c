/* routes: the route table, the matching of a path against it, and the checks every row shares
 * (language, method) before its handler runs.
 *
 * A port in a path ({N}) is parsed here, once, through httputil_parse_port (core's
 * parse_port_n).  What a page says is the handlers' business; how it is sent is reply.c's.
 */
#include "routes.h"

#include <string.h>

#include "httputil.h"
#include "server.h"

#define GET_HEAD (EVHTTP_REQ_GET | EVHTTP_REQ_HEAD)
#define ANY      (~0u)

/* "/pl": the Polish home page is "/pl/". */
static void lang_root(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                      struct reply *rp)
{
        reply_redirect(rp, 301, "/pl/");
}

static void ports_slash(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                        struct reply *rp)
{
        reply_redirect(rp, 301, "%s/ports", ri->lang == LANG_PL ? "/pl" : "");
}

static void not_a_port(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                       struct reply *rp)
{
        reply_error(w, ri, rp, 404, "There is no such port (0-65535).");
}

static void api_not_a_port(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                           struct reply *rp)
{
        reply_error(w, ri, rp, 404, "not a port (0-65535)");
}

static void no_file(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                    struct reply *rp)
{
        reply_error(w, ri, rp, 404, "No such file.");
}

static void api_no_route(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                         struct reply *rp)
{
        reply_error(w, ri, rp, 404, "no such API route");
}

/* path, pattern, api, english_only, methods, Allow, handler, label.  The first row that
 * matches wins; a path that looks like a port but is not one (abc, 65536, 0x1) has rows of its
 * own, counted under the same label as the port's. */
/* A row; .len spares a strlen per row and request. */
#define ROW(p, pattern, api, en, methods, allow, handler, label)                                   \
        {                                                                                          \
                p, sizeof(p) - 1, pattern, api, en, methods, allow, handler, label                 \
        }

static const struct route routes[] = {
    /* "/pl" without its slash: the path is empty once the prefix is off. */
    ROW("", PATTERN_EXACT, false, false, ANY, NULL, lang_root, ROUTE_HOME),
    ROW("/", PATTERN_EXACT, false, false, GET_HEAD, "GET, HEAD", page_home, ROUTE_HOME),
    ROW("/ports", PATTERN_EXACT, false, false, GET_HEAD, "GET, HEAD", page_index, ROUTE_PORTS),
    ROW("/ports/", PATTERN_EXACT, false, false, GET_HEAD, "GET, HEAD", ports_slash, ROUTE_PORTS),
    ROW("/ports/", PATTERN_PORT, false, false, GET_HEAD, "GET, HEAD", page_port, ROUTE_PORT),
    ROW("/ports/", PATTERN_NOT_PORT, false, false, GET_HEAD, "GET, HEAD", not_a_port, ROUTE_PORT),
    ROW("/ports/", PATTERN_PORT_FEEDBACK, false, false, EVHTTP_REQ_POST, "POST", votes_post,
        ROUTE_VOTE),
    ROW("/ports/", PATTERN_NOT_PORT_FEEDBACK, false, false, GET_HEAD | EVHTTP_REQ_POST, "GET, HEAD",
        not_a_port, ROUTE_VOTE),
    /* Anything else under /ports/ ("/ports/22/x"): no such port, counted as other. */
    ROW("/ports/", PATTERN_SCOPE, false, false, GET_HEAD, "GET, HEAD", not_a_port, ROUTE_OTHER),
    ROW("/search", PATTERN_EXACT, false, false, GET_HEAD, "GET, HEAD", page_search, ROUTE_SEARCH),
    ROW("/api/ports/", PATTERN_PORT, true, true, GET_HEAD, "GET, HEAD", page_api_port,
        ROUTE_API_PORT),
    ROW("/api/ports/", PATTERN_NOT_PORT, true, true, ANY, NULL, api_not_a_port, ROUTE_API_PORT),
    ROW("/api/ports/", PATTERN_PORT_FEEDBACK, true, true, GET_HEAD, "GET, HEAD", votes_get,
        ROUTE_API_FEEDBACK),
    ROW("/api/ports/", PATTERN_NOT_PORT_FEEDBACK, true, true, ANY, NULL, api_not_a_port,
        ROUTE_API_FEEDBACK),
    ROW("/api/ports/", PATTERN_SCOPE, true, true, ANY, NULL, api_not_a_port, ROUTE_OTHER),
    ROW("/api/search", PATTERN_EXACT, true, true, GET_HEAD, "GET, HEAD", page_search,
        ROUTE_API_SEARCH),
    ROW("/api/", PATTERN_SCOPE, true, true, ANY, NULL, api_no_route, ROUTE_OTHER),
    ROW("/static/", PATTERN_UNDER, false, true, GET_HEAD, "GET, HEAD", page_static, ROUTE_STATIC),
    /* The folder itself: no such file (there are no listings), counted as other. */
    ROW("/static/", PATTERN_EXACT, false, true, GET_HEAD, "GET, HEAD", no_file, ROUTE_OTHER),
    ROW("/favicon.ico", PATTERN_EXACT, false, true, GET_HEAD, "GET, HEAD", page_favicon,
        ROUTE_STATIC),
    ROW("/favicon.svg", PATTERN_EXACT, false, true, GET_HEAD, "GET, HEAD", page_favicon,
        ROUTE_STATIC),
    ROW("/robots.txt", PATTERN_EXACT, false, true, GET_HEAD, "GET, HEAD", page_robots, ROUTE_OTHER),
    ROW("/sitemap.xml", PATTERN_EXACT, false, true, GET_HEAD, "GET, HEAD", page_sitemap_index,
        ROUTE_OTHER),
    ROW("/sitemaps/", PATTERN_UNDER, false, true, GET_HEAD, "GET, HEAD", page_sitemap, ROUTE_OTHER),
    ROW("/healthz", PATTERN_EXACT, false, true, GET_HEAD, "GET, HEAD", page_healthz, ROUTE_HEALTHZ),
    ROW("/metrics", PATTERN_EXACT, false, true, GET_HEAD, "GET, HEAD", page_metrics, ROUTE_METRICS),
};
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

/* The segment after a port row's prefix, parsed at the first row that needs it. */
struct segment {
        bool parsed, is_port;
        uint16_t port;
        bool canonical;
};

static bool port_shape(const struct route *rt, const char *rest, size_t n, struct segment *seg)
{
        const char *slash = memchr(rest, '/', n);
        size_t len = slash ? (size_t)(slash - rest) : n;
        bool votes =
            rt->pattern == PATTERN_PORT_FEEDBACK || rt->pattern == PATTERN_NOT_PORT_FEEDBACK;

        if (votes ? !slash || n - len != strlen("/feedback") ||
                        memcmp(slash, "/feedback", strlen("/feedback")) != 0
                  : slash || len == 0)
                return false;
        if (!seg->parsed) {
                seg->is_port = httputil_parse_port(rest, len, &seg->port, &seg->canonical) == 0;
                seg->parsed = true;
        }
        return rt->pattern == PATTERN_PORT || rt->pattern == PATTERN_PORT_FEEDBACK ? seg->is_port
                                                                                   : !seg->is_port;
}

static bool row_matches(const struct route *rt, const char *path, size_t n, struct segment *seg)
{
        size_t pre = rt->len;

        if (n < pre || memcmp(path, rt->path, pre) != 0)
                return false;
        switch (rt->pattern) {
        case PATTERN_EXACT:
                return n == pre;
        case PATTERN_UNDER:
                return n > pre;
        case PATTERN_SCOPE:
                return true;
        default:
                return port_shape(rt, path + pre, n - pre, seg);
        }
}

void route_strip_lang(const char **path, size_t *n, enum lang *ret_lang)
{
        if (*n >= 3 && memcmp(*path, "/pl", 3) == 0 && (*n == 3 || (*path)[3] == '/')) {
                *path += 3;
                *n -= 3;
                *ret_lang = LANG_PL;
                return;
        }
        *ret_lang = LANG_EN;
}

void route_match(const char *path, size_t n, struct route_match *ret)
{
        struct segment seg = {0};

        *ret = (struct route_match){0};
        for (size_t i = 0; i < N_ROUTES; i++)
                if (row_matches(&routes[i], path, n, &seg)) {
                        ret->route = &routes[i];
                        if (seg.is_port) {
                                ret->port = seg.port;
                                ret->canonical = seg.canonical;
                        }
                        return;
                }
}

enum metrics_route route_label_of(const char *uri)
{
        struct route_match m;
        enum lang lang;
        size_t n;

        if (!uri || uri[0] != '/')
                return ROUTE_OTHER;
        n = strcspn(uri, "?#");
        route_strip_lang(&uri, &n, &lang);
        route_match(uri, n, &m);
        return m.route ? m.route->label : ROUTE_OTHER;
}

void route_dispatch(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                    struct reply *rp)
{
        const struct route *rt = ri->route;

        if (!rt) {
                reply_error(w, ri, rp, 404, "There is no such page.");
                return;
        }
        if (rt->api) {
                ri->api = true;
                if (ri->lang != LANG_EN) {
                        reply_error(w, ri, rp, 404, "the API has no language prefix");
                        return;
                }
        } else if (rt->english_only && ri->lang != LANG_EN) {
                reply_error(w, ri, rp, 404, "There is no such page.");
                return;
        }
        if (!(rt->methods & (unsigned)ri->cmd)) {
                reply_error(w, ri, rp, 405, "That method is not allowed here.");
                rp->allow = rt->allow;
                return;
        }
        /* A query that changes nothing ("/ports/22?utm_source=x") would make the same page a
         * second URL: sent to the one without it (absolute under --base-url, as the canonical
         * link says it).  Only a search reads its query. */
        if (ri->query && rt->handler != page_search && (ri->cmd & GET_HEAD)) {
                const char *base = w->cfg->base_url ? w->cfg->base_url : "";

                reply_redirect(rp, 301, "%s%.*s", base, (int)(ri->query - 1 - ri->uri), ri->uri);
                return;
        }
        rt->handler(w, req, ri, rp);
}

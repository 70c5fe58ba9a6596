/* routes: the website's route table.  Each row carries the path pattern, the methods it
 * answers, the handler and the metrics label, so routing and /metrics read the same row.
 *
 * Matching is pure (text in, row out: unit-tested on its own); the handlers live in pages.c
 * and votes.c.  A path is matched once per request, after its language prefix is taken off.
 */
#ifndef PORTINFO_ROUTES_H
#define PORTINFO_ROUTES_H

#include <event2/http.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "render_html.h"
#include "reply.h"
#include "request.h"

enum route_pattern {
        PATTERN_EXACT,             /* the path is .path */
        PATTERN_UNDER,             /* .path and at least one byte more */
        PATTERN_SCOPE,             /* .path and anything (or nothing) more: a scope's fallback */
        PATTERN_PORT,              /* .path + N, N a port number */
        PATTERN_NOT_PORT,          /* .path + S, S no '/' and not a port number */
        PATTERN_PORT_FEEDBACK,     /* .path + N + "/feedback" */
        PATTERN_NOT_PORT_FEEDBACK, /* .path + S + "/feedback", S no '/' and not a port number */
};

struct worker;

typedef void route_handler(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                           struct reply *rp);

struct route {
        const char *path;
        size_t len; /* strlen(path) */
        enum route_pattern pattern;
        bool api;          /* JSON answers; a language prefix is refused (404) */
        bool english_only; /* no language prefix: other languages get the 404 page */
        unsigned methods;  /* EVHTTP_REQ_* the handler answers; others: 405 */
        const char *allow; /* that 405's Allow header */
        route_handler *handler;
        enum metrics_route label;
};

/* What route_match found: the row (NULL when none) and, for {N} rows, the port. */
struct route_match {
        const struct route *route;
        uint16_t port;
        bool canonical; /* N had no leading zeros */
};

/* Takes a language prefix off the request path @path (@n bytes): "/pl" or "/pl/...".  Stores
 * the language in *ret_lang and moves *path and *n past it.  "/pl" alone leaves "" (the row
 * that sends it to "/pl/"). */
void route_strip_lang(const char **path, size_t *n, enum lang *ret_lang);

/* Finds the row for @path (@n bytes, after the language prefix, without the query) and, for a
 * port row, parses N (once).  Stores the result in *ret (always written). */
void route_match(const char *path, size_t n, struct route_match *ret);

/* The label a request target @uri (path, query and all; NULL: ROUTE_OTHER) is counted under:
 * its path up to '?' or '#', language prefix off, through route_match. */
enum metrics_route route_label_of(const char *uri);

/* Answers a request whose row on_request stored in ri->route (NULL: the 404 page): language
 * and method checks, then the row's handler. */
void route_dispatch(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                    struct reply *rp);

/* The handlers the table names.  Each fills @rp for the request @ri (its row, port and language
 * already set by the router, its method already allowed); what @rp holds is released by
 * reply_send.  pages.c: */
route_handler page_home;     /* GET / */
route_handler page_index;    /* GET /ports */
route_handler page_port;     /* GET /ports/N (leading zeros: a 301 to the canonical page) */
route_handler page_search;   /* GET /search and /api/search */
route_handler page_api_port; /* GET /api/ports/N */
route_handler page_static;   /* GET /static/... */
route_handler page_favicon;  /* GET /favicon.ico, /favicon.svg */
/* crawl.c: */
route_handler page_robots;        /* GET /robots.txt */
route_handler page_sitemap_index; /* GET /sitemap.xml */
route_handler page_sitemap;       /* GET /sitemaps/ports-N.xml */
route_handler page_healthz;       /* GET /healthz */
route_handler page_metrics;       /* GET /metrics */
/* votes.c: */
route_handler votes_post; /* POST /ports/N/feedback */
route_handler votes_get;  /* GET /api/ports/N/feedback */

#endif

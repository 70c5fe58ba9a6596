/* reply: what a handler decided, and how it goes out: status pages, redirects, the security
 * headers, the Content-Type/Cache-Control block and HEAD.
 *
 * A handler fills a struct reply; reply_send hands it to evhttp without copying the body.
 * Nothing here chooses a route or reads a request's body.
 */
#ifndef PORTINFO_REPLY_H
#define PORTINFO_REPLY_H

#include <event2/buffer.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "encoded.h"
#include "http_config.h"
#include "pagecache.h"
#include "render_html.h"
#include "request.h"

#include "reply_types.h"

struct worker;

/* What a handler decided; sent by reply_send. */
struct reply {
        int status;
        const char *type;
        const char *cache;
        char *owned; /* malloc'ed body, freed after sending */
        struct pagecache_body *cached;
        const char *fixed; /* body that outlives the request (literals) */
        size_t len;
        /* The body in each encoding kept, with its tag (a cached page's, or a static file's,
         * which lives as long as the server); NULL: the body above, sent as it is. */
        struct encoded *answer;
        bool tag_owned;  /* a 200 with an owned body: tagged from its bytes at sending */
        bool vary;       /* Vary: Accept-Encoding (the URL has encodings, even if not this one) */
        bool noindex;    /* X-Robots-Tag: noindex */
        time_t last_mod; /* Last-Modified; 0: none */
        const char *allow;
        long retry_after; /* Retry-After in seconds; 0: none */
        bool preflight;
        char location[HTTP_MAX_URL + 64]; /* an allowed origin and a port's page */
        char cookie[160];
};

/* Writes the security headers for a server whose votes go to @vote_url ("" or NULL: this
 * server) into @g (caller-owned). */
void reply_guard_init(struct reply_guard *g, const char *vote_url);

/* Fills @ctx (caller-owned) for a page in @ri's language, without counts or a vote. */
void reply_html_ctx(const struct worker *w, const struct reqinfo *ri, struct html_ctx *ctx);

/* Hands @data (@len bytes, malloc'ed) to @rp as its body; freed once sent. */
void reply_body_owned(struct reply *rp, char *data, size_t len);

/* A JSON answer with body @text (malloc'ed, taken; NULL: a 500 "out of memory"). */
void reply_json_text(struct reply *rp, int status, const char *cache, char *text);

/* A status page: JSON for the API or a client asking for it, else the HTML error page in the
 * request's language (plain @message when it cannot be built).  Drops any body set before. */
void reply_error(struct worker *w, const struct reqinfo *ri, struct reply *rp, int status,
                 const char *message);

/* A redirect (301: cached for a day, else no-store) to the address @fmt formats; an address
 * that would not fit becomes "/". */
void reply_redirect(struct reply *rp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The answer to a CORS preflight from an allowed origin. */
void reply_preflight(struct reply *rp);

/* Sends @rp as the answer to @req (a HEAD gets the GET answer's headers and no body), then
 * sets rp->len to the body bytes sent.  The body is released once written.  An answer with
 * rp->answer goes out in the encoding the request's Accept-Encoding prefers; a 200 with an
 * ETag becomes a 304 when If-None-Match names it (or, without If-None-Match, when
 * If-Modified-Since is not before rp->last_mod). */
void reply_send(struct worker *w, struct evhttp_request *req, const struct reqinfo *ri,
                struct reply *rp);

/* Writes the answer queued on @evcon at once and, when all of it went, completes the request
 * now: the request (and the connection, when the answer closes it) may be freed.  When some
 * is left, stops reading until evhttp starts on the next request, so that a half-close does
 * not cut the answers still to be written. */
void reply_flush_now(struct evhttp_connection *evcon);

/* The output-buffer hook's half for answers (@info->n_added > 0): puts the security headers
 * right after the status line of every answer.  Returns true when the answer was one evhttp
 * wrote itself (its three-digit status in @code), for the access log. */
bool reply_on_output(struct worker *w, struct evbuffer *buf, const struct evbuffer_cb_info *info,
                     char code[3]);

#endif

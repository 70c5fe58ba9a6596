/* render_html: the website's pages, built from the portdb into a capped buffer (one source file
 * per page: page_*.c, over html_common.c).
 *
 * Every byte of data goes through buf_add_html.  No I/O: the server (http.c) sends the bytes.
 * Text is translated with gettext for the page's language.
 */
#ifndef PORTINFO_RENDER_HTML_H
#define PORTINFO_RENDER_HTML_H

#include <stdbool.h>
#include <stdint.h>

#include "answer.h"
#include "buf.h"
#include "portdb.h"

enum lang { LANG_EN, LANG_PL, LANG_COUNT };

struct vote_counts {
        unsigned sad, meh, happy;
};

/* What a page needs beyond the data. */
struct html_ctx {
        enum lang lang;
        const char *site_name;            /* default "Connected" */
        const char *vote_action;          /* base URL for feedback POSTs; "" = same origin */
        const struct vote_counts *counts; /* NULL when the vote store is unavailable */
        int my_vote;                      /* -1 none, 0 sad, 1 meh, 2 happy */
        /* A page of a static copy of the site (portinfo export); false: a served page.  Its
         * search page searches in the browser (web/search.js), and its port pages have a vote
         * widget only with a vote_action, whose counts the widget's script fetches. */
        bool static_site;
        const char *meta_csp; /* a policy to put in a <meta http-equiv>; NULL: none */
};

/* Each returns 0 or the buffer's error (-E2BIG, -ENOMEM). */
int render_html_port(struct buf *b, const struct portdb *db, uint16_t port,
                     const struct html_ctx *ctx);
/* The page for answer @a (built for every protocol), as render_html_port writes it. */
int render_html_answer(struct buf *b, const struct answer *a, const struct html_ctx *ctx);
int render_html_home(struct buf *b, const struct portdb *db, const struct html_ctx *ctx);
int render_html_index(struct buf *b, const struct portdb *db, const struct html_ctx *ctx);
int render_html_search(struct buf *b, const struct portdb *db, const char *query,
                       const struct portdb_hit *hits, size_t n, const struct html_ctx *ctx);
/* Opens every language's message catalogue now, so that pages still find their text after the
 * server has given up root and the file system (the catalogue may sit in a build tree only root
 * can read).  Safe to call more than once. */
void render_html_preload(void);

/* A plain error page for HTTP status @status (400, 404, 405, 413, 414, 500, 503). */
int render_html_error(struct buf *b, int status, const struct html_ctx *ctx);

#endif

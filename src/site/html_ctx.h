/* html_ctx: what a page of the website needs beyond the data: its language, the site's name,
 * the votes.  Types only; the pages (page_*.c) and their callers share them.
 */
#ifndef PORTINFO_HTML_CTX_H
#define PORTINFO_HTML_CTX_H

#include <stdbool.h>
#include <stddef.h>

enum lang { LANG_EN, LANG_PL, LANG_COUNT };

struct asset_name;

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
        /* The static files' hashed URLs (assets.h); a name not listed links /static/NAME. */
        const struct asset_name *assets;
        size_t n_assets;
        /* The site's address, "https://host[:port]" without a trailing slash (--base-url): the
         * canonical, alternate and Open Graph addresses are absolute under it.  NULL: none,
         * and they are root-relative. */
        const char *base_url;
};

#endif

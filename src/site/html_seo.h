/* html_seo: what a page's head tells search engines and link previews (html_seo.c).  Internal
 * to src/site: html_common.c calls it while it opens a page.
 */
#ifndef PORTINFO_HTML_SEO_H
#define PORTINFO_HTML_SEO_H

#include "buf.h"
#include "html_ctx.h"

/* The page being opened: where its bytes go, its context and its language. */
struct seo_page {
        struct buf *b;
        const struct html_ctx *ctx;
        enum lang lang;
};

/* The head's tags for search engines and link previews (html_seo.c): noindex on a page whose
 * @path has a query (search results: endless, and each port has its own page), the icons, then for
 * a page with a @path its canonical address and alternates in every language, Open Graph tags and
 * JSON-LD (the site on the home page; the breadcrumb and the port on a port page).  Absolute under
 * html_ctx.base_url, else root-relative. */
void html_seo_head(const struct seo_page *pg, const char *title, const char *description,
                   const char *site, const char *path, const char *json_ld);

/* The JSON-LD of the page at @path (NULL: none) into @out, for html_seo_head and for the hash
 * html_seo_meta_csp puts in the page's policy; nothing for a page without any. */
void html_seo_json_ld(const struct seo_page *pg, const char *description, const char *site,
                      const char *path, struct buf *out);

/* The <meta> that carries html_ctx.meta_csp, with the hash of @json_ld (NULL: none) added to
 * its script-src. */
void html_seo_meta_csp(const struct seo_page *pg, const char *json_ld);

#endif

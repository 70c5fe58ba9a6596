/* page_search: the search results page.
 *
 * Internal to src/site: render_html.c calls it.
 */
#ifndef PORTINFO_PAGE_SEARCH_H
#define PORTINFO_PAGE_SEARCH_H

#include "stddef.h"
#include "buf.h"
#include "html_ctx.h"
#include "portdb.h"

/* The results of @query (@n hits); 0 or the buffer's error. */
int page_search_render(struct buf *b, const struct portdb *db, const char *query,
                       const struct portdb_hit *hits, size_t n, const struct html_ctx *ctx);

#endif

/* page_index: the index of ports by range.
 *
 * Internal to src/site: render_html.c calls it.
 */
#ifndef PORTINFO_PAGE_INDEX_H
#define PORTINFO_PAGE_INDEX_H

#include "buf.h"
#include "html_ctx.h"
#include "portdb.h"

/* The index page; 0 or the buffer's error. */
int page_index_render(struct buf *b, const struct portdb *db, const struct html_ctx *ctx);

#endif

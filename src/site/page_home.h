/* page_home: the website's front page.
 *
 * Internal to src/site: render_html.c calls it.
 */
#ifndef PORTINFO_PAGE_HOME_H
#define PORTINFO_PAGE_HOME_H

#include "buf.h"
#include "html_ctx.h"
#include "portdb.h"

/* The front page; 0 or the buffer's error. */
int page_home_render(struct buf *b, const struct portdb *db, const struct html_ctx *ctx);

#endif

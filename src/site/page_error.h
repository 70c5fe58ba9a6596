/* page_error: the plain page for an HTTP error status.
 *
 * Internal to src/site: render_html.c calls it.
 */
#ifndef PORTINFO_PAGE_ERROR_H
#define PORTINFO_PAGE_ERROR_H

#include "buf.h"
#include "html_ctx.h"

/* The page for HTTP status @status; 0 or the buffer's error. */
int page_error_render(struct buf *b, int status, const struct html_ctx *ctx);

#endif

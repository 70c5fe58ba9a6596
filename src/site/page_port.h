/* page_port: a port's page: its head, tier and official entries, then page_port_uses.c's sections.
 *
 * Internal to src/site: render_html.c calls it.
 */
#ifndef PORTINFO_PAGE_PORT_H
#define PORTINFO_PAGE_PORT_H

#include "answer.h"
#include "buf.h"
#include "html_ctx.h"

/* The page for answer @a; 0 or the buffer's error. */
int page_port_render(struct buf *b, const struct answer *a, const struct html_ctx *ctx);

#endif

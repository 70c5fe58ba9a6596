/* render_html: the website's pages, built from the portdb into a capped buffer.  The one door
 * into src/site's pages: each function hands over to its page (page_*.c, over html_common.c).
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

#include "html_ctx.h"

/* Each returns 0 or the buffer's error (-E2BIG, -ENOMEM). */
int render_html_port(struct buf *b, const struct portdb *db, uint16_t port,
                     const struct html_ctx *ctx);
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

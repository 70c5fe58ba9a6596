/* render_html: the one door into the website's pages.  Each function hands over to its page
 * (page_*.c); the port page gets the answer built here.  Decides nothing and writes nothing.
 */
#include "render_html.h"

#include "answer.h"
#include "html_common.h"
#include "page_error.h"
#include "page_home.h"
#include "page_index.h"
#include "page_port.h"
#include "page_search.h"

int render_html_port(struct buf *b, const struct portdb *db, uint16_t port,
                     const struct html_ctx *ctx)
{
        struct answer a;

        answer_build(&a, db, port, PROTO_MASK_ALL);
        return page_port_render(b, &a, ctx);
}

int render_html_home(struct buf *b, const struct portdb *db, const struct html_ctx *ctx)
{
        return page_home_render(b, db, ctx);
}

int render_html_index(struct buf *b, const struct portdb *db, const struct html_ctx *ctx)
{
        return page_index_render(b, db, ctx);
}

int render_html_search(struct buf *b, const struct portdb *db, const char *query,
                       const struct portdb_hit *hits, size_t n, const struct html_ctx *ctx)
{
        return page_search_render(b, db, query, hits, n, ctx);
}

void render_html_preload(void)
{
        html_preload();
}

int render_html_error(struct buf *b, int status, const struct html_ctx *ctx)
{
        return page_error_render(b, status, ctx);
}

/* html_stub: a stand-in for render_html.c while the real pages are being written, so that the
 * server and its tests build.  Plain, valid, escaped HTML; dropped once render_html.c lands.
 */
#include "render_html.h"

static void head(struct buf *b, const struct html_ctx *ctx, const char *title)
{
        buf_printf(b, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\"><title>",
                   ctx->lang == LANG_PL ? "pl" : "en");
        buf_add_html(b, title);
        buf_adds(b, " \xe2\x80\xa2 ");
        buf_add_html(b, ctx->site_name);
        buf_adds(b, "</title></head><body><main>");
}

static int tail(struct buf *b)
{
        buf_adds(b, "</main></body></html>\n");
        return buf_error(b);
}

int render_html_port(struct buf *b, const struct portdb *db, uint16_t port,
                     const struct html_ctx *ctx)
{
        const uint16_t *refs;
        size_t n = portdb_port_refs(db, port, &refs);

        head(b, ctx, "Port");
        buf_printf(b, "<h1>Port %u</h1><ul>", port);
        for (size_t i = 0; i < n; i++) {
                buf_adds(b, "<li>");
                buf_add_html(b, portdb_str(db, db->iana[refs[i]].description));
                buf_adds(b, "</li>");
        }
        buf_printf(b, "</ul><form id=\"feedback\" method=\"post\" action=\"%s/ports/%u/feedback\">",
                   ctx->vote_action, port);
        if (ctx->counts)
                buf_printf(b, "<p>%u %u %u mine=%d</p>", ctx->counts->sad, ctx->counts->meh,
                           ctx->counts->happy, ctx->my_vote);
        buf_adds(b, "<button name=\"vote\" value=\"happy\">happy</button></form>");
        return tail(b);
}

int render_html_home(struct buf *b, const struct portdb *db, const struct html_ctx *ctx)
{
        head(b, ctx, "Home");
        buf_adds(b, "<h1>Ports</h1>");
        return tail(b);
}

int render_html_index(struct buf *b, const struct portdb *db, const struct html_ctx *ctx)
{
        head(b, ctx, "Index");
        buf_adds(b, "<h1>Index</h1>");
        return tail(b);
}

int render_html_search(struct buf *b, const struct portdb *db, const char *query,
                       const struct portdb_hit *hits, size_t n, const struct html_ctx *ctx)
{
        head(b, ctx, "Search");
        buf_adds(b, "<h1>");
        buf_add_html(b, query);
        buf_adds(b, "</h1><ul>");
        for (size_t i = 0; i < n; i++)
                buf_printf(b, "<li><a href=\"/ports/%u\">%u</a></li>", hits[i].port, hits[i].port);
        buf_adds(b, "</ul>");
        return tail(b);
}

int render_html_error(struct buf *b, int status, const struct html_ctx *ctx)
{
        head(b, ctx, "Error");
        buf_printf(b, "<h1>%d</h1>", status);
        return tail(b);
}

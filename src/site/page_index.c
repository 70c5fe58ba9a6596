/* page_index: the ports by range: every well-known port with its service, then the registered
 * and dynamic ranges in blocks.  Reads the table; says nothing a port page would not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_common.h"
#include "page_index.h"

/* ---- index by range ----------------------------------------------------------------------- */

#define BLOCK 1024u

/* Every well-known port that has an assigned service, as a compact grid of links. */
static void index_well_known(const struct page *pg)
{
        const struct portdb *db = pg->db;
        struct buf *b = pg->b;

        buf_adds(b, "<ul class=\"grid\">\n");
        for (unsigned p = 0; p <= 1023; p++) {
                const uint16_t *refs;
                size_t n = portdb_port_refs(db, (uint16_t)p, &refs);
                const char *svc = NULL;

                for (size_t i = 0; i < n && !svc; i++)
                        if (db->iana[refs[i]].status == IANA_ASSIGNED &&
                            portdb_str(db, db->iana[refs[i]].service)[0])
                                svc = portdb_str(db, db->iana[refs[i]].service);
                if (!svc)
                        continue;
                buf_printf(b, "<li><a href=\"%s/ports/%u\">%u <span>", pg->pfx, p, p);
                buf_add_html(b, svc);
                buf_adds(b, "</span></a></li>\n");
        }
        buf_adds(b, "</ul>\n<p class=\"small\">");
        html_say(
            b, "%s",
            _("Ports without an assigned service are left out here; every one of them still has "
              "its page."));
        buf_adds(b, "</p>\n");
}

/* Tier @t in blocks of BLOCK ports, each linking to its first port, with what it holds. */
static void index_blocks(const struct page *pg, enum tier t)
{
        struct buf *b = pg->b;

        buf_adds(b, "<ul class=\"blocks\">\n");
        for (uint32_t lo = html_tier_lo[t]; lo <= html_tier_hi[t]; lo += BLOCK) {
                uint32_t hi = lo + BLOCK - 1 > html_tier_hi[t] ? html_tier_hi[t] : lo + BLOCK - 1;
                unsigned assigned, unofficial;

                html_tally(pg->db, lo, hi, &assigned, &unofficial);
                buf_printf(b, "<li><a href=\"%s/ports/%u\">%u–%u</a> <span>", pg->pfx, lo, lo, hi);
                if (t == TIER_REGISTERED) {
                        html_say(b, P_("%u assigned", "%u assigned", assigned), assigned);
                        buf_adds(b, " · ");
                }
                html_say(b, P_("%u with unofficial uses", "%u with unofficial uses", unofficial),
                         unofficial);
                buf_adds(b, "</span></li>\n");
        }
        buf_adds(b, "</ul>\n");
}

int page_index_render(struct buf *b, const struct portdb *db, const struct html_ctx *ctx)
{
        locale_t old = html_lang_enter(ctx->lang);
        struct page pg = {b, db, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};

        pg.pfx = html_lang_prefix[pg.lang];
        html_page_open(&pg, _("Ports by range"),
                       _("Every well-known port with its service, and the registered and dynamic "
                         "ranges in blocks of 1024."),
                       "/ports", NULL);
        html_say(b, "<h1>%s</h1>\n", _("Ports by range"));
        html_say(
            b, "<p class=\"lead\">%s</p>\n",
            _("The well-known ports are listed one by one with the service IANA assigned to them; "
              "the registered and dynamic ranges follow in blocks of 1024, each opening at its "
              "first port."));
        html_search_form(&pg, NULL, false);
        for (enum tier t = TIER_WELL_KNOWN; t <= TIER_DYNAMIC; t++) {
                const char *id = portdb_tier_name(t);

                buf_printf(b, "<section id=\"%s\" aria-labelledby=\"%s-h\">\n<h2 id=\"%s-h\">", id,
                           id, id);
                html_say(b, "%s <span class=\"span\">%u–%u</span></h2>\n", html_tier_name(t),
                         html_tier_lo[t], html_tier_hi[t]);
                html_say(b, "<p>%s</p>\n", html_tier_who(t));
                if (t == TIER_WELL_KNOWN)
                        index_well_known(&pg);
                else
                        index_blocks(&pg, t);
                buf_adds(b, "</section>\n");
        }
        html_page_close(&pg);
        html_lang_leave(old);
        return buf_error(b);
}

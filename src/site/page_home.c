/* page_home: the website's front page: what it is for, the search form, the three tiers with
 * their counts.  Decides nothing about ports beyond counting them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_common.h"
#include "page_home.h"

/* ---- home --------------------------------------------------------------------------------- */

static void tier_cards(const struct page *pg, bool counts)
{
        struct buf *b = pg->b;

        buf_adds(b, "<ol class=\"tiers\">\n");
        for (enum tier t = TIER_WELL_KNOWN; t <= TIER_DYNAMIC; t++) {
                unsigned assigned, unofficial;

                buf_adds(b, "<li class=\"tier\">\n");
                buf_printf(b, "<h3><a href=\"%s/ports#%s\">", pg->pfx, portdb_tier_name(t));
                html_say(b, "%s</a></h3>\n", html_tier_name(t));
                buf_printf(b, "<p class=\"span\">%u–%u</p>\n", html_tier_lo[t], html_tier_hi[t]);
                html_say(b, "<p>%s</p>\n", html_tier_who(t));
                html_tier_examples(pg, t);
                if (counts) {
                        html_tally(pg->db, html_tier_lo[t], html_tier_hi[t], &assigned,
                                   &unofficial);
                        buf_adds(b, "<p class=\"count\">");
                        if (t != TIER_DYNAMIC) {
                                html_say(b, P_("%u port assigned", "%u ports assigned", assigned),
                                         assigned);
                                buf_adds(b, " · ");
                        }
                        html_say(
                            b, P_("%u with unofficial uses", "%u with unofficial uses", unofficial),
                            unofficial);
                        buf_adds(b, "</p>\n");
                }
                buf_adds(b, "</li>\n");
        }
        buf_adds(b, "</ol>\n");
}

int page_home_render(struct buf *b, const struct portdb *db, const struct html_ctx *ctx)
{
        locale_t old = html_lang_enter(ctx->lang);
        struct page pg = {b, db, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};
        static const uint16_t examples[] = {22, 443, 1776, 3389, 31337};

        pg.pfx = html_lang_prefix[pg.lang];
        html_page_open(
            &pg, _("Network ports, explained"),
            _("What every TCP and UDP port from 0 to 65535 is for: its IANA assignment, its "
              "range, unofficial uses with sources, and how to check what is listening."),
            "/", NULL);
        html_say(b, "<div class=\"hero\">\n<h1>%s</h1>\n", _("Network ports, explained"));
        html_say(
            b, "<p class=\"lead\">%s</p>\n",
            _("Look up any port from 0 to 65535: what IANA assigned it to, which range it belongs "
              "to, what software and malware have been reported on it, and how to check what is "
              "listening on your own machine."));
        html_search_form(&pg, NULL, true);
        html_say(b, "<p class=\"try\">%s ", _("Try:"));
        for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
                if (i)
                        buf_adds(b, " ");
                html_port_link(&pg, examples[i]);
        }
        buf_adds(b, "</p>\n</div>\n");
        html_say(b, "<section aria-labelledby=\"tiers-h\">\n<h2 id=\"tiers-h\">%s</h2>\n",
                 _("Three ranges of ports"));
        html_say(
            b, "<p>%s</p>\n",
            _("IANA splits the 65,536 port numbers into three ranges, each with its own rules."));
        tier_cards(&pg, true);
        buf_adds(b, "</section>\n");
        html_page_close(&pg);
        html_lang_leave(old);
        return buf_error(b);
}

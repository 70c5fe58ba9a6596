/* page_search: the search page and its hits (served), or the empty box web/search.js fills (a
 * static copy of the site).  The search itself is portdb_search's; this only shows its hits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_common.h"
#include "parse.h"
#include "page_search.h"

/* ---- search ------------------------------------------------------------------------------- */

#define MAX_SHOWN_HITS    100
#define MAX_LINES_PER_HIT 3

/* Whether @query is a port number (one to five digits, 0-65535); stores it in *ret_port. */
static bool query_port(const char *query, uint16_t *ret_port)
{
        return strlen(query) <= 5 && parse_port(query, ret_port) == 0;
}

/* Whether everyday name @name (its records from @first in db->aliases) means entry @idx. */
static bool alias_means(const struct portdb *db, uint32_t first, const char *name, uint16_t idx)
{
        for (uint32_t i = first;
             i < db->hdr->n_aliases && strcasecmp(portdb_str(db, db->aliases[i].name), name) == 0;
             i++)
                if (db->aliases[i].iana == idx)
                        return true;
        return false;
}

/* Lines for the everyday names of entry @idx that contain @query, one per name (a name meaning
 * the port for two protocols shows once), at most @room.  Returns how many. */
static size_t alias_lines(const struct page *pg, const char *query, uint16_t idx, size_t room)
{
        const struct portdb *db = pg->db;
        const char *data_lang = pg->lang == LANG_EN ? "" : " lang=\"en\"";
        uint32_t first;
        size_t n = portdb_aliases_of(db, idx, &first), shown = 0;

        for (size_t i = 0; i < n && shown < room; i++) {
                const struct portdb_alias *al = &db->aliases[db->alias_by_iana[first + i]];
                const struct portdb_iana *e = &db->iana[idx];
                uint32_t k;
                bool dup = false;

                if (!strcasestr(portdb_str(db, al->name), query) &&
                    !strcasestr(portdb_str(db, al->meaning), query))
                        continue;
                /* The same name for the same service on another protocol, listed before. */
                for (const struct portdb_iana *o = db->iana + idx - 1;
                     o >= db->iana && o->lo == e->lo && !dup; o--)
                        dup =
                            (o->flags & PORTDB_F_ALIAS) && o->service == e->service &&
                            portdb_find_alias(db, portdb_str(db, al->name), &k) > 0 &&
                            alias_means(db, k, portdb_str(db, al->name), (uint16_t)(o - db->iana));
                if (dup)
                        continue;
                buf_printf(pg->b, "<p><code%s>", data_lang);
                buf_add_html(pg->b, portdb_str(db, al->name));
                buf_printf(pg->b, "</code> <span%s>", data_lang);
                buf_add_html(pg->b, portdb_str(db, al->meaning));
                buf_adds(pg->b, "</span> <span class=\"meta\">");
                html_say(pg->b, _("everyday name of %s"), portdb_str(db, e->service));
                buf_adds(pg->b, "</span></p>\n");
                shown++;
        }
        return shown;
}

static void hit_lines(const struct page *pg, const char *query, const struct portdb_hit *h)
{
        const struct portdb *db = pg->db;
        struct buf *b = pg->b;
        const uint16_t *refs;
        const struct portdb_unofficial *uo;
        size_t nrefs = portdb_port_refs(db, h->port, &refs);
        size_t nuo = portdb_unofficial_at(db, h->port, &uo);
        size_t shown = 0;
        const char *data_lang = pg->lang == LANG_EN ? "" : " lang=\"en\"";

        for (size_t i = 0; i < nrefs && shown < MAX_LINES_PER_HIT; i++)
                if (db->iana[refs[i]].flags & PORTDB_F_ALIAS)
                        shown += alias_lines(pg, query, refs[i], MAX_LINES_PER_HIT - shown);
        for (size_t i = 0; i < nrefs && shown < MAX_LINES_PER_HIT; i++) {
                const struct portdb_iana *e = &db->iana[refs[i]];
                bool dup = false;

                if (e->status != IANA_ASSIGNED ||
                    (!strcasestr(portdb_str(db, e->service), query) &&
                     !strcasestr(portdb_str(db, e->description), query)))
                        continue;
                for (size_t j = 0; j < i && !dup; j++)
                        dup = db->iana[refs[j]].service == e->service &&
                              db->iana[refs[j]].description == e->description;
                if (dup)
                        continue;
                buf_adds(b, "<p><code>");
                buf_add_html(b, portdb_str(db, e->service));
                buf_printf(b, "</code> <span%s>", data_lang);
                buf_add_html(b, portdb_str(db, e->description));
                buf_adds(b, "</span>");
                if (e->lo != e->hi)
                        buf_printf(b, " <span class=\"meta\">(%u–%u)</span>", e->lo, e->hi);
                buf_adds(b, "</p>\n");
                shown++;
        }
        for (size_t i = 0; i < nuo && shown < MAX_LINES_PER_HIT; i++) {
                if (!strcasestr(portdb_str(db, uo[i].name), query))
                        continue;
                buf_printf(b, "<p><span%s>", data_lang);
                buf_add_html(b, portdb_str(db, uo[i].name));
                html_say(b, "</span> <span class=\"meta\">%s</span></p>\n",
                         uo[i].kind == UO_MALWARE    ? _("unofficial: malware")
                         : uo[i].kind == UO_SOFTWARE ? _("unofficial: software")
                                                     : _("unofficial: other"));
                shown++;
        }
}

/* The results box of a static copy of the site, filled by web/search.js from the search index,
 * with the sentences it needs in this page's language (templates: %s, %u and %zu are filled in
 * by the script, as textContent). */
static void browser_search(const struct page *pg)
{
        static const struct {
                const char *attr;
                unsigned n;
        } plural[] = {{"one", 1}, {"few", 2}, {"many", 5}, {"other", 5}};
        struct buf *b = pg->b;

        buf_printf(b, "<div id=\"results\" data-index=\"/search-index.json\" data-prefix=\"%s\"",
                   pg->pfx);
        buf_printf(b, " data-lang=\"%s\"", html_lang_code[pg->lang]);
        for (size_t i = 0; i < sizeof(plural) / sizeof(plural[0]); i++) {
                buf_printf(b, " data-count-%s=\"", plural[i].attr);
                buf_add_html(b, P_("%zu port matches “%s”.", "%zu ports match “%s”.", plural[i].n));
                buf_adds(b, "\"");
        }
        html_say(b, " data-first=\"%s\"",
                 P_("The first %u is shown; a longer query narrows them down.",
                    "The first %u are shown; a longer query narrows them down.", MAX_SHOWN_HITS));
        html_say(b, " data-go=\"%s\" data-port=\"%s\"", _("Go to the page for port %u"),
                 _("Port %u"));
        html_say(b, " data-malware=\"%s\" data-software=\"%s\" data-other=\"%s\"",
                 _("unofficial: malware"), _("unofficial: software"), _("unofficial: other"));
        html_say(b, " data-alias=\"%s\"", _("everyday name of %s"));
        html_say(b, " data-title=\"%s\" data-failed=\"%s\"></div>\n", _("Search: %s"),
                 _("The search index could not be loaded. Please try again later."));
        html_say(
            b, "<noscript><p>%s ",
            _("Searching this copy of the site needs JavaScript; every port still has its page, "
              "reachable from the index by range."));
        buf_printf(b, "<a href=\"%s/ports\">", pg->pfx);
        html_say(b, "%s</a></p></noscript>\n", _("Ports by range"));
}

int page_search_render(struct buf *b, const struct portdb *db, const char *query,
                       const struct portdb_hit *hits, size_t n, const struct html_ctx *ctx)
{
        locale_t old = html_lang_enter(ctx->lang);
        struct page pg = {b, db, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};
        struct buf path;
        const char *q = query ? query : "";
        uint16_t port;
        char title[PORTDB_MAX_QUERY + 64];

        pg.pfx = html_lang_prefix[pg.lang];
        buf_init(&path, 4 * PORTDB_MAX_QUERY + 32);
        buf_adds(&path, "/search");
        if (q[0]) {
                buf_adds(&path, "?q=");
                buf_add_url(&path, q);
        }
        if (q[0])
                snprintf(title, sizeof(title), _("Search: %s"), q);
        else
                snprintf(title, sizeof(title), "%s", C_("page", "Search"));
        html_page_open(&pg, title, NULL, buf_error(&path) ? "/search" : path.data,
                       ctx->static_site ? "search.js" : NULL);
        buf_done(&path);
        html_say(b, "<h1>%s</h1>\n", C_("page", "Search"));
        html_search_form(&pg, q[0] ? q : NULL, false);
        if (ctx->static_site)
                browser_search(&pg);
        if (q[0]) {
                buf_adds(b, "<p class=\"result-count\">");
                html_say(b, P_("%zu port matches “%s”.", "%zu ports match “%s”.", n), n, q);
                if (n > MAX_SHOWN_HITS) {
                        buf_adds(b, " ");
                        html_say(b,
                                 P_("The first %u is shown; a longer query narrows them down.",
                                    "The first %u are shown; a longer query narrows them down.",
                                    MAX_SHOWN_HITS),
                                 MAX_SHOWN_HITS);
                }
                buf_adds(b, "</p>\n");
        }
        if (query_port(q, &port)) {
                buf_printf(b, "<p class=\"direct\"><a href=\"%s/ports/%u\">", pg.pfx, port);
                html_say(b, _("Go to the page for port %u"), port);
                buf_adds(b, " →</a></p>\n");
        }
        if (n > 0) {
                buf_adds(b, "<ol class=\"hits\">\n");
                for (size_t i = 0; i < n && i < MAX_SHOWN_HITS; i++) {
                        buf_printf(b, "<li><h2><a href=\"%s/ports/%u\">", pg.pfx, hits[i].port);
                        html_say(b, _("Port %u"), hits[i].port);
                        buf_adds(b, "</a></h2>\n");
                        hit_lines(&pg, q, &hits[i]);
                        buf_adds(b, "</li>\n");
                }
                buf_adds(b, "</ol>\n");
        } else if (!q[0]) {
                html_say(b, "<p>%s</p>\n",
                         _("Type a port number, a service name such as ssh, or a program's name."));
        }
        html_page_close(&pg);
        html_lang_leave(old);
        return buf_error(b);
}

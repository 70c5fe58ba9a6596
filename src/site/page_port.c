/* page_port: the page for one port: its header, the lead, where it sits among the tiers and its
 * official (IANA) entries; the sections on its other uses are in page_port_uses.c.
 *
 * Formats a struct answer and decides nothing: every fact and verdict comes from answer.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "page_port.h"
#include "page_port_uses.h"

/* The registry's description the tagline gives after the service's name @names, or NULL. */
static const char *tagline_desc(const struct page *pg, const struct answer *a, const char *names)
{
        const char *desc = portdb_str(pg->db, a->first_assigned->description);

        return a->n_services == 1 && desc[0] && strlen(desc) <= 64 && strcasecmp(desc, names) != 0
                   ? desc
                   : NULL;
}

/* The tagline: what the port is, in a few words (plain text into @out). */
static void tagline(const struct page *pg, const struct answer *a, char *out, size_t size)
{
        if (a->status == PORT_ASSIGNED && a->n_services > 0) {
                const char *desc;
                char names[200];

                page_port_services(a, names, sizeof(names));
                desc = tagline_desc(pg, a, names);
                if (desc)
                        snprintf(out, size, _("%s (%s)"), names, desc);
                else
                        snprintf(out, size, "%s", names);
        } else if (a->status == PORT_RESERVED) {
                snprintf(out, size, "%s",
                         a->counts[UO_MALWARE] ? _("set aside, but not forgotten")
                                               : _("set aside by IANA"));
        } else if (a->counts[UO_MALWARE]) {
                snprintf(out, size, "%s", _("empty, but not forgotten"));
        } else if (a->counts[UO_SOFTWARE] || a->counts[UO_OTHER]) {
                snprintf(out, size, "%s", _("empty, but in unofficial use"));
        } else {
                snprintf(out, size, "%s", _("empty"));
        }
}

static const char *status_words(const struct answer *a)
{
        if (a->tier == TIER_DYNAMIC && a->status == PORT_UNASSIGNED)
                return _("dynamic and unassigned");
        switch (a->status) {
        case PORT_ASSIGNED:
                return _("assigned");
        case PORT_RESERVED:
                return _("reserved");
        default:
                return _("unassigned");
        }
}

/* The tier as a label for one port. */
static const char *tier_badge(enum tier t)
{
        switch (t) {
        case TIER_WELL_KNOWN:
                return _("Well-known port");
        case TIER_REGISTERED:
                return _("Registered port");
        default:
                return _("Dynamic port");
        }
}

/* ---- the port page ------------------------------------------------------------------------ */

static void breadcrumb(const struct page *pg, uint16_t port)
{
        struct buf *b = pg->b;

        html_say(b, "<nav class=\"crumbs\" aria-label=\"%s\">\n", _("Breadcrumb"));
        buf_adds(b, "<ol itemscope itemtype=\"https://schema.org/BreadcrumbList\">\n");
        buf_printf(
            b,
            "<li itemprop=\"itemListElement\" itemscope itemtype=\"https://schema.org/ListItem\">"
            "<a itemprop=\"item\" href=\"%s/ports\"><span itemprop=\"name\">",
            pg->pfx);
        html_say(b, "%s</span></a><meta itemprop=\"position\" content=\"1\"></li>\n", _("Ports"));
        buf_printf(
            b,
            "<li itemprop=\"itemListElement\" itemscope itemtype=\"https://schema.org/ListItem\">"
            "<a itemprop=\"item\" href=\"%s/ports/%u\" aria-current=\"page\"><span "
            "itemprop=\"name\">",
            pg->pfx, port);
        html_say(b, _("Port %u"), port);
        buf_adds(b, "</span></a><meta itemprop=\"position\" content=\"2\"></li>\n</ol>\n</nav>\n");
}

static void lead(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;

        buf_adds(b, "<p class=\"lead\">");
        switch (a->tier) {
        case TIER_WELL_KNOWN:
                html_say(b,
                         _("Port %u is a <strong>well-known port</strong>, in the system range "
                           "0–1023."),
                         a->port);
                break;
        case TIER_REGISTERED:
                html_say(b,
                         _("Port %u is a <strong>registered port</strong>, in the user range "
                           "1024–49151."),
                         a->port);
                break;
        default:
                html_say(b,
                         _("Port %u is a <strong>dynamic port</strong>, in the private range "
                           "49152–65535."),
                         a->port);
                break;
        }
        buf_adds(b, " ");
        if (a->status == PORT_ASSIGNED && a->n_services > 0) {
                char names[200];

                page_port_services(a, names, sizeof(names));
                if (a->range)
                        html_say(b,
                                 /* TRANSLATORS: the count is the number of services in the list %s:
                                  * it decides the case of the words around it ("to ssh", "to http
                                  * and www"). */
                                 P_("IANA has assigned it to <strong>%s</strong>, as part of the "
                                    "range %u–%u, for ",
                                    "IANA has assigned it to <strong>%s</strong>, as part of the "
                                    "range %u–%u, for ",
                                    a->n_services),
                                 names, a->range->lo, a->range->hi);
                else
                        html_say(b,
                                 /* TRANSLATORS: the count is the number of services in the list %s:
                                  * it decides the case of the words around it ("to ssh", "to http
                                  * and www"). */
                                 P_("IANA has assigned it to <strong>%s</strong> for ",
                                    "IANA has assigned it to <strong>%s</strong> for ",
                                    a->n_services),
                                 names);
                html_add_protos(b, a->assigned_protos);
                buf_adds(b, ".");
        } else if (a->status == PORT_ASSIGNED) {
                html_say(b, "%s", _("IANA lists an assignment for it that names no service."));
        } else if (a->status == PORT_RESERVED) {
                html_say(b, "%s", _("IANA lists it as reserved: no service is assigned to it."));
        } else if (a->tier == TIER_DYNAMIC) {
                html_say(b, "%s",
                         _("IANA never assigns ports in this range, so no service owns it."));
        } else {
                html_say(b, "%s", _("IANA has not assigned it to any service."));
        }
        buf_adds(b, "</p>\n");
}

static void summary(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;
        size_t n = a->n_services ? a->n_services : 1;
        char names[200];

        page_port_services(a, names, sizeof(names));
        buf_adds(b, "<p class=\"sum\">");
        if (a->status == PORT_ASSIGNED && a->tier == TIER_WELL_KNOWN)
                html_say(
                    b,
                    /* TRANSLATORS: the count is the number of services in the list %s: it
                     * decides the case of the words around it ("to ssh", "to http and www"). */
                    P_("In short: port %u belongs to %s, and on most systems only privileged "
                       "programs can listen on it.",
                       "In short: port %u belongs to %s, and on most systems only privileged "
                       "programs can listen on it.",
                       n),
                    a->port, names[0] ? names : "?");
        else if (a->status == PORT_ASSIGNED)
                html_say(
                    b,
                    /* TRANSLATORS: the count is the number of services in the list %s: it
                     * decides the case of the words around it ("to ssh", "to http and www"). */
                    P_("In short: port %u is registered to %s, but any program may use it, "
                       "so check what actually listens.",
                       "In short: port %u is registered to %s, but any program may use it, "
                       "so check what actually listens.",
                       n),
                    a->port, names[0] ? names : "?");
        else if (a->tier == TIER_WELL_KNOWN)
                html_say(b,
                         _("In short: port %u is a system port with no service assigned; nothing "
                           "standard should listen on it."),
                         a->port);
        else if (a->tier == TIER_REGISTERED)
                html_say(b,
                         _("In short: port %u is free: no service is registered for it, and any "
                           "program may take it."),
                         a->port);
        else
                html_say(b,
                         _("In short: port %u is free for anyone: IANA never assigns it, and your "
                           "own system may use it for outgoing connections."),
                         a->port);
        if (page_port_both_true(a))
                html_say(b, " %s",
                         _("Old malware lists name it too, so security tools may still "
                           "take a second look."));
        else if (a->verdict == ANSWER_VERDICT_MALWARE_ONLY)
                html_say(b, " %s", _("Its past is not clean: old lists tie it to malware."));
        else if (a->counts[UO_SOFTWARE] || a->counts[UO_OTHER])
                html_say(b, " %s", _("Some software uses it unofficially, as listed below."));
        buf_adds(b, "</p>\n");
}

static void tier_section(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;

        html_say(b, "<section id=\"tier\" aria-labelledby=\"tier-h\">\n<h2 id=\"tier-h\">");
        html_say(b, _("Where port %u sits"), a->port);
        buf_adds(b, "</h2>\n");
        html_say(
            b, "<p>%s</p>\n",
            _("IANA splits the 65,536 port numbers into three ranges, each with its own rules."));
        buf_adds(b, "<ol class=\"tiers\">\n");
        for (enum tier t = TIER_WELL_KNOWN; t <= TIER_DYNAMIC; t++) {
                bool here = t == a->tier;

                buf_printf(b, "<li class=\"tier%s\"%s>\n", here ? " here" : "",
                           here ? " aria-current=\"true\"" : "");
                html_say(b, "<h3>%s</h3>\n", html_tier_name(t));
                buf_printf(b, "<p class=\"span\">%u–%u</p>\n", html_tier_lo[t], html_tier_hi[t]);
                if (here) {
                        buf_adds(b, "<p class=\"mark\">");
                        html_say(b, _("Port %u is here"), a->port);
                        buf_adds(b, "</p>\n");
                }
                html_say(b, "<p>%s</p>\n", html_tier_who(t));
                html_tier_examples(pg, t);
                buf_adds(b, "</li>\n");
        }
        buf_adds(b, "</ol>\n");
        summary(pg, a);
        buf_adds(b, "</section>\n");
}

/* Renders an IANA reference field: [RFC6335] links to the RFC Editor, [https://…] to itself,
 * [draft-…] to the IETF datatracker; anything else stays text. */
static void reference(struct buf *b, const char *ref)
{
        const char *s = ref;

        while (*s) {
                const char *open = strchr(s, '['), *close = open ? strchr(open, ']') : NULL;
                char tok[512];
                size_t len;

                if (!open || !close) {
                        buf_add_html(b, s);
                        return;
                }
                len = (size_t)(open - s);
                if (len) {
                        snprintf(tok, sizeof(tok), "%.*s", (int)len, s);
                        buf_add_html(b, tok);
                }
                len = (size_t)(close - open - 1);
                snprintf(tok, sizeof(tok), "%.*s", (int)(len < sizeof(tok) ? len : sizeof(tok) - 1),
                         open + 1);
                if (strncmp(tok, "RFC", 3) == 0 && tok[3] >= '0' && tok[3] <= '9') {
                        unsigned long n = strtoul(tok + 3, NULL, 10);
                        char url[64], text[540];

                        snprintf(url, sizeof(url), "https://www.rfc-editor.org/rfc/rfc%lu", n);
                        snprintf(text, sizeof(text), "RFC %s", tok + 3);
                        html_outbound_link(b, url, text);
                } else if (html_is_http_url(tok) && !strpbrk(tok, " \t<>\"")) {
                        html_outbound_link(b, tok, tok);
                } else if (strncmp(tok, "draft-", 6) == 0 && !strpbrk(tok, " \t/<>\"?#")) {
                        char url[600];

                        snprintf(url, sizeof(url), "https://datatracker.ietf.org/doc/%s", tok);
                        html_outbound_link(b, url, tok);
                } else {
                        buf_add_html(b, tok);
                }
                s = close + 1;
                if (*s)
                        buf_adds(b, " ");
                while (*s == ' ' || *s == ',')
                        s++;
        }
}

static void dd_text(const struct page *pg, const char *term, const char *value)
{
        if (!value[0])
                return;
        html_say(pg->b, "<dt>%s</dt><dd>%s</dd>\n", term, value);
}

/* Opens a <dd> for data after its term; @attrs is markup the page code built (" lang=\"en\""
 * or ""), so it is written as is, never through the escaper that data goes through. */
static void dd_open(struct buf *b, const char *term, const char *attrs)
{
        html_say(b, "<dt>%s</dt>", term);
        buf_printf(b, "<dd%s>", attrs);
}

/* A <dd> of English data @value (nothing when it is empty). */
static void dd_data(const struct page *pg, const char *term, const char *value, const char *attrs)
{
        if (!value[0])
                return;
        dd_open(pg->b, term, attrs);
        buf_add_html(pg->b, value);
        buf_adds(pg->b, "</dd>\n");
}

static void dd_date(const struct page *pg, const char *term, const char *date)
{
        if (!date[0])
                return;
        html_say(pg->b, "<dt>%s</dt><dd><time datetime=\"%s\">%s</time></dd>\n", term, date, date);
}

static void iana_entry(const struct page *pg, const struct answer *a, const struct portdb_iana *e,
                       unsigned protos)
{
        const struct portdb *db = pg->db;
        struct buf *b = pg->b;
        const char *service = portdb_str(db, e->service);
        const char *desc = portdb_str(db, e->description);
        const char *data_lang = pg->lang == LANG_EN ? "" : " lang=\"en\"";

        buf_printf(b, "<div class=\"entry%s\">\n<h3><span class=\"proto\">",
                   e->status == IANA_ASSIGNED ? "" : " none");
        if (protos)
                html_add_protos(b, protos);
        else
                html_say(b, "%s", _("all protocols"));
        buf_adds(b, "</span> ");
        if (e->status == IANA_ASSIGNED && service[0]) {
                buf_adds(b, "<code>");
                buf_add_html(b, service);
                buf_adds(b, "</code>");
        } else if (e->status == IANA_RESERVED) {
                html_say(b, "%s", _("reserved"));
        } else if (e->status == IANA_UNASSIGNED) {
                html_say(b, "%s", _("unassigned"));
        } else {
                html_say(b, "%s", _("no service name"));
        }
        buf_adds(b, "</h3>\n");
        if (e->status == IANA_ASSIGNED && desc[0]) {
                buf_printf(b, "<p%s>", data_lang);
                buf_add_html(b, desc);
                buf_adds(b, "</p>\n");
        }
        buf_adds(b, "<dl>\n");
        if (e->lo != e->hi) {
                html_say(b, "<dt>%s</dt><dd>", _("Range"));
                html_say(b, _("one entry for ports %u–%u, port %u among them"), e->lo, e->hi,
                         a->port);
                buf_adds(b, "</dd>\n");
        }
        /* Who holds the entry: names as the English registry writes them. */
        dd_data(pg, _("Assignee"), portdb_str(db, e->assignee), data_lang);
        if (strcmp(portdb_str(db, e->contact), portdb_str(db, e->assignee)) != 0)
                dd_data(pg, _("Contact"), portdb_str(db, e->contact), data_lang);
        dd_date(pg, _("Registered"), portdb_str(db, e->registered));
        dd_date(pg, _("Last changed"), portdb_str(db, e->modified));
        if (portdb_str(db, e->reference)[0]) {
                dd_open(b, _("Reference"), data_lang);
                reference(b, portdb_str(db, e->reference));
                buf_adds(b, "</dd>\n");
        }
        dd_text(pg, _("Service code"), portdb_str(db, e->service_code));
        if (portdb_str(db, e->note)[0]) {
                dd_open(b, _("Note"), data_lang);
                buf_add_html(b, portdb_str(db, e->note));
                buf_adds(b, "</dd>\n");
        }
        if (portdb_str(db, e->unauthorized)[0]) {
                dd_open(b, _("Unauthorized use reported"), data_lang);
                buf_add_html(b, portdb_str(db, e->unauthorized));
                buf_adds(b, "</dd>\n");
        }
        buf_adds(b, "</dl>\n</div>\n");
}

static void official_section(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;

        html_say(b,
                 "<section id=\"official\" aria-labelledby=\"official-h\">\n<h2 "
                 "id=\"official-h\">%s</h2>\n",
                 _("Official use (IANA)"));
        if (a->n_rows == 0) {
                html_say(b, "<p>%s</p>\n",
                         a->tier == TIER_DYNAMIC
                             ? _("The registry has no entry for this port: IANA does not assign "
                                 "ports in the dynamic range.")
                             : _("The registry has no entry for this port."));
        } else {
                html_say(b, "<p>%s</p>\n",
                         P_("The IANA registry has one entry that covers this port.",
                            "The IANA registry has these entries covering this port, by protocol.",
                            a->n_rows));
                for (size_t r = 0; r < a->n_rows; r++)
                        iana_entry(pg, a, a->rows[r].entry, a->rows[r].protos);
        }
        /* Only a registry installed with --force can pass the cap (answer.h). */
        if (answer_entries_omitted(a)) {
                size_t n = answer_entries_omitted(a);

                buf_adds(b, "<p class=\"omitted\">");
                html_say(b,
                         P_("%zu more entry covers this port; a page shows at most %u.",
                            "%zu more entries cover this port; a page shows at most %u.", n),
                         n, (unsigned)ANSWER_MAX_ENTRIES);
                buf_adds(b, "</p>\n");
        }
        buf_adds(b, "</section>\n");
}

/* "Also known as: RDP (Remote Desktop Protocol) [1], ...": the port's everyday names, English
 * data marked as such on a page in another language. */
static void also_known_as(const struct page *pg, const struct answer *a)
{
        const char *data_lang = pg->lang == LANG_EN ? "" : " lang=\"en\"";
        struct buf *b = pg->b;

        if (a->n_akas == 0)
                return;
        html_say(b, "<p class=\"aka\"><strong>%s</strong> ", _("Also known as:"));
        for (size_t k = 0; k < a->n_akas; k++) {
                const struct answer_aka *ak = &a->akas[k];

                if (k > 0)
                        buf_adds(b, ", ");
                buf_printf(b, "<span class=\"aka-name\"%s>", data_lang);
                buf_add_html(b, portdb_str(pg->db, ak->alias->name));
                buf_printf(b, "</span> (<span%s>", data_lang);
                buf_add_html(b, portdb_str(pg->db, ak->alias->meaning));
                buf_adds(b, "</span>, ");
                html_add_protos(b, ak->protos);
                buf_adds(b, ")");
                page_port_source_ref(pg, ak->num);
        }
        buf_adds(b, "</p>\n");
}

/* The tagline @tag as the page shows it: the registry's description in it marked as English
 * data on a page in another language. */
static void tagline_html(const struct page *pg, const struct answer *a, const char *tag)
{
        const char *desc = NULL, *fmt, *first, *second;
        char names[200];

        if (a->status == PORT_ASSIGNED && a->n_services > 0 && pg->lang != LANG_EN) {
                page_port_services(a, names, sizeof(names));
                desc = tagline_desc(pg, a, names);
        }
        fmt = _("%s (%s)");
        first = strstr(fmt, "%s");
        second = first ? strstr(first + 2, "%s") : NULL;
        if (!desc || !second) {
                buf_add_html(pg->b, tag);
                return;
        }
        /* "%s (%s)" in this language, a trusted template: its text around the two parts. */
        buf_add(pg->b, fmt, (size_t)(first - fmt));
        buf_add_html(pg->b, names);
        buf_add(pg->b, first + 2, (size_t)(second - first - 2));
        buf_adds(pg->b, "<span lang=\"en\">");
        buf_add_html(pg->b, desc);
        buf_adds(pg->b, "</span>");
        buf_adds(pg->b, second + 2);
}

/* The header of the article: the number, the tagline, the badges. */
static void port_head(const struct page *pg, const struct answer *a, const char *tag)
{
        struct buf *b = pg->b;

        buf_adds(b, "<article>\n<header class=\"port-head\">\n<h1>");
        html_say(b, _("Port %u"), a->port);
        buf_adds(b, "</h1>\n<p class=\"tagline\">");
        tagline_html(pg, a, tag);
        buf_adds(b, "</p>\n");
        also_known_as(pg, a);
        buf_adds(b, "<p class=\"badges\">");
        html_say(b, "<span class=\"badge range\">%s</span> ", tier_badge(a->tier));
        html_say(b, "<span class=\"badge st-%s\">%s</span>", portdb_status_name(a->status),
                 a->status == PORT_ASSIGNED   ? _("Assigned by IANA")
                 : a->status == PORT_RESERVED ? _("Reserved by IANA")
                                              : _("Not assigned by IANA"));
        if (a->counts[UO_MALWARE])
                html_say(b, " <span class=\"badge mal\">%s</span>", _("Malware history"));
        buf_adds(b, "</p>\n</header>\n");
}

int page_port_render(struct buf *b, const struct answer *a, const struct html_ctx *ctx)
{
        locale_t old = html_lang_enter(ctx->lang);
        struct page pg = {b, a->db, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};
        const char *date = portdb_str(a->db, a->db->hdr->registry_updated);
        char tag[300], title[400], desc[600], path[24];
        /* A static page has a vote widget only when votes have somewhere to go. */
        bool votes = !ctx->static_site || (ctx->vote_action && ctx->vote_action[0]);

        pg.pfx = html_lang_prefix[pg.lang];
        tagline(&pg, a, tag, sizeof(tag));
        snprintf(title, sizeof(title), _("Port %u: %s — %s"), a->port, status_words(a), tag);
        snprintf(desc, sizeof(desc),
                 _("Port %u: %s. Its range, its official IANA use, known unofficial uses and how "
                   "to check what is listening on it."),
                 a->port, tag);
        snprintf(path, sizeof(path), "/ports/%u", a->port);

        html_page_open(&pg, title, desc, path, votes ? "feedback.js" : NULL);
        breadcrumb(&pg, a->port);
        port_head(&pg, a, tag);
        lead(&pg, a);
        tier_section(&pg, a);
        official_section(&pg, a);
        page_port_unofficial(&pg, a);
        if (a->status != PORT_ASSIGNED)
                page_port_why(&pg, a);
        page_port_check(&pg, a);
        if (votes)
                page_port_feedback(&pg, a->port);
        buf_adds(b, "</article>\n");
        page_port_neighbours(&pg, a->port);
        if (date[0]) {
                buf_adds(b, "<p class=\"small\">");
                html_say(b,
                         _("This page was generated from the IANA registry of <time "
                           "datetime=\"%s\">%s</time>."),
                         date, date);
                buf_adds(b, "</p>\n");
        }
        html_page_close(&pg);
        html_lang_leave(old);
        return buf_error(b);
}

/* page_port_uses: the sections of a port's page after its official entries: the unofficial
 * uses with their sources, why an unassigned port matters, how to check a machine, the votes
 * and the neighbouring ports.
 *
 * Formats a struct answer: the claims, their source numbers, the verdict and the commands are
 * decided in answer.c, never here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_port_uses.h"

/* ---- unofficial uses ---------------------------------------------------------------------- */

/* The port a claim was listed on (its first use's). */
static unsigned pg_port(const struct answer_claim *c)
{
        return c->first->port;
}

/* " lang="en"" on a page in another language: data from the sources is English. */
static const char *data_lang(const struct page *pg)
{
        return pg->lang == LANG_EN ? "" : " lang=\"en\"";
}

void page_port_source_ref(const struct page *pg, size_t num)
{
        struct buf *b = pg->b;

        if (!num)
                return;
        buf_printf(b, "<sup><a class=\"fn\" href=\"#src-%zu\" aria-label=\"", num);
        html_say(b, _("source %zu"), num);
        buf_printf(b, "\">[%zu]</a></sup>", num);
}

/* The ATT&CK ID of claim @c as a link to its page (text alone for a link that is not http). */
static void attack_ref(const struct page *pg, const struct answer_claim *c)
{
        const char *id = portdb_str(pg->db, c->ref->ref_id);
        const char *url = portdb_str(pg->db, c->ref->ref_url);
        char text[64];

        snprintf(text, sizeof(text), "ATT&CK %.40s", id);
        buf_adds(pg->b, ", ");
        if (html_is_http_url(url))
                html_outbound_link(pg->b, url, text);
        else
                buf_add_html(pg->b, text);
}

/* "Correction: ... [n]" under a claim another source contradicts. */
static void correction(const struct page *pg, const struct answer_claim *c)
{
        struct buf *b = pg->b;

        html_say(b, "<p class=\"correction\"><strong>%s</strong> ", _("Correction:"));
        buf_printf(b, "<span%s>", data_lang(pg));
        buf_add_html(b, portdb_str(pg->db, c->correction->text));
        buf_adds(b, "</span>");
        page_port_source_ref(pg, c->correction_num);
        buf_adds(b, "</p>\n");
}

static void claim_item(const struct page *pg, const struct answer_claim *c)
{
        struct buf *b = pg->b;
        char note[300] = "";

        if (c->note)
                snprintf(note, sizeof(note), "%.*s", c->note_len, c->note);
        buf_printf(b, "<li><span class=\"name\"%s>", data_lang(pg));
        buf_add_html(b, portdb_str(pg->db, c->first->name));
        buf_adds(b, "</span> <span class=\"meta\">");
        if (c->port_hi > pg_port(c)) {
                html_say(b, _("ports %u–%u"), pg_port(c), c->port_hi);
                buf_adds(b, ", ");
        }
        html_add_protos(b, c->protos);
        if (c->year)
                buf_printf(b, ", %u", c->year);
        if (c->ref)
                attack_ref(pg, c);
        buf_adds(b, "</span>");
        for (size_t k = 0; k < c->n_nums; k++)
                page_port_source_ref(pg, c->nums[k]);
        if (note[0]) {
                buf_printf(b, " <span class=\"note\"%s>", data_lang(pg));
                buf_add_html(b, note);
                buf_adds(b, "</span>");
        }
        if (c->correction)
                correction(pg, c);
        buf_adds(b, "</li>\n");
}

/* One list of the claims of @kind and @era (uses with the same name merged into one item with
 * all their protocols, the earliest year and every source) under @heading (an h@level). */
static void claims(const struct page *pg, const struct answer *a, enum uo_kind kind,
                   enum uo_era era, const char *heading, int level)
{
        struct buf *b = pg->b;
        bool any = false;

        for (size_t i = 0; i < a->n_claims; i++) {
                if (a->claims[i].kind != kind || a->claims[i].era != era)
                        continue;
                if (!any) {
                        buf_printf(b, "<h%d>", level);
                        html_say(b, "%s", heading);
                        buf_printf(b, "</h%d>\n<ul class=\"claims %s%s\">\n", level,
                                   kind == UO_MALWARE ? "malware" : "software",
                                   a->claim_counts[kind] > 8 ? " long" : "");
                        any = true;
                }
                claim_item(pg, &a->claims[i]);
        }
        if (any)
                buf_adds(b, "</ul>\n");
}

/* Threats: with reports since 2010, in two groups under one heading; else as before. */
static void threats(const struct page *pg, const struct answer *a)
{
        if (a->era_counts[UO_ERA_MODERN] == 0) {
                claims(pg, a, UO_MALWARE, UO_ERA_HISTORICAL, _("Malware"), 3);
                return;
        }
        html_say(pg->b, "<h3>%s</h3>\n", _("Threats (malware and attack tools)"));
        claims(pg, a, UO_MALWARE, UO_ERA_MODERN, _("Reported since 2010, newest first"), 4);
        claims(pg, a, UO_MALWARE, UO_ERA_HISTORICAL,
               _("From older lists and reports (mostly before 2010)"), 4);
}

/* An honest line on how much the claims prove, from their number, sources and dates. */
static void evidence(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;
        size_t n = a->notes.n;

        html_say(b, "<p class=\"evidence\"><strong>%s</strong> ",
                 _("How strong is this evidence?"));
        html_say(b, "%s ",
                 _("A listing shows that someone saw a program use this port at some time. It "
                   "does not show what uses the port on your network today."));
        html_say(
            b,
            P_("The claims above rest on %zu source.", "The claims above rest on %zu sources.", n),
            n);
        buf_adds(b, " ");
        if (!a->year_min)
                html_say(b, "%s", _("No claim gives a year."));
        else if (a->year_min == a->year_max)
                html_say(b, _("The only year given is %u."), a->year_min);
        else
                html_say(b, _("The years given run from %u to %u."), a->year_min, a->year_max);
        buf_adds(b, "</p>\n");
}

static void verdict(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;

        if (page_port_both_true(a)) {
                char names[200];

                page_port_services(a, names, sizeof(names));
                buf_adds(b, "<p class=\"warn\">");
                if (a->era_counts[UO_ERA_MODERN])
                        html_say(b,
                                 /* TRANSLATORS: the count is the number of services in the list %s:
                                  * it decides the case of the words around it ("to ssh", "to http
                                  * and www"). */
                                 P_("<strong>Both are true:</strong> IANA assigns port %u to %s "
                                    "today, and threat reports name it. Traffic here is more "
                                    "likely the assigned service, but a listener you do not "
                                    "recognise deserves a look.",
                                    "<strong>Both are true:</strong> IANA assigns port %u to %s "
                                    "today, and threat reports name it. Traffic here is more "
                                    "likely an assigned service, but a listener you do not "
                                    "recognise deserves a look.",
                                    a->n_services),
                                 a->port, names);
                else
                        html_say(b,
                                 /* TRANSLATORS: the count is the number of services in the list %s:
                                  * it decides the case of the words around it ("to ssh", "to http
                                  * and www"). */
                                 P_("<strong>Both are true:</strong> IANA assigns port %u to %s "
                                    "today, and old malware lists name it. Traffic here is more "
                                    "likely the assigned service, but some intrusion detection "
                                    "systems may still flag it.",
                                    "<strong>Both are true:</strong> IANA assigns port %u to %s "
                                    "today, and old malware lists name it. Traffic here is more "
                                    "likely an assigned service, but some intrusion detection "
                                    "systems may still flag it.",
                                    a->n_services),
                                 a->port, names);
                buf_adds(b, "</p>\n");
        } else if (a->verdict == ANSWER_VERDICT_MALWARE_ONLY && a->era_counts[UO_ERA_MODERN]) {
                buf_adds(b, "<p class=\"warn\">");
                html_say(b,
                         _("Threat reports tie port %u to malware or attack tools. A listener "
                           "here deserves a look at its owner."),
                         a->port);
                buf_adds(b, "</p>\n");
        } else if (a->verdict == ANSWER_VERDICT_MALWARE_ONLY) {
                buf_adds(b, "<p class=\"warn\">");
                html_say(b,
                         _("Because of this history, some intrusion detection systems may still "
                           "flag traffic on port %u. A listener here deserves a look at its "
                           "owner."),
                         a->port);
                buf_adds(b, "</p>\n");
        }
}

static void sources(const struct page *pg, const struct answer *a)
{
        const struct answer_notes *fn = &a->notes;
        struct buf *b = pg->b;

        if (fn->n == 0)
                return;
        html_say(b, "<h3>%s</h3>\n<ol class=\"sources\">\n", _("Sources"));
        for (size_t i = 0; i < fn->n; i++) {
                const char *url = fn->src[i].url;
                const char *name = fn->src[i].name;

                buf_printf(b, "<li id=\"src-%zu\"%s>", i + 1, data_lang(pg));
                if (html_is_http_url(url))
                        html_outbound_link(b, url, name);
                else
                        buf_add_html(b, name);
                buf_adds(b, "</li>\n");
        }
        buf_adds(b, "</ol>\n");
}

void page_port_services(const struct answer *a, char *out, size_t size)
{
        size_t n = 0;

        out[0] = '\0';
        for (size_t i = 0; i < a->n_services && n < size; i++) {
                const char *sep = i == 0 ? "" : i + 1 == a->n_services ? _(" and ") : ", ";
                int w = snprintf(out + n, size - n, "%s%s", sep, a->services[i]);

                if (w < 0)
                        break;
                n += (size_t)w;
        }
}

void page_port_unofficial(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;
        const char *heading[UO_KIND_COUNT] = {
            [UO_SOFTWARE] = _("Software"),
            [UO_OTHER] = _("Other reports"),
        };

        html_say(b,
                 "<section id=\"unofficial\" aria-labelledby=\"unofficial-h\">\n"
                 "<h2 id=\"unofficial-h\">%s</h2>\n",
                 _("Known unofficial uses"));
        if (a->n_uses == 0) {
                buf_adds(b, "<p>");
                html_say(b, _("None of portinfo's sources reports an unofficial use of port %u."),
                         a->port);
                buf_adds(b, "</p>\n");
                sources(pg, a); /* the everyday names' */
                buf_adds(b, "</section>\n");
                return;
        }
        html_say(b, "<p>%s</p>\n",
                 _("Programs reported to use this port without an IANA assignment, each with "
                   "its source."));
        claims(pg, a, UO_SOFTWARE, UO_ERA_NONE, heading[UO_SOFTWARE], 3);
        claims(pg, a, UO_OTHER, UO_ERA_NONE, heading[UO_OTHER], 3);
        threats(pg, a);
        evidence(pg, a);
        verdict(pg, a);
        sources(pg, a);
        buf_adds(b, "</section>\n");
}

/* ---- checking a machine ------------------------------------------------------------------- */

/* A command line to copy, from the answer: text in a <pre><code> block (quotes stay as they
 * are; only what would be markup is escaped). */
static void command(struct buf *b, const char *line)
{
        buf_adds(b, "<pre><code>");
        for (const char *s = line; *s;) {
                size_t n = strcspn(s, "<>&");

                buf_add(b, s, n);
                s += n;
                if (*s)
                        buf_adds(b, *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : "&amp;");
                s += *s != '\0';
        }
        buf_adds(b, "</code></pre>\n");
}

void page_port_check(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;

        buf_adds(b, "<section id=\"check\" aria-labelledby=\"check-h\">\n<h2 id=\"check-h\">");
        html_say(b, _("How to check what is using port %u"), a->port);
        buf_adds(b, "</h2>\n<div class=\"os\">\n<div>\n");
        html_say(b, "<h3>%s</h3>\n", _("Linux"));
        html_say(b, "<p>%s</p>\n",
                 _("List the listening and connected sockets on the port, with their "
                   "programs:"));
        command(b, a->check.ss_root);
        html_say(b, "<p>%s</p>\n", _("or ask lsof:"));
        command(b, a->check.lsof);
        html_say(b, "</div>\n<div>\n<h3>%s</h3>\n", _("macOS"));
        html_say(b, "<p>%s</p>\n", _("macOS has no ss; lsof shows the program and its PID:"));
        command(b, a->check.lsof);
        html_say(b, "</div>\n<div>\n<h3>%s</h3>\n", _("Windows"));
        html_say(b, "<p>%s</p>\n",
                 _("In a command prompt, find the connections and the process ID "
                   "(PID, the last column):"));
        command(b, a->check.netstat);
        html_say(b, "<p>%s</p>\n", _("then look the PID up:"));
        command(b, a->check.tasklist);
        buf_adds(b, "<p class=\"small\">");
        html_say(b,
                 _("findstr matches text, so :%u also matches longer numbers that start the same "
                   "way; read the local address column."),
                 a->port);
        buf_adds(b, "</p>\n</div>\n</div>\n<p>");
        html_say(b,
                 _("With portinfo installed, <code>portinfo who %u</code> shows the sockets and "
                   "their programs in one step."),
                 a->port);
        buf_adds(b, "</p>\n");
        html_say(b, "<h3>%s</h3>\n<ol>\n", _("If something unexpected is listening"));
        html_say(b, "<li>%s</li>\n",
                 _("Find out which program it is and where its file lives; the "
                   "commands above give its name and PID."));
        html_say(b, "<li>%s</li>\n",
                 _("If you installed it, check its settings: many programs let you "
                   "choose the port."));
        html_say(b, "<li>%s</li>\n",
                 _("If you do not recognise it, stop it or block the port in your "
                   "firewall, then look at how it starts: services, scheduled "
                   "tasks, startup items."));
        html_say(b, "<li>%s</li>\n",
                 _("If it looks hostile, take the machine off the network and treat "
                   "it as a security incident."));
        buf_adds(b, "</ol>\n</section>\n");
}

/* Port 0 cannot be taken the way other free ports can: the socket API reads it as "any". */
static void port_zero_section(const struct page *pg)
{
        html_say(pg->b,
                 "<section id=\"why\" aria-labelledby=\"why-h\">\n<h2 id=\"why-h\">%s</h2>\n",
                 _("Why port 0 is special"));
        html_say(pg->b, "<p>%s</p>\n</section>\n",
                 _("A program that asks to listen on port 0 is given a free port chosen by the "
                   "operating system instead, so nothing normally listens on port 0 itself."));
}

void page_port_why(const struct page *pg, const struct answer *a)
{
        struct buf *b = pg->b;

        if (a->check.port_zero) {
                port_zero_section(pg);
                return;
        }
        html_say(b, "<section id=\"why\" aria-labelledby=\"why-h\">\n<h2 id=\"why-h\">%s</h2>\n",
                 _("Why unassigned ports matter"));
        html_say(b, "<p>%s</p>\n",
                 _("Nobody owns an unassigned port. Any program may pick it, so two programs that "
                   "chose the same number can collide: the second one fails to start, or clients "
                   "reach the wrong service."));
        if (a->tier == TIER_DYNAMIC)
                html_say(
                    b, "<p>%s</p>\n",
                    _("In the dynamic range your own operating system also hands ports out for "
                      "outgoing connections, so a server fixed on such a port may find it "
                      "taken."));
        buf_adds(b, "<p>");
        if (a->counts[UO_MALWARE])
                html_say(b,
                         _("Malware has used unassigned ports too, port %u among them, and that "
                           "past makes traffic here look suspicious to some security tools."),
                         a->port);
        else
                html_say(b,
                         _("Malware has used unassigned ports in the past, which makes traffic on "
                           "such ports look suspicious to some security tools; portinfo's sources "
                           "do not tie port %u to any."),
                         a->port);
        buf_adds(b, "</p>\n</section>\n");
}

/* ---- feedback ----------------------------------------------------------------------------- */

void page_port_feedback(const struct page *pg, uint16_t port)
{
        static const char *const value[] = {"sad", "meh", "happy"};
        static const char *const emoji[] = {"\xf0\x9f\x98\x94", "\xf0\x9f\xa4\xa8",
                                            "\xf0\x9f\x98\x83"};
        const char *label[] = {_("Not helpful"), _("Somewhat helpful"), _("Helpful")};
        const char *voted[] = {
            _("You voted “not helpful”. You can change your vote at any time."),
            _("You voted “somewhat helpful”. You can change your vote at any time."),
            _("You voted “helpful”. You can change your vote at any time."),
        };
        const struct vote_counts *c = pg->ctx->counts;
        unsigned count[3] = {c ? c->sad : 0, c ? c->meh : 0, c ? c->happy : 0};
        int mine = pg->ctx->my_vote;
        struct buf *b = pg->b;

        html_say(b,
                 "<section id=\"feedback\" class=\"feedback\" aria-labelledby=\"fb-h\">\n"
                 "<h2 id=\"fb-h\">%s</h2>\n",
                 _("Was this page helpful?"));
        buf_adds(b, "<form class=\"fb\" method=\"post\" action=\"");
        buf_add_html(b, pg->ctx->vote_action ? pg->ctx->vote_action : "");
        buf_printf(b, "/ports/%u/feedback\"", port);
        html_say(b, " data-thanks=\"%s\" data-failed=\"%s\"", _("Thank you! Your vote is counted."),
                 _("Sorry, your vote could not be recorded. Please try again later."));
        /* The choice in words after a vote, for screen readers too (the emoji is hidden). */
        html_say(b, " data-thanks-sad=\"%s\" data-thanks-meh=\"%s\" data-thanks-happy=\"%s\"",
                 _("Thank you! You voted “not helpful”; your vote is counted."),
                 _("Thank you! You voted “somewhat helpful”; your vote is counted."),
                 _("Thank you! You voted “helpful”; your vote is counted."));
        html_say(b, " data-capped=\"%s\"",
                 _("Too many votes on this page today from your network; this vote was not "
                   "counted."));
        /* A static page carries no counts: the script asks the vote endpoint for them. */
        if (pg->ctx->static_site) {
                buf_adds(b, " data-counts=\"");
                buf_add_html(b, pg->ctx->vote_action);
                buf_printf(b, "/api/ports/%u/feedback\"", port);
        }
        buf_adds(b, ">\n");
        if (pg->lang != LANG_EN)
                buf_printf(b, "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
                           html_lang_code[pg->lang]);
        for (int i = 0; i < 3; i++) {
                buf_printf(b,
                           "<button type=\"submit\" name=\"vote\" value=\"%s\" aria-pressed=\"%s\"",
                           value[i], i == mine ? "true" : "false");
                html_say(b,
                         " title=\"%s\"><span class=\"emo\" aria-hidden=\"true\">%s</span> "
                         "<span class=\"label\">%s</span> ",
                         label[i], emoji[i], label[i]);
                buf_printf(b, "<span class=\"n\" data-vote=\"%s\">", value[i]);
                if (c)
                        buf_printf(b, "%u", count[i]);
                buf_adds(b, "</span></button>\n");
        }
        buf_adds(b, "</form>\n<p class=\"fb-status\" role=\"status\">");
        if (mine >= 0 && mine < 3)
                html_say(b, "<span aria-hidden=\"true\">%s</span> %s", emoji[mine], voted[mine]);
        else if (c)
                html_say(b,
                         P_("%u vote so far.", "%u votes so far.", count[0] + count[1] + count[2]),
                         count[0] + count[1] + count[2]);
        buf_adds(b, "</p>\n</section>\n");
}

void page_port_neighbours(const struct page *pg, uint16_t port)
{
        struct buf *b = pg->b;

        html_say(b, "<nav class=\"pager\" aria-label=\"%s\">\n", _("Neighbouring ports"));
        if (port > 0) {
                buf_printf(b, "<a rel=\"prev\" href=\"%s/ports/%u\">← ", pg->pfx, port - 1u);
                html_say(b, _("Port %u"), port - 1u);
                buf_adds(b, "</a>\n");
        }
        if (port < 65535) {
                buf_printf(b, "<a rel=\"next\" href=\"%s/ports/%u\">", pg->pfx, port + 1u);
                html_say(b, _("Port %u"), port + 1u);
                buf_adds(b, " →</a>\n");
        }
        buf_adds(b, "</nav>\n");
}

/* render_text: the terminal face of an answer, readable at 80 columns.
 *
 * Every sentence is derived from the data: unofficial claims are presented as what a source
 * reported, never as a verdict on the port.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup.h"
#include "listing.h"
#include "render_text.h"

static const char *const tier_title[] = {
    "well-known port (0-1023)",
    "registered port (1024-49151)",
    "dynamic port (49152-65535)",
};

static const char *const tier_text[] = {
    "System ports are assigned by IANA through IETF review or IESG approval. On most "
    "systems only root (or a program with CAP_NET_BIND_SERVICE) may bind them.",
    "User ports are assigned by IANA on request, but any program may bind them without "
    "special privileges, so what listens here need not be the registered service.",
    "Dynamic (private or ephemeral) ports are never assigned by IANA. Operating systems "
    "hand them out as the local port of outgoing connections, and anyone may use them "
    "privately.",
};

static void heading(const struct term *t, const char *text)
{
        fputc('\n', t->out);
        term_style(t, STYLE_BOLD);
        fputs(text, t->out);
        term_reset(t);
        fputc('\n', t->out);
}

/* "  label: value" wrapped under the value. */
static void field(const struct term *t, int indent, const char *label, const char *value)
{
        int col;

        if (!value || !value[0])
                return;
        fprintf(t->out, "%*s", indent, "");
        term_style(t, STYLE_DIM);
        fprintf(t->out, "%s:", label);
        term_reset(t);
        col = indent + (int)strlen(label) + 1;
        fputc(' ', t->out);
        term_wrap(t, col + 1, indent + 2, value);
}

static void protos_list(char *buf, size_t size, unsigned protos)
{
        size_t n = 0;

        buf[0] = '\0';
        for (enum proto p = PROTO_TCP; p < PROTO_NONE; p++)
                if (protos & PROTO_BIT(p))
                        n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
                                              portdb_proto_name(p));
}

static void iana_entry(const struct term *t, const struct portdb *db, const struct portdb_iana *e)
{
        const char *proto = portdb_proto_name(e->proto);
        const char *service = portdb_str(db, e->service);
        const char *desc = portdb_str(db, e->description);
        char dates[80] = "";

        fprintf(t->out, "  %-5s", proto ? proto : "any");
        if (e->lo != e->hi)
                fprintf(t->out, "%u-%u ", e->lo, e->hi);
        if (service[0]) {
                term_style(t, STYLE_BOLD);
                term_puts(t, service, false);
                term_reset(t);
                fputs(": ", t->out);
        } else if (e->status != IANA_ASSIGNED) {
                term_style(t, STYLE_DIM);
        }
        term_wrap(t, 7 + (e->lo != e->hi ? 12 : 0) + term_width_of(service) + 2, 9,
                  desc[0] ? desc : "(no description)");
        term_reset(t);
        if (e->lo != e->hi) {
                char range[96];

                snprintf(range, sizeof(range), "%u-%u: this port lies inside the range entry",
                         e->lo, e->hi);
                field(t, 9, "range", range);
        }
        field(t, 9, "assignee", portdb_str(db, e->assignee));
        if (strcmp(portdb_str(db, e->contact), portdb_str(db, e->assignee)) != 0)
                field(t, 9, "contact", portdb_str(db, e->contact));
        if (portdb_str(db, e->registered)[0] || portdb_str(db, e->modified)[0]) {
                snprintf(dates, sizeof(dates), "%s%s%s%s",
                         portdb_str(db, e->registered)[0] ? "registered " : "",
                         portdb_str(db, e->registered),
                         portdb_str(db, e->modified)[0]
                             ? (portdb_str(db, e->registered)[0] ? ", modified " : "modified ")
                             : "",
                         portdb_str(db, e->modified));
                field(t, 9, "dates", dates);
        }
        field(t, 9, "reference", portdb_str(db, e->reference));
        field(t, 9, "service code", portdb_str(db, e->service_code));
        field(t, 9, "note", portdb_str(db, e->note));
        if (portdb_str(db, e->unauthorized)[0]) {
                fprintf(t->out, "%9s", "");
                term_style(t, STYLE_YELLOW);
                fputs("unauthorized use reported:", t->out);
                term_reset(t);
                fputc(' ', t->out);
                term_wrap(t, 9 + 27, 11, portdb_str(db, e->unauthorized));
        }
}

static const char *uo_proto(const struct portdb_unofficial *u)
{
        return u->protos == PROTO_MASK_TCP_UDP     ? "tcp, udp"
               : u->protos == PROTO_BIT(PROTO_TCP) ? "tcp"
                                                   : "udp";
}

/* " (ports 135-139, tcp, 2019)": where the use's range, protocols and year go. */
static void use_tail(char *buf, size_t size, const struct portdb_unofficial *u)
{
        size_t n = (size_t)snprintf(buf, size, " (");

        if (u->port_hi > u->port)
                n += (size_t)snprintf(buf + n, size - n, "ports %u-%u, ", u->port, u->port_hi);
        n += (size_t)snprintf(buf + n, size - n, "%s", uo_proto(u));
        if (u->year)
                n += (size_t)snprintf(buf + n, size - n, ", %u", u->year);
        snprintf(buf + n, size - n, ")");
}

/* One use: name, range, protocols, year, catalogue ID, source number and note as one paragraph,
 * wrapped at the terminal's width (some names alone are longer than a line). */
static void unofficial_use(const struct term *t, const struct answer *a,
                           const struct portdb_unofficial *u)
{
        const char *name = portdb_str(a->db, u->name), *text;
        char tail[96], ref[32] = "", cat[48] = "";
        _cleanup_free_ char *line = NULL;
        size_t note = answer_note_number(a, &a->notes, u), size;

        use_tail(tail, sizeof(tail), u);
        if (u->ref_id)
                snprintf(cat, sizeof(cat), " ATT&CK %.32s", portdb_str(a->db, u->ref_id));
        if (note)
                snprintf(ref, sizeof(ref), " [%zu]", note);
        /* The trojan lists' notes are templates; software notes say something. */
        text = u->kind != UO_MALWARE ? portdb_str(a->db, u->note) : "";
        size = strlen(name) + strlen(tail) + strlen(cat) + strlen(ref) + strlen(text) + 3;
        line = malloc(size);
        fputs("  - ", t->out);
        if (line) {
                snprintf(line, size, "%s%s%s%s%s%s", name, tail, cat, ref, text[0] ? ": " : "",
                         text);
                term_wrap(t, 4, 6, line);
        } else {
                term_wrap(t, 4, 6, name); /* out of memory: the name at least */
        }
        if (!note)
                field(t, 6, "source", answer_source_name(a->db, u));
}

/* "Correction: ... [n]" under a claim another source contradicts. */
static void correction_line(const struct term *t, const struct answer *a,
                            const struct answer_claim *cl)
{
        const char *text = portdb_str(a->db, cl->correction->text);
        _cleanup_free_ char *line = NULL;
        size_t size = strlen(text) + 32;

        line = malloc(size);
        if (!line)
                return;
        if (cl->correction_num)
                snprintf(line, size, "%s [%zu]", text, cl->correction_num);
        else
                snprintf(line, size, "%s", text);
        fprintf(t->out, "%6s", "");
        term_style(t, STYLE_YELLOW);
        fputs("Correction:", t->out);
        term_reset(t);
        fputc(' ', t->out);
        term_wrap(t, 18, 8, line);
}

static void group_title(const struct term *t, int indent, enum term_style style, const char *title)
{
        fprintf(t->out, "%*s", indent, "");
        term_style(t, style);
        fputs(title, t->out);
        term_reset(t);
        fputc('\n', t->out);
}

/* The claims of one kind (of one era, for malware), claim by claim (uses of one name together),
 * so that the source numbers follow the page's.  Returns whether it printed any. */
static bool claims_of(const struct term *t, const struct answer *a, enum uo_kind kind,
                      enum uo_era era, const char *title, int indent, enum term_style style)
{
        bool any = false;

        for (size_t c = 0; c < a->n_claims; c++) {
                const struct answer_claim *cl = &a->claims[c];

                if (cl->kind != kind || cl->era != era)
                        continue;
                if (!any)
                        group_title(t, indent, style, title);
                any = true;
                for (size_t i = (size_t)(cl->first - a->uses); i < a->n_uses_all; i++)
                        if (answer_claim_has(a, cl, &a->uses[i]))
                                unofficial_use(t, a, &a->uses[i]);
                if (cl->correction)
                        correction_line(t, a, cl);
        }
        return any;
}

/* Threats: with modern reports, in two groups under one title; else the old lists' title. */
static void threats(const struct term *t, const struct answer *a)
{
        if (a->claim_counts[UO_MALWARE] == 0)
                return;
        if (a->era_counts[UO_ERA_MODERN] == 0) {
                claims_of(t, a, UO_MALWARE, UO_ERA_HISTORICAL,
                          "Malware associations (mostly from old trojan-port lists)", 2, STYLE_RED);
                return;
        }
        group_title(t, 2, STYLE_RED, "Threats (malware and attack tools)");
        claims_of(t, a, UO_MALWARE, UO_ERA_MODERN, "Reported since 2010, newest first:", 2,
                  STYLE_BOLD);
        claims_of(t, a, UO_MALWARE, UO_ERA_HISTORICAL,
                  "From older lists and reports (mostly before 2010):", 2, STYLE_BOLD);
}

static void footnotes(const struct term *t, const struct answer *a)
{
        const struct answer_notes *fn = &a->notes;

        if (fn->n == 0)
                return;
        fputs("  Sources\n", t->out);
        for (size_t i = 0; i < fn->n; i++) {
                const struct answer_source *src = &fn->src[i];
                int col = fprintf(t->out, "  [%zu] ", i + 1);

                term_wrap(t, col, col, src->name);
                if (src->url[0]) {
                        fprintf(t->out, "%*s", col, "");
                        term_puts(t, src->url, false);
                        fputc('\n', t->out);
                }
        }
}

static void how_to_check(const struct term *t, const struct answer_check *c)
{
        heading(t, "How to check what uses it");
        if (c->port_zero) {
                char text[400];

                snprintf(text, sizeof(text),
                         "Nothing listens on port 0: a program that binds port 0 asks the "
                         "operating system for any free port, and traffic to port 0 on the "
                         "network is malformed or a scan. To see what a program got instead, "
                         "list its sockets: %s, or %s.",
                         c->ss_all, c->lsof_pid);
                fputs("  ", t->out);
                term_wrap(t, 2, 2, text);
                return;
        }
        fprintf(t->out, "  Linux    %s\n", c->ss);
        fprintf(t->out, "           %s\n", c->lsof);
        fprintf(t->out, "  macOS    %s\n", c->lsof);
        fprintf(t->out, "  Windows  %s\n", c->netstat);
        fprintf(t->out, "           %s   ", c->tasklist);
        term_wrap(t, 38, 11, "(the PID from netstat's last column)"); /* fits 80, not 60 */
}

/* "Also known as: RDP (tcp, udp): Remote Desktop Protocol [1]; ..." */
static void also_known_as(const struct term *t, const struct answer *a)
{
        char text[1024], plist[48];
        size_t n = 0;

        if (a->n_akas == 0)
                return;
        for (size_t k = 0; k < a->n_akas && n < sizeof(text); k++) {
                const struct answer_aka *ak = &a->akas[k];

                protos_list(plist, sizeof(plist), ak->protos);
                n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s (%s): %s", k ? "; " : "",
                                      portdb_str(a->db, ak->alias->name), plist,
                                      portdb_str(a->db, ak->alias->meaning));
                if (ak->num && n < sizeof(text))
                        n += (size_t)snprintf(text + n, sizeof(text) - n, " [%zu]", ak->num);
        }
        fputs("  ", t->out);
        term_style(t, STYLE_BOLD);
        fputs("Also known as:", t->out);
        term_reset(t);
        fputc(' ', t->out);
        term_wrap(t, 17, 4, text);
}

static void port_heading(const struct term *t, const struct answer *a)
{
        char plist[48];

        term_style(t, STYLE_BOLD);
        fprintf(t->out, "Port %u", a->port);
        if (a->protos != PROTO_MASK_ALL) {
                protos_list(plist, sizeof(plist), a->protos);
                fprintf(t->out, strchr(plist, ',') ? " (%s)" : "/%s", plist);
        }
        term_reset(t);
        fprintf(t->out, ": %s, %s\n", tier_title[a->tier], portdb_status_name(a->status));
        also_known_as(t, a);
        fputs("  ", t->out);
        term_wrap(t, 2, 2, tier_text[a->tier]);
}

static void iana_section(const struct term *t, const struct answer *a)
{
        heading(t, "IANA registry");
        for (size_t i = 0; i < a->n_entries; i++)
                iana_entry(t, a->db, a->entries[i]);
        if (answer_entries_omitted(a))
                fprintf(t->out, "  ... and %zu more not shown (at most %u entries a port)\n",
                        answer_entries_omitted(a), ANSWER_MAX_ENTRIES);
        if (a->n_entries == 0) {
                fputs("  ", t->out);
                term_wrap(t, 2, 2,
                          a->tier == TIER_DYNAMIC
                              ? "No entries: IANA does not assign ports in the dynamic range."
                              : "No entries for this port and protocol.");
        }
}

static void verdict_line(const struct term *t, const struct answer *a)
{
        char plist[48];

        switch (a->verdict) {
        case ANSWER_VERDICT_NONE:
                return;
        case ANSWER_VERDICT_BOTH_TRUE:
                if (a->assigned_protos)
                        protos_list(plist, sizeof(plist), a->assigned_protos);
                else
                        snprintf(plist, sizeof(plist), "any protocol");
                fputs("  Both are true: IANA assigns this port today (", t->out);
                fputs(plist, t->out);
                term_wrap(t, 2 + 46 + (int)strlen(plist), 2,
                          a->era_counts[UO_ERA_MODERN]
                              ? "), and threat reports name it. Traffic here is more likely the "
                                "assigned service; a listener you do not recognise deserves a look."
                              : "), and old malware lists name it. Traffic here is more likely "
                                "the assigned service; some intrusion detection rules may still "
                                "flag it.");
                return;
        case ANSWER_VERDICT_MALWARE_ONLY:
                fputs("  ", t->out);
                term_wrap(t, 2, 2,
                          a->era_counts[UO_ERA_MODERN]
                              ? "Threat reports tie this port to malware or attack tools, and "
                                "IANA assigns it to nothing. A listener here deserves a look at "
                                "its owner."
                              : "Old lists tie this port to malware; some intrusion detection "
                                "rules may still flag traffic on it. A listener here deserves a "
                                "look at its owner.");
                return;
        }
}

void render_text_answer(const struct term *t, const struct answer *a)
{
        port_heading(t, a);
        iana_section(t, a);
        heading(t, "Known unofficial uses");
        if (a->n_uses == 0) {
                fputs("  None in portinfo's sources.\n", t->out);
                footnotes(t, a); /* the everyday names' */
        } else {
                fputs("  ", t->out);
                term_wrap(t, 2, 2,
                          "What the sources below reported; a listing is evidence that someone "
                          "used the port, not that traffic on it is that program.");
                claims_of(t, a, UO_SOFTWARE, UO_ERA_NONE, "Software", 2, STYLE_BOLD);
                claims_of(t, a, UO_OTHER, UO_ERA_NONE, "Other", 2, STYLE_BOLD);
                threats(t, a);
                footnotes(t, a);
                verdict_line(t, a);
        }
        how_to_check(t, &a->check);
}

void render_text_name_clash(const struct term *t, const struct portdb *db, const char *arg,
                            uint32_t first, size_t count)
{
        char text[1024];
        size_t n = (size_t)snprintf(text, sizeof(text),
                                    "\"%s\" is read as the everyday name, whose ports follow. "
                                    "IANA's service name \"%s\" is a different registration: ",
                                    arg, arg);

        for (size_t i = 0; i < count && n < sizeof(text); i++) {
                const struct portdb_iana *e = &db->iana[db->names[first + i]];
                const char *proto = portdb_proto_name(e->proto);
                const char *desc = portdb_str(db, e->description);
                char where[32];

                if (e->flags & PORTDB_F_NOPORT)
                        snprintf(where, sizeof(where), "no port");
                else
                        snprintf(where, sizeof(where), "%u/%s, shown last", e->lo,
                                 proto ? proto : "any");
                n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s (%s)", i ? "; " : "",
                                      desc[0] ? desc : "no description", where);
        }
        if (n < sizeof(text))
                snprintf(text + n, sizeof(text) - n, ".");
        term_style(t, STYLE_YELLOW);
        fputs("Note:", t->out);
        term_reset(t);
        fputc(' ', t->out);
        term_wrap(t, 6, 2, text);
        fputc('\n', t->out);
}

void render_text_port(const struct term *t, const struct portdb *db, uint16_t port, unsigned protos)
{
        struct answer a;

        answer_build(&a, db, port, protos);
        render_text_answer(t, &a);
}

/* The rest of a listing line for an unofficial use: its name, wrapped under column 19, and
 * its kind (and year). */
static void unofficial_line(const struct term *t, const struct portdb *db,
                            const struct portdb_unofficial *u)
{
        char tail[64], range[24] = "", year[8] = "";

        if (u->port_hi > u->port)
                snprintf(range, sizeof(range), ", ports %u-%u", u->port, u->port_hi);
        if (u->year)
                snprintf(year, sizeof(year), ", %u", u->year);
        snprintf(tail, sizeof(tail), "[unofficial: %s%s%s]", portdb_kind_name(u->kind), year,
                 range);
        if (17 + term_width_of(portdb_str(db, u->name)) + 2 + (int)strlen(tail) <= t->width) {
                term_puts(t, portdb_str(db, u->name), false);
                fputs("  ", t->out);
        } else {
                term_wrap(t, 17, 19, portdb_str(db, u->name));
                fprintf(t->out, "%19s", "");
        }
        term_style(t, u->kind == UO_MALWARE ? STYLE_RED : STYLE_DIM);
        fputs(tail, t->out);
        term_reset(t);
        fputc('\n', t->out);
}

/* A listing line for IANA entry @e: where ("6000-6063/tcp"), then its service and description,
 * or for an entry that assigns nothing its description dimmed. */
static void iana_line(const struct term *t, const struct portdb *db, const struct portdb_iana *e)
{
        const char *proto = portdb_proto_name(e->proto);
        const char *desc = portdb_str(db, e->description);
        char where[24];

        if (e->lo != e->hi)
                snprintf(where, sizeof(where), "%u-%u/%s", e->lo, e->hi, proto ? proto : "any");
        else
                snprintf(where, sizeof(where), "%u/%s", e->lo, proto ? proto : "any");
        fprintf(t->out, "%-16s ", where);
        if (e->status != IANA_ASSIGNED) {
                term_style(t, STYLE_DIM);
                term_puts(t, desc[0] ? desc : "unassigned", false);
                term_reset(t);
                fputc('\n', t->out);
                return;
        }
        term_style(t, STYLE_BOLD);
        term_puts(t, portdb_str(db, e->service), false);
        term_reset(t);
        if (!desc[0]) { /* a service IANA describes nothing: no trailing blanks */
                fputc('\n', t->out);
                return;
        }
        fputs("  ", t->out);
        term_wrap(t, 17 + term_width_of(portdb_str(db, e->service)) + 2, 19, desc);
}

/* A listing line for unofficial use @u of @port. */
static void use_line(const struct term *t, const struct portdb *db, uint16_t port,
                     const struct portdb_unofficial *u)
{
        char where[24];

        snprintf(where, sizeof(where), "%u/%s", port,
                 u->protos == PROTO_MASK_TCP_UDP ? "tcp+udp" : uo_proto(u));
        fprintf(t->out, "%-16s ", where);
        unofficial_line(t, db, u);
}

/* Listing lines for the everyday names of entry @idx that contain @query: "3389/tcp  RDP  Remote
 * Desktop Protocol [everyday name of ms-wbt-server]". */
static void alias_line(const struct term *t, const struct portdb *db, const struct portdb_iana *e,
                       const struct portdb_alias *al)
{
        const char *proto = portdb_proto_name(e->proto);
        const char *name = portdb_str(db, al->name);
        char where[24], rest[256];

        snprintf(where, sizeof(where), "%u/%s", e->lo, proto ? proto : "any");
        fprintf(t->out, "%-16s ", where);
        term_style(t, STYLE_BOLD);
        term_puts(t, name, false);
        term_reset(t);
        fputs("  ", t->out);
        snprintf(rest, sizeof(rest), "%s [everyday name of %s]", portdb_str(db, al->meaning),
                 portdb_str(db, e->service));
        term_wrap(t, 17 + term_width_of(name) + 2, 19, rest);
}

/* One listing line for item @it (listing.h). */
static void listing_line(void *ctx, const struct listing_item *it)
{
        const struct term *t = ctx;
        char where[24];

        switch (it->kind) {
        case LISTING_IANA:
                iana_line(t, it->db, it->entry);
                break;
        case LISTING_ALIAS:
                alias_line(t, it->db, it->entry, it->alias);
                break;
        case LISTING_USE:
                use_line(t, it->db, it->port, it->use);
                break;
        case LISTING_MORE:
                fprintf(t->out, "%-16u ... and %zu more not shown (at most %u a port)\n", it->port,
                        it->more, ANSWER_MAX_ENTRIES);
                break;
        case LISTING_DYNAMIC:
                snprintf(where, sizeof(where), "%u-%u", it->port, it->port_hi);
                fprintf(t->out, "%-16s ", where);
                term_style(t, STYLE_DIM);
                fputs("dynamic range: never assigned by IANA\n", t->out);
                term_reset(t);
                break;
        }
}

void render_text_search(const struct term *t, const struct portdb *db, const char *query,
                        const struct portdb_hit *hits, size_t n)
{
        listing_search(db, query, hits, n, listing_line, (void *)t);
}

size_t render_text_range(const struct term *t, const struct portdb *db, uint16_t lo, uint16_t hi)
{
        return listing_range(db, lo, hi, listing_line, (void *)t);
}

/* render_html: the website's pages (port, home, index, search, error) in English or Polish.
 *
 * Whole HTML documents go into a capped buffer; every byte of data passes through buf_add_html
 * (query values through buf_add_url first).  No I/O and no HTTP decisions: the server sends the
 * bytes.  Sentences are chosen from what the data says and never claim more.
 *
 * Languages: text goes through gettext.  Each call switches its own thread to the page's locale
 * with uselocale() and back, so threads serving different languages do not disturb each other.
 */
#include <errno.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "render_html.h"
#include "render_html_config.h"

#define _(s)        dgettext(PORTINFO_TEXTDOMAIN, s)
#define P_(s, p, n) dngettext(PORTINFO_TEXTDOMAIN, s, p, (unsigned long)(n))

/* ---- languages ---------------------------------------------------------------------------- */

static const char *const lang_code[LANG_COUNT] = {"en", "pl"};
static const char *const lang_prefix[LANG_COUNT] = {"", "/pl"};
static const char *const lang_own_name[LANG_COUNT] = {"English", "Polski"};

static locale_t lang_locale[LANG_COUNT];
static pthread_once_t lang_once = PTHREAD_ONCE_INIT;

/* gettext consults LANGUAGE before the thread's locale, which would let the environment override
 * the language a request asked for.  Pages choose their language per request, so the variable is
 * dropped before main runs, while the process still has a single thread. */
__attribute__((constructor)) static void drop_language_variable(void)
{
        unsetenv("LANGUAGE");
}

/* The catalogue lives in the build tree while the program runs from there (tests, `make serve`),
 * else in the installed locale directory. */
static const char *catalogue_dir(void)
{
        static const char root[] = PORTINFO_BUILD_ROOT "/";
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        if (n > 0) {
                self[n] = '\0';
                if (strncmp(self, root, sizeof(root) - 1) == 0)
                        return PORTINFO_BUILD_LOCALEDIR;
        }
        return PORTINFO_LOCALEDIR;
}

static void lang_setup(void)
{
        static const char *const pl_names[] = {"pl_PL.UTF-8", "pl_PL.utf8", "pl_PL"};

        bindtextdomain(PORTINFO_TEXTDOMAIN, catalogue_dir());
        bind_textdomain_codeset(PORTINFO_TEXTDOMAIN, "UTF-8");
        lang_locale[LANG_EN] = newlocale(LC_MESSAGES_MASK, "C", (locale_t)0);
        for (size_t i = 0; i < sizeof(pl_names) / sizeof(pl_names[0]); i++) {
                lang_locale[LANG_PL] = newlocale(LC_MESSAGES_MASK, pl_names[i], (locale_t)0);
                if (lang_locale[LANG_PL])
                        break;
        }
}

/* Switches this thread to @lang's messages; returns the locale to give back to lang_leave.
 * Without the Polish locale on the system, Polish pages fall back to English text. */
static locale_t lang_enter(enum lang lang)
{
        locale_t loc;

        pthread_once(&lang_once, lang_setup);
        loc = lang < LANG_COUNT ? lang_locale[lang] : (locale_t)0;
        return uselocale(loc                    ? loc
                         : lang_locale[LANG_EN] ? lang_locale[LANG_EN]
                                                : LC_GLOBAL_LOCALE);
}

static void lang_leave(locale_t old)
{
        uselocale(old);
}

void render_html_preload(void)
{
        for (enum lang l = 0; l < LANG_COUNT; l++) {
                locale_t old = lang_enter(l);

                /* The first lookup in a language opens and maps its catalogue for good. */
                (void)_("Ports");
                lang_leave(old);
        }
}

/* ---- output helpers ----------------------------------------------------------------------- */

/* What every part of a page needs. */
struct page {
        struct buf *b;
        const struct portdb *db;
        const struct html_ctx *ctx;
        enum lang lang;
        const char *pfx; /* "" or "/pl": where this language's pages live */
};

/* Appends @fmt, a trusted template (ours or its reviewed translation, which may hold a little
 * markup), with %s filled in as escaped text, %u, %d and %zu as numbers and %% as a percent sign.
 * Data can enter only through %s. */
__attribute__((format(printf, 2, 3))) static void say(struct buf *b, const char *fmt, ...)
{
        const char *run = fmt;
        va_list ap;

        va_start(ap, fmt);
        for (const char *s = fmt; *s; s++) {
                if (*s != '%')
                        continue;
                buf_add(b, run, (size_t)(s - run));
                run = s + 1;
                if (!s[1])
                        break; /* a lone % at the end is dropped */
                switch (*++s) {
                case 's':
                        buf_add_html(b, va_arg(ap, const char *));
                        break;
                case 'u':
                        buf_printf(b, "%u", va_arg(ap, unsigned));
                        break;
                case 'd':
                        buf_printf(b, "%d", va_arg(ap, int));
                        break;
                case 'z':
                        if (s[1] == 'u')
                                s++;
                        buf_printf(b, "%zu", va_arg(ap, size_t));
                        break;
                case '%':
                        buf_adds(b, "%");
                        break;
                default:
                        break; /* unknown conversion: dropped (msgfmt -c keeps these out) */
                }
                run = s + 1;
        }
        buf_adds(b, run);
        va_end(ap);
}

static const char *const proto_upper[PROTO_COUNT] = {"TCP", "UDP", "SCTP", "DCCP", ""};

/* "TCP", "TCP and UDP", "TCP, UDP and SCTP" for the protocols in @protos. */
static void add_protos(struct buf *b, unsigned protos)
{
        unsigned n = 0, total = 0;

        for (enum proto p = PROTO_TCP; p < PROTO_NONE; p++)
                total += (protos & PROTO_BIT(p)) != 0;
        for (enum proto p = PROTO_TCP; p < PROTO_NONE; p++) {
                if (!(protos & PROTO_BIT(p)))
                        continue;
                if (n > 0)
                        buf_adds(b, n + 1 == total ? _(" and ") : ", ");
                buf_adds(b, proto_upper[p]);
                n++;
        }
}

/* A port number as a link to its page. */
static void port_link(const struct page *pg, uint16_t port)
{
        buf_printf(pg->b, "<a href=\"%s/ports/%u\">%u</a>", pg->pfx, port, port);
}

static bool is_http_url(const char *s)
{
        return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

static void outbound_link(struct buf *b, const char *url, const char *text)
{
        buf_adds(b, "<a href=\"");
        buf_add_html(b, url);
        buf_adds(b, "\" rel=\"noopener noreferrer\">");
        buf_add_html(b, text);
        buf_adds(b, "</a>");
}

/* ---- page frame --------------------------------------------------------------------------- */

static const char *site_name(const struct page *pg)
{
        return pg->ctx->site_name && pg->ctx->site_name[0] ? pg->ctx->site_name : "Connected";
}

/* The same page in another language: @path is the English path, already URL-safe ("/",
 * "/ports/22", "/search?q=ssh"); other languages put their prefix in front ("/pl/ports/22"). */
static void add_lang_href(struct buf *b, enum lang lang, const char *path)
{
        buf_add_html(b, lang_prefix[lang]);
        buf_add_html(b, path);
}

/* Opens the document: head, site header, <main>.  @title is plain text; @path the English path
 * of this page for the alternates and the language switch (NULL: the page has no fixed address);
 * @script the name of a script under /static/ that the page needs, or NULL. */
static void page_open(const struct page *pg, const char *title, const char *description,
                      const char *path, const char *script)
{
        struct buf *b = pg->b;

        buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                   lang_code[pg->lang]);
        /* A static host sends no headers: the policy rides in the page, before anything it
         * governs. */
        if (pg->ctx->meta_csp) {
                buf_adds(b, "<meta http-equiv=\"Content-Security-Policy\" content=\"");
                buf_add_html(b, pg->ctx->meta_csp);
                buf_adds(b, "\">\n");
        }
        buf_adds(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
        buf_add_html(b, title);
        buf_adds(b, " \xe2\x80\xa2 ");
        buf_add_html(b, site_name(pg));
        buf_adds(b, "</title>\n");
        if (description) {
                buf_adds(b, "<meta name=\"description\" content=\"");
                buf_add_html(b, description);
                buf_adds(b, "\">\n");
        }
        buf_adds(b, "<link rel=\"stylesheet\" href=\"/static/style.css\">\n");
        if (script)
                buf_printf(b, "<script src=\"/static/%s\" defer></script>\n", script);
        if (path) {
                for (enum lang l = 0; l < LANG_COUNT; l++) {
                        buf_printf(b, "<link rel=\"alternate\" hreflang=\"%s\" href=\"",
                                   lang_code[l]);
                        add_lang_href(b, l, path);
                        buf_adds(b, "\">\n");
                }
                buf_adds(b, "<link rel=\"alternate\" hreflang=\"x-default\" href=\"");
                add_lang_href(b, LANG_EN, path);
                buf_adds(b, "\">\n");
        }
        buf_adds(b, "</head>\n<body>\n");
        say(b, "<a class=\"skip\" href=\"#main\">%s</a>\n", _("Skip to content"));
        buf_printf(b,
                   "<header class=\"top\"><div class=\"wrap\">\n<a class=\"brand\" href=\"%s/\">",
                   pg->pfx);
        buf_add_html(b, site_name(pg));
        buf_adds(b, "</a>\n");
        say(b, "<nav class=\"site\" aria-label=\"%s\">", _("Site"));
        buf_printf(b, "<a href=\"%s/ports\">", pg->pfx);
        say(b, "%s</a> ", _("Ports by range"));
        buf_printf(b, "<a href=\"%s/search\">", pg->pfx);
        say(b, "%s</a></nav>\n", _("Search"));
        say(b, "<nav class=\"lang\" aria-label=\"%s\">", _("Language"));
        for (enum lang l = 0; l < LANG_COUNT; l++) {
                if (l == pg->lang)
                        continue;
                buf_adds(b, "<a href=\"");
                add_lang_href(b, l, path ? path : "/");
                buf_printf(b, "\" hreflang=\"%s\" lang=\"%s\">%s</a>", lang_code[l], lang_code[l],
                           lang_own_name[l]);
        }
        buf_adds(b, "</nav>\n</div></header>\n<main id=\"main\" class=\"wrap\">\n");
}

static void page_close(const struct page *pg)
{
        struct buf *b = pg->b;
        const char *date = pg->db ? portdb_str(pg->db, pg->db->hdr->registry_updated) : "";

        buf_adds(b, "</main>\n<footer class=\"bottom\"><div class=\"wrap\">\n");
        if (date[0]) {
                buf_adds(b, "<p>");
                say(b,
                    _("Official data: the IANA Service Name and Transport Protocol Port Number "
                      "Registry of <time datetime=\"%s\">%s</time>."),
                    date, date);
                say(b, " %s</p>\n",
                    _("Unofficial uses come from the public sources cited on each page."));
        }
        buf_adds(b, "<p>");
        say(b, _("Made with portinfo %s, which answers the same questions offline in a terminal."),
            PORTINFO_VERSION);
        buf_adds(b, "</p>\n</div></footer>\n</body>\n</html>\n");
}

/* The search form; @query pre-fills it (NULL: empty). */
static void search_form(const struct page *pg, const char *query, bool big)
{
        struct buf *b = pg->b;

        buf_printf(
            b, "<form class=\"search%s\" role=\"search\" method=\"get\" action=\"%s/search\">\n",
            big ? " big" : "", pg->pfx);
        say(b, "<label for=\"q\">%s</label>\n", _("Port number or name"));
        say(b,
            "<div class=\"row\"><input id=\"q\" name=\"q\" type=\"search\" required "
            "maxlength=\"%u\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"%s\"",
            PORTDB_MAX_QUERY, _("e.g. 22, ssh, 31337"));
        if (query) {
                buf_adds(b, " value=\"");
                buf_add_html(b, query);
                buf_adds(b, "\"");
        }
        say(b, "> <button type=\"submit\">%s</button></div>\n</form>\n", _("Search"));
}

/* ---- facts about one port ----------------------------------------------------------------- */

#define MAX_SERVICES 4

struct facts {
        uint16_t port;
        enum tier tier;
        enum port_status status;
        const uint16_t *refs;
        size_t nrefs;
        const struct portdb_unofficial *uo;
        size_t nuo;
        size_t nmal, nsoft, nother;
        unsigned assigned_protos;        /* protocols with an assigned entry */
        const struct portdb_iana *range; /* an assigned range entry covering the port, if any */
        const char *services[MAX_SERVICES];
        size_t nservices;
        const struct portdb_iana *first_assigned;
};

static void facts_gather(struct facts *f, const struct portdb *db, uint16_t port)
{
        memset(f, 0, sizeof(*f));
        f->port = port;
        f->tier = portdb_tier(port);
        f->status = portdb_status(db, port, PROTO_MASK_ALL);
        f->nrefs = portdb_port_refs(db, port, &f->refs);
        f->nuo = portdb_unofficial_at(db, port, &f->uo);
        for (size_t i = 0; i < f->nuo; i++) {
                f->nmal += f->uo[i].kind == UO_MALWARE;
                f->nsoft += f->uo[i].kind == UO_SOFTWARE;
                f->nother += f->uo[i].kind == UO_OTHER;
        }
        for (size_t i = 0; i < f->nrefs; i++) {
                const struct portdb_iana *e = &db->iana[f->refs[i]];
                const char *svc = portdb_str(db, e->service);
                bool seen = false;

                if (e->status != IANA_ASSIGNED)
                        continue;
                if (!f->first_assigned)
                        f->first_assigned = e;
                if (e->proto != PROTO_NONE)
                        f->assigned_protos |= PROTO_BIT(e->proto);
                if (e->lo != e->hi && !f->range)
                        f->range = e;
                if (!svc[0])
                        continue;
                for (size_t k = 0; k < f->nservices; k++)
                        seen = seen || strcasecmp(f->services[k], svc) == 0;
                if (!seen && f->nservices < MAX_SERVICES)
                        f->services[f->nservices++] = svc;
        }
}

/* The assigned services as one string: "ssh", "a and b"; written into @out (plain text). */
static void services_text(const struct facts *f, char *out, size_t size)
{
        size_t n = 0;

        out[0] = '\0';
        for (size_t i = 0; i < f->nservices && n < size; i++) {
                const char *sep = i == 0 ? "" : i + 1 == f->nservices ? _(" and ") : ", ";
                int w = snprintf(out + n, size - n, "%s%s", sep, f->services[i]);

                if (w < 0)
                        break;
                n += (size_t)w;
        }
}

/* The tagline: what the port is, in a few words (plain text into @out). */
static void tagline(const struct page *pg, const struct facts *f, char *out, size_t size)
{
        if (f->status == PORT_ASSIGNED && f->nservices > 0) {
                const char *desc = portdb_str(pg->db, f->first_assigned->description);
                char names[200];

                services_text(f, names, sizeof(names));
                if (f->nservices == 1 && desc[0] && strlen(desc) <= 64 &&
                    strcasecmp(desc, names) != 0)
                        snprintf(out, size, _("%s (%s)"), names, desc);
                else
                        snprintf(out, size, "%s", names);
        } else if (f->status == PORT_RESERVED) {
                snprintf(out, size, "%s",
                         f->nmal ? _("set aside, but not forgotten") : _("set aside by IANA"));
        } else if (f->nmal) {
                snprintf(out, size, "%s", _("empty, but not forgotten"));
        } else if (f->nsoft || f->nother) {
                snprintf(out, size, "%s", _("empty, but in unofficial use"));
        } else {
                snprintf(out, size, "%s", _("empty"));
        }
}

static const char *status_words(const struct facts *f)
{
        if (f->tier == TIER_DYNAMIC && f->status == PORT_UNASSIGNED)
                return _("dynamic and unassigned");
        switch (f->status) {
        case PORT_ASSIGNED:
                return _("assigned");
        case PORT_RESERVED:
                return _("reserved");
        default:
                return _("unassigned");
        }
}

static const char *tier_name(enum tier t)
{
        switch (t) {
        case TIER_WELL_KNOWN:
                return _("Well-known ports");
        case TIER_REGISTERED:
                return _("Registered ports");
        default:
                return _("Dynamic ports");
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

static const uint16_t tier_lo[] = {0, 1024, 49152};
static const uint16_t tier_hi[] = {1023, 49151, 65535};

/* ---- the port page ------------------------------------------------------------------------ */

static void breadcrumb(const struct page *pg, uint16_t port)
{
        struct buf *b = pg->b;

        say(b, "<nav class=\"crumbs\" aria-label=\"%s\">\n", _("Breadcrumb"));
        buf_adds(b, "<ol itemscope itemtype=\"https://schema.org/BreadcrumbList\">\n");
        buf_printf(
            b,
            "<li itemprop=\"itemListElement\" itemscope itemtype=\"https://schema.org/ListItem\">"
            "<a itemprop=\"item\" href=\"%s/ports\"><span itemprop=\"name\">",
            pg->pfx);
        say(b, "%s</span></a><meta itemprop=\"position\" content=\"1\"></li>\n", _("Ports"));
        buf_printf(
            b,
            "<li itemprop=\"itemListElement\" itemscope itemtype=\"https://schema.org/ListItem\">"
            "<a itemprop=\"item\" href=\"%s/ports/%u\" aria-current=\"page\"><span "
            "itemprop=\"name\">",
            pg->pfx, port);
        say(b, _("Port %u"), port);
        buf_adds(b, "</span></a><meta itemprop=\"position\" content=\"2\"></li>\n</ol>\n</nav>\n");
}

static void lead(const struct page *pg, const struct facts *f)
{
        struct buf *b = pg->b;

        buf_adds(b, "<p class=\"lead\">");
        switch (f->tier) {
        case TIER_WELL_KNOWN:
                say(b,
                    _("Port %u is a <strong>well-known port</strong>, in the system range "
                      "0–1023."),
                    f->port);
                break;
        case TIER_REGISTERED:
                say(b,
                    _("Port %u is a <strong>registered port</strong>, in the user range "
                      "1024–49151."),
                    f->port);
                break;
        default:
                say(b,
                    _("Port %u is a <strong>dynamic port</strong>, in the private range "
                      "49152–65535."),
                    f->port);
                break;
        }
        buf_adds(b, " ");
        if (f->status == PORT_ASSIGNED && f->nservices > 0) {
                char names[200];

                services_text(f, names, sizeof(names));
                if (f->range)
                        say(b,
                            _("IANA has assigned it to <strong>%s</strong>, as part of the "
                              "range %u–%u, for "),
                            names, f->range->lo, f->range->hi);
                else
                        say(b, _("IANA has assigned it to <strong>%s</strong> for "), names);
                add_protos(b, f->assigned_protos);
                buf_adds(b, ".");
        } else if (f->status == PORT_ASSIGNED) {
                say(b, "%s", _("IANA lists an assignment for it that names no service."));
        } else if (f->status == PORT_RESERVED) {
                say(b, "%s", _("IANA lists it as reserved: no service is assigned to it."));
        } else if (f->tier == TIER_DYNAMIC) {
                say(b, "%s", _("IANA never assigns ports in this range, so no service owns it."));
        } else {
                say(b, "%s", _("IANA has not assigned it to any service."));
        }
        buf_adds(b, "</p>\n");
}

static void tier_examples(const struct page *pg, enum tier t)
{
        static const struct {
                uint16_t port;
                const char *name;
        } wk[] = {{22, "SSH"}, {80, "HTTP"}, {443, "HTTPS"}},
          reg[] = {{3306, "MySQL"}, {5432, "PostgreSQL"}};
        struct buf *b = pg->b;

        if (t == TIER_DYNAMIC) {
                say(b, "<p class=\"ex\">%s</p>\n",
                    _("Example: the local port your browser uses for a connection to a web "
                      "server."));
                return;
        }
        say(b, "<p class=\"ex\">%s ", _("Examples:"));
        for (size_t i = 0; i < (t == TIER_WELL_KNOWN ? 3u : 2u); i++) {
                uint16_t port = t == TIER_WELL_KNOWN ? wk[i].port : reg[i].port;

                if (i)
                        buf_adds(b, ", ");
                buf_adds(b, t == TIER_WELL_KNOWN ? wk[i].name : reg[i].name);
                buf_adds(b, " ");
                port_link(pg, port);
        }
        buf_adds(b, "</p>\n");
}

static const char *tier_who(enum tier t)
{
        switch (t) {
        case TIER_WELL_KNOWN:
                return _("For core internet services. IANA assigns them only through IETF review "
                         "or IESG approval. On most Unix-like systems only root, or a program "
                         "with the CAP_NET_BIND_SERVICE capability, may listen on them.");
        case TIER_REGISTERED:
                return _("For applications and vendors, who ask IANA to register a port. Any "
                         "program may listen on them without special privileges, so what listens "
                         "here need not be the registered service.");
        default:
                return _("Never assigned by IANA. Operating systems hand them out as the local "
                         "end of outgoing connections, and anyone may use them privately.");
        }
}

static void summary(const struct page *pg, const struct facts *f)
{
        struct buf *b = pg->b;
        char names[200];

        services_text(f, names, sizeof(names));
        buf_adds(b, "<p class=\"sum\">");
        if (f->status == PORT_ASSIGNED && f->tier == TIER_WELL_KNOWN)
                say(b,
                    _("In short: port %u belongs to %s, and on most systems only privileged "
                      "programs can listen on it."),
                    f->port, names[0] ? names : "?");
        else if (f->status == PORT_ASSIGNED)
                say(b,
                    _("In short: port %u is registered to %s, but any program may use it, so "
                      "check what actually listens."),
                    f->port, names[0] ? names : "?");
        else if (f->tier == TIER_WELL_KNOWN)
                say(b,
                    _("In short: port %u is a system port with no service assigned; nothing "
                      "standard should listen on it."),
                    f->port);
        else if (f->tier == TIER_REGISTERED)
                say(b,
                    _("In short: port %u is free: no service is registered for it, and any "
                      "program may take it."),
                    f->port);
        else
                say(b,
                    _("In short: port %u is free for anyone: IANA never assigns it, and your "
                      "own system may use it for outgoing connections."),
                    f->port);
        if (f->nmal && f->status == PORT_ASSIGNED)
                say(b, " %s",
                    _("Old malware lists name it too, so security tools may still "
                      "take a second look."));
        else if (f->nmal)
                say(b, " %s", _("Its past is not clean: old lists tie it to malware."));
        else if (f->nsoft || f->nother)
                say(b, " %s", _("Some software uses it unofficially, as listed below."));
        buf_adds(b, "</p>\n");
}

static void tier_section(const struct page *pg, const struct facts *f)
{
        struct buf *b = pg->b;

        say(b, "<section id=\"tier\" aria-labelledby=\"tier-h\">\n<h2 id=\"tier-h\">");
        say(b, _("Where port %u sits"), f->port);
        buf_adds(b, "</h2>\n");
        say(b, "<p>%s</p>\n",
            _("IANA splits the 65,536 port numbers into three ranges, each with its own rules."));
        buf_adds(b, "<ol class=\"tiers\">\n");
        for (enum tier t = TIER_WELL_KNOWN; t <= TIER_DYNAMIC; t++) {
                bool here = t == f->tier;

                buf_printf(b, "<li class=\"tier%s\"%s>\n", here ? " here" : "",
                           here ? " aria-current=\"true\"" : "");
                say(b, "<h3>%s</h3>\n", tier_name(t));
                buf_printf(b, "<p class=\"span\">%u–%u</p>\n", tier_lo[t], tier_hi[t]);
                if (here) {
                        buf_adds(b, "<p class=\"mark\">");
                        say(b, _("Port %u is here"), f->port);
                        buf_adds(b, "</p>\n");
                }
                say(b, "<p>%s</p>\n", tier_who(t));
                tier_examples(pg, t);
                buf_adds(b, "</li>\n");
        }
        buf_adds(b, "</ol>\n");
        summary(pg, f);
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
                        outbound_link(b, url, text);
                } else if (is_http_url(tok) && !strpbrk(tok, " \t<>\"")) {
                        outbound_link(b, tok, tok);
                } else if (strncmp(tok, "draft-", 6) == 0 && !strpbrk(tok, " \t/<>\"?#")) {
                        char url[600];

                        snprintf(url, sizeof(url), "https://datatracker.ietf.org/doc/%s", tok);
                        outbound_link(b, url, tok);
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
        say(pg->b, "<dt>%s</dt><dd>%s</dd>\n", term, value);
}

static void dd_date(const struct page *pg, const char *term, const char *date)
{
        if (!date[0])
                return;
        say(pg->b, "<dt>%s</dt><dd><time datetime=\"%s\">%s</time></dd>\n", term, date, date);
}

/* Whether two registry entries say the same thing apart from their protocol. */
static bool same_but_proto(const struct portdb_iana *a, const struct portdb_iana *b)
{
        return a->lo == b->lo && a->hi == b->hi && a->status == b->status &&
               a->service == b->service && a->description == b->description &&
               a->assignee == b->assignee && a->contact == b->contact &&
               a->registered == b->registered && a->modified == b->modified &&
               a->reference == b->reference && a->service_code == b->service_code &&
               a->unauthorized == b->unauthorized && a->note == b->note;
}

static void iana_entry(const struct page *pg, const struct facts *f, const struct portdb_iana *e,
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
                add_protos(b, protos);
        else
                say(b, "%s", _("all protocols"));
        buf_adds(b, "</span> ");
        if (e->status == IANA_ASSIGNED && service[0]) {
                buf_adds(b, "<code>");
                buf_add_html(b, service);
                buf_adds(b, "</code>");
        } else if (e->status == IANA_RESERVED) {
                say(b, "%s", _("reserved"));
        } else if (e->status == IANA_UNASSIGNED) {
                say(b, "%s", _("unassigned"));
        } else {
                say(b, "%s", _("no service name"));
        }
        buf_adds(b, "</h3>\n");
        if (e->status == IANA_ASSIGNED && desc[0]) {
                buf_printf(b, "<p%s>", data_lang);
                buf_add_html(b, desc);
                buf_adds(b, "</p>\n");
        }
        buf_adds(b, "<dl>\n");
        if (e->lo != e->hi) {
                say(b, "<dt>%s</dt><dd>", _("Range"));
                say(b, _("one entry for ports %u–%u, port %u among them"), e->lo, e->hi, f->port);
                buf_adds(b, "</dd>\n");
        }
        dd_text(pg, _("Assignee"), portdb_str(db, e->assignee));
        if (strcmp(portdb_str(db, e->contact), portdb_str(db, e->assignee)) != 0)
                dd_text(pg, _("Contact"), portdb_str(db, e->contact));
        dd_date(pg, _("Registered"), portdb_str(db, e->registered));
        dd_date(pg, _("Last changed"), portdb_str(db, e->modified));
        if (portdb_str(db, e->reference)[0]) {
                say(b, "<dt>%s</dt><dd%s>", _("Reference"), data_lang);
                reference(b, portdb_str(db, e->reference));
                buf_adds(b, "</dd>\n");
        }
        dd_text(pg, _("Service code"), portdb_str(db, e->service_code));
        if (portdb_str(db, e->note)[0]) {
                say(b, "<dt>%s</dt><dd%s>", _("Note"), data_lang);
                buf_add_html(b, portdb_str(db, e->note));
                buf_adds(b, "</dd>\n");
        }
        if (portdb_str(db, e->unauthorized)[0]) {
                say(b, "<dt>%s</dt><dd%s>", _("Unauthorized use reported"), data_lang);
                buf_add_html(b, portdb_str(db, e->unauthorized));
                buf_adds(b, "</dd>\n");
        }
        buf_adds(b, "</dl>\n</div>\n");
}

#define MAX_GROUPS 64

static void official_section(const struct page *pg, const struct facts *f)
{
        const struct portdb *db = pg->db;
        struct buf *b = pg->b;
        const struct portdb_iana *group[MAX_GROUPS];
        unsigned protos[MAX_GROUPS];
        size_t ng = 0;

        say(b,
            "<section id=\"official\" aria-labelledby=\"official-h\">\n<h2 id=\"official-h\">%s"
            "</h2>\n",
            _("Official use (IANA)"));
        for (size_t i = 0; i < f->nrefs; i++) {
                const struct portdb_iana *e = &db->iana[f->refs[i]];
                unsigned bit = e->proto == PROTO_NONE ? 0 : PROTO_BIT(e->proto);
                size_t g = 0;

                while (g < ng && !same_but_proto(group[g], e))
                        g++;
                if (g == ng) {
                        if (ng == MAX_GROUPS)
                                continue;
                        group[ng] = e;
                        protos[ng++] = 0;
                }
                protos[g] |= bit;
        }
        if (ng == 0) {
                say(b, "<p>%s</p>\n",
                    f->tier == TIER_DYNAMIC
                        ? _("The registry has no entry for this port: IANA does not assign "
                            "ports in the dynamic range.")
                        : _("The registry has no entry for this port."));
        } else {
                say(b, "<p>%s</p>\n",
                    P_("The IANA registry has one entry that covers this port.",
                       "The IANA registry has these entries covering this port, by protocol.", ng));
                for (size_t g = 0; g < ng; g++)
                        iana_entry(pg, f, group[g], protos[g]);
        }
        buf_adds(b, "</section>\n");
}

/* ---- unofficial uses ---------------------------------------------------------------------- */

#define MAX_NOTES 64

struct notes {
        const struct portdb_unofficial *first[MAX_NOTES];
        size_t n;
};

static const char *source_label(const struct portdb *db, const struct portdb_unofficial *u)
{
        return portdb_str(db, u->source_label)[0] ? portdb_str(db, u->source_label)
                                                  : portdb_str(db, u->source);
}

/* The footnote number of @u's source (1-based), adding it if new; 0 when the table is full. */
static size_t note_for(struct notes *fn, const struct portdb *db, const struct portdb_unofficial *u)
{
        for (size_t i = 0; i < fn->n; i++)
                if (fn->first[i]->source == u->source ||
                    strcmp(source_label(db, fn->first[i]), source_label(db, u)) == 0)
                        return i + 1;
        if (fn->n == MAX_NOTES)
                return 0;
        fn->first[fn->n++] = u;
        return fn->n;
}

/* The part of a source's note worth showing: the text before "; IANA …" (which repeats the
 * official entry), unless it merely restates where the claim was listed.  Into @out. */
static bool useful_note(const char *note, char *out, size_t size)
{
        static const char *const restating[] = {
            "Listed as a trojan/backdoor port",
            "Unofficial use per",
            "Unofficial default use per",
            "Dropped as a malware port",
            "IANA registry records",
        };
        const char *end = strstr(note, "; IANA ");
        size_t len = end ? (size_t)(end - note) : strlen(note);

        if (len == 0)
                return false;
        for (size_t i = 0; i < sizeof(restating) / sizeof(restating[0]); i++)
                if (strncmp(note, restating[i], strlen(restating[i])) == 0)
                        return false;
        snprintf(out, size, "%.*s", (int)len, note);
        return true;
}

/* How many differently named claims of @kind there are. */
static size_t distinct_names(const struct page *pg, const struct facts *f, enum uo_kind kind)
{
        size_t n = 0;

        for (size_t i = 0; i < f->nuo; i++) {
                bool dup = false;

                for (size_t j = 0; j < i && !dup; j++)
                        dup = f->uo[j].kind == kind &&
                              strcasecmp(portdb_str(pg->db, f->uo[j].name),
                                         portdb_str(pg->db, f->uo[i].name)) == 0;
                n += f->uo[i].kind == kind && !dup;
        }
        return n;
}

/* One list of claims of @kind; entries with the same name are merged into one item with all
 * their protocols, the earliest year and every source. */
static void claims(const struct page *pg, const struct facts *f, enum uo_kind kind,
                   const char *heading, struct notes *fn)
{
        const struct portdb *db = pg->db;
        struct buf *b = pg->b;
        bool any = false;

        for (size_t i = 0; i < f->nuo; i++) {
                const struct portdb_unofficial *u = &f->uo[i];
                const char *name = portdb_str(db, u->name);
                unsigned protos = 0, year = 0;
                size_t nums[8], nnums = 0;
                char note[300] = "";
                bool dup = false;

                if (u->kind != kind)
                        continue;
                for (size_t j = 0; j < i && !dup; j++)
                        dup = f->uo[j].kind == kind &&
                              strcasecmp(portdb_str(db, f->uo[j].name), name) == 0;
                if (dup)
                        continue;
                if (!any) {
                        say(b, "<h3>%s</h3>\n<ul class=\"claims %s%s\">\n", heading,
                            kind == UO_MALWARE ? "malware" : "software",
                            distinct_names(pg, f, kind) > 8 ? " long" : "");
                        any = true;
                }
                for (size_t j = i; j < f->nuo; j++) {
                        const struct portdb_unofficial *v = &f->uo[j];
                        size_t num;
                        bool have = false;

                        if (v->kind != kind || strcasecmp(portdb_str(db, v->name), name) != 0)
                                continue;
                        protos |= v->protos;
                        if (v->year && (!year || v->year < year))
                                year = v->year;
                        if (!note[0])
                                useful_note(portdb_str(db, v->note), note, sizeof(note));
                        num = note_for(fn, db, v);
                        for (size_t k = 0; k < nnums; k++)
                                have = have || nums[k] == num;
                        if (num && !have && nnums < sizeof(nums) / sizeof(nums[0]))
                                nums[nnums++] = num;
                }
                buf_printf(b, "<li%s><span class=\"name\">",
                           pg->lang == LANG_EN ? "" : " lang=\"en\"");
                buf_add_html(b, name);
                buf_adds(b, "</span> <span class=\"meta\">");
                add_protos(b, protos);
                if (year)
                        buf_printf(b, ", %u", year);
                buf_adds(b, "</span>");
                for (size_t k = 0; k < nnums; k++) {
                        buf_printf(b, "<sup><a class=\"fn\" href=\"#src-%zu\" aria-label=\"",
                                   nums[k]);
                        say(b, _("source %zu"), nums[k]);
                        buf_printf(b, "\">[%zu]</a></sup>", nums[k]);
                }
                if (note[0]) {
                        buf_adds(b, " <span class=\"note\">");
                        buf_add_html(b, note);
                        buf_adds(b, "</span>");
                }
                buf_adds(b, "</li>\n");
        }
        if (any)
                buf_adds(b, "</ul>\n");
}

/* An honest line on how much the claims prove, from their number, sources and dates. */
static void evidence(const struct page *pg, const struct facts *f, const struct notes *fn)
{
        struct buf *b = pg->b;
        unsigned lo = 0, hi = 0;

        for (size_t i = 0; i < f->nuo; i++) {
                unsigned y = f->uo[i].year;

                if (!y)
                        continue;
                lo = !lo || y < lo ? y : lo;
                hi = y > hi ? y : hi;
        }
        say(b, "<p class=\"evidence\"><strong>%s</strong> ", _("How strong is this evidence?"));
        say(b, "%s ",
            _("A listing shows that someone saw a program use this port at some time. It "
              "does not show what uses the port on your network today."));
        say(b,
            P_("The claims above rest on %zu source.", "The claims above rest on %zu sources.",
               fn->n),
            fn->n);
        buf_adds(b, " ");
        if (!lo)
                say(b, "%s", _("No claim gives a year."));
        else if (lo == hi)
                say(b, _("The only year given is %u."), lo);
        else
                say(b, _("The years given run from %u to %u."), lo, hi);
        buf_adds(b, "</p>\n");
}

static void unofficial_section(const struct page *pg, const struct facts *f)
{
        const struct portdb *db = pg->db;
        struct buf *b = pg->b;
        struct notes fn = {.n = 0};

        say(b,
            "<section id=\"unofficial\" aria-labelledby=\"unofficial-h\">\n"
            "<h2 id=\"unofficial-h\">%s</h2>\n",
            _("Known unofficial uses"));
        if (f->nuo == 0) {
                buf_adds(b, "<p>");
                say(b, _("None of portinfo's sources reports an unofficial use of port %u."),
                    f->port);
                buf_adds(b, "</p>\n</section>\n");
                return;
        }
        say(b, "<p>%s</p>\n",
            _("Programs reported to use this port without an IANA assignment, each with its "
              "source."));
        claims(pg, f, UO_SOFTWARE, _("Software"), &fn);
        claims(pg, f, UO_OTHER, _("Other reports"), &fn);
        claims(pg, f, UO_MALWARE, _("Malware"), &fn);
        evidence(pg, f, &fn);
        if (f->nmal && f->status == PORT_ASSIGNED) {
                char names[200];

                services_text(f, names, sizeof(names));
                buf_adds(b, "<p class=\"warn\">");
                say(b,
                    _("<strong>Both are true:</strong> IANA assigns port %u to %s today, and old "
                      "malware lists name it. Traffic here is more likely the assigned service, "
                      "but some intrusion detection systems may still flag it."),
                    f->port, names);
                buf_adds(b, "</p>\n");
        } else if (f->nmal) {
                buf_adds(b, "<p class=\"warn\">");
                say(b,
                    _("Because of this history, some intrusion detection systems may still flag "
                      "traffic on port %u. A listener here deserves a look at its owner."),
                    f->port);
                buf_adds(b, "</p>\n");
        }
        if (fn.n) {
                say(b, "<h3>%s</h3>\n<ol class=\"sources\">\n", _("Sources"));
                for (size_t i = 0; i < fn.n; i++) {
                        const char *url = portdb_str(db, fn.first[i]->source_url);

                        buf_printf(b, "<li id=\"src-%zu\"%s>", i + 1,
                                   pg->lang == LANG_EN ? "" : " lang=\"en\"");
                        if (is_http_url(url))
                                outbound_link(b, url, source_label(db, fn.first[i]));
                        else
                                buf_add_html(b, source_label(db, fn.first[i]));
                        buf_adds(b, "</li>\n");
                }
                buf_adds(b, "</ol>\n");
        }
        buf_adds(b, "</section>\n");
}

/* ---- checking a machine ------------------------------------------------------------------- */

/* A command line to copy: @before, the port number, @after (all literal, no data). */
static void command(struct buf *b, const char *before, uint16_t port, const char *after)
{
        buf_adds(b, "<pre><code>");
        buf_adds(b, before);
        buf_printf(b, "%u", port);
        buf_adds(b, after);
        buf_adds(b, "</code></pre>\n");
}

static void check_section(const struct page *pg, const struct facts *f)
{
        struct buf *b = pg->b;

        buf_adds(b, "<section id=\"check\" aria-labelledby=\"check-h\">\n<h2 id=\"check-h\">");
        say(b, _("How to check what is using port %u"), f->port);
        buf_adds(b, "</h2>\n<div class=\"os\">\n<div>\n");
        say(b, "<h3>%s</h3>\n", _("Linux"));
        say(b, "<p>%s</p>\n",
            _("List the listening and connected sockets on the port, with their "
              "programs:"));
        command(b, "sudo ss -tulpn 'sport = :", f->port, "'");
        say(b, "<p>%s</p>\n", _("or ask lsof:"));
        command(b, "sudo lsof -nP -i :", f->port, "");
        say(b, "</div>\n<div>\n<h3>%s</h3>\n", _("macOS"));
        say(b, "<p>%s</p>\n", _("macOS has no ss; lsof shows the program and its PID:"));
        command(b, "sudo lsof -nP -i :", f->port, "");
        say(b, "</div>\n<div>\n<h3>%s</h3>\n", _("Windows"));
        say(b, "<p>%s</p>\n",
            _("In a command prompt, find the connections and the process ID "
              "(PID, the last column):"));
        command(b, "netstat -ano | findstr :", f->port, "");
        say(b, "<p>%s</p>\n", _("then look the PID up:"));
        buf_adds(b, "<pre><code>tasklist /FI \"PID eq &lt;PID&gt;\"</code></pre>\n");
        buf_adds(b, "<p class=\"small\">");
        say(b,
            _("findstr matches text, so :%u also matches longer numbers that start the same "
              "way; read the local address column."),
            f->port);
        buf_adds(b, "</p>\n</div>\n</div>\n<p>");
        say(b,
            _("With portinfo installed, <code>portinfo who %u</code> shows the sockets and "
              "their programs in one step."),
            f->port);
        buf_adds(b, "</p>\n");
        say(b, "<h3>%s</h3>\n<ol>\n", _("If something unexpected is listening"));
        say(b, "<li>%s</li>\n",
            _("Find out which program it is and where its file lives; the "
              "commands above give its name and PID."));
        say(b, "<li>%s</li>\n",
            _("If you installed it, check its settings: many programs let you "
              "choose the port."));
        say(b, "<li>%s</li>\n",
            _("If you do not recognise it, stop it or block the port in your "
              "firewall, then look at how it starts: services, scheduled "
              "tasks, startup items."));
        say(b, "<li>%s</li>\n",
            _("If it looks hostile, take the machine off the network and treat "
              "it as a security incident."));
        buf_adds(b, "</ol>\n</section>\n");
}

/* Port 0 cannot be taken the way other free ports can: the socket API reads it as "any". */
static void port_zero_section(const struct page *pg)
{
        say(pg->b, "<section id=\"why\" aria-labelledby=\"why-h\">\n<h2 id=\"why-h\">%s</h2>\n",
            _("Why port 0 is special"));
        say(pg->b, "<p>%s</p>\n</section>\n",
            _("A program that asks to listen on port 0 is given a free port chosen by the "
              "operating system instead, so nothing normally listens on port 0 itself."));
}

static void why_section(const struct page *pg, const struct facts *f)
{
        struct buf *b = pg->b;

        if (f->port == 0) {
                port_zero_section(pg);
                return;
        }
        say(b, "<section id=\"why\" aria-labelledby=\"why-h\">\n<h2 id=\"why-h\">%s</h2>\n",
            _("Why unassigned ports matter"));
        say(b, "<p>%s</p>\n",
            _("Nobody owns an unassigned port. Any program may pick it, so two programs that "
              "chose the same number can collide: the second one fails to start, or clients "
              "reach the wrong service."));
        if (f->tier == TIER_DYNAMIC)
                say(b, "<p>%s</p>\n",
                    _("In the dynamic range your own operating system also hands ports out for "
                      "outgoing connections, so a server fixed on such a port may find it "
                      "taken."));
        buf_adds(b, "<p>");
        if (f->nmal)
                say(b,
                    _("Malware has used unassigned ports too, port %u among them, and that "
                      "past makes traffic here look suspicious to some security tools."),
                    f->port);
        else
                say(b,
                    _("Malware has used unassigned ports in the past, which makes traffic on "
                      "such ports look suspicious to some security tools; portinfo's sources "
                      "do not tie port %u to any."),
                    f->port);
        buf_adds(b, "</p>\n</section>\n");
}

/* ---- feedback ----------------------------------------------------------------------------- */

static void feedback_section(const struct page *pg, uint16_t port)
{
        static const char *const value[] = {"sad", "meh", "happy"};
        static const char *const emoji[] = {"\xf0\x9f\x98\x94", "\xf0\x9f\xa4\xa8",
                                            "\xf0\x9f\x98\x83"};
        const char *label[] = {_("Not helpful"), _("Somewhat helpful"), _("Helpful")};
        const struct vote_counts *c = pg->ctx->counts;
        unsigned count[3] = {c ? c->sad : 0, c ? c->meh : 0, c ? c->happy : 0};
        int mine = pg->ctx->my_vote;
        struct buf *b = pg->b;

        say(b,
            "<section id=\"feedback\" class=\"feedback\" aria-labelledby=\"fb-h\">\n"
            "<h2 id=\"fb-h\">%s</h2>\n",
            _("Was this page helpful?"));
        buf_adds(b, "<form class=\"fb\" method=\"post\" action=\"");
        buf_add_html(b, pg->ctx->vote_action ? pg->ctx->vote_action : "");
        buf_printf(b, "/ports/%u/feedback\"", port);
        say(b, " data-thanks=\"%s\" data-failed=\"%s\"", _("Thank you! Your vote is counted."),
            _("Sorry, your vote could not be recorded. Please try again later."));
        /* A static page carries no counts: the script asks the vote endpoint for them. */
        if (pg->ctx->static_site) {
                buf_adds(b, " data-counts=\"");
                buf_add_html(b, pg->ctx->vote_action);
                buf_printf(b, "/api/ports/%u/feedback\"", port);
        }
        buf_adds(b, ">\n");
        if (pg->lang != LANG_EN)
                buf_printf(b, "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
                           lang_code[pg->lang]);
        for (int i = 0; i < 3; i++) {
                buf_printf(b,
                           "<button type=\"submit\" name=\"vote\" value=\"%s\" aria-pressed=\"%s\"",
                           value[i], i == mine ? "true" : "false");
                say(b,
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
                say(b, _("You voted %s. You can change your vote at any time."), emoji[mine]);
        else if (c)
                say(b, P_("%u vote so far.", "%u votes so far.", count[0] + count[1] + count[2]),
                    count[0] + count[1] + count[2]);
        buf_adds(b, "</p>\n</section>\n");
}

static void neighbours(const struct page *pg, uint16_t port)
{
        struct buf *b = pg->b;

        say(b, "<nav class=\"pager\" aria-label=\"%s\">\n", _("Neighbouring ports"));
        if (port > 0) {
                buf_printf(b, "<a rel=\"prev\" href=\"%s/ports/%u\">← ", pg->pfx, port - 1u);
                say(b, _("Port %u"), port - 1u);
                buf_adds(b, "</a>\n");
        }
        if (port < 65535) {
                buf_printf(b, "<a rel=\"next\" href=\"%s/ports/%u\">", pg->pfx, port + 1u);
                say(b, _("Port %u"), port + 1u);
                buf_adds(b, " →</a>\n");
        }
        buf_adds(b, "</nav>\n");
}

int render_html_port(struct buf *b, const struct portdb *db, uint16_t port,
                     const struct html_ctx *ctx)
{
        locale_t old = lang_enter(ctx->lang);
        struct page pg = {b, db, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};
        const char *date = portdb_str(db, db->hdr->registry_updated);
        struct facts f;
        char tag[300], title[400], desc[600], path[24];
        /* A static page has a vote widget only when votes have somewhere to go. */
        bool votes = !ctx->static_site || (ctx->vote_action && ctx->vote_action[0]);

        pg.pfx = lang_prefix[pg.lang];
        facts_gather(&f, db, port);
        tagline(&pg, &f, tag, sizeof(tag));
        snprintf(title, sizeof(title), _("Port %u: %s — %s"), port, status_words(&f), tag);
        snprintf(desc, sizeof(desc),
                 _("Port %u: %s. Its range, its official IANA use, known unofficial uses and how "
                   "to check what is listening on it."),
                 port, tag);
        snprintf(path, sizeof(path), "/ports/%u", port);

        page_open(&pg, title, desc, path, votes ? "feedback.js" : NULL);
        breadcrumb(&pg, port);
        buf_adds(b, "<article>\n<header class=\"port-head\">\n<h1>");
        say(b, _("Port %u"), port);
        buf_adds(b, "</h1>\n<p class=\"tagline\">");
        buf_add_html(b, tag);
        buf_adds(b, "</p>\n<p class=\"badges\">");
        say(b, "<span class=\"badge range\">%s</span> ", tier_badge(f.tier));
        say(b, "<span class=\"badge st-%s\">%s</span>", portdb_status_name(f.status),
            f.status == PORT_ASSIGNED   ? _("Assigned by IANA")
            : f.status == PORT_RESERVED ? _("Reserved by IANA")
                                        : _("Not assigned by IANA"));
        if (f.nmal)
                say(b, " <span class=\"badge mal\">%s</span>", _("Malware history"));
        buf_adds(b, "</p>\n</header>\n");
        lead(&pg, &f);
        tier_section(&pg, &f);
        official_section(&pg, &f);
        unofficial_section(&pg, &f);
        if (f.status != PORT_ASSIGNED)
                why_section(&pg, &f);
        check_section(&pg, &f);
        if (votes)
                feedback_section(&pg, port);
        buf_adds(b, "</article>\n");
        neighbours(&pg, port);
        if (date[0]) {
                buf_adds(b, "<p class=\"small\">");
                say(b,
                    _("This page was generated from the IANA registry of <time "
                      "datetime=\"%s\">%s</time>."),
                    date, date);
                buf_adds(b, "</p>\n");
        }
        page_close(&pg);
        lang_leave(old);
        return buf_error(b);
}

/* ---- counts for the home page and the index ----------------------------------------------- */

/* How many ports in [lo, hi] have an assigned entry, and how many have unofficial uses. */
static void tally(const struct portdb *db, uint32_t lo, uint32_t hi, unsigned *ret_assigned,
                  unsigned *ret_unofficial)
{
        unsigned assigned = 0, unofficial = 0;

        for (uint32_t p = lo; p <= hi; p++) {
                const struct portdb_unofficial *uo;

                assigned += portdb_status(db, (uint16_t)p, PROTO_MASK_ALL) == PORT_ASSIGNED;
                unofficial += portdb_unofficial_at(db, (uint16_t)p, &uo) > 0;
        }
        *ret_assigned = assigned;
        *ret_unofficial = unofficial;
}

/* ---- home --------------------------------------------------------------------------------- */

static void tier_cards(const struct page *pg, bool counts)
{
        struct buf *b = pg->b;

        buf_adds(b, "<ol class=\"tiers\">\n");
        for (enum tier t = TIER_WELL_KNOWN; t <= TIER_DYNAMIC; t++) {
                unsigned assigned, unofficial;

                buf_adds(b, "<li class=\"tier\">\n");
                buf_printf(b, "<h3><a href=\"%s/ports#%s\">", pg->pfx, portdb_tier_name(t));
                say(b, "%s</a></h3>\n", tier_name(t));
                buf_printf(b, "<p class=\"span\">%u–%u</p>\n", tier_lo[t], tier_hi[t]);
                say(b, "<p>%s</p>\n", tier_who(t));
                tier_examples(pg, t);
                if (counts) {
                        tally(pg->db, tier_lo[t], tier_hi[t], &assigned, &unofficial);
                        buf_adds(b, "<p class=\"count\">");
                        if (t != TIER_DYNAMIC) {
                                say(b, P_("%u port assigned", "%u ports assigned", assigned),
                                    assigned);
                                buf_adds(b, " · ");
                        }
                        say(b, P_("%u with unofficial uses", "%u with unofficial uses", unofficial),
                            unofficial);
                        buf_adds(b, "</p>\n");
                }
                buf_adds(b, "</li>\n");
        }
        buf_adds(b, "</ol>\n");
}

int render_html_home(struct buf *b, const struct portdb *db, const struct html_ctx *ctx)
{
        locale_t old = lang_enter(ctx->lang);
        struct page pg = {b, db, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};
        static const uint16_t examples[] = {22, 443, 1776, 3389, 31337};

        pg.pfx = lang_prefix[pg.lang];
        page_open(&pg, _("Network ports, explained"),
                  _("What every TCP and UDP port from 0 to 65535 is for: its IANA assignment, its "
                    "range, unofficial uses with sources, and how to check what is listening."),
                  "/", NULL);
        say(b, "<div class=\"hero\">\n<h1>%s</h1>\n", _("Network ports, explained"));
        say(b, "<p class=\"lead\">%s</p>\n",
            _("Look up any port from 0 to 65535: what IANA assigned it to, which range it belongs "
              "to, what software and malware have been reported on it, and how to check what is "
              "listening on your own machine."));
        search_form(&pg, NULL, true);
        say(b, "<p class=\"try\">%s ", _("Try:"));
        for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
                if (i)
                        buf_adds(b, " ");
                port_link(&pg, examples[i]);
        }
        buf_adds(b, "</p>\n</div>\n");
        say(b, "<section aria-labelledby=\"tiers-h\">\n<h2 id=\"tiers-h\">%s</h2>\n",
            _("Three ranges of ports"));
        say(b, "<p>%s</p>\n",
            _("IANA splits the 65,536 port numbers into three ranges, each with its own rules."));
        tier_cards(&pg, true);
        buf_adds(b, "</section>\n");
        page_close(&pg);
        lang_leave(old);
        return buf_error(b);
}

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
        say(b, "%s",
            _("Ports without an assigned service are left out here; every one of them still has "
              "its page."));
        buf_adds(b, "</p>\n");
}

/* Tier @t in blocks of BLOCK ports, each linking to its first port, with what it holds. */
static void index_blocks(const struct page *pg, enum tier t)
{
        struct buf *b = pg->b;

        buf_adds(b, "<ul class=\"blocks\">\n");
        for (uint32_t lo = tier_lo[t]; lo <= tier_hi[t]; lo += BLOCK) {
                uint32_t hi = lo + BLOCK - 1 > tier_hi[t] ? tier_hi[t] : lo + BLOCK - 1;
                unsigned assigned, unofficial;

                tally(pg->db, lo, hi, &assigned, &unofficial);
                buf_printf(b, "<li><a href=\"%s/ports/%u\">%u–%u</a> <span>", pg->pfx, lo, lo, hi);
                if (t == TIER_REGISTERED) {
                        say(b, P_("%u assigned", "%u assigned", assigned), assigned);
                        buf_adds(b, " · ");
                }
                say(b, P_("%u with unofficial uses", "%u with unofficial uses", unofficial),
                    unofficial);
                buf_adds(b, "</span></li>\n");
        }
        buf_adds(b, "</ul>\n");
}

int render_html_index(struct buf *b, const struct portdb *db, const struct html_ctx *ctx)
{
        locale_t old = lang_enter(ctx->lang);
        struct page pg = {b, db, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};

        pg.pfx = lang_prefix[pg.lang];
        page_open(&pg, _("Ports by range"),
                  _("Every well-known port with its service, and the registered and dynamic "
                    "ranges in blocks of 1024."),
                  "/ports", NULL);
        say(b, "<h1>%s</h1>\n", _("Ports by range"));
        say(b, "<p class=\"lead\">%s</p>\n",
            _("The well-known ports are listed one by one with the service IANA assigned to them; "
              "the registered and dynamic ranges follow in blocks of 1024, each opening at its "
              "first port."));
        search_form(&pg, NULL, false);
        for (enum tier t = TIER_WELL_KNOWN; t <= TIER_DYNAMIC; t++) {
                const char *id = portdb_tier_name(t);

                buf_printf(b, "<section id=\"%s\" aria-labelledby=\"%s-h\">\n<h2 id=\"%s-h\">", id,
                           id, id);
                say(b, "%s <span class=\"span\">%u–%u</span></h2>\n", tier_name(t), tier_lo[t],
                    tier_hi[t]);
                say(b, "<p>%s</p>\n", tier_who(t));
                if (t == TIER_WELL_KNOWN)
                        index_well_known(&pg);
                else
                        index_blocks(&pg, t);
                buf_adds(b, "</section>\n");
        }
        page_close(&pg);
        lang_leave(old);
        return buf_error(b);
}

/* ---- search ------------------------------------------------------------------------------- */

#define MAX_SHOWN_HITS    100
#define MAX_LINES_PER_HIT 3

/* Whether @query is a port number (digits only, 0-65535); stores it in *ret_port. */
static bool query_port(const char *query, uint16_t *ret_port)
{
        unsigned long v = 0;
        size_t n = strspn(query, "0123456789");

        if (n == 0 || n > 5 || query[n] != '\0')
                return false;
        v = strtoul(query, NULL, 10);
        if (v > 65535)
                return false;
        *ret_port = (uint16_t)v;
        return true;
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
                buf_printf(b, "<p%s><code>", data_lang);
                buf_add_html(b, portdb_str(db, e->service));
                buf_adds(b, "</code> ");
                buf_add_html(b, portdb_str(db, e->description));
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
                say(b, "</span> <span class=\"meta\">%s</span></p>\n",
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
        buf_printf(b, " data-lang=\"%s\"", lang_code[pg->lang]);
        for (size_t i = 0; i < sizeof(plural) / sizeof(plural[0]); i++) {
                buf_printf(b, " data-count-%s=\"", plural[i].attr);
                buf_add_html(b, P_("%zu port matches “%s”.", "%zu ports match “%s”.", plural[i].n));
                buf_adds(b, "\"");
        }
        say(b, " data-first=\"%s\"",
            _("The first %u are shown; a longer query narrows them down."));
        say(b, " data-go=\"%s\" data-port=\"%s\"", _("Go to the page for port %u"), _("Port %u"));
        say(b, " data-malware=\"%s\" data-software=\"%s\" data-other=\"%s\"",
            _("unofficial: malware"), _("unofficial: software"), _("unofficial: other"));
        say(b, " data-title=\"%s\" data-failed=\"%s\"></div>\n", _("Search: %s"),
            _("The search index could not be loaded. Please try again later."));
        say(b, "<noscript><p>%s ",
            _("Searching this copy of the site needs JavaScript; every port still has its page, "
              "reachable from the index by range."));
        buf_printf(b, "<a href=\"%s/ports\">", pg->pfx);
        say(b, "%s</a></p></noscript>\n", _("Ports by range"));
}

int render_html_search(struct buf *b, const struct portdb *db, const char *query,
                       const struct portdb_hit *hits, size_t n, const struct html_ctx *ctx)
{
        locale_t old = lang_enter(ctx->lang);
        struct page pg = {b, db, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};
        struct buf path;
        const char *q = query ? query : "";
        uint16_t port;
        char title[PORTDB_MAX_QUERY + 64];

        pg.pfx = lang_prefix[pg.lang];
        buf_init(&path, 4 * PORTDB_MAX_QUERY + 32);
        buf_adds(&path, "/search");
        if (q[0]) {
                buf_adds(&path, "?q=");
                buf_add_url(&path, q);
        }
        if (q[0])
                snprintf(title, sizeof(title), _("Search: %s"), q);
        else
                snprintf(title, sizeof(title), "%s", _("Search"));
        page_open(&pg, title, NULL, buf_error(&path) ? "/search" : path.data,
                  ctx->static_site ? "search.js" : NULL);
        buf_done(&path);
        say(b, "<h1>%s</h1>\n", _("Search"));
        search_form(&pg, q[0] ? q : NULL, false);
        if (ctx->static_site)
                browser_search(&pg);
        if (q[0]) {
                buf_adds(b, "<p class=\"result-count\">");
                say(b, P_("%zu port matches “%s”.", "%zu ports match “%s”.", n), n, q);
                if (n > MAX_SHOWN_HITS) {
                        buf_adds(b, " ");
                        say(b, _("The first %u are shown; a longer query narrows them down."),
                            MAX_SHOWN_HITS);
                }
                buf_adds(b, "</p>\n");
        }
        if (query_port(q, &port)) {
                buf_printf(b, "<p class=\"direct\"><a href=\"%s/ports/%u\">", pg.pfx, port);
                say(b, _("Go to the page for port %u"), port);
                buf_adds(b, " →</a></p>\n");
        }
        if (n > 0) {
                buf_adds(b, "<ol class=\"hits\">\n");
                for (size_t i = 0; i < n && i < MAX_SHOWN_HITS; i++) {
                        buf_printf(b, "<li><h2><a href=\"%s/ports/%u\">", pg.pfx, hits[i].port);
                        say(b, _("Port %u"), hits[i].port);
                        buf_adds(b, "</a></h2>\n");
                        hit_lines(&pg, q, &hits[i]);
                        buf_adds(b, "</li>\n");
                }
                buf_adds(b, "</ol>\n");
        } else if (!q[0]) {
                say(b, "<p>%s</p>\n",
                    _("Type a port number, a service name such as ssh, or a program's name."));
        }
        page_close(&pg);
        lang_leave(old);
        return buf_error(b);
}

/* ---- errors ------------------------------------------------------------------------------- */

int render_html_error(struct buf *b, int status, const struct html_ctx *ctx)
{
        locale_t old = lang_enter(ctx->lang);
        struct page pg = {b, NULL, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};
        const char *title, *text;

        pg.pfx = lang_prefix[pg.lang];
        switch (status) {
        case 400:
                title = _("Bad request");
                text = _("The server could not understand this request.");
                break;
        case 404:
                title = _("Page not found");
                text = _("There is no page at this address. Port pages live at /ports/N, for N "
                         "from 0 to 65535.");
                break;
        case 405:
                title = _("Method not allowed");
                text = _("This address does not accept that kind of request.");
                break;
        case 413:
                title = _("Request too large");
                text = _("The request carried more data than this site accepts.");
                break;
        case 414:
                title = _("Address too long");
                text = _("The address is longer than this site accepts.");
                break;
        case 503:
                title = _("Service unavailable");
                text = _("Part of the site is unavailable for the moment. If you were voting, "
                         "your vote was not recorded; the pages are still served. Please try "
                         "again in a moment.");
                break;
        default:
                title = _("Something went wrong");
                text = _("The server failed to answer this request. Please try again later.");
                break;
        }
        page_open(&pg, title, NULL, NULL, NULL);
        buf_printf(b, "<div class=\"error\">\n<p class=\"code\">%d</p>\n", status);
        say(b, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", title, text);
        search_form(&pg, NULL, false);
        buf_printf(b, "<p><a href=\"%s/\">", pg.pfx);
        say(b, "%s</a> · ", _("Home"));
        buf_printf(b, "<a href=\"%s/ports\">", pg.pfx);
        say(b, "%s</a></p>\n</div>\n", _("Ports by range"));
        page_close(&pg);
        lang_leave(old);
        return buf_error(b);
}

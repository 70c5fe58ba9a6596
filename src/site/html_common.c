/* html_common: the website's shared parts: languages (gettext, one locale per thread), the
 * template filler every sentence goes through, the page frame, the search form and the tiers.
 *
 * Whole HTML documents go into a capped buffer; every byte of data passes through buf_add_html
 * (query values through buf_add_url first).  No I/O and no HTTP decisions: the server sends the
 * bytes.  Each page switches its own thread to the page's locale with uselocale() and back, so
 * threads serving different languages do not disturb each other.
 */
#include <ctype.h>
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
#include <time.h>
#include <unistd.h>

#include "assets.h"
#include "config.h"
#include "dataage.h"
#include "html_common.h"
#include "html_seo.h"

/* ---- languages ---------------------------------------------------------------------------- */

const char *const html_lang_code[LANG_COUNT] = {"en", "pl"};
const char *const html_lang_prefix[LANG_COUNT] = {"", "/pl"};
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

/* Switches this thread to @lang's messages; returns the locale to give back to html_lang_leave.
 * Without the Polish locale on the system, Polish pages fall back to English text. */
locale_t html_lang_enter(enum lang lang)
{
        locale_t loc;

        pthread_once(&lang_once, lang_setup);
        loc = lang < LANG_COUNT ? lang_locale[lang] : (locale_t)0;
        return uselocale(loc                    ? loc
                         : lang_locale[LANG_EN] ? lang_locale[LANG_EN]
                                                : LC_GLOBAL_LOCALE);
}

void html_lang_leave(locale_t old)
{
        uselocale(old);
}

void html_preload(void)
{
        for (enum lang l = 0; l < LANG_COUNT; l++) {
                locale_t old = html_lang_enter(l);

                /* The first lookup in a language opens and maps its catalogue for good. */
                (void)_("Ports");
                html_lang_leave(old);
        }
}

/* ---- output helpers ----------------------------------------------------------------------- */

/* Appends @fmt, a trusted template (ours or its reviewed translation, which may hold a little
 * markup), with %s filled in as escaped text, %u, %d and %zu as numbers and %% as a percent sign.
 * Data can enter only through %s. */
void html_say(struct buf *b, const char *fmt, ...)
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
void html_add_protos(struct buf *b, unsigned protos)
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
void html_port_link(const struct page *pg, uint16_t port)
{
        buf_printf(pg->b, "<a href=\"%s/ports/%u\">%u</a>", pg->pfx, port, port);
}

bool html_is_http_url(const char *s)
{
        return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/* @url as an href: bytes a URL may not hold as they are (space, quotes, < > and the like,
 * control and non-ASCII bytes, a % that starts no escape) percent-encoded, then escaped for the
 * attribute. */
static void add_href(struct buf *b, const char *url)
{
        static const char keep[] = "-._~:/?#[]@!$&'()*+,;=";
        char one[2] = {0, 0};

        for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
                bool escape = *p == '%' && isxdigit(p[1]) && isxdigit(p[2]);

                if (*p < 0x80 && (isalnum(*p) || strchr(keep, *p) || escape)) {
                        one[0] = (char)*p;
                        buf_add_html(b, one);
                } else {
                        buf_printf(b, "%%%02X", *p);
                }
        }
}

void html_outbound_link(struct buf *b, const char *url, const char *text)
{
        buf_adds(b, "<a href=\"");
        add_href(b, url);
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
        buf_add_html(b, html_lang_prefix[lang]);
        buf_add_html(b, path);
}

/* Opens the document: head, site header, <main>.  @title is plain text; @path the English path
 * of this page for the alternates and the language switch (NULL: the page has no fixed address);
 * @script the name of a script under /static/ that the page needs, or NULL. */
void html_page_open(const struct page *pg, const char *title, const char *description,
                    const char *path, const char *script)
{
        struct buf *b = pg->b, ld;
        struct seo_page sp = {.b = b, .ctx = pg->ctx, .lang = pg->lang};
        char tmp[128];

        buf_init(&ld, 64 * 1024);
        html_seo_json_ld(&sp, description, site_name(pg), path, &ld);
        buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                   html_lang_code[pg->lang]);
        /* A static host sends no headers: the policy rides in the page, before anything it
         * governs. */
        if (pg->ctx->meta_csp)
                html_seo_meta_csp(&sp, buf_error(&ld) ? NULL : ld.data);
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
        buf_adds(b, "<link rel=\"stylesheet\" href=\"");
        buf_add_html(b, assets_url(pg->ctx, "style.css", tmp, sizeof(tmp)));
        buf_adds(b, "\">\n");
        if (script) {
                buf_adds(b, "<script src=\"");
                buf_add_html(b, assets_url(pg->ctx, script, tmp, sizeof(tmp)));
                buf_adds(b, "\" defer></script>\n");
        }
        html_seo_head(&sp, title, description, site_name(pg), path,
                      buf_error(&ld) ? NULL : ld.data);
        buf_done(&ld);
        buf_adds(b, "</head>\n<body>\n");
        html_say(b, "<a class=\"skip\" href=\"#main\">%s</a>\n", _("Skip to content"));
        buf_printf(b,
                   "<header class=\"top\"><div class=\"wrap\">\n<a class=\"brand\" href=\"%s/\">",
                   pg->pfx);
        buf_add_html(b, site_name(pg));
        buf_adds(b, "</a>\n");
        html_say(b, "<nav class=\"site\" aria-label=\"%s\">", _("Site"));
        buf_printf(b, "<a href=\"%s/ports\">", pg->pfx);
        html_say(b, "%s</a> ", _("Ports by range"));
        buf_printf(b, "<a href=\"%s/search\">", pg->pfx);
        html_say(b, "%s</a></nav>\n", C_("page", "Search"));
        html_say(b, "<nav class=\"lang\" aria-label=\"%s\">", _("Language"));
        for (enum lang l = 0; l < LANG_COUNT; l++) {
                if (l == pg->lang)
                        continue;
                buf_adds(b, "<a href=\"");
                add_lang_href(b, l, path ? path : "/");
                buf_printf(b, "\" hreflang=\"%s\" lang=\"%s\">%s</a>", html_lang_code[l],
                           html_lang_code[l], lang_own_name[l]);
        }
        buf_adds(b, "</nav>\n</div></header>\n<main id=\"main\" class=\"wrap\">\n");
}

/* " It was N days old on DATE.": true on the day the page was made, so that a cached or exported
 * page stays true (DATE honours SOURCE_DATE_EPOCH, like the age). */
static void add_age(struct buf *b, const char *date)
{
        time_t now = dataage_now();
        char today[16];
        struct tm tm;
        long days;

        if (dataage_days(date, now, &days) < 0 || days < 0 || days > INT_MAX ||
            !gmtime_r(&now, &tm))
                return;
        strftime(today, sizeof(today), "%Y-%m-%d", &tm);
        buf_adds(b, " ");
        html_say(b, P_("It was %d day old on %s.", "It was %d days old on %s.", days), (int)days,
                 today);
}

void html_page_close(const struct page *pg)
{
        struct buf *b = pg->b;
        const char *date = pg->db ? portdb_str(pg->db, pg->db->hdr->registry_updated) : "";

        buf_adds(b, "</main>\n<footer class=\"bottom\"><div class=\"wrap\">\n");
        if (date[0]) {
                buf_adds(b, "<p>");
                html_say(
                    b,
                    _("Official data: the IANA Service Name and Transport Protocol Port Number "
                      "Registry of <time datetime=\"%s\">%s</time>."),
                    date, date);
                add_age(b, date);
                html_say(b, " %s</p>\n",
                         _("Unofficial uses come from the public sources cited on each page."));
        }
        buf_adds(b, "<p>");
        html_say(
            b, _("Made with portinfo %s, which answers the same questions offline in a terminal."),
            PORTINFO_VERSION);
        buf_adds(b, "</p>\n</div></footer>\n</body>\n</html>\n");
}

/* The search form; @query pre-fills it (NULL: empty). */
void html_search_form(const struct page *pg, const char *query, bool big)
{
        struct buf *b = pg->b;

        buf_printf(
            b, "<form class=\"search%s\" role=\"search\" method=\"get\" action=\"%s/search\">\n",
            big ? " big" : "", pg->pfx);
        html_say(b, "<label for=\"q\">%s</label>\n", _("Port number or name"));
        html_say(b,
                 "<div class=\"row\"><input id=\"q\" name=\"q\" type=\"search\" required "
                 "maxlength=\"%u\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"%s\"",
                 PORTDB_MAX_QUERY, _("e.g. 22, ssh, 31337"));
        if (query) {
                buf_adds(b, " value=\"");
                buf_add_html(b, query);
                buf_adds(b, "\"");
        }
        html_say(b, "> <button type=\"submit\">%s</button></div>\n</form>\n",
                 C_("button", "Search"));
}

const char *html_tier_name(enum tier t)
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

const uint16_t html_tier_lo[3] = {0, 1024, 49152};
const uint16_t html_tier_hi[3] = {1023, 49151, 65535};

void html_tier_examples(const struct page *pg, enum tier t)
{
        static const struct {
                uint16_t port;
                const char *name;
        } wk[] = {{22, "SSH"}, {80, "HTTP"}, {443, "HTTPS"}},
          reg[] = {{3306, "MySQL"}, {5432, "PostgreSQL"}};
        struct buf *b = pg->b;

        if (t == TIER_DYNAMIC) {
                html_say(b, "<p class=\"ex\">%s</p>\n",
                         _("Example: the local port your browser uses for a connection to a web "
                           "server."));
                return;
        }
        html_say(b, "<p class=\"ex\">%s ", _("Examples:"));
        for (size_t i = 0; i < (t == TIER_WELL_KNOWN ? 3u : 2u); i++) {
                uint16_t port = t == TIER_WELL_KNOWN ? wk[i].port : reg[i].port;

                if (i)
                        buf_adds(b, ", ");
                buf_adds(b, t == TIER_WELL_KNOWN ? wk[i].name : reg[i].name);
                buf_adds(b, " ");
                html_port_link(pg, port);
        }
        buf_adds(b, "</p>\n");
}

const char *html_tier_who(enum tier t)
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

/* ---- counts for the home page and the index ----------------------------------------------- */

/* How many ports in [lo, hi] have an assigned entry, and how many have unofficial uses. */
void html_tally(const struct portdb *db, uint32_t lo, uint32_t hi, unsigned *ret_assigned,
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

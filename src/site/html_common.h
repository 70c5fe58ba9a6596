/* html_common: what every page of the website shares: its language, the frame around it, the
 * search form, the three tiers, and `html_say`, the one way text and data enter a page.
 *
 * Internal to src/site: the pages (page_*.c) include it; nothing outside does.
 */
#ifndef PORTINFO_HTML_COMMON_H
#define PORTINFO_HTML_COMMON_H

#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "portdb.h"
#include "html_ctx.h"
#include "render_html_config.h"

#define _(s)        dgettext(PORTINFO_TEXTDOMAIN, s)
#define P_(s, p, n) dngettext(PORTINFO_TEXTDOMAIN, s, p, (unsigned long)(n))
/* A message in context @c (its msgctxt): one English word with two roles ("Search" on a button
 * and as a page's name) that another language words differently. */
#define C_(c, s) html_pgettext(c "\004" s, s)

static inline const char *html_pgettext(const char *key, const char *s)
{
        const char *t = dgettext(PORTINFO_TEXTDOMAIN, key);

        return t == key ? s : t;
}

/* "en", "pl": each language's code, and "", "/pl": where its pages live. */
extern const char *const html_lang_code[LANG_COUNT];
extern const char *const html_lang_prefix[LANG_COUNT];

/* Switches this thread to @lang's messages; returns the locale to give back to html_lang_leave.
 * Without the Polish locale on the system, Polish pages fall back to English text. */
locale_t html_lang_enter(enum lang lang);
void html_lang_leave(locale_t old);

/* Opens every language's message catalogue now (render_html_preload says why). */
void html_preload(void);

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
__attribute__((format(printf, 2, 3))) void html_say(struct buf *b, const char *fmt, ...);

/* "TCP", "TCP and UDP", "TCP, UDP and SCTP" for the protocols in @protos. */
void html_add_protos(struct buf *b, unsigned protos);

/* A port number as a link to its page. */
void html_port_link(const struct page *pg, uint16_t port);

bool html_is_http_url(const char *s);

/* A link that leaves the site: @url and @text are escaped. */
void html_outbound_link(struct buf *b, const char *url, const char *text);

/* Opens the document: head, site header, <main>.  @title is plain text; @path the English path
 * of this page for the alternates and the language switch (NULL: the page has no fixed address);
 * @script the name of a script under /static/ that the page needs, or NULL. */
void html_page_open(const struct page *pg, const char *title, const char *description,
                    const char *path, const char *script);

/* Closes the document: </main>, the footer with the registry's date. */
void html_page_close(const struct page *pg);

/* The search form; @query pre-fills it (NULL: empty). */
void html_search_form(const struct page *pg, const char *query, bool big);

/* The first and last port of each tier. */
extern const uint16_t html_tier_lo[3];
extern const uint16_t html_tier_hi[3];

/* "Well-known ports", ...: a tier's title (translated; a static string). */
const char *html_tier_name(enum tier t);

/* Who a tier's ports are for, in a few sentences (translated; a static string). */
const char *html_tier_who(enum tier t);

/* A line of example ports of tier @t, as links. */
void html_tier_examples(const struct page *pg, enum tier t);

/* How many ports in [lo, hi] have an assigned entry, and how many have unofficial uses. */
void html_tally(const struct portdb *db, uint32_t lo, uint32_t hi, unsigned *ret_assigned,
                unsigned *ret_unofficial);

#endif

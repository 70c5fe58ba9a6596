/* html_seo: what a page's head tells search engines and link previews: its canonical address,
 * the same page in each language, Open Graph tags, the icons, JSON-LD, and noindex.
 *
 * Addresses are absolute under html_ctx.base_url when the site has one, else root-relative: a
 * page never carries a request's Host, since the same bytes may be served to anyone.
 */
#include <stdio.h>
#include <string.h>

#include <libintl.h>

#include "html_seo.h"
#include "page_seo.h"
#include "render_html_config.h"
#include "sha256.h"

#define _(s) dgettext(PORTINFO_TEXTDOMAIN, s)

/* The schema.org name and home of the registry every port page is a term of. */
#define IANA_REGISTRY_NAME "Service Name and Transport Protocol Port Number Registry"
#define IANA_REGISTRY_URL                                                                          \
        "https://www.iana.org/assignments/service-names-port-numbers/"                             \
        "service-names-port-numbers.xhtml"

static const char *const og_locale[LANG_COUNT] = {"en_US", "pl_PL"};
/* As html_common's: each language's code and where its pages live. */
static const char *const lang_code[LANG_COUNT] = {"en", "pl"};
static const char *const lang_prefix[LANG_COUNT] = {"", "/pl"};

/* The address of @path (English, URL-safe: "/", "/ports/22", "/search?q=ssh") in @lang, under
 * the base URL when there is one: into @out, "" if it does not fit. */
static const char *page_url(const struct seo_page *pg, enum lang lang, const char *path, char *out,
                            size_t size)
{
        const char *base = pg->ctx->base_url ? pg->ctx->base_url : "";
        int n = snprintf(out, size, "%s%s%s", base, lang_prefix[lang], path);

        if (n < 0 || (size_t)n >= size)
                out[0] = '\0';
        return out;
}

static void add_meta(struct buf *b, const char *attr, const char *name, const char *content)
{
        buf_printf(b, "<meta %s=\"%s\" content=\"", attr, name);
        buf_add_html(b, content);
        buf_adds(b, "\">\n");
}

static void links(const struct seo_page *pg, const char *path)
{
        struct buf *b = pg->b;
        char url[1024];

        buf_adds(b, "<link rel=\"canonical\" href=\"");
        buf_add_html(b, page_url(pg, pg->lang, path, url, sizeof(url)));
        buf_adds(b, "\">\n");
        for (enum lang l = 0; l < LANG_COUNT; l++) {
                buf_printf(b, "<link rel=\"alternate\" hreflang=\"%s\" href=\"", lang_code[l]);
                buf_add_html(b, page_url(pg, l, path, url, sizeof(url)));
                buf_adds(b, "\">\n");
        }
        buf_adds(b, "<link rel=\"alternate\" hreflang=\"x-default\" href=\"");
        buf_add_html(b, page_url(pg, LANG_EN, path, url, sizeof(url)));
        buf_adds(b, "\">\n");
}

static void open_graph(const struct seo_page *pg, const char *title, const char *description,
                       const char *site, const char *path)
{
        struct buf *b = pg->b;
        char url[1024];

        add_meta(b, "property", "og:type", "website");
        add_meta(b, "property", "og:site_name", site);
        add_meta(b, "property", "og:title", title);
        if (description)
                add_meta(b, "property", "og:description", description);
        /* Open Graph wants an absolute address: none without a base URL. */
        if (path && pg->ctx->base_url && pg->ctx->base_url[0])
                add_meta(b, "property", "og:url", page_url(pg, pg->lang, path, url, sizeof(url)));
        add_meta(b, "property", "og:locale", og_locale[pg->lang]);
        for (enum lang l = 0; l < LANG_COUNT; l++)
                if (l != pg->lang)
                        add_meta(b, "property", "og:locale:alternate", og_locale[l]);
}

/* "key":"value", both escaped for a <script>. */
static void json_pair(struct buf *b, const char *key, const char *value)
{
        seo_add_json_string(b, key);
        buf_adds(b, ":");
        seo_add_json_string(b, value);
}

/* The home page: the site, and how to search it. */
static void json_ld_home(const struct seo_page *pg, struct buf *b, const char *site)
{
        char url[1024];

        buf_adds(b, "{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",");
        json_pair(b, "name", site);
        buf_adds(b, ",");
        json_pair(b, "url", page_url(pg, pg->lang, "/", url, sizeof(url)));
        buf_adds(b, ",");
        json_pair(b, "inLanguage", lang_code[pg->lang]);
        buf_adds(b, ",\"potentialAction\":{\"@type\":\"SearchAction\",\"target\":{\"@type\":"
                    "\"EntryPoint\",");
        json_pair(b, "urlTemplate",
                  page_url(pg, pg->lang, "/search?q={search_term_string}", url, sizeof(url)));
        buf_adds(b, "},\"query-input\":\"required name=search_term_string\"}}");
}

static void json_crumb(const struct seo_page *pg, struct buf *b, unsigned pos, const char *name,
                       const char *path)
{
        char url[1024];

        buf_printf(b, "{\"@type\":\"ListItem\",\"position\":%u,", pos);
        json_pair(b, "name", name);
        buf_adds(b, ",");
        json_pair(b, "item", page_url(pg, pg->lang, path, url, sizeof(url)));
        buf_adds(b, "}");
}

/* A port page: its breadcrumb as the page shows it (Ports › Port N), and the port as a term of
 * the IANA registry. */
static void json_ld_port(const struct seo_page *pg, struct buf *b, unsigned port, const char *path,
                         const char *description)
{
        char name[64], url[1024];

        snprintf(name, sizeof(name), _("Port %u"), port);
        buf_adds(b, "{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":"
                    "\"BreadcrumbList\",\"itemListElement\":[");
        json_crumb(pg, b, 1, _("Ports"), "/ports");
        buf_adds(b, ",");
        json_crumb(pg, b, 2, name, path);
        buf_adds(b, "]},{\"@type\":\"DefinedTerm\",");
        json_pair(b, "name", name);
        buf_printf(b, ",\"termCode\":\"%u\",", port);
        if (description) {
                json_pair(b, "description", description);
                buf_adds(b, ",");
        }
        json_pair(b, "url", page_url(pg, pg->lang, path, url, sizeof(url)));
        buf_adds(b, ",");
        json_pair(b, "inLanguage", lang_code[pg->lang]);
        buf_adds(
            b, ",\"inDefinedTermSet\":{\"@type\":\"DefinedTermSet\",\"name\":\"" IANA_REGISTRY_NAME
               "\",\"url\":\"" IANA_REGISTRY_URL "\"}}]}");
}

/* The page's JSON-LD (html_common.h). */
void html_seo_json_ld(const struct seo_page *pg, const char *description, const char *site,
                      const char *path, struct buf *out)
{
        unsigned port;
        char end;

        if (!path)
                return;
        if (strcmp(path, "/") == 0)
                json_ld_home(pg, out, site);
        else if (sscanf(path, "/ports/%5u%c", &port, &end) == 1 && port <= 65535)
                json_ld_port(pg, out, port, path, description);
}

/* The page's own Content-Security-Policy in a <meta> (html_common.h). */
void html_seo_meta_csp(const struct seo_page *pg, const char *json_ld)
{
        struct buf *b = pg->b;
        const char *csp = pg->ctx->meta_csp;
        const char *script_src = strstr(csp, "script-src");
        char source[SHA256_CSP_SOURCE_SIZE];

        buf_adds(b, "<meta http-equiv=\"Content-Security-Policy\" content=\"");
        if (json_ld && json_ld[0] && script_src) {
                /* The data block is no script, but checkers hold it to script-src: its hash
                 * names it there. */
                sha256_csp_source(json_ld, strlen(json_ld), source);
                script_src += strlen("script-src");
                buf_add(b, csp, (size_t)(script_src - csp));
                buf_printf(b, " '%s'", source);
                csp = script_src;
        }
        buf_add_html(b, csp);
        buf_adds(b, "\">\n");
}

/* The head's tags for search engines and link previews (html_common.h). */
void html_seo_head(const struct seo_page *pg, const char *title, const char *description,
                   const char *site, const char *path, const char *json_ld)
{
        struct buf *b = pg->b;

        if (path && strchr(path, '?'))
                buf_adds(b, "<meta name=\"robots\" content=\"noindex\">\n");
        buf_adds(b, "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
                    "<link rel=\"icon\" href=\"/favicon.ico\" sizes=\"32x32\">\n");
        if (path)
                links(pg, path);
        open_graph(pg, title, description, site, path);
        if (json_ld && json_ld[0]) {
                buf_adds(b, "<script type=\"application/ld+json\">");
                buf_adds(b, json_ld);
                buf_adds(b, "</script>\n");
        }
}

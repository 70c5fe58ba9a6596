/* seo-dump: prints what page_seo renders, for test_seo.py to parse; and checks the base URL and
 * JSON escaping functions on fixed cases.
 *
 *   seo-dump robots [BASE]          robots.txt
 *   seo-dump index BASE [LASTMOD]   the sitemap index
 *   seo-dump sitemap N BASE [LASTMOD]  /sitemaps/ports-N.xml (N from 1, as in its path)
 *   seo-dump path PATH              the sitemap number of a request path, or "none"
 *   seo-dump base ARG               the --base-url check: the base URL, or "error: why"
 *   seo-dump host HOST              the base URL from a Host value (http), or "error"
 *   seo-dump json STRING            STRING as JSON for a <script>
 *   seo-dump sha256 STRING          the CSP hash source of STRING ("sha256-<base64>")
 *
 * Exits 0 when the function succeeded, 1 when it refused, 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_seo.h"
#include "sha256.h"

static int emit(struct buf *b, int r)
{
        if (r < 0) {
                buf_done(b);
                printf("error\n");
                return 1;
        }
        fwrite(b->data, 1, b->len, stdout);
        buf_done(b);
        return 0;
}

int main(int argc, char **argv)
{
        struct buf b;
        char base[SEO_BASE_URL_MAX + 1];
        const char *why = NULL;
        const char *cmd = argc > 1 ? argv[1] : "";
        size_t i;

        buf_init(&b, SEO_SITEMAP_BYTES);
        if (strcmp(cmd, "robots") == 0 && argc <= 3)
                return emit(&b, render_robots_txt(&b, argc > 2 ? argv[2] : NULL));
        if (strcmp(cmd, "index") == 0 && argc >= 3 && argc <= 4)
                return emit(&b, render_sitemap_index(&b, argv[2], argc > 3 ? argv[3] : NULL));
        if (strcmp(cmd, "sitemap") == 0 && argc >= 4 && argc <= 5)
                return emit(&b, render_sitemap(&b, strtoul(argv[2], NULL, 10) - 1, argv[3],
                                               argc > 4 ? argv[4] : NULL));
        if (strcmp(cmd, "count") == 0 && argc == 2)
                return printf("%zu\n", sitemap_count()), 0;
        if (strcmp(cmd, "path") == 0 && argc == 3) {
                if (sitemap_from_path(argv[2], &i) < 0)
                        return printf("none\n"), 1;
                return printf("%zu\n", i), 0;
        }
        if (strcmp(cmd, "base") == 0 && argc == 3) {
                if (seo_base_url_parse(argv[2], base, sizeof(base), &why) < 0)
                        return printf("error: %s\n", why ? why : "(no reason)"), 1;
                return printf("%s\n", base), 0;
        }
        if (strcmp(cmd, "host") == 0 && argc == 3) {
                if (seo_base_from_host(argv[2], false, base, sizeof(base)) < 0)
                        return printf("error\n"), 1;
                return printf("%s\n", base), 0;
        }
        if (strcmp(cmd, "sha256") == 0 && argc == 3) {
                char src[SHA256_CSP_SOURCE_SIZE];

                sha256_csp_source(argv[2], strlen(argv[2]), src);
                buf_done(&b);
                return printf("%s\n", src), 0;
        }
        if (strcmp(cmd, "json") == 0 && argc == 3) {
                seo_add_json_string(&b, argv[2]);
                buf_adds(&b, "\n");
                return emit(&b, buf_error(&b));
        }
        buf_done(&b);
        fprintf(stderr,
                "usage: seo-dump robots|index|sitemap|count|path|base|host|json|sha256 ...\n");
        return 2;
}

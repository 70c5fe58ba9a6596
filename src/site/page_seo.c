/* page_seo: robots.txt, the sitemap index and its sitemaps, and the checks of base URLs and
 * Host values that absolute URLs are built from.
 *
 * Every URL the sitemaps list has a number k: 0-3 are the home page and the index by range in
 * English and Polish, then port p in language l is 4 + 2p + l.  Sitemap i holds the numbers
 * [i * SEO_SITEMAP_MAX, (i + 1) * SEO_SITEMAP_MAX).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "page_seo.h"
#include "dataage.h"

#define SITE_PAGES 4u
#define N_URLS     (SITE_PAGES + 2u * 65536u)

static const char *const site_pages[SITE_PAGES] = {"/", "/pl/", "/ports", "/pl/ports"};

/* ---- robots.txt --------------------------------------------------------------------------- */

int render_robots_txt(struct buf *b, const char *base_url)
{
        /* Search results are endless and say nothing a port page does not; the search API is the
         * same search.  The port pages, the index and the port API are there to be read. */
        buf_adds(b, "User-agent: *\n"
                    "Disallow: /search?\n"
                    "Disallow: /pl/search?\n"
                    "Disallow: /api/search\n"
                    "Allow: /\n");
        if (base_url && base_url[0]) {
                buf_adds(b, "\nSitemap: ");
                buf_adds(b, base_url);
                buf_adds(b, "/sitemap.xml\n");
        }
        return buf_error(b);
}

/* ---- sitemaps ----------------------------------------------------------------------------- */

size_t sitemap_count(void)
{
        return (N_URLS + SEO_SITEMAP_MAX - 1) / SEO_SITEMAP_MAX;
}

static void add_lastmod(struct buf *b, const char *lastmod)
{
        if (dataage_is_iso_date(lastmod))
                buf_printf(b, "<lastmod>%s</lastmod>", lastmod);
}

int render_sitemap_index(struct buf *b, const char *base_url, const char *lastmod)
{
        if (!base_url || !base_url[0])
                return -EINVAL;
        buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (size_t i = 0; i < sitemap_count(); i++) {
                buf_adds(b, "<sitemap><loc>");
                buf_add_html(b, base_url);
                buf_printf(b, "/sitemaps/ports-%zu.xml</loc>", i + 1);
                add_lastmod(b, lastmod);
                buf_adds(b, "</sitemap>\n");
        }
        buf_adds(b, "</sitemapindex>\n");
        return buf_error(b);
}

/* The path of URL number @k. */
static void url_path(uint32_t k, char *out, size_t size)
{
        if (k < SITE_PAGES) {
                snprintf(out, size, "%s", site_pages[k]);
                return;
        }
        k -= SITE_PAGES;
        snprintf(out, size, "%s/ports/%u", k % 2 ? "/pl" : "", k / 2);
}

int render_sitemap(struct buf *b, size_t i, const char *base_url, const char *lastmod)
{
        uint32_t lo, hi;
        char path[32];

        if (!base_url || !base_url[0] || i >= sitemap_count())
                return -EINVAL;
        lo = (uint32_t)(i * SEO_SITEMAP_MAX);
        hi = lo + SEO_SITEMAP_MAX < N_URLS ? lo + SEO_SITEMAP_MAX : N_URLS;
        buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (uint32_t k = lo; k < hi && !buf_error(b); k++) {
                url_path(k, path, sizeof(path));
                buf_adds(b, "<url><loc>");
                buf_add_html(b, base_url);
                buf_adds(b, path);
                buf_adds(b, "</loc>");
                add_lastmod(b, lastmod);
                buf_adds(b, "</url>\n");
        }
        buf_adds(b, "</urlset>\n");
        return buf_error(b);
}

int sitemap_from_path(const char *path, size_t *ret_i)
{
        static const char pre[] = "/sitemaps/ports-", post[] = ".xml";
        const char *s = path;
        size_t n = 0;

        if (strncmp(s, pre, sizeof(pre) - 1) != 0)
                return -ENOENT;
        s += sizeof(pre) - 1;
        if (*s < '1' || *s > '9')
                return -ENOENT;
        for (; isdigit((unsigned char)*s) && n <= sitemap_count(); s++)
                n = n * 10 + (size_t)(*s - '0');
        if (strcmp(s, post) != 0 || n > sitemap_count())
                return -ENOENT;
        *ret_i = n - 1;
        return 0;
}

/* ---- base URLs ---------------------------------------------------------------------------- */

/* A host name of ASCII letters, digits and hyphens in dot-separated labels of 1-63 characters
 * that neither start nor end with a hyphen; if every label is numeric, a dotted IPv4 address. */
static bool good_host_name(const char *s, size_t n)
{
        size_t label = 0, labels = 0;
        bool numeric = true;

        if (n == 0 || n > 253)
                return false;
        for (size_t i = 0; i <= n; i++) {
                char c = i < n ? s[i] : '.';

                if (c == '.') {
                        if (label == 0 || label > 63 || s[i - 1] == '-')
                                return false;
                        labels++;
                        label = 0;
                        continue;
                }
                if (!isalnum((unsigned char)c) && !(c == '-' && label > 0))
                        return false;
                numeric = numeric && isdigit((unsigned char)c);
                label++;
        }
        if (numeric) {
                char ip[16];
                struct in_addr a;

                if (labels != 4 || n >= sizeof(ip))
                        return false;
                memcpy(ip, s, n);
                ip[n] = '\0';
                return inet_pton(AF_INET, ip, &a) == 1;
        }
        return true;
}

static bool good_ipv6(const char *s, size_t n)
{
        char ip[INET6_ADDRSTRLEN];
        struct in6_addr a;

        if (n < 2 || n >= sizeof(ip))
                return false;
        memcpy(ip, s, n);
        ip[n] = '\0';
        return inet_pton(AF_INET6, ip, &a) == 1;
}

/* host[:port] in @s[0..@n): 0, or -EINVAL with *@why. */
static int check_authority(const char *s, size_t n, const char **why)
{
        const char *colon = NULL, *end = s + n;

        if (n > 0 && s[0] == '[') {
                const char *close = memchr(s, ']', n);

                if (!close || !good_ipv6(s + 1, (size_t)(close - s - 1)))
                        return *why = "the IPv6 address is not valid", -EINVAL;
                if (close + 1 < end && close[1] != ':')
                        return *why = "the host is not valid", -EINVAL;
                colon = close + 1 < end ? close + 1 : NULL;
        } else {
                colon = memchr(s, ':', n);
                if (!good_host_name(s, colon ? (size_t)(colon - s) : n))
                        return *why = "the host is not an ASCII host name or IPv4 address", -EINVAL;
        }
        if (colon) {
                unsigned long port = 0;
                const char *p = colon + 1;

                if (p == end || *p == '0' || end - p > 5)
                        return *why = "the port is not a number from 1 to 65535", -EINVAL;
                for (; p < end; p++) {
                        if (!isdigit((unsigned char)*p))
                                return *why = "the port is not a number from 1 to 65535", -EINVAL;
                        port = port * 10 + (unsigned long)(*p - '0');
                }
                if (port > 65535)
                        return *why = "the port is not a number from 1 to 65535", -EINVAL;
        }
        return 0;
}

/* scheme + authority into @ret, lower case. */
static int put_base(const char *scheme, const char *auth, size_t n, char *ret, size_t size)
{
        size_t sl = strlen(scheme);

        if (sl + n + 1 > size || sl + n > SEO_BASE_URL_MAX)
                return -EINVAL;
        memcpy(ret, scheme, sl);
        for (size_t i = 0; i < n; i++)
                ret[sl + i] = (char)tolower((unsigned char)auth[i]);
        ret[sl + n] = '\0';
        return 0;
}

int seo_base_url_parse(const char *arg, char *ret, size_t size, const char **ret_why)
{
        const char *why = NULL, *scheme, *auth;
        size_t n;
        int r;

        if (!arg)
                arg = "";
        if (strncasecmp(arg, "https://", 8) == 0)
                scheme = "https://", auth = arg + 8;
        else if (strncasecmp(arg, "http://", 7) == 0)
                scheme = "http://", auth = arg + 7;
        else {
                why = "it must start with http:// or https://";
                goto bad;
        }
        n = strcspn(auth, "/?#@");
        if (auth[n] == '@') {
                why = "user information (user@) is not allowed";
                goto bad;
        }
        if (auth[n] == '?' || (auth[n] == '/' && strchr(auth + n, '?'))) {
                why = "a query (?) is not allowed";
                goto bad;
        }
        if (strchr(auth + n, '#')) {
                why = "a fragment (#) is not allowed";
                goto bad;
        }
        if (auth[n] == '/' && auth[n + 1] != '\0') {
                why = "a path is not allowed (only a final \"/\")";
                goto bad;
        }
        r = check_authority(auth, n, &why);
        if (r < 0)
                goto bad;
        if (put_base(scheme, auth, n, ret, size) < 0) {
                why = "it is too long";
                goto bad;
        }
        return 0;
bad:
        if (ret_why)
                *ret_why = why;
        return -EINVAL;
}

int seo_base_from_host(const char *host, bool https, char *ret, size_t size)
{
        const char *why;

        if (!host || check_authority(host, strlen(host), &why) < 0)
                return -EINVAL;
        return put_base(https ? "https://" : "http://", host, strlen(host), ret, size);
}

/* ---- JSON for <script> -------------------------------------------------------------------- */

/* The code point of the well-formed UTF-8 sequence at @s, with its length in *@len; -1 when @s
 * does not start one (overlong, surrogate, past U+10FFFF, cut short). */
static long utf8_next(const unsigned char *s, size_t *len)
{
        unsigned n = s[0] >= 0xf0 ? 3 : s[0] >= 0xe0 ? 2 : 1;
        long cp = s[0] & (0x3f >> n);
        static const long min[4] = {0, 0x80, 0x800, 0x10000};

        if (s[0] < 0xc2 || s[0] > 0xf4)
                return -1;
        for (unsigned i = 1; i <= n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return -1;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return -1;
        *len = n + 1;
        return cp;
}

void seo_add_json_string(struct buf *b, const char *s)
{
        const unsigned char *p = (const unsigned char *)s;

        buf_adds(b, "\"");
        while (*p) {
                size_t len = 1;
                long cp;

                if (*p < 0x80) {
                        if (*p == '"' || *p == '\\')
                                buf_printf(b, "\\%c", *p);
                        else if (*p < 0x20 || strchr("<>&'", *p) || *p == 0x7f)
                                buf_printf(b, "\\u%04x", *p);
                        else
                                buf_add(b, p, 1);
                        p++;
                        continue;
                }
                cp = utf8_next(p, &len);
                if (cp < 0)
                        buf_adds(b, "\\ufffd");
                else if (cp == 0x2028 || cp == 0x2029)
                        buf_printf(b, "\\u%04lx", cp);
                else
                        buf_add(b, p, len);
                p += len;
        }
        buf_adds(b, "\"");
}

/* page_seo: what search engines read beside the pages: robots.txt, the sitemap index and its
 * sitemaps (sitemaps.org protocol 0.9), and the one test of what may serve as the site's base
 * URL.  Used by serve (answered per request) and export (written once).
 *
 * URL layout: /robots.txt, /sitemap.xml (the index), /sitemaps/ports-N.xml (N from 1).  The
 * sitemaps list, in this order, the home page and the index by range in each language, then every
 * port page in both languages (/ports/N, /pl/ports/N), at most SEO_SITEMAP_MAX URLs per file.
 *
 * A sitemap must name absolute URLs, so the sitemaps need a base URL; robots.txt without one
 * names no sitemap.  A base URL here is "http[s]://host[:port]" without a trailing slash.
 */
#ifndef PORTINFO_PAGE_SEO_H
#define PORTINFO_PAGE_SEO_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The most URLs one sitemap may hold (sitemaps.org). */
#define SEO_SITEMAP_MAX 50000u
/* The longest base URL accepted, without its terminating NUL. */
#define SEO_BASE_URL_MAX 255u
/* The most bytes one sitemap takes. */
#define SEO_SITEMAP_BYTES ((size_t)SEO_SITEMAP_MAX * (80u + SEO_BASE_URL_MAX) + 512u)

/* robots.txt: the site open to crawlers except search results and the search API; with
 * @base_url (NULL: none) a Sitemap: line naming its index.  Returns 0 or buf_error(). */
int render_robots_txt(struct buf *b, const char *base_url);

/* How many sitemap files stand behind the index. */
size_t sitemap_count(void);

/* The sitemap index: one <sitemap> per file, /sitemaps/ports-1.xml ... with @lastmod on each:
 * the registry's date, "YYYY-MM-DD" (NULL, "" or anything else: no <lastmod>).  -EINVAL without
 * a base URL; else 0 or buf_error(). */
int render_sitemap_index(struct buf *b, const char *base_url, const char *lastmod);

/* Sitemap @i (0-based: the file /sitemaps/ports-(i+1).xml), @lastmod as above.  -EINVAL
 * without a base URL or for @i >= sitemap_count(); else 0 or buf_error().  One sitemap takes at
 * most SEO_SITEMAP_BYTES bytes: give @b at least that as its cap. */
int render_sitemap(struct buf *b, size_t i, const char *base_url, const char *lastmod);

/* The number N of a request path "/sitemaps/ports-N.xml", as the 0-based index for
 * render_sitemap; -ENOENT for any other path, or a number past sitemap_count(). */
int sitemap_from_path(const char *path, size_t *ret_i);

/* Checks the value of a --base-url option: "http://" or "https://", an ASCII host name, an IPv4
 * address or a bracketed IPv6 address, an optional port 1-65535, and no path but an optional
 * "/" (dropped); no user information, query or fragment.  On success writes the base URL (scheme
 * and host in lower case, no trailing slash) to @ret (@size bytes) and returns 0; else returns
 * -EINVAL with @ret_why (if not NULL) set to a short reason in English. */
int seo_base_url_parse(const char *arg, char *ret, size_t size, const char **ret_why);

/* A base URL from a request's Host header value and its scheme (@https), only if the value is
 * strictly a host[:port] as seo_base_url_parse accepts them; 0 or -EINVAL.  An answer built from
 * it depends on the request: the server must not cache it, and sends it with
 * "Cache-Control: no-store" and "Vary: Host". */
int seo_base_from_host(const char *host, bool https, char *ret, size_t size);

/* Appends @s as a JSON string (with its quotes) that is safe inside an HTML <script> element:
 * besides JSON's own escapes, < > & ' and U+2028/U+2029 become \u escapes, so no data can close
 * the element or start a comment; bytes that are not well-formed UTF-8 become U+FFFD. */
void seo_add_json_string(struct buf *b, const char *s);

#endif

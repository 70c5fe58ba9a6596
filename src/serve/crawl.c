/* crawl: what crawlers read beside the pages: /robots.txt, the sitemap index /sitemap.xml and
 * its sitemaps /sitemaps/ports-N.xml, from page_seo's renderers.
 *
 * robots.txt and, with --base-url, the index are small and the same for everyone: kept in the
 * page cache like a page (compressed once, ETag, Last-Modified).  Without --base-url the
 * sitemaps are built from a plain Host header (seo_base_from_host) and so are the request's
 * own: never cached, "Cache-Control: no-store" and "Vary: Host"; any other Host gets 404.  A
 * sitemap (up to 50,000 addresses, a few MB) is built per request and sent as it is: crawlers
 * ask for it rarely, and holding each in every loop's cache would cost more memory than the
 * rest of the server.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "page_seo.h"
#include "routes.h"
#include "server.h"

enum { KIND_ROBOTS = 200, KIND_SITEMAP_INDEX };

/* The base URL for @req's sitemaps: --base-url, else a plain Host (written to @tmp; the answer
 * then belongs to this request).  NULL when there is none to trust. */
static const char *sitemap_base(struct worker *w, struct evhttp_request *req, struct reply *rp,
                                char *tmp, size_t size)
{
        const char *host;

        if (w->cfg->base_url)
                return w->cfg->base_url;
        host = evhttp_find_header(evhttp_request_get_input_headers(req), "Host");
        if (!host || seo_base_from_host(host, false, tmp, size) < 0)
                return NULL;
        rp->cache = "no-store";
        evhttp_add_header(evhttp_request_get_output_headers(req), "Vary", "Host");
        return tmp;
}

/* Sends what @b holds as @type: kept in the page cache under @kind when @cacheable, else the
 * request's own (tagged from its bytes).  Takes @b's memory. */
static void reply_built(struct worker *w, const struct reqinfo *ri, struct reply *rp, struct buf *b,
                        const char *type, int kind, bool cacheable)
{
        size_t len;
        char *data = buf_error(b) ? NULL : buf_take(b, &len);

        buf_done(b);
        if (!data) {
                reply_error(w, ri, rp, 500, "The file could not be built.");
                return;
        }
        rp->status = 200;
        rp->type = type;
        rp->last_mod = w->table_time;
        if (!cacheable) {
                reply_body_owned(rp, data, len);
                rp->tag_owned = true;
                return;
        }
        rp->cached =
            pagecache_put(w->cache, pagecache_key((unsigned)kind, 0, 0), NULL, 0, data, len);
        if (!rp->cached) {
                reply_error(w, ri, rp, 500, "Out of memory.");
                return;
        }
        rp->answer = &rp->cached->a;
}

/* Takes @kind from the page cache into @rp; false when it is not there. */
static bool from_cache(struct worker *w, struct reply *rp, int kind, const char *type)
{
        rp->cached = pagecache_get(w->cache, pagecache_key((unsigned)kind, 0, 0), NULL, 0);
        if (!rp->cached)
                return false;
        rp->status = 200;
        rp->type = type;
        rp->answer = &rp->cached->a;
        rp->last_mod = w->table_time;
        return true;
}

void page_robots(struct worker *w, struct evhttp_request *req, struct reqinfo *ri, struct reply *rp)
{
        const char *type = "text/plain; charset=utf-8";
        struct buf b;

        rp->cache = "public, max-age=86400";
        if (from_cache(w, rp, KIND_ROBOTS, type))
                return;
        buf_init(&b, MAX_PAGE_BYTES);
        if (render_robots_txt(&b, w->cfg->base_url) < 0)
                buf_done(&b);
        reply_built(w, ri, rp, &b, type, KIND_ROBOTS, true);
}

void page_sitemap_index(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                        struct reply *rp)
{
        const char *type = "application/xml; charset=utf-8";
        char tmp[SEO_BASE_URL_MAX + 1];
        const char *base;
        struct buf b;

        rp->cache = "public, max-age=86400";
        if (w->cfg->base_url && from_cache(w, rp, KIND_SITEMAP_INDEX, type))
                return;
        base = sitemap_base(w, req, rp, tmp, sizeof(tmp));
        if (!base) {
                reply_error(w, ri, rp, 404, "There is no such page.");
                return;
        }
        buf_init(&b, MAX_PAGE_BYTES);
        if (render_sitemap_index(&b, base, portdb_str(w->db, w->db->hdr->registry_updated)) < 0)
                buf_done(&b);
        reply_built(w, ri, rp, &b, type, KIND_SITEMAP_INDEX, base == w->cfg->base_url);
}

void page_sitemap(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                  struct reply *rp)
{
        char path[64], tmp[SEO_BASE_URL_MAX + 1];
        const char *base;
        struct buf b;
        size_t i;

        if (ri->path_len >= sizeof(path)) {
                reply_error(w, ri, rp, 404, "There is no such page.");
                return;
        }
        memcpy(path, ri->path, ri->path_len);
        path[ri->path_len] = '\0';
        rp->cache = "public, max-age=86400";
        if (sitemap_from_path(path, &i) < 0 ||
            !(base = sitemap_base(w, req, rp, tmp, sizeof(tmp)))) {
                reply_error(w, ri, rp, 404, "There is no such page.");
                return;
        }
        buf_init(&b, SEO_SITEMAP_BYTES);
        if (render_sitemap(&b, i, base, portdb_str(w->db, w->db->hdr->registry_updated)) < 0)
                buf_done(&b);
        reply_built(w, ri, rp, &b, "application/xml; charset=utf-8", 0, false);
}

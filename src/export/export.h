/* export: the website as static files, for any web host: every port page in every language, the
 * home, the index, the search page with its index, the API objects and the assets.
 *
 * Everything is written into a fresh directory inside the target and moved into place at the
 * end, one rename per top-level entry; a failed or interrupted export leaves the target as it
 * was.  Pages are rendered by render_html (static mode) in several threads.  No printing: the
 * caller hears about progress through a callback and about failure through the return value.
 */
#ifndef PORTINFO_EXPORT_H
#define PORTINFO_EXPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portdb.h"

#define EXPORT_TMP_PREFIX     ".tmp-export."
#define EXPORT_MAX_THREADS    256
#define EXPORT_MAX_URL        200 /* the vote URL */
#define EXPORT_MAX_PAGE       (1u << 20)
#define EXPORT_MAX_ASSETS     64 /* files taken from the static folder */
#define EXPORT_MAX_ASSET      (2u << 20)
#define EXPORT_MAX_ASSET_NAME 64 /* bytes of an asset's file name */

/* The precompressed siblings written beside each file worth compressing: NAME.gz (gzip) and
 * NAME.br (brotli), for hosts that serve them directly (nginx's gzip_static, brotli_static).
 * A file shorter than EXPORT_MIN_COMPRESS bytes fits in one TCP segment as it is and gets none;
 * neither does a sibling that would not be at least a tenth smaller. */
enum export_compress {
        EXPORT_COMPRESS_NONE, /* no siblings */
        EXPORT_COMPRESS_FAST, /* gzip -9, brotli quality 5: as small as 9, ten times faster */
        EXPORT_COMPRESS_BEST, /* gzip -9, brotli quality 11: about 14% smaller, far slower */
};
#define EXPORT_MIN_COMPRESS 1400

struct export_config {
        const struct portdb *db;
        const char *dir;        /* the target; created if missing (its parent must exist) */
        const char *static_dir; /* the assets (web/); copied into static/ */
        const char *site_name;
        const char *vote_url; /* base URL of a portinfo serve for votes, no trailing '/'; "" none */
        const char *base_url; /* the site's address (--base-url, page_seo.h), or NULL */
        uint16_t lo, hi;      /* the ports that get pages and API objects (0-65535: all) */
        unsigned threads;     /* renderers, at least 1 */
        bool force;           /* write into a target that is not empty */
        enum export_compress compress;
        bool api; /* also api/ports/N.json, the server's /api/ports/N (no page links them) */
        /* Called about ten times a second from the calling thread while pages are rendered,
         * and once at the end, with files written so far and the total; may be NULL. */
        void (*progress)(size_t done, size_t total, void *arg);
        void *progress_arg;
        const volatile sig_atomic_t *stop; /* set (by a signal handler) to abandon; may be NULL */
};

struct export_stats {
        size_t files;      /* every file written, siblings included */
        uint64_t bytes;    /* their bytes */
        size_t compressed; /* of them, .gz and .br siblings */
};

/* What went wrong, for the caller's one line. */
struct export_error {
        char path[512]; /* the file or directory concerned, named as the user knows it */
};

/* The Content-Security-Policy of exported pages for @vote_url ("" or NULL: no vote endpoint)
 * into @out; the vote endpoint is allowed in connect-src and form-action, nothing else from
 * another host.  Returns 0, or -E2BIG when @size is too small. */
int export_csp(const char *vote_url, char *out, size_t size);

/* Writes the site as configured.  Returns 0 with *ret_stats filled, or -errno with @err naming
 * the path: -ENOTEMPTY (target not empty, no force), -ENOTDIR, -EACCES, -ENOSPC, ... for the
 * file system, -EINTR when *cfg->stop was set, -E2BIG when a page outgrew EXPORT_MAX_PAGE or the
 * static folder its caps, -ENOMEM. */
int export_site(const struct export_config *cfg, struct export_stats *ret_stats,
                struct export_error *err);

#endif

/* export: the website as static files (see export.h for the layout and the guarantees).
 *
 * The calling thread prepares a fresh directory inside the target, writes the few shared files,
 * then N threads take port numbers from a shared counter and write each port's English page,
 * Polish page and API object.  It does not serve, compress or upload anything.
 */
#include "export.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cleanup.h"
#include "assets.h"
#include "compress.h"
#include "export_fs.h"
#include "render_json.h"
#include "render_html.h"
#include "page_seo.h"
#include "search_index.h"

/* The directories of an export; the target-relative names are also the URL paths. */
enum dir_id {
        D_ROOT,
        D_PORTS,
        D_PL,
        D_PL_PORTS,
        D_API,
        D_API_PORTS,
        D_STATIC,
        D_SITEMAPS,
        D_COUNT
};
static const char *const dir_name[D_COUNT] = {"",    "ports",     "pl",     "pl/ports",
                                              "api", "api/ports", "static", "sitemaps"};

/* What search engines, browsers and scripts ask for at the root, moved first, each only if
 * written: sitemap.xml exists only with a base URL, a favicon only if the static folder has one,
 * api/ only with --api. */
static const char *const seo_entries[] = {"robots.txt",  "sitemaps",    "sitemap.xml",
                                          "favicon.ico", "favicon.svg", "api"};

/* The top-level entries an export writes, in the order they are moved into place: what pages
 * refer to first, the pages that refer to it last. */
static const char *const top_entries[] = {"static",   "search-index.json", "ports",
                                          "pl",       "ports.html",        "search.html",
                                          "404.html", "index.html"};

/* Files per port: the English page, the Polish page and (with --api) the API object. */
#define ITEMS_PER_PORT(cfg) ((cfg)->api ? 3u : 2u)
/* Port items a thread takes at a time: few enough to balance, many enough to rarely contend. */
#define CHUNK 48

struct job {
        const struct export_config *cfg;
        int dirs[D_COUNT]; /* open directories inside the temporary one */
        struct html_ctx ctx[LANG_COUNT];
        size_t items; /* ITEMS_PER_PORT per port */
        size_t total; /* files in all, for the progress callback */
        atomic_size_t next;
        atomic_size_t done;       /* files of the site (for progress), not counting siblings */
        atomic_size_t files;      /* every file written */
        atomic_size_t compressed; /* .gz and .br siblings */
        /* The static files' hashed URLs, for html_ctx.assets. */
        struct asset_name assets[EXPORT_MAX_ASSETS];
        char asset_names[EXPORT_MAX_ASSETS][2][EXPORT_MAX_ASSET_NAME + 32]; /* name, URL */
        size_t n_assets;
        atomic_uint_least64_t bytes;
        atomic_uint running;
        atomic_bool failed;
        pthread_mutex_t lock;
        int err;
        char err_path[sizeof(((struct export_error *)0)->path)];
};

int export_csp(const char *vote_url, char *out, size_t size)
{
        char src[EXPORT_MAX_URL + 4] = "";
        int n;

        /* A source with a path matches only that exact path unless it ends in '/': a vote URL
         * with a path becomes a prefix, one without stays an origin. */
        if (vote_url && vote_url[0]) {
                const char *host = strstr(vote_url, "://");
                const char *path = host ? strchr(host + 3, '/') : NULL;

                n = snprintf(src, sizeof(src), " %s%s", vote_url, path ? "/" : "");
                if (n < 0 || (size_t)n >= sizeof(src))
                        return -E2BIG;
        }
        /* frame-ancestors, report-uri and sandbox are ignored in a <meta> policy: left out. */
        n = snprintf(out, size,
                     "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' "
                     "data:; connect-src 'self'%s; form-action 'self'%s; base-uri 'none'",
                     src, src);
        return n < 0 || (size_t)n >= size ? -E2BIG : 0;
}

/* ---- files -------------------------------------------------------------------------------- */

/* Records the first failure: @r for @path (as the user should read it). */
static void job_fail(struct job *j, int r, const char *path)
{
        pthread_mutex_lock(&j->lock);
        if (j->err == 0) {
                j->err = r;
                snprintf(j->err_path, sizeof(j->err_path), "%s", path);
        }
        pthread_mutex_unlock(&j->lock);
        atomic_store(&j->failed, true);
}

/* The path of file @name of directory @d as it will be once in place. */
static void job_path(const struct job *j, enum dir_id d, const char *name, char *out, size_t size)
{
        snprintf(out, size, "%s/%s%s%s", j->cfg->dir, dir_name[d], d == D_ROOT ? "" : "/", name);
}

/* Writes @len bytes at @data as @name in @dfd, counted as a file of the export. */
static int put_file(struct job *j, int dfd, const char *name, const void *data, size_t len)
{
        int r = exfs_write_at(dfd, name, data, len);

        if (r == 0) {
                atomic_fetch_add(&j->files, 1);
                atomic_fetch_add(&j->bytes, len);
        }
        return r;
}

/* Writes @name's compressed siblings NAME.gz and NAME.br where they are worth it. */
static int put_siblings(struct job *j, int dfd, const char *name, const void *data, size_t len)
{
        enum compress_effort effort =
            j->cfg->compress == EXPORT_COMPRESS_BEST ? COMPRESS_BEST : COMPRESS_FAST;
        static const char *const ext[] = {".gz", ".br"};
        char sib[EXPORT_MAX_ASSET_NAME + 40];
        int r = 0;

        if (j->cfg->compress == EXPORT_COMPRESS_NONE || len < EXPORT_MIN_COMPRESS)
                return 0;
        for (int k = 0; k < 2 && r == 0; k++) {
                struct buf out;

                /* Room for the encoders' worst case (zlib's bound is about 1.15 x @len). */
                buf_init(&out, 2 * len + 1024);
                /* gzip -9 in both modes: level 9 costs little more than 6 on pages this size. */
                r = k == 0 ? compress_gzip(data, len, COMPRESS_BEST, &out)
                           : compress_brotli(data, len, effort, &out);
                if (r == 0 && out.len <= len - len / 10) {
                        snprintf(sib, sizeof(sib), "%s%s", name, ext[k]);
                        r = put_file(j, dfd, sib, out.data, out.len);
                        if (r == 0)
                                atomic_fetch_add(&j->compressed, 1);
                }
                buf_done(&out);
        }
        return r;
}

/* Writes file @name of directory @d and its siblings; on failure records it.  0 or -errno. */
static int job_write(struct job *j, enum dir_id d, const char *name, const void *data, size_t len)
{
        int r = put_file(j, j->dirs[d], name, data, len);
        char path[sizeof(j->err_path)];

        if (r == 0)
                r = put_siblings(j, j->dirs[d], name, data, len);
        if (r < 0) {
                job_path(j, d, name, path, sizeof(path));
                job_fail(j, r, path);
                return r;
        }
        atomic_fetch_add(&j->done, 1);
        return 0;
}

/* Writes page @b, rendered with result @render_r, as @name in @d, and frees the buffer. */
static int job_page(struct job *j, enum dir_id d, const char *name, struct buf *b, int render_r)
{
        char path[sizeof(j->err_path)];
        int r = render_r;

        if (r == 0) {
                r = job_write(j, d, name, b->data, b->len);
        } else {
                job_path(j, d, name, path, sizeof(path));
                job_fail(j, r, path);
        }
        buf_done(b);
        return r;
}

/* Writes asset @name (@len bytes at @data) as static/NAME.<hash>.EXT, which pages link, and a
 * favicon also at the root, where browsers ask for it. */
static int put_asset(struct job *j, const char *name, const char *data, size_t len)
{
        char *own = j->asset_names[j->n_assets][0], *url = j->asset_names[j->n_assets][1];
        const size_t prefix = strlen("/static/");
        int r;

        /* The pages look the name up for as long as the job runs: it is kept here. */
        if (strlen(name) > EXPORT_MAX_ASSET_NAME)
                return -ENAMETOOLONG;
        snprintf(own, sizeof(j->asset_names[0][0]), "%s", name);
        memcpy(url, "/static/", prefix);
        r = assets_hashed_name(name, data, len, url + prefix,
                               sizeof(j->asset_names[0][1]) - prefix);
        if (r < 0)
                return r;
        j->assets[j->n_assets] = (struct asset_name){.name = own, .url = url};
        r = job_write(j, D_STATIC, url + prefix, data, len);
        if (r == 0 && strncmp(name, "favicon.", strlen("favicon.")) == 0)
                r = job_write(j, D_ROOT, name, data, len);
        if (r == 0)
                j->n_assets++;
        return r;
}

/* Copies the plain regular files of the static folder into static/ under hashed names.
 * Symbolic links, dot files and subdirectories are left out, as portinfo serve leaves out what
 * it would not serve. */
static int copy_assets(struct job *j, const char *src)
{
        int sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int r = 0;

        if (sfd < 0) {
                job_fail(j, -errno, src);
                return -errno;
        }
        d = fdopendir(sfd);
        if (!d) {
                r = -errno;
                close(sfd);
                job_fail(j, r, src);
                return r;
        }
        while (r == 0 && (de = readdir(d))) {
                _cleanup_free_ char *data = NULL;
                char where[sizeof(j->err_path)];
                size_t len = 0;

                if (!exfs_plain_name(de->d_name))
                        continue;
                r = exfs_read_file(sfd, de->d_name, EXPORT_MAX_ASSET, &data, &len);
                if (r == -EINVAL) { /* a directory or a link: not an asset */
                        r = 0;
                        continue;
                }
                if (r == 0 && j->n_assets >= EXPORT_MAX_ASSETS)
                        r = -E2BIG;
                if (r == 0)
                        r = put_asset(j, de->d_name, data, len);
                if (r < 0 && !atomic_load(&j->failed)) {
                        snprintf(where, sizeof(where), "%s/%s", src, de->d_name);
                        job_fail(j, r, where);
                }
        }
        return r;
}

/* ---- pages -------------------------------------------------------------------------------- */

/* The pages every language has once: home, index (twice: ports.html for /ports on hosts that
 * map extensionless paths, ports/index.html for those that only know directory indexes),
 * search and the 404 page. */
static int shared_pages(struct job *j)
{
        const struct portdb *db = j->cfg->db;

        for (enum lang l = 0; l < LANG_COUNT; l++) {
                const struct html_ctx *ctx = &j->ctx[l];
                enum dir_id root = l == LANG_EN ? D_ROOT : D_PL;
                enum dir_id ports = l == LANG_EN ? D_PORTS : D_PL_PORTS;
                struct buf b;
                int r;

                buf_init(&b, EXPORT_MAX_PAGE);
                if (job_page(j, root, "index.html", &b, render_html_home(&b, db, ctx)) < 0)
                        return -1;
                buf_init(&b, EXPORT_MAX_PAGE);
                if (job_page(j, root, "search.html", &b,
                             render_html_search(&b, db, NULL, NULL, 0, ctx)) < 0)
                        return -1;
                buf_init(&b, EXPORT_MAX_PAGE);
                if (job_page(j, root, "404.html", &b, render_html_error(&b, 404, ctx)) < 0)
                        return -1;
                buf_init(&b, EXPORT_MAX_PAGE);
                r = render_html_index(&b, db, ctx);
                if (r == 0 && job_write(j, ports, "index.html", b.data, b.len) < 0) {
                        buf_done(&b);
                        return -1;
                }
                if (job_page(j, root, "ports.html", &b, r) < 0)
                        return -1;
        }
        return 0;
}

/* robots.txt, and with a base URL and every port exported, the sitemap index and its
 * sitemaps (a sitemap of a partial export would list pages it does not have). */
static int seo_files(struct job *j)
{
        const struct export_config *cfg = j->cfg;
        const char *base = cfg->lo == 0 && cfg->hi == 65535 ? cfg->base_url : NULL;
        const char *date = portdb_str(cfg->db, cfg->db->hdr->registry_updated);
        char name[32];
        struct buf b;

        buf_init(&b, 4096);
        if (job_page(j, D_ROOT, "robots.txt", &b, render_robots_txt(&b, base)) < 0)
                return -1;
        if (!base)
                return 0;
        buf_init(&b, 4096);
        if (job_page(j, D_ROOT, "sitemap.xml", &b, render_sitemap_index(&b, base, date)) < 0)
                return -1;
        for (size_t i = 0; i < sitemap_count(); i++) {
                snprintf(name, sizeof(name), "ports-%zu.xml", i + 1);
                buf_init(&b, SEO_SITEMAP_BYTES);
                if (job_page(j, D_SITEMAPS, name, &b, render_sitemap(&b, i, base, date)) < 0)
                        return -1;
        }
        return 0;
}

static int search_index(struct job *j)
{
        _cleanup_free_ char *text = NULL;
        char path[sizeof(j->err_path)];
        size_t len;
        int r = search_index_build(j->cfg->db, &text, &len);

        if (r < 0) {
                job_path(j, D_ROOT, "search-index.json", path, sizeof(path));
                job_fail(j, r, path);
                return r;
        }
        return job_write(j, D_ROOT, "search-index.json", text, len);
}

/* Item @i: port lo + i / 3, its English page, Polish page or API object. */
static int port_item(struct job *j, size_t i)
{
        uint16_t port = (uint16_t)(j->cfg->lo + i / ITEMS_PER_PORT(j->cfg));
        unsigned what = (unsigned)(i % ITEMS_PER_PORT(j->cfg));
        char name[16], path[sizeof(j->err_path)];
        _cleanup_free_ char *text = NULL;
        struct buf b;
        json_t *o;

        if (what < LANG_COUNT) {
                snprintf(name, sizeof(name), "%u.html", port);
                buf_init(&b, EXPORT_MAX_PAGE);
                return job_page(j, what == LANG_EN ? D_PORTS : D_PL_PORTS, name, &b,
                                render_html_port(&b, j->cfg->db, port, &j->ctx[what]));
        }
        /* The server's /api/ports/N, byte for byte. */
        snprintf(name, sizeof(name), "%u.json", port);
        o = render_json_port(j->cfg->db, port, PROTO_MASK_ALL);
        text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        if (!text) {
                job_path(j, D_API_PORTS, name, path, sizeof(path));
                job_fail(j, -ENOMEM, path);
                return -ENOMEM;
        }
        return job_write(j, D_API_PORTS, name, text, strlen(text));
}

static bool job_stopped(const struct job *j)
{
        return atomic_load(&j->failed) || (j->cfg->stop && *j->cfg->stop);
}

static void *worker(void *arg)
{
        struct job *j = arg;

        while (!job_stopped(j)) {
                size_t first = atomic_fetch_add(&j->next, CHUNK);
                size_t end = first + CHUNK < j->items ? first + CHUNK : j->items;

                if (first >= j->items)
                        break;
                for (size_t i = first; i < end && !job_stopped(j); i++)
                        if (port_item(j, i) < 0)
                                break;
        }
        atomic_fetch_sub(&j->running, 1);
        return NULL;
}

/* Runs the workers and reports progress from this thread until they are done. */
static void run_workers(struct job *j)
{
        const struct export_config *cfg = j->cfg;
        unsigned n = cfg->threads ? cfg->threads : 1, started = 0;
        size_t chunks = (j->items + CHUNK - 1) / CHUNK;
        pthread_t *tids;

        if (n > EXPORT_MAX_THREADS)
                n = EXPORT_MAX_THREADS;
        if (n > chunks)
                n = chunks ? (unsigned)chunks : 1;
        tids = calloc(n, sizeof(*tids));
        atomic_store(&j->running, n);
        for (unsigned i = 0; tids && i < n; i++) {
                if (pthread_create(&tids[i], NULL, worker, j) != 0)
                        break;
                started++;
        }
        /* Threads that could not start: their share falls to this one. */
        atomic_fetch_sub(&j->running, n - started);
        if (started == 0) {
                atomic_fetch_add(&j->running, 1);
                worker(j);
        }
        while (atomic_load(&j->running) > 0) {
                struct timespec tick = {0, 100 * 1000 * 1000};

                nanosleep(&tick, NULL);
                if (cfg->progress)
                        cfg->progress(atomic_load(&j->done), j->total, cfg->progress_arg);
        }
        for (unsigned i = 0; i < started; i++)
                pthread_join(tids[i], NULL);
        free(tids);
}

/* ---- the temporary directory and the move into place ------------------------------------- */

static int make_dirs(struct job *j, int tmp)
{
        char path[sizeof(j->err_path)];

        j->dirs[D_ROOT] = tmp;
        for (enum dir_id d = D_ROOT + 1; d < D_COUNT; d++) {
                /* No empty directories: the API objects only with --api, the sitemaps only with
                 * a base URL over every port (seo_files). */
                if (((d == D_API || d == D_API_PORTS) && !j->cfg->api) ||
                    (d == D_SITEMAPS &&
                     !(j->cfg->base_url && j->cfg->lo == 0 && j->cfg->hi == 65535)))
                        continue;
                if (mkdirat(tmp, dir_name[d], 0755) < 0 ||
                    (j->dirs[d] = openat(tmp, dir_name[d], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
                        0) {
                        int r = -errno;

                        snprintf(path, sizeof(path), "%s/%s", j->cfg->dir, dir_name[d]);
                        job_fail(j, r, path);
                        return r;
                }
        }
        return 0;
}

/* Moves @name, its .gz and .br siblings if written, and (if @optional) @name only if written. */
static int move_optional(struct job *j, int tmp, int target, const char *name, bool optional)
{
        static const char *const suffix[] = {".gz", ".br", ""};
        char path[sizeof(j->err_path)], entry[64];

        for (size_t k = 0; k < sizeof(suffix) / sizeof(suffix[0]); k++) {
                int r;

                snprintf(entry, sizeof(entry), "%s%s", name, suffix[k]);
                r = exfs_move_entry(tmp, target, entry);
                if (r == -ENOENT && (suffix[k][0] || optional))
                        continue;
                if (r < 0) {
                        job_path(j, D_ROOT, entry, path, sizeof(path));
                        job_fail(j, r, path);
                        return r;
                }
        }
        return 0;
}

static int move_into_place(struct job *j, int tmp, int target)
{
        for (size_t i = 0; i < sizeof(seo_entries) / sizeof(seo_entries[0]); i++)
                if (move_optional(j, tmp, target, seo_entries[i], true) < 0)
                        return -1;
        for (size_t i = 0; i < sizeof(top_entries) / sizeof(top_entries[0]); i++) {
                /* A file's siblings first: a host never finds a page's .gz older than it. */
                if (move_optional(j, tmp, target, top_entries[i], false) < 0)
                        return -1;
        }
        return 0;
}

/* Opens the target, creating it if missing (*ret_created says so), and checks that it may be
 * written into. */
static int open_target(const struct export_config *cfg, int *ret_fd, bool *ret_created)
{
        bool created = mkdir(cfg->dir, 0755) == 0;
        _cleanup_close_ int fd = -1;
        int r;

        if (!created && errno != EEXIST)
                return -errno;
        fd = open(cfg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = cfg->force ? 0 : exfs_dir_has_entries(fd);
        if (r != 0)
                return r > 0 ? -ENOTEMPTY : r;
        *ret_fd = TAKE_FD(fd);
        *ret_created = created;
        return 0;
}

int export_site(const struct export_config *cfg, struct export_stats *ret_stats,
                struct export_error *err)
{
        char csp[512], tmp_path[4096];
        struct job *j;
        int target = -1, tmp = -1, r;
        bool created = false, made_tmp = false;
        size_t nports = (size_t)cfg->hi - cfg->lo + 1;

        if (cfg->lo > cfg->hi)
                return -EINVAL;
        r = export_csp(cfg->vote_url, csp, sizeof(csp));
        if (r < 0)
                return r;
        snprintf(err->path, sizeof(err->path), "%s", cfg->dir);
        if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s/%sXXXXXX", cfg->dir,
                             EXPORT_TMP_PREFIX) >= sizeof(tmp_path))
                return -ENAMETOOLONG;
        r = open_target(cfg, &target, &created);
        if (r < 0)
                return r;
        j = calloc(1, sizeof(*j));
        if (!j) {
                close(target);
                return -ENOMEM;
        }
        j->cfg = cfg;
        pthread_mutex_init(&j->lock, NULL);
        for (enum dir_id d = 0; d < D_COUNT; d++)
                j->dirs[d] = -1;
        for (enum lang l = 0; l < LANG_COUNT; l++)
                j->ctx[l] = (struct html_ctx){
                    .lang = l,
                    .site_name = cfg->site_name,
                    .vote_action = cfg->vote_url ? cfg->vote_url : "",
                    .counts = NULL,
                    .my_vote = -1,
                    .static_site = true,
                    .meta_csp = csp,
                    .base_url = cfg->base_url,
                };
        j->items = nports * ITEMS_PER_PORT(cfg);
        json_object_seed(0); /* before any thread builds a JSON object */

        made_tmp = mkdtemp(tmp_path) != NULL;
        if (!made_tmp || (tmp = open(tmp_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
                job_fail(j, -errno, cfg->dir);
                goto out;
        }
        if (make_dirs(j, tmp) < 0 || copy_assets(j, cfg->static_dir) < 0)
                goto out;
        for (enum lang l = 0; l < LANG_COUNT; l++) {
                j->ctx[l].assets = j->assets;
                j->ctx[l].n_assets = j->n_assets;
        }
        if (search_index(j) < 0 || shared_pages(j) < 0 || seo_files(j) < 0)
                goto out;
        j->total = j->items + atomic_load(&j->done); /* the port files and those written */
        run_workers(j);
        if (cfg->progress)
                cfg->progress(atomic_load(&j->done), j->total, cfg->progress_arg);
        if (!atomic_load(&j->failed) && cfg->stop && *cfg->stop)
                job_fail(j, -EINTR, cfg->dir);
        if (atomic_load(&j->failed))
                goto out;
        /* The data reaches the disk before any name points at it. */
        if (syncfs(tmp) < 0) {
                job_fail(j, -errno, cfg->dir);
                goto out;
        }
        move_into_place(j, tmp, target);

out:
        for (enum dir_id d = D_ROOT + 1; d < D_COUNT; d++)
                if (j->dirs[d] >= 0)
                        close(j->dirs[d]);
        if (tmp >= 0)
                close(tmp);
        if (made_tmp)
                exfs_remove_tree(target, strrchr(tmp_path, '/') + 1);
        close(target);
        r = j->err;
        if (r < 0 && created)
                rmdir(cfg->dir); /* a failed export leaves nothing behind */
        if (r < 0) {
                snprintf(err->path, sizeof(err->path), "%s", j->err_path);
        } else {
                ret_stats->files = atomic_load(&j->files);
                ret_stats->bytes = atomic_load(&j->bytes);
                ret_stats->compressed = atomic_load(&j->compressed);
        }
        pthread_mutex_destroy(&j->lock);
        free(j);
        return r;
}

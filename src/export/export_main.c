/* portinfo-export: `portinfo export DIR`, the website as static files, as a helper executable.
 *
 * Parses the options, finds the port table and the static folder, and hands over to
 * export_site; prints progress on a terminal and one line when something goes wrong.
 * jansson and the page renderer are linked here, never into portinfo itself.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "cpus.h"
#include "datadir.h"
#include "diag.h"
#include "exitcodes.h"
#include "export.h"
#include "page_seo.h"
#include "parse.h"
#include "siteargs.h"
#include "sitepaths.h"

#define DEFAULT_SITE_NAME "Connected"

static const char usage_text[] =
    "Usage: portinfo export [OPTIONS] DIR\n"
    "\n"
    "Writes the portinfo website into DIR as static files for any web host: a page\n"
    "for every port in English and Polish, the home and index pages, a search page\n"
    "that searches in the browser, the API objects and the assets.  Everything is\n"
    "written into a temporary directory inside DIR and moved into place at the end.\n"
    "\n"
    "  --vote-url URL          a portinfo serve that takes the votes (default: no\n"
    "                          votes)\n"
    "  --site-name NAME        the site's name in titles (default \"" DEFAULT_SITE_NAME "\")\n"
    "  --base-url URL          the site's public address, https://host[:port], for\n"
    "                          canonical links and sitemaps (default: none)\n"
    "  --force                 write into a DIR that is not empty, replacing what an\n"
    "                          export writes and leaving other files alone\n"
    "  --ports LO-HI           only these ports' pages and API objects (default\n"
    "                          0-65535)\n"
    "  --threads N             renderers (default: one per CPU)\n"
    "  --data-dir DIR          data directory (default $PORTINFO_DATA_DIR, else the\n"
    "                          built-in)\n"
    "  --static-dir DIR        CSS and scripts (default: the installed ones)\n"
    "  --api                   also api/ports/N.json, as the server's /api/ports/N\n"
    "  --compress MODE         .gz and .br copies beside each file over 1400 bytes:\n"
    "                          fast (default), best (smaller, far slower) or none\n"
    "  -h, --help              show this help\n"
    "\n"
    "Paths: ports/N.html and pl/ports/N.html for /ports/N and /pl/ports/N,\n"
    "ports.html, index.html, search.html, 404.html, api/ports/N.json,\n"
    "search-index.json, static/ (names carry a hash of the file), favicon.ico,\n"
    "robots.txt, sitemap.xml, sitemaps/.\n"
    "Exit status: 0 written, 2 bad usage or trouble (DIR is then left as it was).\n";

#define WHO       "portinfo export"
#define fail(...) diag(WHO, __VA_ARGS__)

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
        (void)sig;
        stop_requested = 1;
}

struct progress {
        bool tty;
        struct timespec start;
};

static double elapsed(const struct progress *p)
{
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        return (double)(now.tv_sec - p->start.tv_sec) +
               (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

static void show_progress(size_t done, size_t total, void *arg)
{
        const struct progress *p = arg;

        if (p->tty)
                fprintf(stderr, "\rportinfo export: %zu/%zu pages and files (%u%%), %.0f s", done,
                        total, total ? (unsigned)(done * 100 / total) : 100u, elapsed(p));
}

/* The one line for a failed export. */
static void report(int r, const struct export_config *cfg, const struct export_error *err)
{
        if (r == -ENOTEMPTY)
                fail("%s is not empty; use --force to write into it", cfg->dir);
        else if (r == -EINTR)
                fail("interrupted; %s is as it was", cfg->dir);
        else if (r == -E2BIG)
                fail("%s: larger than portinfo allows; %s is as it was", err->path, cfg->dir);
        else
                fail("%s: %s", err->path, strerror(-r));
}

enum {
        OPT_FORCE = 256,
        OPT_VOTE_URL,
        OPT_SITE_NAME,
        OPT_PORTS,
        OPT_THREADS,
        OPT_DATA_DIR,
        OPT_STATIC_DIR,
        OPT_BASE_URL,
        OPT_COMPRESS,
        OPT_API,
};

static const struct option export_longs[] = {
    {"help", no_argument, NULL, 'h'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"vote-url", required_argument, NULL, OPT_VOTE_URL},
    {"site-name", required_argument, NULL, OPT_SITE_NAME},
    {"base-url", required_argument, NULL, OPT_BASE_URL},
    {"ports", required_argument, NULL, OPT_PORTS},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"static-dir", required_argument, NULL, OPT_STATIC_DIR},
    {"compress", required_argument, NULL, OPT_COMPRESS},
    {"api", no_argument, NULL, OPT_API},
    {NULL, 0, NULL, 0},
};

/* Takes option @k's value @val into @cfg (the vote URL's copy into @vote_url, the data directory
 * into *@data_dir).  Returns 0 or -1 after reporting. */
static int take_option(int k, const char *val, struct export_config *cfg, char *vote_url,
                       const char **data_dir)
{
        switch (k) {
        case OPT_VOTE_URL:
                if (siteargs_url(val, vote_url, EXPORT_MAX_URL, false) < 0) {
                        fail("--vote-url takes an http:// or https:// URL without "
                             "query or fragment, not \"%s\"",
                             val);
                        return -1;
                }
                cfg->vote_url = vote_url;
                return 0;
        case OPT_SITE_NAME:
                if (siteargs_site_name(WHO, val) < 0)
                        return -1;
                cfg->site_name = val;
                return 0;
        case OPT_BASE_URL: {
                static char base_url[SEO_BASE_URL_MAX + 1];
                const char *why;

                if (seo_base_url_parse(val, base_url, sizeof(base_url), &why) < 0) {
                        fail("--base-url: %s, not \"%s\"", why, val);
                        return -1;
                }
                cfg->base_url = base_url;
                return 0;
        }
        case OPT_PORTS:
                if (parse_range(val, &cfg->lo, &cfg->hi) < 0) {
                        fail("--ports takes LO-HI within 0-65535, not \"%s\"", val);
                        return -1;
                }
                return 0;
        case OPT_THREADS:
                return siteargs_number(WHO, "--threads", val, EXPORT_MAX_THREADS, &cfg->threads);
        case OPT_DATA_DIR:
                *data_dir = val;
                return 0;
        case OPT_COMPRESS:
                if (strcmp(val, "none") == 0)
                        cfg->compress = EXPORT_COMPRESS_NONE;
                else if (strcmp(val, "fast") == 0)
                        cfg->compress = EXPORT_COMPRESS_FAST;
                else if (strcmp(val, "best") == 0)
                        cfg->compress = EXPORT_COMPRESS_BEST;
                else {
                        fail("--compress takes none, fast or best, not \"%s\"", val);
                        return -1;
                }
                return 0;
        default: /* OPT_STATIC_DIR */
                cfg->static_dir = val;
                return 0;
        }
}

/* Reads the command line in order: the options and DIR (after "--" when it is the last
 * argument).  Returns 0, 1 when --help was answered, or -1 after reporting. */
static int read_cmdline(int argc, char **argv, struct export_config *cfg, char *vote_url,
                        const char **data_dir)
{
        struct args a;
        int k;

        args_init(&a, argc, argv, "h", export_longs, 0);
        while ((k = args_next(&a)) != ARGS_END) {
                if (k == 'h') {
                        fputs(usage_text, stdout);
                        return 1;
                } else if (k == OPT_FORCE) {
                        cfg->force = true;
                } else if (k == OPT_API) {
                        cfg->api = true;
                } else if (k == ARGS_DASHDASH && a.next + 1 == argc && !cfg->dir) {
                        cfg->dir = argv[a.next];
                        return 0;
                } else if (k == ARGS_OPERAND && cfg->dir) {
                        fail("one directory only (\"%s\" and \"%s\")", cfg->dir, a.arg);
                        return -1;
                } else if (k == ARGS_OPERAND) {
                        cfg->dir = a.arg;
                } else if (k < OPT_FORCE) {
                        siteargs_refuse(WHO, &a, k);
                        return -1;
                } else if (take_option(k, a.arg, cfg, vote_url, data_dir) < 0) {
                        return -1;
                }
        }
        return 0;
}

int main(int argc, char **argv)
{
        struct export_config cfg = {
            .site_name = DEFAULT_SITE_NAME,
            .vote_url = "",
            .lo = 0,
            .hi = 65535,
            .threads = cpu_count(),
            .compress = EXPORT_COMPRESS_FAST,
            .stop = &stop_requested,
        };
        struct progress prog = {.tty = isatty(STDERR_FILENO) == 1};
        struct export_stats stats = {0};
        struct export_error err = {{0}};
        struct sigaction sa = {.sa_handler = on_signal};
        static char vote_url[EXPORT_MAX_URL + 1];
        const char *data_dir = NULL;
        struct portdb db;
        int r;

        r = read_cmdline(argc, argv, &cfg, vote_url, &data_dir);
        if (r != 0)
                return r > 0 ? EXIT_OK : EXIT_TROUBLE;
        if (!cfg.dir || !cfg.dir[0]) {
                fail("which directory? try 'portinfo export --help'");
                return EXIT_TROUBLE;
        }

        data_dir = datadir_path(data_dir);
        r = datadir_open(&db, data_dir);
        if (r == -EINVAL)
                fprintf(stderr,
                        "portinfo export: warning: %s/%s is damaged; using the embedded data\n",
                        data_dir, DATADIR_CURRENT);
        cfg.db = &db;
        if (!cfg.static_dir)
                cfg.static_dir = sitepaths_static_dir();

        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        if (prog.tty) {
                cfg.progress = show_progress;
                cfg.progress_arg = &prog;
        }
        clock_gettime(CLOCK_MONOTONIC, &prog.start);

        r = export_site(&cfg, &stats, &err);
        if (prog.tty)
                fputs("\r\033[K", stderr);
        if (r < 0) {
                report(r, &cfg, &err);
                return EXIT_TROUBLE;
        }
        if (prog.tty)
                fprintf(stderr,
                        "portinfo export: %zu files (%zu of them .gz and .br), %.1f MB, in %s, "
                        "%.1f s\n",
                        stats.files, stats.compressed, (double)stats.bytes / 1e6, cfg.dir,
                        elapsed(&prog));
        return EXIT_OK;
}

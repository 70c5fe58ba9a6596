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

#include "cpus.h"
#include "datadir.h"
#include "export.h"
#include "parse.h"
#include "diag.h"
#include "sitepaths.h"

enum { EXIT_OK = 0, EXIT_TROUBLE = 2 };

#define DEFAULT_SITE_NAME "Connected"

static const char usage_text[] =
    "Usage: portinfo export [OPTIONS] DIR\n"
    "\n"
    "Writes the portinfo website into DIR as static files for any web host: a page for\n"
    "every port in English and Polish, the home and index pages, a search page that\n"
    "searches in the browser, the API objects and the assets.  Everything is written\n"
    "into a temporary directory inside DIR and moved into place at the end.\n"
    "\n"
    "  --vote-url URL          a portinfo serve that takes the votes (default: no votes)\n"
    "  --site-name NAME        the site's name in titles (default \"" DEFAULT_SITE_NAME "\")\n"
    "  --force                 write into a DIR that is not empty, replacing what an\n"
    "                          export writes and leaving other files alone\n"
    "  --ports LO-HI           only these ports' pages and API objects (default 0-65535)\n"
    "  --threads N             renderers (default: one per CPU)\n"
    "  --data-dir DIR          data directory (default $PORTINFO_DATA_DIR, else the built-in)\n"
    "  --static-dir DIR        CSS and scripts (default: the installed ones)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Paths: ports/N.html and pl/ports/N.html for /ports/N and /pl/ports/N, ports.html,\n"
    "index.html, search.html, 404.html, api/ports/N.json, search-index.json, static/.\n"
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
                fprintf(stderr, "\rportinfo export: %zu/%zu files", done, total);
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

int main(int argc, char **argv)
{
        struct export_config cfg = {
            .site_name = DEFAULT_SITE_NAME,
            .vote_url = "",
            .lo = 0,
            .hi = 65535,
            .threads = cpu_count(),
            .stop = &stop_requested,
        };
        struct progress prog = {.tty = isatty(STDERR_FILENO) == 1};
        struct export_stats stats = {0};
        struct export_error err = {{0}};
        struct sigaction sa = {.sa_handler = on_signal};
        char vote_url[EXPORT_MAX_URL + 1];
        const char *data_dir = NULL;
        struct portdb db;
        int r;

        for (int i = 1; i < argc; i++) {
                const char *a = argv[i], *val = NULL;
                char name[32];

                if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                        fputs(usage_text, stdout);
                        return EXIT_OK;
                }
                if (strcmp(a, "--force") == 0) {
                        cfg.force = true;
                        continue;
                }
                if (strcmp(a, "--") == 0 && i + 2 == argc && !cfg.dir) {
                        cfg.dir = argv[++i];
                        continue;
                }
                if (a[0] != '-' || a[1] == '\0') {
                        if (cfg.dir) {
                                fail("one directory only (\"%s\" and \"%s\")", cfg.dir, a);
                                return EXIT_TROUBLE;
                        }
                        cfg.dir = a;
                        continue;
                }
                if (sitepaths_option(WHO, argc, argv, &i,
                                     " --vote-url --site-name --ports --threads --data-dir "
                                     "--static-dir ",
                                     name, sizeof(name), &val) < 0)
                        return EXIT_TROUBLE;
                if (strcmp(name, "--vote-url") == 0) {
                        if (sitepaths_url(val, vote_url, EXPORT_MAX_URL, false) < 0) {
                                fail("--vote-url takes an http:// or https:// URL without "
                                     "query or fragment, not \"%s\"",
                                     val);
                                return EXIT_TROUBLE;
                        }
                        cfg.vote_url = vote_url;
                } else if (strcmp(name, "--site-name") == 0) {
                        if (!val[0] || strlen(val) > 64) {
                                fail("--site-name takes 1 to 64 characters");
                                return EXIT_TROUBLE;
                        }
                        cfg.site_name = val;
                } else if (strcmp(name, "--ports") == 0) {
                        if (parse_range(val, &cfg.lo, &cfg.hi) < 0) {
                                fail("--ports takes LO-HI within 0-65535, not \"%s\"", val);
                                return EXIT_TROUBLE;
                        }
                } else if (strcmp(name, "--threads") == 0) {
                        if (sitepaths_number(WHO, name, val, EXPORT_MAX_THREADS, &cfg.threads) < 0)
                                return EXIT_TROUBLE;
                } else if (strcmp(name, "--data-dir") == 0) {
                        data_dir = val;
                } else {
                        cfg.static_dir = val;
                }
        }
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
                fprintf(stderr, "portinfo export: %zu files, %.1f MB, in %s, %.1f s\n", stats.files,
                        (double)stats.bytes / 1e6, cfg.dir, elapsed(&prog));
        return EXIT_OK;
}

/* portinfo-serve: `portinfo serve`, the website, as a helper executable.
 *
 * Parses the options, finds the port table, the static folder and the vote store, and hands
 * over to http_run.  libevent, SQLite and libpq are linked here only, never into portinfo
 * itself.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "cpus.h"
#include "datadir.h"
#include "feedback.h"
#include "http.h"
#include "httputil.h"
#include "parse.h"
#include "privdrop.h"
#include "render_html.h"
#include "diag.h"
#include "sitepaths.h"
#include "webroot.h"

enum { EXIT_OK = 0, EXIT_TROUBLE = 2 };

#define DEFAULT_LISTEN    "127.0.0.1:1776"
#define DEFAULT_SITE_NAME "Connected"
#define FEEDBACK_FILE     "feedback.sqlite"
#define MAX_THREADS       256
#define DEFAULT_USER      "nobody"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED_BUILD 1
#endif
#endif
#ifndef SANITIZED_BUILD
#define SANITIZED_BUILD 0
#endif

static const char usage_text[] =
    "Usage: portinfo serve [OPTIONS]\n"
    "\n"
    "Serves the portinfo website: a page per port in English and Polish, a JSON API and\n"
    "the \"was this page helpful?\" votes.  Runs in the foreground and logs each request\n"
    "to stderr; SIGTERM or SIGINT stops it after answers in flight are sent; SIGHUP\n"
    "reloads the data directory's table without dropping a request.\n"
    "\n"
    "  --listen ADDR:PORT      address to listen on (default " DEFAULT_LISTEN
    "; [::1]:PORT for IPv6;\n"
    "                          port 0 picks a free port, shown at start)\n"
    "  --feedback DB           the vote store: a SQLite file (default DATA_DIR/" FEEDBACK_FILE ")\n"
    "                          or a PostgreSQL URI postgresql://USER@HOST[:PORT]/DB (the\n"
    "                          password from PGPASSFILE, PGPASSWORD or the URI, never\n"
    "                          shown); 'off': no votes\n"
    "  --data-dir DIR          data directory (default $PORTINFO_DATA_DIR, else the built-in)\n"
    "  --site-name NAME        the site's name in titles (default \"" DEFAULT_SITE_NAME "\")\n"
    "  --static-dir DIR        CSS and scripts (default: the installed ones)\n"
    "  --vote-url URL          base URL of a separate vote endpoint (default: this server)\n"
    "  --allow-origin ORIGIN   let pages from ORIGIN (https://host[:port]) vote here and\n"
    "                          read counts, with CORS (repeatable; same-site origins only\n"
    "                          keep the voter cookie)\n"
    "  --threads N             event loops (default: one per CPU)\n"
    "  --max-connections N     open connections at most (default 1024)\n"
    "  --timeout SECONDS       idle and slow-client timeout (default 10)\n"
    "  --no-access-log         do not log each request\n"
    "  --user NAME             started as root: the user to run as once the socket is bound\n"
    "                          and the vote store open (default " DEFAULT_USER "; 'root' keeps\n"
    "                          root, which is refused otherwise)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 after a clean stop, 2 bad usage or trouble starting.\n";

#define WHO       "portinfo serve"
#define fail(...) diag(WHO, __VA_ARGS__)

/* A PostgreSQL URI may carry a password, and ps shows argv to every user: returns a copy of
 * @dsn (which points into argv; caller frees) and writes the redacted URI over it.  Returns
 * NULL, leaving argv alone, when there is no password to hide or no memory. */
static char *hide_password(const char *dsn)
{
        char shown[1024];
        size_t n = strlen(dsn), keep;
        char *copy;

        if (feedback_redact(dsn, shown, sizeof(shown)) < 0 || strcmp(shown, dsn) == 0)
                return NULL;
        copy = strdup(dsn);
        if (!copy)
                return NULL;
        keep = strlen(shown) < n ? strlen(shown) : n;
        memcpy((char *)dsn, shown, keep);
        memset((char *)dsn + keep, ' ', n - keep);
        return copy;
}

/* What serve gives up once set up (see after_setup). */
struct drop {
        const char *user; /* NULL: not root, nothing to switch */
        uid_t uid;
        gid_t gid;
        const char *ro[6]; /* Landlock: read beneath these */
        size_t n_ro;
        const char *rw[1]; /* and read and write beneath these */
        size_t n_rw;
        char exe_dir[PATH_MAX];
        char store_dir[PATH_MAX];
};

/* http_run's hook once the sockets are bound and the stores open, with one thread: leaves root
 * for the chosen user, then, where the kernel has Landlock, gives up the file system except the
 * data and static folders (read), the vote store's folder (read and write), /usr (libraries,
 * locales) and the program's own folder (message catalogues in a build tree).  Returns 0, or
 * -errno when the user could not be switched (the start must stop). */
static int after_setup(void *arg)
{
        struct drop *d = arg;
        int r, ll;

        /* The catalogues are opened on first use: open them while they can still be read. */
        render_html_preload();
        /* Landlock first, while the folders can still be opened whatever their modes (the
         * rules hold across the switch of user). */
        ll = privdrop_landlock(d->ro, d->n_ro, d->rw, d->n_rw);
        if (d->user) {
                r = privdrop_switch(d->uid, d->gid);
                if (r < 0) {
                        fail("cannot switch to user %s: %s", d->user, strerror(-r));
                        return r;
                }
                fprintf(stderr, "portinfo serve: running as user %s (uid %u)\n", d->user,
                        (unsigned)d->uid);
#if SANITIZED_BUILD
                /* The switch makes the process undumpable, and LeakSanitizer's exit check
                 * reads /proc/self/task of a process it must be able to trace.  Test builds
                 * only: a release build stays undumpable. */
                prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
        }
        r = ll;
        if (r == -EOPNOTSUPP)
                fprintf(stderr, "portinfo serve: no Landlock in this kernel; files are guarded "
                                "by permissions only\n");
        else if (r < 0)
                fprintf(stderr, "portinfo serve: warning: Landlock rules not applied: %s\n",
                        strerror(-r));
        else
                fprintf(stderr,
                        "portinfo serve: Landlock (ABI %d): files outside the data, "
                        "static and vote store folders are out of reach\n",
                        r);
        return 0;
}

/* The folder holding @path (a file), into @out. */
static void dir_of(const char *path, char *out, size_t cap)
{
        const char *slash = strrchr(path, '/');

        if (!slash)
                snprintf(out, cap, ".");
        else if (slash == path)
                snprintf(out, cap, "/");
        else
                snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

int main(int argc, char **argv)
{
        struct http_config cfg = {
            .threads = cpu_count(),
            .max_connections = 1024,
            .timeout_s = 10,
            .drain_s = 10,
            .site_name = DEFAULT_SITE_NAME,
            .vote_url = "",
            .access_log = true,
        };
        const char *listen = DEFAULT_LISTEN, *feedback = NULL, *data_dir = NULL;
        const char *static_dir = NULL, *user = NULL;
        static struct drop drop;
        char feedback_buf[PATH_MAX];
        char vote_url[HTTP_MAX_URL + 1];
        char origins[HTTP_MAX_ALLOW_ORIGINS][HTTP_MAX_URL + 1];
        struct portdb db;
        struct webroot *web = NULL;
        char *dsn_copy = NULL;
        unsigned v;
        int r;

        for (int i = 1; i < argc; i++) {
                const char *a = argv[i], *val = NULL;
                char name[32];

                if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                        fputs(usage_text, stdout);
                        return EXIT_OK;
                }
                if (strcmp(a, "--no-access-log") == 0) {
                        cfg.access_log = false;
                        continue;
                }
                if (sitepaths_option(WHO, argc, argv, &i,
                                     " --listen --feedback --data-dir --site-name --static-dir "
                                     "--vote-url --allow-origin --threads --max-connections "
                                     "--timeout --user ",
                                     name, sizeof(name), &val) < 0)
                        return EXIT_TROUBLE;
                if (strcmp(name, "--listen") == 0) {
                        listen = val;
                } else if (strcmp(name, "--feedback") == 0) {
                        feedback = val;
                } else if (strcmp(name, "--data-dir") == 0) {
                        data_dir = val;
                } else if (strcmp(name, "--site-name") == 0) {
                        if (!val[0] || strlen(val) > 64) {
                                fail("--site-name takes 1 to 64 characters");
                                return EXIT_TROUBLE;
                        }
                        cfg.site_name = val;
                } else if (strcmp(name, "--static-dir") == 0) {
                        static_dir = val;
                } else if (strcmp(name, "--vote-url") == 0) {
                        if (sitepaths_url(val, vote_url, HTTP_MAX_URL, false) < 0) {
                                fail("--vote-url takes an http:// or https:// URL");
                                return EXIT_TROUBLE;
                        }
                        cfg.vote_url = vote_url;
                } else if (strcmp(name, "--allow-origin") == 0) {
                        if (cfg.n_allow_origins == HTTP_MAX_ALLOW_ORIGINS) {
                                fail("--allow-origin can be given %d times at most",
                                     HTTP_MAX_ALLOW_ORIGINS);
                                return EXIT_TROUBLE;
                        }
                        if (sitepaths_url(val, origins[cfg.n_allow_origins], HTTP_MAX_URL, true) <
                            0) {
                                fail("--allow-origin takes an origin such as https://example.org "
                                     "(scheme, host and port only)");
                                return EXIT_TROUBLE;
                        }
                        cfg.allow_origins[cfg.n_allow_origins] = origins[cfg.n_allow_origins];
                        cfg.n_allow_origins++;
                } else if (strcmp(name, "--user") == 0) {
                        user = val;
                } else if (strcmp(name, "--threads") == 0) {
                        if (sitepaths_number(WHO, name, val, MAX_THREADS, &cfg.threads) < 0)
                                return EXIT_TROUBLE;
                } else if (strcmp(name, "--max-connections") == 0) {
                        if (sitepaths_number(WHO, name, val, 1000000, &cfg.max_connections) < 0)
                                return EXIT_TROUBLE;
                } else if (strcmp(name, "--timeout") == 0) {
                        if (sitepaths_number(WHO, name, val, 3600, &v) < 0)
                                return EXIT_TROUBLE;
                        cfg.timeout_s = (int)v;
                } else {
                        fail("unknown option \"%s\"; try 'portinfo serve --help'", name);
                        return EXIT_TROUBLE;
                }
        }

        if (httputil_parse_listen(listen, &cfg.addr, &cfg.addrlen) < 0) {
                fail("\"%s\" is not an address to listen on (ADDR:PORT, [ADDR]:PORT or PORT)",
                     listen);
                return EXIT_TROUBLE;
        }
        data_dir = datadir_path(data_dir);
        if (geteuid() == 0) {
                if (!user)
                        user = DEFAULT_USER;
                r = privdrop_lookup(user, &drop.uid, &drop.gid);
                if (r < 0) {
                        fail("--user: %s", r == -ENOENT ? "no such user" : strerror(-r));
                        return EXIT_TROUBLE;
                }
                if (drop.uid == 0 && strcmp(user, "root") != 0) {
                        fail("--user %s has uid 0; say --user root to run as root", user);
                        return EXIT_TROUBLE;
                }
                drop.user = drop.uid == 0 ? NULL : user;
        } else if (user && strcmp(user, "root") != 0) {
                uid_t uid;
                gid_t gid;

                if (privdrop_lookup(user, &uid, &gid) < 0 || uid != geteuid()) {
                        fail("--user %s: only root can change its user", user);
                        return EXIT_TROUBLE;
                }
        }
        if (feedback && feedback_is_postgres(feedback)) {
                if (feedback_check(feedback) < 0) {
                        char shown[256];

                        feedback_redact(feedback, shown, sizeof(shown));
                        fail("--feedback: \"%s\" is not a PostgreSQL URI libpq accepts "
                             "(postgresql://[USER@]HOST[:PORT]/DB[?PARAM=VALUE...])",
                             shown);
                        return EXIT_TROUBLE;
                }
                dsn_copy = hide_password(feedback);
                if (dsn_copy)
                        feedback = dsn_copy;
        }
        if (feedback && strcmp(feedback, "off") == 0) {
                cfg.feedback_path = NULL;
        } else if (feedback) {
                cfg.feedback_path = feedback;
        } else {
                if ((size_t)snprintf(feedback_buf, sizeof(feedback_buf), "%s/%s", data_dir,
                                     FEEDBACK_FILE) >= sizeof(feedback_buf)) {
                        fail("the data directory's name is too long");
                        return EXIT_TROUBLE;
                }
                /* The data directory is ours to create; its parent is not. */
                if (mkdir(data_dir, 0755) < 0 && errno != EEXIST)
                        fprintf(stderr, "portinfo serve: warning: cannot create %s: %s\n", data_dir,
                                strerror(errno));
                cfg.feedback_path = feedback_buf;
        }

        r = datadir_open(&db, data_dir);
        if (r == -EINVAL)
                fprintf(stderr,
                        "portinfo serve: warning: %s/%s is damaged; using the embedded "
                        "data\n",
                        data_dir, DATADIR_CURRENT);
        cfg.db = &db;
        cfg.load_db = datadir_open;
        cfg.data_dir = data_dir;

        if (!static_dir)
                static_dir = sitepaths_static_dir();
        r = webroot_load(static_dir, &web);
        if (r < 0)
                fprintf(stderr,
                        "portinfo serve: warning: no static files (%s: %s); pages will "
                        "have no style\n",
                        static_dir, strerror(-r));
        cfg.web = web;

        /* What the process may still touch once set up. */
        drop.ro[drop.n_ro++] = data_dir;
        drop.ro[drop.n_ro++] = static_dir;
        drop.ro[drop.n_ro++] = "/usr";
        {
                char self[PATH_MAX];
                ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

                if (n > 0) {
                        self[n] = '\0';
                        dir_of(self, drop.exe_dir, sizeof(drop.exe_dir));
                        drop.ro[drop.n_ro++] = drop.exe_dir;
                }
        }
        if (cfg.feedback_path && !feedback_is_postgres(cfg.feedback_path)) {
                dir_of(cfg.feedback_path, drop.store_dir, sizeof(drop.store_dir));
                drop.rw[drop.n_rw++] = drop.store_dir;
        } else if (cfg.feedback_path) {
                drop.ro[drop.n_ro++] = "/etc"; /* libpq: resolv.conf, hosts, certificates */
        }
        if (SANITIZED_BUILD)
                drop.ro[drop.n_ro++] = "/proc"; /* LeakSanitizer's exit check */
        cfg.after_setup = after_setup;
        cfg.after_setup_arg = &drop;

        r = http_run(&cfg);
        webroot_free(web);
        free(dsn_copy);
        return r < 0 ? EXIT_TROUBLE : EXIT_OK;
}

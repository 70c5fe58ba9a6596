/* portinfo-serve: `portinfo serve`, the website, as a helper executable.
 *
 * Parses the options, finds the port table, the static folder and the vote store, and hands
 * over to http_run.  libevent, SQLite and libpq are linked here only, never into portinfo
 * itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "cleanup.h"
#include "config.h"
#include "cpus.h"
#include "datadir.h"
#include "diag.h"
#include "exitcodes.h"
#include "feedback.h"
#include "http.h"
#include "page_seo.h"
#include "httputil.h"
#include "privdrop.h"
#include "render_html.h"
#include "siteargs.h"
#include "sitepaths.h"
#include "webroot.h"

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
    "Serves the portinfo website: a page per port in English and Polish, a JSON API\n"
    "and the \"was this page helpful?\" votes.  Runs in the foreground and logs each\n"
    "request to stderr; SIGTERM or SIGINT stops it after answers in flight are sent;\n"
    "SIGHUP reloads the data directory's table without dropping a request.\n"
    "\n"
    "  --listen ADDR:PORT      address to listen on (default " DEFAULT_LISTEN ";\n"
    "                          [::1]:PORT for IPv6; port 0 picks a free port, shown\n"
    "                          at start)\n"
    "  --feedback DB           the vote store: a SQLite file (default\n"
    "                          DATA_DIR/" FEEDBACK_FILE ") or a PostgreSQL URI\n"
    "                          postgresql://USER@HOST[:PORT]/DB (the password from\n"
    "                          PGPASSFILE, PGPASSWORD or the URI, never shown);\n"
    "                          'off': no votes\n"
    "  --data-dir DIR          data directory (default $PORTINFO_DATA_DIR, else the\n"
    "                          built-in)\n"
    "  --site-name NAME        the site's name in titles (default \"" DEFAULT_SITE_NAME "\")\n"
    "  --static-dir DIR        CSS and scripts (default: the installed ones)\n"
    "  --vote-url URL          base URL of a separate vote endpoint (default: this\n"
    "                          server)\n"
    "  --base-url URL          the site's public address, https://host[:port], for\n"
    "                          canonical links and sitemaps (default: none)\n"
    "  --allow-origin ORIGIN   let pages from ORIGIN (https://host[:port]) vote here\n"
    "                          and read counts, with CORS (repeatable; same-site\n"
    "                          origins only keep the voter cookie)\n"
    "  --threads N             event loops (default: one per CPU)\n"
    "  --max-connections N     open connections at most (default 1024)\n"
    "  --max-per-address N     of those, from one address (an IPv6 /64) at most\n"
    "                          (default 128)\n"
    "  --votes-per-address N   votes a day from browsers new to the site, per page\n"
    "                          and network (IPv4 /24, IPv6 /64; default 3; 0: no cap)\n"
    "  --timeout SECONDS       idle and slow-client timeout (default 10)\n"
    "  --no-access-log         do not log each request\n"
    "  --user NAME             started as root: the user to run as once the socket\n"
    "                          is bound and the vote store open (default " DEFAULT_USER ";\n"
    "                          'root' keeps root, which is refused otherwise)\n"
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

/* What the command line chose beyond http_config, and the storage of the values it points to. */
struct serve_args {
        const char *listen, *feedback, *data_dir, *static_dir, *user;
        char vote_url[HTTP_MAX_URL + 1];
        char base_url[SEO_BASE_URL_MAX + 1];
        char origins[HTTP_MAX_ALLOW_ORIGINS][HTTP_MAX_URL + 1];
        char feedback_path[PATH_MAX];
};

enum {
        OPT_LISTEN = 256,
        OPT_FEEDBACK,
        OPT_DATA_DIR,
        OPT_SITE_NAME,
        OPT_STATIC_DIR,
        OPT_VOTE_URL,
        OPT_ALLOW_ORIGIN,
        OPT_THREADS,
        OPT_MAX_CONNECTIONS,
        OPT_MAX_PER_ADDRESS,
        OPT_TIMEOUT,
        OPT_USER,
        OPT_VOTES_PER_ADDRESS,
        OPT_NO_ACCESS_LOG,
        OPT_BASE_URL,
};

static const struct option serve_longs[] = {
    {"help", no_argument, NULL, 'h'},
    {"no-access-log", no_argument, NULL, OPT_NO_ACCESS_LOG},
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"feedback", required_argument, NULL, OPT_FEEDBACK},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"site-name", required_argument, NULL, OPT_SITE_NAME},
    {"static-dir", required_argument, NULL, OPT_STATIC_DIR},
    {"vote-url", required_argument, NULL, OPT_VOTE_URL},
    {"base-url", required_argument, NULL, OPT_BASE_URL},
    {"allow-origin", required_argument, NULL, OPT_ALLOW_ORIGIN},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
    {"max-per-address", required_argument, NULL, OPT_MAX_PER_ADDRESS},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"user", required_argument, NULL, OPT_USER},
    {"votes-per-address", required_argument, NULL, OPT_VOTES_PER_ADDRESS},
    {NULL, 0, NULL, 0},
};

/* --allow-origin @val, once more.  Returns 0 or -1 after reporting. */
static int add_origin(const char *val, struct http_config *cfg, struct serve_args *sa)
{
        if (cfg->n_allow_origins == HTTP_MAX_ALLOW_ORIGINS) {
                fail("--allow-origin can be given %d times at most", HTTP_MAX_ALLOW_ORIGINS);
                return -1;
        }
        if (siteargs_url(val, sa->origins[cfg->n_allow_origins], HTTP_MAX_URL, true) < 0) {
                fail("--allow-origin takes an origin such as https://example.org "
                     "(scheme, host and port only)");
                return -1;
        }
        cfg->allow_origins[cfg->n_allow_origins] = sa->origins[cfg->n_allow_origins];
        cfg->n_allow_origins++;
        return 0;
}

/* --votes-per-address @val: 0 (no cap) to 1000000.  Returns 0 or -1 after reporting. */
static int votes_per_address(const char *val, unsigned *ret)
{
        char *end = (char *)val;
        unsigned long n = ULONG_MAX;

        errno = 0;
        if (val[0] >= '0' && val[0] <= '9')
                n = strtoul(val, &end, 10);
        if (errno || *end || n > 1000000) {
                fail("--votes-per-address takes a number from 0 (no cap) to 1000000, not \"%s\"",
                     val);
                return -1;
        }
        *ret = (unsigned)n;
        return 0;
}

/* Takes option @k's value @val.  Returns 0 or -1 after reporting. */
static int take_option(int k, const char *val, struct http_config *cfg, struct serve_args *sa)
{
        const char *why;
        unsigned v;

        switch (k) {
        case OPT_SITE_NAME:
                if (siteargs_site_name(WHO, val) < 0)
                        return -1;
                cfg->site_name = val;
                return 0;
        case OPT_VOTE_URL:
                if (siteargs_url(val, sa->vote_url, HTTP_MAX_URL, false) < 0) {
                        fail("--vote-url takes an http:// or https:// URL");
                        return -1;
                }
                cfg->vote_url = sa->vote_url;
                return 0;
        case OPT_ALLOW_ORIGIN:
                return add_origin(val, cfg, sa);
        case OPT_BASE_URL:
                if (seo_base_url_parse(val, sa->base_url, sizeof(sa->base_url), &why) < 0) {
                        fail("--base-url: %s, not \"%s\"", why, val);
                        return -1;
                }
                cfg->base_url = sa->base_url;
                return 0;
        case OPT_THREADS:
                return siteargs_number(WHO, "--threads", val, MAX_THREADS, &cfg->threads);
        case OPT_MAX_CONNECTIONS:
                return siteargs_number(WHO, "--max-connections", val, 1000000,
                                       &cfg->max_connections);
        case OPT_MAX_PER_ADDRESS:
                return siteargs_number(WHO, "--max-per-address", val, 1000000,
                                       &cfg->max_per_address);
        case OPT_VOTES_PER_ADDRESS:
                return votes_per_address(val, &cfg->votes_per_address);
        case OPT_TIMEOUT:
                if (siteargs_number(WHO, "--timeout", val, 3600, &v) < 0)
                        return -1;
                cfg->timeout_s = (int)v;
                return 0;
        case OPT_LISTEN:
                sa->listen = val;
                return 0;
        case OPT_FEEDBACK:
                sa->feedback = val;
                return 0;
        case OPT_DATA_DIR:
                sa->data_dir = val;
                return 0;
        case OPT_USER:
                sa->user = val;
                return 0;
        default: /* OPT_STATIC_DIR */
                sa->static_dir = val;
                return 0;
        }
}

/* Reads the command line in order.  Returns 0, 1 when --help was answered, or -1 after
 * reporting. */
static int read_cmdline(int argc, char **argv, struct http_config *cfg, struct serve_args *sa)
{
        struct args a;
        int k;

        args_init(&a, argc, argv, "h", serve_longs, 0);
        while ((k = args_next(&a)) != ARGS_END) {
                if (k == 'h') {
                        fputs(usage_text, stdout);
                        return 1;
                }
                if (k == OPT_NO_ACCESS_LOG) {
                        cfg->access_log = false;
                        continue;
                }
                if (k < OPT_LISTEN) {
                        siteargs_refuse(WHO, &a, k);
                        return -1;
                }
                if (take_option(k, a.arg, cfg, sa) < 0)
                        return -1;
        }
        return 0;
}

/* The user to run as (@user; nobody when started as root and none was given), into @d.
 * Returns 0 or -1 after reporting. */
static int check_user(const char *user, struct drop *d)
{
        int r;

        if (geteuid() == 0) {
                if (!user)
                        user = DEFAULT_USER;
                r = privdrop_lookup(user, &d->uid, &d->gid);
                if (r < 0) {
                        fail("--user: %s", r == -ENOENT ? "no such user" : strerror(-r));
                        return -1;
                }
                if (d->uid == 0 && strcmp(user, "root") != 0) {
                        fail("--user %s has uid 0; say --user root to run as root", user);
                        return -1;
                }
                d->user = d->uid == 0 ? NULL : user;
        } else if (user && strcmp(user, "root") != 0) {
                uid_t uid;
                gid_t gid;

                if (privdrop_lookup(user, &uid, &gid) < 0 || uid != geteuid()) {
                        fail("--user %s: only root can change its user", user);
                        return -1;
                }
        }
        return 0;
}

/* The vote store: --feedback's PostgreSQL URI (its password then hidden from ps; *@ret_copy,
 * freed by the caller, holds it), its file, 'off', or the data directory's file (the folder is
 * created).  Returns 0 or -1 after reporting. */
static int choose_feedback(struct http_config *cfg, struct serve_args *sa, const char *data_dir,
                           char **ret_copy)
{
        const char *feedback = sa->feedback;

        if (feedback && feedback_is_postgres(feedback)) {
                if (feedback_check(feedback) < 0) {
                        char shown[256];

                        feedback_redact(feedback, shown, sizeof(shown));
                        fail("--feedback: \"%s\" is not a PostgreSQL URI libpq accepts "
                             "(postgresql://[USER@]HOST[:PORT]/DB[?PARAM=VALUE...])",
                             shown);
                        return -1;
                }
                *ret_copy = hide_password(feedback);
                if (*ret_copy)
                        feedback = *ret_copy;
        }
        if (feedback && strcmp(feedback, "off") == 0) {
                cfg->feedback_path = NULL;
        } else if (feedback) {
                cfg->feedback_path = feedback;
        } else {
                if ((size_t)snprintf(sa->feedback_path, sizeof(sa->feedback_path), "%s/%s",
                                     data_dir, FEEDBACK_FILE) >= sizeof(sa->feedback_path)) {
                        fail("the data directory's name is too long");
                        return -1;
                }
                /* The data directory is ours to create; its parent is not. */
                if (mkdir(data_dir, 0755) < 0 && errno != EEXIST)
                        fprintf(stderr, "portinfo serve: warning: cannot create %s: %s\n", data_dir,
                                strerror(errno));
                cfg->feedback_path = sa->feedback_path;
        }
        return 0;
}

/* Refuses a folder others may write (the error names @what and says how to fix it). */
static int refuse_unsafe_dir(const char *what, const char *dir)
{
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        unsigned uid = 0, mode = 0;

        if (fd < 0 || datadir_check_dir(fd, &uid, &mode) != -EPERM)
                return 0; /* missing or unreadable: said later, where it is used */
        fail("%s %s is writable by others (owner uid %u, mode %04o), who could plant links "
             "there; refusing it: chmod go-w it, or make it sticky and owned by the user "
             "serve runs as",
             what, dir, uid, mode);
        return -1;
}

/* Checks the data directory and the vote store's place before anything is opened, and
 * decides when the store is opened: a SQLite store in a folder of the user serve switches to
 * is opened after the switch, as that user; one in root's folder (only root can plant
 * anything there) before it; any other owner is refused while root (--user root too).
 * Returns 0 or -1 after reporting. */
static int check_places(struct http_config *cfg, const char *data_dir, const struct drop *d)
{
        const char *path = cfg->feedback_path, *suffix = "";
        char dir[PATH_MAX];
        uid_t owner;
        int r;

        if (refuse_unsafe_dir("the data directory", data_dir) < 0)
                return -1;
        if (!path || feedback_is_postgres(path))
                return 0; /* a network store: no file to be tricked into */
        dir_of(path, dir, sizeof(dir));
        r = feedback_check_place(path, &suffix, &owner);
        if (r == -EPERM)
                return refuse_unsafe_dir("the vote store's folder", dir);
        if (r == -ELOOP || r == -EMLINK || r == -EINVAL) {
                fail("the vote store %s%s is %s; refusing it (remove it, or choose another "
                     "--feedback)",
                     path, suffix,
                     r == -ELOOP    ? "a symbolic link"
                     : r == -EMLINK ? "a hard link (a file with several names)"
                                    : "not a regular file");
                return -1;
        }
        if (r < 0 || geteuid() != 0)
                return 0; /* not root: opened as this user whenever */
        if (d->user && owner == d->uid) {
                cfg->stores_after_setup = true;
        } else if (owner != 0) {
                fail("the vote store's folder %s belongs to uid %u, neither root nor %s: "
                     "refusing to open it as root (chown it to one of them)",
                     dir, (unsigned)owner, d->user ? d->user : "the --user");
                return -1;
        }
        return 0;
}

/* What the process may still touch once set up: @d's folders. */
static void plan_drop(struct drop *d, const struct http_config *cfg, const char *data_dir,
                      const char *static_dir)
{
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        d->ro[d->n_ro++] = data_dir;
        d->ro[d->n_ro++] = static_dir;
        d->ro[d->n_ro++] = "/usr";
        if (n > 0) {
                self[n] = '\0';
                dir_of(self, d->exe_dir, sizeof(d->exe_dir));
                d->ro[d->n_ro++] = d->exe_dir;
        }
        if (cfg->feedback_path && !feedback_is_postgres(cfg->feedback_path)) {
                dir_of(cfg->feedback_path, d->store_dir, sizeof(d->store_dir));
                d->rw[d->n_rw++] = d->store_dir;
        } else if (cfg->feedback_path) {
                d->ro[d->n_ro++] = "/etc"; /* libpq: resolv.conf, hosts, certificates */
        }
        if (SANITIZED_BUILD)
                d->ro[d->n_ro++] = "/proc"; /* LeakSanitizer's exit check */
}

int main(int argc, char **argv)
{
        struct http_config cfg = {
            .threads = cpu_count(),
            .max_connections = 1024,
            .max_per_address = 128,
            .votes_per_address = VOTE_CAP_DEFAULT,
            .timeout_s = 10,
            .drain_s = 10,
            .site_name = DEFAULT_SITE_NAME,
            .vote_url = "",
            .access_log = true,
        };
        static struct serve_args sa = {.listen = DEFAULT_LISTEN};
        static struct drop drop;
        _cleanup_free_ char *dsn_copy = NULL, *table_file = NULL;
        const char *data_dir, *static_dir;
        struct webroot *web = NULL;
        struct portdb db;
        int r;

        r = read_cmdline(argc, argv, &cfg, &sa);
        if (r != 0)
                return r > 0 ? EXIT_OK : EXIT_TROUBLE;
        if (httputil_parse_listen(sa.listen, &cfg.addr, &cfg.addrlen) < 0) {
                fail("\"%s\" is not an address to listen on (ADDR:PORT, [ADDR]:PORT or PORT)",
                     sa.listen);
                return EXIT_TROUBLE;
        }
        data_dir = datadir_path(sa.data_dir);
        if (check_user(sa.user, &drop) < 0 || choose_feedback(&cfg, &sa, data_dir, &dsn_copy) < 0 ||
            check_places(&cfg, data_dir, &drop) < 0)
                return EXIT_TROUBLE;

        r = datadir_open(&db, data_dir);
        if (r == -EINVAL)
                fprintf(stderr,
                        "portinfo serve: warning: %s/%s is damaged; using the embedded "
                        "data\n",
                        data_dir, DATADIR_CURRENT);
        cfg.db = &db;
        cfg.load_db = datadir_open;
        cfg.data_dir = data_dir;
        if (asprintf(&table_file, "%s/%s", data_dir, DATADIR_CURRENT) >= 0)
                cfg.table_file = table_file;

        static_dir = sa.static_dir ? sa.static_dir : sitepaths_static_dir();
        r = webroot_load(static_dir, &web);
        if (r < 0)
                fprintf(stderr,
                        "portinfo serve: warning: no static files (%s: %s); pages will "
                        "have no style\n",
                        static_dir, strerror(-r));
        cfg.web = web;

        plan_drop(&drop, &cfg, data_dir, static_dir);
        cfg.after_setup = after_setup;
        cfg.after_setup_arg = &drop;

        r = http_run(&cfg);
        webroot_free(web);
        return r < 0 ? EXIT_TROUBLE : EXIT_OK;
}

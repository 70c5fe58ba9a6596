/* cli: portinfo's command line: options, subcommands, the data in use, exit codes.
 *
 * The only module that prints errors or decides the exit status (0 found, 1 nothing found,
 * 2 trouble).  Heavy commands (serve, update) are separate helper executables it execs.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "datadir.h"
#include "parse.h"
#include "portdb.h"
#include "render.h"
#include "diag.h"
#include "term.h"

#define fail(...) diag("portinfo", __VA_ARGS__)
#define warn(...) diag("portinfo: warning", __VA_ARGS__)

enum { EXIT_FOUND = 0, EXIT_NOTHING = 1, EXIT_TROUBLE = 2 };

#define MAX_ARG_LEN 256

struct opts {
        bool json;
        enum color_mode color;
        const char *data_dir;
};

static const char usage_text[] =
    "Usage: portinfo [OPTIONS] PORT[/PROTO]|NAME ...\n"
    "       portinfo search [--json] TEXT\n"
    "       portinfo range [--json] LO-HI\n"
    "       portinfo who [--json] [-l] [--all-netns] [PORT[/PROTO] ...]\n"
    "       portinfo audit [--json] [--min-severity low|medium|high]\n"
    "       portinfo serve [--listen ADDR:PORT] [--feedback DB]\n"
    "       portinfo export [--vote-url URL] [--site-name NAME] DIR\n"
    "       portinfo update FILE\n"
    "\n"
    "Explains ports from the IANA registry and a sourced list of unofficial uses,\n"
    "offline.  PROTO is tcp, udp, sctp or dccp (default: all); NAME is an IANA\n"
    "service name such as ssh.\n"
    "\n"
    "Options:\n"
    "  -j, --json            print JSON (the shape is documented in portinfo(1))\n"
    "      --color=WHEN      auto (default), always or never; honours NO_COLOR\n"
    "      --data-dir DIR    where an imported registry is kept (PORTINFO_DATA_DIR)\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version and the registry's date and counts\n"
    "\n"
    "Exit status: 0 found, 1 nothing found, 2 bad input or trouble.\n"
    "Examples: portinfo 1776    portinfo 53/udp    portinfo ssh\n"
    "          portinfo search kuang    portinfo range 6000-6010\n";

/* The imported registry from the data directory, if a valid one is there; else the embedded
 * one.  A damaged file is reported and skipped: the embedded data always answers. */
static void open_db(struct portdb *db, const struct opts *o)
{
        const char *dir = datadir_path(o->data_dir);
        int r = datadir_open(db, dir);

        if (r == -EINVAL)
                warn("%s/%s is damaged or not a portinfo table; using the embedded data", dir,
                     DATADIR_CURRENT);
        else if (r < 0 && r != -ENOENT)
                warn("%s/%s: %s; using the embedded data", dir, DATADIR_CURRENT, strerror(-r));
}

static void emit_json(json_t *a)
{
        if (!a || json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                fail("out of memory");
        fputc('\n', stdout);
        json_decref(a);
}

/* One resolved operand: a port with the protocols to show. */
struct target {
        uint16_t port;
        unsigned protos;
};

static int bad_port(const char *arg, int r)
{
        if (r == -ERANGE)
                fail("\"%s\" is not a port (0-65535)", arg);
        else if (r == -EPROTONOSUPPORT)
                fail("\"%s\": unknown protocol (use tcp, udp, sctp or dccp)", arg);
        else
                fail("\"%s\" is not a port (0-65535)", arg);
        return EXIT_TROUBLE;
}

/* Adds to @v the ports that @count entries of the name index from @first register, for the
 * protocols in @want.  Returns how many entries matched (ports already listed count too). */
static size_t add_name_ports(const struct portdb *db, uint32_t first, size_t count, unsigned want,
                             struct target *v, size_t *n, size_t cap)
{
        size_t matched = 0;

        for (size_t i = 0; i < count; i++) {
                const struct portdb_iana *e = &db->iana[db->names[first + i]];
                unsigned bit = e->proto == PROTO_NONE ? PROTO_MASK_ALL : PROTO_BIT(e->proto);
                size_t j;

                if ((e->flags & PORTDB_F_NOPORT) || !(bit & want))
                        continue;
                for (j = 0; j < *n && v[j].port != e->lo; j++)
                        ;
                if (j == *n) {
                        if (*n == cap)
                                break;
                        v[(*n)++] = (struct target){e->lo, 0};
                }
                v[j].protos |= bit & want;
                matched++;
        }
        return matched;
}

/* Resolves service name @arg, or "name/proto", into ports added to @v.  Returns 1 when found,
 * 0 when not (a line on stderr says why), or -EPROTONOSUPPORT for an unknown protocol. */
static int resolve_name(const struct portdb *db, const char *arg, struct target *v, size_t *n,
                        size_t cap)
{
        char name[MAX_ARG_LEN + 1];
        const char *slash;
        uint32_t first;
        size_t count;
        enum proto p;

        /* A few IANA names contain a slash themselves ("914c/g"): the whole text first. */
        count = portdb_find_name(db, arg, &first);
        if (count > 0) {
                if (add_name_ports(db, first, count, PROTO_MASK_ALL, v, n, cap) > 0)
                        return 1;
                fprintf(stderr, "portinfo: \"%s\" is an IANA service name with no port number (",
                        arg);
                fputs(portdb_str(db, db->iana[db->names[first]].description), stderr);
                fputs(")\n", stderr);
                return 0;
        }
        slash = strrchr(arg, '/');
        if (!slash || slash == arg) {
                fprintf(stderr,
                        "portinfo: no IANA service is named \"%s\"; try 'portinfo search "
                        "%s'\n",
                        arg, arg);
                return 0;
        }
        snprintf(name, sizeof(name), "%.*s", (int)(slash - arg), arg);
        if (parse_proto(slash + 1, &p) < 0)
                return -EPROTONOSUPPORT;
        count = portdb_find_name(db, name, &first);
        if (count == 0) {
                fprintf(stderr,
                        "portinfo: no IANA service is named \"%s\"; try 'portinfo search "
                        "%s'\n",
                        name, name);
                return 0;
        }
        if (add_name_ports(db, first, count, PROTO_BIT(p), v, n, cap) > 0)
                return 1;
        fprintf(stderr, "portinfo: IANA registers \"%s\", but not with a %s port\n", name,
                portdb_proto_name(p));
        return 0;
}

static int cmd_explain(const struct portdb *db, const struct opts *o, int argc, char **argv)
{
        struct target *v;
        size_t n = 0, cap = (size_t)argc * 8 + 8;
        bool unknown = false;
        int ret = EXIT_FOUND;

        if (argc == 0) {
                fail("no port given; try 'portinfo --help'");
                return EXIT_TROUBLE;
        }
        v = calloc(cap, sizeof(*v));
        if (!v) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        /* Every operand is checked before anything is printed: on trouble, stdout stays empty. */
        for (int i = 0; i < argc; i++) {
                const char *arg = argv[i];
                uint32_t first;
                int r;

                if (arg[0] == '\0') {
                        fail("empty argument: give a port (0-65535) or a service name");
                        ret = EXIT_TROUBLE;
                        goto out;
                }
                if (strlen(arg) > MAX_ARG_LEN) {
                        fail("argument longer than %d characters", MAX_ARG_LEN);
                        ret = EXIT_TROUBLE;
                        goto out;
                }
                if (n == cap) {
                        fail("too many arguments");
                        ret = EXIT_TROUBLE;
                        goto out;
                }
                /* Text that starts like a number is a port, unless it is exactly a service
                 * name that starts with a digit ("914c/g", "3com-tsmux"). */
                if (parse_looks_numeric(arg) && portdb_find_name(db, arg, &first) == 0) {
                        uint16_t port;
                        unsigned protos;

                        r = parse_port_spec(arg, &port, &protos);
                        if (r < 0) {
                                ret = bad_port(arg, r);
                                goto out;
                        }
                        v[n++] = (struct target){port, protos};
                        continue;
                }
                r = resolve_name(db, arg, v, &n, cap);
                if (r < 0) {
                        ret = bad_port(arg, r);
                        goto out;
                }
                if (r == 0)
                        unknown = true;
        }
        if (o->json) {
                json_t *a = json_array();

                for (size_t i = 0; a && i < n; i++)
                        json_array_append_new(a, render_json_port(db, v[i].port, v[i].protos));
                emit_json(a);
        } else {
                struct term t;

                term_init(&t, stdout, o->color);
                for (size_t i = 0; i < n; i++) {
                        if (i > 0)
                                fputs("\n\n", stdout);
                        render_text_port(&t, db, v[i].port, v[i].protos);
                }
        }
        ret = unknown ? EXIT_NOTHING : EXIT_FOUND;
out:
        free(v);
        return ret;
}

static int cmd_search(const struct portdb *db, const struct opts *o, int argc, char **argv)
{
        struct portdb_search_ctx *ctx;
        int n;

        if (argc != 1) {
                fail(argc == 0 ? "search: no text given" : "search: give one TEXT (quote it)");
                return EXIT_TROUBLE;
        }
        ctx = malloc(sizeof(*ctx));
        if (!ctx) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        n = portdb_search(db, argv[0], ctx);
        if (n == -EINVAL) {
                fail("search: empty text");
        } else if (n == -E2BIG) {
                fail("search: text longer than %d characters", PORTDB_MAX_QUERY);
        } else if (o->json) {
                json_t *a = json_array();

                for (int i = 0; a && i < n; i++)
                        json_array_append_new(
                            a, render_json_port(db, ctx->hits[i].port, PROTO_MASK_ALL));
                emit_json(a);
        } else {
                struct term t;

                term_init(&t, stdout, o->color);
                render_text_search(&t, db, argv[0], ctx->hits, (size_t)n);
        }
        free(ctx);
        if (n < 0)
                return EXIT_TROUBLE;
        return n > 0 ? EXIT_FOUND : EXIT_NOTHING;
}

static int cmd_range(const struct portdb *db, const struct opts *o, int argc, char **argv)
{
        uint16_t lo, hi;
        size_t found = 0;
        int r;

        if (argc != 1) {
                fail("range: give one range, such as 6000-6010");
                return EXIT_TROUBLE;
        }
        r = parse_range(argv[0], &lo, &hi);
        if (r == -EDOM) {
                fail("range \"%s\": the first port is above the last", argv[0]);
                return EXIT_TROUBLE;
        }
        if (r < 0) {
                fail("\"%s\" is not a range of ports (LO-HI, each 0-65535)", argv[0]);
                return EXIT_TROUBLE;
        }
        if (o->json) {
                json_t *a = json_array();

                for (uint32_t p = lo; a && p <= hi; p++)
                        if (render_port_has_entries(db, (uint16_t)p)) {
                                json_array_append_new(
                                    a, render_json_port(db, (uint16_t)p, PROTO_MASK_ALL));
                                found++;
                        }
                emit_json(a);
        } else {
                struct term t;

                term_init(&t, stdout, o->color);
                found = render_text_range(&t, db, lo, hi);
        }
        return found ? EXIT_FOUND : EXIT_NOTHING;
}

static int cmd_version(const struct portdb *db)
{
        const struct portdb_unofficial *u = db->unofficial;
        size_t kinds[UO_KIND_COUNT] = {0};

        for (uint32_t i = 0; i < db->hdr->n_unofficial; i++)
                kinds[u[i].kind]++;
        printf("portinfo %s\n", PORTINFO_VERSION);
        printf("IANA registry of %s (%s form): %u records\n",
               portdb_str(db, db->hdr->registry_updated), portdb_str(db, db->hdr->registry_format),
               db->hdr->n_records);
        printf("unofficial uses: %u (%zu malware, %zu software, %zu other)\n",
               db->hdr->n_unofficial, kinds[UO_MALWARE], kinds[UO_SOFTWARE], kinds[UO_OTHER]);
        return EXIT_FOUND;
}

/* argv[0] as portinfo was started, for finding its helpers. */
static const char *self_argv0;

/* Runs helper @name (portinfo-serve, portinfo-update) with our remaining arguments: first beside
 * this executable (the build tree), then in the installed libexec directory. */
static int exec_helper(const char *name, int argc, char **argv)
{
        char self[PATH_MAX], path[PATH_MAX + 64];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        char **args = calloc((size_t)argc + 2, sizeof(*args));

        if (!args) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        for (int i = 0; i < argc; i++)
                args[i + 1] = argv[i];
        if (n > 0) {
                char *slash;

                self[n] = '\0';
                slash = strrchr(self, '/');
                if (slash) {
                        *slash = '\0';
                        snprintf(path, sizeof(path), "%s/%s", self, name);
                        args[0] = path;
                        execv(path, args);
                }
        }
        /* Beside the path we were started by: a build tree inside a folder the user cannot
         * search from the root (/root, as another user) is still reachable from the cwd. */
        if (self_argv0 && strchr(self_argv0, '/')) {
                const char *slash = strrchr(self_argv0, '/');

                snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - self_argv0), self_argv0,
                         name);
                args[0] = path;
                execv(path, args);
        }
        snprintf(path, sizeof(path), "%s/%s", PORTINFO_LIBEXECDIR, name);
        args[0] = path;
        execv(path, args);
        fail("%s is not installed here (looked beside portinfo and in %s)", name,
             PORTINFO_LIBEXECDIR);
        free(args);
        return EXIT_TROUBLE;
}

/* Runs `who` or `audit` (@rest[0]) in the portinfo-who helper, which links libmnl: portinfo
 * itself stays a static executable.  The helper gets the command word, the --json and --color
 * choices made before it, then the remaining arguments untouched. */
static int exec_who(const struct opts *o, char **rest, int nrest)
{
        char **args = calloc((size_t)nrest + 4, sizeof(*args));
        int n = 0, ret;

        if (!args) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        if (o->data_dir && setenv("PORTINFO_DATA_DIR", o->data_dir, 1) < 0) {
                free(args);
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        args[n++] = rest[0];
        if (o->json)
                args[n++] = "--json";
        if (o->color == COLOR_ALWAYS)
                args[n++] = "--color=always";
        else if (o->color == COLOR_NEVER)
                args[n++] = "--color=never";
        args[n++] = "--";
        for (int i = 1; i < nrest; i++)
                args[n++] = rest[i];
        fflush(stdout);
        ret = exec_helper("portinfo-who", n, args);
        free(args);
        return ret;
}

/* Whether subcommand @cmd is run by a helper executable. */
static bool is_helper(const char *cmd)
{
        return !strcmp(cmd, "serve") || !strcmp(cmd, "update") || !strcmp(cmd, "export");
}

int cli_main(int argc, char **argv)
{
        struct opts o = {.color = COLOR_AUTO};
        char **rest = calloc((size_t)argc + 1, sizeof(*rest));
        int nrest = 0, ret;
        bool help = false, version = false, dashdash = false;
        struct portdb db;

        self_argv0 = argc > 0 ? argv[0] : NULL;
        if (!rest) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];

                /* After "serve" or "update", everything is the helper's to parse. */
                if (nrest > 0 && is_helper(rest[0])) {
                        rest[nrest++] = argv[i];
                        continue;
                }
                /* After "who" or "audit", cli_who.c parses the rest (its options are its own). */
                if (nrest > 0 && (strcmp(rest[0], "who") == 0 || strcmp(rest[0], "audit") == 0)) {
                        rest[nrest++] = argv[i];
                        continue;
                }
                /* "-1" and "-5-3" are operands (bad ports), not options. */
                if (dashdash || a[0] != '-' || a[1] == '\0' || (a[1] >= '0' && a[1] <= '9')) {
                        rest[nrest++] = argv[i];
                        continue;
                }
                if (strcmp(a, "--") == 0) {
                        dashdash = true;
                } else if (strcmp(a, "--json") == 0 || strcmp(a, "-j") == 0) {
                        o.json = true;
                } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        help = true;
                } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
                        version = true;
                } else if (strncmp(a, "--color", 7) == 0 || strncmp(a, "--colour", 8) == 0) {
                        const char *v = strchr(a, '=');

                        /* "--color always" as well as "--color=always". */
                        if (!v && i + 1 < argc &&
                            (strcmp(argv[i + 1], "auto") == 0 ||
                             strcmp(argv[i + 1], "always") == 0 ||
                             strcmp(argv[i + 1], "never") == 0))
                                v = argv[++i] - 1;
                        if (!v || strcmp(v + 1, "auto") == 0)
                                o.color = COLOR_AUTO;
                        else if (strcmp(v + 1, "always") == 0)
                                o.color = COLOR_ALWAYS;
                        else if (strcmp(v + 1, "never") == 0)
                                o.color = COLOR_NEVER;
                        else {
                                fail("--color takes auto, always or never");
                                free(rest);
                                return EXIT_TROUBLE;
                        }
                } else if (strcmp(a, "--data-dir") == 0 || strncmp(a, "--data-dir=", 11) == 0) {
                        if (a[10] == '=')
                                o.data_dir = a + 11;
                        else if (i + 1 < argc)
                                o.data_dir = argv[++i];
                        else {
                                fail("--data-dir needs a directory");
                                free(rest);
                                return EXIT_TROUBLE;
                        }
                } else {
                        fail("unknown option \"%s\"; try 'portinfo --help'", a);
                        free(rest);
                        return EXIT_TROUBLE;
                }
        }

        if (help) {
                fputs(usage_text, stdout);
                free(rest);
                return EXIT_FOUND;
        }
        if (nrest > 0 && is_helper(rest[0])) {
                char helper[32];

                /* A --data-dir given before the subcommand reaches the helper this way. */
                if (o.data_dir && setenv("PORTINFO_DATA_DIR", o.data_dir, 1) < 0) {
                        fail("out of memory");
                        free(rest);
                        return EXIT_TROUBLE;
                }

                snprintf(helper, sizeof(helper), "portinfo-%s", rest[0]);
                ret = exec_helper(helper, nrest - 1, rest + 1);
                free(rest);
                return ret;
        }
        open_db(&db, &o);
        if (version)
                ret = cmd_version(&db);
        else if (nrest > 0 && strcmp(rest[0], "search") == 0)
                ret = cmd_search(&db, &o, nrest - 1, rest + 1);
        else if (nrest > 0 && strcmp(rest[0], "range") == 0)
                ret = cmd_range(&db, &o, nrest - 1, rest + 1);
        else if (nrest > 0 && (strcmp(rest[0], "who") == 0 || strcmp(rest[0], "audit") == 0))
                ret = exec_who(&o, rest, nrest);
        else
                ret = cmd_explain(&db, &o, nrest, rest);
        free(rest);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                if (errno != EPIPE)
                        fail("writing output: %s", strerror(errno));
                return EXIT_TROUBLE;
        }
        return ret;
}

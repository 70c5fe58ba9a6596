/* cli: portinfo's command line: options (args.h), the table of subcommands, the data in use.
 *
 * The only module of portinfo that prints errors or decides the exit status (exitcodes.h).
 * Heavy commands (who, serve, export, update) are separate helper executables it execs.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "agewarn.h"
#include "answer.h"
#include "args.h"
#include "cleanup.h"
#include "config.h"
#include "datadir.h"
#include "diag.h"
#include "exitcodes.h"
#include "parse.h"
#include "portdb.h"
#include "render_json.h"
#include "render_table.h"
#include "render_text.h"
#include "resolve.h"
#include "term.h"

#define fail(...) diag_err(__VA_ARGS__)
#define warn(...) diag_warn(__VA_ARGS__)

#define MAX_ARG_LEN RESOLVE_MAX_ARG

/* `portinfo -`: lines read from standard input, each at most this long, at most this many. */
#define STDIN_MAX_LINE  1024
#define STDIN_MAX_LINES 65536

struct opts {
        bool json;
        bool table; /* --format tsv or csv, in tformat */
        enum table_format tformat;
        enum color_mode color;
        const char *data_dir;
};

static const char usage_head[] = "Usage: portinfo [OPTIONS] PORT[/PROTO]|NAME ...\n";

static const char usage_tail[] =
    "\n"
    "Explains ports from the IANA registry and a sourced list of unofficial uses,\n"
    "offline.  PROTO is tcp, udp, sctp or dccp (default: all); NAME is an IANA\n"
    "service name such as ssh.\n"
    "\n"
    "Options:\n"
    "  -j, --json            print JSON (the shape is documented in portinfo(1))\n"
    "      --format FMT      text (default), json, tsv or csv (a header, a record\n"
    "                        a line)\n"
    "      --color=WHEN      auto (default), always or never; honours NO_COLOR\n"
    "      --data-dir DIR    where an imported registry is kept (PORTINFO_DATA_DIR)\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version, the registry's date and age, counts\n"
    "\n"
    "PORT \"-\" reads ports or names from standard input, one a line (# comments).\n"
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

/* Says why @arg did not resolve (@r, @why from resolve_arg).  Returns EXIT_TROUBLE when the
 * command must stop, EXIT_NOTHING when the other operands are still answered. */
static int report_unresolved(const struct portdb *db, const char *arg, int r,
                             const struct resolve_why *why)
{
        int len = (int)why->name_len;

        switch (r) {
        case -EPROTONOSUPPORT:
                fail("\"%s\": unknown protocol (use tcp, udp, sctp or dccp)", arg);
                return EXIT_TROUBLE;
        case -E2BIG:
                fail("too many arguments");
                return EXIT_TROUBLE;
        case -ENODATA:
                fprintf(stderr, "portinfo: \"%s\" is an IANA service name with no port number (",
                        arg);
                fputs(portdb_str(db, db->iana[db->names[why->first]].description), stderr);
                fputs(")\n", stderr);
                return EXIT_NOTHING;
        case -ENOENT:
                fprintf(stderr,
                        "portinfo: no IANA service is named \"%.*s\"; try 'portinfo search "
                        "%.*s'\n",
                        len, arg, len, arg);
                return EXIT_NOTHING;
        case -ENOPROTOOPT:
                fprintf(stderr, "portinfo: IANA registers \"%.*s\", but not with a %s port\n", len,
                        arg, portdb_proto_name(why->proto));
                return EXIT_NOTHING;
        default: /* -EINVAL, -ERANGE */
                fail("\"%s\" is not a port (0-65535)", arg);
                return EXIT_TROUBLE;
        }
}

/* Checks the operands and resolves them into @v (@cap rows); *@n says how many.  Returns
 * EXIT_FOUND, EXIT_NOTHING (a name did not resolve; said on stderr) or EXIT_TROUBLE (said). */
static int resolve_operands(const struct portdb *db, int argc, char **argv, struct resolve_port *v,
                            size_t *n, size_t cap)
{
        int ret = EXIT_FOUND;

        for (int i = 0; i < argc; i++) {
                const char *arg = argv[i];
                struct resolve_why why;
                int r;

                if (arg[0] == '\0') {
                        fail("empty argument: give a port (0-65535) or a service name");
                        return EXIT_TROUBLE;
                }
                if (strlen(arg) > MAX_ARG_LEN) {
                        fail("argument longer than %d characters", MAX_ARG_LEN);
                        return EXIT_TROUBLE;
                }
                if (*n == cap) {
                        fail("too many arguments");
                        return EXIT_TROUBLE;
                }
                r = resolve_arg(db, arg, PROTO_MASK_ALL, v, n, cap, &why);
                if (r < 0)
                        r = report_unresolved(db, arg, r, &why);
                if (r == EXIT_TROUBLE)
                        return EXIT_TROUBLE;
                if (r == EXIT_NOTHING)
                        ret = EXIT_NOTHING;
        }
        return ret;
}

static int cmd_explain(const struct portdb *db, const struct opts *o, int argc, char **argv)
{
        _cleanup_free_ struct resolve_port *v = NULL;
        size_t n = 0, cap = (size_t)argc * 8 + 8;
        int ret;

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
        ret = resolve_operands(db, argc, argv, v, &n, cap);
        if (ret == EXIT_TROUBLE)
                return ret;
        if (o->table) {
                struct table tb = {stdout, o->tformat};

                render_table_header(&tb);
                for (size_t i = 0; i < n; i++)
                        render_table_port(&tb, db, v[i].port, v[i].protos);
        } else if (o->json) {
                json_t *a = json_array();

                for (size_t i = 0; a && i < n; i++)
                        json_array_append_new(a, render_json_port(db, v[i].port, v[i].protos));
                emit_json(a);
        } else {
                struct term t;

                term_init(&t, stdout, o->color);
                for (int i = 0; i < argc; i++) {
                        uint32_t first;
                        size_t count = resolve_name_clash(db, argv[i], &first);

                        if (count)
                                render_text_name_clash(&t, db, argv[i], first, count);
                }
                for (size_t i = 0; i < n; i++) {
                        if (i > 0)
                                fputs("\n\n", stdout);
                        render_text_port(&t, db, v[i].port, v[i].protos);
                }
        }
        return ret;
}

/* Trims @s in place: blanks (and a CRLF's CR) at both ends.  Returns the first non-blank. */
static char *trim(char *s)
{
        size_t n = strlen(s);

        while (n > 0 &&
               (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
                s[--n] = '\0';
        while (*s == ' ' || *s == '\t')
                s++;
        return s;
}

/* Reads standard input's operands (one a line, blank lines and # comments skipped) into
 * *@ret_v, *@ret_n of them, each a heap copy.  Returns 0, or -1 after reporting. */
static int read_stdin_operands(char ***ret_v, int *ret_n)
{
        char line[STDIN_MAX_LINE + 2];
        char **v = NULL;
        int n = 0;
        unsigned long no = 0;

        while (fgets(line, sizeof(line), stdin)) {
                size_t len = strlen(line);
                char *op;

                no++;
                if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
                        fail("standard input, line %lu: longer than %d bytes", no, STDIN_MAX_LINE);
                        goto fail;
                }
                op = trim(line);
                if (op[0] == '\0' || op[0] == '#')
                        continue;
                if (n == STDIN_MAX_LINES) {
                        fail("standard input: more than %d ports or names", STDIN_MAX_LINES);
                        goto fail;
                }
                if (n % 256 == 0) {
                        char **w = realloc(v, ((size_t)n + 256) * sizeof(*v));

                        if (!w)
                                goto oom;
                        v = w;
                }
                v[n] = strdup(op);
                if (!v[n])
                        goto oom;
                n++;
        }
        if (ferror(stdin)) {
                fail("reading standard input: %s", strerror(errno));
                goto fail;
        }
        *ret_v = v;
        *ret_n = n;
        return 0;
oom:
        fail("out of memory");
fail:
        for (int i = 0; i < n; i++)
                free(v[i]);
        free(v);
        return -1;
}

/* `portinfo -`: every line of standard input answered as `portinfo LINE...` would answer them
 * all: a bad line stops everything before any output (status 2), an unknown name is reported
 * and the others answered (status 1). */
static int cmd_stdin(const struct portdb *db, const struct opts *o)
{
        char **v = NULL;
        int n = 0, ret;

        if (read_stdin_operands(&v, &n) < 0)
                return EXIT_TROUBLE;
        if (n == 0) {
                fail("no port or name on standard input");
                ret = EXIT_TROUBLE;
        } else {
                ret = cmd_explain(db, o, n, v);
        }
        for (int i = 0; i < n; i++)
                free(v[i]);
        free(v);
        return ret;
}

static int cmd_search(const struct portdb *db, const struct opts *o, int argc, char **argv)
{
        struct portdb_search_ctx *ctx;
        int n;

        if (argc != 1) {
                fail(argc == 0 ? "no text given" : "give one TEXT (quote it)");
                return EXIT_TROUBLE;
        }
        ctx = malloc(sizeof(*ctx));
        if (!ctx) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        n = portdb_search(db, argv[0], ctx);
        if (n == -EINVAL) {
                fail("empty text");
        } else if (n == -E2BIG) {
                fail("text longer than %d characters", PORTDB_MAX_QUERY);
        } else if (o->table) {
                struct table tb = {stdout, o->tformat};

                render_table_header(&tb);
                listing_search(db, argv[0], ctx->hits, (size_t)n, render_table_item, &tb);
        } else if (o->json) {
                json_t *a = json_array();

                for (int i = 0; a && i < n; i++)
                        json_array_append_new(
                            a, render_json_search_hit(db, argv[0], ctx->hits[i].port));
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
                fail("give one range, such as 6000-6010");
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
        if (o->table) {
                struct table tb = {stdout, o->tformat};

                render_table_header(&tb);
                found = listing_range(db, lo, hi, render_table_item, &tb);
        } else if (o->json) {
                json_t *a = json_array();

                for (uint32_t p = lo; a && p <= hi; p++)
                        if (answer_port_has_entries(db, (uint16_t)p)) {
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
        size_t kinds[UO_KIND_COUNT] = {0}, names = 0;
        char age[64];

        for (uint32_t i = 0; i < db->hdr->n_unofficial; i++)
                kinds[u[i].kind]++;
        agewarn_age_text(db, age, sizeof(age));
        printf("portinfo %s\n", PORTINFO_VERSION);
        printf("IANA registry of %s%s (%s form): %u records\n",
               portdb_str(db, db->hdr->registry_updated), age,
               portdb_str(db, db->hdr->registry_format), db->hdr->n_records);
        printf("unofficial uses: %u (%zu malware, %zu software, %zu other)\n",
               db->hdr->n_unofficial, kinds[UO_MALWARE], kinds[UO_SOFTWARE], kinds[UO_OTHER]);
        for (uint32_t i = 0; i < db->hdr->n_aliases; i++)
                names += i == 0 || strcasecmp(portdb_str(db, db->aliases[i - 1].name),
                                              portdb_str(db, db->aliases[i].name)) != 0;
        printf("everyday names: %zu (for %u IANA entries); corrections: %u\n", names,
               db->hdr->n_aliases, db->hdr->n_corrections);
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
        _cleanup_free_ char **args = calloc((size_t)argc + 2, sizeof(*args));

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
        return EXIT_TROUBLE;
}

/* Runs `who` or `audit` (@rest[0]) in helper @helper, which links libmnl: portinfo itself stays
 * a static executable.  The helper gets the command word, the --json and --color choices made
 * before it, then the remaining arguments untouched. */
static int exec_who(const struct opts *o, const char *helper, char **rest, int nrest)
{
        _cleanup_free_ char **args = calloc((size_t)nrest + 4, sizeof(*args));
        int n = 0;

        if (!args) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        if (o->data_dir && setenv("PORTINFO_DATA_DIR", o->data_dir, 1) < 0) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        args[n++] = rest[0];
        if (o->table)
                args[n++] = o->tformat == TABLE_CSV ? "--format=csv" : "--format=tsv";
        else if (o->json)
                args[n++] = "--json";
        if (o->color == COLOR_ALWAYS)
                args[n++] = "--color=always";
        else if (o->color == COLOR_NEVER)
                args[n++] = "--color=never";
        args[n++] = "--";
        for (int i = 1; i < nrest; i++)
                args[n++] = rest[i];
        fflush(stdout);
        return exec_helper(helper, n, args);
}

/* A command word: answered here, or by a helper executable portinfo execs with the rest of the
 * command line, which the helper parses itself. */
struct subcommand {
        const char *name;
        const char *usage; /* its line in --help, after "portinfo " */
        int (*answer)(const struct portdb *db, const struct opts *o, int argc, char **argv);
        const char *helper; /* NULL: answered here */
        bool view; /* the helper gets the command word and the --json and --color choices, after
                    * portinfo has opened the table (and warned about a damaged one) */
        bool json; /* another helper that reads --json: one given before the word reaches it */
};

static const struct subcommand subcommands[] = {
    {"search", "search [--json|--format FMT] TEXT", cmd_search, NULL, false, false},
    {"range", "range [--json|--format FMT] LO-HI", cmd_range, NULL, false, false},
    {"who", "who [--json|--format FMT] [-l] [--all-netns] [PORT[/PROTO] ...]", NULL, "portinfo-who",
     true, false},
    {"audit", "audit [--json|--format FMT] [--min-severity low|medium|high]", NULL, "portinfo-who",
     true, false},
    {"annotate", "annotate [--from KIND] [--json] [FILE ...]", NULL, "portinfo-annotate", false,
     true},
    {"serve", "serve [--listen ADDR:PORT] [--feedback DB]", NULL, "portinfo-serve", false, false},
    {"export", "export [--vote-url URL] [--site-name NAME] DIR", NULL, "portinfo-export", false,
     false},
    {"votes", "votes [--feedback DB] [--top N] [--json|--csv]", NULL, "portinfo-votes", false,
     true},
    {"update", "update FILE | --fetch [URL] | --rollback", NULL, "portinfo-update", false, false},
};

static const struct subcommand *find_subcommand(const char *word)
{
        for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
                if (strcmp(word, subcommands[i].name) == 0)
                        return &subcommands[i];
        return NULL;
}

static void print_usage(void)
{
        fputs(usage_head, stdout);
        for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
                printf("       portinfo %s\n", subcommands[i].usage);
        fputs(usage_tail, stdout);
}

/* What the command line asked for: the options before and among the operands, the operands. */
struct cmdline {
        struct opts o;
        bool help, version;
        char **rest; /* the command word and operands (argc + 1 slots) */
        int nrest;
};

enum { OPT_COLOR = 256, OPT_DATA_DIR, OPT_FORMAT };

/* --format's value into @o.  Returns 0, or -1 after reporting. */
static int read_format(struct opts *o, const char *v)
{
        o->table = false;
        o->json = strcmp(v, "json") == 0;
        if (o->json || strcmp(v, "text") == 0)
                return 0;
        if (table_parse_format(v, &o->tformat) == 0) {
                o->table = true;
                return 0;
        }
        fail("--format takes text, json, tsv or csv, not \"%.*s\"", MAX_ARG_LEN, v);
        return -1;
}

/* --color's value, as args_color reads it.  Returns 0, or -1 after reporting. */
static int read_color(struct args *a, const char *v, enum color_mode *ret)
{
        if (args_color(a, v, ret) == 0)
                return 0;
        fail("--color takes auto, always or never");
        return -1;
}

/* Appends argv[@from..@argc) to the operands untouched. */
static void keep_rest(struct cmdline *c, int argc, char **argv, int from)
{
        for (int i = from; i < argc; i++)
                c->rest[c->nrest++] = argv[i];
}

/* Reads the options and operands into @c.  Options count anywhere until a command word run by a
 * helper, whose arguments are its own.  Returns 0, or -1 after reporting. */
static int read_cmdline(int argc, char **argv, struct cmdline *c)
{
        static const struct option longs[] = {
            {"json", no_argument, NULL, 'j'},
            {"help", no_argument, NULL, 'h'},
            {"version", no_argument, NULL, 'V'},
            {"color", optional_argument, NULL, OPT_COLOR},
            {"colour", optional_argument, NULL, OPT_COLOR},
            {"data-dir", required_argument, NULL, OPT_DATA_DIR},
            {"format", required_argument, NULL, OPT_FORMAT},
            {NULL, 0, NULL, 0},
        };
        const struct subcommand *sc;
        struct args a;
        int k;

        args_init(&a, argc, argv, "jhV", longs, ARGS_NUMERIC_OPERANDS);
        while ((k = args_next(&a)) != ARGS_END) {
                const char *s = argv[a.at];

                switch (k) {
                case ARGS_OPERAND:
                        c->rest[c->nrest++] = (char *)a.arg;
                        sc = c->nrest == 1 ? find_subcommand(a.arg) : NULL;
                        if (sc)
                                diag_set_command(sc->name);
                        if (sc && sc->helper) {
                                keep_rest(c, argc, argv, a.next);
                                return 0;
                        }
                        break;
                case ARGS_DASHDASH:
                        keep_rest(c, argc, argv, a.next);
                        return 0;
                case 'j':
                        c->o.json = true;
                        c->o.table = false;
                        break;
                case OPT_FORMAT:
                        if (read_format(&c->o, a.arg) < 0)
                                return -1;
                        break;
                case 'h':
                        c->help = true;
                        break;
                case 'V':
                        c->version = true;
                        break;
                case OPT_COLOR:
                        if (read_color(&a, a.arg, &c->o.color) < 0)
                                return -1;
                        break;
                case OPT_DATA_DIR:
                        c->o.data_dir = a.arg;
                        break;
                case ARGS_MISSING:
                        fail(strncmp(s, "--format", 8) == 0
                                 ? "--format needs text, json, tsv or csv"
                                 : "--data-dir needs a directory");
                        return -1;
                default:
                        /* "--color" and "--colour" have always been read by their first
                         * letters: "--colors=never" too. */
                        if (strncmp(s, "--color", 7) == 0 || strncmp(s, "--colour", 8) == 0) {
                                const char *eq = strchr(s, '=');

                                if (read_color(&a, eq ? eq + 1 : NULL, &c->o.color) < 0)
                                        return -1;
                                break;
                        }
                        fail("unknown option \"%s\"; try 'portinfo --help'", s);
                        return -1;
                }
        }
        return 0;
}

/* Runs command word @sc's helper (annotate, serve, export, votes, update) with the arguments
 * after the word.  A --json before the word goes first to a helper that reads it; a --json or
 * --format the helper would not read is refused, never dropped in silence. */
static int run_helper(const struct subcommand *sc, const struct cmdline *c)
{
        _cleanup_free_ char **args = calloc((size_t)c->nrest + 1, sizeof(*args));
        int n = 0;

        if (!args) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        if (c->o.table || (c->o.json && !sc->json)) {
                fail("%s does not apply here; see 'portinfo %s --help'",
                     c->o.table ? "--format" : "--json", sc->name);
                return EXIT_TROUBLE;
        }
        /* A --data-dir given before the subcommand reaches the helper this way. */
        if (c->o.data_dir && setenv("PORTINFO_DATA_DIR", c->o.data_dir, 1) < 0) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        if (c->o.json)
                args[n++] = "--json";
        for (int i = 1; i < c->nrest; i++)
                args[n++] = c->rest[i];
        return exec_helper(sc->helper, n, args);
}

int cli_main(int argc, char **argv)
{
        _cleanup_free_ char **rest = calloc((size_t)argc + 1, sizeof(*rest));
        struct cmdline c = {.o = {.color = COLOR_AUTO}, .rest = rest};
        const struct subcommand *sc;
        struct portdb db;
        int ret;

        self_argv0 = argc > 0 ? argv[0] : NULL;
        if (!rest) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        if (read_cmdline(argc, argv, &c) < 0)
                return EXIT_TROUBLE;
        if (c.help) {
                print_usage();
                return EXIT_FOUND;
        }
        sc = c.nrest > 0 ? find_subcommand(c.rest[0]) : NULL;
        if (sc && sc->helper && !sc->view)
                return run_helper(sc, &c);
        if (sc && !sc->helper)
                diag_set_command(sc->name);
        open_db(&db, &c.o);
        if (!c.version)
                agewarn_maybe(&db, datadir_path(c.o.data_dir));
        if (c.version)
                ret = cmd_version(&db);
        else if (sc && sc->answer)
                ret = sc->answer(&db, &c.o, c.nrest - 1, c.rest + 1);
        else if (sc)
                ret = exec_who(&c.o, sc->helper, c.rest, c.nrest);
        else if (c.nrest == 1 && strcmp(c.rest[0], "-") == 0)
                ret = cmd_stdin(&db, &c.o);
        else
                ret = cmd_explain(&db, &c.o, c.nrest, c.rest);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                if (errno != EPIPE)
                        fail("writing output: %s", strerror(errno));
                return EXIT_TROUBLE;
        }
        return ret;
}

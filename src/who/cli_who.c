/* cli_who: `portinfo who` and `portinfo audit` from argv to exit status.
 *
 * Every operand is checked before anything runs, so bad input leaves stdout empty.  Like cli.c,
 * this is the only code of these commands that prints errors.
 */
#include "cli_who.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allow.h"
#include "args.h"
#include "audit.h"
#include "cleanup.h"
#include "diag.h"
#include "exitcodes.h"
#include "inspect.h"
#include "render_who_brief.h"
#include "render_who_json.h"
#include "render_who_prom.h"
#include "render_who_table.h"
#include "render_who_text.h"
#include "resolve.h"

#define fail(...) diag_err(__VA_ARGS__)

#define MAX_ALLOWLISTS 16
#define MAX_ARG_LEN    RESOLVE_MAX_ARG
#define PROM_MAX_BYTES (64u << 20) /* audit --format prometheus, all of it */

struct who_opts {
        bool json, prom, listeners_only, all_netns, help, partial_ok, brief;
        bool table; /* --format tsv or csv, in tformat */
        bool audit; /* the command is audit */
        enum table_format tformat;
        enum color_mode color;
        enum severity min;
        const char *allowlists[MAX_ALLOWLISTS];
        size_t n_allowlists;
};

static const char who_usage[] =
    "Usage: portinfo who [--json|--brief|--format FMT] [-l] [--all-netns]\n"
    "                    [PORT[/PROTO]|NAME ...]\n"
    "\n"
    "Lists the sockets on this machine whose local or remote port is one of PORT\n"
    "(TCP in every state, UDP; IPv4 and IPv6), with the processes holding them and\n"
    "the users they run as, how far they reach and what the port is known for.\n"
    "Without PORT: every listening socket, as ss -tulpn.  PROTO is tcp or udp\n"
    "(default: both).  A socket's owner is the user that created it; when a holder\n"
    "runs as someone else (a server that dropped privileges) it says \"socket owner\".\n"
    "\n"
    "Options:\n"
    "  -j, --json            print JSON (the shape is documented in portinfo(1))\n"
    "      --brief           one line per socket, as ss: protocol, state, local and\n"
    "                        peer address, process/pid, user, the port's name\n"
    "      --format FMT      text (default), json, tsv or csv\n"
    "  -l                    listening sockets only\n"
    "      --all-netns       look in every network namespace a process uses (root)\n"
    "      --color=WHEN      auto (default), always or never; honours NO_COLOR\n"
    "  -h, --help            show this help\n"
    "\n"
    "Run as root to see the processes of other users.\n"
    "Exit status: 0 found, 1 nothing found, 2 bad input or trouble.\n";

static const char audit_usage[] =
    "Usage: portinfo audit [--json | --format FORMAT] [--min-severity SEVERITY]\n"
    "                      [--allowlist FILE] [--all-netns] [--partial-ok]\n"
    "\n"
    "Judges every listening socket: programs deleted or running from temporary or\n"
    "hidden directories (high), ports known only from malware (medium), listeners\n"
    "exposed on unassigned ports or without a visible owner (low).  Listeners named\n"
    "in /etc/portinfo/allow or ~/.config/portinfo/allow are not reported; one entry\n"
    "a line: PORT[/PROTO] EXECUTABLE [RULE,...], where PORT may be LO-HI or * and\n"
    "EXECUTABLE a glob or *.\n"
    "\n"
    "Options:\n"
    "  -j, --json            print JSON (the shape is documented in portinfo(1))\n"
    "      --format F        text (default), json, tsv, csv or prometheus (gauges\n"
    "                        for node_exporter's textfile collector)\n"
    "      --min-severity S  report findings of S or above: low, medium (default),\n"
    "                        high\n"
    "      --allowlist FILE  read this allowlist instead of the usual ones\n"
    "                        (repeatable)\n"
    "      --all-netns       look in every network namespace a process uses (root)\n"
    "      --partial-ok      exit 0 or 1 even when the audit is incomplete\n"
    "      --color=WHEN      auto (default), always or never; honours NO_COLOR\n"
    "  -h, --help            show this help\n"
    "\n"
    "An audit that cannot read every process (another user's are hidden unless it\n"
    "runs as root, or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH) or enter every\n"
    "namespace says \"incomplete\" and exits 2: a hidden holder cannot be judged.\n"
    "Exit status: 0 clean, 1 findings at or above the threshold, 2 incomplete, bad\n"
    "input or trouble.\n";

enum {
        OPT_ALL_NETNS = 256,
        OPT_COLOR,
        OPT_FORMAT,
        OPT_MIN_SEVERITY,
        OPT_ALLOWLIST,
        OPT_PARTIAL_OK,
        OPT_BRIEF,
};

static const struct option who_longs[] = {
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {"all-netns", no_argument, NULL, OPT_ALL_NETNS},
    {"color", optional_argument, NULL, OPT_COLOR},
    {"colour", optional_argument, NULL, OPT_COLOR},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"brief", no_argument, NULL, OPT_BRIEF},
    {NULL, 0, NULL, 0},
};

static const struct option audit_longs[] = {
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {"all-netns", no_argument, NULL, OPT_ALL_NETNS},
    {"color", optional_argument, NULL, OPT_COLOR},
    {"colour", optional_argument, NULL, OPT_COLOR},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"min-severity", required_argument, NULL, OPT_MIN_SEVERITY},
    {"allowlist", required_argument, NULL, OPT_ALLOWLIST},
    {"partial-ok", no_argument, NULL, OPT_PARTIAL_OK},
    {NULL, 0, NULL, 0},
};

/* --color's value, as args_color reads it.  Returns 0, or -1 after reporting. */
static int read_color(struct args *a, const char *v, enum color_mode *ret)
{
        if (args_color(a, v, ret) == 0)
                return 0;
        fail("--color takes auto, always or never");
        return -1;
}

/* Takes option @k's value @v (audit's options with values).  Returns 0 or -1 after reporting. */
static int take_value(struct who_opts *o, int k, const char *v)
{
        switch (k) {
        case OPT_FORMAT:
                o->json = strcmp(v, "json") == 0;
                o->prom = o->audit && strcmp(v, "prometheus") == 0;
                o->table = table_parse_format(v, &o->tformat) == 0;
                if (!o->json && !o->prom && !o->table && strcmp(v, "text") != 0) {
                        fail("--format takes text, json, tsv, csv%s, not \"%.*s\"",
                             o->audit ? " or prometheus" : "", MAX_ARG_LEN, v);
                        return -1;
                }
                return 0;
        case OPT_MIN_SEVERITY:
                if (audit_parse_severity(v, &o->min) < 0) {
                        fail("--min-severity takes low, medium or high, not \"%.*s\"", MAX_ARG_LEN,
                             v);
                        return -1;
                }
                return 0;
        default: /* OPT_ALLOWLIST */
                if (o->n_allowlists == MAX_ALLOWLISTS) {
                        fail("at most %d allowlists", MAX_ALLOWLISTS);
                        return -1;
                }
                o->allowlists[o->n_allowlists++] = v;
                return 0;
        }
}

/* Reads the options of @cmd from @argv (@argc of them, argv[0] the command word) in order, and
 * the operands into @ops.  Returns the number of operands, or -1 after reporting. */
static int parse_options(const char *cmd, struct who_opts *o, int argc, char **argv, char **ops)
{
        bool audit = o->audit = strcmp(cmd, "audit") == 0;
        struct args a;
        int n = 0, k;

        args_init(&a, argc, argv, audit ? "jh" : "jhl", audit ? audit_longs : who_longs,
                  ARGS_NUMERIC_OPERANDS);
        while ((k = args_next(&a)) != ARGS_END) {
                switch (k) {
                case ARGS_OPERAND:
                        ops[n++] = (char *)a.arg;
                        break;
                case ARGS_DASHDASH:
                        for (int i = a.next; i < argc; i++)
                                ops[n++] = argv[i];
                        return n;
                case 'j':
                        o->json = true;
                        o->prom = o->table = false;
                        break;
                case 'h':
                        o->help = true;
                        break;
                case 'l':
                        o->listeners_only = true;
                        break;
                case OPT_ALL_NETNS:
                        o->all_netns = true;
                        break;
                case OPT_PARTIAL_OK:
                        o->partial_ok = true;
                        break;
                case OPT_BRIEF:
                        o->brief = true;
                        break;
                case OPT_COLOR:
                        if (read_color(&a, a.arg, &o->color) < 0)
                                return -1;
                        break;
                case ARGS_MISSING:
                        fail("%.*s needs a value", (int)strcspn(argv[a.at], "="), argv[a.at]);
                        return -1;
                case ARGS_UNKNOWN:
                        fail("unknown option \"%.*s\"; try 'portinfo %s --help'", MAX_ARG_LEN,
                             argv[a.at], cmd);
                        return -1;
                default:
                        if (take_value(o, k, a.arg) < 0)
                                return -1;
                }
        }
        return n;
}

/* Says why operand @arg did not resolve (@r, @why from resolve_arg). */
static void report_unresolved(const char *arg, int r, const struct resolve_why *why)
{
        int len = (int)why->name_len;

        if (r == -EPROTONOSUPPORT || (r == -EOPNOTSUPP && why->named))
                fail("\"%s\": unknown protocol (use tcp or udp)", arg);
        else if (r == -EOPNOTSUPP)
                fail("\"%s\": who lists TCP and UDP sockets only", arg);
        else if (r == -E2BIG)
                fail("too many ports (at most %d)", INSPECT_MAX_SPECS);
        else if (r == -ENOENT)
                fail("no IANA service is named \"%.*s\"; try 'portinfo search %.*s'", len, arg, len,
                     arg);
        else if (r == -ENODATA || r == -ENOPROTOOPT)
                fail("\"%s\" is not a port (0-65535) or the name of a TCP or UDP service", arg);
        else
                fail("\"%s\" is not a port (0-65535)", arg);
}

/* Resolves the operands of `who` into specs: ports ("22", "53/udp") or IANA service names
 * ("ssh", "domain/udp", "3com-tsmux"), as portinfo itself resolves them, for TCP and UDP.
 * Returns the number of specs, or -1 after reporting. */
static int resolve(const struct portdb *db, int argc, char **argv, struct inspect_spec *v)
{
        _cleanup_free_ struct resolve_port *ports = calloc(INSPECT_MAX_SPECS, sizeof(*ports));
        size_t n = 0;

        if (!ports) {
                fail("out of memory");
                return -1;
        }
        for (int i = 0; i < argc; i++) {
                const char *arg = argv[i];
                struct resolve_why why;
                int r;

                if (arg[0] == '\0') {
                        fail("empty argument: give a port (0-65535)");
                        return -1;
                }
                if (strlen(arg) > MAX_ARG_LEN) {
                        fail("argument longer than %d characters", MAX_ARG_LEN);
                        return -1;
                }
                r = resolve_arg(db, arg, PROTO_MASK_TCP_UDP, ports, &n, INSPECT_MAX_SPECS, &why);
                if (r < 0) {
                        report_unresolved(arg, r, &why);
                        return -1;
                }
        }
        for (size_t i = 0; i < n; i++)
                v[i] = (struct inspect_spec){ports[i].port, ports[i].protos};
        return (int)n;
}

static void emit_json(json_t *j)
{
        if (!j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
                fail("out of memory");
                json_decref(j);
                return;
        }
        fputc('\n', stdout);
        json_decref(j);
}

static int report_inspect_error(int r)
{
        if (r == -ENOMEM)
                fail("out of memory");
        else if (r == -E2BIG)
                fail("too many sockets or processes to list");
        else if (r == -ENOTRECOVERABLE)
                fail("could not return to this process's network namespace");
        else
                fail("cannot read the socket table: %s", strerror(-r));
        return EXIT_TROUBLE;
}

/* "No socket on this machine uses port 22 or 53/udp." */
static void say_none(int argc, char **argv, bool listeners_only)
{
        fputs(listeners_only ? "Nothing on this machine listens on "
                             : "No socket on this machine uses ",
              stdout);
        fputs(argc == 1 ? "port " : "ports ", stdout);
        for (int i = 0; i < argc; i++)
                printf("%s%s", i == 0 ? "" : i + 1 == argc ? " or " : ", ", argv[i]);
        puts(".");
}

static int cmd_who(const struct portdb *db, const struct who_opts *o, int argc, char **argv)
{
        _cleanup_free_ struct inspect_spec *specs = calloc(INSPECT_MAX_SPECS, sizeof(*specs));
        struct inspect_request req = {.listeners_only = o->listeners_only,
                                      .all_netns = o->all_netns};
        struct inspect_report rep;
        int n, r, ret;

        if (!specs) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        if (o->brief && o->json) {
                diag("portinfo who", "--brief is a text face; it does not go with --json");
                return EXIT_TROUBLE;
        }
        n = resolve(db, argc, argv, specs);
        if (n < 0)
                return EXIT_TROUBLE;
        req.specs = specs;
        req.n_specs = (size_t)n;
        r = inspect_run(&req, &rep);
        if (r < 0) {
                inspect_done(&rep);
                return report_inspect_error(r);
        }
        if (o->table) {
                json_t *j = render_who_json(db, &rep);
                struct table tb = {stdout, o->tformat};

                render_who_table(&tb, j);
                json_decref(j);
        } else if (o->json) {
                emit_json(render_who_json(db, &rep));
        } else if (rep.n == 0) {
                if (n == 0)
                        puts("No listening sockets.");
                else
                        say_none(argc, argv, o->listeners_only);
        } else {
                struct term t;

                term_init(&t, stdout, o->color);
                if (!o->brief)
                        render_who_text(&t, db, &rep);
                else if (render_who_brief(&t, db, &rep) < 0) {
                        inspect_done(&rep);
                        fail("out of memory");
                        return EXIT_TROUBLE;
                }
        }
        ret = rep.n > 0 ? EXIT_FOUND : EXIT_NOTHING;
        inspect_done(&rep);
        return ret;
}

/* The allowlists: those given, or /etc/portinfo/allow and the user's. */
static int load_allowlists(const struct who_opts *o, struct allowlist *a)
{
        const char *paths[MAX_ALLOWLISTS + 2];
        char user[4096];
        size_t n = 0;
        bool given = o->n_allowlists > 0;

        if (given) {
                for (size_t i = 0; i < o->n_allowlists; i++)
                        paths[n++] = o->allowlists[i];
        } else {
                const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

                paths[n++] = ALLOW_SYSTEM;
                if (xdg && xdg[0] == '/' &&
                    (size_t)snprintf(user, sizeof(user), "%s/%s", xdg, ALLOW_USER) < sizeof(user))
                        paths[n++] = user;
                else if (home && home[0] == '/' &&
                         (size_t)snprintf(user, sizeof(user), "%s/.config/%s", home, ALLOW_USER) <
                             sizeof(user))
                        paths[n++] = user;
        }
        for (size_t i = 0; i < n; i++) {
                struct allow_error err = {paths[i], 0, ""};
                int r = allow_load(a, paths[i], audit_rule_ids, &err);

                if (r >= 0 || (r == -ENOENT && !given))
                        continue;
                if (r == -EINVAL && err.line)
                        fail("%s:%u: %s", err.source, err.line, err.why);
                else if (r == -EINVAL)
                        fail("%s: %s", err.source, err.why);
                else if (r == -E2BIG)
                        fail("%s: larger than %u bytes", paths[i], ALLOW_MAX_FILE);
                else if (!given && (r == -EACCES || r == -EPERM)) {
                        /* Not ours to read: report everything rather than fail. */
                        diag_warn("%s: %s; not applied", paths[i], strerror(-r));
                        continue;
                } else
                        fail("%s: %s", paths[i], strerror(-r));
                return -1;
        }
        return 0;
}

/* Writes the audit in Prometheus's text format to stdout, all at once: on failure nothing is
 * written.  Returns 0 or -1 after reporting. */
static int emit_prom(const struct inspect_report *rep, const struct audit_report *a,
                     enum severity min)
{
        struct buf b;
        int r;

        buf_init(&b, PROM_MAX_BYTES);
        r = render_audit_prom(&b, rep, a, min, (long long)time(NULL));
        if (r == 0 && b.len && (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout)))
                r = errno ? -errno : -EIO;
        buf_done(&b);
        if (r == -E2BIG)
                fail("the metrics would exceed %u MiB", PROM_MAX_BYTES >> 20);
        else if (r < 0)
                fail("cannot write the metrics: %s", strerror(-r));
        return r < 0 ? -1 : 0;
}

/* The one line on stderr of an incomplete audit: what was hidden, and the way out. */
static void say_incomplete(const struct audit_report *a)
{
        char unseen[256];

        render_audit_unseen(a, unseen, sizeof(unseen));
        fail("incomplete audit (%s); run it as root, or pass --partial-ok", unseen);
}

static int cmd_audit(const struct portdb *db, const struct who_opts *o, int argc)
{
        struct inspect_request req = {.all_netns = o->all_netns};
        struct allowlist allow = {0};
        struct inspect_report rep;
        struct audit_report a;
        bool complete;
        size_t shown;
        int r;

        if (argc > 0) {
                fail("audit takes no operands; it judges every listener");
                return EXIT_TROUBLE;
        }
        if (load_allowlists(o, &allow) < 0) {
                allow_done(&allow);
                return EXIT_TROUBLE;
        }
        r = inspect_run(&req, &rep);
        if (r < 0) {
                inspect_done(&rep);
                allow_done(&allow);
                return report_inspect_error(r);
        }
        r = audit_run(&rep, db, &allow, o->min, &a);
        if (r < 0) {
                inspect_done(&rep);
                allow_done(&allow);
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        if (o->prom) {
                if (emit_prom(&rep, &a, o->min) < 0) {
                        audit_done(&a);
                        inspect_done(&rep);
                        allow_done(&allow);
                        return EXIT_TROUBLE;
                }
        } else if (o->table) {
                json_t *j = render_audit_json(db, &rep, &a, o->min);
                struct table tb = {stdout, o->tformat};

                render_audit_table(&tb, j);
                json_decref(j);
        } else if (o->json) {
                emit_json(render_audit_json(db, &rep, &a, o->min));
        } else {
                struct term t;

                term_init(&t, stdout, o->color);
                render_audit_text(&t, &rep, &a, o->min);
        }
        shown = a.counts[SEV_LOW] + a.counts[SEV_MEDIUM] + a.counts[SEV_HIGH];
        complete = a.complete;
        if (!complete && !o->partial_ok)
                say_incomplete(&a);
        audit_done(&a);
        inspect_done(&rep);
        allow_done(&allow);
        if (!complete && !o->partial_ok)
                return EXIT_TROUBLE;
        return shown ? EXIT_NOTHING : EXIT_FOUND;
}

int cli_who_main(const struct portdb *db, const char *cmd, bool json, enum color_mode color,
                 int argc, char **argv)
{
        struct who_opts o = {.json = json, .color = color, .min = SEV_MEDIUM};
        _cleanup_free_ char **args = calloc((size_t)argc + 2, sizeof(*args));
        _cleanup_free_ char **ops = calloc((size_t)argc + 1, sizeof(*ops));
        int n;

        if (!args || !ops) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        /* getopt_long reads from argv[1]: the command word stands in argv[0]'s place. */
        args[0] = (char *)cmd;
        for (int i = 0; i < argc; i++)
                args[i + 1] = argv[i];
        n = parse_options(cmd, &o, argc + 1, args, ops);
        if (n < 0)
                return EXIT_TROUBLE;
        if (o.help) {
                fputs(strcmp(cmd, "audit") == 0 ? audit_usage : who_usage, stdout);
                return EXIT_FOUND;
        }
        if (strcmp(cmd, "audit") == 0)
                return cmd_audit(db, &o, n);
        return cmd_who(db, &o, n, ops);
}

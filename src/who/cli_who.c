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
#include "audit.h"
#include "inspect.h"
#include "parse.h"
#include "render_who.h"
#include "diag.h"

#define fail(...) diag("portinfo", __VA_ARGS__)

enum { EXIT_FOUND = 0, EXIT_NOTHING = 1, EXIT_TROUBLE = 2 };

#define MAX_ALLOWLISTS 16
#define MAX_ARG_LEN    256
#define PROM_MAX_BYTES (64u << 20) /* audit --format prometheus, all of it */

struct who_opts {
        bool json, prom, listeners_only, all_netns, help;
        enum color_mode color;
        enum severity min;
        const char *allowlists[MAX_ALLOWLISTS];
        size_t n_allowlists;
};

static const char who_usage[] =
    "Usage: portinfo who [--json] [-l] [--all-netns] [PORT[/PROTO]|NAME ...]\n"
    "\n"
    "Lists the sockets on this machine whose local or remote port is one of PORT (TCP in\n"
    "every state, UDP; IPv4 and IPv6), with the processes holding them, their users, how\n"
    "far they reach and what the port is known for.  Without PORT: every listening socket,\n"
    "as ss -tulpn.  PROTO is tcp or udp (default: both).\n"
    "\n"
    "Options:\n"
    "  -j, --json            print JSON (the shape is documented in portinfo(1))\n"
    "  -l                    listening sockets only\n"
    "      --all-netns       look in every network namespace a process uses (root)\n"
    "      --color=WHEN      auto (default), always or never; honours NO_COLOR\n"
    "\n"
    "Run as root to see the processes of other users.\n"
    "Exit status: 0 found, 1 nothing found, 2 bad input or trouble.\n";

static const char audit_usage[] =
    "Usage: portinfo audit [--json | --format FORMAT] [--min-severity low|medium|high]\n"
    "                      [--allowlist FILE]\n"
    "\n"
    "Judges every listening socket: programs deleted or running from temporary or hidden\n"
    "directories (high), ports known only from malware (medium), listeners exposed on\n"
    "unassigned ports or without a visible owner (low).  Listeners named in\n"
    "/etc/portinfo/allow or ~/.config/portinfo/allow are not reported; one entry a line:\n"
    "PORT[/PROTO] EXECUTABLE [RULE,...], where PORT may be LO-HI or * and EXECUTABLE a\n"
    "glob or *.\n"
    "\n"
    "Options:\n"
    "  -j, --json            print JSON (the shape is documented in portinfo(1))\n"
    "      --format F        text (default), json, or prometheus: listeners and findings as\n"
    "                        gauges for node_exporter's textfile collector\n"
    "      --min-severity S  report findings of severity S or above (default: medium)\n"
    "      --allowlist FILE  read this allowlist instead of the usual ones (repeatable)\n"
    "      --all-netns       look in every network namespace a process uses (root)\n"
    "      --color=WHEN      auto (default), always or never; honours NO_COLOR\n"
    "\n"
    "Exit status: 0 clean, 1 findings at or above the threshold, 2 bad input or trouble.\n";

/* The value of "--name=value" or "--name value"; NULL (after reporting) when missing. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
        const char *a = argv[*i];
        size_t n = strlen(name);

        if (a[n] == '=')
                return a + n + 1;
        if (*i + 1 < argc)
                return argv[++*i];
        fail("%s needs a value", name);
        return NULL;
}

static bool is_option(const char *a, const char *name)
{
        size_t n = strlen(name);

        return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* Parses the options; moves operands to the front of @argv.  Returns their number or -1. */
static int parse_options(const char *cmd, struct who_opts *o, int argc, char **argv)
{
        bool audit = strcmp(cmd, "audit") == 0, dashdash = false;
        int n = 0;

        for (int i = 0; i < argc; i++) {
                const char *a = argv[i], *v;

                if (dashdash || a[0] != '-' || a[1] == '\0' || (a[1] >= '0' && a[1] <= '9')) {
                        argv[n++] = argv[i];
                } else if (strcmp(a, "--") == 0) {
                        dashdash = true;
                } else if (strcmp(a, "--json") == 0 || strcmp(a, "-j") == 0) {
                        o->json = true;
                        o->prom = false;
                } else if (audit && is_option(a, "--format")) {
                        v = option_value(argc, argv, &i, "--format");
                        if (!v)
                                return -1;
                        o->json = strcmp(v, "json") == 0;
                        o->prom = strcmp(v, "prometheus") == 0;
                        if (!o->json && !o->prom && strcmp(v, "text") != 0) {
                                fail("--format takes text, json or prometheus, not \"%.*s\"",
                                     MAX_ARG_LEN, v);
                                return -1;
                        }
                } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        o->help = true;
                } else if (!audit && strcmp(a, "-l") == 0) {
                        o->listeners_only = true;
                } else if (strcmp(a, "--all-netns") == 0) {
                        o->all_netns = true;
                } else if (is_option(a, "--color") || is_option(a, "--colour")) {
                        v = strchr(a, '=');
                        if (!v && i + 1 < argc &&
                            (strcmp(argv[i + 1], "auto") == 0 ||
                             strcmp(argv[i + 1], "always") == 0 ||
                             strcmp(argv[i + 1], "never") == 0))
                                v = argv[++i] - 1;
                        if (!v || strcmp(v + 1, "auto") == 0)
                                o->color = COLOR_AUTO;
                        else if (strcmp(v + 1, "always") == 0)
                                o->color = COLOR_ALWAYS;
                        else if (strcmp(v + 1, "never") == 0)
                                o->color = COLOR_NEVER;
                        else {
                                fail("--color takes auto, always or never");
                                return -1;
                        }
                } else if (audit && is_option(a, "--min-severity")) {
                        v = option_value(argc, argv, &i, "--min-severity");
                        if (!v)
                                return -1;
                        if (audit_parse_severity(v, &o->min) < 0) {
                                fail("--min-severity takes low, medium or high, not \"%.*s\"",
                                     MAX_ARG_LEN, v);
                                return -1;
                        }
                } else if (audit && is_option(a, "--allowlist")) {
                        v = option_value(argc, argv, &i, "--allowlist");
                        if (!v)
                                return -1;
                        if (o->n_allowlists == MAX_ALLOWLISTS) {
                                fail("at most %d allowlists", MAX_ALLOWLISTS);
                                return -1;
                        }
                        o->allowlists[o->n_allowlists++] = v;
                } else {
                        fail("%s: unknown option \"%.*s\"; try 'portinfo %s --help'", cmd,
                             MAX_ARG_LEN, a, cmd);
                        return -1;
                }
        }
        return n;
}

/* Resolves the operands of `who` into specs: ports ("22", "53/udp") or IANA service names
 * ("ssh", "domain/udp").  Returns the number of specs, or -1 after reporting. */
static int resolve(const struct portdb *db, int argc, char **argv, struct inspect_spec *v)
{
        size_t n = 0;

        for (int i = 0; i < argc; i++) {
                const char *arg = argv[i];
                uint16_t port;
                unsigned protos;
                int r;

                if (arg[0] == '\0') {
                        fail("empty argument: give a port (0-65535)");
                        return -1;
                }
                if (strlen(arg) > MAX_ARG_LEN) {
                        fail("argument longer than %d characters", MAX_ARG_LEN);
                        return -1;
                }
                if (parse_looks_numeric(arg)) {
                        r = parse_port_spec(arg, &port, &protos);
                        if (r == -EPROTONOSUPPORT) {
                                fail("\"%s\": unknown protocol (use tcp or udp)", arg);
                                return -1;
                        }
                        if (r < 0) {
                                fail("\"%s\" is not a port (0-65535)", arg);
                                return -1;
                        }
                        if (!(protos & PROTO_MASK_TCP_UDP)) {
                                fail("\"%s\": who lists TCP and UDP sockets only", arg);
                                return -1;
                        }
                        if (n == INSPECT_MAX_SPECS) {
                                fail("too many ports (at most %d)", INSPECT_MAX_SPECS);
                                return -1;
                        }
                        v[n++] = (struct inspect_spec){port, protos & PROTO_MASK_TCP_UDP};
                        continue;
                }
                {
                        char name[MAX_ARG_LEN + 1];
                        const char *slash = strchr(arg, '/');
                        unsigned want = PROTO_MASK_TCP_UDP;
                        uint32_t first;
                        size_t count, added = 0;

                        snprintf(name, sizeof(name), "%.*s",
                                 slash ? (int)(slash - arg) : (int)strlen(arg), arg);
                        if (slash) {
                                enum proto p;

                                if (parse_proto(slash + 1, &p) < 0 ||
                                    !(PROTO_BIT(p) & PROTO_MASK_TCP_UDP)) {
                                        fail("\"%s\": unknown protocol (use tcp or udp)", arg);
                                        return -1;
                                }
                                want = PROTO_BIT(p);
                        }
                        count = portdb_find_name(db, name, &first);
                        for (size_t k = 0; k < count; k++) {
                                const struct portdb_iana *e = &db->iana[db->names[first + k]];
                                unsigned bit = e->proto == PROTO_NONE ? PROTO_MASK_TCP_UDP
                                                                      : PROTO_BIT(e->proto);

                                if ((e->flags & PORTDB_F_NOPORT) || !(bit & want))
                                        continue;
                                if (n == INSPECT_MAX_SPECS) {
                                        fail("too many ports (at most %d)", INSPECT_MAX_SPECS);
                                        return -1;
                                }
                                v[n++] = (struct inspect_spec){e->lo, bit & want};
                                added++;
                        }
                        if (added == 0) {
                                fail("\"%s\" is not a port (0-65535) or the name of a TCP or UDP "
                                     "service",
                                     arg);
                                return -1;
                        }
                }
        }
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
        struct inspect_spec *specs = calloc(INSPECT_MAX_SPECS, sizeof(*specs));
        struct inspect_request req = {.listeners_only = o->listeners_only,
                                      .all_netns = o->all_netns};
        struct inspect_report rep;
        int n, r, ret;

        if (!specs) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        n = resolve(db, argc, argv, specs);
        if (n < 0) {
                free(specs);
                return EXIT_TROUBLE;
        }
        req.specs = specs;
        req.n_specs = (size_t)n;
        r = inspect_run(&req, &rep);
        if (r < 0) {
                inspect_done(&rep);
                free(specs);
                return report_inspect_error(r);
        }
        if (o->json) {
                emit_json(render_who_json(db, &rep));
        } else if (rep.n == 0) {
                if (n == 0)
                        puts("No listening sockets.");
                else
                        say_none(argc, argv, o->listeners_only);
        } else {
                struct term t;

                term_init(&t, stdout, o->color);
                render_who_text(&t, db, &rep);
        }
        ret = rep.n > 0 ? EXIT_FOUND : EXIT_NOTHING;
        inspect_done(&rep);
        free(specs);
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
                        fprintf(stderr, "portinfo: warning: %s: %s; not applied\n", paths[i],
                                strerror(-r));
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

static int cmd_audit(const struct portdb *db, const struct who_opts *o, int argc)
{
        struct inspect_request req = {.all_netns = o->all_netns};
        struct allowlist allow = {0};
        struct inspect_report rep;
        struct audit_report a;
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
        } else if (o->json) {
                emit_json(render_audit_json(db, &rep, &a, o->min));
        } else {
                struct term t;

                term_init(&t, stdout, o->color);
                render_audit_text(&t, &rep, &a, o->min);
        }
        shown = a.counts[SEV_LOW] + a.counts[SEV_MEDIUM] + a.counts[SEV_HIGH];
        audit_done(&a);
        inspect_done(&rep);
        allow_done(&allow);
        return shown ? EXIT_NOTHING : EXIT_FOUND;
}

int cli_who_main(const struct portdb *db, const char *cmd, bool json, enum color_mode color,
                 int argc, char **argv)
{
        struct who_opts o = {.json = json, .color = color, .min = SEV_MEDIUM};
        int n = parse_options(cmd, &o, argc, argv);

        if (n < 0)
                return EXIT_TROUBLE;
        if (o.help) {
                fputs(strcmp(cmd, "audit") == 0 ? audit_usage : who_usage, stdout);
                return EXIT_FOUND;
        }
        if (strcmp(cmd, "audit") == 0)
                return cmd_audit(db, &o, n);
        return cmd_who(db, &o, n, argv);
}

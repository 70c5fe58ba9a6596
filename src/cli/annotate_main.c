/* portinfo-annotate: `portinfo annotate`, what the ports in other tools' output are.
 *
 * A helper so that libxml2 (nmap -oX) stays off portinfo's own link line.  Reads every input
 * whole (bounded) before printing, so that trouble with any of them leaves stdout empty.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate_detect.h"
#include "annotate_parse.h"
#include "annotate_xml.h"
#include "answer.h"
#include "args.h"
#include "datadir.h"
#include "diag.h"
#include "exitcodes.h"
#include "render_json.h"
#include "term.h"

#define fail(...) diag_err(__VA_ARGS__)

#define MAX_INPUTS 64

static const char usage[] =
    "Usage: portinfo annotate [--from KIND] [--json] [--data-dir DIR] [FILE ...]\n"
    "\n"
    "Reads the output of ss, netstat, lsof or nmap (standard input without FILE)\n"
    "and adds what each port is.  Text: every line as it was, a socket's line with\n"
    "\"  # PORT/PROTO SERVICE: DESCRIPTION\" appended; nmap -oG: a line per port.\n"
    "The port explained is a listener's own, a connection's lower one.\n"
    "\n"
    "Options:\n"
    "      --from KIND       ss, netstat, netstat-windows, lsof, nmap-grep or\n"
    "                        nmap-xml (default: recognised from the headers)\n"
    "  -j, --json            a JSON array: a socket or scanned port an object, with\n"
    "                        the fields of portinfo --json PORT\n"
    "      --data-dir DIR    where an imported registry is kept (PORTINFO_DATA_DIR)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Lines longer than 64 KiB and lines that do not parse are passed through\n"
    "unannotated (left out of JSON); an input may be up to 64 MiB.\n"
    "Exit status: 0 a port annotated, 1 none, 2 bad input or trouble.\n";

struct input {
        const char *name; /* "standard input" or the file's path */
        char *text;
        size_t len;
        enum annotate_from from;
};

struct out {
        const struct portdb *db;
        const struct input *in;
        bool json;
        json_t *array;
        struct term term;
        size_t annotated, unread;
        unsigned long line;
        bool cr; /* the line being annotated ended in CR LF (Windows): so does its annotation */
};

/* Ends an output line as the input line ended. */
static void end_line(const struct out *o)
{
        fputs(o->cr ? "\r\n" : "\n", stdout);
}

/* Reads @f whole into @in (at most ANNOTATE_MAX_INPUT bytes).  Returns 0, or -1 after
 * reporting. */
static int read_input(FILE *f, struct input *in)
{
        size_t cap = 0;

        for (;;) {
                size_t k;

                if (in->len == cap) {
                        char *t;

                        if (cap >= ANNOTATE_MAX_INPUT) {
                                fail("%s: larger than %u MiB", in->name, ANNOTATE_MAX_INPUT >> 20);
                                return -1;
                        }
                        cap = cap ? cap * 2 : 65536;
                        t = realloc(in->text, cap + 1);
                        if (!t) {
                                fail("out of memory");
                                return -1;
                        }
                        in->text = t;
                }
                k = fread(in->text + in->len, 1, cap - in->len, f);
                in->len += k;
                if (k == 0)
                        break;
        }
        if (ferror(f)) {
                fail("%s: %s", in->name, strerror(errno));
                return -1;
        }
        in->text[in->len] = '\0';
        return 0;
}

/* The port a record is explained by: a listener's local port; for a connection, the lower of
 * its two ports (the service's: the other is almost always one the system handed out).
 * Returns -1 when there is none. */
static int chosen_port(const struct annotate_rec *r, bool *ret_remote)
{
        *ret_remote = false;
        if (r->remote_port > 0 && (r->local_port < 0 || r->remote_port < r->local_port)) {
                *ret_remote = true;
                return r->remote_port;
        }
        return r->local_port;
}

static unsigned proto_bit(const struct annotate_rec *r)
{
        return strcmp(r->proto, "udp") == 0 ? PROTO_BIT(PROTO_UDP) : PROTO_BIT(PROTO_TCP);
}

/* "  # 22/tcp ssh: The Secure Shell (SSH) Protocol" for port @port of @r ("  # 2024/tcp
 * xinuexpansion4" for an entry without a description). */
static void explanation(struct out *o, const struct annotate_rec *r, int port)
{
        struct answer a;
        const struct term *t = &o->term;

        answer_build(&a, o->db, (uint16_t)port, proto_bit(r));
        printf("  # %d/%s ", port, r->proto);
        if (a.service_entry) {
                const char *desc = portdb_str(o->db, a.service_entry->description);

                term_puts(t, portdb_str(o->db, a.service_entry->service), false);
                if (desc[0]) { /* some entries name a service and describe nothing */
                        fputs(": ", stdout);
                        term_puts(t, desc, false);
                }
        } else {
                printf("%s port, %s by IANA", portdb_tier_name(a.tier),
                       a.status == PORT_RESERVED ? "reserved" : "not assigned");
        }
        for (size_t i = 0, shown = 0; i < a.n_uses_all && !a.service_entry; i++) {
                if (!answer_has_use(&a, &a.uses[i]))
                        continue;
                if (shown++ == 3) {
                        printf(" and %zu more", a.n_uses - 3);
                        break;
                }
                fputs(shown == 1 ? "; reported: " : ", ", stdout);
                term_puts(t, portdb_str(o->db, a.uses[i].name), false);
                printf(" (%s)", portdb_kind_name(a.uses[i].kind));
        }
        end_line(o);
}

static json_t *str_or_null(const char *s)
{
        return s[0] ? json_string(s) : json_null();
}

static json_t *port_or_null(int p)
{
        return p >= 0 ? json_integer(p) : json_null();
}

/* The JSON object of @r: the explain object of its port, with the socket's fields. */
static json_t *record_json(struct out *o, const struct annotate_rec *r, int port, bool remote)
{
        json_t *j = render_json_port(o->db, (uint16_t)port, proto_bit(r));

        if (!j)
                return NULL;
        json_object_set_new(j, "source", json_string(annotate_from_name(o->in->from)));
        json_object_set_new(j, "input", json_string(o->in->name));
        json_object_set_new(j, "line", o->line ? json_integer((json_int_t)o->line) : json_null());
        json_object_set_new(j, "protocol", json_string(r->proto));
        json_object_set_new(j, "local_address", str_or_null(r->local_addr));
        json_object_set_new(j, "local_port", port_or_null(r->local_port));
        json_object_set_new(j, "remote_address", str_or_null(r->remote_addr));
        json_object_set_new(j, "remote_port", port_or_null(r->remote_port));
        json_object_set_new(j, "state", str_or_null(r->state));
        json_object_set_new(j, "process", str_or_null(r->process));
        json_object_set_new(j, "reported_service", str_or_null(r->service));
        json_object_set_new(j, "explained", json_string(remote ? "remote" : "local"));
        return j;
}

/* One record: its explanation (text) or object (JSON).  Returns whether it had a port. */
static bool emit_one(struct out *o, const struct annotate_rec *r)
{
        bool remote;
        int port = chosen_port(r, &remote);

        if (port < 0)
                return false;
        o->annotated++;
        if (o->json) {
                json_array_append_new(o->array, record_json(o, r, port, remote));
                return true;
        }
        if (o->in->from == FROM_NMAP_XML) {
                fputs(r->local_addr, stdout);
                printf(" %d/%s %s", r->local_port, r->proto, r->state);
        }
        explanation(o, r, port);
        return true;
}

/* emit_one as a callback of annotate_nmap_xml. */
static void emit(void *ctx, const struct annotate_rec *r)
{
        struct out *o = ctx;

        emit_one(o, r);
}

/* Copies line @s (@n bytes) to stdout as it was, without its newline, when writing text. */
static void pass(struct out *o, const char *s, size_t n)
{
        if (!o->json)
                fwrite(s, 1, n, stdout);
}

/* One line of a text listing: passed through, then annotated. */
static void annotate_line(struct out *o, struct annotate_ctx *ctx, char *s, size_t n)
{
        struct annotate_rec v[1];
        static struct annotate_rec many[ANNOTATE_MAX_PORTS];
        int k;

        o->cr = n > 0 && s[n - 1] == '\r';
        pass(o, s, n - o->cr);
        if (n > ANNOTATE_MAX_LINE) {
                o->unread++;
                if (!o->json)
                        end_line(o);
                return;
        }
        if (ctx->from == FROM_NMAP_GREP) {
                if (!o->json)
                        end_line(o);
                k = annotate_parse_nmap_grep(s, many, ANNOTATE_MAX_PORTS);
                for (int i = 0; i < k; i++)
                        emit(o, &many[i]);
        } else {
                k = annotate_parse_line(ctx, s, v);
                if ((k != 1 || !emit_one(o, v)) && !o->json)
                        end_line(o);
        }
        if (k < 0)
                o->unread++;
}

/* Annotates input @in, line by line (nmap -oX: port by port).  Returns 0, or -1 after
 * reporting (nothing printed: the XML is parsed before anything is written). */
static int annotate_input(struct out *o, const struct input *in)
{
        struct annotate_ctx ctx = {.from = in->from};
        char *s = in->text, *end = in->text + in->len;

        o->in = in;
        o->line = 0;
        if (in->from == FROM_NMAP_XML) {
                int r = annotate_nmap_xml(in->text, in->len, emit, o);

                if (r < 0)
                        fail("%s: not an nmap XML document (nmap -oX)", in->name);
                return r < 0 ? -1 : 0;
        }
        while (s < end) {
                char *nl = memchr(s, '\n', (size_t)(end - s));
                size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
                char keep = s[n];

                o->line++;
                s[n] = '\0';
                annotate_line(o, &ctx, s, n);
                s[n] = keep;
                s += n + 1;
        }
        return 0;
}

enum { OPT_FROM = 256, OPT_DATA_DIR };

struct cmd {
        enum annotate_from from;
        bool json, help;
        const char *data_dir;
        const char *files[MAX_INPUTS];
        int nfiles;
};

static int add_file(struct cmd *c, const char *path)
{
        if (c->nfiles == MAX_INPUTS) {
                fail("at most %d files", MAX_INPUTS);
                return -1;
        }
        c->files[c->nfiles++] = path;
        return 0;
}

/* Reads the command line into @c.  Returns 0, or -1 after reporting. */
static int read_cmdline(int argc, char **argv, struct cmd *c)
{
        static const struct option longs[] = {
            {"from", required_argument, NULL, OPT_FROM},
            {"json", no_argument, NULL, 'j'},
            {"data-dir", required_argument, NULL, OPT_DATA_DIR},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
        };
        struct args a;
        int k;

        args_init(&a, argc, argv, "jh", longs, 0);
        while ((k = args_next(&a)) != ARGS_END) {
                switch (k) {
                case ARGS_OPERAND:
                        if (add_file(c, a.arg) < 0)
                                return -1;
                        break;
                case ARGS_DASHDASH:
                        for (int i = a.next; i < argc; i++)
                                if (add_file(c, argv[i]) < 0)
                                        return -1;
                        return 0;
                case OPT_FROM:
                        if (annotate_parse_from(a.arg, &c->from) < 0) {
                                fail("--from takes ss, netstat, netstat-windows, lsof, nmap-grep "
                                     "or nmap-xml, not \"%.64s\"",
                                     a.arg);
                                return -1;
                        }
                        break;
                case OPT_DATA_DIR:
                        c->data_dir = a.arg;
                        break;
                case 'j':
                        c->json = true;
                        break;
                case 'h':
                        c->help = true;
                        break;
                case ARGS_MISSING:
                        fail("%.*s needs a value", (int)strcspn(argv[a.at], "="), argv[a.at]);
                        return -1;
                default:
                        fail("unknown option \"%.64s\"; try 'portinfo annotate --help'",
                             argv[a.at]);
                        return -1;
                }
        }
        return 0;
}

static void ignore(void *ctx, const struct annotate_rec *r)
{
        (void)ctx;
        (void)r;
}

/* Reads every input and tells which tool wrote it.  Returns 0, or -1 after reporting. */
static int read_inputs(const struct cmd *c, struct input *in, int n)
{
        for (int i = 0; i < n; i++) {
                bool std = c->nfiles == 0 || strcmp(c->files[i], "-") == 0;
                FILE *f = std ? stdin : fopen(c->files[i], "re");
                int r;

                in[i].name = std ? "standard input" : c->files[i];
                if (!f) {
                        fail("%s: %s", in[i].name, strerror(errno));
                        return -1;
                }
                r = read_input(f, &in[i]);
                if (!std)
                        fclose(f);
                if (r < 0)
                        return -1;
                in[i].from = c->from ? c->from : annotate_detect(in[i].text, in[i].len);
                if (in[i].from == FROM_UNKNOWN) {
                        fail("%s: cannot tell which tool wrote this; name it with --from "
                             "(ss, netstat, netstat-windows, lsof, nmap-grep, nmap-xml)",
                             in[i].name);
                        return -1;
                }
                /* Parsed once before anything is printed: a bad document leaves stdout empty. */
                if (in[i].from == FROM_NMAP_XML &&
                    annotate_nmap_xml(in[i].text, in[i].len, ignore, NULL) < 0) {
                        fail("%s: not an nmap XML document (nmap -oX)", in[i].name);
                        return -1;
                }
        }
        return 0;
}

static void open_db(struct portdb *db, const char *opt)
{
        const char *dir = datadir_path(opt);
        int r = datadir_open(db, dir);

        if (r == -EINVAL)
                diag_warn("%s/%s is damaged or not a portinfo table; using the embedded data", dir,
                          DATADIR_CURRENT);
        else if (r < 0 && r != -ENOENT)
                diag_warn("%s/%s: %s; using the embedded data", dir, DATADIR_CURRENT, strerror(-r));
}

/* Annotates every input; returns the exit status. */
static int run(const struct cmd *c, struct input *in, int n)
{
        struct portdb db;
        struct out o = {.db = &db, .json = c->json};

        open_db(&db, c->data_dir);
        term_init(&o.term, stdout, COLOR_NEVER);
        if (c->json && !(o.array = json_array())) {
                fail("out of memory");
                return EXIT_TROUBLE;
        }
        for (int i = 0; i < n; i++)
                if (annotate_input(&o, &in[i]) < 0) {
                        json_decref(o.array);
                        return EXIT_TROUBLE;
                }
        if (c->json) {
                if (json_dumpf(o.array, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                        fail("out of memory");
                fputc('\n', stdout);
                json_decref(o.array);
        }
        if (o.unread)
                diag_warn("%zu line%s not read as sockets (passed through%s)", o.unread,
                          o.unread == 1 ? "" : "s", c->json ? ", left out of the JSON" : "");
        return o.annotated ? EXIT_FOUND : EXIT_NOTHING;
}

int main(int argc, char **argv)
{
        struct cmd c = {0};
        struct input in[MAX_INPUTS] = {{0}};
        int n, ret;

        diag_set_command("annotate");
        if (read_cmdline(argc, argv, &c) < 0)
                return EXIT_TROUBLE;
        if (c.help) {
                fputs(usage, stdout);
                return EXIT_FOUND;
        }
        n = c.nfiles ? c.nfiles : 1;
        ret = read_inputs(&c, in, n) < 0 ? EXIT_TROUBLE : run(&c, in, n);
        for (int i = 0; i < n; i++)
                free(in[i].text);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                if (errno != EPIPE)
                        fail("writing output: %s", strerror(errno));
                return EXIT_TROUBLE;
        }
        return ret;
}

/* votes_main: portinfo-votes, run as `portinfo votes`: what the website's votes say, as text,
 * JSON or CSV: the votes per choice, the pages voted on, and the pages with the most
 * "not helpful" votes.
 *
 * Reads the store votes_report.c opens read-only; never creates, migrates or writes it.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "config.h"
#include "diag.h"
#include "exitcodes.h"
#include "votes_report.h"

#define WHO           "portinfo votes"
#define FEEDBACK_FILE "feedback.sqlite"
#define DEFAULT_TOP   10

static const char usage_text[] =
    "Usage: portinfo votes [--feedback DB | --data-dir DIR] [--top N]\n"
    "                      [--json | --csv | --format text|json|csv]\n"
    "\n"
    "What the website's \"was this page helpful?\" votes say: the votes per choice,\n"
    "the pages voted on, and the pages with the most \"not helpful\" votes, worst\n"
    "first.  The store is only read, never created or changed.\n"
    "\n"
    "  --feedback DB       the vote store: a SQLite file or a PostgreSQL URI\n"
    "                      postgresql://USER@HOST[:PORT]/DB (as for portinfo serve)\n"
    "  --data-dir DIR      read DIR/" FEEDBACK_FILE " (default $PORTINFO_DATA_DIR,\n"
    "                      else the built-in data directory, as serve does)\n"
    "  --top N             list at most N pages (0-65536; default 10)\n"
    "  --json              one JSON object\n"
    "  --csv               CSV with a header line\n"
    "  --format FORMAT     text (default), json or csv\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 there are votes, 1 none yet, 2 bad usage or the store cannot be\n"
    "read.\n";

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };

enum {
        OPT_FEEDBACK = 256,
        OPT_DATA_DIR,
        OPT_TOP,
        OPT_JSON,
        OPT_CSV,
        OPT_FORMAT,
};

static const struct option longs[] = {
    {"help", no_argument, NULL, 'h'},
    {"feedback", required_argument, NULL, OPT_FEEDBACK},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"top", required_argument, NULL, OPT_TOP},
    {"json", no_argument, NULL, OPT_JSON},
    {"csv", no_argument, NULL, OPT_CSV},
    {"format", required_argument, NULL, OPT_FORMAT},
    {NULL, 0, NULL, 0},
};

struct votes_args {
        const char *feedback, *data_dir;
        unsigned top;
        enum format format;
};

static const char *const choice_words[VOTE_COUNT] = {"not helpful", "somewhat helpful", "helpful"};

static int parse_top(const char *s, unsigned *ret)
{
        char *end = (char *)s;
        unsigned long n = ULONG_MAX;

        errno = 0;
        if (s[0] >= '0' && s[0] <= '9')
                n = strtoul(s, &end, 10);
        if (errno || *end || n > VOTES_REPORT_MAX_TOP) {
                diag(WHO, "--top takes a number from 0 to %d, not \"%s\"", VOTES_REPORT_MAX_TOP, s);
                return -1;
        }
        *ret = (unsigned)n;
        return 0;
}

static int take(int k, const char *val, struct votes_args *va)
{
        switch (k) {
        case OPT_FEEDBACK:
                va->feedback = val;
                return 0;
        case OPT_DATA_DIR:
                va->data_dir = val;
                return 0;
        case OPT_TOP:
                return parse_top(val, &va->top);
        case OPT_JSON:
                va->format = FORMAT_JSON;
                return 0;
        case OPT_CSV:
                va->format = FORMAT_CSV;
                return 0;
        default: /* OPT_FORMAT */
                if (strcmp(val, "text") == 0)
                        va->format = FORMAT_TEXT;
                else if (strcmp(val, "json") == 0)
                        va->format = FORMAT_JSON;
                else if (strcmp(val, "csv") == 0)
                        va->format = FORMAT_CSV;
                else {
                        diag(WHO, "--format takes text, json or csv, not \"%s\"", val);
                        return -1;
                }
                return 0;
        }
}

/* Returns 0, 1 when --help was answered, or -1 after reporting. */
static int read_cmdline(int argc, char **argv, struct votes_args *va)
{
        struct args a;
        int k;

        args_init(&a, argc, argv, "h", longs, 0);
        while ((k = args_next(&a)) != ARGS_END) {
                const char *s = a.argv[a.at];

                if (k == 'h') {
                        fputs(usage_text, stdout);
                        return 1;
                }
                if (k == ARGS_MISSING) {
                        diag(WHO, "%.*s needs a value; try '" WHO " --help'", (int)strcspn(s, "="),
                             s);
                        return -1;
                }
                if (k == ARGS_UNKNOWN && strncmp(s, "--", 2) == 0) {
                        diag(WHO, "unknown option \"%.*s\"; try '" WHO " --help'",
                             (int)strcspn(s, "="), s);
                        return -1;
                }
                if (k < OPT_FEEDBACK) {
                        diag(WHO, "unexpected argument \"%s\"; try '" WHO " --help'", s);
                        return -1;
                }
                if (take(k, a.arg, va) < 0)
                        return -1;
        }
        if (va->feedback && va->data_dir) {
                diag(WHO, "--feedback and --data-dir name the store twice; give one");
                return -1;
        }
        return 0;
}

/* ps shows argv to every user: when the PostgreSQL URI @dsn (a string in argv) carries a
 * password (scheme://user:password@host), returns a copy to use (caller frees) and stars the
 * password over in argv.  NULL when there is none to hide (or no memory: left as it is). */
static char *hide_password(char *dsn)
{
        char *auth = strstr(dsn, "://"), *end, *at, *colon, *copy;

        if (!auth || (strncmp(dsn, "postgresql://", 13) != 0 && strncmp(dsn, "postgres://", 11)))
                return NULL;
        auth += 3;
        end = auth + strcspn(auth, "/?");
        at = memrchr(auth, '@', (size_t)(end - auth));
        colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (!colon || colon + 1 == at)
                return NULL;
        copy = strdup(dsn);
        if (copy)
                memset(colon + 1, '*', (size_t)(at - colon - 1));
        return copy;
}

static unsigned long long sum(const unsigned long long n[VOTE_COUNT])
{
        return n[VOTE_SAD] + n[VOTE_MEH] + n[VOTE_HAPPY];
}

static void print_text(const struct votes_report *r)
{
        unsigned long long all = sum(r->total);

        if (!all) {
                puts("No votes yet.");
                return;
        }
        printf("%llu %s on %llu %s:\n", all, all == 1 ? "vote" : "votes", r->pages,
               r->pages == 1 ? "page" : "pages");
        for (int v = 0; v < VOTE_COUNT; v++)
                printf("  %-17s %llu\n", choice_words[v], r->total[v]);
        if (!r->n_worst) {
                puts("No page has a \"not helpful\" vote.");
                return;
        }
        printf("\nThe pages with the most \"not helpful\" votes:\n");
        printf("  %-12s %11s %16s %8s\n", "page", "not helpful", "somewhat helpful", "helpful");
        for (size_t i = 0; i < r->n_worst; i++) {
                char page[16];

                snprintf(page, sizeof(page), "/ports/%u", r->worst[i].port);
                printf("  %-12s %11llu %16llu %8llu\n", page, r->worst[i].n[VOTE_SAD],
                       r->worst[i].n[VOTE_MEH], r->worst[i].n[VOTE_HAPPY]);
        }
}

static void print_csv(const struct votes_report *r)
{
        puts("scope,port,pages,sad,meh,happy");
        printf("all,,%llu,%llu,%llu,%llu\n", r->pages, r->total[VOTE_SAD], r->total[VOTE_MEH],
               r->total[VOTE_HAPPY]);
        for (size_t i = 0; i < r->n_worst; i++)
                printf("port,%u,1,%llu,%llu,%llu\n", r->worst[i].port, r->worst[i].n[VOTE_SAD],
                       r->worst[i].n[VOTE_MEH], r->worst[i].n[VOTE_HAPPY]);
}

/* Returns 0 or -ENOMEM. */
static int print_json(const struct votes_report *r)
{
        json_t *root = json_object(), *worst = json_array(), *totals = json_object();
        char *text = NULL;
        int ret = -ENOMEM;

        if (!root || !worst || !totals)
                goto out;
        for (int v = 0; v < VOTE_COUNT; v++)
                json_object_set_new(totals, vote_name(v), json_integer((json_int_t)r->total[v]));
        for (size_t i = 0; i < r->n_worst; i++) {
                char page[16];
                json_t *o = json_object();

                if (!o)
                        goto out;
                snprintf(page, sizeof(page), "/ports/%u", r->worst[i].port);
                json_object_set_new(o, "port", json_integer(r->worst[i].port));
                json_object_set_new(o, "page", json_string(page));
                for (int v = 0; v < VOTE_COUNT; v++)
                        json_object_set_new(o, vote_name(v),
                                            json_integer((json_int_t)r->worst[i].n[v]));
                json_array_append_new(worst, o);
        }
        json_object_set_new(root, "votes", totals);
        json_object_set_new(root, "total", json_integer((json_int_t)sum(r->total)));
        json_object_set_new(root, "pages", json_integer((json_int_t)r->pages));
        json_object_set_new(root, "worst", worst);
        totals = worst = NULL;
        text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text) {
                puts(text);
                ret = 0;
        }
out:
        free(text);
        json_decref(totals);
        json_decref(worst);
        json_decref(root);
        return ret;
}

int main(int argc, char **argv)
{
        struct votes_args va = {.top = DEFAULT_TOP};
        struct votes_report r;
        char path[PATH_MAX], why[512];
        const char *store, *dir;
        char *dsn = NULL;
        int k = read_cmdline(argc, argv, &va);

        if (k != 0)
                return k > 0 ? EXIT_FOUND : EXIT_TROUBLE;
        if (va.feedback)
                dsn = hide_password((char *)va.feedback);
        store = dsn ? dsn : va.feedback;
        if (!store) {
                dir = va.data_dir ? va.data_dir : getenv("PORTINFO_DATA_DIR");
                if (!dir || !dir[0])
                        dir = PORTINFO_DATADIR;
                if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, FEEDBACK_FILE) >=
                    sizeof(path)) {
                        diag(WHO, "--data-dir: the path is too long");
                        return EXIT_TROUBLE;
                }
                store = path;
        }
        k = votes_report_read(store, va.top, &r, why, sizeof(why));
        free(dsn);
        if (k < 0) {
                diag(WHO, "%s", why[0] ? why : strerror(-k));
                return EXIT_TROUBLE;
        }
        if (va.format == FORMAT_JSON)
                k = print_json(&r);
        else if (va.format == FORMAT_CSV)
                print_csv(&r);
        else
                print_text(&r);
        if (k == 0 && (fflush(stdout) != 0 || ferror(stdout)))
                k = -EIO;
        if (k < 0) {
                diag(WHO, "cannot write the report: %s", strerror(-k));
                votes_report_done(&r);
                return EXIT_TROUBLE;
        }
        k = sum(r.total) ? EXIT_FOUND : EXIT_NOTHING;
        votes_report_done(&r);
        return k;
}

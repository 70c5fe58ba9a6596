/* who-fixture: prints `who` and `audit` renderings over the fixture trees of tests/fixtures,
 * for the output corpus (see README.md).  No kernel, no live /proc: the who join reads
 * FIXTURES/proc with its /proc/net tables and FIXTURES/who/passwd.
 *
 * Usage: who-fixture FIXTURES_DIR     (run with the cwd at FIXTURES_DIR: paths print relative)
 *
 * The functions of portinfo it calls (rename them here when they are renamed):
 *   portdb_open_embedded, inspect_run, inspect_done, audit_run, audit_done,
 *   allow_load, allow_done, audit_rule_ids, audit_severity_name, term (struct term fields),
 *   render_who_text, render_who_json, render_audit_text, render_audit_json, render_audit_prom,
 *   buf_init, buf_done.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allow.h"
#include "audit.h"
#include "buf.h"
#include "inspect.h"
#include "portdb.h"
#include "portdb_embedded.h"
#include "render_who_json.h"
#include "render_who_prom.h"
#include "render_who_text.h"
#include "term.h"

static struct portdb db;

static void put_json(json_t *j)
{
        if (!j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                fputs("(json failed)", stdout);
        fputc('\n', stdout);
        json_decref(j);
}

static void section(const char *title)
{
        printf("\n===== %s\n", title);
        fflush(stdout);
}

static int run(const char *title, const struct inspect_spec *specs, size_t n_specs, bool lonly,
               struct inspect_report *rep)
{
        struct inspect_request req = {.specs = specs,
                                      .n_specs = n_specs,
                                      .listeners_only = lonly,
                                      .proc_root = "proc",
                                      .passwd = "who/passwd",
                                      .use_procnet = true};
        int r = inspect_run(&req, rep);

        section(title);
        printf("inspect_run: %d, n=%zu, used_procnet=%d, n_netns=%zu\n", r, rep->n,
               rep->used_procnet, rep->n_netns);
        return r;
}

static void who_case(const char *title, const struct inspect_spec *specs, size_t n, bool lonly)
{
        struct inspect_report rep;
        struct term t = {.out = stdout, .color = false, .width = 80};

        if (run(title, specs, n, lonly, &rep) == 0) {
                printf("--- text, 80 columns, no colour\n");
                render_who_text(&t, &db, &rep);
                printf("--- text, 40 columns, colour\n");
                t.color = true;
                t.width = 40;
                render_who_text(&t, &db, &rep);
                printf("--- json\n");
                put_json(render_who_json(&db, &rep));
        }
        fflush(stdout);
        inspect_done(&rep);
}

static void audit_case(const char *title, const char *allowfile, enum severity min)
{
        struct inspect_report rep;
        struct allowlist allow = {0};
        struct audit_report a;
        struct term t = {.out = stdout, .color = false, .width = 80};
        struct buf b;
        int r;

        if (run(title, NULL, 0, false, &rep) != 0)
                goto out;
        if (allowfile) {
                struct allow_error err = {allowfile, 0, ""};

                r = allow_load(&allow, allowfile, audit_rule_ids, &err);
                printf("allow_load(%s): %d%s%s line %u\n", allowfile, r, r < 0 ? " " : "",
                       r < 0 ? err.why : "", err.line);
                if (r < 0)
                        goto out;
        }
        r = audit_run(&rep, &db, &allow, min, &a);
        printf("audit_run(min=%s): %d counts low=%zu medium=%zu high=%zu below=%zu silenced=%zu\n",
               audit_severity_name(min), r, a.counts[SEV_LOW], a.counts[SEV_MEDIUM],
               a.counts[SEV_HIGH], a.below, a.silenced);
        if (r == 0) {
                printf("--- text, 80 columns, no colour\n");
                render_audit_text(&t, &rep, &a, min);
                printf("--- text, 40 columns, colour\n");
                t.color = true;
                t.width = 40;
                render_audit_text(&t, &rep, &a, min);
                printf("--- json\n");
                put_json(render_audit_json(&db, &rep, &a, min));
                printf("--- prometheus (now fixed at 1700000000)\n");
                buf_init(&b, 64u << 20);
                r = render_audit_prom(&b, &rep, &a, min, 1700000000LL);
                printf("render_audit_prom: %d\n", r);
                if (r == 0)
                        fwrite(b.data, 1, b.len, stdout);
                buf_done(&b);
                audit_done(&a);
        }
out:
        fflush(stdout);
        allow_done(&allow);
        inspect_done(&rep);
}

int main(int argc, char **argv)
{
        static const struct inspect_spec s5001 = {5001, PROTO_MASK_TCP_UDP};
        static const struct inspect_spec s5001u = {5001, PROTO_BIT(PROTO_UDP)};
        static const struct inspect_spec s5001t = {5001, PROTO_BIT(PROTO_TCP)};
        static const struct inspect_spec s6000 = {6000, PROTO_MASK_TCP_UDP};
        static const struct inspect_spec s6000u = {6000, PROTO_BIT(PROTO_UDP)};
        static const struct inspect_spec s27374 = {27374, PROTO_MASK_TCP_UDP};
        static const struct inspect_spec s22 = {22, PROTO_MASK_TCP_UDP};
        static const struct inspect_spec smany[] = {
            {5001, PROTO_MASK_TCP_UDP},  {5002, PROTO_MASK_TCP_UDP},  {5004, PROTO_BIT(PROTO_TCP)},
            {40000, PROTO_MASK_TCP_UDP}, {40001, PROTO_MASK_TCP_UDP}, {53, PROTO_BIT(PROTO_UDP)}};
        static const struct inspect_spec ssctp = {5001, PROTO_BIT(PROTO_SCTP)};

        if (argc != 2 || chdir(argv[1]) != 0) {
                fprintf(stderr, "usage: who-fixture FIXTURES_DIR\n");
                return 2;
        }
        portdb_open_embedded(&db);
        who_case("who: every listener", NULL, 0, false);
        who_case("who 5001", &s5001, 1, false);
        who_case("who -l 5001", &s5001, 1, true);
        who_case("who 5001/tcp", &s5001t, 1, false);
        who_case("who 5001/udp (nothing)", &s5001u, 1, false);
        who_case("who 6000", &s6000, 1, false);
        who_case("who 6000/udp", &s6000u, 1, false);
        who_case("who 27374", &s27374, 1, false);
        who_case("who 22 (nothing)", &s22, 1, false);
        who_case("who 5001 5002 5004/tcp 40000 40001 53/udp", smany, 6, false);
        who_case("who -l 5001 5002 5004/tcp 40000 40001 53/udp", smany, 6, true);
        who_case("who 5001/sctp (refused)", &ssctp, 1, false);
        audit_case("audit (min low)", NULL, SEV_LOW);
        audit_case("audit (min medium)", NULL, SEV_MEDIUM);
        audit_case("audit (min high)", NULL, SEV_HIGH);
        audit_case("audit --allowlist who/allow-good (min low)", "who/allow-good", SEV_LOW);
        audit_case("audit --allowlist who/allow-good (min medium)", "who/allow-good", SEV_MEDIUM);
        audit_case("audit --allowlist who/allow-bad", "who/allow-bad", SEV_LOW);
        audit_case("audit --allowlist who/missing", "who/missing", SEV_LOW);
        return 0;
}

/* html-dump: renders the website's pages into files for check-pages.py to parse.
 *
 *   html-dump OUTDIR REGISTRY.csv UNOFFICIAL.tsv [NAMES_DIR]
 *
 * Writes the port pages of a fixed list of ports, the home, index, search and error pages in every
 * language from the embedded table, and the pages of a small crafted table (built from the two
 * fixture files with the registry readers) whose every string needs escaping; with NAMES_DIR
 * (tests/fixtures/names), also the pages of a table with everyday names, threats of both eras,
 * a range, ATT&CK references and a correction; and a static copy's search and port page.
 * Exits 0, or 1
 * with a reason on stderr.  It judges nothing: the checks live in the Python script.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portdb_embedded.h"
#include "registry_blob.h"
#include "registry_csv.h"
#include "unofficial_tsv.h"
#include "aliases_tsv.h"
#include "corrections_tsv.h"
#include "render_html.h"

#define PAGE_MAX (1024u * 1024)

static const char *outdir;

static const char *const lang_name[LANG_COUNT] = {"en", "pl"};

static int fail(const char *what, int err)
{
        fprintf(stderr, "html-dump: %s: %s\n", what, strerror(err < 0 ? -err : err));
        return 1;
}

static int save(const char *name, struct buf *b)
{
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s.html", outdir, name);
        f = fopen(path, "wb");
        if (!f)
                return fail(path, errno);
        if (fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0)
                return fail(path, EIO);
        return 0;
}

static char *slurp(const char *path, size_t *ret_len)
{
        FILE *f = fopen(path, "rb");
        char *data;
        long n;

        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
                fclose(f);
                return NULL;
        }
        data = malloc((size_t)n + 1);
        if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
                free(data);
                data = NULL;
        }
        fclose(f);
        if (data)
                *ret_len = (size_t)n;
        return data;
}

/* Builds the crafted table from the fixture files into *ret_blob (caller frees). */
static int crafted_blob(const char *csv, const char *tsv, void **ret_blob, size_t *ret_len)
{
        struct registry reg;
        struct reg_error err = {0};
        size_t n1 = 0, n2 = 0;
        char *a = slurp(csv, &n1), *b = slurp(tsv, &n2);
        int ret = -ENOENT;

        registry_init(&reg);
        if (a && b) {
                ret = registry_read_csv(&reg, a, n1, &err);
                if (ret == 0)
                        ret = unofficial_read_tsv(&reg, b, n2, &err);
                if (ret == 0)
                        ret = registry_build_blob(&reg, ret_blob, ret_len, &err);
                if (ret < 0)
                        fprintf(stderr, "html-dump: fixture line %lu: %s\n", err.line, err.msg);
        }
        registry_done(&reg);
        free(a);
        free(b);
        return ret;
}

/* Reads NAMES_DIR/@file with @reader into @reg; 0 or a negative errno (said on stderr). */
static int read_names_file(struct registry *reg, const char *dir, const char *file,
                           int (*reader)(struct registry *, const char *, size_t,
                                         struct reg_error *))
{
        struct reg_error err = {0};
        char path[4096];
        size_t n = 0;
        char *data;
        int ret;

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        data = slurp(path, &n);
        if (!data) {
                fprintf(stderr, "html-dump: %s: %s\n", path, strerror(errno));
                return -EIO;
        }
        ret = reader(reg, data, n, &err);
        if (ret < 0)
                fprintf(stderr, "html-dump: %s:%lu: %s\n", path, err.line, err.msg);
        free(data);
        return ret;
}

/* The pages of the names fixture: ports 135, 445, 3389, 4444 and a search for "rdp", in every
 * language, as <lang>-names-<port> and <lang>-names-search. */
static int names_pages(const char *dir, struct portdb_search_ctx *sctx)
{
        static const uint16_t ports[] = {135, 445, 3389, 4444};
        struct registry reg;
        struct reg_error err = {0};
        struct portdb db;
        struct buf b;
        void *blob = NULL;
        size_t len = 0;
        char name[64];
        int ret;

        registry_init(&reg);
        ret = read_names_file(&reg, dir, "registry.csv", registry_read_csv);
        if (ret == 0)
                ret = read_names_file(&reg, dir, "unofficial.tsv", unofficial_read_tsv);
        if (ret == 0)
                ret = read_names_file(&reg, dir, "aliases.tsv", aliases_read_tsv);
        if (ret == 0)
                ret = read_names_file(&reg, dir, "corrections.tsv", corrections_read_tsv);
        if (ret == 0 && (ret = registry_build_blob(&reg, &blob, &len, &err)) < 0)
                fprintf(stderr, "html-dump: names table: %s\n", err.msg);
        registry_done(&reg);
        if (ret < 0 || (ret = portdb_open(&db, blob, len, true)) < 0)
                return fail("names table", ret);
        for (enum lang l = 0; l < LANG_COUNT; l++) {
                struct html_ctx ctx = {
                    .lang = l, .site_name = "Connected", .vote_action = "", .my_vote = -1};
                int n = portdb_search(&db, "rdp", sctx);

                for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
                        buf_init(&b, PAGE_MAX);
                        if ((ret = render_html_port(&b, &db, ports[i], &ctx)) < 0)
                                return fail("render_html_port (names)", ret);
                        snprintf(name, sizeof(name), "%s-names-%u", lang_name[l], ports[i]);
                        if (save(name, &b))
                                return 1;
                        buf_done(&b);
                }
                buf_init(&b, PAGE_MAX);
                ret = render_html_search(&b, &db, "rdp", sctx->hits, n > 0 ? (size_t)n : 0, &ctx);
                if (ret < 0)
                        return fail("render_html_search (names)", ret);
                snprintf(name, sizeof(name), "%s-names-search", lang_name[l]);
                if (save(name, &b))
                        return 1;
                buf_done(&b);
        }
        free(blob);
        return 0;
}

/* The pages of a static copy of the site in language @l (search in the browser, a vote widget
 * whose script asks a vote server for the counts), as <lang>-static-search and
 * <lang>-static-port-1776. */
static int static_pages(const struct portdb *db, enum lang l)
{
        struct html_ctx ctx = {.lang = l,
                               .site_name = "Connected",
                               .vote_action = "https://votes.example",
                               .my_vote = -1,
                               .static_site = true};
        char name[64];
        struct buf b;
        int ret;

        buf_init(&b, PAGE_MAX);
        if ((ret = render_html_search(&b, db, "", NULL, 0, &ctx)) < 0)
                return fail("render_html_search (static)", ret);
        snprintf(name, sizeof(name), "%s-static-search", lang_name[l]);
        ret = save(name, &b);
        buf_done(&b);
        if (ret)
                return ret;
        buf_init(&b, PAGE_MAX);
        if ((ret = render_html_port(&b, db, 1776, &ctx)) < 0)
                return fail("render_html_port (static)", ret);
        snprintf(name, sizeof(name), "%s-static-port-1776", lang_name[l]);
        ret = save(name, &b);
        buf_done(&b);
        return ret;
}

int main(int argc, char **argv)
{
        static const uint16_t ports[] = {0,    4,    9,    22,    80,    512,   1776, 3389,
                                         4444, 6000, 6001, 17300, 31337, 49152, 65535};
        static const char *const queries[] = {"ssh", "1776", "<script>&\"", "zzzzqqq", "a"};
        static const int statuses[] = {400, 403, 404, 405, 413, 414, 415, 431, 500, 501, 503, 505};
        static const struct vote_counts counts = {1, 2, 3};
        struct portdb db, crafted;
        struct portdb_search_ctx *sctx;
        struct buf b;
        void *blob = NULL;
        size_t blob_len = 0;
        char name[64];
        int ret;

        if (argc != 4 && argc != 5) {
                fprintf(stderr,
                        "usage: html-dump OUTDIR REGISTRY.csv UNOFFICIAL.tsv [NAMES_DIR]\n");
                return 2;
        }
        outdir = argv[1];
        portdb_open_embedded(&db);
        sctx = malloc(sizeof(*sctx));
        if (!sctx)
                return fail("search scratch", ENOMEM);

        for (enum lang l = 0; l < LANG_COUNT; l++) {
                struct html_ctx ctx = {
                    .lang = l, .site_name = "Connected", .vote_action = "", .my_vote = -1};

                for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
                        buf_init(&b, PAGE_MAX);
                        if ((ret = render_html_port(&b, &db, ports[i], &ctx)) < 0)
                                return fail("render_html_port", ret);
                        snprintf(name, sizeof(name), "%s-port-%u", lang_name[l], ports[i]);
                        if (save(name, &b))
                                return 1;
                        buf_done(&b);
                }
                /* The widget with counts and the reader's own vote. */
                ctx.counts = &counts;
                ctx.my_vote = 2;
                ctx.vote_action = "https://votes.example";
                buf_init(&b, PAGE_MAX);
                if ((ret = render_html_port(&b, &db, 1776, &ctx)) < 0)
                        return fail("render_html_port", ret);
                snprintf(name, sizeof(name), "%s-port-1776-voted", lang_name[l]);
                if (save(name, &b))
                        return 1;
                buf_done(&b);
                ctx = (struct html_ctx){
                    .lang = l, .site_name = "Site <&\"'>", .vote_action = "", .my_vote = -1};

                buf_init(&b, PAGE_MAX);
                if ((ret = render_html_home(&b, &db, &ctx)) < 0)
                        return fail("render_html_home", ret);
                snprintf(name, sizeof(name), "%s-home", lang_name[l]);
                if (save(name, &b))
                        return 1;
                buf_done(&b);

                buf_init(&b, PAGE_MAX);
                if ((ret = render_html_index(&b, &db, &ctx)) < 0)
                        return fail("render_html_index", ret);
                snprintf(name, sizeof(name), "%s-index", lang_name[l]);
                if (save(name, &b))
                        return 1;
                buf_done(&b);

                for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
                        int n = portdb_search(&db, queries[i], sctx);

                        buf_init(&b, PAGE_MAX);
                        ret = render_html_search(&b, &db, queries[i], sctx->hits,
                                                 n > 0 ? (size_t)n : 0, &ctx);
                        if (ret < 0)
                                return fail("render_html_search", ret);
                        snprintf(name, sizeof(name), "%s-search-%zu", lang_name[l], i);
                        if (save(name, &b))
                                return 1;
                        buf_done(&b);
                }
                buf_init(&b, PAGE_MAX);
                if ((ret = render_html_search(&b, &db, "", NULL, 0, &ctx)) < 0)
                        return fail("render_html_search", ret);
                snprintf(name, sizeof(name), "%s-search-empty", lang_name[l]);
                if (save(name, &b))
                        return 1;
                buf_done(&b);
                if (static_pages(&db, l))
                        return 1;

                for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
                        buf_init(&b, PAGE_MAX);
                        if ((ret = render_html_error(&b, statuses[i], &ctx)) < 0)
                                return fail("render_html_error", ret);
                        snprintf(name, sizeof(name), "%s-error-%d", lang_name[l], statuses[i]);
                        if (save(name, &b))
                                return 1;
                        buf_done(&b);
                }
        }

        /* A page that does not fit its cap reports -E2BIG. */
        buf_init(&b, 2048);
        ret = render_html_port(
            &b, &db, 31337, &(struct html_ctx){.lang = LANG_EN, .vote_action = "", .my_vote = -1});
        buf_done(&b);
        if (ret != -E2BIG)
                return fail("a capped page did not report E2BIG", EINVAL);

        /* The crafted table: every string in it needs escaping. */
        if ((ret = crafted_blob(argv[2], argv[3], &blob, &blob_len)) < 0)
                return fail("crafted table", ret);
        if ((ret = portdb_open(&crafted, blob, blob_len, true)) < 0)
                return fail("crafted table does not verify", ret);
        for (enum lang l = 0; l < LANG_COUNT; l++) {
                struct html_ctx ctx = {
                    .lang = l, .site_name = "Connected", .vote_action = "", .my_vote = -1};
                int n = portdb_search(&crafted, "script", sctx);

                for (uint16_t p = 7; p <= 8; p++) {
                        buf_init(&b, PAGE_MAX);
                        if ((ret = render_html_port(&b, &crafted, p, &ctx)) < 0)
                                return fail("render_html_port (crafted)", ret);
                        snprintf(name, sizeof(name), "%s-crafted-%u", lang_name[l], p);
                        if (save(name, &b))
                                return 1;
                        buf_done(&b);
                }
                buf_init(&b, PAGE_MAX);
                ret = render_html_search(&b, &crafted, "script", sctx->hits, n > 0 ? (size_t)n : 0,
                                         &ctx);
                if (ret < 0)
                        return fail("render_html_search (crafted)", ret);
                snprintf(name, sizeof(name), "%s-crafted-search", lang_name[l]);
                if (save(name, &b))
                        return 1;
                buf_done(&b);
        }
        free(blob);
        if (argc == 5 && names_pages(argv[4], sctx) != 0)
                return 1;
        free(sctx);
        return 0;
}

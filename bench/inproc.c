/* inproc: in-process speed of the port table: lookups per second and search latency.
 *
 * A lookup is what explaining a port asks of portdb (its IANA entries, its status, its unofficial
 * uses and their corrections, the everyday names of its entries) for random ports; search is
 * portdb_search over the whole embedded table.  Prints one "key<TAB>value" line per figure for
 * bench/run-all.  Not a test: it checks no target itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portdb.h"
#include "portdb_embedded.h"

#define LOOKUP_PORTS  (1u << 20) /* random ports per round */
#define LOOKUP_ROUNDS 15
#define SEARCH_ROUNDS 31

/* Keeps the compiler from dropping work whose result is otherwise unused. */
static volatile uint64_t sink;

static double now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return (x > y) - (x < y);
}

/* The median of @n samples (sorts them in place). */
static double median(double *v, size_t n)
{
        qsort(v, n, sizeof(*v), cmp_double);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* xorshift64*: fixed seed, so every run looks up the same ports. */
static uint64_t rng_next(uint64_t *s)
{
        *s ^= *s >> 12;
        *s ^= *s << 25;
        *s ^= *s >> 27;
        return *s * 2685821657736338717ull;
}

static void bench_lookups(const struct portdb *db)
{
        uint16_t *ports = malloc(LOOKUP_PORTS * sizeof(*ports));
        double ns[LOOKUP_ROUNDS];
        uint64_t seed = 0x9e3779b97f4a7c15ull;

        if (!ports) {
                fprintf(stderr, "inproc: out of memory\n");
                exit(2);
        }
        for (size_t i = 0; i < LOOKUP_PORTS; i++)
                ports[i] = (uint16_t)(rng_next(&seed) >> 48);
        for (int r = -2; r < LOOKUP_ROUNDS; r++) { /* two rounds of warm-up */
                uint64_t acc = 0;
                double t0 = now_ns();

                for (size_t i = 0; i < LOOKUP_PORTS; i++) {
                        const uint16_t *refs;
                        const struct portdb_unofficial *uo;
                        const struct portdb_correction *co;
                        uint16_t p = ports[i];
                        size_t nrefs = portdb_port_refs(db, p, &refs);

                        acc += nrefs;
                        acc += (uint64_t)portdb_status(db, p, PROTO_MASK_ALL);
                        acc += portdb_unofficial_at(db, p, &uo);
                        acc += portdb_corrections_at(db, p, &co);
                        for (size_t k = 0; k < nrefs; k++)
                                if (db->iana[refs[k]].flags & PORTDB_F_ALIAS) {
                                        uint32_t first;

                                        acc += portdb_aliases_of(db, refs[k], &first) + first;
                                }
                        acc += (uintptr_t)refs ^ (uintptr_t)uo ^ (uintptr_t)co;
                }
                if (r >= 0)
                        ns[r] = now_ns() - t0;
                sink += acc;
        }
        printf("lookup_ns\t%.2f\n", median(ns, LOOKUP_ROUNDS) / LOOKUP_PORTS);
        printf("lookups_per_s\t%.0f\n", LOOKUP_PORTS / (median(ns, LOOKUP_ROUNDS) / 1e9));
        free(ports);
}

static void bench_search(const struct portdb *db)
{
        static char long_query[201];
        const char *queries[] = {"a", "e", "http", "kuang", "x11", "zzzz", long_query};
        const size_t nq = sizeof(queries) / sizeof(queries[0]);
        struct portdb_search_ctx *ctx = malloc(sizeof(*ctx));
        double worst = 0;
        const char *worst_name = "";

        /* 200 characters of ordinary words: memmem's needle is long and its first letters
         * match often. */
        for (size_t i = 0; i < sizeof(long_query) - 1; i++)
                long_query[i] = "service "[i % 8];
        if (!ctx) {
                fprintf(stderr, "inproc: out of memory\n");
                exit(2);
        }
        for (size_t q = 0; q < nq; q++) {
                double ns[SEARCH_ROUNDS], med;
                int hits = 0;

                for (int r = -3; r < SEARCH_ROUNDS; r++) { /* three rounds of warm-up */
                        double t0 = now_ns();

                        hits = portdb_search(db, queries[q], ctx);
                        if (r >= 0)
                                ns[r] = now_ns() - t0;
                        sink += (uint64_t)hits;
                }
                if (hits < 0) {
                        fprintf(stderr, "inproc: search \"%s\": %s\n", queries[q], strerror(-hits));
                        exit(2);
                }
                med = median(ns, SEARCH_ROUNDS);
                printf("search_us\t%s\t%.1f\t%d\n", q == nq - 1 ? "<200 chars>" : queries[q],
                       med / 1e3, hits);
                if (med > worst) {
                        worst = med;
                        worst_name = q == nq - 1 ? "<200 chars>" : queries[q];
                }
        }
        printf("search_worst_us\t%.1f\t%s\n", worst / 1e3, worst_name);
        free(ctx);
}

/* Every one-character query (letters, digits, blank, dot, dash): the slowest searches, as each
 * hits thousands of lines.  Prints the slowest, timed as the others are. */
static void bench_one_letter(const struct portdb *db)
{
        static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789 .-";
        struct portdb_search_ctx *ctx = malloc(sizeof(*ctx));
        double worst = 0;
        char worst_q[2] = "";

        if (!ctx) {
                fprintf(stderr, "inproc: out of memory\n");
                exit(2);
        }
        for (size_t c = 0; c < sizeof(chars) - 1; c++) {
                char q[2] = {chars[c], '\0'};
                double ns[SEARCH_ROUNDS / 3], med;

                for (int r = -1; r < SEARCH_ROUNDS / 3; r++) {
                        double t0 = now_ns();

                        sink += (uint64_t)portdb_search(db, q, ctx);
                        if (r >= 0)
                                ns[r] = now_ns() - t0;
                }
                med = median(ns, SEARCH_ROUNDS / 3);
                if (med > worst) {
                        worst = med;
                        worst_q[0] = q[0];
                }
        }
        printf("search_one_char_worst_us\t%.1f\t'%s'\n", worst / 1e3, worst_q);
        free(ctx);
}

int main(void)
{
        struct portdb db;

        portdb_open_embedded(&db);
        printf("entries\t%u iana, %u unofficial, %u everyday names, %u corrections, %u bytes of "
               "search text\n",
               db.hdr->n_iana, db.hdr->n_unofficial, db.hdr->n_aliases, db.hdr->n_corrections,
               db.hdr->search_size);
        bench_lookups(&db);
        bench_search(&db);
        bench_one_letter(&db);
        return 0;
}

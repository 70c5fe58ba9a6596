/* metrics: per-thread counters summed at scrape time, written in Prometheus's text format.
 *
 * Does not time anything itself and keeps no per-path state: a route is one of a fixed list.
 * Counters only grow while the process lives; Prometheus's rate() handles the restart.
 */
#include "metrics.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Statuses the server answers with; anything else is counted as "other". */
static const int statuses[] = {200, 204, 301, 302, 303, 304, 400, 403, 404, 405,
                               413, 414, 415, 429, 431, 500, 501, 503, 505};
#define N_STATUSES (sizeof(statuses) / sizeof(statuses[0]))

/* Upper bounds of the latency buckets, in microseconds (the +Inf bucket follows). */
static const long long buckets_us[] = {100,   250,   500,   1000,   2500,   5000,
                                       10000, 25000, 50000, 100000, 250000, 1000000};
#define N_BUCKETS (sizeof(buckets_us) / sizeof(buckets_us[0]))

static const char *const route_names[ROUTE_COUNT] = {
    [ROUTE_HOME] = "home",
    [ROUTE_PORTS] = "ports",
    [ROUTE_PORT] = "port",
    [ROUTE_VOTE] = "vote",
    [ROUTE_SEARCH] = "search",
    [ROUTE_API_PORT] = "api_port",
    [ROUTE_API_FEEDBACK] = "api_feedback",
    [ROUTE_API_SEARCH] = "api_search",
    [ROUTE_STATIC] = "static",
    [ROUTE_HEALTHZ] = "healthz",
    [ROUTE_METRICS] = "metrics",
    [ROUTE_OTHER] = "other",
};

static const char *const shed_names[SHED_COUNT] = {
    [SHED_IDLE] = "idle",
    [SHED_PARTIAL] = "partial",
    [SHED_PER_ADDRESS] = "per_address",
    [SHED_SLOW] = "slow",
};

/* One thread's counters.  Only that thread writes them (load, add, store: no read-modify-write
 * instruction needed); a scrape reads them from another thread, hence the atomics. */
struct metrics_shard {
        _Atomic uint64_t requests[ROUTE_COUNT][N_STATUSES + 1]; /* last: "other" */
        _Atomic uint64_t latency[ROUTE_COUNT][N_BUCKETS + 1];   /* per bucket, last: +Inf */
        _Atomic uint64_t latency_sum_us[ROUTE_COUNT];
        _Atomic uint64_t votes[VOTE_COUNT];
        _Atomic uint64_t shed[SHED_COUNT];
        _Atomic uint64_t connections; /* a gauge: open now */
} __attribute__((aligned(64)));

struct metrics {
        struct metrics_shard *shards;
        unsigned n;
        long long start_ms; /* milliseconds since the epoch */
        unsigned connection_cap;
        char version[32];
};

static void bump(_Atomic uint64_t *c, uint64_t n)
{
        atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                              memory_order_relaxed);
}

static uint64_t get(const _Atomic uint64_t *c)
{
        return atomic_load_explicit(c, memory_order_relaxed);
}

const char *metrics_route_name(enum metrics_route r)
{
        return (unsigned)r < ROUTE_COUNT ? route_names[r] : "other";
}

struct metrics *metrics_new(unsigned n_shards, const char *version)
{
        struct metrics *m = calloc(1, sizeof(*m));
        struct timespec now;
        size_t size = (size_t)(n_shards ? n_shards : 1) * sizeof(struct metrics_shard);

        if (!m)
                return NULL;
        m->n = n_shards ? n_shards : 1;
        m->shards = aligned_alloc(64, size);
        if (!m->shards) {
                free(m);
                return NULL;
        }
        for (unsigned i = 0; i < m->n; i++) {
                struct metrics_shard *s = &m->shards[i];

                for (size_t r = 0; r < ROUTE_COUNT; r++) {
                        for (size_t k = 0; k <= N_STATUSES; k++)
                                atomic_init(&s->requests[r][k], 0);
                        for (size_t k = 0; k <= N_BUCKETS; k++)
                                atomic_init(&s->latency[r][k], 0);
                        atomic_init(&s->latency_sum_us[r], 0);
                }
                for (size_t v = 0; v < VOTE_COUNT; v++)
                        atomic_init(&s->votes[v], 0);
                for (size_t k = 0; k < SHED_COUNT; k++)
                        atomic_init(&s->shed[k], 0);
                atomic_init(&s->connections, 0);
        }
        clock_gettime(CLOCK_REALTIME, &now);
        m->start_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
        snprintf(m->version, sizeof(m->version), "%s", version ? version : "");
        return m;
}

void metrics_free(struct metrics *m)
{
        if (!m)
                return;
        free(m->shards);
        free(m);
}

struct metrics_shard *metrics_shard(struct metrics *m, unsigned i)
{
        return &m->shards[i < m->n ? i : 0];
}

void metrics_observe(struct metrics_shard *s, enum metrics_route r, int status, long long usec)
{
        size_t k = 0, b = 0;

        if ((unsigned)r >= ROUTE_COUNT)
                r = ROUTE_OTHER;
        while (k < N_STATUSES && statuses[k] != status)
                k++;
        if (usec < 0)
                usec = 0;
        while (b < N_BUCKETS && usec > buckets_us[b])
                b++;
        bump(&s->requests[r][k], 1);
        bump(&s->latency[r][b], 1);
        bump(&s->latency_sum_us[r], (uint64_t)usec);
}

void metrics_vote(struct metrics_shard *s, enum vote v)
{
        if ((unsigned)v < VOTE_COUNT)
                bump(&s->votes[v], 1);
}

void metrics_shed(struct metrics_shard *s, enum metrics_shed why)
{
        if ((unsigned)why < SHED_COUNT)
                bump(&s->shed[why], 1);
}

void metrics_connections(struct metrics_shard *s, unsigned open)
{
        atomic_store_explicit(&s->connections, open, memory_order_relaxed);
}

void metrics_set_connection_cap(struct metrics *m, unsigned cap)
{
        m->connection_cap = cap;
}

/* "0.0001", "0.25", "1": a bucket bound in seconds, as Prometheus's own clients write it. */
static void add_seconds(struct buf *b, long long us)
{
        buf_printf(b, "%lld", us / 1000000);
        us %= 1000000;
        if (us) {
                char frac[8];
                int n = 6;

                snprintf(frac, sizeof(frac), "%06lld", us);
                while (n > 0 && frac[n - 1] == '0')
                        n--;
                buf_printf(b, ".%.*s", n, frac);
        }
}

static void header(struct buf *b, const char *name, const char *type, const char *help)
{
        buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The connection gauges and why connections were shed. */
static void render_connections(const struct metrics *m, struct buf *b)
{
        uint64_t sum;

        sum = 0;
        for (unsigned i = 0; i < m->n; i++)
                sum += get(&m->shards[i].connections);
        header(b, "portinfo_http_connections", "gauge", "Client connections open now.");
        buf_printf(b, "portinfo_http_connections %llu\n", (unsigned long long)sum);
        header(b, "portinfo_http_connections_max", "gauge",
               "The cap on open client connections (--max-connections, as the open-file limit "
               "allows).");
        buf_printf(b, "portinfo_http_connections_max %u\n", m->connection_cap);
        header(b, "portinfo_http_connections_shed_total", "counter",
               "Connections closed or refused to keep within the connection caps, by reason: "
               "idle (the oldest idle one), partial (the oldest unfinished request), "
               "per_address (a new one over its address's cap), slow (a request still "
               "arriving after the timeout).");
        for (size_t k = 0; k < SHED_COUNT; k++) {
                sum = 0;
                for (unsigned i = 0; i < m->n; i++)
                        sum += get(&m->shards[i].shed[k]);
                buf_printf(b, "portinfo_http_connections_shed_total{reason=\"%s\"} %llu\n",
                           shed_names[k], (unsigned long long)sum);
        }
}

int metrics_render(const struct metrics *m, const char *registry_date, struct buf *b)
{
        uint64_t sum;

        header(b, "portinfo_http_requests_total", "counter",
               "HTTP requests answered, by route and status (only those seen so far).");
        for (size_t r = 0; r < ROUTE_COUNT; r++)
                for (size_t k = 0; k <= N_STATUSES; k++) {
                        sum = 0;
                        for (unsigned i = 0; i < m->n; i++)
                                sum += get(&m->shards[i].requests[r][k]);
                        if (!sum)
                                continue;
                        buf_printf(b, "portinfo_http_requests_total{route=\"%s\",status=\"",
                                   route_names[r]);
                        if (k < N_STATUSES)
                                buf_printf(b, "%d", statuses[k]);
                        else
                                buf_adds(b, "other");
                        buf_printf(b, "\"} %llu\n", (unsigned long long)sum);
                }

        header(b, "portinfo_http_request_duration_seconds", "histogram",
               "Time from a request's arrival to its answer being written, by route.");
        for (size_t r = 0; r < ROUTE_COUNT; r++) {
                uint64_t n[N_BUCKETS + 1] = {0}, count = 0;

                sum = 0;
                for (unsigned i = 0; i < m->n; i++) {
                        for (size_t k = 0; k <= N_BUCKETS; k++)
                                n[k] += get(&m->shards[i].latency[r][k]);
                        sum += get(&m->shards[i].latency_sum_us[r]);
                }
                for (size_t k = 0; k <= N_BUCKETS; k++)
                        count += n[k];
                if (!count)
                        continue;
                count = 0;
                for (size_t k = 0; k <= N_BUCKETS; k++) {
                        count += n[k];
                        buf_printf(
                            b, "portinfo_http_request_duration_seconds_bucket{route=\"%s\",le=\"",
                            route_names[r]);
                        if (k < N_BUCKETS)
                                add_seconds(b, buckets_us[k]);
                        else
                                buf_adds(b, "+Inf");
                        buf_printf(b, "\"} %llu\n", (unsigned long long)count);
                }
                buf_printf(b, "portinfo_http_request_duration_seconds_sum{route=\"%s\"} ",
                           route_names[r]);
                add_seconds(b, (long long)sum);
                buf_printf(b, "\nportinfo_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                           route_names[r], (unsigned long long)count);
        }

        header(b, "portinfo_votes_total", "counter", "Votes recorded by this server, by value.");
        for (size_t v = 0; v < VOTE_COUNT; v++) {
                sum = 0;
                for (unsigned i = 0; i < m->n; i++)
                        sum += get(&m->shards[i].votes[v]);
                buf_printf(b, "portinfo_votes_total{vote=\"%s\"} %llu\n", vote_name((int)v),
                           (unsigned long long)sum);
        }

        render_connections(m, b);

        header(b, "portinfo_registry_info", "gauge",
               "The IANA registry the port data comes from, by its date (always 1).");
        buf_adds(b, "portinfo_registry_info{updated=\"");
        buf_add_prom_label(b, registry_date ? registry_date : "");
        buf_adds(b, "\"} 1\n");

        header(b, "portinfo_build_info", "gauge", "The portinfo version serving (always 1).");
        buf_adds(b, "portinfo_build_info{version=\"");
        buf_add_prom_label(b, m->version);
        buf_adds(b, "\"} 1\n");

        header(b, "process_start_time_seconds", "gauge",
               "Start time of the process since unix epoch in seconds.");
        buf_printf(b, "process_start_time_seconds %lld.%03lld\n", m->start_ms / 1000,
                   m->start_ms % 1000);
        return buf_error(b);
}

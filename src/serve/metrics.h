/* metrics: the server's counters, and their Prometheus text exposition for GET /metrics.
 *
 * Each event loop counts into its own shard (one writer, relaxed atomic stores: no lock and no
 * shared cache line on the request path); a scrape sums the shards.  Labels come from fixed
 * sets (a route name, never a raw path; a known status or "other"), so no request can add a
 * series.  Knows nothing of evhttp.
 */
#ifndef PORTINFO_METRICS_H
#define PORTINFO_METRICS_H

#include <stddef.h>

#include "buf.h"
#include "vote.h"

/* The labels a request can be counted under: routes.c's table gives each row one. */
enum metrics_route {
        ROUTE_HOME,         /* / */
        ROUTE_PORTS,        /* /ports */
        ROUTE_PORT,         /* /ports/N */
        ROUTE_VOTE,         /* /ports/N/feedback */
        ROUTE_SEARCH,       /* /search */
        ROUTE_API_PORT,     /* /api/ports/N */
        ROUTE_API_FEEDBACK, /* /api/ports/N/feedback */
        ROUTE_API_SEARCH,   /* /api/search */
        ROUTE_STATIC,       /* /static/... */
        ROUTE_HEALTHZ,      /* /healthz */
        ROUTE_METRICS,      /* /metrics */
        ROUTE_OTHER,        /* anything else, and requests that could not be read */
        ROUTE_COUNT,
};

/* Why a connection was closed (or refused) to keep within the connection caps. */
enum metrics_shed {
        SHED_IDLE,        /* the oldest idle one, at the cap (the server's or its address's) */
        SHED_PARTIAL,     /* the oldest unfinished request, at the cap */
        SHED_PER_ADDRESS, /* a new one over its address's cap, all of whose are being answered */
        SHED_SLOW,        /* a request still arriving after the timeout */
        SHED_COUNT,
};

struct metrics;
struct metrics_shard;

/* "home", "ports", "port", ... */
const char *metrics_route_name(enum metrics_route r);

/* Makes the counters for @n_shards event loops, noting now as the process's start time.
 * @version is copied.  Returns NULL when out of memory; free with metrics_free (NULL is
 * fine). */
struct metrics *metrics_new(unsigned n_shards, const char *version);
void metrics_free(struct metrics *m);

/* Shard @i (< n_shards) of @m, for one thread to write; owned by @m. */
struct metrics_shard *metrics_shard(struct metrics *m, unsigned i);

/* Counts one answered request: its route, HTTP status and time taken (microseconds). */
void metrics_observe(struct metrics_shard *s, enum metrics_route r, int status, long long usec);

/* Counts one recorded vote of value @v. */
void metrics_vote(struct metrics_shard *s, enum vote v);

/* Counts one connection closed or refused for reason @why. */
void metrics_shed(struct metrics_shard *s, enum metrics_shed why);

/* The connections open in this shard's event loop now. */
void metrics_connections(struct metrics_shard *s, unsigned open);

/* The connection cap the loops share, for portinfo_http_connections_max. */
void metrics_set_connection_cap(struct metrics *m, unsigned cap);

/* Appends every metric to @b in the Prometheus text format (version 0.0.4), summing the
 * shards as they are now, with @registry_date ("YYYY-MM-DD", of the table in use: a reload
 * may change it) as portinfo_registry_info's label.  Safe while other threads count.
 * Returns buf_error(@b). */
int metrics_render(const struct metrics *m, const char *registry_date, struct buf *b);

#endif

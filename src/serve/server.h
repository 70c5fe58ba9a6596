/* server: the state the server's files share: one struct server for the process, one struct
 * worker per event loop (thread).  Threads share only read-only data, the log's lock and the
 * counters; everything in a worker belongs to its thread.  No functions here: each file owns
 * the fields it names in its own header. */
#ifndef PORTINFO_SERVER_H
#define PORTINFO_SERVER_H

#include <event2/event.h>
#include <event2/http.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "accesslog.h"
#include "conn_types.h"
#include "feedback.h"
#include "http_config.h"
#include "metrics.h"
#include "pagecache.h"
#include "portdb.h"
#include "reply_types.h"

/* A table loaded on SIGHUP.  Tables are never freed while the server runs (a request may
 * still be reading the one before), so a reload costs one mapping of the file. */
struct db_node {
        struct db_node *prev;
        struct portdb db;
};

struct server {
        const struct http_config *cfg;
        _Atomic(const struct portdb *) db; /* the table in use; replaced whole on SIGHUP */
        struct db_node *loaded;            /* every table loaded on SIGHUP, newest first */
        atomic_ulong vote_gen;   /* bumped after every recorded vote: cached counts are stale */
        struct metrics *metrics; /* a shard per worker, summed by GET /metrics */
        struct reply_guard guard;
        pthread_mutex_t log_lock;
};

struct worker {
        struct server *srv;
        const struct http_config *cfg;
        unsigned id;
        pthread_t thread;
        int listen_fd;
        int stop_fd; /* eventfd: the main thread writes to ask for a stop */
        struct event_base *base;
        struct evhttp *http;
        struct evhttp_bound_socket *bound;
        struct event *stop_ev, *resolve_ev, *tick_ev;
        /* conn.c and gate.c */
        struct conn_list pending, idle, busy;
        struct conn *refused; /* refused connections waiting for evhttp to finish (gate.c) */
        struct conn orphan;   /* stands for connections that could not be counted (no memory) */
        struct peers peers;   /* client addresses and their connections */
        unsigned nconn, max_conn, max_per_peer;
        unsigned long moves; /* connections that became idle or busy, for conn->order */
        bool paused, draining;
        struct event *gate_ev;
        struct evbuffer *side; /* gate.c's scratch for moving bytes */
        /* reply.c */
        bool answering;            /* inside reply_send: the bytes written are ours */
        bool head_next;            /* ... and head[] still goes after the status line */
        char head[REPLY_HEAD_MAX]; /* the security headers, Content-Type and Cache-Control */
        size_t head_len;
        time_t lm_time; /* the last Last-Modified formatted, and its text */
        char lm_text[32];
        struct evbuffer *body;
        unsigned long ticks;
        struct timespec drain_deadline;
        struct feedback *fb;
        const struct portdb *db; /* read once per request from srv->db */
        time_t table_time;       /* when db was written: Last-Modified of what it alone decides */
        struct metrics_shard *metrics;
        struct portdb_search_ctx *search;
        struct pagecache *cache;
        struct accesslog log;
};

#endif

/* conn_types: one accepted connection and the lists of them, as a worker holds them (types
 * only: conn.c does the counting, server.h embeds the lists in each worker).
 */
#ifndef PORTINFO_CONN_TYPES_H
#define PORTINFO_CONN_TYPES_H

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <stdbool.h>
#include <time.h>

struct worker;

/* One accepted connection. */
struct conn {
        struct conn *prev, *next;
        struct worker *w;
        struct bufferevent *bev;
        struct evhttp_connection *evcon; /* NULL while pending */
        struct evbuffer_cb_entry *in_cb, *out_cb;
        bool busy;         /* part of a request received and its answer not yet all sent */
        time_t busy_since; /* CLOCK_MONOTONIC_COARSE seconds when the request began */
};

struct conn_list {
        struct conn *head;
};

#endif

/* conn_types: one accepted connection and the lists of them, as a worker holds them (types
 * only: conn.c does the counting and the caps, gate.c the framing, server.h embeds the lists in
 * each worker).
 */
#ifndef PORTINFO_CONN_TYPES_H
#define PORTINFO_CONN_TYPES_H

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <stdbool.h>
#include <time.h>

#include "framing.h"
#include "peers.h"

struct worker;

/* Which of its worker's lists a connection is on. */
enum conn_where {
        CONN_PENDING, /* accepted, not yet tied to evhttp's connection (conn_resolve) */
        CONN_IDLE,    /* no request begun: new, or between two requests of a keep-alive */
        CONN_BUSY,    /* a request arriving, being answered, or refused */
};

/* One accepted connection. */
struct conn {
        struct conn *prev, *next;                 /* in its worker's list (where) */
        struct conn *peer_prev, *peer_next;       /* among its address's connections */
        struct conn *refused_prev, *refused_next; /* gate.c's queue */
        struct worker *w;
        struct bufferevent *bev;
        struct evhttp_connection *evcon; /* NULL while pending */
        struct evbuffer_cb_entry *in_cb, *out_cb;
        struct peer *peer;      /* its address; NULL while pending or when it could not be told */
        struct evbuffer *hold;  /* gate.c: bytes read that are not yet a whole piece */
        struct framing framing; /* gate.c: where in the request stream it is */
        unsigned char where;    /* enum conn_where */
        bool busy;              /* part of a request received and its answer not yet all sent */
        bool used;              /* a byte of a request has come: no longer new */
        bool gating;            /* gate.c is moving its bytes: the input hook stays out */
        bool refused;        /* gate.c: refused, to be answered once evhttp is done with the rest */
        bool queued;         /* on the refusal queue */
        bool lingering;      /* the refusal is going out; what still comes is read and dropped */
        long long since;     /* CLOCK_MONOTONIC_COARSE ms when it became idle or busy */
        unsigned long order; /* and the worker's count of such moves then: a strict order */
        size_t dropped;      /* bytes read and dropped after the refusal */
};

/* A list in age order: the head is the oldest. */
struct conn_list {
        struct conn *head, *tail;
};

#endif

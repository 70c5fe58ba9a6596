/* conn: connection accounting and limits: each accepted connection is counted until evhttp
 * frees it (libevent 2.1 has no evhttp_set_max_connections), idle and busy ones are kept in
 * age order, a cap per server and per client address makes room by closing the oldest idle
 * connection (else the oldest unfinished request), and requests that arrive too slowly are
 * closed.  Does not read requests or write answers; one event loop's thread only. */
#ifndef PORTINFO_CONN_H
#define PORTINFO_CONN_H

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <stdbool.h>
#include <time.h>

#include "conn_types.h"

/* evhttp's bufferevent callback (evhttp_set_bevcb, @arg the worker): makes the bufferevent of
 * a new connection, counts it and pauses the listener at the cap.  Returns the bufferevent
 * (evhttp owns it), or NULL when out of memory (evhttp then makes its own). */
struct bufferevent *conn_new(struct event_base *base, void *arg);

/* The event (@arg the worker) conn_new activates: ties each pending connection to the evhttp
 * connection made for it, or forgets it when evhttp has freed it already. */
void conn_resolve(evutil_socket_t fd, short what, void *arg);

/* Forgets every connection of @w without closing it (evhttp_free has, or will). */
void conn_forget_all(struct worker *w);

/* Closes every idle connection of @w (no request begun, no answer being sent), and every
 * refused one whose answer is out. */
void conn_close_idle(struct worker *w);

/* Closes the connections of @w whose request has been arriving for longer than the timeout. */
void conn_sweep_slow(struct worker *w);

/* At the cap, when a connection could not be made room for: closes up to a few of the oldest
 * idle connections, else of the oldest unfinished requests. */
void conn_shed_when_full(struct worker *w);

/* Raises the open-file limit as far as allowed for @want connections over @threads loops;
 * returns how many connections it leaves room for. */
unsigned conn_fit_limit(unsigned want, unsigned threads);

#endif

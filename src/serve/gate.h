/* gate: the strict reader (framing.c) between a connection's socket and evhttp.  evhttp is
 * given only whole pieces that passed (a head, body bytes, a chunk line); the bytes of a piece
 * still arriving are held back.  A refused request, and everything after it, never reaches
 * evhttp: once evhttp has answered the requests before it, the gate answers (400, 413, 414,
 * 431, 501 or 505, "Connection: close"), reads and drops what still comes for a moment so the
 * answer is not lost to a reset, and closes (RFC 9112 9.6).
 *
 * Counting and caps are conn.c's; one event loop's thread only.
 */
#ifndef PORTINFO_GATE_H
#define PORTINFO_GATE_H

#include <event2/buffer.h>
#include <event2/util.h>
#include <stdbool.h>
#include <stddef.h>

#include "conn_types.h"

/* conn.c's input hook, for @n bytes just read onto the end of @in (the connection's input,
 * which evhttp reads): leaves there what is whole, holds back the rest or drops a refused
 * request.  Moving bytes calls the hook again; c->gating tells it to stay out. */
void gate_input(struct conn *c, struct evbuffer *in, size_t n);

/* Whether bytes of @c are held back (a request has begun). */
bool gate_holding(const struct conn *c);

/* The worker's gate event (@arg the worker): answers every refused connection whose earlier
 * answers are all out and whose input evhttp has all read. */
void gate_run(evutil_socket_t fd, short what, void *arg);

/* Asks for gate_run on @w's loop: an answer of a refused connection has gone out. */
void gate_wake(struct worker *w);

/* Forgets what the gate keeps of @c (held bytes, its place on the refusal queue). */
void gate_forget(struct conn *c);

#endif

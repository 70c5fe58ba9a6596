/* conn: counts connections and keeps them within two caps, the server's and each client
 * address's, so that neither idle sockets nor slow requests can hold every slot.
 *
 * Each connection is idle (no request begun: new, or between two keep-alive requests) or busy
 * (a request arriving, being answered, or refused), on a list of its kind in age order.  A new
 * connection over a cap takes the place of the oldest idle one, else of the oldest unfinished
 * request; an answer being written is never cut.  Only when every one is being answered does
 * a newcomer wait (at the server's cap: in the kernel's queue) or go (at its address's cap).
 *
 * Bytes arriving go through gate.c before evhttp sees them; what goes into a connection's
 * output is reply.c's business, the output hook here keeps the busy/idle state.
 */
#include "conn.h"

#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "gate.h"
#include "reply.h"
#include "server.h"

#define SHED_PER_TICK 16 /* connections a full thread closes per tick to make room */
/* A new connection's request comes right behind the handshake: one that has sent nothing for
 * this long is idle; before, it is the last to make room, after unfinished requests. */
#define NEW_GRACE_MS 250

static struct conn_list *list_of(struct worker *w, unsigned where)
{
        return where == CONN_PENDING ? &w->pending : where == CONN_IDLE ? &w->idle : &w->busy;
}

static void list_append(struct conn_list *l, struct conn *c)
{
        c->next = NULL;
        c->prev = l->tail;
        if (l->tail)
                l->tail->next = c;
        else
                l->head = c;
        l->tail = c;
}

static void list_del(struct conn_list *l, struct conn *c)
{
        if (c->prev)
                c->prev->next = c->next;
        else
                l->head = c->next;
        if (c->next)
                c->next->prev = c->prev;
        else
                l->tail = c->prev;
        c->prev = c->next = NULL;
}

/* Milliseconds of CLOCK_MONOTONIC_COARSE (a few milliseconds' resolution is plenty here). */
static long long coarse_now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Moves @c to the young end of list @where, stamped now. */
static void move_to(struct conn *c, unsigned where)
{
        struct worker *w = c->w;

        list_del(list_of(w, c->where), c);
        c->where = (unsigned char)where;
        c->since = coarse_now();
        c->order = ++w->moves;
        list_append(list_of(w, where), c);
}

static bool writing(const struct conn *c)
{
        return evbuffer_get_length(bufferevent_get_output(c->bev)) > 0;
}

/* Request bytes arriving make a connection busy until its answer has all been written and
 * nothing more waits to be read; gate.c sees them first. */
static void on_input_change(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
        struct conn *c = arg;

        if (c->gating || !info->n_added)
                return;
        c->used = true;
        if (!c->busy) {
                c->busy = true;
                if (c->where != CONN_PENDING)
                        move_to(c, CONN_BUSY);
        }
        gate_input(c, buf, info->n_added);
}

/* An answer all sent makes the connection idle (or starts the next, pipelined, request, or lets
 * a refused one be answered); the bytes being added are reply.c's to complete, and an answer
 * evhttp (or gate.c) wrote itself is logged with what is known: no method or target was read. */
static void on_output_change(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
        struct conn *c = arg;
        struct worker *w = c->w;
        char code[3];

        if (c->bev && c->where != CONN_PENDING && info->n_deleted &&
            info->orig_size == info->n_deleted && !c->lingering) {
                if (c->refused)
                        gate_wake(w);
                else if (evbuffer_get_length(bufferevent_get_input(c->bev)) == 0 &&
                         !gate_holding(c)) {
                        c->busy = false;
                        move_to(c, CONN_IDLE);
                } else {
                        move_to(c, CONN_BUSY); /* the next request's time starts now */
                }
        }
        if (info->n_added && reply_on_output(w, buf, info, code))
                accesslog_bare(&w->log, c->evcon, code);
}

static void peer_link(struct conn *c, struct peer *p)
{
        c->peer = p;
        c->peer_prev = NULL;
        c->peer_next = p->conns;
        if (p->conns)
                p->conns->peer_prev = c;
        p->conns = c;
        p->count++;
}

static void peer_unlink(struct worker *w, struct conn *c)
{
        struct peer *p = c->peer;

        if (!p)
                return;
        if (c->peer_prev)
                c->peer_prev->peer_next = c->peer_next;
        else
                p->conns = c->peer_next;
        if (c->peer_next)
                c->peer_next->peer_prev = c->peer_prev;
        c->peer = NULL;
        p->count--;
        peers_put(&w->peers, p);
}

static void conn_gone(struct worker *w, struct conn *c)
{
        if (c->in_cb)
                evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->in_cb);
        if (c->out_cb)
                evbuffer_remove_cb_entry(bufferevent_get_output(c->bev), c->out_cb);
        list_del(list_of(w, c->where), c);
        peer_unlink(w, c);
        gate_forget(c);
        free(c);
        w->nconn--;
        metrics_connections(w->metrics, w->nconn);
        if (w->paused && !w->draining && w->nconn <= w->max_conn) {
                evconnlistener_enable(evhttp_bound_socket_get_listener(w->bound));
                w->paused = false;
        }
}

static void on_conn_closed(struct evhttp_connection *evcon, void *arg)
{
        struct conn *c = arg;

        conn_gone(c->w, c);
}

/* Closes @c (on_conn_closed frees it), counted under @why. */
static void shed(struct worker *w, struct conn *c, enum metrics_shed why)
{
        metrics_shed(w->metrics, why);
        evhttp_connection_free(c->evcon);
}

/* How readily @c makes room: 0 idle, 1 a request still arriving, 2 new within its grace, 3
 * never (its answer is being written). */
static int rank(const struct conn *c, long long now)
{
        if (c->busy)
                return writing(c) ? 3 : 1;
        return !c->used && now - c->since < NEW_GRACE_MS ? 2 : 0;
}

/* The connection to close for room, other than @keep: the oldest idle one, else the oldest
 * whose request is still arriving, else the oldest new one; never one whose answer is being
 * written.  The lists are in age order, so each walk stops early.  NULL: none. */
static struct conn *victim(struct worker *w, const struct conn *keep)
{
        long long now = coarse_now();
        struct conn *c;

        for (c = w->idle.head; c && rank(c, now) == 0; c = c->next)
                if (c != keep)
                        return c;
        for (c = w->busy.head; c; c = c->next)
                if (c != keep && !writing(c))
                        return c;
        for (c = w->idle.head; c; c = c->next)
                if (c != keep)
                        return c;
        return NULL;
}

/* The same among @p's connections (at most its cap of them). */
static struct conn *peer_victim(const struct peer *p, const struct conn *keep)
{
        long long now = coarse_now();
        struct conn *best = NULL, *c;
        int best_rank = 3, r;

        for (c = p->conns; c; c = c->peer_next) {
                if (c == keep || (r = rank(c, now)) == 3)
                        continue;
                if (r < best_rank || (r == best_rank && c->order < best->order)) {
                        best = c;
                        best_rank = r;
                }
        }
        return best;
}

/* A connection just tied to evhttp: counts it under its address and makes room under both
 * caps.  May close @c itself (its address at the cap, all of whose connections are being
 * answered): the caller must not touch @c after. */
static void admit(struct worker *w, struct conn *c)
{
        const struct sockaddr *sa = evhttp_connection_get_addr(c->evcon);
        struct peer *p = sa ? peers_get(&w->peers, sa) : NULL;
        struct conn *v;

        if (p && p->count >= w->max_per_peer) {
                v = peer_victim(p, c);
                if (!v) {
                        shed(w, c, SHED_PER_ADDRESS);
                        return;
                }
                shed(w, v, v->busy ? SHED_PARTIAL : SHED_IDLE);
        }
        if (p)
                peer_link(c, p);
        if (w->nconn > w->max_conn && (v = victim(w, c)))
                shed(w, v, v->busy ? SHED_PARTIAL : SHED_IDLE);
}

/* The input of a connection that could not be counted (no memory): nothing unchecked may reach
 * evhttp, so it reads nothing until its timeout. */
static void on_orphan_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
        if (info->n_added)
                evbuffer_drain(buf, evbuffer_get_length(buf));
}

/* A connection one over the cap is taken, and the listener paused: conn_resolve makes room
 * (or, when it cannot, new ones wait in the kernel's queue). */
struct bufferevent *conn_new(struct event_base *base, void *arg)
{
        struct worker *w = arg;
        struct conn *c = calloc(1, sizeof(*c));
        struct evbuffer *hold = evbuffer_new();
        struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);

        if (!c || !hold || !bev) {
                /* Uncounted, and left to time out; its answers still get their headers
                 * (on_output_change). */
                free(c);
                if (hold)
                        evbuffer_free(hold);
                if (bev) {
                        evbuffer_add_cb(bufferevent_get_input(bev), on_orphan_input, NULL);
                        evbuffer_add_cb(bufferevent_get_output(bev), on_output_change, &w->orphan);
                }
                return bev; /* NULL: evhttp makes its own, with no headers block */
        }
        /* Keep the bufferevent's memory until conn_resolve has looked at it, even if evhttp
         * frees the connection at once. */
        bufferevent_incref(bev);
        c->w = w;
        c->bev = bev;
        c->hold = hold;
        c->where = CONN_PENDING;
        framing_init(&c->framing, MAX_HEADER_BYTES, MAX_BODY_BYTES);
        c->in_cb = evbuffer_add_cb(bufferevent_get_input(bev), on_input_change, c);
        c->out_cb = evbuffer_add_cb(bufferevent_get_output(bev), on_output_change, c);
        list_append(&w->pending, c);
        w->nconn++;
        metrics_connections(w->metrics, w->nconn);
        if (w->nconn > w->max_conn && !w->paused) {
                evconnlistener_disable(evhttp_bound_socket_get_listener(w->bound));
                w->paused = true;
        }
        event_active(w->resolve_ev, EV_READ, 0);
        return bev;
}

/* Runs right after the accept: evhttp has made each pending connection by now, and a
 * bufferevent it owns carries the connection as its callback argument (libevent 2.1's
 * evhttp_connection_base_bufferevent_new); a freed one has no callbacks left. */
void conn_resolve(evutil_socket_t fd, short what, void *arg)
{
        struct worker *w = arg;
        struct conn *c;

        while ((c = w->pending.head)) {
                bufferevent_data_cb rcb, wcb;
                bufferevent_event_cb ecb;
                void *cbarg = NULL;
                struct bufferevent *bev = c->bev;

                bufferevent_getcb(bev, &rcb, &wcb, &ecb, &cbarg);
                if (ecb && cbarg &&
                    evhttp_connection_get_bufferevent((struct evhttp_connection *)cbarg) == bev) {
                        int one = 1;

                        c->evcon = cbarg;
                        evhttp_connection_set_closecb(c->evcon, on_conn_closed, c);
                        setsockopt(bufferevent_getfd(bev), IPPROTO_TCP, TCP_NODELAY, &one,
                                   sizeof(one));
                        move_to(c, c->busy ? CONN_BUSY : CONN_IDLE);
                        bufferevent_decref(bev);
                        admit(w, c);
                } else {
                        conn_gone(w, c); /* evhttp has freed it: only our reference is left */
                        bufferevent_decref(bev);
                }
        }
}

void conn_forget_all(struct worker *w)
{
        struct conn *c;

        while ((c = w->pending.head)) {
                struct bufferevent *bev = c->bev;

                conn_gone(w, c);
                bufferevent_decref(bev);
        }
        for (unsigned where = CONN_IDLE; where <= CONN_BUSY; where++)
                while ((c = list_of(w, where)->head)) {
                        list_del(list_of(w, where), c);
                        peer_unlink(w, c);
                        gate_forget(c);
                        free(c);
                }
}

void conn_close_idle(struct worker *w)
{
        struct conn *c, *next;

        for (c = w->idle.head; c; c = next) {
                next = c->next;
                evhttp_connection_free(c->evcon); /* on_conn_closed frees c */
        }
        for (c = w->busy.head; c; c = next) {
                next = c->next;
                if (c->refused && !writing(c))
                        evhttp_connection_free(c->evcon);
        }
}

/* evhttp's own timeout restarts with every byte, so a client sending one byte every few
 * seconds would otherwise hold its connection (and, with enough of them, every slot) for ever.
 * The busy list is in age order: the sweep stops at the first young one.  An answer being sent
 * to a slow reader is left to evhttp's write timeout. */
void conn_sweep_slow(struct worker *w)
{
        long long now = coarse_now();
        struct conn *c, *next;

        for (c = w->busy.head; c && now - c->since > w->cfg->timeout_s * 1000LL; c = next) {
                next = c->next;
                if (!writing(c) && !c->lingering) /* gate.c times those out itself */
                        shed(w, c, SHED_SLOW);    /* on_conn_closed frees c */
        }
}

/* At the cap the listener is paused only when no connection could make room (every one was
 * being answered).  Each tick makes room again, if some answer has finished since, by closing
 * the oldest idle connections, then the oldest unfinished requests. */
void conn_shed_when_full(struct worker *w)
{
        struct conn *v;

        for (unsigned shed_n = 0; shed_n < SHED_PER_TICK && w->nconn > w->max_conn; shed_n++) {
                v = victim(w, NULL);
                if (!v)
                        break;
                shed(w, v, v->busy ? SHED_PARTIAL : SHED_IDLE);
        }
}

unsigned conn_fit_limit(unsigned want, unsigned threads)
{
        struct rlimit rl;
        unsigned spare = 64 + 4 * threads;

        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return want;
        if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < want + spare) {
                rl.rlim_cur = rl.rlim_max < want + spare ? rl.rlim_max : want + spare;
                setrlimit(RLIMIT_NOFILE, &rl);
                getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want + spare)
                return rl.rlim_cur > spare + threads ? (unsigned)(rl.rlim_cur - spare) : threads;
        return want;
}

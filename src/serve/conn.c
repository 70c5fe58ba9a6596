/* conn: counts connections, pauses the listener at the cap, and closes requests that arrive too
 * slowly, so that a few slow clients cannot hold every slot.
 *
 * What goes into a connection's output is reply.c's business; the output hook here only keeps
 * the busy/idle state and passes the rest on.
 */
#include "conn.h"

#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "reply.h"
#include "server.h"

#define SHED_PER_TICK 16 /* connections a full thread closes per tick to make room */

static void list_add(struct conn_list *l, struct conn *c)
{
        c->prev = NULL;
        c->next = l->head;
        if (l->head)
                l->head->prev = c;
        l->head = c;
}

static void list_del(struct conn_list *l, struct conn *c)
{
        if (c->prev)
                c->prev->next = c->next;
        else
                l->head = c->next;
        if (c->next)
                c->next->prev = c->prev;
        c->prev = c->next = NULL;
}

static time_t coarse_now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return ts.tv_sec;
}

/* Request bytes arriving make a connection busy until its answer has all been written and
 * nothing more waits to be read: a stop then knows which connections it may close. */
static void on_input_change(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
        struct conn *c = arg;

        if (info->n_added && !c->busy) {
                c->busy = true;
                c->busy_since = coarse_now();
        }
}

/* An answer all sent makes the connection idle (or starts the next, pipelined, request); the
 * bytes being added are reply.c's to complete, and an answer evhttp wrote itself is logged
 * with what is known: no method or target was read. */
static void on_output_change(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
        struct conn *c = arg;
        struct worker *w = c->w;
        char code[3];

        if (c->bev && info->n_deleted && info->orig_size == info->n_deleted) {
                if (evbuffer_get_length(bufferevent_get_input(c->bev)) == 0)
                        c->busy = false;
                else
                        c->busy_since = coarse_now();
        }
        if (info->n_added && reply_on_output(w, buf, info, code))
                accesslog_bare(&w->log, c->evcon, code);
}

static void conn_gone(struct worker *w, struct conn *c)
{
        if (c->in_cb)
                evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->in_cb);
        if (c->out_cb)
                evbuffer_remove_cb_entry(bufferevent_get_output(c->bev), c->out_cb);
        free(c);
        w->nconn--;
        if (w->paused && !w->draining && w->nconn < w->max_conn) {
                evconnlistener_enable(evhttp_bound_socket_get_listener(w->bound));
                w->paused = false;
        }
}

static void on_conn_closed(struct evhttp_connection *evcon, void *arg)
{
        struct conn *c = arg;
        struct worker *w = c->w;

        list_del(&w->live, c);
        conn_gone(w, c);
}

/* New connections beyond the cap wait in the kernel's backlog. */
struct bufferevent *conn_new(struct event_base *base, void *arg)
{
        struct worker *w = arg;
        struct conn *c = calloc(1, sizeof(*c));
        struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);

        if (!c || !bev) {
                /* Uncounted, but its answers still get their headers (on_output_change). */
                free(c);
                if (bev)
                        evbuffer_add_cb(bufferevent_get_output(bev), on_output_change, &w->orphan);
                return bev; /* NULL: evhttp makes its own, with no headers block */
        }
        /* Keep the bufferevent's memory until conn_resolve has looked at it, even if evhttp
         * frees the connection at once. */
        bufferevent_incref(bev);
        c->w = w;
        c->bev = bev;
        c->in_cb = evbuffer_add_cb(bufferevent_get_input(bev), on_input_change, c);
        c->out_cb = evbuffer_add_cb(bufferevent_get_output(bev), on_output_change, c);
        list_add(&w->pending, c);
        w->nconn++;
        if (w->nconn >= w->max_conn && !w->paused) {
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

                list_del(&w->pending, c);
                bufferevent_getcb(c->bev, &rcb, &wcb, &ecb, &cbarg);
                if (ecb && cbarg &&
                    evhttp_connection_get_bufferevent((struct evhttp_connection *)cbarg) ==
                        c->bev) {
                        int one = 1;

                        c->evcon = cbarg;
                        evhttp_connection_set_closecb(c->evcon, on_conn_closed, c);
                        setsockopt(bufferevent_getfd(c->bev), IPPROTO_TCP, TCP_NODELAY, &one,
                                   sizeof(one));
                        list_add(&w->live, c);
                        bufferevent_decref(c->bev);
                } else {
                        conn_gone(w, c); /* evhttp has freed it: only our reference is left */
                        bufferevent_decref(c->bev);
                }
        }
}

void conn_forget_all(struct worker *w)
{
        struct conn *c;

        while ((c = w->pending.head)) {
                struct bufferevent *bev = c->bev;

                list_del(&w->pending, c);
                conn_gone(w, c);
                bufferevent_decref(bev);
        }
        while ((c = w->live.head)) {
                list_del(&w->live, c);
                free(c);
        }
}

void conn_close_idle(struct worker *w)
{
        struct conn *c, *next;

        for (c = w->live.head; c; c = next) {
                next = c->next;
                if (!c->busy && evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
                        evhttp_connection_free(c->evcon);
        }
}

/* evhttp's own timeout restarts with every byte, so a client sending one byte every few
 * seconds would otherwise hold its connection (and, with enough of them, every slot) for ever.
 * An answer being sent to a slow reader is left to evhttp's write timeout. */
void conn_sweep_slow(struct worker *w)
{
        time_t now = coarse_now();
        struct conn *c, *next;

        for (c = w->live.head; c; c = next) {
                next = c->next;
                if (c->busy && now - c->busy_since > w->cfg->timeout_s &&
                    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
                        evhttp_connection_free(c->evcon); /* on_conn_closed frees c */
        }
}

/* At the connection cap the listener is paused, and a new client would wait in the kernel's
 * queue until a slot frees: with enough slow clients, up to the timeout.  So a full thread
 * makes room each tick (at most SHED_PER_TICK connections) by closing the requests that have
 * been arriving for the longest (over a second), never an answer being sent.  Idle
 * connections keep their slot until the timeout: the cap stays a cap for clients that behave. */
void conn_shed_when_full(struct worker *w)
{
        time_t now = coarse_now();
        unsigned shed = 0;
        struct conn *c, *next;

        for (time_t age = w->cfg->timeout_s; age >= 1 && shed < SHED_PER_TICK; age /= 2)
                for (c = w->live.head; c && shed < SHED_PER_TICK; c = next) {
                        next = c->next;
                        if (c->busy && now - c->busy_since >= age &&
                            evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
                                evhttp_connection_free(c->evcon); /* on_conn_closed frees c */
                                shed++;
                        }
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

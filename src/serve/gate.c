/* gate: holds a connection's bytes back from evhttp until framing.c has passed them, and
 * answers and closes a connection whose request it refused.
 *
 * The bytes a read adds to the input buffer are looked at in place (evbuffer_peek).  Usually
 * they end on a whole piece and stay where they are; otherwise the unfinished tail moves to
 * the connection's hold buffer, and comes back once it is whole (evbuffer moves whole chains:
 * no copying but at the split).  Nothing here parses HTTP or decides what a request means.
 */
#include "gate.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <string.h>
#include <sys/socket.h>

#include "render_html.h"
#include "server.h"

#define LINGER_S     2     /* how long a refused connection's further bytes are read */
#define LINGER_BYTES 65536 /* and how many at most */
#define PEEK_VECS    4

/* Feeds the @n bytes at offset @off of @in to @c's reader; returns how many it read (fewer on
 * a refusal). */
static size_t feed(struct conn *c, struct evbuffer *in, size_t off, size_t n)
{
        struct evbuffer_ptr at;
        struct evbuffer_iovec v[PEEK_VECS];
        size_t done = 0;

        if (evbuffer_ptr_set(in, &at, off, EVBUFFER_PTR_SET) < 0)
                return 0;
        while (done < n) {
                int k = evbuffer_peek(in, (ev_ssize_t)(n - done), &at, v, PEEK_VECS);
                size_t round = 0;

                if (k <= 0)
                        break;
                for (int i = 0; i < k && i < PEEK_VECS && done < n; i++) {
                        size_t len = v[i].iov_len < n - done ? v[i].iov_len : n - done;
                        size_t used = framing_feed(&c->framing, v[i].iov_base, len);

                        done += used;
                        round += used;
                        if (c->framing.status)
                                return done;
                }
                if (evbuffer_ptr_set(in, &at, round, EVBUFFER_PTR_ADD) < 0)
                        break;
        }
        return done;
}

/* Moves the last @n bytes of @in onto the end of @dst, by way of @side (left empty). */
static void take_tail(struct evbuffer *in, size_t n, struct evbuffer *dst, struct evbuffer *side)
{
        size_t old = evbuffer_get_length(in) - n;

        if (old > 0)
                evbuffer_remove_buffer(in, side, old);
        evbuffer_add_buffer(dst, in);
        if (old > 0)
                evbuffer_add_buffer(in, side);
}

static void queue_add(struct worker *w, struct conn *c)
{
        c->refused_prev = NULL;
        c->refused_next = w->refused;
        if (w->refused)
                w->refused->refused_prev = c;
        w->refused = c;
        c->queued = true;
}

static void queue_del(struct worker *w, struct conn *c)
{
        if (c->refused_prev)
                c->refused_prev->refused_next = c->refused_next;
        else
                w->refused = c->refused_next;
        if (c->refused_next)
                c->refused_next->refused_prev = c->refused_prev;
        c->refused_prev = c->refused_next = NULL;
        c->queued = false;
}

void gate_wake(struct worker *w)
{
        event_active(w->gate_ev, EV_READ, 0);
}

void gate_input(struct conn *c, struct evbuffer *in, size_t n)
{
        struct worker *w = c->w;
        size_t held = evbuffer_get_length(c->hold), release = 0, used;

        if (c->lingering)
                return; /* linger_read drops it */
        if (!c->refused) {
                used = feed(c, in, evbuffer_get_length(in) - n, n);
                if (!c->framing.status && held == 0 && c->framing.pending == 0)
                        return; /* the usual case: whole requests, nothing to move */
                release = held + used - c->framing.pending;
        }
        c->gating = true;
        take_tail(in, n, c->hold, w->side);
        if (release)
                evbuffer_remove_buffer(c->hold, in, release);
        if (c->framing.status)
                evbuffer_drain(c->hold, evbuffer_get_length(c->hold));
        c->gating = false;
        if (c->framing.status && !c->refused) {
                /* Read no more: evhttp must not see the end of the stream before the answer. */
                c->refused = true;
                bufferevent_disable(c->bev, EV_READ);
                queue_add(w, c);
                gate_wake(w);
        }
}

bool gate_holding(const struct conn *c)
{
        return c->hold && evbuffer_get_length(c->hold) > 0;
}

void gate_forget(struct conn *c)
{
        if (c->queued)
                queue_del(c->w, c);
        if (c->hold)
                evbuffer_free(c->hold);
        c->hold = NULL;
}

static void linger_read(struct bufferevent *bev, void *arg)
{
        struct conn *c = arg;
        struct evbuffer *in = bufferevent_get_input(bev);

        c->dropped += evbuffer_get_length(in);
        evbuffer_drain(in, evbuffer_get_length(in));
        if (c->dropped > LINGER_BYTES)
                evhttp_connection_free(c->evcon); /* on_conn_closed frees c */
}

/* The answer is out: the client gets an end of stream after it, and whatever it still sends
 * is read (so that the kernel does not answer it with a reset, which could destroy the answer
 * before the client read it) until it closes, or for LINGER_S seconds. */
static void linger_sent(struct bufferevent *bev, void *arg)
{
        shutdown(bufferevent_getfd(bev), SHUT_WR);
}

static void linger_end(struct bufferevent *bev, short what, void *arg)
{
        struct conn *c = arg;

        evhttp_connection_free(c->evcon);
}

/* A refusal of a request for a Polish page (its target under /pl/) is the Polish error page,
 * as the routed errors of /pl/ are.  Adds its fields and body to @out; false when it could not
 * be built (the plain-text reason goes instead). */
static bool polish_page(struct worker *w, struct evbuffer *out, int status)
{
        struct html_ctx ctx = {.lang = LANG_PL, .site_name = w->cfg->site_name, .my_vote = -1};
        struct buf b;
        bool ok;

        buf_init(&b, MAX_PAGE_BYTES);
        ok = render_html_error(&b, status, &ctx) == 0 && b.len > 0;
        if (ok)
                ok = evbuffer_add_printf(out,
                                         "Content-Type: text/html; charset=utf-8\r\n"
                                         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                         b.len) >= 0 &&
                     evbuffer_add(out, b.data, b.len) == 0;
        buf_done(&b);
        return ok;
}

/* Takes @c's bufferevent from evhttp (which is idle: no answer of its own going out, no byte
 * of input left unread) and sends the refusal.  The status line goes alone first: conn.c's
 * output hook puts the security headers after it and logs it, as for evhttp's own answers. */
static void answer(struct conn *c)
{
        struct worker *w = c->w;
        struct bufferevent *bev = c->bev;
        struct evbuffer *out = bufferevent_get_output(bev);
        struct timeval rt = {LINGER_S, 0}, wt = {w->cfg->timeout_s, 0};
        int status = c->framing.status;
        const char *reason = framing_reason(status);

        c->lingering = true;
        bufferevent_setcb(bev, linger_read, linger_sent, linger_end, c);
        bufferevent_set_timeouts(bev, &rt, &wt);
        evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\n", status, reason);
        if (!framing_target_polish(&c->framing) || !polish_page(w, out, status))
                evbuffer_add_printf(out,
                                    "Content-Type: text/plain; charset=utf-8\r\n"
                                    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s.\n",
                                    strlen(reason) + 2, reason);
        bufferevent_enable(bev, EV_READ | EV_WRITE);
        metrics_observe(w->metrics, ROUTE_OTHER, status, 0);
}

void gate_run(evutil_socket_t fd, short what, void *arg)
{
        struct worker *w = arg;
        struct conn *c, *next;

        for (c = w->refused; c; c = next) {
                next = c->refused_next;
                if (evbuffer_get_length(bufferevent_get_output(c->bev)) > 0 ||
                    evbuffer_get_length(bufferevent_get_input(c->bev)) > 0)
                        continue; /* evhttp is still on an earlier request */
                queue_del(w, c);
                answer(c);
        }
}

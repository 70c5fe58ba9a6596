/* http: the server's loops: evhttp set-up, one event loop per thread (each with its own
 * SO_REUSEPORT socket, vote-store handle and page cache), the way in for every request, SIGHUP
 * reloads and the stop.  Routes are routes.c's, answers reply.c's, connection limits conn.c's,
 * request framing gate.c's and the log accesslog.c's. */
#include "http.h"

#include <errno.h>
#include <limits.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "conn.h"
#include "config.h"
#include "gate.h"
#include "httputil.h"
#include "routes.h"
#include "server.h"

#define TICK_MS 100

static long long now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the way in ---- */

/* When the table @db last changed, for Last-Modified: the modification time of the table file
 * in the data directory (what `portinfo update` writes and SIGHUP loads), or for the embedded
 * table, midnight UTC of its registry's date. */
static time_t table_time(const struct http_config *cfg, const struct portdb *db)
{
        const char *date = portdb_str(db, db->hdr->registry_updated);
        struct tm tm = {0};
        struct stat st;

        if (cfg->table_file && stat(cfg->table_file, &st) == 0)
                return st.st_mtime;
        if (date && sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
                tm.tm_year -= 1900;
                tm.tm_mon -= 1;
                return timegm(&tm);
        }
        return 1; /* unknown: as old as can be, so any If-Modified-Since is later */
}

/* Takes the table a SIGHUP may have replaced, at the start of a request so that one answer
 * never mixes two tables; cached pages of the old one are dropped. */
static void use_current_db(struct worker *w)
{
        const struct portdb *db = atomic_load_explicit(&w->srv->db, memory_order_acquire);

        if (db != w->db || !w->table_time) {
                w->db = db;
                w->table_time = table_time(w->cfg, db);
                pagecache_clear(w->cache);
                /* Another table gives every answer another ETag, even where the bytes match. */
                w->cache->tag_seed = (uint64_t)db->hdr->checksum << 32 | db->hdr->size;
        }
}

/* The configured origin that @origin names (case aside), or NULL. */
static const char *allowed_origin(const struct http_config *cfg, const char *origin)
{
        for (unsigned i = 0; origin && i < cfg->n_allow_origins; i++)
                if (strcasecmp(origin, cfg->allow_origins[i]) == 0)
                        return cfg->allow_origins[i];
        return NULL;
}

/* Splits the target into path and query, takes the language prefix off and finds the route:
 * the one parse of the path that routing and the counters share.  The language goes to
 * *ret_lang, for on_request to apply. */
static void classify(struct reqinfo *ri, enum lang *ret_lang)
{
        const char *q = strchr(ri->uri, '?'), *hash;
        struct route_match m;

        ri->path = ri->uri;
        ri->path_len = q ? (size_t)(q - ri->uri) : strlen(ri->uri);
        if (q) {
                ri->query = q + 1;
                ri->query_len = strcspn(ri->query, "#");
        }
        hash = memchr(ri->path, '#', ri->path_len);
        route_strip_lang(&ri->path, &ri->path_len, ret_lang);
        route_match(ri->path, ri->path_len, &m);
        ri->route = m.route;
        ri->port = m.port;
        ri->canonical = m.canonical;
        /* A fragment (browsers never send one) ends the path for the counters only. */
        ri->label = hash ? route_label_of(ri->uri) : m.route ? m.route->label : ROUTE_OTHER;
}

static void on_request(struct evhttp_request *req, void *arg)
{
        struct worker *w = arg;
        struct evhttp_connection *evcon = evhttp_request_get_connection(req);
        long long t0 = now_us(), usec;
        struct reqinfo ri = {0};
        struct reply rp = {0};
        struct evkeyvalq *in = evhttp_request_get_input_headers(req);
        enum lang lang = LANG_EN;
        const char *cookie;

        use_current_db(w);
        ri.cmd = evhttp_request_get_command(req);
        ri.uri = evhttp_request_get_uri(req);
        ri.lang = LANG_EN;
        ri.label = ROUTE_OTHER;
        if (!ri.uri || ri.uri[0] != '/') {
                reply_error(w, &ri, &rp, 400, "Bad request.");
                goto send;
        }
        classify(&ri, &lang);
        ri.lang = lang; /* from here, error pages too speak the language of the address */
        if (strlen(ri.uri) > MAX_URL_LEN) {
                reply_error(w, &ri, &rp, 414, "The address is too long.");
                goto send;
        }
        if (ri.path_len == 0) {
                /* "/pl" alone: sent to "/pl/" before cookies or CORS are looked at. */
                route_dispatch(w, req, &ri, &rp);
                goto send;
        }
        cookie = evhttp_find_header(in, "Cookie");
        if (cookie)
                ri.has_voter = httputil_cookie_voter(cookie, ri.voter);
        if (w->cfg->n_allow_origins)
                ri.cors_origin = allowed_origin(w->cfg, evhttp_find_header(in, "Origin"));
        if (ri.cmd == EVHTTP_REQ_OPTIONS && ri.cors_origin) {
                reply_preflight(&rp);
                goto send;
        }
        route_dispatch(w, req, &ri, &rp);
send:
        reply_send(w, req, &ri, &rp);
        usec = now_us() - t0;
        accesslog_request(&w->log, evcon, ri.cmd, ri.uri, rp.status, rp.len, usec);
        metrics_observe(w->metrics, ri.label, rp.status, usec);
        if (evcon)
                reply_flush_now(evcon); /* @req may be gone after this */
}

/* ---- stopping ---- */

static void finish(struct worker *w)
{
        if (w->http) {
                evhttp_free(w->http); /* closes what is left; on_conn_closed for each */
                w->http = NULL;
        }
        event_base_loopbreak(w->base);
}

static bool past(const struct timespec *t)
{
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* Closes every idle connection (no request begun, no answer being sent); finishes when none
 * is left or the drain time is up. */
static void drain_check(struct worker *w)
{
        conn_close_idle(w);
        if (w->nconn == 0 || past(&w->drain_deadline))
                finish(w);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
        struct worker *w = arg;
        uint64_t v;

        if (read(w->stop_fd, &v, sizeof(v)) < 0 || w->draining)
                return;
        w->draining = true;
        if (w->bound) {
                evhttp_del_accept_socket(w->http, w->bound); /* closes the listening socket */
                w->bound = NULL;
        }
        clock_gettime(CLOCK_MONOTONIC, &w->drain_deadline);
        w->drain_deadline.tv_sec += w->cfg->drain_s;
        drain_check(w);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
        struct worker *w = arg;

        accesslog_flush(&w->log);
        if (w->draining && w->http)
                drain_check(w);
        else if (w->http && w->paused)
                conn_shed_when_full(w);
        else if (w->http && ++w->ticks % (1000 / TICK_MS) == 0)
                conn_sweep_slow(w);
}

/* ---- set-up ---- */

static void *worker_main(void *arg)
{
        struct worker *w = arg;

        event_base_dispatch(w->base);
        return NULL;
}

static void worker_done(struct worker *w)
{
        w->draining = true; /* nothing may enable the listener from here on */
        if (w->http)
                evhttp_free(w->http);
        conn_forget_all(w);
        peers_done(&w->peers);
        if (w->side)
                evbuffer_free(w->side);
        if (w->stop_ev)
                event_free(w->stop_ev);
        if (w->resolve_ev)
                event_free(w->resolve_ev);
        if (w->gate_ev)
                event_free(w->gate_ev);
        if (w->tick_ev)
                event_free(w->tick_ev);
        if (w->body)
                evbuffer_free(w->body);
        if (w->base)
                event_base_free(w->base);
        if (w->stop_fd >= 0)
                close(w->stop_fd);
        if (w->listen_fd >= 0)
                close(w->listen_fd);
        accesslog_done(&w->log);
        feedback_free(w->fb);
        pagecache_free(w->cache);
        free(w->search);
}

static int worker_init(struct worker *w)
{
        struct timeval tick = {0, TICK_MS * 1000};
        struct event_config *ec = event_config_new();

        /* Each base belongs to one thread: no locking wanted.  The changelist folds the
         * read-off/write-on/write-off/read-on that evhttp does around each answer into the
         * epoll_wait call instead of four epoll_ctl system calls. */
        if (ec)
                event_config_set_flag(ec, EVENT_BASE_FLAG_NOLOCK |
                                              EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
        w->base = ec ? event_base_new_with_config(ec) : NULL;
        event_config_free(ec);
        w->http = w->base ? evhttp_new(w->base) : NULL;
        w->body = evbuffer_new();
        w->search = malloc(sizeof(*w->search));
        w->cache = pagecache_new();
        w->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        w->side = evbuffer_new();
        if (!w->http || !w->body || !w->search || !w->cache || w->stop_fd < 0 || !w->side ||
            peers_init(&w->peers, w->max_conn) < 0)
                return -ENOMEM;
        accesslog_init(&w->log, w->cfg->access_log, &w->srv->log_lock);
        evhttp_set_gencb(w->http, on_request, w);
        evhttp_set_bevcb(w->http, conn_new, w);
        evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                                EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                                EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                                EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
        evhttp_set_max_headers_size(w->http, MAX_HEADER_BYTES);
        evhttp_set_max_body_size(w->http, MAX_BODY_BYTES);
        evhttp_set_timeout(w->http, w->cfg->timeout_s);
        /* reply_send writes Content-Type itself, past evhttp's view (reply_on_output), and
         * evhttp's own answers name theirs: a default would be a second one. */
        evhttp_set_default_content_type(w->http, NULL);
        w->bound = evhttp_accept_socket_with_handle(w->http, w->listen_fd);
        if (!w->bound)
                return -EIO;
        w->listen_fd = -1; /* the listener owns it now */
        w->stop_ev = event_new(w->base, w->stop_fd, EV_READ | EV_PERSIST, on_stop, w);
        w->resolve_ev = event_new(w->base, -1, 0, conn_resolve, w);
        w->gate_ev = event_new(w->base, -1, 0, gate_run, w);
        w->tick_ev = event_new(w->base, -1, EV_PERSIST, on_tick, w);
        if (!w->stop_ev || !w->resolve_ev || !w->gate_ev || !w->tick_ev ||
            event_add(w->stop_ev, NULL) < 0 || event_add(w->tick_ev, &tick) < 0)
                return -ENOMEM;
        return 0;
}

static int listen_socket(const struct sockaddr *sa, socklen_t len, bool reuseport, bool do_listen)
{
        int one = 1;
        int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

        if (fd < 0)
                return -errno;
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
            (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) ||
            (sa->sa_family == AF_INET6 &&
             setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
            bind(fd, sa, len) < 0 || (do_listen && listen(fd, 1024) < 0)) {
                int e = errno;

                close(fd);
                return -e;
        }
        return fd;
}

/* Tells systemd (Type=notify) how things stand; nothing when not started by it. */
static void sd_notify_text(const char *text)
{
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        size_t n;
        int fd;

        if (!path || (path[0] != '/' && path[0] != '@') ||
            (n = strlen(path)) >= sizeof(sun.sun_path))
                return;
        memcpy(sun.sun_path, path, n);
        if (sun.sun_path[0] == '@')
                sun.sun_path[0] = '\0';
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return;
        sendto(fd, text, strlen(text), MSG_NOSIGNAL, (struct sockaddr *)&sun,
               (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n));
        close(fd);
}

static void on_libevent_log(int severity, const char *msg)
{
        if (severity >= EVENT_LOG_WARN)
                fprintf(stderr, "portinfo serve: libevent: %s\n", msg);
}

/* Opens one vote-store handle per thread; the first one creates or migrates the store.  @name
 * is the store as the log may show it (feedback_redact: no password). */
static void open_stores(const struct http_config *cfg, const char *name, struct worker *ws,
                        unsigned n)
{
        char why[256];
        int r;

        if (!cfg->feedback_path)
                return;
        r = feedback_open(cfg->feedback_path, false, &ws[0].fb);
        if (r == -EROFS)
                fprintf(stderr,
                        "portinfo serve: warning: the vote store %s is read-only: pages show its "
                        "counts, votes are refused (503)\n",
                        name);
        else if (r == -EPROTO)
                fprintf(stderr,
                        "portinfo serve: warning: the vote store %s was written by a newer "
                        "portinfo; votes are off (503)\n",
                        name);
        else if (r == -ENOTCONN) {
                feedback_last_error(ws[0].fb, why, sizeof(why));
                fprintf(stderr,
                        "portinfo serve: warning: the vote store %s cannot be reached now (%s); "
                        "pages are served, votes get 503 until it answers\n",
                        name, why);
        } else if (r < 0)
                fprintf(stderr,
                        "portinfo serve: warning: cannot open the vote store %s: %s; "
                        "votes are off (503)\n",
                        name, strerror(-r));
        if (!ws[0].fb)
                return;
        for (unsigned i = 1; i < n; i++)
                feedback_open(cfg->feedback_path, !feedback_writable(ws[0].fb), &ws[i].fb);
}

/* SIGHUP: loads the table in the data directory (or the embedded one when none is there) and
 * makes it the one the next requests use.  A damaged file leaves the table in use alone. */
static void reload_db(struct server *srv)
{
        const struct http_config *cfg = srv->cfg;
        const struct portdb *cur = atomic_load_explicit(&srv->db, memory_order_acquire);
        struct db_node *node;
        int r;

        if (!cfg->data_dir || !cfg->load_db) {
                fprintf(stderr, "portinfo serve: SIGHUP: no data directory; nothing reloaded\n");
                return;
        }
        node = calloc(1, sizeof(*node));
        if (!node) {
                fprintf(stderr, "portinfo serve: SIGHUP: out of memory; the data is unchanged\n");
                return;
        }
        r = cfg->load_db(&node->db, cfg->data_dir);
        if (r < 0 && r != -ENOENT) {
                fprintf(stderr,
                        "portinfo serve: SIGHUP: cannot use the table in %s (%s); the data in use "
                        "(registry of %s) is unchanged\n",
                        cfg->data_dir,
                        r == -EINVAL ? "damaged or not a portinfo table" : strerror(-r),
                        portdb_str(cur, cur->hdr->registry_updated));
                free(node);
                return;
        }
        node->prev = srv->loaded;
        srv->loaded = node;
        atomic_store_explicit(&srv->db, &node->db, memory_order_release);
        fprintf(stderr, "portinfo serve: SIGHUP: now serving the %s registry of %s (%u records)\n",
                r == 0 ? "imported" : "embedded",
                portdb_str(&node->db, node->db.hdr->registry_updated), node->db.hdr->n_records);
}

/* Finds out whether the address is free (and which port 0 stands for) without SO_REUSEPORT, so
 * that a second server on the same port fails instead of sharing.  Writes the address to
 * *addr and its text to @where.  Returns 0 or -errno (printed). */
static int probe_address(const struct http_config *cfg, struct sockaddr_storage *addr,
                         socklen_t *alen, char *where, size_t cap)
{
        _cleanup_close_ int fd = listen_socket((struct sockaddr *)addr, *alen, false, false);

        if (fd < 0 || getsockname(fd, (struct sockaddr *)addr, alen) < 0) {
                int r = fd < 0 ? fd : -errno;

                fprintf(stderr, "portinfo serve: cannot listen on %s: %s\n",
                        httputil_format_addr((struct sockaddr *)&cfg->addr, where, cap),
                        strerror(-r));
                return r;
        }
        httputil_format_addr((struct sockaddr *)addr, where, cap);
        return 0;
}

/* Sets up what the loops share.  Returns 0 or -ENOMEM; server_done releases it either way. */
static int server_init(struct server *srv, const struct http_config *cfg, unsigned n)
{
        srv->cfg = cfg;
        atomic_init(&srv->db, cfg->db);
        pthread_mutex_init(&srv->log_lock, NULL);
        srv->metrics = metrics_new(n, PORTINFO_VERSION);
        if (!srv->metrics)
                return -ENOMEM;
        reply_guard_init(&srv->guard, cfg->vote_url);
        return 0;
}

static void server_done(struct server *srv)
{
        struct db_node *node;

        metrics_free(srv->metrics);
        while ((node = srv->loaded)) {
                srv->loaded = node->prev;
                free(node); /* the mapping stays: datadir_open maps for the life of the process */
        }
        pthread_mutex_destroy(&srv->log_lock);
}

/* Gives each of the @n workers its share of @maxc connections and its own listening socket on
 * @addr.  Returns 0 or -errno (printed). */
static int workers_bind(struct server *srv, struct worker *ws, unsigned n,
                        const struct sockaddr_storage *addr, socklen_t alen, unsigned maxc,
                        const char *where)
{
        for (unsigned i = 0; i < n; i++) {
                ws[i].srv = srv;
                ws[i].orphan.w = &ws[i];
                memcpy(ws[i].head, srv->guard.lines, srv->guard.security_len);
                ws[i].cfg = srv->cfg;
                ws[i].db = srv->cfg->db;
                ws[i].id = i;
                ws[i].metrics = metrics_shard(srv->metrics, i);
                ws[i].stop_fd = -1;
                ws[i].listen_fd = -1;
                ws[i].max_conn = maxc / n ? maxc / n : 1;
                /* Rounded up, so that an address's share is never below one; 0: no cap. */
                ws[i].max_per_peer =
                    srv->cfg->max_per_address ? (srv->cfg->max_per_address + n - 1) / n : UINT_MAX;
        }
        for (unsigned i = 0; i < n; i++) {
                ws[i].listen_fd = listen_socket((const struct sockaddr *)addr, alen, true, true);
                if (ws[i].listen_fd < 0) {
                        int r = ws[i].listen_fd;

                        fprintf(stderr, "portinfo serve: cannot listen on %s: %s\n", where,
                                strerror(-r));
                        return r;
                }
        }
        return 0;
}

/* Serves: starts a thread per worker, waits for SIGTERM or SIGINT (reloading on SIGHUP), then
 * asks every loop to stop and joins them.  Returns 0, or -EAGAIN when a thread could not be
 * started (the ones that were are stopped). */
static int serve_until_signal(struct server *srv, struct worker *ws, unsigned n, const char *where,
                              unsigned maxc, const char *store)
{
        unsigned started = 0;
        char status[160];
        sigset_t sigs, old;
        int sig, r = 0;

        /* Only the main thread takes SIGTERM, SIGINT and SIGHUP, by sigwait. */
        sigemptyset(&sigs);
        sigaddset(&sigs, SIGTERM);
        sigaddset(&sigs, SIGINT);
        sigaddset(&sigs, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &sigs, &old);
        for (; started < n; started++)
                if (pthread_create(&ws[started].thread, NULL, worker_main, &ws[started]) != 0) {
                        fprintf(stderr, "portinfo serve: cannot start a thread\n");
                        r = -EAGAIN;
                        break;
                }
        if (started == n) {
                fprintf(stderr,
                        "portinfo serve: listening on http://%s/ (%u thread%s, %u connections, "
                        "votes %s%s)\n",
                        where, n, n == 1 ? "" : "s", maxc, ws[0].fb ? "in " : "off",
                        ws[0].fb ? store : "");
                snprintf(status, sizeof(status), "READY=1\nSTATUS=listening on http://%s/", where);
                sd_notify_text(status);
                for (;;) {
                        if (sigwait(&sigs, &sig) != 0)
                                continue;
                        if (sig != SIGHUP)
                                break;
                        reload_db(srv);
                }
                fprintf(stderr, "portinfo serve: %s: finishing answers in flight, then stopping\n",
                        sig == SIGTERM ? "SIGTERM" : "SIGINT");
                sd_notify_text("STOPPING=1");
        }
        for (unsigned i = 0; i < started; i++) {
                uint64_t one = 1;

                if (write(ws[i].stop_fd, &one, sizeof(one)) < 0)
                        event_base_loopbreak(ws[i].base);
        }
        for (unsigned i = 0; i < started; i++)
                pthread_join(ws[i].thread, NULL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return r;
}

/* Binds, opens the stores, sets up every loop, runs the after_setup hook and serves. */
static int run(struct server *srv, struct worker *ws, unsigned n,
               const struct sockaddr_storage *addr, socklen_t alen, const char *where)
{
        const struct http_config *cfg = srv->cfg;
        char store[256] = "";
        unsigned maxc;
        int r;

        event_set_log_callback(on_libevent_log);
        signal(SIGPIPE, SIG_IGN);
        maxc = conn_fit_limit(cfg->max_connections, n);
        metrics_set_connection_cap(srv->metrics, maxc);
        r = workers_bind(srv, ws, n, addr, alen, maxc, where);
        if (r < 0)
                return r;
        if (cfg->feedback_path)
                feedback_redact(cfg->feedback_path, store, sizeof(store));
        if (!cfg->stores_after_setup)
                open_stores(cfg, store, ws, n);
        for (unsigned i = 0; i < n; i++) {
                r = worker_init(&ws[i]);
                if (r < 0) {
                        fprintf(stderr, "portinfo serve: cannot start: %s\n", strerror(-r));
                        return r;
                }
        }
        if (cfg->after_setup) {
                r = cfg->after_setup(cfg->after_setup_arg);
                if (r < 0)
                        return r;
        }
        if (cfg->stores_after_setup)
                open_stores(cfg, store, ws, n);
        return serve_until_signal(srv, ws, n, where, maxc, store);
}

int http_run(const struct http_config *cfg)
{
        struct server srv = {0};
        struct sockaddr_storage addr = cfg->addr;
        socklen_t alen = cfg->addrlen;
        unsigned n = cfg->threads ? cfg->threads : 1;
        _cleanup_free_ struct worker *ws = NULL;
        char where[80];
        int r;

        r = probe_address(cfg, &addr, &alen, where, sizeof(where));
        if (r < 0)
                return r;
        ws = calloc(n, sizeof(*ws));
        if (!ws)
                return -ENOMEM;
        r = server_init(&srv, cfg, n);
        if (r == 0) {
                r = run(&srv, ws, n, &addr, alen, where);
                for (unsigned i = 0; i < n; i++)
                        worker_done(&ws[i]);
        }
        server_done(&srv);
        if (r == 0)
                fprintf(stderr, "portinfo serve: stopped\n");
        return r;
}

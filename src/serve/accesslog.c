/* accesslog: the per-loop access log buffer, flushed under the process's lock each tick or
 * once it passes LOG_FLUSH_BYTES.  Formats lines only: what a request was, and which requests
 * are logged, the callers decide. */
#include "accesslog.h"

#include <errno.h>
#include <unistd.h>

#include "httputil.h"

#define LOG_FLUSH_BYTES 16384
#define LOG_MAX_BYTES   (1u << 20)
#define LOG_MAX_URI     512

void accesslog_init(struct accesslog *log, bool on, pthread_mutex_t *lock)
{
        log->on = on;
        log->lock = lock;
        log->sec = 0;
        log->time[0] = '\0';
        buf_init(&log->buf, LOG_MAX_BYTES);
        buf_adds(&log->buf, ""); /* allocates, so accesslog_flush can always write a NUL */
}

void accesslog_flush(struct accesslog *log)
{
        size_t off = 0;

        if (log->buf.len == 0)
                return;
        pthread_mutex_lock(log->lock);
        while (off < log->buf.len) {
                ssize_t n = write(STDERR_FILENO, log->buf.data + off, log->buf.len - off);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break; /* stderr gone: drop the log rather than stop serving */
                off += (size_t)n;
        }
        pthread_mutex_unlock(log->lock);
        log->buf.len = 0;
        log->buf.data[0] = '\0';
}

void accesslog_done(struct accesslog *log)
{
        if (log->buf.data)
                accesslog_flush(log);
        buf_done(&log->buf);
}

/* Starts a line with the time and @evcon's peer; false when there is no access log. */
static bool line_start(struct accesslog *log, struct evhttp_connection *evcon)
{
        char *peer = NULL;
        ev_uint16_t port = 0;
        time_t t;

        if (!log->on)
                return false;
        t = time(NULL);
        if (t != log->sec) {
                struct tm tm;

                gmtime_r(&t, &tm);
                strftime(log->time, sizeof(log->time), "%Y-%m-%dT%H:%M:%SZ", &tm);
                log->sec = t;
        }
        if (evcon)
                evhttp_connection_get_peer(evcon, &peer, &port);
        if (buf_error(&log->buf)) {
                /* An error is sticky: start over with a fresh buffer. */
                buf_done(&log->buf);
                buf_init(&log->buf, LOG_MAX_BYTES);
        }
        buf_printf(&log->buf, "%s %s ", log->time, peer ? peer : "-");
        return true;
}

static void line_end(struct accesslog *log)
{
        if (log->buf.len >= LOG_FLUSH_BYTES)
                accesslog_flush(log);
}

static const char *method_name(enum evhttp_cmd_type cmd)
{
        switch (cmd) {
        case EVHTTP_REQ_GET:
                return "GET";
        case EVHTTP_REQ_POST:
                return "POST";
        case EVHTTP_REQ_HEAD:
                return "HEAD";
        case EVHTTP_REQ_PUT:
                return "PUT";
        case EVHTTP_REQ_DELETE:
                return "DELETE";
        case EVHTTP_REQ_OPTIONS:
                return "OPTIONS";
        case EVHTTP_REQ_TRACE:
                return "TRACE";
        case EVHTTP_REQ_CONNECT:
                return "CONNECT";
        case EVHTTP_REQ_PATCH:
                return "PATCH";
        }
        return "?";
}

void accesslog_request(struct accesslog *log, struct evhttp_connection *evcon,
                       enum evhttp_cmd_type cmd, const char *uri, int status, size_t bytes,
                       long long usec)
{
        if (!line_start(log, evcon))
                return;
        buf_printf(&log->buf, "%s ", method_name(cmd));
        httputil_log_uri(&log->buf, uri ? uri : "-", LOG_MAX_URI);
        buf_printf(&log->buf, " %d %zu %lld\n", status, bytes, usec);
        line_end(log);
}

void accesslog_bare(struct accesslog *log, struct evhttp_connection *evcon, const char code[3])
{
        if (!line_start(log, evcon))
                return;
        buf_printf(&log->buf, "- - %.3s - -\n", code);
        line_end(log);
}

/* accesslog: one line per request on stderr, buffered per event loop and written whole.
 *
 * "TIME PEER METHOD URI STATUS BYTES USEC"; the URI is escaped so that a line splits on
 * whitespace safely.  Does not decide what to log, and never stops the server: a log that
 * cannot be written is dropped.
 */
#ifndef PORTINFO_ACCESSLOG_H
#define PORTINFO_ACCESSLOG_H

#include <event2/http.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"

struct accesslog {
        bool on;               /* false: every call but flush and done does nothing */
        pthread_mutex_t *lock; /* shared by every loop's log: one write(2) at a time */
        struct buf buf;
        time_t sec; /* the second log_time was formatted for */
        char time[32];
};

/* Prepares @log (caller-owned) for one event loop; @lock is the process's, owned by the
 * caller.  Release with accesslog_done. */
void accesslog_init(struct accesslog *log, bool on, pthread_mutex_t *lock);

/* Writes what is buffered to stderr (then forgets it, written or not). */
void accesslog_flush(struct accesslog *log);

/* Flushes and frees the buffer; @log may be zeroed, never initialised. */
void accesslog_done(struct accesslog *log);

/* Logs one answered request: @evcon's peer (NULL: "-"), method, target (NULL: "-"), status,
 * bytes of body sent and microseconds taken. */
void accesslog_request(struct accesslog *log, struct evhttp_connection *evcon,
                       enum evhttp_cmd_type cmd, const char *uri, int status, size_t bytes,
                       long long usec);

/* Logs an answer evhttp wrote itself, before any method or target was read: only its
 * three-digit @code is known. */
void accesslog_bare(struct accesslog *log, struct evhttp_connection *evcon, const char code[3]);

#endif

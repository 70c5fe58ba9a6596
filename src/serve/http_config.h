/* http_config: what the server is told to do, and the named caps on everything a client
 * controls (types and constants only: http.c runs the server, server.h keeps the config).
 */
#ifndef PORTINFO_HTTP_CONFIG_H
#define PORTINFO_HTTP_CONFIG_H

#include <stdbool.h>
#include <sys/socket.h>

#include "portdb.h"
#include "webroot.h"

/* Named caps on everything a client controls. */
#define MAX_URL_LEN            2048             /* request target; longer: 414 */
#define MAX_QUERY_LEN          PORTDB_MAX_QUERY /* decoded search text; longer: 414 */
#define MAX_FORM_BYTES         1024             /* a vote's form body; longer: 413 */
#define MAX_HEADER_BYTES       8192       /* request line and headers (evhttp answers beyond it) */
#define MAX_BODY_BYTES         65536      /* any body (evhttp answers 413 itself beyond it) */
#define MAX_PAGE_BYTES         (1u << 20) /* a rendered answer */
#define HTTP_MAX_ALLOW_ORIGINS 8          /* --allow-origin */
#define HTTP_MAX_URL           200        /* --vote-url and each --allow-origin */

struct http_config {
        struct sockaddr_storage addr;
        socklen_t addrlen;
        unsigned threads;         /* event loops, each with its own SO_REUSEPORT socket */
        unsigned max_connections; /* for the whole server, split between the threads */
        unsigned max_per_address; /* from one IPv4 address or IPv6 /64 (split the same way; 0:
                                   * no cap) */
        int timeout_s;            /* read/write/idle timeout of a connection */
        int drain_s;              /* how long a stop waits for answers in flight */
        const char *site_name;
        const char *vote_url; /* base URL of a separate vote endpoint, or "" */
        const char *base_url; /* the site's address (--base-url, page_seo.h), or NULL */
        /* Origins ("https://host[:port]") whose pages may vote and read counts here across
         * origins (CORS with credentials), such as a static copy of the site. */
        const char *allow_origins[HTTP_MAX_ALLOW_ORIGINS];
        unsigned n_allow_origins;
        const char *feedback_path; /* SQLite file, PostgreSQL URI, or NULL for no vote store */
        /* Votes from new voters per client network (an IPv4 /24, an IPv6 /64), port and UTC day
         * (--votes-per-address); 0: no cap. */
        unsigned votes_per_address;
        bool access_log;
        const struct portdb *db;
        /* SIGHUP: @load_db(db, data_dir) fills a fresh table (datadir_open: 0, -ENOENT when the
         * embedded one is used, else -errno) that replaces @db for the requests that follow.
         * NULL: SIGHUP only says so.  Tables loaded this way are never unmapped. */
        int (*load_db)(struct portdb *db, const char *data_dir);
        const char *data_dir;
        const char *table_file; /* the table file in it (its time is Last-Modified), or NULL */
        /* Called once the sockets are bound and the vote stores open, before any thread is
         * started (to give up privileges); a negative return stops the start. NULL: none. */
        int (*after_setup)(void *arg);
        void *after_setup_arg;
        bool stores_after_setup;   /* open the vote stores after @after_setup, as its user */
        const struct webroot *web; /* may be NULL: /static/ answers 404 */
};

#endif

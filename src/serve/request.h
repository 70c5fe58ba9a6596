/* request: what the server learns about one request on its way in: method, language, path
 * and query, the route it matched, the voter and the CORS origin.
 *
 * Filled once by on_request (http.c) and the router; read by the handlers, the replies, the
 * access log and the counters.  Points into evhttp's request: valid while it is answered.
 */
#ifndef PORTINFO_REQUEST_H
#define PORTINFO_REQUEST_H

#include <event2/http.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "render_html.h"
#include "vote.h"

struct route;

struct reqinfo {
        enum evhttp_cmd_type cmd;
        enum lang lang;
        bool api, wants_json;
        const char *uri;
        const char *path; /* after the language prefix */
        size_t path_len;
        const char *query; /* after '?', or NULL */
        size_t query_len;
        /* The route table's row for the path (NULL: none), and the port its {N} names. */
        const struct route *route;
        enum metrics_route label; /* what the request is counted as */
        uint16_t port;
        bool canonical; /* the port was written without leading zeros */
        char voter[VOTER_ID_LEN + 1];
        bool has_voter;
        const char *cors_origin; /* an allowed origin this request came from, or NULL */
};

#endif

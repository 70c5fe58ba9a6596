/* http: the website's server: libevent's evhttp, one event loop per thread, and the caps on
 * what a client controls.
 *
 * Like cli.c this is a top of the program: it writes the access log and the start-up line to
 * stderr.  Routes are routes.c's, answers reply.c's; pages come from render_html, JSON from
 * render_json, votes from feedback.
 */
#ifndef PORTINFO_HTTP_H
#define PORTINFO_HTTP_H

#include "http_config.h"

/* Binds the listening sockets, serves until SIGTERM or SIGINT (reloading the table on each
 * SIGHUP), then stops accepting, lets answers in flight finish (up to drain_s) and returns 0.
 * Returns -errno when the server cannot start (the reason is printed).  Call from the main
 * thread before any other thread exists: it blocks those signals in every thread it creates. */
int http_run(const struct http_config *cfg);

#endif

/* render_who: the text and JSON faces of `who` and `audit`.
 *
 * Renderers read the reports and the portdb and write; they decide nothing about exit codes.
 * Every string that came from a process (names, paths, command lines) is printed through term,
 * which neutralises control characters, or escaped by jansson.
 */
#ifndef PORTINFO_RENDER_WHO_H
#define PORTINFO_RENDER_WHO_H

#include <jansson.h>
#include <stddef.h>

#include "audit.h"
#include "buf.h"
#include "inspect.h"
#include "portdb.h"
#include "term.h"

/* "127.0.0.1", "::1" (or "?" for an unknown family) of the local or remote end. */
void render_who_addr(const struct sock_row *row, bool local, char *buf, size_t size);

/* The first IANA entry assigning a service to @port for @proto, or NULL. */
const struct portdb_iana *render_who_service(const struct portdb *db, uint16_t port,
                                             enum proto proto);

/* "all interfaces (IPv4 and IPv6)", "loopback only", ... */
const char *render_who_exposure(const struct sock_row *row, enum exposure e);

/* Text: the sockets of @rep grouped by port, with holders and notes. */
void render_who_text(const struct term *t, const struct portdb *db,
                     const struct inspect_report *rep);

/* JSON: the contract's array of sockets (a new reference; NULL on ENOMEM). */
json_t *render_who_json(const struct portdb *db, const struct inspect_report *rep);

/* One socket object of that array. */
json_t *render_who_socket_json(const struct portdb *db, const struct inspect_report *rep,
                               const struct inspect_socket *s);

/* Text: the findings of @a grouped by severity, then a summary line. */
void render_audit_text(const struct term *t, const struct inspect_report *rep,
                       const struct audit_report *a, enum severity min);

/* JSON: {"listeners": [...], "unreadable_processes": N, ...} (a new reference; NULL: ENOMEM). */
json_t *render_audit_json(const struct portdb *db, const struct inspect_report *rep,
                          const struct audit_report *a, enum severity min);

/* Prometheus text format, for node_exporter's textfile collector: a portinfo_listener and a
 * portinfo_audit_finding series per distinct label set (proto, address, port, exe, user /
 * rule, severity), the findings by severity, the threshold, the unreadable processes and @now
 * (seconds since the epoch) as the time of the run.  Returns 0, -E2BIG or -ENOMEM. */
int render_audit_prom(struct buf *b, const struct inspect_report *rep, const struct audit_report *a,
                      enum severity min, long long now);

#endif

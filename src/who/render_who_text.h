/* render_who_text: the terminal face of `who` and `audit`, and the words for an address and
 * its reach that the other faces share.
 *
 * Reads the reports and writes; decides nothing about exit codes.  Every string that came from a
 * process (names, paths, command lines) is printed through term, which neutralises control
 * characters.
 */
#ifndef PORTINFO_RENDER_WHO_TEXT_H
#define PORTINFO_RENDER_WHO_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "audit.h"
#include "inspect.h"
#include "portdb.h"
#include "term.h"

/* "127.0.0.1", "::1" (or "?" for an unknown family) of the local or remote end. */
void render_who_addr(const struct sock_row *row, bool local, char *buf, size_t size);

/* The longest "[addr%dev]:port" render_who_endpoint() writes, with its NUL. */
#define RENDER_WHO_ENDPOINT_MAX (46 + 18 + 9)

/* "1.2.3.4:22", "[::1]:22", with "%dev" after a local address bound to a device of our own
 * namespace (as ss writes it), into @buf of @size bytes. */
void render_who_endpoint(const struct inspect_report *rep, const struct sock_row *row, bool local,
                         char *buf, size_t size);

/* "all interfaces (IPv4 and IPv6)", "loopback only", ... */
const char *render_who_exposure(const struct sock_row *row, enum exposure e);

/* Text: the sockets of @rep grouped by port, with holders and notes. */
void render_who_text(const struct term *t, const struct portdb *db,
                     const struct inspect_report *rep);

/* Text: the findings of @a grouped by severity, then a summary line. */
void render_audit_text(const struct term *t, const struct inspect_report *rep,
                       const struct audit_report *a, enum severity min);

/* What @a could not see, in words: "120 processes not readable, 3 listeners without a visible
 * owner" (empty when it saw everything), into @buf of @size bytes. */
void render_audit_unseen(const struct audit_report *a, char *buf, size_t size);

#endif

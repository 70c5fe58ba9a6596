/* procnet: the socket tables in /proc/net/{tcp,tcp6,udp,udp6}, for where sock_diag is missing.
 *
 * The same rows as sockdiag, read from text: slower (the kernel formats every socket and nothing
 * is filtered before it reaches us) and without the IPv6-only flag.  A fallback, never the first
 * choice.
 */
#ifndef PORTINFO_PROCNET_H
#define PORTINFO_PROCNET_H

#include <stddef.h>

#include "sockdiag.h"

#define PROCNET_MAX_LINE 512 /* longer lines are not socket records and are skipped */

/* Parses one record line ("  0: 0100007F:0016 00000000:0000 0A ... inode ...") of a table of
 * @proto and @family (AF_INET, AF_INET6) into *ret_row.  @line need not be NUL-terminated.
 * Returns 0, or -EINVAL for the header line and anything else that is not a record. */
int procnet_parse_line(const char *line, size_t len, enum proto proto, int family,
                       struct sock_row *ret_row);

/* Parses a whole table (@len bytes, the header line included) and appends to @t the rows that
 * pass @q (protocol, family, states, ports; q->protos and q->families are not consulted: the
 * caller says which table this is).  Returns the number of rows added, or -ENOMEM/-E2BIG.
 * Lines that are not records are skipped. */
int procnet_parse(const char *buf, size_t len, enum proto proto, int family,
                  const struct sockdiag_query *q, struct sock_table *t);

/* Reads the tables under @root (normally "/proc") that @q asks for and appends the matching
 * rows to @t.  Returns 0, -ENOENT when no table could be opened, -ENOMEM or -E2BIG. */
int procnet_query(const char *root, const struct sockdiag_query *q, struct sock_table *t);

#endif

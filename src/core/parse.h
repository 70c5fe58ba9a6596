/* parse: ports, protocols, PORT/PROTO specs and LO-HI ranges, with bounds.
 *
 * The only place that turns user text into numbers (resolve.h adds service names on top).
 * Nothing here prints or allocates.
 */
#ifndef PORTINFO_PARSE_H
#define PORTINFO_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "portdb.h"

/* Parses a decimal port 0-65535 (no sign, no spaces, no leading "+"; leading zeros allowed).
 * Returns 0, -EINVAL for text that is not a number, -ERANGE for a number above 65535. */
int parse_port(const char *s, uint16_t *ret_port);

/* Parses the @n bytes at @s (not NUL-terminated) as parse_port does.  Returns 0, -EINVAL or
 * -ERANGE. */
int parse_port_n(const char *s, size_t n, uint16_t *ret_port);

/* Parses the decimal port at the start of *@p and moves *@p past its digits (text such as
 * "32768\t60999").  Returns 0, -EINVAL (no digit there) or -ERANGE (above 65535); *@p moves only
 * on success. */
int parse_port_prefix(const char **p, uint16_t *ret_port);

/* Parses "tcp", "udp", "sctp" or "dccp" (any case).  Returns 0 or -EINVAL. */
int parse_proto(const char *s, enum proto *ret_proto);

/* Parses the @n bytes at @s as parse_proto does.  Returns 0 or -EINVAL. */
int parse_proto_n(const char *s, size_t n, enum proto *ret_proto);

/* Parses "PORT" or "PORT/PROTO".  *ret_protos is a PROTO_BIT mask: all four protocols (and
 * protocol-less rows) when no protocol is given.  Returns 0, -EINVAL (not a port), -ERANGE (port
 * out of bounds) or -EPROTONOSUPPORT (an unknown protocol after the slash). */
int parse_port_spec(const char *s, uint16_t *ret_port, unsigned *ret_protos);

/* Whether @s looks like a port spec rather than a service name: it starts, after any blanks,
 * with a digit or a sign.  Such text is parsed as a port and refused if it is not one (unless
 * it is exactly a service name: see resolve.h). */
int parse_looks_numeric(const char *s);

/* Parses "LO-HI" with LO <= HI, or a single port.  Returns 0, -EINVAL, -ERANGE (a bound above
 * 65535) or -EDOM (LO > HI). */
int parse_range(const char *s, uint16_t *ret_lo, uint16_t *ret_hi);

/* Parses the @n bytes at @s as parse_range does.  Returns 0, -EINVAL, -ERANGE or -EDOM. */
int parse_range_n(const char *s, size_t n, uint16_t *ret_lo, uint16_t *ret_hi);

#endif

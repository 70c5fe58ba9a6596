/* resolve: one command-line argument to the ports it names, for every command.
 *
 * "22", "53/udp", "3com-tsmux", "ssh" and "domain/udp" all end here, through parse.h for numbers
 * and the table's name index for service names; LO-HI ranges are parse_range's.  Prints nothing
 * and never allocates.
 */
#ifndef PORTINFO_RESOLVE_H
#define PORTINFO_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portdb.h"

#define RESOLVE_MAX_ARG           256 /* the longest argument resolved, in bytes */
#define RESOLVE_MAX_ALIAS_ENTRIES 64  /* IANA entries one everyday name may mean */

/* One port an argument names, with the protocols (PROTO_BIT mask) it names it for. */
struct resolve_port {
        uint16_t port;
        unsigned protos;
};

/* Why an argument did not resolve, for the caller's one line; written on failure only. */
struct resolve_why {
        bool named;       /* the argument was taken as a service name */
        size_t name_len;  /* the bytes of the argument that are the name (before "/PROTO") */
        enum proto proto; /* -ENOPROTOOPT: the protocol asked for (PROTO_NONE: none) */
        uint32_t first;   /* -ENODATA: the name's first entry in the name index */
};

/* Resolves @arg: "PORT", "PORT/PROTO", an everyday name ("RDP", any case), an IANA service name
 * or "NAME/PROTO" (text that looks
 * like a number is a port unless it is exactly a service name, such as "3com-tsmux"; a name
 * containing a slash, such as "914c/g", is tried whole first).  The ports are kept for the
 * protocols in @allowed (PROTO_MASK_ALL, or PROTO_MASK_TCP_UDP where only those exist) and
 * appended to @v, which holds *@n of @cap; a port a name registers that @v already lists gains
 * the name's protocols instead of a second row.  An everyday name's ports come first; when IANA
 * registers the same text as a service name for something else (resolve_name_clash), that
 * name's ports follow.  Returns 0 and updates *@n, or on failure leaves
 * @v and *@n alone, fills *@why and returns:
 *   -EINVAL          numeric text that is not a port ("22abc", "-1")
 *   -ERANGE          a port above 65535
 *   -EPROTONOSUPPORT an unknown protocol after the slash
 *   -EOPNOTSUPP      a protocol outside @allowed ("22/sctp" where only TCP and UDP exist)
 *   -ENOENT          no service has that name
 *   -ENODATA         the name is registered without a port number
 *   -ENOPROTOOPT     the name has no port for the protocol asked (or none in @allowed)
 *   -ENAMETOOLONG    @arg is longer than RESOLVE_MAX_ARG
 *   -E2BIG           @v would need more than @cap rows */
int resolve_arg(const struct portdb *db, const char *arg, unsigned allowed, struct resolve_port *v,
                size_t *n, size_t cap, struct resolve_why *why);

/* Whether @arg (a name, "/PROTO" allowed) is an everyday name that IANA also registers as a
 * service name for something else ("rdp": Remote Desktop Protocol to people, port-less "rdp"
 * entries at IANA).  Returns the number of IANA's entries of that name (0: no clash) and
 * stores the first one's position in the name index in *ret_first. */
size_t resolve_name_clash(const struct portdb *db, const char *arg, uint32_t *ret_first);

#endif

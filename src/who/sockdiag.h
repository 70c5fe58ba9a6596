/* sockdiag: the kernel's table of TCP and UDP sockets, asked over netlink (sock_diag).
 *
 * A request covers one family and one protocol, with the wanted states and, when ports are given,
 * a filter the kernel runs itself (INET_DIAG_REQ_BYTECODE).  The decoder is pure, bytes in and
 * rows out, so recorded replies replay without a kernel.  Nothing here knows about processes.
 */
#ifndef PORTINFO_SOCKDIAG_H
#define PORTINFO_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portdb.h"

/* TCP states as the kernel numbers them (include/net/tcp_states.h); UDP reuses them:
 * an unconnected UDP socket is SOCK_CLOSE, a connected one SOCK_ESTABLISHED. */
enum sock_state {
        SOCK_ESTABLISHED = 1,
        SOCK_SYN_SENT,
        SOCK_SYN_RECV,
        SOCK_FIN_WAIT1,
        SOCK_FIN_WAIT2,
        SOCK_TIME_WAIT,
        SOCK_CLOSE,
        SOCK_CLOSE_WAIT,
        SOCK_LAST_ACK,
        SOCK_LISTEN,
        SOCK_CLOSING,
        SOCK_NEW_SYN_RECV,
        SOCK_BOUND_INACTIVE,
        SOCK_STATE_MAX,
};

#define SOCK_STATES_ALL   0xffffffffu
#define SOCK_STATE_BIT(s) (1u << (s))

/* "LISTEN", "ESTABLISHED", ...; "UNCONN" for an unconnected UDP socket; "UNKNOWN" else. */
const char *sock_state_name(enum proto proto, unsigned state);

/* Whether a socket in @state is a listener: TCP LISTEN, or UDP not connected (as ss -l). */
bool sock_is_listener(enum proto proto, unsigned state);

struct sock_row {
        uint8_t proto;  /* PROTO_TCP or PROTO_UDP */
        uint8_t family; /* AF_INET or AF_INET6 */
        uint8_t state;  /* enum sock_state */
        int8_t v6only;  /* IPv6 sockets: 1 IPv6 only, 0 IPv4 too; -1 unknown or IPv4 */
        uint8_t local[16], remote[16]; /* network byte order; IPv4 in the first 4 bytes */
        uint16_t lport, rport;         /* host byte order */
        uint32_t ifindex;              /* bound device, 0 for none */
        uint32_t uid;
        uint32_t rqueue, wqueue;
        uint64_t inode; /* 0 for sockets no file holds (TIME_WAIT, SYN_RECV) */
        uint64_t netns; /* inode of the network namespace; filled in by the caller */
};

/* A growable array of rows.  Starts zeroed; sock_table_done() frees it. */
struct sock_table {
        struct sock_row *rows;
        size_t n, cap;
};

#define SOCK_TABLE_MAX (1u << 24) /* rows; far above any real machine's socket count */

/* Appends a copy of @row.  Returns 0, -ENOMEM or -E2BIG (SOCK_TABLE_MAX). */
int sock_table_add(struct sock_table *t, const struct sock_row *row);
void sock_table_done(struct sock_table *t);

#define SOCKDIAG_MAX_PORTS 1024 /* ports in one kernel filter (its jumps are 16-bit) */

/* Writes into @buf (@size bytes, 4-byte aligned) one SOCK_DIAG_BY_FAMILY dump request for
 * @family (AF_INET, AF_INET6) and @proto (PROTO_TCP, PROTO_UDP) -- or, for AF_UNSPEC and TCP, one
 * TCPDIAG_GETSOCK request that the kernel answers for both families -- for sockets in @states
 * (SOCK_STATE_BIT mask) whose local or remote port is one of @ports (all sockets when
 * @n_ports is 0).  Returns the request's length, -EINVAL (bad family or protocol), -E2BIG (more
 * than SOCKDIAG_MAX_PORTS ports) or -ENOBUFS (@buf too small). */
int sockdiag_build_request(void *buf, size_t size, int family, enum proto proto, uint32_t states,
                           const uint16_t *ports, size_t n_ports, uint32_t seq);

/* Decodes @len bytes of netlink messages answering a dump request for @proto, appending one row
 * per socket to @t.  Returns 0 (more messages to come), 1 (the dump is done), -EBADMSG (bytes
 * that are not netlink messages or a truncated socket record), -ENOMEM/-E2BIG (@t full), or the
 * kernel's own -errno from an error message.  Rows appended before an error stay in @t. */
int sockdiag_decode(const void *buf, size_t len, enum proto proto, struct sock_table *t);

/* What to ask the kernel for: the protocols (PROTO_BIT mask of TCP/UDP), the families
 * (SOCKDIAG_V4 | SOCKDIAG_V6), the states of each protocol, and the ports (none: all). */
#define SOCKDIAG_V4 0x1u
#define SOCKDIAG_V6 0x2u
struct sockdiag_query {
        unsigned protos;
        unsigned families;
        uint32_t tcp_states, udp_states;
        const uint16_t *ports;
        size_t n_ports;
};

/* Sends the request @req (@len bytes) on a new NETLINK_SOCK_DIAG socket, in the network
 * namespace of the calling thread, and hands each reply datagram to @on_reply until it returns
 * nonzero (positive: done, negative: an error to return).  Returns 0 or -errno.  For tools that
 * want the raw replies (tests/who/record-netlink.c); sockdiag_query is the decoded form. */
int sockdiag_exchange(const void *req, size_t len,
                      int (*on_reply)(const void *buf, size_t n, void *data), void *data);

/* Asks the kernel, in the network namespace of the calling thread, and appends the rows to @t.
 * Returns 0, -EPROTONOSUPPORT / -ENOENT / -EACCES when sock_diag is missing or refused (the
 * caller may fall back to /proc/net), -E2BIG, -ENOMEM, or another -errno. */
int sockdiag_query(const struct sockdiag_query *q, struct sock_table *t);

#endif

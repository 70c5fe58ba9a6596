/* peers: the client addresses one event loop has connections from, and how many each has, so
 * that no one address can take every slot.  An IPv4 client is its address; an IPv6 client is
 * its /64, the block one site or one customer is usually given (RFC 6177).
 *
 * A hash table with a random seed (so that no one can choose addresses that share a bucket),
 * keyed by address only: which connection belongs to whom is conn.c's list.  One thread only.
 */
#ifndef PORTINFO_PEERS_H
#define PORTINFO_PEERS_H

#include <stdint.h>
#include <sys/socket.h>

struct conn;

/* One client address (or /64) with at least one connection. */
struct peer {
        struct peer *next; /* in its bucket */
        uint64_t key;
        uint8_t family;     /* AF_INET or AF_INET6 */
        unsigned count;     /* its connections, kept by the caller */
        struct conn *conns; /* the caller's list of them */
};

struct peers {
        struct peer **buckets;
        uint64_t seed;
        unsigned bits; /* 1 << bits buckets */
        unsigned n;    /* peers in the table */
};

/* The key of @sa: 0 and *ret_family, *ret_key for IPv4 (an IPv4-mapped IPv6 address counts as
 * IPv4) or IPv6 (the first 64 bits); -EAFNOSUPPORT for any other family. */
int peers_key(const struct sockaddr *sa, uint8_t *ret_family, uint64_t *ret_key);

/* Sets up @t (caller-owned) with room for about @expect peers.  Returns 0 or -ENOMEM. */
int peers_init(struct peers *t, unsigned expect);

/* Frees every peer and the buckets; @t may be zeroed or half set up. */
void peers_done(struct peers *t);

/* The peer of @sa, added with count 0 when new.  Owned by @t.  NULL when out of memory or the
 * family is neither IPv4 nor IPv6. */
struct peer *peers_get(struct peers *t, const struct sockaddr *sa);

/* Removes and frees @p once its count is 0 (else does nothing). */
void peers_put(struct peers *t, struct peer *p);

#endif

/* vote: what a "was this page helpful?" vote is: its three values, their names, the voter id
 * a cookie carries, and the network a vote from a new voter is counted against.
 *
 * Pure text checks, shared by the request parser, the vote store and the counters; stores
 * nothing and knows no HTTP.
 */
#ifndef PORTINFO_VOTE_H
#define PORTINFO_VOTE_H

#include <stdbool.h>
#include <sys/socket.h>

enum vote {
        VOTE_SAD,
        VOTE_MEH,
        VOTE_HAPPY,
        VOTE_COUNT,
};

/* The votes on one port, as every vote store counts them. */
struct feedback_counts {
        unsigned n[VOTE_COUNT]; /* indexed by enum vote */
};

/* A voter id: 32 lower-case hex digits (128 random bits), NUL-terminated. */
#define VOTER_ID_LEN 32

/* Cookie-less votes per network, port and UTC day that the server takes by default
 * (--votes-per-address). */
#define VOTE_CAP_DEFAULT 3

/* The network of a client address as text: "198.51.100.0/24", "2001:db8:1:2::/64". */
#define VOTE_NET_LEN 56

/* The cap on votes from voters a store does not know yet (no cookie, or an id it never saw):
 * at most @limit such votes from the network @net on one port in one UTC @day. */
struct vote_cap {
        const char *net; /* vote_net's text: never a whole address */
        long long day;   /* days since 1970-01-01, UTC */
        unsigned limit;  /* 0: no cap */
};

/* Writes the network @sa belongs to for the vote cap into @out: an IPv4 address's /24, an IPv6
 * address's /64; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as IPv4.  Returns 0, or
 * -EAFNOSUPPORT for any other family (@out is then ""). */
int vote_net(const struct sockaddr *sa, char out[VOTE_NET_LEN]);

/* Parses "sad", "meh" or "happy" (exact case).  Returns 0 or -EINVAL; *ret_vote is written only
 * on success. */
int vote_parse(const char *s, enum vote *ret_vote);

/* "sad", "meh" or "happy" (static strings); NULL for anything else. */
const char *vote_name(int v);

/* Whether @s is a well-formed voter id (VOTER_ID_LEN lower-case hex digits, then NUL). */
bool voter_id_valid(const char *s);

#endif

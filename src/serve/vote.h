/* vote: what a "was this page helpful?" vote is: its three values, their names, and the voter id
 * a cookie carries.
 *
 * Pure text checks, shared by the request parser, the vote store and the counters; stores
 * nothing and knows no HTTP.
 */
#ifndef PORTINFO_VOTE_H
#define PORTINFO_VOTE_H

#include <stdbool.h>

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

/* Parses "sad", "meh" or "happy" (exact case).  Returns 0 or -EINVAL; *ret_vote is written only
 * on success. */
int vote_parse(const char *s, enum vote *ret_vote);

/* "sad", "meh" or "happy" (static strings); NULL for anything else. */
const char *vote_name(int v);

/* Whether @s is a well-formed voter id (VOTER_ID_LEN lower-case hex digits, then NUL). */
bool voter_id_valid(const char *s);

#endif

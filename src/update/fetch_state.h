/* fetch_state: what the last successful `update --fetch` got, kept beside the table as
 * DIR/registry.fetch so that the next download can be conditional.
 *
 * The text of the file only; update_install.c writes it (atomically) and update_fetch.c decides
 * when.
 */
#ifndef PORTINFO_FETCH_STATE_H
#define PORTINFO_FETCH_STATE_H

#include <stddef.h>

#include "fetch.h"

#define FETCH_STATE_NAME "registry.fetch"
/* A longer state file is not one this program wrote. */
#define FETCH_STATE_MAX 8192

struct fetch_state {
        char url[2048];
        char etag[FETCH_MAX_VALIDATOR];          /* "" when the server sent none */
        char last_modified[FETCH_MAX_VALIDATOR]; /* "" when the server sent none */
        char registry[32]; /* the registry date of the table that download gave */
        char fetched[32];  /* when, in UTC: 2026-12-07T05:00:00Z */
};

/* Reads DIR/registry.fetch beneath @dirfd (without following a link) into @ret.  Returns 0,
 * -ENOENT (none yet), -EINVAL (not a state file this program wrote: ignore it) or -errno. */
int fetch_state_read(int dirfd, struct fetch_state *ret);

/* Writes the text of @s into @out (@cap bytes).  Returns its length, or -E2BIG. */
int fetch_state_format(const struct fetch_state *s, char *out, size_t cap);

#endif

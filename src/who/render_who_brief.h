/* render_who_brief: `who --brief`, one line per socket as ss writes them, with the port's name.
 *
 * Columns are as wide as their widest cell (capped), so the table lines up at a glance; it does
 * not wrap, and it decides nothing about what is shown or about exit codes.
 */
#ifndef PORTINFO_RENDER_WHO_BRIEF_H
#define PORTINFO_RENDER_WHO_BRIEF_H

#include "inspect.h"
#include "portdb.h"
#include "term.h"

/* The widest a column gets; longer cells run past it and push the rest of their line right. */
#define RENDER_BRIEF_MAX_COL 40

/* Writes a header line, then a line per socket of @rep: protocol, state, local and peer
 * address, the holding processes as NAME/PID, the user and the port's name (IANA service, with
 * its everyday name when it has one; else the first unofficial use, marked so).  Returns 0 or
 * -ENOMEM (nothing written). */
int render_who_brief(const struct term *t, const struct portdb *db,
                     const struct inspect_report *rep);

#endif

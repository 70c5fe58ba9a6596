/* render_text: the terminal face of an answer about ports, and the search and range listings.
 *
 * Formats a struct answer (answer.h) and decides nothing about what it says, nor about exit
 * codes or errors.  Search and range listings read the portdb directly.
 */
#ifndef PORTINFO_RENDER_TEXT_H
#define PORTINFO_RENDER_TEXT_H

#include <stdint.h>

#include "answer.h"
#include "portdb.h"
#include "term.h"

/* Text: the full explanation of @port for the protocols in @protos. */
void render_text_port(const struct term *t, const struct portdb *db, uint16_t port,
                      unsigned protos);

/* Text: a note that @arg, read as an everyday name, is also IANA's service name for something
 * else, whose @count entries start at @first in the name index (resolve_name_clash). */
void render_text_name_clash(const struct term *t, const struct portdb *db, const char *arg,
                            uint32_t first, size_t count);

/* Text: answer @a in full, as render_text_port writes it. */
void render_text_answer(const struct term *t, const struct answer *a);

/* Text: one line per matching entry of each hit, range entries once.  @query is the search
 * text, used to pick which entries of a hit port matched. */
void render_text_search(const struct term *t, const struct portdb *db, const char *query,
                        const struct portdb_hit *hits, size_t n);

/* Text: every entry and unofficial use overlapping [lo, hi].  Returns how many were printed. */
size_t render_text_range(const struct term *t, const struct portdb *db, uint16_t lo, uint16_t hi);

#endif

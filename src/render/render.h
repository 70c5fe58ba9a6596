/* render: the text and JSON faces of an answer about ports.
 *
 * The faces format a struct answer (answer.h) and decide nothing about what it says, nor about
 * exit codes or errors.  Search and range listings read the portdb directly.
 */
#ifndef PORTINFO_RENDER_H
#define PORTINFO_RENDER_H

#include <jansson.h>
#include <stdint.h>

#include "answer.h"
#include "portdb.h"
#include "term.h"

/* Text: the full explanation of @port for the protocols in @protos. */
void render_text_port(const struct term *t, const struct portdb *db, uint16_t port,
                      unsigned protos);

/* Text: answer @a in full, as render_text_port writes it. */
void render_text_answer(const struct term *t, const struct answer *a);

/* Text: one line per matching entry of each hit, range entries once.  @query is the search
 * text, used to pick which entries of a hit port matched. */
void render_text_search(const struct term *t, const struct portdb *db, const char *query,
                        const struct portdb_hit *hits, size_t n);

/* Text: every entry and unofficial use overlapping [lo, hi].  Returns how many were printed. */
size_t render_text_range(const struct term *t, const struct portdb *db, uint16_t lo, uint16_t hi);

/* JSON: the contract's explain object for @port (a new reference; NULL on ENOMEM). */
json_t *render_json_port(const struct portdb *db, uint16_t port, unsigned protos);

/* JSON: answer @a as the contract's explain object (a new reference; NULL on ENOMEM). */
json_t *render_json_answer(const struct answer *a);

/* Whether [port] has something to say in a range listing: a non-"Unassigned" IANA entry or an
 * unofficial use. */
bool render_port_has_entries(const struct portdb *db, uint16_t port);

#endif

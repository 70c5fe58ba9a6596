/* render_json: the JSON face of an answer about ports (the contract's explain object), shared by
 * the CLI, the website's API and the static export.
 *
 * Formats a struct answer (answer.h) and decides nothing about what it says.
 */
#ifndef PORTINFO_RENDER_JSON_H
#define PORTINFO_RENDER_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "answer.h"
#include "portdb.h"

/* JSON: the contract's explain object for @port (a new reference; NULL on ENOMEM). */
json_t *render_json_port(const struct portdb *db, uint16_t port, unsigned protos);

/* JSON: answer @a as the contract's explain object (a new reference; NULL on ENOMEM). */
json_t *render_json_answer(const struct answer *a);

/* JSON: the explain object for search hit @port, with "matched": the fields that hold @query
 * ("service", "description", "alias", "alias_meaning", "unofficial"; listing_matched).  A new
 * reference; NULL on ENOMEM. */
json_t *render_json_search_hit(const struct portdb *db, const char *query, uint16_t port);

#endif

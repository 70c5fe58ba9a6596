/* search_index: the compact search index of a static copy of the site, for web/search.js.
 *
 * Holds exactly what portdb_search looks through (assigned IANA entries with a port, unofficial
 * names, everyday names with their meanings), once per port or range, so that the browser can
 * search and rank as the server does.
 */
#ifndef PORTINFO_SEARCH_INDEX_H
#define PORTINFO_SEARCH_INDEX_H

#include <stddef.h>

#include "portdb.h"

#define SEARCH_INDEX_FORMAT 1

/* Builds the index of @db as compact JSON:
 *
 *     {"format":1,"registry":"YYYY-MM-DD",
 *      "iana":[[port,"service","description"] or [lo,"service","description",hi], ...],
 *      "unofficial":[[port,"name",kind], ...],      kind: 0 malware, 1 software, 2 other
 *      "aliases":[[port,"name","meaning","service"] or [lo,"name","meaning","service",hi], ...]}
 *
 * IANA rows that differ only by protocol appear once; ranges once, at their first port.
 * Returns 0 and a malloc'ed, NUL-terminated text in *ret_json (caller frees) and its length in
 * *ret_len, or -ENOMEM. */
int search_index_build(const struct portdb *db, char **ret_json, size_t *ret_len);

#endif

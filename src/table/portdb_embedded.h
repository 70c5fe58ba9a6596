/* portdb_embedded: the table generated at build time (gen-portdb) and linked in as read-only
 * data.
 *
 * Only programs that link portdb_embedded see it; the lookups themselves are core's portdb.h.
 */
#ifndef PORTINFO_PORTDB_EMBEDDED_H
#define PORTINFO_PORTDB_EMBEDDED_H

#include <stdint.h>

#include "portdb.h"

/* The blob linked into the binary and its size in bytes (written by gen-portdb's assembler
 * stub).  Read-only; never freed. */
extern const uint8_t portdb_embedded_blob[];
extern const uint32_t portdb_embedded_size;

/* Attaches @db to the embedded blob without verification (it was checked at build time). */
void portdb_open_embedded(struct portdb *db);

#endif

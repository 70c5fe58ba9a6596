/* registry_keep: carries what portinfo adds to IANA's registry (unofficial uses, corrections,
 * everyday names) from the table in use into a registry just read, for `portinfo update`.
 *
 * It reads no file and builds no blob.
 */
#ifndef PORTINFO_REGISTRY_KEEP_H
#define PORTINFO_REGISTRY_KEEP_H

#include <stddef.h>

#include "portdb.h"
#include "registry_records.h"

/* Appends to @reg (its IANA records already read) the unofficial uses, corrections and everyday
 * names of @db.  An everyday name whose IANA entry (service, port, protocol) is not among
 * @reg's records is left out and counted in *@ret_dropped.  Returns 0 or -ENOMEM (@reg may then
 * hold part of them: the caller discards it with registry_done()). */
int registry_keep_table(struct registry *reg, const struct portdb *db, size_t *ret_dropped);

#endif

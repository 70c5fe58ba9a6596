/* registry_csv: reads the IANA registry in its CSV form (libcsv), as IANA publishes it, into a
 * struct registry.
 *
 * It reads no other format and builds no blob.
 */
#ifndef PORTINFO_REGISTRY_CSV_H
#define PORTINFO_REGISTRY_CSV_H

#include <stddef.h>

#include "registry_records.h"

/* Parses @len bytes at @buf (not NUL-terminated) and appends to @reg.  Returns 0, or -EINVAL
 * (malformed; @err says where and why), -E2BIG (a cap hit), -ENOMEM.  On failure @reg may hold
 * part of the file: the caller discards it with registry_done(). */
int registry_read_csv(struct registry *reg, const char *buf, size_t len, struct reg_error *err);

#endif

/* unofficial_tsv: reads the unofficial-uses list (data/unofficial/unofficial-uses.tsv), one
 * tab-separated row per use, into a struct registry.
 *
 * It reads no IANA format and builds no blob.
 */
#ifndef PORTINFO_UNOFFICIAL_TSV_H
#define PORTINFO_UNOFFICIAL_TSV_H

#include <stddef.h>

#include "registry_records.h"

/* Parses @len bytes at @buf (not NUL-terminated) and appends to @reg.  Returns 0, or -EINVAL
 * (malformed; @err says where and why), -E2BIG (a cap hit), -ENOMEM.  On failure @reg may hold
 * part of the file: the caller discards it with registry_done(). */
int unofficial_read_tsv(struct registry *reg, const char *buf, size_t len, struct reg_error *err);

#endif

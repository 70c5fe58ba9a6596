/* corrections_tsv: reads the corrections of unofficial claims (data/unofficial/corrections.tsv)
 * into a struct registry: a claim another source contradicts, and what that source says.
 *
 * Whether the claim exists is checked when the table is built (registry_blob.h).
 */
#ifndef PORTINFO_CORRECTIONS_TSV_H
#define PORTINFO_CORRECTIONS_TSV_H

#include <stddef.h>

#include "registry_records.h"

/* Parses @len bytes at @buf (not NUL-terminated; header "port proto name correction source
 * source_url source_label") and appends to @reg.  Returns 0, or -EINVAL (malformed; @err says
 * where and why), -E2BIG (a cap hit), -ENOMEM.  On failure @reg may hold part of the file: the
 * caller discards it with registry_done(). */
int corrections_read_tsv(struct registry *reg, const char *buf, size_t len, struct reg_error *err);

#endif

/* aliases_tsv: reads the everyday names of protocols and services (data/aliases/aliases.tsv),
 * one row per name and IANA entry, into a struct registry.
 *
 * Which IANA entry a row means is checked when the table is built (registry_blob.h).
 */
#ifndef PORTINFO_ALIASES_TSV_H
#define PORTINFO_ALIASES_TSV_H

#include <stddef.h>

#include "registry_records.h"

#define ALIAS_MAX_NAME    32 /* bytes of an everyday name */
#define ALIAS_MAX_MEANING 80 /* bytes of its expansion */

/* Parses @len bytes at @buf (not NUL-terminated; header "alias service port proto meaning
 * source source_url source_label") and appends to @reg.  Returns 0, or -EINVAL (malformed; @err
 * says where and why), -E2BIG (a cap hit), -ENOMEM.  On failure @reg may hold part of the file:
 * the caller discards it with registry_done(). */
int aliases_read_tsv(struct registry *reg, const char *buf, size_t len, struct reg_error *err);

#endif

/* unofficial_tsv: reads the unofficial-uses list (data/unofficial/unofficial-uses.tsv), one
 * tab-separated row per use, into a struct registry.
 *
 * It reads no IANA format and builds no blob.
 */
#ifndef PORTINFO_UNOFFICIAL_TSV_H
#define PORTINFO_UNOFFICIAL_TSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "registry_records.h"

/* Parses @len bytes at @buf (not NUL-terminated) and appends to @reg.  The header is the
 * 13-column one (port ... era) or the older 9-column one (port ... source_label).  Returns 0, or
 * -EINVAL (malformed; @err says where and why), -E2BIG (a cap hit), -ENOMEM.  On failure @reg
 * may hold part of the file: the caller discards it with registry_done(). */
int unofficial_read_tsv(struct registry *reg, const char *buf, size_t len, struct reg_error *err);

/* "tcp", "udp" or "both" to a PROTO_BIT mask in *ret_protos.  Returns 0 or -EINVAL. */
int unofficial_parse_protos(const char *s, uint8_t *ret_protos);

/* Whether @s is empty or an external catalogue's ID: [A-Za-z0-9.-_], at most 32 bytes. */
bool unofficial_ref_id_ok(const char *s);

#endif

/* registry_blob: turns the records read into a struct registry into the compact portdb blob
 * that portdb_open() accepts.
 *
 * It reads no file; the blob is handed to the caller, who writes or embeds it.
 */
#ifndef PORTINFO_REGISTRY_BLOB_H
#define PORTINFO_REGISTRY_BLOB_H

#include <stddef.h>

#include "registry_records.h"

/* Builds the portdb blob from @reg.  On success stores a malloc'ed blob (8-byte aligned, the
 * caller frees it) in *ret_blob and its size in *ret_len and returns 0; else -EINVAL (text that
 * is not UTF-8), -E2BIG (too many entries), -ENOMEM, with @err filled. */
int registry_build_blob(const struct registry *reg, void **ret_blob, size_t *ret_len,
                        struct reg_error *err);

#endif

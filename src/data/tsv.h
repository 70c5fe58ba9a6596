/* tsv: the tab-separated files of data/ (unofficial uses, corrections, everyday names), split
 * into rows of fields after a header row that says which layout the file has.
 *
 * One header row, no quoting: a tab or newline never occurs inside a field.  What a field means
 * is left to each file's reader.
 */
#ifndef PORTINFO_TSV_H
#define PORTINFO_TSV_H

#include <stdbool.h>
#include <stddef.h>

#include "registry_records.h"

#define TSV_MAX_FIELDS 16

/* A header a file may start with: its column names in order. */
struct tsv_layout {
        const char *const *columns;
        size_t n;
};

/* Called for each row after the header with its @nf fields (the header's count; each a
 * NUL-terminated string in a buffer reused for the next row), the index of the layout the header
 * matched and the row's line number.  Returns 0 or a negative errno with @err filled. */
typedef int (*tsv_row_fn)(void *ctx, char **f, size_t layout, unsigned long line,
                          struct reg_error *err);

/* Splits @len bytes at @buf (not NUL-terminated) into rows and hands each to @row.  The first
 * line must be one of the @n_layouts headers.  Returns 0, or -EINVAL (malformed; @err says where
 * and why), -E2BIG (a cap hit), or what @row returned. */
int tsv_read(const char *buf, size_t len, const struct tsv_layout *layouts, size_t n_layouts,
             tsv_row_fn row, void *ctx, struct reg_error *err);

/* Whether @s is empty or an http(s) URL without blanks. */
bool tsv_url_ok(const char *s);

#endif

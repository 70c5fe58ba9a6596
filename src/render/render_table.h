/* render_table: the tsv and csv faces of explain, search and range (and the row writer that who
 * and audit use for theirs).
 *
 * One header row, then one record per line, never wrapped.  tsv: fields separated by tabs, a
 * tab, carriage return or newline inside a field becomes a space.  csv: RFC 4180 quoting (a field
 * holding a comma, a double quote or a space at either end is quoted, quotes doubled), carriage
 * returns and newlines as spaces, so a record is one line; lines end with LF.  Other control
 * characters become '?' in both, as on the terminal.
 */
#ifndef PORTINFO_RENDER_TABLE_H
#define PORTINFO_RENDER_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "listing.h"
#include "portdb.h"

enum table_format { TABLE_TSV, TABLE_CSV };

struct table {
        FILE *out;
        enum table_format format;
};

/* Reads "tsv" or "csv" into *ret.  Returns 0, or -EINVAL for another word. */
int table_parse_format(const char *s, enum table_format *ret);

/* Writes one record of @n fields (NULL is an empty field). */
void table_row(const struct table *t, const char *const *fields, size_t n);

/* The header of explain, search and range tables:
 * port protocol source kind name service description year range. */
void render_table_header(const struct table *t);

/* The records of `portinfo PORT` for @port and the protocols in @protos: its IANA entries, its
 * everyday names and its unofficial uses.  Returns how many. */
size_t render_table_port(const struct table *t, const struct portdb *db, uint16_t port,
                         unsigned protos);

/* A listing_fn (listing.h) writing item @it as one record; @ctx is the struct table. */
void render_table_item(void *ctx, const struct listing_item *it);

#endif

/* listing: which entries a search or range listing shows, and what a search hit matched.
 *
 * Decides the lines of `portinfo search` and `portinfo range` once, for every face: the text
 * (render_text.c) and the tables (render_table.c) only format the items handed to them.
 */
#ifndef PORTINFO_LISTING_H
#define PORTINFO_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "portdb.h"

enum listing_kind {
        LISTING_IANA,    /* an IANA entry (entry) */
        LISTING_ALIAS,   /* an everyday name (alias) of an IANA entry (entry) */
        LISTING_USE,     /* an unofficial use (use) */
        LISTING_DYNAMIC, /* port..port_hi lie in the dynamic range (range only) */
        LISTING_MORE,    /* more entries on port than a listing shows (more of them) */
};

struct listing_item {
        const struct portdb *db;
        enum listing_kind kind;
        uint16_t port, port_hi;
        const struct portdb_iana *entry;
        const struct portdb_alias *alias;
        const struct portdb_unofficial *use;
        size_t more;
};

/* Called once per item, in listing order; @ctx is the caller's. */
typedef void (*listing_fn)(void *ctx, const struct listing_item *it);

/* The items of a search for @query whose hits (portdb_search) are @hits[0..n). */
void listing_search(const struct portdb *db, const char *query, const struct portdb_hit *hits,
                    size_t n, listing_fn fn, void *ctx);

/* The items of ports lo..hi: every entry and use, range entries once.  Returns their number. */
size_t listing_range(const struct portdb *db, uint16_t lo, uint16_t hi, listing_fn fn, void *ctx);

/* The fields a search can match, as bits of listing_matched's answer. */
enum {
        LISTING_MATCH_SERVICE = 1u << 0,     /* an IANA service name */
        LISTING_MATCH_DESCRIPTION = 1u << 1, /* an IANA description */
        LISTING_MATCH_ALIAS = 1u << 2,       /* an everyday name */
        LISTING_MATCH_MEANING = 1u << 3,     /* an everyday name's meaning */
        LISTING_MATCH_UNOFFICIAL = 1u << 4,  /* the name of an unofficial use */
        LISTING_MATCH_COUNT = 5,
};

/* Which fields of @port's entries contain @query, read as portdb_search reads them (ASCII case
 * folded; tabs, newlines and carriage returns as spaces), over the same fields its search text
 * holds.  Returns LISTING_MATCH_* bits (0: none). */
unsigned listing_matched(const struct portdb *db, const char *query, uint16_t port);

/* The JSON word of match bit number @i (0 .. LISTING_MATCH_COUNT-1): "service", ... */
const char *listing_match_name(unsigned i);

#endif

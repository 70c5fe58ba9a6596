/* pagecache: a small per-thread cache of rendered answers, so a popular page is not rebuilt
 * for every request.
 *
 * Direct-mapped and bounded (PAGECACHE_SLOTS entries of at most PAGECACHE_MAX_BODY bytes); an
 * entry remembers the vote counts it was rendered with and is used only while they still
 * hold.  Bodies are reference-counted so one can be replaced while a slow client is still
 * being sent the old one.  Not thread-safe: one cache per event loop.
 */
#ifndef PORTINFO_PAGECACHE_H
#define PORTINFO_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "encoded.h"

#define PAGECACHE_SLOTS    512
#define PAGECACHE_MAX_BODY (128u << 10)

/* A cached answer: its bytes in each encoding (compressed once, on the way in) and when it
 * was made, which is when its vote counts were read. */
struct pagecache_body {
        unsigned refs;
        struct encoded a;
        time_t born;
};

struct pagecache_slot {
        uint32_t key; /* 0: empty */
        unsigned counts[3];
        bool has_counts;
        uint64_t stamp; /* the caller's notion of "still known fresh" (see pagecache_get_fresh) */
        struct pagecache_body *body;
};

struct pagecache {
        struct pagecache_slot slots[PAGECACHE_SLOTS];
        unsigned long hits, misses;
        uint64_t tag_seed; /* what the pages are made from (the table): part of their ETags */
};

/* A cache key for answer @kind (1-255) in language @lang for port @port (0 if none). */
static inline uint32_t pagecache_key(unsigned kind, unsigned lang, uint16_t port)
{
        return (uint32_t)kind << 24 | (uint32_t)(lang & 0xff) << 16 | port;
}

/* Allocates an empty cache (free with pagecache_free), or NULL. */
struct pagecache *pagecache_new(void);
void pagecache_free(struct pagecache *pc);

/* The cached body for @key rendered with @counts (NULL: rendered without counts), with a
 * reference taken for the caller (drop it with pagecache_unref), or NULL.  A hit records @stamp
 * in the slot. */
struct pagecache_body *pagecache_get(struct pagecache *pc, uint32_t key, const unsigned *counts,
                                     uint64_t stamp);

/* The cached body for @key if its slot was last checked or stored with @stamp: the caller
 * knows nothing changed since (no vote, same second), so counts need not be read again. */
struct pagecache_body *pagecache_get_fresh(struct pagecache *pc, uint32_t key, uint64_t stamp);

/* Wraps @data (@len bytes, malloc'ed; ownership passes to the body, and it is freed even on
 * failure), has its gzip and brotli forms made (COMPRESS_FAST) on the first request that
 * wants each and stores it for @key and @counts, replacing the slot's previous entry (a body over
 * PAGECACHE_MAX_BODY is not kept, nor compressed: it goes out once).  Returns the body with a
 * reference taken for the caller, or NULL when memory ran out. */
struct pagecache_body *pagecache_put(struct pagecache *pc, uint32_t key, const unsigned *counts,
                                     uint64_t stamp, char *data, size_t len);

/* Empties every slot (a body still being sent keeps its reference): for when what the pages
 * were rendered from has changed. */
void pagecache_clear(struct pagecache *pc);

/* Drops a reference; frees the body with the last one. */
void pagecache_unref(struct pagecache_body *body);

#endif

/* pagecache: direct-mapped, reference-counted cache of rendered answers for one event loop.
 *
 * Deliberately simple: no LRU, no expiry; a colliding key just replaces the slot.  The data
 * behind a page never changes while the server runs, so counts are the only freshness check.
 */
#include "pagecache.h"

#include <stdlib.h>
#include <string.h>

struct pagecache *pagecache_new(void)
{
        return calloc(1, sizeof(struct pagecache));
}

void pagecache_free(struct pagecache *pc)
{
        if (!pc)
                return;
        for (size_t i = 0; i < PAGECACHE_SLOTS; i++)
                pagecache_unref(pc->slots[i].body);
        free(pc);
}

void pagecache_clear(struct pagecache *pc)
{
        for (size_t i = 0; i < PAGECACHE_SLOTS; i++) {
                pagecache_unref(pc->slots[i].body);
                pc->slots[i] = (struct pagecache_slot){0};
        }
}

static struct pagecache_slot *slot_for(struct pagecache *pc, uint32_t key)
{
        /* Fibonacci hashing spreads neighbouring ports over the table. */
        return &pc->slots[(key * 2654435769u) >> 23 & (PAGECACHE_SLOTS - 1)];
}

static bool same_counts(const struct pagecache_slot *s, const unsigned *counts)
{
        if (!counts)
                return !s->has_counts;
        return s->has_counts && memcmp(s->counts, counts, sizeof(s->counts)) == 0;
}

struct pagecache_body *pagecache_get(struct pagecache *pc, uint32_t key, const unsigned *counts,
                                     uint64_t stamp)
{
        struct pagecache_slot *s = slot_for(pc, key);

        if (s->key != key || !s->body || !same_counts(s, counts)) {
                pc->misses++;
                return NULL;
        }
        pc->hits++;
        s->stamp = stamp;
        s->body->refs++;
        return s->body;
}

struct pagecache_body *pagecache_get_fresh(struct pagecache *pc, uint32_t key, uint64_t stamp)
{
        struct pagecache_slot *s = slot_for(pc, key);

        if (s->key != key || !s->body || s->stamp != stamp)
                return NULL;
        pc->hits++;
        s->body->refs++;
        return s->body;
}

struct pagecache_body *pagecache_put(struct pagecache *pc, uint32_t key, const unsigned *counts,
                                     uint64_t stamp, char *data, size_t len)
{
        struct pagecache_slot *s = slot_for(pc, key);
        struct pagecache_body *b;

        if (!(b = malloc(sizeof(*b)))) {
                free(data);
                return NULL;
        }
        b->born = time(NULL);
        encoded_init(&b->a, data, len, pc->tag_seed, COMPRESS_FAST, len <= PAGECACHE_MAX_BODY,
                     true);
        if (len > PAGECACHE_MAX_BODY) {
                b->refs = 1; /* too large to keep: the caller's only */
                return b;
        }
        b->refs = 2; /* the slot's and the caller's */
        pagecache_unref(s->body);
        s->key = key;
        s->stamp = stamp;
        s->body = b;
        s->has_counts = counts != NULL;
        if (counts)
                memcpy(s->counts, counts, sizeof(s->counts));
        return b;
}

void pagecache_unref(struct pagecache_body *body)
{
        if (body && --body->refs == 0) {
                encoded_done(&body->a);
                free(body);
        }
}

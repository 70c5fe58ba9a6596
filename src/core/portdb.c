/* portdb: lookups, name index and text search over the compact port table.
 *
 * No I/O and no allocation: the caller owns the blob and any scratch space.  Verification of an
 * untrusted blob lives here too, so that a blob that passes it can be read without further checks.
 */
#include "portdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

uint32_t portdb_checksum(const void *p, size_t len)
{
        /* Four independent lanes of a multiply-xor hash over 8-byte words, so that checking an
         * imported table at start-up costs a fraction of a millisecond, not a byte-wise loop's
         * several.  The tail is folded in a byte at a time. */
        const uint64_t k = 0x100000001b3ull;
        uint64_t h[4] = {0x9e3779b97f4a7c15ull ^ len, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull,
                         0x27d4eb2f165667c5ull};
        const uint8_t *b = p;
        size_t i = 0;
        uint64_t r;

        for (; i + 32 <= len; i += 32)
                for (int l = 0; l < 4; l++) {
                        uint64_t w;

                        memcpy(&w, b + i + 8 * (size_t)l, sizeof(w));
                        h[l] = (h[l] ^ w) * k;
                        h[l] ^= h[l] >> 29;
                }
        for (; i < len; i++)
                h[0] = (h[0] ^ b[i]) * k;
        r = h[0] ^ (h[1] * 3) ^ (h[2] * 5) ^ (h[3] * 7);
        r ^= r >> 33;
        r *= 0xff51afd7ed558ccdull;
        r ^= r >> 33;
        return (uint32_t)(r ^ (r >> 32));
}

void portdb_attach(struct portdb *db, const uint8_t *base)
{
        const struct portdb_header *h = (const void *)base;

        db->base = base;
        db->hdr = h;
        db->iana = (const void *)(base + h->off_iana);
        db->unofficial = (const void *)(base + h->off_unofficial);
        db->port_index = (const void *)(base + h->off_port_index);
        db->refs = (const void *)(base + h->off_refs);
        db->names = (const void *)(base + h->off_names);
        db->strings = (const char *)(base + h->off_strings);
        db->search = (const char *)(base + h->off_search);
        db->search_map = (const void *)(base + h->off_search_map);
        db->aliases = (const void *)(base + h->off_aliases);
        db->alias_by_iana = (const void *)(base + h->off_alias_by_iana);
        db->corrections = (const void *)(base + h->off_corrections);
}

/* Whether [off, off + n * size) lies inside a blob of @len bytes, aligned to @align. */
static bool span_ok(uint32_t off, uint32_t n, size_t size, size_t align, size_t len)
{
        if (off % align != 0 || off > len)
                return false;
        return (uint64_t)n * size <= len - off;
}

static bool str_ok(const struct portdb_header *h, uint32_t off)
{
        return off < h->strings_size;
}

static bool iana_ok(const struct portdb_header *h, const struct portdb_iana *e)
{
        const uint32_t s[] = {e->service,      e->description, e->assignee,  e->contact,
                              e->registered,   e->modified,    e->reference, e->service_code,
                              e->unauthorized, e->note};

        for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
                if (!str_ok(h, s[i]))
                        return false;
        return e->lo <= e->hi && e->proto < PROTO_COUNT && e->status <= IANA_UNASSIGNED;
}

static bool protos_ok(uint8_t protos)
{
        return protos != 0 && (protos & ~PROTO_MASK_TCP_UDP) == 0;
}

static bool unofficial_ok(const struct portdb_header *h, const struct portdb_unofficial *u)
{
        return str_ok(h, u->name) && str_ok(h, u->note) && str_ok(h, u->source) &&
               str_ok(h, u->source_url) && str_ok(h, u->source_label) && str_ok(h, u->ref_id) &&
               str_ok(h, u->ref_url) && u->kind < UO_KIND_COUNT && u->era < UO_ERA_COUNT &&
               u->port_hi >= u->port && protos_ok(u->protos);
}

/* The aliases, their index by entry and the corrections, once the rest is known good. */
static bool extras_ok(const struct portdb *db)
{
        const struct portdb_header *h = db->hdr;
        /* alias_by_iana must name every alias once: sorted indices with a repeat would hide the
         * alias they skip from portdb_aliases_of.  n_aliases <= UINT16_MAX, so 8 KiB of bits. */
        uint64_t seen[(UINT16_MAX + 1) / 64] = {0};

        for (uint32_t i = 0; i < h->n_aliases; i++) {
                const struct portdb_alias *a = &db->aliases[i];
                const uint16_t *by = db->alias_by_iana;

                if (!str_ok(h, a->name) || !str_ok(h, a->meaning) || !str_ok(h, a->source) ||
                    !str_ok(h, a->source_url) || !str_ok(h, a->source_label) ||
                    portdb_str(db, a->name)[0] == '\0' || a->iana >= h->n_iana ||
                    (db->iana[a->iana].flags & PORTDB_F_NOPORT))
                        return false;
                if (i > 0 && strcasecmp(portdb_str(db, db->aliases[i - 1].name),
                                        portdb_str(db, a->name)) > 0)
                        return false;
                if (by[i] >= h->n_aliases || (seen[by[i] / 64] >> (by[i] % 64) & 1) ||
                    (i > 0 && db->aliases[by[i - 1]].iana > db->aliases[by[i]].iana))
                        return false;
                seen[by[i] / 64] |= UINT64_C(1) << (by[i] % 64);
        }
        for (uint32_t i = 0; i < h->n_corrections; i++) {
                const struct portdb_correction *c = &db->corrections[i];

                if (!str_ok(h, c->name) || !str_ok(h, c->text) || !str_ok(h, c->source) ||
                    !str_ok(h, c->source_url) || !str_ok(h, c->source_label) ||
                    !protos_ok(c->protos) || (i > 0 && db->corrections[i - 1].port > c->port))
                        return false;
        }
        return true;
}

static int verify(const uint8_t *b, size_t len)
{
        const struct portdb_header *h = (const void *)b;
        struct portdb db;

        if (len < sizeof(*h) || len > UINT32_MAX || ((uintptr_t)b % 8) != 0)
                return -EINVAL;
        if (memcmp(h->magic, PORTDB_MAGIC, sizeof(h->magic)) != 0 || h->version != PORTDB_VERSION ||
            h->endian != 0x01020304u || h->size != len)
                return -EINVAL;
        if (portdb_checksum(b + sizeof(*h), len - sizeof(*h)) != h->checksum)
                return -EINVAL;
        if (!span_ok(h->off_iana, h->n_iana, sizeof(struct portdb_iana), 4, len) ||
            !span_ok(h->off_unofficial, h->n_unofficial, sizeof(struct portdb_unofficial), 4,
                     len) ||
            !span_ok(h->off_port_index, PORTDB_PORTS + 1, sizeof(uint32_t), 4, len) ||
            !span_ok(h->off_refs, h->n_refs, sizeof(uint16_t), 2, len) ||
            !span_ok(h->off_names, h->n_names, sizeof(uint16_t), 2, len) ||
            !span_ok(h->off_strings, h->strings_size, 1, 1, len) ||
            !span_ok(h->off_search, h->search_size, 1, 1, len) ||
            !span_ok(h->off_search_map, h->n_search_map, sizeof(struct portdb_search_line), 4,
                     len) ||
            !span_ok(h->off_aliases, h->n_aliases, sizeof(struct portdb_alias), 4, len) ||
            !span_ok(h->off_alias_by_iana, h->n_aliases, sizeof(uint16_t), 2, len) ||
            !span_ok(h->off_corrections, h->n_corrections, sizeof(struct portdb_correction), 4,
                     len))
                return -EINVAL;
        if (h->n_iana > UINT16_MAX || h->n_unofficial > UINT16_MAX || h->n_aliases > UINT16_MAX ||
            h->n_corrections > UINT16_MAX || h->strings_size == 0 || h->search_size == 0)
                return -EINVAL;

        portdb_attach(&db, b);
        /* Every string must end inside the pool: the pool must end with a NUL and so must the
         * search text, which is then scanned with string functions. */
        if (db.strings[0] != '\0' || db.strings[h->strings_size - 1] != '\0' ||
            db.search[h->search_size - 1] != '\0')
                return -EINVAL;
        if (!str_ok(h, h->registry_updated) || !str_ok(h, h->registry_format))
                return -EINVAL;

        for (uint32_t i = 0; i < h->n_iana; i++)
                if (!iana_ok(h, &db.iana[i]))
                        return -EINVAL;
        for (uint32_t i = 0; i < h->n_unofficial; i++) {
                if (!unofficial_ok(h, &db.unofficial[i]))
                        return -EINVAL;
                if (i > 0 && db.unofficial[i - 1].port > db.unofficial[i].port)
                        return -EINVAL;
        }
        if (db.port_index[0] != 0 || db.port_index[PORTDB_PORTS] != h->n_refs)
                return -EINVAL;
        for (uint32_t p = 0; p < PORTDB_PORTS; p++) {
                if (db.port_index[p] > db.port_index[p + 1])
                        return -EINVAL;
                for (uint32_t r = db.port_index[p]; r < db.port_index[p + 1]; r++) {
                        const struct portdb_iana *e;

                        if (db.refs[r] >= h->n_iana)
                                return -EINVAL;
                        e = &db.iana[db.refs[r]];
                        if (p < e->lo || p > e->hi || (e->flags & PORTDB_F_NOPORT))
                                return -EINVAL;
                }
        }
        for (uint32_t i = 0; i < h->n_names; i++) {
                if (db.names[i] >= h->n_iana)
                        return -EINVAL;
                if (i > 0 && strcasecmp(portdb_str(&db, db.iana[db.names[i - 1]].service),
                                        portdb_str(&db, db.iana[db.names[i]].service)) > 0)
                        return -EINVAL;
        }
        for (uint32_t i = 0; i < h->n_search_map; i++) {
                const struct portdb_search_line *l = &db.search_map[i];

                if (l->offset >= h->search_size ||
                    (i > 0 && l->offset <= db.search_map[i - 1].offset))
                        return -EINVAL;
                if (l->table > 2 || l->index >= (l->table == 2   ? h->n_aliases
                                                 : l->table == 1 ? h->n_unofficial
                                                                 : h->n_iana))
                        return -EINVAL;
        }
        if (!extras_ok(&db))
                return -EINVAL;
        /* portdb_search gives every hit to the line that starts at or before it: the first line
         * must start the text, and a text without lines must be empty. */
        if (h->n_search_map == 0 ? h->search_size != 1 : db.search_map[0].offset != 0)
                return -EINVAL;
        return 0;
}

int portdb_open(struct portdb *db, const void *blob, size_t len, bool verify_blob)
{
        if (verify_blob) {
                int r = verify(blob, len);

                if (r < 0)
                        return r;
        }
        portdb_attach(db, blob);
        return 0;
}

size_t portdb_port_refs(const struct portdb *db, uint16_t port, const uint16_t **ret_refs)
{
        uint32_t a = db->port_index[port], b = db->port_index[port + 1];

        *ret_refs = db->refs + a;
        return b - a;
}

size_t portdb_corrections_at(const struct portdb *db, uint16_t port,
                             const struct portdb_correction **ret_first)
{
        size_t lo = 0, hi = db->hdr->n_corrections, end;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (db->corrections[mid].port < port)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (end = lo; end < db->hdr->n_corrections && db->corrections[end].port == port; end++)
                ;
        *ret_first = db->corrections + lo;
        return end - lo;
}

size_t portdb_unofficial_at(const struct portdb *db, uint16_t port,
                            const struct portdb_unofficial **ret_first)
{
        const struct portdb_unofficial *base = db->unofficial;
        size_t n = db->hdr->n_unofficial, lo, end;

        /* The first entry at or after @port, without a branch per step: on random ports the
         * branches of a plain binary search mispredict half the time. */
        if (n > 0) {
                while (n > 1) {
                        size_t half = n / 2;

                        base = base[half].port < port ? base + half : base;
                        n -= half;
                }
                base += base->port < port;
        }
        lo = (size_t)(base - db->unofficial);
        for (end = lo; end < db->hdr->n_unofficial && db->unofficial[end].port == port; end++)
                ;
        *ret_first = db->unofficial + lo;
        return end - lo;
}

enum port_status portdb_status(const struct portdb *db, uint16_t port, unsigned protos)
{
        const uint16_t *refs;
        size_t n = portdb_port_refs(db, port, &refs);
        bool reserved = false;

        for (size_t i = 0; i < n; i++) {
                const struct portdb_iana *e = &db->iana[refs[i]];

                if (!portdb_iana_matches(e, protos))
                        continue;
                if (e->status == IANA_ASSIGNED)
                        return PORT_ASSIGNED;
                if (e->status == IANA_RESERVED)
                        reserved = true;
        }
        return reserved ? PORT_RESERVED : PORT_UNASSIGNED;
}

enum tier portdb_tier(uint16_t port)
{
        if (port <= 1023)
                return TIER_WELL_KNOWN;
        if (port <= 49151)
                return TIER_REGISTERED;
        return TIER_DYNAMIC;
}

const char *portdb_tier_name(enum tier t)
{
        static const char *const names[] = {"well-known", "registered", "dynamic"};

        return names[t];
}

const char *portdb_status_name(enum port_status s)
{
        static const char *const names[] = {"assigned", "reserved", "unassigned"};

        return names[s];
}

const char *portdb_proto_name(enum proto p)
{
        static const char *const names[] = {"tcp", "udp", "sctp", "dccp", NULL};

        return p < PROTO_COUNT ? names[p] : NULL;
}

const char *portdb_kind_name(enum uo_kind k)
{
        static const char *const names[] = {"malware", "software", "other"};

        return names[k];
}

const char *portdb_era_name(enum uo_era e)
{
        static const char *const names[] = {NULL, "modern", "historical"};

        return e < UO_ERA_COUNT ? names[e] : NULL;
}

size_t portdb_find_alias(const struct portdb *db, const char *name, uint32_t *ret_first)
{
        size_t lo = 0, hi = db->hdr->n_aliases, end;

        if (name[0] == '\0')
                return 0;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcasecmp(portdb_str(db, db->aliases[mid].name), name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (end = lo; end < db->hdr->n_aliases &&
                       strcasecmp(portdb_str(db, db->aliases[end].name), name) == 0;
             end++)
                ;
        if (end == lo)
                return 0;
        *ret_first = (uint32_t)lo;
        return end - lo;
}

size_t portdb_aliases_of(const struct portdb *db, uint16_t iana, uint32_t *ret_first)
{
        size_t lo = 0, hi = db->hdr->n_aliases, end;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (db->aliases[db->alias_by_iana[mid]].iana < iana)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (end = lo; end < db->hdr->n_aliases && db->aliases[db->alias_by_iana[end]].iana == iana;
             end++)
                ;
        *ret_first = (uint32_t)lo;
        return end - lo;
}

size_t portdb_find_name(const struct portdb *db, const char *name, uint32_t *ret_first)
{
        size_t lo = 0, hi = db->hdr->n_names, end;

        if (name[0] == '\0')
                return 0;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcasecmp(portdb_str(db, db->iana[db->names[mid]].service), name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (end = lo; end < db->hdr->n_names &&
                       strcasecmp(portdb_str(db, db->iana[db->names[end]].service), name) == 0;
             end++)
                ;
        if (end == lo)
                return 0;
        *ret_first = (uint32_t)lo;
        return end - lo;
}

/* The index of the search line holding text offset @off, which lies in line @from or later. */
static size_t line_at(const struct portdb *db, size_t from, uint32_t off)
{
        size_t n = db->hdr->n_search_map, lo = from, step = 1, hi;

        /* Gallop first: the next hit is usually a line or two on. */
        while (lo + step < n && db->search_map[lo + step].offset <= off) {
                lo += step;
                step *= 2;
        }
        hi = lo + step < n ? lo + step : n;
        while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;

                if (db->search_map[mid].offset <= off)
                        lo = mid;
                else
                        hi = mid;
        }
        return lo;
}

static bool word_start(const char *line, const char *at)
{
        unsigned char c;

        if (at == line)
                return true;
        c = (unsigned char)at[-1];
        return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
}

/* Scores a hit at @at in @l; the query is @qlen bytes long. */
static uint8_t score_hit(const struct portdb_search_line *l, const char *line, const char *at,
                         size_t qlen)
{
        size_t pos = (size_t)(at - line);

        if (l->table == 2) { /* an everyday name, then its meaning */
                if (pos + qlen <= l->split)
                        return pos == 0 ? (qlen == l->split ? PORTDB_SCORE_ALIAS_EXACT
                                                            : PORTDB_SCORE_ALIAS_PREFIX)
                                        : 60;
                if (pos < l->split)
                        return 10;
                return word_start(line, at) ? 40 : 20;
        }
        if (l->table == 1) { /* an unofficial name: the whole line */
                if (pos == 0 && (line[qlen] == '\n' || line[qlen] == '\0'))
                        return 90;
                if (pos == 0)
                        return 70;
                return word_start(line, at) ? 45 : 25;
        }
        if (pos + qlen <= l->split) { /* in the service name */
                if (pos == 0 && qlen == l->split)
                        return PORTDB_SCORE_NAME_EXACT;
                if (pos == 0)
                        return PORTDB_SCORE_NAME_PREFIX;
                return 60;
        }
        if (pos < l->split) /* straddles name and description */
                return 10;
        return word_start(line, at) ? 40 : 20;
}

static int hit_cmp(const void *a, const void *b)
{
        const struct portdb_hit *x = a, *y = b;

        if (x->score != y->score)
                return x->score > y->score ? -1 : 1;
        return (int)x->port - (int)y->port;
}

/* Puts the @n hits in order: best score first, then by port.  A few are sorted; many (a short
 * query hits thousands of ports) are laid out by a counting sort on the score over the ports in
 * order, which costs a pass over ctx->best instead of n log n calls of a comparison. */
static void order_hits(struct portdb_search_ctx *ctx, size_t n)
{
        size_t at[256] = {0}, pos = 0;

        if (n < 512) {
                for (size_t i = 0; i < n; i++) {
                        uint16_t p = ctx->hits[i].port;

                        ctx->hits[i].score = ctx->best[p];
                        ctx->hits[i].protos = ctx->protos[p];
                }
                qsort(ctx->hits, n, sizeof(ctx->hits[0]), hit_cmp);
                return;
        }
        for (size_t i = 0; i < n; i++)
                at[ctx->best[ctx->hits[i].port]]++;
        for (size_t s = 256; s-- > 1;) { /* best score first: its slots come first */
                size_t c = at[s];

                at[s] = pos;
                pos += c;
        }
        for (uint32_t p = 0; p < PORTDB_PORTS; p += 8) {
                uint64_t w;

                memcpy(&w, ctx->best + p, sizeof(w));
                if (w == 0)
                        continue;
                for (uint32_t q = p; q < p + 8; q++)
                        if (ctx->best[q])
                                ctx->hits[at[ctx->best[q]]++] = (struct portdb_hit){
                                    .port = (uint16_t)q,
                                    .score = ctx->best[q],
                                    .protos = ctx->protos[q],
                                };
        }
}

int portdb_search(const struct portdb *db, const char *query, struct portdb_search_ctx *ctx)
{
        char q[PORTDB_MAX_QUERY + 1];
        size_t qlen = strlen(query), nhits = 0, li_from = 0;
        const char *text = db->search, *end = db->search + db->hdr->search_size - 1, *at;

        if (qlen == 0)
                return -EINVAL;
        if (qlen > PORTDB_MAX_QUERY)
                return -E2BIG;
        for (size_t i = 0; i < qlen; i++) {
                char c = query[i];

                if (c == '\n' || c == '\t')
                        c = ' '; /* lines and fields are separated by these in the text */
                q[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
        q[qlen] = '\0';

        memset(ctx->best, 0, sizeof(ctx->best));
        memset(ctx->protos, 0, sizeof(ctx->protos));
        /* Hits come in text order, so lines are found moving forward, and all the hits in one
         * line are scored together and the line's best applied once: a one-letter query hits
         * most lines several times. */
        at = memmem(text, (size_t)(end - text), q, qlen);
        while (at) {
                size_t li = line_at(db, li_from, (uint32_t)(at - text));
                const struct portdb_search_line *l = &db->search_map[li];
                const char *line = text + l->offset;
                const char *next =
                    li + 1 < db->hdr->n_search_map ? text + db->search_map[li + 1].offset : end;
                uint8_t score = 0;
                uint16_t lo, hi;
                uint8_t protos;

                do {
                        uint8_t s = score_hit(l, line, at, qlen);

                        if (s > score)
                                score = s;
                        at++;
                        at = at < end ? memmem(at, (size_t)(end - at), q, qlen) : NULL;
                } while (at && at < next);
                li_from = li;

                if (l->table != 1) {
                        const struct portdb_iana *e =
                            &db->iana[l->table == 2 ? db->aliases[l->index].iana : l->index];

                        lo = e->lo;
                        hi = e->hi;
                        protos = e->proto == PROTO_NONE ? PROTO_MASK_ALL : PROTO_BIT(e->proto);
                } else {
                        const struct portdb_unofficial *u = &db->unofficial[l->index];

                        lo = hi = u->port;
                        protos = u->protos;
                }
                for (uint32_t p = lo; p <= hi; p++) {
                        if (ctx->best[p] == 0)
                                ctx->hits[nhits++].port = (uint16_t)p;
                        if (score > ctx->best[p])
                                ctx->best[p] = score;
                        ctx->protos[p] |= protos;
                }
        }
        order_hits(ctx, nhits);
        return (int)nhits;
}

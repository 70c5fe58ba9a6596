/* registry_blob: turns a read registry into the compact, sorted, range-aware portdb blob.
 *
 * Strings are interned into one pool and referred to by offset, so that the blob needs no
 * relocation when linked into a position-independent binary and can be mapped from a file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry_blob.h"

#include "cleanup.h"

/* The string pool: an open-addressing hash set over the pool's contents. */
struct pool {
        char *data;
        size_t len, cap;
        uint32_t *slots; /* offset + 1; 0 = empty */
        size_t nslots, used;
        int oom;
};

static uint32_t hash_str(const char *s, size_t n)
{
        return portdb_checksum(s, n);
}

static int pool_rehash(struct pool *p)
{
        size_t nslots = p->nslots ? p->nslots * 2 : 1u << 14;
        uint32_t *slots = calloc(nslots, sizeof(*slots));

        if (!slots)
                return -ENOMEM;
        for (size_t i = 0; i < p->nslots; i++) {
                uint32_t v = p->slots[i];
                const char *s;
                size_t j;

                if (!v)
                        continue;
                s = p->data + v - 1;
                for (j = hash_str(s, strlen(s)) & (nslots - 1); slots[j];
                     j = (j + 1) & (nslots - 1))
                        ;
                slots[j] = v;
        }
        free(p->slots);
        p->slots = slots;
        p->nslots = nslots;
        return 0;
}

/* Starts the pool with offset 0 as the empty string. */
static int pool_init(struct pool *p)
{
        p->data = malloc(1u << 16);
        if (!p->data)
                return -ENOMEM;
        p->cap = 1u << 16;
        p->data[0] = '\0';
        p->len = 1;
        return pool_rehash(p);
}

/* Interns @s (NULL or "" give offset 0).  Sets p->oom on failure and returns 0. */
static uint32_t pool_add(struct pool *p, const char *s)
{
        size_t n, j;

        if (!s || !*s || p->oom)
                return 0;
        n = strlen(s);
        if ((p->used + 1) * 2 > p->nslots && pool_rehash(p) < 0) {
                p->oom = 1;
                return 0;
        }
        for (j = hash_str(s, n) & (p->nslots - 1); p->slots[j]; j = (j + 1) & (p->nslots - 1))
                if (strcmp(p->data + p->slots[j] - 1, s) == 0)
                        return p->slots[j] - 1;
        if (p->len + n + 1 > p->cap) {
                size_t ncap = (p->len + n + 1) * 2;
                char *nd = realloc(p->data, ncap);

                if (!nd) {
                        p->oom = 1;
                        return 0;
                }
                p->data = nd;
                p->cap = ncap;
        }
        memcpy(p->data + p->len, s, n + 1);
        p->slots[j] = (uint32_t)p->len + 1;
        p->used++;
        p->len += n + 1;
        return p->slots[j] - 1;
}

static bool utf8_valid(const char *s)
{
        const unsigned char *p = (const unsigned char *)s;

        if (!s)
                return true;
        while (*p) {
                unsigned n, cp;

                if (*p < 0x80) {
                        p++;
                        continue;
                }
                if ((*p & 0xe0) == 0xc0) {
                        n = 1;
                        cp = *p & 0x1f;
                } else if ((*p & 0xf0) == 0xe0) {
                        n = 2;
                        cp = *p & 0x0f;
                } else if ((*p & 0xf8) == 0xf0) {
                        n = 3;
                        cp = *p & 0x07;
                } else {
                        return false;
                }
                for (unsigned i = 1; i <= n; i++) {
                        if ((p[i] & 0xc0) != 0x80)
                                return false;
                        cp = (cp << 6) | (p[i] & 0x3f);
                }
                if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
                    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                        return false;
                p += n + 1;
        }
        return true;
}

/* Sorting: records by port (port-less last), then protocol, then file order. */
struct order {
        const struct reg_record *r;
        size_t pos;
};

static int order_cmp(const void *a, const void *b)
{
        const struct order *x = a, *y = b;
        int xn = x->r->flags & PORTDB_F_NOPORT, yn = y->r->flags & PORTDB_F_NOPORT;

        if (xn != yn)
                return xn - yn;
        if (x->r->lo != y->r->lo)
                return (int)x->r->lo - (int)y->r->lo;
        if (x->r->proto != y->r->proto)
                return (int)x->r->proto - (int)y->r->proto;
        if (x->r->hi != y->r->hi)
                return (int)x->r->hi - (int)y->r->hi;
        return x->pos < y->pos ? -1 : x->pos > y->pos;
}

struct uo_order {
        const struct reg_unofficial *u;
        size_t pos;
};

static int uo_cmp(const void *a, const void *b)
{
        const struct uo_order *x = a, *y = b;

        if (x->u->port != y->u->port)
                return (int)x->u->port - (int)y->u->port;
        return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The entries as finally laid out, for sorting the name index and the per-port refs. */
static const struct portdb_iana *g_iana;
static const char *g_strings;
static const struct portdb_alias *g_aliases;

static int name_cmp(const void *a, const void *b)
{
        const struct portdb_iana *x = &g_iana[*(const uint16_t *)a],
                                 *y = &g_iana[*(const uint16_t *)b];
        int c = strcasecmp(g_strings + x->service, g_strings + y->service);

        if (c)
                return c;
        return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* Refs of one port: by protocol (protocol-less rows last), single ports before ranges. */
static int ref_cmp(const void *a, const void *b)
{
        const struct portdb_iana *x = &g_iana[*(const uint16_t *)a],
                                 *y = &g_iana[*(const uint16_t *)b];

        if (x->proto != y->proto)
                return (int)x->proto - (int)y->proto;
        if ((x->hi - x->lo) != (y->hi - y->lo))
                return (x->hi - x->lo) < (y->hi - y->lo) ? -1 : 1;
        return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* Appends @s lower-cased, with tabs and newlines as spaces, to the search text. */
static void search_add(char *text, size_t *len, const char *s)
{
        for (; s && *s; s++) {
                char c = *s;

                if (c == '\n' || c == '\t' || c == '\r')
                        c = ' ';
                else if (c >= 'A' && c <= 'Z')
                        c = (char)(c - 'A' + 'a');
                text[(*len)++] = c;
        }
}

static size_t align8(size_t n)
{
        return (n + 7) & ~(size_t)7;
}

/* Everything one build holds until the blob is laid out; released by build_done(). */
struct build {
        const struct registry *reg;
        size_t n, nu; /* IANA records, unofficial uses */
        struct pool pool;
        struct order *ord;
        struct uo_order *uord;
        struct portdb_iana *iana;
        struct portdb_unofficial *uo;
        uint32_t *index, *fill;
        uint16_t *refs, *names;
        size_t nrefs, nnames;
        char *search;
        size_t slen, ssize; /* search text: used, bytes it needs */
        struct portdb_search_line *map;
        size_t nmap;
        struct portdb_alias *aliases;
        uint16_t *alias_by_iana;
        size_t naliases;
        struct portdb_correction *corrections;
        size_t ncorrections;
        struct portdb_header h;
};

static void build_done(struct build *b)
{
        free(b->ord);
        free(b->uord);
        free(b->iana);
        free(b->uo);
        free(b->index);
        free(b->fill);
        free(b->refs);
        free(b->names);
        free(b->map);
        free(b->search);
        free(b->aliases);
        free(b->alias_by_iana);
        free(b->corrections);
        free(b->pool.data);
        free(b->pool.slots);
        g_iana = NULL;
        g_strings = NULL;
        g_aliases = NULL;
}

/* Allocates the arrays whose sizes the record counts give.  Returns 0 or -ENOMEM. */
static int build_alloc(struct build *b)
{
        size_t n = b->n, nu = b->nu;

        b->ord = calloc(n ? n : 1, sizeof(*b->ord));
        b->uord = calloc(nu ? nu : 1, sizeof(*b->uord));
        b->iana = calloc(n ? n : 1, sizeof(*b->iana));
        b->uo = calloc(nu ? nu : 1, sizeof(*b->uo));
        b->index = calloc(PORTDB_PORTS + 1, sizeof(*b->index));
        b->fill = calloc(PORTDB_PORTS + 1, sizeof(*b->fill));
        b->names = calloc(n ? n : 1, sizeof(*b->names));
        /* An alias row means at most two entries (tcp and udp). */
        b->aliases = calloc(b->reg->n_aliases * 2 + 1, sizeof(*b->aliases));
        b->alias_by_iana = calloc(b->reg->n_aliases * 2 + 1, sizeof(*b->alias_by_iana));
        b->corrections = calloc(b->reg->n_corrections + 1, sizeof(*b->corrections));
        b->map = calloc(n + nu + b->reg->n_aliases * 2 + 1, sizeof(*b->map));
        if (!b->ord || !b->uord || !b->iana || !b->uo || !b->index || !b->fill || !b->names ||
            !b->map || !b->aliases || !b->alias_by_iana || !b->corrections)
                return -ENOMEM;
        return pool_init(&b->pool);
}

/* Sorts the IANA records and turns them into entries with interned strings, counting the port
 * slots, names and search text they need.  Returns 0 or -EINVAL (text that is not UTF-8). */
static int build_iana(struct build *b, struct reg_error *err)
{
        for (size_t i = 0; i < b->n; i++)
                b->ord[i] = (struct order){&b->reg->recs[i], i};
        qsort(b->ord, b->n, sizeof(*b->ord), order_cmp);
        for (size_t i = 0; i < b->n; i++) {
                const struct reg_record *r = b->ord[i].r;
                const char *const fields[] = {
                    r->service,  r->description, r->assignee,     r->contact,      r->registered,
                    r->modified, r->reference,   r->service_code, r->unauthorized, r->note};

                for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
                        if (!utf8_valid(fields[f])) {
                                reg_error_set(err, 0, "port %u: text that is not UTF-8", r->lo);
                                return -EINVAL;
                        }
                b->iana[i] = (struct portdb_iana){
                    .lo = r->lo,
                    .hi = r->hi,
                    .proto = r->proto,
                    .status = r->status,
                    .flags = r->flags,
                    .service = pool_add(&b->pool, r->service),
                    .description = pool_add(&b->pool, r->description),
                    .assignee = pool_add(&b->pool, r->assignee),
                    .contact = pool_add(&b->pool, r->contact),
                    .registered = pool_add(&b->pool, r->registered),
                    .modified = pool_add(&b->pool, r->modified),
                    .reference = pool_add(&b->pool, r->reference),
                    .service_code = pool_add(&b->pool, r->service_code),
                    .unauthorized = pool_add(&b->pool, r->unauthorized),
                    .note = pool_add(&b->pool, r->note),
                };
                if (!(r->flags & PORTDB_F_NOPORT))
                        b->nrefs += (size_t)r->hi - r->lo + 1;
                if (r->service)
                        b->names[b->nnames++] = (uint16_t)i;
                if (r->status == IANA_ASSIGNED && !(r->flags & PORTDB_F_NOPORT))
                        b->ssize += (r->service ? strlen(r->service) : 0) + 1 +
                                    (r->description ? strlen(r->description) : 0) + 1;
        }
        return 0;
}

/* Sorts the unofficial uses by port and turns them into entries.  Returns 0 or -EINVAL. */
static int build_unofficial(struct build *b, struct reg_error *err)
{
        for (size_t i = 0; i < b->nu; i++)
                b->uord[i] = (struct uo_order){&b->reg->uo[i], i};
        qsort(b->uord, b->nu, sizeof(*b->uord), uo_cmp);
        for (size_t i = 0; i < b->nu; i++) {
                const struct reg_unofficial *u = b->uord[i].u;

                if (!utf8_valid(u->name) || !utf8_valid(u->note) || !utf8_valid(u->source) ||
                    !utf8_valid(u->source_url) || !utf8_valid(u->source_label) ||
                    !utf8_valid(u->ref_id) || !utf8_valid(u->ref_url) ||
                    (u->port_hi && u->port_hi < u->port)) {
                        reg_error_set(err, 0, "unofficial use on port %u: text that is not UTF-8",
                                      u->port);
                        return -EINVAL;
                }
                b->uo[i] = (struct portdb_unofficial){
                    .port = u->port,
                    .protos = u->protos,
                    .kind = u->kind,
                    .year = u->year,
                    .name = pool_add(&b->pool, u->name),
                    .note = pool_add(&b->pool, u->note),
                    .source = pool_add(&b->pool, u->source),
                    .source_url = pool_add(&b->pool, u->source_url),
                    .source_label = pool_add(&b->pool, u->source_label),
                    .ref_id = pool_add(&b->pool, u->ref_id),
                    .ref_url = pool_add(&b->pool, u->ref_url),
                    .port_hi = u->port_hi > u->port ? u->port_hi : u->port,
                    .era = u->era,
                };
                b->ssize += strlen(u->name) + 1;
        }
        return 0;
}

/* The per-port index: a counting sort of every (port, entry) pair, each port's refs in
 * ref_cmp order; and the name index.  Returns 0 or -ENOMEM. */
static int build_index(struct build *b)
{
        const struct portdb_iana *iana = b->iana;
        uint32_t *index = b->index;

        b->refs = calloc(b->nrefs ? b->nrefs : 1, sizeof(*b->refs));
        if (!b->refs)
                return -ENOMEM;
        for (size_t i = 0; i < b->n; i++)
                if (!(iana[i].flags & PORTDB_F_NOPORT))
                        for (uint32_t p = iana[i].lo; p <= iana[i].hi; p++)
                                index[p + 1]++;
        for (uint32_t p = 0; p < PORTDB_PORTS; p++)
                index[p + 1] += index[p];
        memcpy(b->fill, index, (PORTDB_PORTS + 1) * sizeof(*b->fill));
        for (size_t i = 0; i < b->n; i++)
                if (!(iana[i].flags & PORTDB_F_NOPORT))
                        for (uint32_t p = iana[i].lo; p <= iana[i].hi; p++)
                                b->refs[b->fill[p]++] = (uint16_t)i;
        for (uint32_t p = 0; p < PORTDB_PORTS; p++)
                if (index[p + 1] - index[p] > 1)
                        qsort(b->refs + index[p], index[p + 1] - index[p], sizeof(*b->refs),
                              ref_cmp);
        qsort(b->names, b->nnames, sizeof(*b->names), name_cmp);
        return 0;
}

/* Search text: "service\tdescription" per assigned entry, "name" per unofficial use, with the
 * map from each line to its entry.  Returns 0 or -ENOMEM. */
static int build_search(struct build *b)
{
        const char *strings = b->pool.data;
        struct portdb_search_line *map = b->map;
        char *search = b->search = malloc(b->ssize);

        if (!search)
                return -ENOMEM;
        for (size_t i = 0; i < b->n; i++) {
                const struct portdb_iana *e = &b->iana[i];
                size_t k = b->nmap;

                if (e->status != IANA_ASSIGNED || (e->flags & PORTDB_F_NOPORT))
                        continue;
                map[k] = (struct portdb_search_line){
                    .offset = (uint32_t)b->slen, .index = (uint16_t)i, .table = 0};
                search_add(search, &b->slen, strings + e->service);
                map[k].split =
                    (uint8_t)(b->slen - map[k].offset > 255 ? 255 : b->slen - map[k].offset);
                search[b->slen++] = '\t';
                search_add(search, &b->slen, strings + e->description);
                search[b->slen++] = '\n';
                b->nmap++;
        }
        for (size_t i = 0; i < b->nu; i++) {
                map[b->nmap++] = (struct portdb_search_line){
                    .offset = (uint32_t)b->slen, .index = (uint16_t)i, .table = 1};
                search_add(search, &b->slen, strings + b->uo[i].name);
                search[b->slen++] = '\n';
        }
        for (size_t i = 0; i < b->naliases; i++) {
                const struct portdb_alias *a = &b->aliases[i];
                size_t k = b->nmap++;

                map[k] = (struct portdb_search_line){
                    .offset = (uint32_t)b->slen, .index = (uint16_t)i, .table = 2};
                search_add(search, &b->slen, strings + a->name);
                map[k].split = (uint8_t)(b->slen - map[k].offset);
                search[b->slen++] = '\t';
                search_add(search, &b->slen, strings + a->meaning);
                search[b->slen++] = '\n';
        }
        search[b->slen++] = '\0';
        return 0;
}

/* Sets the header's offsets: header, iana, unofficial, index, refs, names, map, strings,
 * search, each 8-byte aligned.  Returns the blob's total size. */
static size_t build_layout(struct build *b)
{
        struct portdb_header *h = &b->h;
        size_t off = align8(sizeof(*h));

        h->n_iana = (uint32_t)b->n;
        h->off_iana = (uint32_t)off;
        off = align8(off + b->n * sizeof(*b->iana));
        h->n_unofficial = (uint32_t)b->nu;
        h->off_unofficial = (uint32_t)off;
        off = align8(off + b->nu * sizeof(*b->uo));
        h->off_port_index = (uint32_t)off;
        off = align8(off + (PORTDB_PORTS + 1) * sizeof(*b->index));
        h->n_refs = (uint32_t)b->nrefs;
        h->off_refs = (uint32_t)off;
        off = align8(off + b->nrefs * sizeof(*b->refs));
        h->n_names = (uint32_t)b->nnames;
        h->off_names = (uint32_t)off;
        off = align8(off + b->nnames * sizeof(*b->names));
        h->n_search_map = (uint32_t)b->nmap;
        h->off_search_map = (uint32_t)off;
        off = align8(off + b->nmap * sizeof(*b->map));
        h->strings_size = (uint32_t)b->pool.len;
        h->off_strings = (uint32_t)off;
        off = align8(off + b->pool.len);
        h->search_size = (uint32_t)b->slen;
        h->off_search = (uint32_t)off;
        off = align8(off + b->slen);
        h->n_aliases = (uint32_t)b->naliases;
        h->off_aliases = (uint32_t)off;
        off = align8(off + b->naliases * sizeof(*b->aliases));
        h->off_alias_by_iana = (uint32_t)off;
        off = align8(off + b->naliases * sizeof(*b->alias_by_iana));
        h->n_corrections = (uint32_t)b->ncorrections;
        h->off_corrections = (uint32_t)off;
        return align8(off + b->ncorrections * sizeof(*b->corrections));
}

/* Copies every part into a new blob of @total bytes (the caller frees it) and seals the header
 * with its checksum.  NULL when out of memory. */
static uint8_t *build_write(struct build *b, size_t total)
{
        struct portdb_header *h = &b->h;
        uint8_t *blob = calloc(1, total);

        if (!blob)
                return NULL;
        memcpy(h->magic, PORTDB_MAGIC, sizeof(h->magic));
        h->version = PORTDB_VERSION;
        h->size = (uint32_t)total;
        h->endian = 0x01020304u;
        h->n_records = (uint32_t)b->n;
        memcpy(blob + h->off_iana, b->iana, b->n * sizeof(*b->iana));
        memcpy(blob + h->off_unofficial, b->uo, b->nu * sizeof(*b->uo));
        memcpy(blob + h->off_port_index, b->index, (PORTDB_PORTS + 1) * sizeof(*b->index));
        memcpy(blob + h->off_refs, b->refs, b->nrefs * sizeof(*b->refs));
        memcpy(blob + h->off_names, b->names, b->nnames * sizeof(*b->names));
        memcpy(blob + h->off_search_map, b->map, b->nmap * sizeof(*b->map));
        memcpy(blob + h->off_strings, b->pool.data, b->pool.len);
        memcpy(blob + h->off_search, b->search, b->slen);
        memcpy(blob + h->off_aliases, b->aliases, b->naliases * sizeof(*b->aliases));
        memcpy(blob + h->off_alias_by_iana, b->alias_by_iana,
               b->naliases * sizeof(*b->alias_by_iana));
        memcpy(blob + h->off_corrections, b->corrections,
               b->ncorrections * sizeof(*b->corrections));
        h->checksum = portdb_checksum(blob + sizeof(*h), total - sizeof(*h));
        memcpy(blob, h, sizeof(*h));
        return blob;
}

/* The entry of @service on @port for protocol @p (not port-less), found through the name index;
 * -1 when there is none. */
static long find_entry(const struct build *b, const char *service, uint16_t port, enum proto p)
{
        size_t lo = 0, hi = b->nnames;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcasecmp(g_strings + b->iana[b->names[mid]].service, service) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (;
             lo < b->nnames && strcasecmp(g_strings + b->iana[b->names[lo]].service, service) == 0;
             lo++) {
                const struct portdb_iana *e = &b->iana[b->names[lo]];

                if (!(e->flags & PORTDB_F_NOPORT) && e->proto == p && e->lo <= port &&
                    port <= e->hi)
                        return b->names[lo];
        }
        return -1;
}

static int alias_cmp(const void *x, const void *y)
{
        const struct portdb_alias *a = x, *c = y;
        int r = strcasecmp(g_strings + a->name, g_strings + c->name);

        return r ? r : (int)a->iana - (int)c->iana;
}

static int alias_iana_cmp(const void *x, const void *y)
{
        uint16_t a = *(const uint16_t *)x, c = *(const uint16_t *)y;

        if (g_aliases[a].iana != g_aliases[c].iana)
                return (int)g_aliases[a].iana - (int)g_aliases[c].iana;
        return (int)a - (int)c;
}

/* One alias row: a record for each protocol it names.  Returns 0 or -EINVAL (no such entry). */
static int add_alias(struct build *b, const struct reg_alias *ra, struct reg_error *err)
{
        for (enum proto p = PROTO_TCP; p < PROTO_NONE; p++) {
                long i;

                if (!(ra->protos & PROTO_BIT(p)))
                        continue;
                i = find_entry(b, ra->service, ra->port, p);
                if (i < 0) {
                        reg_error_set(err, 0, "alias \"%s\": IANA has no entry %s on %u/%s",
                                      ra->name, ra->service, ra->port, portdb_proto_name(p));
                        return -EINVAL;
                }
                b->iana[i].flags |= PORTDB_F_ALIAS;
                b->aliases[b->naliases++] = (struct portdb_alias){
                    .name = pool_add(&b->pool, ra->name),
                    .meaning = pool_add(&b->pool, ra->meaning),
                    .source = pool_add(&b->pool, ra->source),
                    .source_url = pool_add(&b->pool, ra->source_url),
                    .source_label = pool_add(&b->pool, ra->source_label),
                    .iana = (uint16_t)i,
                };
        }
        return 0;
}

/* The everyday names, each bound to the entries it means, sorted by name and indexed by entry.
 * Returns 0, -EINVAL (a name meaning no entry, or text that is not UTF-8) or -ENOMEM. */
static int build_aliases(struct build *b, struct reg_error *err)
{
        for (size_t i = 0; i < b->reg->n_aliases; i++) {
                const struct reg_alias *ra = &b->reg->aliases[i];
                int r;

                if (!utf8_valid(ra->meaning) || !utf8_valid(ra->source) ||
                    !utf8_valid(ra->source_url) || !utf8_valid(ra->source_label)) {
                        reg_error_set(err, 0, "alias \"%s\": text that is not UTF-8", ra->name);
                        return -EINVAL;
                }
                r = add_alias(b, ra, err);
                if (r < 0)
                        return r;
        }
        if (b->pool.oom)
                return -ENOMEM;
        g_strings = b->pool.data;
        qsort(b->aliases, b->naliases, sizeof(*b->aliases), alias_cmp);
        for (size_t i = 0; i < b->naliases; i++) {
                b->alias_by_iana[i] = (uint16_t)i;
                b->ssize += strlen(g_strings + b->aliases[i].name) + 1 +
                            strlen(g_strings + b->aliases[i].meaning) + 1;
        }
        g_aliases = b->aliases;
        qsort(b->alias_by_iana, b->naliases, sizeof(*b->alias_by_iana), alias_iana_cmp);
        return 0;
}

/* Whether the uses hold the claim @c corrects. */
static bool claim_exists(const struct build *b, const struct reg_correction *c)
{
        for (size_t i = 0; i < b->nu; i++) {
                const struct reg_unofficial *u = &b->reg->uo[i];

                if (u->port == c->port && (u->protos & c->protos) &&
                    strcasecmp(u->name, c->name) == 0)
                        return true;
        }
        return false;
}

/* The corrections, by port (file order within one).  Returns 0 or -EINVAL (a correction of a
 * claim the uses do not hold, or text that is not UTF-8). */
static int build_corrections(struct build *b, struct reg_error *err)
{
        const struct registry *reg = b->reg;
        bool sorted = true;

        for (size_t i = 0; i < reg->n_corrections; i++) {
                const struct reg_correction *c = &reg->corrections[i];

                if (!claim_exists(b, c) || !utf8_valid(c->name) || !utf8_valid(c->text) ||
                    !utf8_valid(c->source) || !utf8_valid(c->source_url) ||
                    !utf8_valid(c->source_label)) {
                        reg_error_set(err, 0,
                                      "correction of \"%s\" on port %u: no such claim in the "
                                      "unofficial uses, or text that is not UTF-8",
                                      c->name, c->port);
                        return -EINVAL;
                }
                b->corrections[b->ncorrections++] = (struct portdb_correction){
                    .port = c->port,
                    .protos = c->protos,
                    .name = pool_add(&b->pool, c->name),
                    .text = pool_add(&b->pool, c->text),
                    .source = pool_add(&b->pool, c->source),
                    .source_url = pool_add(&b->pool, c->source_url),
                    .source_label = pool_add(&b->pool, c->source_label),
                };
                sorted = sorted && (i == 0 || reg->corrections[i - 1].port <= c->port);
        }
        /* Insertion sort keeps the file's order within a port; the file is usually sorted. */
        for (size_t i = 1; !sorted && i < b->ncorrections; i++) {
                struct portdb_correction t = b->corrections[i];
                size_t j = i;

                for (; j > 0 && b->corrections[j - 1].port > t.port; j--)
                        b->corrections[j] = b->corrections[j - 1];
                b->corrections[j] = t;
        }
        return 0;
}

/* The steps up to the layout.  Returns 0, -EINVAL, -E2BIG or -ENOMEM (@err filled but for
 * -ENOMEM, which the caller words). */
static int build_parts(struct build *b, struct reg_error *err)
{
        int r = build_alloc(b);

        if (r == 0)
                r = build_iana(b, err);
        if (r == 0)
                r = build_unofficial(b, err);
        if (r < 0)
                return r;
        if (b->nrefs > REGISTRY_MAX_COVERAGE) {
                reg_error_set(err, 0,
                              "range entries cover %zu port slots together, more than %u; not a "
                              "plausible registry",
                              b->nrefs, REGISTRY_MAX_COVERAGE);
                return -E2BIG;
        }
        b->h.registry_updated = pool_add(&b->pool, b->reg->updated);
        b->h.registry_format = pool_add(&b->pool, b->reg->format);
        if (b->pool.oom || b->nrefs > UINT32_MAX)
                return -ENOMEM;
        g_iana = b->iana;
        g_strings = b->pool.data;
        r = build_index(b);
        if (r == 0)
                r = build_aliases(b, err);
        if (r == 0)
                r = build_corrections(b, err);
        if (r == 0 && b->pool.oom)
                r = -ENOMEM;
        return r < 0 ? r : build_search(b);
}

int registry_build_blob(const struct registry *reg, void **ret_blob, size_t *ret_len,
                        struct reg_error *err)
{
        _cleanup_(build_done) struct build b = {
            .reg = reg, .n = reg->n_recs, .nu = reg->n_uo, .ssize = 1};
        uint8_t *blob;
        size_t total;
        int r;

        if (b.n > UINT16_MAX || b.nu > UINT16_MAX || reg->n_aliases * 2 > UINT16_MAX ||
            reg->n_corrections > UINT16_MAX) {
                reg_error_set(err, 0, "more than %u entries", UINT16_MAX);
                return -E2BIG;
        }
        r = build_parts(&b, err);
        if (r == 0) {
                total = build_layout(&b);
                if (total > UINT32_MAX) {
                        reg_error_set(err, 0, "table larger than 4 GiB");
                        return -E2BIG;
                }
                blob = build_write(&b, total);
                r = blob ? 0 : -ENOMEM;
        }
        if (r == -ENOMEM)
                reg_error_set(err, 0, "out of memory");
        if (r < 0)
                return r;
        *ret_blob = blob;
        *ret_len = total;
        return 0;
}

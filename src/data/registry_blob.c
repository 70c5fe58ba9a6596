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

int registry_build_blob(const struct registry *reg, void **ret_blob, size_t *ret_len,
                        struct reg_error *err)
{
        struct pool pool = {0};
        struct order *ord = NULL;
        struct uo_order *uord = NULL;
        struct portdb_iana *iana = NULL;
        struct portdb_unofficial *uo = NULL;
        uint32_t *index = NULL;
        uint16_t *refs = NULL, *names = NULL;
        char *search = NULL;
        struct portdb_search_line *map = NULL;
        size_t n = reg->n_recs, nu = reg->n_uo, nrefs = 0, nnames = 0, slen = 0, nmap = 0,
               ssize = 1;
        uint32_t *fill = NULL;
        uint8_t *blob = NULL;
        struct portdb_header h = {0};
        size_t off, total;
        int ret = -ENOMEM;

        if (n > UINT16_MAX || nu > UINT16_MAX) {
                reg_error_set(err, 0, "more than %u entries", UINT16_MAX);
                return -E2BIG;
        }
        ord = calloc(n ? n : 1, sizeof(*ord));
        uord = calloc(nu ? nu : 1, sizeof(*uord));
        iana = calloc(n ? n : 1, sizeof(*iana));
        uo = calloc(nu ? nu : 1, sizeof(*uo));
        index = calloc(PORTDB_PORTS + 1, sizeof(*index));
        fill = calloc(PORTDB_PORTS + 1, sizeof(*fill));
        names = calloc(n ? n : 1, sizeof(*names));
        map = calloc(n + nu + 1, sizeof(*map));
        if (!ord || !uord || !iana || !uo || !index || !fill || !names || !map)
                goto out;
        if (pool_init(&pool) < 0)
                goto out;

        for (size_t i = 0; i < n; i++)
                ord[i] = (struct order){&reg->recs[i], i};
        qsort(ord, n, sizeof(*ord), order_cmp);
        for (size_t i = 0; i < n; i++) {
                const struct reg_record *r = ord[i].r;
                const char *const fields[] = {
                    r->service,  r->description, r->assignee,     r->contact,      r->registered,
                    r->modified, r->reference,   r->service_code, r->unauthorized, r->note};

                for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
                        if (!utf8_valid(fields[f])) {
                                reg_error_set(err, 0, "port %u: text that is not UTF-8", r->lo);
                                ret = -EINVAL;
                                goto out;
                        }
                iana[i] = (struct portdb_iana){
                    .lo = r->lo,
                    .hi = r->hi,
                    .proto = r->proto,
                    .status = r->status,
                    .flags = r->flags,
                    .service = pool_add(&pool, r->service),
                    .description = pool_add(&pool, r->description),
                    .assignee = pool_add(&pool, r->assignee),
                    .contact = pool_add(&pool, r->contact),
                    .registered = pool_add(&pool, r->registered),
                    .modified = pool_add(&pool, r->modified),
                    .reference = pool_add(&pool, r->reference),
                    .service_code = pool_add(&pool, r->service_code),
                    .unauthorized = pool_add(&pool, r->unauthorized),
                    .note = pool_add(&pool, r->note),
                };
                if (!(r->flags & PORTDB_F_NOPORT))
                        nrefs += (size_t)r->hi - r->lo + 1;
                if (r->service)
                        names[nnames++] = (uint16_t)i;
                if (r->status == IANA_ASSIGNED && !(r->flags & PORTDB_F_NOPORT))
                        ssize += (r->service ? strlen(r->service) : 0) + 1 +
                                 (r->description ? strlen(r->description) : 0) + 1;
        }
        for (size_t i = 0; i < nu; i++)
                uord[i] = (struct uo_order){&reg->uo[i], i};
        qsort(uord, nu, sizeof(*uord), uo_cmp);
        for (size_t i = 0; i < nu; i++) {
                const struct reg_unofficial *u = uord[i].u;

                if (!utf8_valid(u->name) || !utf8_valid(u->note) || !utf8_valid(u->source) ||
                    !utf8_valid(u->source_url) || !utf8_valid(u->source_label)) {
                        reg_error_set(err, 0, "unofficial use on port %u: text that is not UTF-8",
                                      u->port);
                        ret = -EINVAL;
                        goto out;
                }
                uo[i] = (struct portdb_unofficial){
                    .port = u->port,
                    .protos = u->protos,
                    .kind = u->kind,
                    .year = u->year,
                    .name = pool_add(&pool, u->name),
                    .note = pool_add(&pool, u->note),
                    .source = pool_add(&pool, u->source),
                    .source_url = pool_add(&pool, u->source_url),
                    .source_label = pool_add(&pool, u->source_label),
                };
                ssize += strlen(u->name) + 1;
        }
        if (nrefs > REGISTRY_MAX_COVERAGE) {
                reg_error_set(err, 0,
                              "range entries cover %zu port slots together, more than %u; not a "
                              "plausible registry",
                              nrefs, REGISTRY_MAX_COVERAGE);
                ret = -E2BIG;
                goto out;
        }
        h.registry_updated = pool_add(&pool, reg->updated);
        h.registry_format = pool_add(&pool, reg->format);
        if (pool.oom || nrefs > UINT32_MAX)
                goto out;
        g_iana = iana;
        g_strings = pool.data;

        /* Per-port index: counting sort of every (port, entry) pair. */
        refs = calloc(nrefs ? nrefs : 1, sizeof(*refs));
        if (!refs)
                goto out;
        for (size_t i = 0; i < n; i++)
                if (!(iana[i].flags & PORTDB_F_NOPORT))
                        for (uint32_t p = iana[i].lo; p <= iana[i].hi; p++)
                                index[p + 1]++;
        for (uint32_t p = 0; p < PORTDB_PORTS; p++)
                index[p + 1] += index[p];
        memcpy(fill, index, (PORTDB_PORTS + 1) * sizeof(*fill));
        for (size_t i = 0; i < n; i++)
                if (!(iana[i].flags & PORTDB_F_NOPORT))
                        for (uint32_t p = iana[i].lo; p <= iana[i].hi; p++)
                                refs[fill[p]++] = (uint16_t)i;
        for (uint32_t p = 0; p < PORTDB_PORTS; p++)
                if (index[p + 1] - index[p] > 1)
                        qsort(refs + index[p], index[p + 1] - index[p], sizeof(*refs), ref_cmp);
        qsort(names, nnames, sizeof(*names), name_cmp);

        /* Search text: "service\tdescription" per assigned entry, "name" per unofficial use. */
        search = malloc(ssize);
        if (!search)
                goto out;
        for (size_t i = 0; i < n; i++) {
                const struct portdb_iana *e = &iana[i];

                if (e->status != IANA_ASSIGNED || (e->flags & PORTDB_F_NOPORT))
                        continue;
                map[nmap] = (struct portdb_search_line){
                    .offset = (uint32_t)slen, .index = (uint16_t)i, .table = 0};
                search_add(search, &slen, pool.data + e->service);
                map[nmap].split =
                    (uint8_t)(slen - map[nmap].offset > 255 ? 255 : slen - map[nmap].offset);
                search[slen++] = '\t';
                search_add(search, &slen, pool.data + e->description);
                search[slen++] = '\n';
                nmap++;
        }
        for (size_t i = 0; i < nu; i++) {
                map[nmap++] = (struct portdb_search_line){
                    .offset = (uint32_t)slen, .index = (uint16_t)i, .table = 1};
                search_add(search, &slen, pool.data + uo[i].name);
                search[slen++] = '\n';
        }
        search[slen++] = '\0';

        /* Lay out: header, iana, unofficial, index, refs, names, map, strings, search. */
        off = align8(sizeof(h));
        h.n_iana = (uint32_t)n;
        h.off_iana = (uint32_t)off;
        off = align8(off + n * sizeof(*iana));
        h.n_unofficial = (uint32_t)nu;
        h.off_unofficial = (uint32_t)off;
        off = align8(off + nu * sizeof(*uo));
        h.off_port_index = (uint32_t)off;
        off = align8(off + (PORTDB_PORTS + 1) * sizeof(*index));
        h.n_refs = (uint32_t)nrefs;
        h.off_refs = (uint32_t)off;
        off = align8(off + nrefs * sizeof(*refs));
        h.n_names = (uint32_t)nnames;
        h.off_names = (uint32_t)off;
        off = align8(off + nnames * sizeof(*names));
        h.n_search_map = (uint32_t)nmap;
        h.off_search_map = (uint32_t)off;
        off = align8(off + nmap * sizeof(*map));
        h.strings_size = (uint32_t)pool.len;
        h.off_strings = (uint32_t)off;
        off = align8(off + pool.len);
        h.search_size = (uint32_t)slen;
        h.off_search = (uint32_t)off;
        total = align8(off + slen);
        if (total > UINT32_MAX) {
                reg_error_set(err, 0, "table larger than 4 GiB");
                ret = -E2BIG;
                goto out;
        }
        blob = calloc(1, total);
        if (!blob)
                goto out;
        memcpy(h.magic, PORTDB_MAGIC, sizeof(h.magic));
        h.version = PORTDB_VERSION;
        h.size = (uint32_t)total;
        h.endian = 0x01020304u;
        h.n_records = (uint32_t)n;
        memcpy(blob + h.off_iana, iana, n * sizeof(*iana));
        memcpy(blob + h.off_unofficial, uo, nu * sizeof(*uo));
        memcpy(blob + h.off_port_index, index, (PORTDB_PORTS + 1) * sizeof(*index));
        memcpy(blob + h.off_refs, refs, nrefs * sizeof(*refs));
        memcpy(blob + h.off_names, names, nnames * sizeof(*names));
        memcpy(blob + h.off_search_map, map, nmap * sizeof(*map));
        memcpy(blob + h.off_strings, pool.data, pool.len);
        memcpy(blob + h.off_search, search, slen);
        h.checksum = portdb_checksum(blob + sizeof(h), total - sizeof(h));
        memcpy(blob, &h, sizeof(h));
        *ret_blob = blob;
        *ret_len = total;
        blob = NULL;
        ret = 0;
out:
        if (ret == -ENOMEM)
                reg_error_set(err, 0, "out of memory");
        free(blob);
        free(ord);
        free(uord);
        free(iana);
        free(uo);
        free(index);
        free(fill);
        free(refs);
        free(names);
        free(map);
        free(search);
        free(pool.data);
        free(pool.slots);
        g_iana = NULL;
        g_strings = NULL;
        return ret;
}

/* fuzz-common: checks shared by the fuzz targets.
 *
 * A blob that portdb_open accepted must be safe to walk in full, and a registry that a reader
 * accepted must become a blob that verifies and answers for every record.  Nothing is printed
 * unless a check fails.
 */
#include "fuzz.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *file, int line, const char *what)
{
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
        abort();
}

/* Reads the string at @off to its end; the length keeps the read from being optimized away. */
static size_t touch(const struct portdb *db, uint32_t off)
{
        return strlen(portdb_str(db, off));
}

static size_t touch_iana(const struct portdb *db, const struct portdb_iana *e)
{
        FUZZ_CHECK(e->lo <= e->hi);
        FUZZ_CHECK(e->proto < PROTO_COUNT);
        FUZZ_CHECK(e->status <= IANA_UNASSIGNED);
        (void)portdb_proto_name((enum proto)e->proto);
        return touch(db, e->service) + touch(db, e->description) + touch(db, e->assignee) +
               touch(db, e->contact) + touch(db, e->registered) + touch(db, e->modified) +
               touch(db, e->reference) + touch(db, e->service_code) + touch(db, e->unauthorized) +
               touch(db, e->note);
}

static size_t touch_unofficial(const struct portdb *db, const struct portdb_unofficial *u)
{
        FUZZ_CHECK(u->kind < UO_KIND_COUNT);
        FUZZ_CHECK(u->era < UO_ERA_COUNT);
        FUZZ_CHECK(u->port_hi >= u->port);
        FUZZ_CHECK(u->protos != 0 && (u->protos & ~PROTO_MASK_TCP_UDP) == 0);
        (void)portdb_kind_name((enum uo_kind)u->kind);
        (void)portdb_era_name((enum uo_era)u->era);
        return touch(db, u->name) + touch(db, u->note) + touch(db, u->source) +
               touch(db, u->source_url) + touch(db, u->source_label) + touch(db, u->ref_id) +
               touch(db, u->ref_url);
}

/* Every everyday name: found by its name and by its entry; every correction, by its port. */
static size_t touch_extras(const struct portdb *db)
{
        const struct portdb_header *h = db->hdr;
        size_t sink = 0;

        for (uint32_t i = 0; i < h->n_aliases; i++) {
                const struct portdb_alias *a = &db->aliases[i];
                uint32_t first = 0;
                size_t n;

                FUZZ_CHECK(a->iana < h->n_iana);
                sink += touch(db, a->name) + touch(db, a->meaning) + touch(db, a->source) +
                        touch(db, a->source_url) + touch(db, a->source_label);
                n = portdb_find_alias(db, portdb_str(db, a->name), &first);
                FUZZ_CHECK(n > 0 && first <= i && i < first + n);
                n = portdb_aliases_of(db, a->iana, &first);
                FUZZ_CHECK(n > 0 && first + n <= h->n_aliases);
                FUZZ_CHECK(db->alias_by_iana[first] < h->n_aliases);
        }
        for (uint32_t i = 0; i < h->n_corrections; i++) {
                const struct portdb_correction *c = &db->corrections[i], *v;
                size_t n = portdb_corrections_at(db, c->port, &v);

                FUZZ_CHECK(n > 0 && v->port == c->port);
                sink += touch(db, c->name) + touch(db, c->text) + touch(db, c->source) +
                        touch(db, c->source_url) + touch(db, c->source_label);
        }
        return sink;
}

/* Scratch space for portdb_search (about 330 KiB), reused by every run. */
static struct portdb_search_ctx search_ctx;

void fuzz_search(const struct portdb *db, const char *query)
{
        size_t qlen = strlen(query);
        int n = portdb_search(db, query, &search_ctx);

        if (qlen == 0) {
                FUZZ_CHECK(n == -EINVAL);
                return;
        }
        if (qlen > PORTDB_MAX_QUERY) {
                FUZZ_CHECK(n == -E2BIG);
                return;
        }
        FUZZ_CHECK(n >= 0 && (size_t)n <= PORTDB_PORTS);
        for (int i = 0; i < n; i++) {
                const struct portdb_hit *h = &search_ctx.hits[i];

                FUZZ_CHECK(h->score > 0);
                FUZZ_CHECK(h->protos != 0 && (h->protos & ~PROTO_MASK_ALL) == 0);
                if (i > 0) {
                        const struct portdb_hit *prev = &search_ctx.hits[i - 1];

                        FUZZ_CHECK(prev->score > h->score ||
                                   (prev->score == h->score && prev->port < h->port));
                }
        }
}

/* Searches for up to 4 bytes of the search text at line @i, so that queries hit something. */
static void search_from_line(const struct portdb *db, uint32_t i)
{
        const struct portdb_search_line *l = &db->search_map[i];
        char q[5];
        size_t n = 0;

        while (n < 4 && l->offset + n < db->hdr->search_size && db->search[l->offset + n] != '\0') {
                q[n] = db->search[l->offset + n];
                n++;
        }
        q[n] = '\0';
        if (n > 0)
                fuzz_search(db, q);
}

/* Every lookup about one port. */
static size_t exercise_port(const struct portdb *db, uint16_t port)
{
        const uint16_t *refs;
        const struct portdb_unofficial *u;
        size_t n = portdb_port_refs(db, port, &refs), sink = 0;

        for (size_t i = 0; i < n; i++) {
                const struct portdb_iana *e;

                FUZZ_CHECK(refs[i] < db->hdr->n_iana);
                e = &db->iana[refs[i]];
                FUZZ_CHECK(e->lo <= port && port <= e->hi);
                sink += touch_iana(db, e);
        }
        for (enum proto pr = PROTO_TCP; pr < PROTO_COUNT; pr++)
                FUZZ_CHECK(portdb_status(db, port, PROTO_BIT(pr)) <= PORT_UNASSIGNED);
        sink += strlen(portdb_status_name(portdb_status(db, port, PROTO_MASK_ALL)));
        sink += strlen(portdb_tier_name(portdb_tier(port)));
        n = portdb_unofficial_at(db, port, &u);
        for (size_t i = 0; i < n; i++) {
                FUZZ_CHECK(u[i].port == port);
                sink += touch_unofficial(db, &u[i]);
        }
        return sink;
}

void fuzz_exercise_db(const struct portdb *db)
{
        static const char *const queries[] = {"a", "tcp", "\xc3"};
        const struct portdb_header *h = db->hdr;
        volatile size_t sink = 0;

        sink += touch(db, h->registry_updated) + touch(db, h->registry_format);

        /* The verifier walks the index of every port; lookups go to the ports where something
         * is (each entry's ends and their neighbours), the edges and a sample of the rest. */
        for (uint32_t p = 0; p < PORTDB_PORTS; p += 251)
                sink += exercise_port(db, (uint16_t)p);
        sink += exercise_port(db, 65535);
        for (uint32_t i = 0; i < h->n_iana; i++) {
                const struct portdb_iana *e = &db->iana[i];

                sink += touch_iana(db, e);
                if (i >= 256)
                        continue;
                sink += exercise_port(db, e->lo) + exercise_port(db, e->hi);
                sink += exercise_port(db, (uint16_t)(e->lo - 1)) +
                        exercise_port(db, (uint16_t)(e->hi + 1));
        }
        for (uint32_t i = 0; i < h->n_unofficial; i++) {
                sink += touch_unofficial(db, &db->unofficial[i]);
                if (i < 256)
                        sink += exercise_port(db, db->unofficial[i].port);
        }

        /* Every name in the index is found, and the match covers its own position. */
        for (uint32_t i = 0; i < h->n_names; i += 1 + h->n_names / 256) {
                const char *name = portdb_str(db, db->iana[db->names[i]].service);
                uint32_t first = 0;
                size_t n;

                if (name[0] == '\0')
                        continue;
                n = portdb_find_name(db, name, &first);
                FUZZ_CHECK(n > 0 && first <= i && i < first + n);
        }
        (void)portdb_find_name(db, "", &(uint32_t){0});
        (void)portdb_find_alias(db, "", &(uint32_t){0});
        (void)portdb_find_alias(db, "rdp", &(uint32_t){0});
        sink += touch_extras(db);
        (void)portdb_find_name(db, "zzzz-not-a-service", &(uint32_t){0});

        for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
                fuzz_search(db, queries[i]);
        for (uint32_t i = 0; i < h->n_search_map && i < 4; i++)
                search_from_line(db, i);
        (void)sink;
}

/* Whether the entries covering @r->lo include one with @r's range, protocol and service. */
static bool record_found(const struct portdb *db, const struct reg_record *r)
{
        const uint16_t *refs;
        size_t n = portdb_port_refs(db, r->lo, &refs);

        for (size_t i = 0; i < n; i++) {
                const struct portdb_iana *e = &db->iana[refs[i]];

                if (e->lo == r->lo && e->hi == r->hi && e->proto == r->proto &&
                    e->status == r->status &&
                    strcmp(portdb_str(db, e->service), r->service ? r->service : "") == 0)
                        return true;
        }
        return false;
}

static bool unofficial_found(const struct portdb *db, const struct reg_unofficial *r)
{
        const struct portdb_unofficial *u;
        size_t n = portdb_unofficial_at(db, r->port, &u);

        for (size_t i = 0; i < n; i++)
                if (u[i].protos == r->protos && u[i].kind == r->kind &&
                    strcmp(portdb_str(db, u[i].name), r->name) == 0)
                        return true;
        return false;
}

void fuzz_check_registry(const struct registry *reg)
{
        struct reg_error err = {0};
        struct portdb db;
        void *blob = NULL;
        size_t len = 0;
        int r = registry_build_blob(reg, &blob, &len, &err);

        if (r < 0) {
                /* Text that is not UTF-8 is refused here rather than by the readers. */
                FUZZ_CHECK(r == -EINVAL || r == -E2BIG || r == -ENOMEM);
                FUZZ_CHECK(err.msg[0] != '\0');
                return;
        }
        FUZZ_CHECK(portdb_open(&db, blob, len, true) == 0);
        FUZZ_CHECK(db.hdr->n_iana == reg->n_recs && db.hdr->n_unofficial == reg->n_uo);
        fuzz_exercise_db(&db);
        for (size_t i = 0; i < reg->n_recs && i < 512; i++)
                if (!(reg->recs[i].flags & PORTDB_F_NOPORT))
                        FUZZ_CHECK(record_found(&db, &reg->recs[i]));
        for (size_t i = 0; i < reg->n_uo && i < 512; i++)
                FUZZ_CHECK(unofficial_found(&db, &reg->uo[i]));
        free(blob);
}

void fuzz_check_read_any(const uint8_t *data, size_t size, bool want_xml, int want_ret,
                         size_t want_recs)
{
        struct registry reg;
        size_t i = 0;
        int r;

        if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
                i = 3;
        while (i < size && isspace(data[i]))
                i++;
        if ((i < size && data[i] == '<') != want_xml)
                return;
        registry_init(&reg);
        r = registry_read_any(&reg, (const char *)data, size, NULL);
        FUZZ_CHECK(r == want_ret);
        FUZZ_CHECK(r < 0 || reg.n_recs == want_recs);
        registry_done(&reg);
}

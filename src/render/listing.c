/* listing: the items of `portinfo search` and `portinfo range`, chosen once for every face.
 *
 * Chooses and orders; formats nothing.  The search itself (which ports hit, best first) is
 * portdb_search's; this picks the lines of each hit port that contain the text.
 */
#include "listing.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer.h"

/* Whether @hay contains @needle, ASCII case-insensitively. */
static bool contains(const char *hay, const char *needle)
{
        return strcasestr(hay, needle) != NULL;
}

/* Whether listing entry @idx was listed already (range entries cover many ports); marks it.
 * Without the bit set (out of memory), every entry is listed. */
static bool listed_before(uint8_t *shown, uint16_t idx)
{
        if (!shown)
                return false;
        if (shown[idx / 8] & (1u << (idx % 8)))
                return true;
        shown[idx / 8] |= (uint8_t)(1u << (idx % 8));
        return false;
}

/* The everyday names of entry @idx that match @query: the name typed in full first (as search
 * ranks it), then the others. */
static void alias_items(const struct portdb *db, uint16_t idx, const char *query, listing_fn fn,
                        void *ctx)
{
        const struct portdb_iana *e = &db->iana[idx];
        uint32_t first;
        size_t n = portdb_aliases_of(db, idx, &first);

        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < n; i++) {
                        const struct portdb_alias *al = &db->aliases[db->alias_by_iana[first + i]];
                        const char *name = portdb_str(db, al->name);
                        bool exact = strcasecmp(name, query) == 0;

                        if (pass == 0 ? !exact
                                      : exact || (!contains(name, query) &&
                                                  !contains(portdb_str(db, al->meaning), query)))
                                continue;
                        fn(ctx, &(struct listing_item){.db = db,
                                                       .kind = LISTING_ALIAS,
                                                       .port = e->lo,
                                                       .port_hi = e->lo,
                                                       .entry = e,
                                                       .alias = al});
                }
}

/* The items of one hit port: its matching everyday names, IANA entries (at most
 * ANSWER_MAX_ENTRIES, then a LISTING_MORE) and unofficial uses. */
static void search_port(const struct portdb *db, const char *query, uint16_t port, uint8_t *shown,
                        listing_fn fn, void *ctx)
{
        const uint16_t *refs;
        const struct portdb_unofficial *uo;
        size_t nrefs = portdb_port_refs(db, port, &refs);
        size_t nuo = portdb_unofficial_at(db, port, &uo), lines = 0;

        for (size_t i = 0; i < nrefs; i++)
                if (db->iana[refs[i]].flags & PORTDB_F_ALIAS && db->iana[refs[i]].lo == port)
                        alias_items(db, refs[i], query, fn, ctx);
        for (size_t i = 0; i < nrefs; i++) {
                const struct portdb_iana *e = &db->iana[refs[i]];

                if (e->status != IANA_ASSIGNED ||
                    (!contains(portdb_str(db, e->service), query) &&
                     !contains(portdb_str(db, e->description), query)) ||
                    listed_before(shown, refs[i]))
                        continue;
                if (lines++ < ANSWER_MAX_ENTRIES)
                        fn(ctx, &(struct listing_item){.db = db,
                                                       .kind = LISTING_IANA,
                                                       .port = e->lo,
                                                       .port_hi = e->hi,
                                                       .entry = e});
        }
        if (lines > ANSWER_MAX_ENTRIES)
                fn(ctx, &(struct listing_item){.db = db,
                                               .kind = LISTING_MORE,
                                               .port = port,
                                               .port_hi = port,
                                               .more = lines - ANSWER_MAX_ENTRIES});
        for (size_t i = 0; i < nuo; i++)
                if (contains(portdb_str(db, uo[i].name), query))
                        fn(ctx, &(struct listing_item){
                                    .db = db,
                                    .kind = LISTING_USE,
                                    .port = port,
                                    .port_hi = uo[i].port_hi > port ? uo[i].port_hi : port,
                                    .use = &uo[i]});
}

void listing_search(const struct portdb *db, const char *query, const struct portdb_hit *hits,
                    size_t n, listing_fn fn, void *ctx)
{
        uint8_t *shown = calloc((db->hdr->n_iana + 7) / 8 + 1, 1);

        for (size_t h = 0; h < n; h++)
                search_port(db, query, hits[h].port, shown, fn, ctx);
        free(shown);
}

size_t listing_range(const struct portdb *db, uint16_t lo, uint16_t hi, listing_fn fn, void *ctx)
{
        uint8_t *shown = calloc((db->hdr->n_iana + 7) / 8 + 1, 1);
        size_t items = 0;

        for (uint32_t port = lo; port <= hi; port++) {
                const uint16_t *refs;
                const struct portdb_unofficial *uo;
                size_t nrefs = portdb_port_refs(db, (uint16_t)port, &refs);
                size_t nuo = portdb_unofficial_at(db, (uint16_t)port, &uo);

                if (port == 49152 || (port == lo && lo > 49152)) {
                        fn(ctx, &(struct listing_item){.db = db,
                                                       .kind = LISTING_DYNAMIC,
                                                       .port = (uint16_t)port,
                                                       .port_hi = hi});
                        items++;
                }
                for (size_t i = 0; i < nrefs; i++) {
                        const struct portdb_iana *e = &db->iana[refs[i]];

                        if (listed_before(shown, refs[i]))
                                continue;
                        fn(ctx, &(struct listing_item){.db = db,
                                                       .kind = LISTING_IANA,
                                                       .port = e->lo,
                                                       .port_hi = e->hi,
                                                       .entry = e});
                        items++;
                }
                for (size_t i = 0; i < nuo; i++) {
                        fn(ctx,
                           &(struct listing_item){.db = db,
                                                  .kind = LISTING_USE,
                                                  .port = (uint16_t)port,
                                                  .port_hi = uo[i].port_hi > port ? uo[i].port_hi
                                                                                  : (uint16_t)port,
                                                  .use = &uo[i]});
                        items++;
                }
        }
        free(shown);
        return items;
}

/* @c folded as the search text folds it: ASCII lower case, tabs and line ends as spaces. */
static char fold(char c)
{
        if (c == '\n' || c == '\t' || c == '\r')
                return ' ';
        return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether @field contains @q (already folded) once folded. */
static bool field_has(const char *field, const char *q)
{
        size_t qlen = strlen(q);

        for (; *field; field++) {
                size_t i = 0;

                while (i < qlen && field[i] && fold(field[i]) == q[i])
                        i++;
                if (i == qlen)
                        return true;
        }
        return false;
}

/* The aliases of entry @idx whose name or meaning holds @q, as match bits. */
static unsigned alias_matches(const struct portdb *db, uint16_t idx, const char *q)
{
        uint32_t first;
        size_t n = portdb_aliases_of(db, idx, &first);
        unsigned m = 0;

        for (size_t i = 0; i < n; i++) {
                const struct portdb_alias *al = &db->aliases[db->alias_by_iana[first + i]];

                if (field_has(portdb_str(db, al->name), q))
                        m |= LISTING_MATCH_ALIAS;
                if (field_has(portdb_str(db, al->meaning), q))
                        m |= LISTING_MATCH_MEANING;
        }
        return m;
}

unsigned listing_matched(const struct portdb *db, const char *query, uint16_t port)
{
        char q[PORTDB_MAX_QUERY + 1];
        size_t qlen = strlen(query);
        const uint16_t *refs;
        const struct portdb_unofficial *uo;
        size_t nrefs = portdb_port_refs(db, port, &refs);
        size_t nuo = portdb_unofficial_at(db, port, &uo);
        unsigned m = 0;

        if (qlen == 0 || qlen > PORTDB_MAX_QUERY)
                return 0;
        for (size_t i = 0; i <= qlen; i++)
                q[i] = i < qlen ? fold(query[i]) : '\0';
        for (size_t i = 0; i < nrefs; i++) {
                const struct portdb_iana *e = &db->iana[refs[i]];

                /* The search text holds assigned entries with a port, and every alias. */
                if (e->status == IANA_ASSIGNED && !(e->flags & PORTDB_F_NOPORT)) {
                        if (field_has(portdb_str(db, e->service), q))
                                m |= LISTING_MATCH_SERVICE;
                        if (field_has(portdb_str(db, e->description), q))
                                m |= LISTING_MATCH_DESCRIPTION;
                }
                if (e->flags & PORTDB_F_ALIAS)
                        m |= alias_matches(db, refs[i], q);
        }
        for (size_t i = 0; i < nuo; i++)
                if (field_has(portdb_str(db, uo[i].name), q))
                        m |= LISTING_MATCH_UNOFFICIAL;
        return m;
}

const char *listing_match_name(unsigned i)
{
        static const char *const names[LISTING_MATCH_COUNT] = {
            "service", "description", "alias", "alias_meaning", "unofficial",
        };

        return i < LISTING_MATCH_COUNT ? names[i] : NULL;
}

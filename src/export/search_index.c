/* search_index: the compact search index of a static copy of the site (see search_index.h).
 *
 * Built with jansson in one pass over the port table.  It decides nothing about ranking: the
 * browser's script scores hits with the same rules as portdb_search.
 */
#include "search_index.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A JSON string for pool string @off; invalid UTF-8 (only from a foreign data file) becomes
 * U+FFFD, as in render_json. */
static json_t *jstr(const struct portdb *db, uint32_t off)
{
        json_t *j = json_string(portdb_str(db, off));

        return j ? j : json_string("\xef\xbf\xbd");
}

/* Whether entry @e, searchable and starting at its port, repeats an earlier one of @refs[0..i)
 * in all that the index keeps (protocol aside). */
static bool seen_before(const struct portdb *db, const uint16_t *refs, size_t i,
                        const struct portdb_iana *e)
{
        for (size_t k = 0; k < i; k++) {
                const struct portdb_iana *o = &db->iana[refs[k]];

                if (o->status == IANA_ASSIGNED && o->lo == e->lo && o->hi == e->hi &&
                    strcmp(portdb_str(db, o->service), portdb_str(db, e->service)) == 0 &&
                    strcmp(portdb_str(db, o->description), portdb_str(db, e->description)) == 0)
                        return true;
        }
        return false;
}

static int add_iana(const struct portdb *db, json_t *rows)
{
        for (uint32_t p = 0; p < PORTDB_PORTS; p++) {
                const uint16_t *refs;
                size_t n = portdb_port_refs(db, (uint16_t)p, &refs);

                for (size_t i = 0; i < n; i++) {
                        const struct portdb_iana *e = &db->iana[refs[i]];
                        json_t *row;

                        if (e->status != IANA_ASSIGNED || (e->flags & PORTDB_F_NOPORT) ||
                            e->lo != p || seen_before(db, refs, i, e))
                                continue;
                        row = json_pack("[Ioo]", (json_int_t)e->lo, jstr(db, e->service),
                                        jstr(db, e->description));
                        if (row && e->hi != e->lo &&
                            json_array_append_new(row, json_integer(e->hi)) < 0) {
                                json_decref(row);
                                row = NULL;
                        }
                        if (!row || json_array_append_new(rows, row) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

static int add_unofficial(const struct portdb *db, json_t *rows)
{
        for (uint32_t i = 0; i < db->hdr->n_unofficial; i++) {
                const struct portdb_unofficial *u = &db->unofficial[i];
                json_t *row =
                    json_pack("[Ioi]", (json_int_t)u->port, jstr(db, u->name), (int)u->kind);

                if (!row || json_array_append_new(rows, row) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Everyday names: one row per name and IANA entry, an entry that differs from the name's
 * previous one only by protocol left out (the search ranks ports, not protocols). */
static int add_aliases(const struct portdb *db, json_t *rows)
{
        for (uint32_t i = 0; i < db->hdr->n_aliases; i++) {
                const struct portdb_alias *a = &db->aliases[i];
                const struct portdb_iana *e = &db->iana[a->iana];
                json_t *row;

                if (i > 0 && db->aliases[i - 1].name == a->name) {
                        const struct portdb_iana *o = &db->iana[db->aliases[i - 1].iana];

                        if (o->lo == e->lo && o->hi == e->hi && o->service == e->service)
                                continue;
                }
                row = json_pack("[Iooo]", (json_int_t)e->lo, jstr(db, a->name),
                                jstr(db, a->meaning), jstr(db, e->service));
                if (row && e->hi != e->lo && json_array_append_new(row, json_integer(e->hi)) < 0) {
                        json_decref(row);
                        row = NULL;
                }
                if (!row || json_array_append_new(rows, row) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int search_index_build(const struct portdb *db, char **ret_json, size_t *ret_len)
{
        json_t *iana = json_array(), *unofficial = json_array(), *aliases = json_array(), *root;
        char *text;
        int r = -ENOMEM;

        if (iana && unofficial && aliases && add_iana(db, iana) == 0 &&
            add_unofficial(db, unofficial) == 0 && add_aliases(db, aliases) == 0) {
                root = json_pack("{sisosososo}", "format", SEARCH_INDEX_FORMAT, "registry",
                                 jstr(db, db->hdr->registry_updated), "iana", iana, "unofficial",
                                 unofficial, "aliases", aliases);
                iana = unofficial = aliases = NULL; /* the pack took them, or freed them */
                text = root ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
                json_decref(root);
                if (text) {
                        *ret_json = text;
                        *ret_len = strlen(text);
                        r = 0;
                }
        }
        json_decref(iana);
        json_decref(unofficial);
        json_decref(aliases);
        return r;
}

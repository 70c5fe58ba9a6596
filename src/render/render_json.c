/* render_json: the contract's explain object for one port, built with jansson.
 *
 * Shape: ../CONTRACT.md "JSON".  Fields the contract does not name (contact, service code,
 * assignment notes, source URL and label) are added alongside; none is ever dropped.
 */
#include <stdio.h>
#include <string.h>

#include "listing.h"
#include "render_json.h"

/* A string or null for the empty string; invalid UTF-8 (only possible from a foreign data file)
 * becomes U+FFFD rather than failing the whole answer. */
static json_t *jstr(const struct portdb *db, uint32_t off)
{
        const char *s = portdb_str(db, off);
        json_t *j;

        if (s[0] == '\0')
                return json_null();
        j = json_string(s);
        return j ? j : json_string("\xef\xbf\xbd");
}

static json_t *iana_entry(const struct portdb *db, const struct portdb_iana *e)
{
        const char *proto = portdb_proto_name(e->proto);
        json_t *o = json_object();

        if (!o)
                return NULL;
        /* Reserved and unassigned rows carry no service name; their description says which. */
        json_object_set_new(o, "service", jstr(db, e->service));
        json_object_set_new(o, "protocol", proto ? json_string(proto) : json_null());
        json_object_set_new(o, "description", jstr(db, e->description));
        json_object_set_new(o, "assignee", jstr(db, e->assignee));
        json_object_set_new(o, "registered", jstr(db, e->registered));
        json_object_set_new(o, "modified", jstr(db, e->modified));
        json_object_set_new(o, "reference", jstr(db, e->reference));
        json_object_set_new(o, "range",
                            e->lo != e->hi ? json_pack("[ii]", e->lo, e->hi) : json_null());
        json_object_set_new(o, "unauthorized_use", jstr(db, e->unauthorized));
        json_object_set_new(o, "contact", jstr(db, e->contact));
        json_object_set_new(o, "service_code", jstr(db, e->service_code));
        json_object_set_new(o, "note", jstr(db, e->note));
        json_object_set_new(o, "status",
                            json_string(e->status == IANA_ASSIGNED   ? "assigned"
                                        : e->status == IANA_RESERVED ? "reserved"
                                                                     : "unassigned"));
        return o;
}

/* "tcp", "udp", "both" (tcp and udp) or the protocols joined by commas. */
static json_t *protos_json(unsigned protos)
{
        char buf[32] = "";
        size_t n = 0;

        if (protos == PROTO_MASK_TCP_UDP)
                return json_string("both");
        for (enum proto p = PROTO_TCP; p < PROTO_NONE; p++)
                if (protos & PROTO_BIT(p))
                        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "," : "",
                                              portdb_proto_name(p));
        return n ? json_string(buf) : json_null();
}

/* One everyday name of the port: {"name", "meaning", "service", "protocol", "source",
 * "source_url", "source_label"}. */
static json_t *aka_entry(const struct portdb *db, const struct answer_aka *ak)
{
        const struct portdb_alias *al = ak->alias;

        return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name", jstr(db, al->name),
                         "meaning", jstr(db, al->meaning), "service", jstr(db, ak->entry->service),
                         "protocol", protos_json(ak->protos), "source", jstr(db, al->source),
                         "source_url", jstr(db, al->source_url), "source_label",
                         jstr(db, al->source_label));
}

/* What a correction of use @u's claim says, or null. */
static json_t *correction_json(const struct answer *a, const struct portdb_unofficial *u)
{
        const struct answer_claim *c = answer_claim_of(a, u);
        const struct portdb_correction *k = c ? c->correction : NULL;

        if (!k)
                return json_null();
        return json_pack("{s:o, s:o, s:o, s:o}", "text", jstr(a->db, k->text), "source",
                         jstr(a->db, k->source), "source_url", jstr(a->db, k->source_url),
                         "source_label", jstr(a->db, k->source_label));
}

/* The fields issue 11 added to an unofficial item: range, era, ATT&CK reference, correction. */
static void unofficial_more(json_t *o, const struct answer *a, const struct portdb_unofficial *u)
{
        const char *era = portdb_era_name((enum uo_era)u->era);

        json_object_set_new(o, "port_range",
                            u->port_hi > u->port ? json_pack("[ii]", u->port, u->port_hi)
                                                 : json_null());
        json_object_set_new(o, "era", era ? json_string(era) : json_null());
        json_object_set_new(o, "attack_id", jstr(a->db, u->ref_id));
        json_object_set_new(o, "attack_url", jstr(a->db, u->ref_url));
        json_object_set_new(o, "correction", correction_json(a, u));
}

static json_t *unofficial_entry(const struct portdb *db, const struct portdb_unofficial *u)
{
        json_t *o = json_object();
        const char *proto = u->protos == PROTO_MASK_TCP_UDP     ? "both"
                            : u->protos == PROTO_BIT(PROTO_TCP) ? "tcp"
                                                                : "udp";

        if (!o)
                return NULL;
        json_object_set_new(o, "name", jstr(db, u->name));
        json_object_set_new(o, "kind", json_string(portdb_kind_name(u->kind)));
        json_object_set_new(o, "protocol", json_string(proto));
        json_object_set_new(o, "year", u->year ? json_integer(u->year) : json_null());
        json_object_set_new(o, "note", json_string(portdb_str(db, u->note)));
        json_object_set_new(o, "source", json_string(portdb_str(db, u->source)));
        json_object_set_new(o, "source_url", jstr(db, u->source_url));
        json_object_set_new(o, "source_label", jstr(db, u->source_label));
        return o;
}

json_t *render_json_answer(const struct answer *a)
{
        const struct portdb *db = a->db;
        json_t *o = json_object(), *iana = json_array(), *un = json_array(), *aka = json_array();

        if (!o || !iana || !un || !aka) {
                json_decref(o);
                json_decref(iana);
                json_decref(un);
                json_decref(aka);
                return NULL;
        }
        json_object_set_new(o, "port", json_integer(a->port));
        json_object_set_new(o, "tier", json_string(portdb_tier_name(a->tier)));
        json_object_set_new(o, "status", json_string(portdb_status_name(a->status)));
        for (size_t i = 0; i < a->n_entries; i++)
                json_array_append_new(iana, iana_entry(db, a->entries[i]));
        for (size_t i = 0, n = 0; i < a->n_uses_all && n < ANSWER_MAX_USES; i++) {
                json_t *u;

                if (!answer_has_use(a, &a->uses[i]))
                        continue;
                n++;
                u = unofficial_entry(db, &a->uses[i]);
                if (u)
                        unofficial_more(u, a, &a->uses[i]);
                json_array_append_new(un, u);
        }
        for (size_t k = 0; k < a->n_akas; k++)
                json_array_append_new(aka, aka_entry(db, &a->akas[k]));
        json_object_set_new(o, "iana", iana);
        json_object_set_new(o, "unofficial", un);
        json_object_set_new(o, "also_known_as", aka);
        /* Only when a cap cut the answer (answer.h), so that other answers keep their shape. */
        if (answer_entries_omitted(a) || answer_uses_omitted(a)) {
                json_object_set_new(o, "truncated", json_true());
                json_object_set_new(o, "omitted",
                                    json_pack("{sIsI}", "iana",
                                              (json_int_t)answer_entries_omitted(a), "unofficial",
                                              (json_int_t)answer_uses_omitted(a)));
        }
        return o;
}

json_t *render_json_port(const struct portdb *db, uint16_t port, unsigned protos)
{
        struct answer a;

        answer_build(&a, db, port, protos);
        return render_json_answer(&a);
}

json_t *render_json_search_hit(const struct portdb *db, const char *query, uint16_t port)
{
        json_t *o = render_json_port(db, port, PROTO_MASK_ALL), *m = json_array();
        unsigned bits = listing_matched(db, query, port);

        if (!o || !m) {
                json_decref(o);
                json_decref(m);
                return NULL;
        }
        for (unsigned i = 0; i < LISTING_MATCH_COUNT; i++)
                if (bits & (1u << i))
                        json_array_append_new(m, json_string(listing_match_name(i)));
        json_object_set_new(o, "matched", m);
        return o;
}

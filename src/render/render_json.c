/* render_json: the contract's explain object for one port, built with jansson.
 *
 * Shape: ../CONTRACT.md "JSON".  Fields the contract does not name (contact, service code,
 * assignment notes, source URL and label) are added alongside; none is ever dropped.
 */
#include <string.h>

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
        json_t *o = json_object(), *iana = json_array(), *un = json_array();

        if (!o || !iana || !un) {
                json_decref(o);
                json_decref(iana);
                json_decref(un);
                return NULL;
        }
        json_object_set_new(o, "port", json_integer(a->port));
        json_object_set_new(o, "tier", json_string(portdb_tier_name(a->tier)));
        json_object_set_new(o, "status", json_string(portdb_status_name(a->status)));
        for (size_t i = 0; i < a->n_entries; i++)
                json_array_append_new(iana, iana_entry(db, a->entries[i]));
        for (size_t i = 0, n = 0; i < a->n_uses_all && n < ANSWER_MAX_USES; i++)
                if (answer_has_use(a, &a->uses[i]) && ++n)
                        json_array_append_new(un, unofficial_entry(db, &a->uses[i]));
        json_object_set_new(o, "iana", iana);
        json_object_set_new(o, "unofficial", un);
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

/* registry_keep: the table in use's own rows, copied back into records for a rebuild.
 *
 * The everyday names are kept only where the new registry still has the entry they mean, so
 * that a rebuild never fails on a service IANA withdrew.
 */
#include "registry_keep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_or_null(const char *s, int *oom)
{
        char *d;

        if (!s || !s[0])
                return NULL;
        d = strdup(s);
        if (!d)
                *oom = 1;
        return d;
}

static int keep_uses(struct registry *reg, const struct portdb *db)
{
        int oom = 0;

        for (uint32_t i = 0; i < db->hdr->n_unofficial && !oom; i++) {
                const struct portdb_unofficial *u = &db->unofficial[i];
                struct reg_unofficial *d = registry_add_unofficial(reg);

                if (!d)
                        return -ENOMEM;
                d->port = u->port;
                d->port_hi = u->port_hi;
                d->protos = u->protos;
                d->kind = u->kind;
                d->year = u->year;
                d->era = u->era;
                d->name = dup_or_null(portdb_str(db, u->name), &oom);
                d->note = dup_or_null(portdb_str(db, u->note), &oom);
                d->source = dup_or_null(portdb_str(db, u->source), &oom);
                d->source_url = dup_or_null(portdb_str(db, u->source_url), &oom);
                d->source_label = dup_or_null(portdb_str(db, u->source_label), &oom);
                d->ref_id = dup_or_null(portdb_str(db, u->ref_id), &oom);
                d->ref_url = dup_or_null(portdb_str(db, u->ref_url), &oom);
        }
        return oom ? -ENOMEM : 0;
}

static int keep_corrections(struct registry *reg, const struct portdb *db)
{
        int oom = 0;

        for (uint32_t i = 0; i < db->hdr->n_corrections && !oom; i++) {
                const struct portdb_correction *c = &db->corrections[i];
                struct reg_correction *d = registry_add_correction(reg);

                if (!d)
                        return -ENOMEM;
                d->port = c->port;
                d->protos = c->protos;
                d->name = dup_or_null(portdb_str(db, c->name), &oom);
                d->text = dup_or_null(portdb_str(db, c->text), &oom);
                d->source = dup_or_null(portdb_str(db, c->source), &oom);
                d->source_url = dup_or_null(portdb_str(db, c->source_url), &oom);
                d->source_label = dup_or_null(portdb_str(db, c->source_label), &oom);
        }
        return oom ? -ENOMEM : 0;
}

/* Whether @reg's records hold an entry of @service on @port for @proto. */
static bool has_entry(const struct registry *reg, const char *service, uint16_t port, uint8_t proto)
{
        for (size_t i = 0; i < reg->n_recs; i++) {
                const struct reg_record *r = &reg->recs[i];

                if (r->service && r->proto == proto && !(r->flags & PORTDB_F_NOPORT) &&
                    r->lo <= port && port <= r->hi && strcasecmp(r->service, service) == 0)
                        return true;
        }
        return false;
}

static int keep_aliases(struct registry *reg, const struct portdb *db, size_t *dropped)
{
        int oom = 0;

        for (uint32_t i = 0; i < db->hdr->n_aliases && !oom; i++) {
                const struct portdb_alias *a = &db->aliases[i];
                const struct portdb_iana *e = &db->iana[a->iana];
                const char *service = portdb_str(db, e->service);
                struct reg_alias *d;

                if (!has_entry(reg, service, e->lo, e->proto)) {
                        (*dropped)++;
                        continue;
                }
                d = registry_add_alias(reg);
                if (!d)
                        return -ENOMEM;
                d->port = e->lo;
                d->protos = (uint8_t)PROTO_BIT(e->proto);
                d->name = dup_or_null(portdb_str(db, a->name), &oom);
                d->service = dup_or_null(service, &oom);
                d->meaning = dup_or_null(portdb_str(db, a->meaning), &oom);
                d->source = dup_or_null(portdb_str(db, a->source), &oom);
                d->source_url = dup_or_null(portdb_str(db, a->source_url), &oom);
                d->source_label = dup_or_null(portdb_str(db, a->source_label), &oom);
        }
        return oom ? -ENOMEM : 0;
}

int registry_keep_table(struct registry *reg, const struct portdb *db, size_t *ret_dropped)
{
        size_t dropped = 0;
        int r = keep_uses(reg, db);

        if (r == 0)
                r = keep_corrections(reg, db);
        if (r == 0)
                r = keep_aliases(reg, db, &dropped);
        if (r < 0)
                return r;
        *ret_dropped = dropped;
        return 0;
}

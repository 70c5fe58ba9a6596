/* update: the checks a registry file must pass before it may replace the table in use, and the
 * report of what changed.
 *
 * Pure functions over a registry and two tables; writing the data directory is
 * update_install.c's.
 */
#include "update.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "registry_keep.h"

int update_keep_unofficial(struct registry *reg, const struct portdb *db, size_t *ret_dropped)
{
        return registry_keep_table(reg, db, ret_dropped);
}

/* The longest value each field may have (bytes).  RFC 6335 section 5.1 allows service names
 * of 1-15 characters; the registry of 2026 has descriptions up to 255 bytes, references up to
 * 467 and assignment notes up to 1,532. */
static const struct {
        const char *name;
        size_t off, max;
} field_bounds[] = {
    {"Service Name", offsetof(struct reg_record, service), 15},
    {"Description", offsetof(struct reg_record, description), 1024},
    {"Assignee", offsetof(struct reg_record, assignee), 512},
    {"Contact", offsetof(struct reg_record, contact), 512},
    {"Reference", offsetof(struct reg_record, reference), 2048},
    {"Service Code", offsetof(struct reg_record, service_code), 64},
    {"Unauthorized Use Reported", offsetof(struct reg_record, unauthorized), 1024},
    {"Assignment Notes", offsetof(struct reg_record, note), 4096},
};

static const char *field_of(const struct reg_record *rec, size_t i)
{
        return *(char *const *)((const char *)rec + field_bounds[i].off);
}

/* Where @rec sits, for an error message: "22/tcp", "6000-6063/tcp" or "-" (no port). */
static void where_of(const struct reg_record *rec, char *out, size_t cap)
{
        const char *proto = portdb_proto_name(rec->proto);

        if (rec->flags & PORTDB_F_NOPORT)
                snprintf(out, cap, "-");
        else if (rec->lo != rec->hi)
                snprintf(out, cap, "%u-%u/%s", rec->lo, rec->hi, proto ? proto : "any");
        else
                snprintf(out, cap, "%u/%s", rec->lo, proto ? proto : "any");
}

/* The first field longer than its bound.  Returns -ERANGE after filling @err, or 0. */
static int check_fields(const struct registry *reg, struct reg_error *err)
{
        char where[32];

        for (size_t r = 0; r < reg->n_recs; r++) {
                for (size_t i = 0; i < sizeof(field_bounds) / sizeof(field_bounds[0]); i++) {
                        const char *v = field_of(&reg->recs[r], i);
                        size_t n = v ? strlen(v) : 0;

                        if (n <= field_bounds[i].max)
                                continue;
                        where_of(&reg->recs[r], where, sizeof(where));
                        reg_error_set(err, 0,
                                      "bound exceeded: field '%s' of record %zu (%s) is %zu "
                                      "bytes, at most %zu are accepted",
                                      field_bounds[i].name, r + 1, where, n, field_bounds[i].max);
                        return -ERANGE;
                }
        }
        return 0;
}

/* The most entries covering one port for one protocol (a range counts on every port it spans),
 * in *@ret_n, with that port and protocol.  Returns 0 or -ENOMEM. */
static int busiest_port(const struct registry *reg, size_t *ret_n, unsigned *ret_port,
                        unsigned *ret_proto)
{
        /* One difference array per protocol: +1 at lo, -1 after hi, then running sums. */
        _cleanup_free_ int32_t *d = calloc((size_t)PROTO_COUNT * (PORTDB_PORTS + 1), sizeof(*d));
        size_t best = 0;

        if (!d)
                return -ENOMEM;
        for (size_t r = 0; r < reg->n_recs; r++) {
                const struct reg_record *rec = &reg->recs[r];
                int32_t *row = d + (size_t)rec->proto * (PORTDB_PORTS + 1);

                if ((rec->flags & PORTDB_F_NOPORT) || rec->proto >= PROTO_COUNT)
                        continue;
                row[rec->lo]++;
                row[(size_t)rec->hi + 1]--;
        }
        *ret_port = *ret_proto = 0;
        for (unsigned p = 0; p < PROTO_COUNT; p++) {
                int32_t sum = 0, *row = d + (size_t)p * (PORTDB_PORTS + 1);

                for (unsigned port = 0; port < PORTDB_PORTS; port++) {
                        sum += row[port];
                        if ((size_t)sum > best) {
                                best = (size_t)sum;
                                *ret_port = port;
                                *ret_proto = p;
                        }
                }
        }
        *ret_n = best;
        return 0;
}

/* The bounds a sane registry stays within.  Returns 0, -ERANGE (@err says which) or -ENOMEM. */
static int check_bounds(const struct registry *reg, struct reg_error *err)
{
        unsigned port, proto;
        size_t n;
        int r;

        if (reg->n_recs > UPDATE_MAX_RECORDS) {
                reg_error_set(err, 0,
                              "bound exceeded: %zu records, at most %u are accepted (IANA's "
                              "registry has about 14,500)",
                              reg->n_recs, UPDATE_MAX_RECORDS);
                return -ERANGE;
        }
        r = busiest_port(reg, &n, &port, &proto);
        if (r < 0)
                return r;
        if (n > UPDATE_MAX_PER_PORT) {
                const char *name = portdb_proto_name(proto);

                reg_error_set(err, 0,
                              "bound exceeded: %zu entries on %u/%s, at most %u per port and "
                              "protocol are accepted (IANA's registry has at most 3)",
                              n, port, name ? name : "any", UPDATE_MAX_PER_PORT);
                return -ERANGE;
        }
        return check_fields(reg, err);
}

int update_validate(const struct registry *reg, const struct portdb *cur, bool force,
                    struct reg_error *err)
{
        const char *cur_date = portdb_str(cur, cur->hdr->registry_updated);
        int r;

        if (reg->n_recs < UPDATE_MIN_RECORDS) {
                reg_error_set(err, 0,
                              "only %zu records; IANA's port registry has over %u, so this is "
                              "not it (or it is cut short)",
                              reg->n_recs, UPDATE_MIN_RECORDS);
                return -EINVAL;
        }
        if (force)
                return 0;
        r = check_bounds(reg, err);
        if (r == -ERANGE)
                strncat(err->msg, "; refused without --force",
                        sizeof(err->msg) - strlen(err->msg) - 1);
        if (r < 0)
                return r;
        if ((uint64_t)reg->n_recs * 100 <
            (uint64_t)cur->hdr->n_records * UPDATE_MIN_SHARE_PERCENT) {
                reg_error_set(err, 0,
                              "%zu records against %u in the table in use; refusing a table that "
                              "much smaller without --force",
                              reg->n_recs, cur->hdr->n_records);
                return -ERANGE;
        }
        if (reg->updated[0] && strcmp(reg->updated, cur_date) < 0) {
                reg_error_set(err, 0,
                              "this registry (of %s) is older than the one in use (of %s); "
                              "refusing it without --force",
                              reg->updated, cur_date);
                return -ERANGE;
        }
        return 0;
}

/* Entries compared by identity: port range, protocol, port-less flag, service name; then by
 * description so that duplicates of one identity pair up in a stable way. */
struct keyed {
        const struct portdb *db;
        const struct portdb_iana *e;
};

static int key_cmp(const struct keyed *x, const struct keyed *y, bool with_desc)
{
        const struct portdb_iana *a = x->e, *b = y->e;
        int c;

        if ((a->flags & PORTDB_F_NOPORT) != (b->flags & PORTDB_F_NOPORT))
                return (a->flags & PORTDB_F_NOPORT) ? 1 : -1; /* port-less names last */
        if (a->lo != b->lo)
                return a->lo < b->lo ? -1 : 1;
        if (a->hi != b->hi)
                return a->hi < b->hi ? -1 : 1;
        if (a->proto != b->proto)
                return a->proto < b->proto ? -1 : 1;
        c = strcmp(portdb_str(x->db, a->service), portdb_str(y->db, b->service));
        if (c || !with_desc)
                return c;
        return strcmp(portdb_str(x->db, a->description), portdb_str(y->db, b->description));
}

static int keyed_sort(const void *p, const void *q)
{
        return key_cmp(p, q, true);
}

static bool same_fields(const struct keyed *x, const struct keyed *y)
{
        const struct portdb_iana *a = x->e, *b = y->e;
        const uint32_t fa[] = {a->description,  a->assignee,     a->contact,
                               a->registered,   a->modified,     a->reference,
                               a->service_code, a->unauthorized, a->note};
        const uint32_t fb[] = {b->description,  b->assignee,     b->contact,
                               b->registered,   b->modified,     b->reference,
                               b->service_code, b->unauthorized, b->note};

        if (a->status != b->status)
                return false;
        for (size_t i = 0; i < sizeof(fa) / sizeof(fa[0]); i++)
                if (strcmp(portdb_str(x->db, fa[i]), portdb_str(y->db, fb[i])) != 0)
                        return false;
        return true;
}

static struct keyed *keyed_table(const struct portdb *db)
{
        struct keyed *v = calloc(db->hdr->n_iana + 1, sizeof(*v));

        if (!v)
                return NULL;
        for (uint32_t i = 0; i < db->hdr->n_iana; i++)
                v[i] = (struct keyed){db, &db->iana[i]};
        qsort(v, db->hdr->n_iana, sizeof(*v), keyed_sort);
        return v;
}

int update_diff(const struct portdb *old_db, const struct portdb *new_db, struct change_list *ret)
{
        _cleanup_free_ struct keyed *a = keyed_table(old_db);
        _cleanup_free_ struct keyed *b = keyed_table(new_db);
        size_t na = old_db->hdr->n_iana, nb = new_db->hdr->n_iana, i = 0, j = 0;
        _cleanup_free_ struct change *v = calloc(na + nb + 1, sizeof(*v));
        struct change_list l = {0};

        if (!a || !b || !v)
                return -ENOMEM;
        l.v = v;
        while (i < na || j < nb) {
                int c = i == na ? 1 : j == nb ? -1 : key_cmp(&a[i], &b[j], false);

                if (c < 0) {
                        l.v[l.n++] = (struct change){CHANGE_REMOVED, a[i++].e, NULL};
                        l.removed++;
                } else if (c > 0) {
                        l.v[l.n++] = (struct change){CHANGE_ADDED, NULL, b[j++].e};
                        l.added++;
                } else {
                        if (!same_fields(&a[i], &b[j])) {
                                l.v[l.n++] = (struct change){CHANGE_MODIFIED, a[i].e, b[j].e};
                                l.modified++;
                        }
                        i++;
                        j++;
                }
        }
        TAKE_PTR(v); /* now l.v, the caller's */
        *ret = l;
        return 0;
}

void update_changes_free(struct change_list *l)
{
        free(l->v);
        memset(l, 0, sizeof(*l));
}

/* Prints @s without control characters. */
static void put_clean(FILE *out, const char *s)
{
        for (; *s; s++)
                fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
}

static void print_entry(FILE *out, char mark, const struct portdb *db, const struct portdb_iana *e)
{
        const char *proto = portdb_proto_name(e->proto);
        char where[32];

        if (e->flags & PORTDB_F_NOPORT)
                snprintf(where, sizeof(where), "-/%s", proto ? proto : "any");
        else if (e->lo != e->hi)
                snprintf(where, sizeof(where), "%u-%u/%s", e->lo, e->hi, proto ? proto : "any");
        else
                snprintf(where, sizeof(where), "%u/%s", e->lo, proto ? proto : "any");
        fprintf(out, "  %c %-16s ", mark, where);
        put_clean(out, portdb_str(db, e->service)[0] ? portdb_str(db, e->service) : "-");
        fputs("  ", out);
        put_clean(out, portdb_str(db, e->description));
        fputc('\n', out);
}

void update_print_changes(FILE *out, const struct portdb *old_db, const struct portdb *new_db,
                          const struct change_list *l, size_t max_lines)
{
        size_t shown = 0;

        fprintf(out, "%zu added, %zu removed, %zu modified\n", l->added, l->removed, l->modified);
        for (size_t i = 0; i < l->n; i++) {
                const struct change *c = &l->v[i];

                if (max_lines && shown == max_lines) {
                        fprintf(out, "  ... and %zu more (--verbose shows all)\n", l->n - shown);
                        break;
                }
                if (c->kind == CHANGE_ADDED)
                        print_entry(out, '+', new_db, c->new_e);
                else if (c->kind == CHANGE_REMOVED)
                        print_entry(out, '-', old_db, c->old_e);
                else
                        print_entry(out, '~', new_db, c->new_e);
                shown++;
        }
}

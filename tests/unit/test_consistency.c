/* test_consistency: the embedded table holds exactly what the vendored files say.
 *
 *   test_consistency REGISTRY CSV TSV
 *
 * REGISTRY is the file the build embedded (the XML by default).  Each of its records must be
 * found by lookup, at every port of its range, with every field intact, and no entry may be left
 * over; port-less records are found by name.  The vendored CSV must read too, and each row of the
 * unofficial-uses TSV must be found at its port.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "portdb.h"
#include "portdb_embedded.h"
#include "registry.h"
#include "registry_blob.h"
#include "registry_csv.h"
#include "unofficial_tsv.h"

/* The vendored CSV form of the registry has this many records (rows after the header; some
 * span several lines).  Update it with the file. */
#define VENDORED_CSV_RECORDS 14500

#define MAX_REPORTED 10

static const char *registry_path, *csv_path, *tsv_path;
static struct portdb db;

typedef int (*reader_fn)(struct registry *, const char *, size_t, struct reg_error *);

static void read_into(struct registry *reg, reader_fn fn, const char *path)
{
        struct reg_error err = {0};
        size_t len;
        char *buf = unit_read_file(path, &len);
        int r = fn(reg, buf, len, &err);

        free(buf);
        if (r < 0)
                fail_msg("%s:%lu: %s (%d)", path, err.line, err.msg, r);
}

/* A registry string (NULL for none) against a table string ("" for none). */
static bool same(const char *reg, const char *table)
{
        return strcmp(reg ? reg : "", table) == 0;
}

static bool record_matches(const struct reg_record *r, const struct portdb_iana *e)
{
        return e->lo == r->lo && e->hi == r->hi && e->proto == r->proto && e->status == r->status &&
               (e->flags & PORTDB_F_NOPORT) == r->flags &&
               same(r->service, portdb_str(&db, e->service)) &&
               same(r->description, portdb_str(&db, e->description)) &&
               same(r->assignee, portdb_str(&db, e->assignee)) &&
               same(r->contact, portdb_str(&db, e->contact)) &&
               same(r->registered, portdb_str(&db, e->registered)) &&
               same(r->modified, portdb_str(&db, e->modified)) &&
               same(r->reference, portdb_str(&db, e->reference)) &&
               same(r->service_code, portdb_str(&db, e->service_code)) &&
               same(r->unauthorized, portdb_str(&db, e->unauthorized)) &&
               same(r->note, portdb_str(&db, e->note));
}

static bool refs_contain(uint16_t port, uint32_t index)
{
        const uint16_t *refs;
        size_t n = portdb_port_refs(&db, port, &refs);

        for (size_t i = 0; i < n; i++)
                if (refs[i] == index)
                        return true;
        return false;
}

/* The index of an entry not yet @used that matches @r, or -1. */
static long find_record(const struct reg_record *r, const uint8_t *used)
{
        if (r->flags & PORTDB_F_NOPORT) {
                uint32_t first;
                size_t n = portdb_find_name(&db, r->service, &first);

                for (size_t i = 0; i < n; i++) {
                        uint16_t k = db.names[first + i];

                        if (!used[k] && record_matches(r, &db.iana[k]))
                                return k;
                }
                return -1;
        } else {
                const uint16_t *refs;
                size_t n = portdb_port_refs(&db, r->lo, &refs);

                for (size_t i = 0; i < n; i++)
                        if (!used[refs[i]] && record_matches(r, &db.iana[refs[i]]))
                                return refs[i];
                return -1;
        }
}

static void describe(const struct reg_record *r, char *buf, size_t size)
{
        snprintf(buf, size, "%u-%u/%s %s \"%.60s\"", r->lo, r->hi,
                 portdb_proto_name(r->proto) ? portdb_proto_name(r->proto) : "-",
                 r->service ? r->service : "(no name)", r->description ? r->description : "");
}

static void test_every_registry_record_is_found(void **state)
{
        struct registry reg;
        uint8_t *used = calloc(db.hdr->n_iana + 1, 1);
        size_t missing = 0, ports_checked = 0, names_checked = 0;
        char what[160];

        (void)state;
        assert_non_null(used);
        registry_init(&reg);
        read_into(&reg, registry_read_any, registry_path);
        assert_true(reg.n_recs > 0);
        assert_int_equal(reg.n_recs, db.hdr->n_records);
        assert_int_equal(reg.n_recs, db.hdr->n_iana);
        assert_string_equal(reg.updated, portdb_str(&db, db.hdr->registry_updated));
        assert_string_equal(reg.format, portdb_str(&db, db.hdr->registry_format));

        for (size_t i = 0; i < reg.n_recs; i++) {
                const struct reg_record *r = &reg.recs[i];
                long k = find_record(r, used);

                if (k < 0) {
                        describe(r, what, sizeof(what));
                        if (missing++ < MAX_REPORTED)
                                print_error("not found in the table: %s\n", what);
                        continue;
                }
                used[k] = 1;
                /* Found at every port of its range... */
                if (!(r->flags & PORTDB_F_NOPORT)) {
                        for (uint32_t p = r->lo; p <= r->hi; p++, ports_checked++)
                                if (!refs_contain((uint16_t)p, (uint32_t)k)) {
                                        describe(r, what, sizeof(what));
                                        if (missing++ < MAX_REPORTED)
                                                print_error("not found at port %u: %s\n", p, what);
                                }
                        if (r->status == IANA_ASSIGNED && r->proto != PROTO_NONE &&
                            portdb_status(&db, r->lo, PROTO_BIT(r->proto)) != PORT_ASSIGNED) {
                                describe(r, what, sizeof(what));
                                if (missing++ < MAX_REPORTED)
                                        print_error("port not assigned for: %s\n", what);
                        }
                }
                /* ...and by its service name. */
                if (r->service) {
                        uint32_t first;
                        size_t n = portdb_find_name(&db, r->service, &first);
                        bool found = false;

                        for (size_t j = 0; j < n; j++)
                                found |= db.names[first + j] == k;
                        if (!found) {
                                describe(r, what, sizeof(what));
                                if (missing++ < MAX_REPORTED)
                                        print_error("not found by name: %s\n", what);
                        }
                        names_checked++;
                }
        }
        for (uint32_t k = 0; k < db.hdr->n_iana; k++)
                if (!used[k] && missing++ < MAX_REPORTED)
                        print_error("table entry %u (%s, port %u) matches no record\n", k,
                                    portdb_str(&db, db.iana[k].service), db.iana[k].lo);
        registry_done(&reg);
        free(used);
        if (missing > 0)
                fail_msg("%zu mismatches between %s and the embedded table", missing,
                         registry_path);
        assert_true(ports_checked > reg.n_recs / 2);
        assert_true(names_checked > 0);
}

static void test_vendored_csv_reads(void **state)
{
        struct registry reg;
        struct reg_error err = {0};
        struct portdb csv_db;
        void *blob;
        size_t len, noport = 0, ranges = 0;
        const uint16_t *refs;
        uint32_t first;

        (void)state;
        registry_init(&reg);
        read_into(&reg, registry_read_csv, csv_path);
        assert_int_equal(reg.n_recs, VENDORED_CSV_RECORDS);
        assert_string_equal(reg.format, "csv");
        assert_int_equal(strlen(reg.updated), 10);
        for (size_t i = 0; i < reg.n_recs; i++) {
                noport += (reg.recs[i].flags & PORTDB_F_NOPORT) != 0;
                ranges += reg.recs[i].lo != reg.recs[i].hi;
        }
        assert_true(noport > 0);
        assert_true(ranges > 0);

        assert_int_equal(registry_build_blob(&reg, &blob, &len, &err), 0);
        registry_done(&reg);
        assert_int_equal(portdb_open(&csv_db, blob, len, true), 0);
        assert_int_equal(csv_db.hdr->n_records, VENDORED_CSV_RECORDS);
        assert_int_equal(portdb_port_refs(&csv_db, 1776, &refs), 2);
        assert_string_equal(portdb_str(&csv_db, csv_db.iana[refs[0]].service), "femis");
        assert_int_equal(portdb_status(&csv_db, 6001, PROTO_BIT(PROTO_TCP)), PORT_ASSIGNED);
        assert_true(portdb_find_name(&csv_db, "ssh", &first) >= 3);
        free(blob);
}

static void test_every_unofficial_row_is_found(void **state)
{
        struct registry reg;
        uint8_t *used = calloc(db.hdr->n_unofficial + 1, 1);
        size_t missing = 0;

        (void)state;
        assert_non_null(used);
        registry_init(&reg);
        read_into(&reg, unofficial_read_tsv, tsv_path);
        assert_int_equal(reg.n_uo, db.hdr->n_unofficial);
        for (size_t i = 0; i < reg.n_uo; i++) {
                const struct reg_unofficial *u = &reg.uo[i];
                const struct portdb_unofficial *first;
                size_t n = portdb_unofficial_at(&db, u->port, &first);
                bool found = false;

                for (size_t j = 0; j < n && !found; j++) {
                        const struct portdb_unofficial *e = &first[j];
                        size_t k = (size_t)(e - db.unofficial);

                        if (used[k] || e->port != u->port || e->protos != u->protos ||
                            e->kind != u->kind || e->year != u->year ||
                            !same(u->name, portdb_str(&db, e->name)) ||
                            !same(u->note, portdb_str(&db, e->note)) ||
                            !same(u->source, portdb_str(&db, e->source)) ||
                            !same(u->source_url, portdb_str(&db, e->source_url)) ||
                            !same(u->source_label, portdb_str(&db, e->source_label)))
                                continue;
                        used[k] = 1;
                        found = true;
                }
                if (!found && missing++ < MAX_REPORTED)
                        print_error("unofficial use not found: %u %s\n", u->port, u->name);
        }
        registry_done(&reg);
        free(used);
        if (missing > 0)
                fail_msg("%zu rows of %s are not in the embedded table", missing, tsv_path);
}

int main(int argc, char **argv)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_every_registry_record_is_found),
            cmocka_unit_test(test_vendored_csv_reads),
            cmocka_unit_test(test_every_unofficial_row_is_found),
        };

        if (argc != 4) {
                fprintf(stderr, "usage: %s REGISTRY CSV TSV\n", argv[0]);
                return 2;
        }
        registry_path = argv[1];
        csv_path = argv[2];
        tsv_path = argv[3];
        portdb_open_embedded(&db);
        return cmocka_run_group_tests(tests, NULL, NULL);
}

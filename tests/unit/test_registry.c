/* test_registry: the IANA XML and CSV readers, the unofficial-uses TSV reader and the blob
 * builder, on the small files in tests/fixtures/registry/.
 *
 * valid.xml and valid.csv hold the same records, so both readers are checked against one
 * expected table.  Every refusal must come with -EINVAL (or -E2BIG for a cap) and a one-line
 * message that names the problem.
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
#include "registry.h"
#include "registry_blob.h"
#include "registry_csv.h"
#include "registry_xml.h"
#include "unofficial_tsv.h"

#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must name tests/fixtures"
#endif

/* malloc that ends the test program on failure (and tells the compiler so). */
static void *xmalloc(size_t size)
{
        void *p = malloc(size);

        if (!p)
                abort();
        return p;
}

typedef int (*reader_fn)(struct registry *, const char *, size_t, struct reg_error *);

static int read_fixture(reader_fn fn, const char *name, struct registry *reg, struct reg_error *err)
{
        size_t len;
        char *buf = unit_fixture("registry", name, &len);
        int r = fn(reg, buf, len, err);

        free(buf);
        return r;
}

struct want_record {
        const char *service;
        uint16_t lo, hi;
        enum proto proto;
        enum iana_status status;
        uint8_t flags;
        const char *description, *assignee, *contact, *registered, *modified, *reference,
            *service_code, *unauthorized, *note;
};

/* What valid.xml and valid.csv hold, in file order. */
static const struct want_record fixture_records[] = {
    {NULL, 0, 0, PROTO_TCP, IANA_RESERVED, 0, "Reserved", NULL, NULL, NULL, "2024-12-20",
     "[RFC6335]", NULL, NULL, NULL},
    {NULL, 4, 4, PROTO_UDP, IANA_UNASSIGNED, 0, "Unassigned", NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL},
    {"discard", 9, 9, PROTO_DCCP, IANA_ASSIGNED, 0, "Discard", "Eddie Kohler", "Eddie Kohler", NULL,
     NULL, "[RFC4340]", "1145656131", NULL, NULL},
    {"http", 80, 80, PROTO_TCP, IANA_ASSIGNED, 0, "World Wide Web HTTP", "IESG", "IETF Chair", NULL,
     "2021-10-01", "[RFC9110]", NULL, NULL,
     "Defined TXT keys: u=<username> p=<password> path=<path to document>"},
    {NULL, 585, 585, PROTO_NONE, IANA_RESERVED, 0, "De-registered", NULL, NULL, NULL, "2006-04-25",
     NULL, NULL, NULL, "Use of 585 is not recommended, use 993 instead"},
    {"femis", 1776, 1776, PROTO_TCP, IANA_ASSIGNED, 0,
     "Federal Emergency Management Information System", "Larry Gerhardstein", "Larry Gerhardstein",
     NULL, NULL, NULL, NULL, NULL, NULL},
    {"femis", 1776, 1776, PROTO_UDP, IANA_ASSIGNED, 0,
     "Federal Emergency Management Information System", "Larry Gerhardstein", "Larry Gerhardstein",
     NULL, NULL, NULL, NULL, NULL, NULL},
    {"x11", 6000, 6063, PROTO_TCP, IANA_ASSIGNED, 0, "X Window System", "Stephen Gildea",
     "Stephen Gildea", NULL, NULL, NULL, NULL, "Known Unauthorized Use on port 6003", NULL},
    {"eldim", 31337, 31337, PROTO_TCP, IANA_ASSIGNED, 0, "eldim is a secure file upload proxy",
     "Antonios Chariton", "Antonios Chariton", "2021-05-14", NULL, NULL, NULL, NULL, NULL},
    {"quirk", 40000, 40000, PROTO_TCP, IANA_ASSIGNED, 0,
     "Quirks, \"quoted\" text\nand a second line", NULL, NULL, "2010-01-01", "2026-08-01",
     "[draft-ietf-example-quirk-01][https://example.org/quirk]", NULL, NULL, NULL},
    {"arp", 0, 0, PROTO_NONE, IANA_ASSIGNED, PORTDB_F_NOPORT, "Address Resolution Protocol", NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

#define N_FIXTURE_RECORDS (sizeof(fixture_records) / sizeof(fixture_records[0]))

static void check_str(size_t i, const char *field, const char *got, const char *want)
{
        if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
                fail_msg("record %zu %s: got %s%s%s, want %s%s%s", i, field, got ? "\"" : "",
                         got ? got : "NULL", got ? "\"" : "", want ? "\"" : "",
                         want ? want : "NULL", want ? "\"" : "");
}

static void check_fixture_records(const struct registry *reg)
{
        assert_int_equal(reg->n_recs, N_FIXTURE_RECORDS);
        for (size_t i = 0; i < N_FIXTURE_RECORDS; i++) {
                const struct reg_record *r = &reg->recs[i];
                const struct want_record *w = &fixture_records[i];

                check_str(i, "service", r->service, w->service);
                if (r->lo != w->lo || r->hi != w->hi || r->proto != w->proto ||
                    r->status != w->status || r->flags != w->flags)
                        fail_msg("record %zu: %u-%u proto %u status %u flags %u; want %u-%u proto "
                                 "%u status %u flags %u",
                                 i, r->lo, r->hi, r->proto, r->status, r->flags, w->lo, w->hi,
                                 w->proto, w->status, w->flags);
                check_str(i, "description", r->description, w->description);
                check_str(i, "assignee", r->assignee, w->assignee);
                check_str(i, "contact", r->contact, w->contact);
                check_str(i, "registered", r->registered, w->registered);
                check_str(i, "modified", r->modified, w->modified);
                check_str(i, "reference", r->reference, w->reference);
                check_str(i, "service_code", r->service_code, w->service_code);
                check_str(i, "unauthorized", r->unauthorized, w->unauthorized);
                check_str(i, "note", r->note, w->note);
        }
}

static void test_xml_valid(void **state)
{
        struct registry reg;
        struct reg_error err = {0};

        (void)state;
        registry_init(&reg);
        assert_int_equal(read_fixture(registry_read_xml, "valid.xml", &reg, &err), 0);
        check_fixture_records(&reg);
        assert_string_equal(reg.format, "xml");
        assert_string_equal(reg.updated, "2026-08-17"); /* the registry's own <updated> */
        registry_done(&reg);
        assert_int_equal(reg.n_recs, 0);
        assert_null(reg.recs);
}

static void test_csv_valid_crlf(void **state)
{
        struct registry reg;
        struct reg_error err = {0};
        size_t len;
        char *buf = unit_fixture("registry", "valid.csv", &len);

        (void)state;
        /* The fixture really has CRLF record ends and a bare LF inside a quoted field. */
        assert_non_null(strstr(buf, "Notes\r\n"));
        assert_non_null(strstr(buf, "text\nand a second line\""));
        registry_init(&reg);
        assert_int_equal(registry_read_csv(&reg, buf, len, &err), 0);
        check_fixture_records(&reg);
        assert_string_equal(reg.format, "csv");
        assert_string_equal(reg.updated, "2026-08-01"); /* the newest date in the file */
        registry_done(&reg);
        free(buf);
}

/* The same file with LF record ends, and with a byte-order mark, reads the same. */
static void test_csv_lf_and_bom(void **state)
{
        struct registry reg;
        struct reg_error err = {0};
        size_t len, n = 0;
        char *buf = unit_fixture("registry", "valid.csv", &len);
        char *lf = malloc(len + 4);

        (void)state;
        assert_non_null(lf);
        memcpy(lf, "\xef\xbb\xbf", 3);
        n = 3;
        for (size_t i = 0; i < len; i++)
                if (!(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n'))
                        lf[n++] = buf[i];
        assert_true(n < len + 3);
        registry_init(&reg);
        assert_int_equal(registry_read_csv(&reg, lf + 3, n - 3, &err), 0);
        check_fixture_records(&reg);
        registry_done(&reg);
        registry_init(&reg);
        assert_int_equal(registry_read_csv(&reg, lf, n, &err), 0);
        check_fixture_records(&reg);
        registry_done(&reg);
        free(lf);
        free(buf);
}

/* registry_read_any tells the two formats apart, past a byte-order mark and blank lines. */
static void test_read_any(void **state)
{
        static const char other[] = "\n  \t<registry id=\"protocol-numbers\"/>\n";
        struct registry reg;
        struct reg_error err = {0};
        size_t len;
        char *xml = unit_fixture("registry", "valid.xml", &len);
        char *bom = malloc(len + 3);

        (void)state;
        assert_non_null(bom);
        memcpy(bom, "\xef\xbb\xbf", 3);
        memcpy(bom + 3, xml, len);
        registry_init(&reg);
        assert_int_equal(read_fixture(registry_read_any, "valid.csv", &reg, &err), 0);
        assert_string_equal(reg.format, "csv");
        registry_done(&reg);
        registry_init(&reg);
        assert_int_equal(registry_read_any(&reg, bom, len + 3, &err), 0);
        assert_string_equal(reg.format, "xml");
        check_fixture_records(&reg);
        registry_done(&reg);
        /* Blank lines before the root element: still the XML reader that answers. */
        registry_init(&reg);
        assert_int_equal(registry_read_any(&reg, other, sizeof(other) - 1, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "not IANA's service-names-port-numbers registry"));
        registry_done(&reg);
        free(bom);
        free(xml);
}

static void check_fixture_unofficial(const struct registry *reg)
{
        const struct reg_unofficial *u = reg->uo;

        assert_int_equal(reg->n_uo, 4);
        assert_int_equal(u[0].port, 31337);
        assert_int_equal(u[0].protos, PROTO_BIT(PROTO_TCP));
        assert_int_equal(u[0].kind, UO_MALWARE);
        assert_int_equal(u[0].year, 1998);
        assert_string_equal(u[0].name, "Back Orifice");
        assert_string_equal(u[0].note, "Listed as a trojan port");
        assert_string_equal(u[0].source, "Example trojan list (fixture)");
        assert_string_equal(u[0].source_url, "https://example.org/trojans");
        assert_string_equal(u[0].source_label, "Example trojan list");
        assert_int_equal(u[1].port, 6000);
        assert_int_equal(u[1].protos, PROTO_MASK_TCP_UDP);
        assert_int_equal(u[1].kind, UO_SOFTWARE);
        assert_int_equal(u[1].year, 0);
        assert_null(u[1].source_url);
        assert_null(u[1].source_label);
        assert_int_equal(u[2].port, 1776);
        assert_int_equal(u[2].protos, PROTO_BIT(PROTO_UDP));
        assert_int_equal(u[2].kind, UO_OTHER);
        assert_int_equal(u[3].port, 65535);
        assert_null(u[3].note);
        assert_int_equal(u[3].year, 2001);
}

static void test_tsv_valid(void **state)
{
        struct registry reg;
        struct reg_error err = {0};
        size_t len, n = 0;
        char *buf = unit_fixture("registry", "valid.tsv", &len);
        char *crlf = malloc(len * 2 + 1);

        (void)state;
        registry_init(&reg);
        assert_int_equal(unofficial_read_tsv(&reg, buf, len, &err), 0);
        check_fixture_unofficial(&reg);
        assert_int_equal(reg.n_recs, 0);
        registry_done(&reg);

        /* CRLF line ends and no final newline read the same. */
        assert_non_null(crlf);
        for (size_t i = 0; i < len; i++) {
                if (buf[i] == '\n')
                        crlf[n++] = '\r';
                crlf[n++] = buf[i];
        }
        n -= 2;
        registry_init(&reg);
        assert_int_equal(unofficial_read_tsv(&reg, crlf, n, &err), 0);
        check_fixture_unofficial(&reg);
        registry_done(&reg);
        free(crlf);
        free(buf);
}

/* The blob built from the fixtures passes verification and answers from them. */
static void build_and_check(const char *registry_file, reader_fn fn, const char *format)
{
        struct registry reg;
        struct reg_error err = {0};
        struct portdb db;
        void *blob = NULL;
        size_t len = 0;
        const uint16_t *refs;
        const struct portdb_unofficial *u;
        uint32_t first;
        struct portdb_search_ctx *ctx = malloc(sizeof(*ctx));
        int n;

        assert_non_null(ctx);
        registry_init(&reg);
        assert_int_equal(read_fixture(fn, registry_file, &reg, &err), 0);
        assert_int_equal(read_fixture(unofficial_read_tsv, "valid.tsv", &reg, &err), 0);
        assert_int_equal(registry_build_blob(&reg, &blob, &len, &err), 0);
        registry_done(&reg);
        assert_non_null(blob);
        assert_true(((uintptr_t)blob % 8) == 0);
        assert_int_equal(portdb_open(&db, blob, len, true), 0);

        assert_string_equal(portdb_str(&db, db.hdr->registry_format), format);
        assert_int_equal(db.hdr->n_records, N_FIXTURE_RECORDS);
        assert_int_equal(db.hdr->n_iana, N_FIXTURE_RECORDS);
        assert_int_equal(db.hdr->n_unofficial, 4);

        assert_int_equal(portdb_port_refs(&db, 6001, &refs), 1);
        assert_string_equal(portdb_str(&db, db.iana[refs[0]].service), "x11");
        assert_int_equal(db.iana[refs[0]].lo, 6000);
        assert_int_equal(db.iana[refs[0]].hi, 6063);
        assert_int_equal(portdb_port_refs(&db, 6064, &refs), 0);
        assert_int_equal(portdb_port_refs(&db, 1776, &refs), 2);
        assert_int_equal(db.iana[refs[0]].proto, PROTO_TCP);
        assert_int_equal(db.iana[refs[1]].proto, PROTO_UDP);
        assert_string_equal(portdb_str(&db, db.iana[refs[0]].assignee), "Larry Gerhardstein");
        assert_int_equal(portdb_status(&db, 585, PROTO_MASK_ALL), PORT_RESERVED);
        assert_int_equal(portdb_status(&db, 0, PROTO_MASK_ALL), PORT_RESERVED);
        assert_int_equal(portdb_status(&db, 4, PROTO_MASK_ALL), PORT_UNASSIGNED);
        assert_int_equal(portdb_status(&db, 80, PROTO_BIT(PROTO_TCP)), PORT_ASSIGNED);
        assert_int_equal(portdb_status(&db, 80, PROTO_BIT(PROTO_UDP)), PORT_UNASSIGNED);

        assert_int_equal(portdb_find_name(&db, "ARP", &first), 1);
        assert_true(db.iana[db.names[first]].flags & PORTDB_F_NOPORT);
        assert_int_equal(portdb_find_name(&db, "femis", &first), 2);

        assert_int_equal(portdb_unofficial_at(&db, 31337, &u), 1);
        assert_string_equal(portdb_str(&db, u->name), "Back Orifice");
        assert_int_equal(u->year, 1998);
        assert_int_equal(portdb_unofficial_at(&db, 6000, &u), 1);
        assert_int_equal(u->protos, PROTO_MASK_TCP_UDP);

        n = portdb_search(&db, "quoted", ctx);
        assert_int_equal(n, 1);
        assert_int_equal(ctx->hits[0].port, 40000);
        n = portdb_search(&db, "orifice", ctx);
        assert_int_equal(n, 1);
        assert_int_equal(ctx->hits[0].port, 31337);
        free(ctx);
        free(blob);
}

static void test_blob_from_xml_fixtures(void **state)
{
        (void)state;
        build_and_check("valid.xml", registry_read_xml, "xml");
}

static void test_blob_from_csv_fixtures(void **state)
{
        (void)state;
        build_and_check("valid.csv", registry_read_csv, "csv");
}

struct bad_case {
        reader_fn fn;
        const char *reader;
        const char *file;
        int ret;
        const char *msg;    /* a part of err.msg */
        unsigned long line; /* 0: not checked */
};

static const struct bad_case bad_cases[] = {
    {registry_read_xml, "xml", "malformed.xml", -EINVAL, "not well-formed XML", 7},
    {registry_read_xml, "xml", "truncated.xml", -EINVAL, "not well-formed XML", 0},
    {registry_read_xml, "xml", "empty", -EINVAL, "not well-formed XML", 0},
    {registry_read_xml, "xml", "binary.bin", -EINVAL, "not well-formed XML", 0},
    {registry_read_xml, "xml", "valid.csv", -EINVAL, "not well-formed XML", 0},
    {registry_read_xml, "xml", "wrong-root.xml", -EINVAL,
     "not IANA's service-names-port-numbers registry", 2},
    {registry_read_xml, "xml", "no-records.xml", -EINVAL, "holds no records", 0},
    {registry_read_xml, "xml", "port-70000.xml", -EINVAL, "\"70000\" is not a port", 8},
    {registry_read_xml, "xml", "bad-proto.xml", -EINVAL, "unknown transport protocol \"xyz\"", 3},
    {registry_read_csv, "csv", "wrong-header.csv", -EINVAL,
     "not IANA's registry CSV: column 1 should be \"Service Name\"", 1},
    {registry_read_csv, "csv", "valid.xml", -EINVAL, "not IANA's registry CSV", 1},
    {registry_read_csv, "csv", "port-70000.csv", -EINVAL, "\"70000\" is not a port", 3},
    {registry_read_csv, "csv", "bad-proto.csv", -EINVAL, "unknown transport protocol \"xyz\"", 2},
    {registry_read_csv, "csv", "short-row.csv", -EINVAL, "record has 4 fields, expected 12", 2},
    {registry_read_csv, "csv", "unterminated.csv", -EINVAL, "malformed CSV", 0},
    {registry_read_csv, "csv", "empty", -EINVAL, "empty file", 0},
    {registry_read_csv, "csv", "binary.bin", -EINVAL, "", 0},
    {unofficial_read_tsv, "tsv", "wrong-header.tsv", -EINVAL, "header column 2 should be \"proto\"",
     1},
    {unofficial_read_tsv, "tsv", "valid.csv", -EINVAL,
     "expected 13 tab-separated fields (or 9, the older form)", 1},
    {unofficial_read_tsv, "tsv", "port-70000.tsv", -EINVAL, "\"70000\" is not a port", 3},
    {unofficial_read_tsv, "tsv", "bad-proto.tsv", -EINVAL,
     "protocol \"sctp\" is not tcp, udp or both", 2},
    {unofficial_read_tsv, "tsv", "bad-kind.tsv", -EINVAL, "kind \"virus\"", 2},
    {unofficial_read_tsv, "tsv", "bad-year.tsv", -EINVAL, "year \"98\" is not a year", 2},
    {unofficial_read_tsv, "tsv", "no-source.tsv", -EINVAL, "without a name or a source", 2},
    {unofficial_read_tsv, "tsv", "short-row.tsv", -EINVAL, "expected 9 tab-separated fields", 2},
    {unofficial_read_tsv, "tsv", "empty", -EINVAL, "empty file", 0},
    {unofficial_read_tsv, "tsv", "binary.bin", -EINVAL, "NUL byte", 0},
};

static void test_bad_files(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
                const struct bad_case *c = &bad_cases[i];
                struct registry reg;
                struct reg_error err = {.line = 999999, .msg = ""};
                int r;

                registry_init(&reg);
                r = read_fixture(c->fn, c->file, &reg, &err);
                registry_done(&reg);
                if (r != c->ret)
                        fail_msg("%s reader on %s: %d, want %d (%s)", c->reader, c->file, r, c->ret,
                                 err.msg);
                if (err.msg[0] == '\0' || !strstr(err.msg, c->msg) || strchr(err.msg, '\n'))
                        fail_msg("%s reader on %s: message \"%s\", want one line with \"%s\"",
                                 c->reader, c->file, err.msg, c->msg);
                if (c->line && err.line != c->line)
                        fail_msg("%s reader on %s: line %lu, want %lu (%s)", c->reader, c->file,
                                 err.line, c->line, err.msg);
        }
}

/* No prefix of a valid XML registry is accepted; none crashes either. */
static void test_xml_every_truncation(void **state)
{
        size_t len;
        char *buf = unit_fixture("registry", "valid.xml", &len);
        const char *end = strstr(buf, "</registry>");

        (void)state;
        assert_non_null(end);
        for (size_t cut = 0; cut < (size_t)(end - buf) + 10; cut += 3) {
                struct registry reg;
                struct reg_error err = {0};

                registry_init(&reg);
                if (registry_read_xml(&reg, buf, cut, &err) != -EINVAL)
                        fail_msg("valid.xml cut to %zu bytes is accepted", cut);
                assert_true(err.msg[0] != '\0');
                registry_done(&reg);
        }
        free(buf);
}

/* A CSV cut inside a quoted field is refused, not read as a shorter field. */
static void test_csv_truncated_in_quotes(void **state)
{
        struct registry reg;
        struct reg_error err = {0};
        size_t len;
        char *buf = unit_fixture("registry", "valid.csv", &len);
        const char *q = strstr(buf, "and a second line");

        (void)state;
        assert_non_null(q);
        registry_init(&reg);
        assert_int_equal(registry_read_csv(&reg, buf, (size_t)(q - buf), &err), -EINVAL);
        assert_non_null(strstr(err.msg, "malformed CSV"));
        registry_done(&reg);
        free(buf);
}

/* External and nested entities are never fetched or expanded into the data. */
static void test_xml_entities_not_expanded(void **state)
{
        struct registry reg;
        struct reg_error err = {0};
        int r;

        (void)state;
        registry_init(&reg);
        r = read_fixture(registry_read_xml, "xxe.xml", &reg, &err);
        if (r == 0) {
                assert_int_equal(reg.n_recs, 1);
                assert_non_null(reg.recs[0].description);
                assert_null(strstr(reg.recs[0].description, "root"));
                assert_null(strstr(reg.recs[0].description, "lol"));
        } else {
                assert_int_equal(r, -EINVAL);
        }
        registry_done(&reg);
}

/* Caps: a field longer than REGISTRY_MAX_FIELD, a TSV line as long, a file over the byte cap. */
static void test_caps(void **state)
{
        static const char xml_head[] = "<registry id=\"service-names-port-numbers\"><record>"
                                       "<name>big</name><protocol>tcp</protocol><number>1</number>"
                                       "<description>";
        static const char xml_tail[] = "</description></record></registry>";
        static const char csv_head[] = "Service Name,Port Number,Transport Protocol,Description,"
                                       "Assignee,Contact,Registration Date,Modification Date,"
                                       "Reference,Service Code,Unauthorized Use Reported,"
                                       "Assignment Notes\nbig,1,tcp,";
        static const char tsv_head[] = "port\tproto\tkind\tname\tfirst_seen_year\tnote\tsource\t"
                                       "source_url\tsource_label\n1\ttcp\tmalware\tbig\t\t";
        const size_t big = REGISTRY_MAX_FIELD + 100;
        char *buf = xmalloc(big + 512);
        struct registry reg;
        struct reg_error err = {0};
        size_t n;

        (void)state;
        n = 0;
        memcpy(buf, xml_head, sizeof(xml_head) - 1);
        n += sizeof(xml_head) - 1;
        memset(buf + n, 'a', big);
        n += big;
        memcpy(buf + n, xml_tail, sizeof(xml_tail) - 1);
        n += sizeof(xml_tail) - 1;
        registry_init(&reg);
        assert_int_equal(registry_read_xml(&reg, buf, n, &err), -E2BIG);
        assert_non_null(strstr(err.msg, "a field longer than"));
        registry_done(&reg);

        n = 0;
        memcpy(buf, csv_head, sizeof(csv_head) - 1);
        n += sizeof(csv_head) - 1;
        memset(buf + n, 'a', big);
        n += big;
        memcpy(buf + n, ",,,,,,,,\n", 9);
        n += 9;
        registry_init(&reg);
        assert_int_equal(registry_read_csv(&reg, buf, n, &err), -E2BIG);
        assert_non_null(strstr(err.msg, "a field longer than"));
        assert_int_equal(err.line, 2);
        registry_done(&reg);

        n = 0;
        memcpy(buf, tsv_head, sizeof(tsv_head) - 1);
        n += sizeof(tsv_head) - 1;
        memset(buf + n, 'a', big);
        n += big;
        memcpy(buf + n, "\tsrc\t\t\n", 7);
        n += 7;
        registry_init(&reg);
        assert_int_equal(unofficial_read_tsv(&reg, buf, n, &err), -E2BIG);
        assert_non_null(strstr(err.msg, "a line longer than"));
        assert_int_equal(err.line, 2);
        registry_done(&reg);
        free(buf);

        /* A file over the byte cap is refused before it is parsed. */
        buf = xmalloc((size_t)REGISTRY_MAX_BYTES + 1);
        memset(buf, '<', 16);
        registry_init(&reg);
        n = (size_t)REGISTRY_MAX_BYTES + 1;
        assert_int_equal(registry_read_xml(&reg, buf, n, &err), -E2BIG);
        assert_int_equal(registry_read_csv(&reg, buf, n, &err), -E2BIG);
        assert_int_equal(unofficial_read_tsv(&reg, buf, n, &err), -E2BIG);
        assert_non_null(strstr(err.msg, "larger than"));
        assert_int_equal(reg.n_recs, 0);
        registry_done(&reg);
        free(buf);
}

/* Text that is not UTF-8 (here Latin-1) reads, but is refused when the table is built. */
static void test_blob_refuses_non_utf8(void **state)
{
        static const char csv[] =
            "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
            "Registration Date,Modification Date,Reference,Service Code,"
            "Unauthorized Use Reported,Assignment Notes\n"
            "caf\xe9,1234,tcp,Caf\xe9 service,,,,,,,,\n";
        struct registry reg;
        struct reg_error err = {0};
        void *blob = (void *)&reg;
        size_t len = 7;

        (void)state;
        registry_init(&reg);
        assert_int_equal(registry_read_csv(&reg, csv, sizeof(csv) - 1, &err), 0);
        assert_int_equal(registry_build_blob(&reg, &blob, &len, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "not UTF-8"));
        assert_ptr_equal(blob, (void *)&reg); /* outputs untouched */
        assert_int_equal(len, 7);
        registry_done(&reg);
}

/* The rules that turn a row's text into a port range, protocol and status. */
static void test_classify(void **state)
{
        static const struct {
                const char *service, *description, *assignee, *number, *protocol;
                int ret;
                uint16_t lo, hi;
                enum proto proto;
                enum iana_status status;
                uint8_t flags;
        } cases[] = {
            {"femis", "Federal", NULL, "1776", "tcp", 0, 1776, 1776, PROTO_TCP, IANA_ASSIGNED, 0},
            {"x11", "X", NULL, "6000-6063", "udp", 0, 6000, 6063, PROTO_UDP, IANA_ASSIGNED, 0},
            {"ssh", "SSH", NULL, "22", "SCTP", 0, 22, 22, PROTO_SCTP, IANA_ASSIGNED, 0},
            {"arp", "ARP", NULL, NULL, NULL, 0, 0, 0, PROTO_NONE, IANA_ASSIGNED, PORTDB_F_NOPORT},
            {"arp", "ARP", NULL, "", "", 0, 0, 0, PROTO_NONE, IANA_ASSIGNED, PORTDB_F_NOPORT},
            {NULL, "Reserved", NULL, "0", "tcp", 0, 0, 0, PROTO_TCP, IANA_RESERVED, 0},
            {NULL, "Unassigned", NULL, "4", "udp", 0, 4, 4, PROTO_UDP, IANA_UNASSIGNED, 0},
            {NULL, "unassigned", NULL, "114", NULL, 0, 114, 114, PROTO_NONE, IANA_UNASSIGNED, 0},
            {NULL, "Unassigned", NULL, "272-279", NULL, 0, 272, 279, PROTO_NONE, IANA_UNASSIGNED,
             0},
            {NULL, "(unassigned) Possibly assigned", NULL, "2825", NULL, 0, 2825, 2825, PROTO_NONE,
             IANA_UNASSIGNED, 0},
            {NULL, "De-registered", NULL, "585", NULL, 0, 585, 585, PROTO_NONE, IANA_RESERVED, 0},
            {NULL, "Removed", NULL, "659", NULL, 0, 659, 659, PROTO_NONE, IANA_RESERVED, 0},
            {NULL, "Deprecated", NULL, "1028", NULL, 0, 1028, 1028, PROTO_NONE, IANA_RESERVED, 0},
            {NULL, "Decomissioned Port 04/14/00, ms", "naonao", "1783", NULL, 0, 1783, 1783,
             PROTO_NONE, IANA_RESERVED, 0},
            {NULL, "De-Commissioned Port", NULL, "9006", NULL, 0, 9006, 9006, PROTO_NONE,
             IANA_RESERVED, 0},
            {NULL, "any private mail system", "Rick Adams", "24", "tcp", 0, 24, 24, PROTO_TCP,
             IANA_ASSIGNED, 0},
            {NULL, "Possibly used by Sun Solaris????", NULL, "1008", "udp", 0, 1008, 1008,
             PROTO_UDP, IANA_UNASSIGNED, 0},
            {NULL, NULL, NULL, "7", "tcp", 0, 7, 7, PROTO_TCP, IANA_UNASSIGNED, 0},
            {NULL, "Reserved", NULL, NULL, NULL, -EINVAL, 0, 0, 0, 0, 0},
            {"x", "X", NULL, "70000", "tcp", -EINVAL, 0, 0, 0, 0, 0},
            {"x", "X", NULL, "9-3", "tcp", -EINVAL, 0, 0, 0, 0, 0},
            {"x", "X", NULL, "22", "xyz", -EINVAL, 0, 0, 0, 0, 0},
            {"x", "X", NULL, "abc", "tcp", -EINVAL, 0, 0, 0, 0, 0},
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct reg_record rec = {
                    .service = (char *)cases[i].service,
                    .description = (char *)cases[i].description,
                    .assignee = (char *)cases[i].assignee,
                };
                struct reg_error err = {.msg = ""};
                int r = registry_classify(&rec, cases[i].number, cases[i].protocol, &err);

                if (r != cases[i].ret)
                        fail_msg("case %zu (%s): %d, want %d", i,
                                 cases[i].description ? cases[i].description : "-", r,
                                 cases[i].ret);
                if (r < 0) {
                        assert_true(err.msg[0] != '\0');
                        continue;
                }
                if (rec.lo != cases[i].lo || rec.hi != cases[i].hi || rec.proto != cases[i].proto ||
                    rec.status != cases[i].status || rec.flags != cases[i].flags)
                        fail_msg("case %zu (%s): %u-%u proto %u status %u flags %u", i,
                                 cases[i].description ? cases[i].description : "-", rec.lo, rec.hi,
                                 rec.proto, rec.status, rec.flags);
        }
}

static void test_helpers(void **state)
{
        struct registry reg;
        int oom = 0;
        char *s;

        (void)state;
        registry_init(&reg);
        registry_note_date(&reg, "2020-01-02");
        registry_note_date(&reg, "2019-12-31");
        registry_note_date(&reg, "2030-13-99x");
        registry_note_date(&reg, "not a date");
        registry_note_date(&reg, NULL);
        assert_string_equal(reg.updated, "2020-01-02");
        registry_note_date(&reg, "2026-08-17");
        assert_string_equal(reg.updated, "2026-08-17");
        registry_done(&reg);

        s = registry_strndup_trim("  a b \t\n", 8, &oom);
        assert_string_equal(s, "a b");
        free(s);
        assert_null(registry_strndup_trim(" \t\r\n ", 5, &oom));
        assert_null(registry_strndup_trim("", 0, &oom));
        s = registry_strndup_trim("abcdef", 3, &oom);
        assert_string_equal(s, "abc");
        free(s);
        assert_int_equal(oom, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_xml_valid),
            cmocka_unit_test(test_csv_valid_crlf),
            cmocka_unit_test(test_csv_lf_and_bom),
            cmocka_unit_test(test_read_any),
            cmocka_unit_test(test_tsv_valid),
            cmocka_unit_test(test_blob_from_xml_fixtures),
            cmocka_unit_test(test_blob_from_csv_fixtures),
            cmocka_unit_test(test_bad_files),
            cmocka_unit_test(test_xml_every_truncation),
            cmocka_unit_test(test_csv_truncated_in_quotes),
            cmocka_unit_test(test_xml_entities_not_expanded),
            cmocka_unit_test(test_caps),
            cmocka_unit_test(test_blob_refuses_non_utf8),
            cmocka_unit_test(test_classify),
            cmocka_unit_test(test_helpers),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

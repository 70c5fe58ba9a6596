/* test_names: everyday names, threat eras, ranges, ATT&CK references and corrections, from the
 * fixtures in tests/fixtures/names (made-up rows in the real files' shape) through the readers,
 * the table, resolve, search, the answer and its JSON face.  Also: the verifier refuses a table
 * whose new parts point outside it, and `update` keeps the names whose IANA entry survives.
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

#include "aliases_tsv.h"
#include "answer.h"
#include "corrections_tsv.h"
#include "registry.h"
#include "registry_blob.h"
#include "registry_csv.h"
#include "registry_keep.h"
#include "render_json.h"
#include "resolve.h"
#include "unofficial_tsv.h"

#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must name tests/fixtures"
#endif

static struct portdb db;
static void *blob;
static size_t blob_len;
static struct answer a; /* kept off the stack */

typedef int (*reader_fn)(struct registry *, const char *, size_t, struct reg_error *);

static void read_fixture(struct registry *reg, const char *name, reader_fn reader)
{
        struct reg_error err = {0};
        size_t len;
        char *buf = unit_fixture("names", name, &len);

        if (reader(reg, buf, len, &err) < 0) {
                fprintf(stderr, "%s:%lu: %s\n", name, err.line, err.msg);
                abort();
        }
        free(buf);
}

static int setup(void **state)
{
        struct registry reg;
        struct reg_error err = {0};

        (void)state;
        registry_init(&reg);
        read_fixture(&reg, "registry.csv", registry_read_any);
        read_fixture(&reg, "unofficial.tsv", unofficial_read_tsv);
        read_fixture(&reg, "aliases.tsv", aliases_read_tsv);
        read_fixture(&reg, "corrections.tsv", corrections_read_tsv);
        if (registry_build_blob(&reg, &blob, &blob_len, &err) < 0) {
                fprintf(stderr, "build: %s\n", err.msg);
                return -1;
        }
        registry_done(&reg);
        return portdb_open(&db, blob, blob_len, true);
}

static int teardown(void **state)
{
        (void)state;
        free(blob);
        return 0;
}

static const char *str(uint32_t off)
{
        return portdb_str(&db, off);
}

static void test_alias_resolution(void **state)
{
        struct resolve_port v[8];
        struct resolve_why why;
        uint32_t first;
        size_t n = 0;

        (void)state;
        /* "rdp": the ports people mean; IANA's port-less "rdp" adds none, and is told apart. */
        assert_int_equal(resolve_arg(&db, "rdp", PROTO_MASK_ALL, v, &n, 8, &why), 0);
        assert_int_equal(n, 1);
        assert_int_equal(v[0].port, 3389);
        assert_int_equal(v[0].protos, PROTO_MASK_TCP_UDP);
        assert_int_equal(resolve_name_clash(&db, "rdp", &first), 1);
        assert_string_equal(str(db.iana[db.names[first]].description), "Reliable Data Protocol");
        assert_int_equal(resolve_name_clash(&db, "RDP/tcp", &first), 1);

        n = 0;
        assert_int_equal(resolve_arg(&db, "RDP/udp", PROTO_MASK_ALL, v, &n, 8, &why), 0);
        assert_int_equal(n, 1);
        assert_int_equal(v[0].protos, PROTO_BIT(PROTO_UDP));

        /* DHCP means two ports, in the order of their entries. */
        n = 0;
        assert_int_equal(resolve_arg(&db, "Dhcp", PROTO_MASK_ALL, v, &n, 8, &why), 0);
        assert_int_equal(n, 2);
        assert_int_equal(v[0].port, 67);
        assert_int_equal(v[1].port, 68);
        assert_int_equal(v[1].protos, PROTO_BIT(PROTO_UDP));

        /* No clash where IANA has no such name, and IANA's own names still work. */
        assert_int_equal(resolve_name_clash(&db, "dns", &first), 0);
        n = 0;
        assert_int_equal(resolve_arg(&db, "ms-wbt-server", PROTO_MASK_ALL, v, &n, 8, &why), 0);
        assert_int_equal(v[0].port, 3389);
        n = 0;
        assert_int_equal(resolve_arg(&db, "rdpq", PROTO_MASK_ALL, v, &n, 8, &why), -ENOENT);
        /* An everyday name that is also IANA's name for the same service adds the rest of it:
         * NTP is udp here, IANA's ntp is tcp and udp. */
        n = 0;
        assert_int_equal(resolve_arg(&db, "ntp/tcp", PROTO_MASK_ALL, v, &n, 8, &why), 0);
        assert_int_equal(n, 1);
        assert_int_equal(v[0].port, 123);
        assert_int_equal(v[0].protos, PROTO_BIT(PROTO_TCP));
        n = 0;
        assert_int_equal(resolve_arg(&db, "NTP", PROTO_MASK_ALL, v, &n, 8, &why), 0);
        assert_int_equal(n, 1);
        assert_int_equal(v[0].protos, PROTO_MASK_TCP_UDP);
        assert_int_equal(resolve_name_clash(&db, "ntp", &first), 0);
        /* SMB is TCP only here: for UDP alone it has no port. */
        n = 0;
        assert_int_equal(resolve_arg(&db, "smb/udp", PROTO_MASK_ALL, v, &n, 8, &why), -ENOPROTOOPT);
}

/* The score of @port in the last search's hits; 0 when it is not among them. */
static int score_of(const struct portdb_search_ctx *ctx, int n, uint16_t port)
{
        for (int i = 0; i < n; i++)
                if (ctx->hits[i].port == port)
                        return ctx->hits[i].score;
        return 0;
}

static void test_search_ranking(void **state)
{
        struct portdb_search_ctx *ctx = malloc(sizeof(*ctx));
        int n;

        (void)state;
        assert_non_null(ctx);
        assert_true(PORTDB_SCORE_ALIAS_EXACT > PORTDB_SCORE_NAME_EXACT);
        assert_true(PORTDB_SCORE_ALIAS_PREFIX < PORTDB_SCORE_ALIAS_EXACT);
        assert_true(PORTDB_SCORE_NAME_PREFIX < PORTDB_SCORE_NAME_EXACT);

        /* The everyday name typed in full first, above IANA's "rdpx" whose prefix it is. */
        n = portdb_search(&db, "rdp", ctx);
        assert_true(n >= 2);
        assert_int_equal(ctx->hits[0].port, 3389);
        assert_int_equal(ctx->hits[0].score, PORTDB_SCORE_ALIAS_EXACT);
        assert_int_equal(score_of(ctx, n, 5000), PORTDB_SCORE_NAME_PREFIX);

        /* A prefix of the everyday name ranks below the name typed in full... */
        n = portdb_search(&db, "rd", ctx);
        assert_int_equal(score_of(ctx, n, 3389), PORTDB_SCORE_ALIAS_PREFIX);
        /* ...and a service name typed in full below an everyday one. */
        n = portdb_search(&db, "rdpx", ctx);
        assert_int_equal(score_of(ctx, n, 5000), PORTDB_SCORE_NAME_EXACT);
        assert_int_equal(score_of(ctx, n, 3389), 0);
        /* Inside the name: below either prefix. */
        n = portdb_search(&db, "dp", ctx);
        assert_true(score_of(ctx, n, 3389) > 0);
        assert_true(score_of(ctx, n, 3389) < PORTDB_SCORE_NAME_PREFIX);
        /* The meaning is searched too, as text. */
        n = portdb_search(&db, "remote desktop protocol", ctx);
        assert_int_equal(n, 1);
        assert_int_equal(ctx->hits[0].port, 3389);
        /* DHCP: both ports it means, ranked equal, by number. */
        n = portdb_search(&db, "DHCP", ctx);
        assert_int_equal(ctx->hits[0].port, 67);
        assert_int_equal(ctx->hits[1].port, 68);
        assert_int_equal(ctx->hits[1].score, PORTDB_SCORE_ALIAS_EXACT);
        free(ctx);
}

static const char *claim_name(size_t i)
{
        return str(a.claims[i].first->name);
}

static void test_threat_eras(void **state)
{
        (void)state;
        answer_build(&a, &db, 445, PROTO_BIT(PROTO_TCP));
        assert_int_equal(a.claim_counts[UO_MALWARE], 6);
        assert_int_equal(a.era_counts[UO_ERA_MODERN], 3);
        assert_int_equal(a.era_counts[UO_ERA_HISTORICAL], 3);
        /* Modern first, newest year first, one year by name; then the old lists' order. */
        assert_string_equal(claim_name(0), "Olympic Destroyer");
        assert_string_equal(claim_name(1), "NotPetya");
        assert_string_equal(claim_name(2), "WannaCry");
        assert_string_equal(claim_name(3), "Blaster worm");
        assert_string_equal(claim_name(4), "Conficker");
        assert_string_equal(claim_name(5), "Sasser");
        for (size_t i = 0; i < 3; i++)
                assert_int_equal(a.claims[i].era, UO_ERA_MODERN);
        assert_int_equal(a.claims[0].year, 2018);
        assert_non_null(a.claims[2].ref);
        assert_string_equal(str(a.claims[2].ref->ref_id), "S0366");
        assert_null(a.claims[3].ref);

        /* Sources are numbered in that order: the everyday name's first, then claim by claim. */
        assert_int_equal(a.n_akas, 1);
        assert_int_equal(a.akas[0].num, 1);
        assert_int_equal(a.claims[0].nums[0], 2);
        assert_int_equal(a.claims[1].nums[0], 3);
        assert_string_equal(a.notes.src[1].name, "ATT&CK Olympic Destroyer");

        /* 4444: a modern claim without a year still comes before the old lists. */
        answer_build(&a, &db, 4444, PROTO_MASK_ALL);
        assert_string_equal(claim_name(0), "Metasploit default handler");
        assert_int_equal(a.claims[0].era, UO_ERA_MODERN);
        assert_string_equal(claim_name(1), "Blaster (MSBlast)");
}

static void test_range_once(void **state)
{
        (void)state;
        answer_build(&a, &db, 135, PROTO_MASK_ALL);
        assert_int_equal(a.n_claims, 2);
        assert_string_equal(claim_name(0), "Windows RPC and NetBIOS firewall rule");
        assert_int_equal(a.claims[0].port_hi, 139);
        assert_int_equal(a.claims[1].port_hi, 135);
        /* Stored once, at its first port: the other ports of the range do not repeat it. */
        for (uint16_t p = 136; p <= 139; p++) {
                answer_build(&a, &db, p, PROTO_MASK_ALL);
                assert_int_equal(a.n_uses, 0);
        }
}

static void test_corrections(void **state)
{
        const struct portdb_correction *k;

        (void)state;
        answer_build(&a, &db, 445, PROTO_BIT(PROTO_TCP));
        for (size_t i = 0; i < a.n_claims; i++) {
                if (strcmp(claim_name(i), "Blaster worm") != 0) {
                        assert_null(a.claims[i].correction);
                        continue;
                }
                k = a.claims[i].correction;
                assert_non_null(k);
                assert_string_equal(str(k->text),
                                    "Blaster used 135/tcp, 69/udp and 4444/tcp, not 445");
                assert_true(a.claims[i].correction_num > a.claims[i].nums[0]);
                assert_string_equal(a.notes.src[a.claims[i].correction_num - 1].name,
                                    "Correction source");
                assert_string_equal(a.notes.src[a.claims[i].correction_num - 1].url,
                                    "https://example.org/correction");
        }
        /* The claim is on TCP only: UDP has neither the claim nor its correction. */
        answer_build(&a, &db, 445, PROTO_BIT(PROTO_UDP));
        assert_int_equal(a.n_claims, 0);
}

static void test_akas(void **state)
{
        (void)state;
        answer_build(&a, &db, 3389, PROTO_MASK_ALL);
        assert_int_equal(a.n_akas, 1);
        assert_string_equal(str(a.akas[0].alias->name), "RDP");
        assert_string_equal(str(a.akas[0].alias->meaning), "Remote Desktop Protocol");
        assert_int_equal(a.akas[0].protos, PROTO_MASK_TCP_UDP);
        assert_string_equal(str(a.akas[0].entry->service), "ms-wbt-server");
        assert_int_equal(a.akas[0].num, 1);
        assert_string_equal(a.notes.src[0].url, "https://example.org/rdp");
        answer_build(&a, &db, 3389, PROTO_BIT(PROTO_UDP));
        assert_int_equal(a.akas[0].protos, PROTO_BIT(PROTO_UDP));
        answer_build(&a, &db, 4444, PROTO_MASK_ALL);
        assert_int_equal(a.n_akas, 0);
}

/* The unofficial item of @o named @name. */
static json_t *item(json_t *o, const char *name)
{
        json_t *un = json_object_get(o, "unofficial"), *u;
        size_t i;

        json_array_foreach(un, i, u) if (strcmp(json_string_value(json_object_get(u, "name")),
                                                name) == 0) return u;
        fail_msg("no unofficial item \"%s\"", name);
        return NULL;
}

static void test_json_fields(void **state)
{
        json_t *o, *u, *aka, *c;

        (void)state;
        answer_build(&a, &db, 445, PROTO_BIT(PROTO_TCP));
        o = render_json_answer(&a);
        assert_non_null(o);
        aka = json_array_get(json_object_get(o, "also_known_as"), 0);
        assert_string_equal(json_string_value(json_object_get(aka, "name")), "SMB");
        assert_string_equal(json_string_value(json_object_get(aka, "meaning")),
                            "Server Message Block");
        assert_string_equal(json_string_value(json_object_get(aka, "service")), "microsoft-ds");
        assert_string_equal(json_string_value(json_object_get(aka, "protocol")), "tcp");
        assert_string_equal(json_string_value(json_object_get(aka, "source")), "vendor page");
        assert_string_equal(json_string_value(json_object_get(aka, "source_url")),
                            "https://example.org/smb");

        u = item(o, "WannaCry");
        assert_string_equal(json_string_value(json_object_get(u, "era")), "modern");
        assert_string_equal(json_string_value(json_object_get(u, "attack_id")), "S0366");
        assert_string_equal(json_string_value(json_object_get(u, "attack_url")),
                            "https://attack.mitre.org/software/S0366/");
        assert_string_equal(json_string_value(json_object_get(u, "source_url")),
                            "https://example.org/attack/wannacry");
        assert_true(json_is_null(json_object_get(u, "port_range")));
        assert_true(json_is_null(json_object_get(u, "correction")));

        u = item(o, "Sasser");
        assert_string_equal(json_string_value(json_object_get(u, "era")), "historical");
        assert_true(json_is_null(json_object_get(u, "attack_id")));

        c = json_object_get(item(o, "Blaster worm"), "correction");
        assert_true(json_is_object(c));
        assert_string_equal(json_string_value(json_object_get(c, "source_url")),
                            "https://example.org/correction");
        assert_string_equal(json_string_value(json_object_get(c, "source")), "src-correction");
        json_decref(o);

        answer_build(&a, &db, 135, PROTO_MASK_ALL);
        o = render_json_answer(&a);
        u = item(o, "Windows RPC and NetBIOS firewall rule");
        assert_int_equal(json_integer_value(json_array_get(json_object_get(u, "port_range"), 0)),
                         135);
        assert_int_equal(json_integer_value(json_array_get(json_object_get(u, "port_range"), 1)),
                         139);
        assert_true(json_is_null(json_object_get(u, "era")));
        assert_int_equal(json_array_size(json_object_get(o, "also_known_as")), 0);
        json_decref(o);
}

/* Opens a copy of the table with @patch applied to it, the checksum fixed up. */
static int open_patched(void (*patch)(uint8_t *b))
{
        uint8_t *copy = aligned_alloc(8, (blob_len + 7) & ~(size_t)7);
        struct portdb_header *h = (void *)copy;
        struct portdb d;
        int r;

        assert_non_null(copy);
        memcpy(copy, blob, blob_len);
        patch(copy);
        h->checksum = portdb_checksum(copy + sizeof(*h), blob_len - sizeof(*h));
        r = portdb_open(&d, copy, blob_len, true);
        free(copy);
        return r;
}

static struct portdb_header *hdr(uint8_t *b)
{
        return (void *)b;
}

static void p_nothing(uint8_t *b)
{
        (void)b;
}
static void p_aliases_off(uint8_t *b)
{
        hdr(b)->off_aliases = hdr(b)->size - 4;
}
static void p_aliases_count(uint8_t *b)
{
        hdr(b)->n_aliases = 1u << 20;
}
static void p_by_iana_off(uint8_t *b)
{
        hdr(b)->off_alias_by_iana = hdr(b)->size;
}
static void p_corrections_off(uint8_t *b)
{
        hdr(b)->off_corrections = hdr(b)->size - 8;
}
static void p_alias_iana(uint8_t *b)
{
        ((struct portdb_alias *)(b + hdr(b)->off_aliases))[0].iana = (uint16_t)hdr(b)->n_iana;
}
static void p_alias_name(uint8_t *b)
{
        ((struct portdb_alias *)(b + hdr(b)->off_aliases))[1].meaning = hdr(b)->strings_size;
}
static void p_by_iana_index(uint8_t *b)
{
        ((uint16_t *)(b + hdr(b)->off_alias_by_iana))[0] = (uint16_t)hdr(b)->n_aliases;
}
static void p_correction_text(uint8_t *b)
{
        ((struct portdb_correction *)(b + hdr(b)->off_corrections))[0].text =
            hdr(b)->strings_size + 5;
}
static void p_port_hi(uint8_t *b)
{
        struct portdb_unofficial *u = (void *)(b + hdr(b)->off_unofficial);

        u[0].port_hi = (uint16_t)(u[0].port - 1);
}
static void p_era(uint8_t *b)
{
        ((struct portdb_unofficial *)(b + hdr(b)->off_unofficial))[0].era = UO_ERA_COUNT;
}
static void p_ref(uint8_t *b)
{
        ((struct portdb_unofficial *)(b + hdr(b)->off_unofficial))[3].ref_url =
            hdr(b)->strings_size;
}
static void p_search_table(uint8_t *b)
{
        struct portdb_search_line *l = (void *)(b + hdr(b)->off_search_map);

        l[hdr(b)->n_search_map - 1].table = 3;
}
static void p_search_alias(uint8_t *b)
{
        struct portdb_search_line *l = (void *)(b + hdr(b)->off_search_map);

        l[hdr(b)->n_search_map - 1].index = (uint16_t)hdr(b)->n_aliases;
}
static void p_version(uint8_t *b)
{
        hdr(b)->version = 2;
}

static void test_verify_rejects(void **state)
{
        void (*const bad[])(uint8_t *) = {
            p_aliases_off, p_aliases_count, p_by_iana_off,     p_corrections_off, p_alias_iana,
            p_alias_name,  p_by_iana_index, p_correction_text, p_port_hi,         p_era,
            p_ref,         p_search_table,  p_search_alias,    p_version,
        };

        (void)state;
        assert_int_equal(open_patched(p_nothing), 0);
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (open_patched(bad[i]) != -EINVAL)
                        fail_msg("patch %zu: the verifier accepted it", i);
}

/* `update`: a new registry without ms-wbt-server on UDP keeps every name but that one. */
static void test_keep_aliases(void **state)
{
        static const char reg_csv[] =
            "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
            "Registration Date,Modification Date,Reference,Service Code,"
            "Unauthorized Use Reported,Assignment Notes\n"
            "domain,53,tcp,Domain Name Server,,,,,,,,\n"
            "domain,53,udp,Domain Name Server,,,,,,,,\n"
            "bootps,67,udp,Bootstrap Protocol Server,,,,,,,,\n"
            "bootpc,68,udp,Bootstrap Protocol Client,,,,,,,,\n"
            "ntp,123,udp,Network Time Protocol,,,,,,,,\n"
            "microsoft-ds,445,tcp,Microsoft-DS,,,,,,,,\n"
            "ms-wbt-server,3389,tcp,MS WBT Server,,,,,,,,\n";
        struct registry reg;
        struct reg_error err = {0};
        struct portdb next;
        struct resolve_port v[4];
        struct resolve_why why;
        void *nb;
        size_t nlen, dropped = 99, n = 0;

        (void)state;
        registry_init(&reg);
        assert_int_equal(registry_read_csv(&reg, reg_csv, sizeof(reg_csv) - 1, &err), 0);
        assert_int_equal(registry_keep_table(&reg, &db, &dropped), 0);
        assert_int_equal(dropped, 1);
        assert_int_equal(reg.n_aliases, db.hdr->n_aliases - 1);
        assert_int_equal(reg.n_uo, db.hdr->n_unofficial);
        assert_int_equal(reg.n_corrections, db.hdr->n_corrections);
        assert_int_equal(registry_build_blob(&reg, &nb, &nlen, &err), 0);
        registry_done(&reg);
        assert_int_equal(portdb_open(&next, nb, nlen, true), 0);
        assert_int_equal(resolve_arg(&next, "rdp", PROTO_MASK_ALL, v, &n, 4, &why), 0);
        assert_int_equal(v[0].port, 3389);
        assert_int_equal(v[0].protos, PROTO_BIT(PROTO_TCP));
        assert_int_equal(next.hdr->n_corrections, 1);
        assert_int_equal(next.unofficial[1].port_hi, 139);
        free(nb);
}

/* The 13-column reader refuses bad values with their line; the 9-column form still reads. */
static void test_reader_values(void **state)
{
        static const char head[] = "port\tproto\tkind\tname\tfirst_seen_year\tnote\tsource\t"
                                   "source_url\tsource_label\tport_hi\tref_id\tref_url\tera\n";
        static const struct {
                const char *row, *msg;
        } bad[] = {
            {"135\ttcp\tother\tX\t\t\ts\t\t\t134\t\t\t\n", "port_hi \"134\""},
            {"135\ttcp\tother\tX\t\t\ts\t\t\t135\t\t\t\n", "port_hi \"135\""}, /* no range */
            {"135\ttcp\tother\tX\t\t\ts\t\t\t70000\t\t\t\n", "port_hi \"70000\""},
            {"1\ttcp\tmalware\tX\t\t\ts\t\t\t\t\t\tancient\n", "era \"ancient\""},
            {"1\ttcp\tmalware\tX\t\t\ts\t\t\t\t\t\t\n", "without an era"},
            {"1\ttcp\tsoftware\tX\t\t\ts\t\t\t\t\t\tmodern\n", "an era on a software row"},
            {"1\ttcp\tmalware\tX\t\t\ts\t\t\t\tS 1\t\tmodern\n", "ref_id"},
            {"1\ttcp\tmalware\tX\t\t\ts\t\t\t\t\thttps://a.example/\tmodern\n", "ref_id"},
            {"1\ttcp\tmalware\tX\t\t\ts\t\t\t\tS1\tjavascript:x\tmodern\n", "ref_url"},
        };
        static const char old[] = "port\tproto\tkind\tname\tfirst_seen_year\tnote\tsource\t"
                                  "source_url\tsource_label\n1\ttcp\tmalware\tX\t\t\ts\t\t\n";
        char buf[512];

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct registry reg;
                struct reg_error err = {0};
                int len = snprintf(buf, sizeof(buf), "%s1\ttcp\tother\tok\t\t\ts\t\t\t\t\t\t\n%s",
                                   head, bad[i].row);

                registry_init(&reg);
                assert_int_equal(unofficial_read_tsv(&reg, buf, (size_t)len, &err), -EINVAL);
                if (err.line != 3 || !strstr(err.msg, bad[i].msg))
                        fail_msg("row %zu: line %lu \"%s\", want line 3 \"%s\"", i, err.line,
                                 err.msg, bad[i].msg);
                registry_done(&reg);
        }
        {
                struct registry reg;
                struct reg_error err = {0};

                registry_init(&reg);
                assert_int_equal(unofficial_read_tsv(&reg, old, sizeof(old) - 1, &err), 0);
                assert_int_equal(reg.n_uo, 1);
                assert_int_equal(reg.uo[0].era, UO_ERA_NONE);
                assert_int_equal(reg.uo[0].port_hi, 1);
                registry_done(&reg);
        }
}

/* The names' and corrections' readers refuse bad rows with their line. */
static void test_alias_reader(void **state)
{
        static const char ahead[] =
            "alias\tservice\tport\tproto\tmeaning\tsource\tsource_url\tsource_label\n";
        static const struct {
                const char *row, *msg;
        } bad[] = {
            {"R D P\tms-wbt-server\t3389\ttcp\tRemote\ts\thttps://e.example/\tE\n", "alias"},
            {"RDP\tms-wbt-server\t3389\tquic\tRemote\ts\thttps://e.example/\tE\n", "\"quic\""},
            {"RDP\tms-wbt-server\t3389\ttcp\t\ts\thttps://e.example/\tE\n", "meaning"},
            {"RDP\tms-wbt-server\t3389\ttcp\tRemote\ts\t\tE\n", "source_url"},
            {"RDP\t\t3389\ttcp\tRemote\ts\thttps://e.example/\tE\n", "service"},
            {"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\tx\t1\ttcp\tM\ts\thttps://e.example/\tE\n",
             "alias"},
        };
        char buf[512];

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct registry reg;
                struct reg_error err = {0};
                int len = snprintf(buf, sizeof(buf), "%s%s", ahead, bad[i].row);

                registry_init(&reg);
                assert_int_equal(aliases_read_tsv(&reg, buf, (size_t)len, &err), -EINVAL);
                if (err.line != 2 || !strstr(err.msg, bad[i].msg))
                        fail_msg("row %zu: line %lu \"%s\", want line 2 \"%s\"", i, err.line,
                                 err.msg, bad[i].msg);
                registry_done(&reg);
        }
}

/* A name meaning no IANA entry, or a correction of no claim, fails the build. */
static void test_build_checks(void **state)
{
        static const char alias_bad[] =
            "alias\tservice\tport\tproto\tmeaning\tsource\tsource_url\tsource_label\n"
            "RDP\tms-wbt-server\t3390\ttcp\tRemote\ts\thttps://e.example/\tE\n";
        static const char corr_bad[] = "port\tproto\tname\tcorrection\tsource\tsource_url\t"
                                       "source_label\n445\tudp\tBlaster worm\tNo\ts\t\t\n";
        const char *const files[] = {alias_bad, corr_bad};
        reader_fn readers[] = {aliases_read_tsv, corrections_read_tsv};

        (void)state;
        for (size_t i = 0; i < 2; i++) {
                struct registry reg;
                struct reg_error err = {0};
                void *b = NULL;
                size_t len;

                registry_init(&reg);
                read_fixture(&reg, "registry.csv", registry_read_any);
                read_fixture(&reg, "unofficial.tsv", unofficial_read_tsv);
                assert_int_equal(readers[i](&reg, files[i], strlen(files[i]), &err), 0);
                assert_int_equal(registry_build_blob(&reg, &b, &len, &err), -EINVAL);
                assert_non_null(strstr(err.msg, i == 0 ? "no entry ms-wbt-server on 3390/tcp"
                                                       : "no such claim"));
                registry_done(&reg);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_alias_resolution), cmocka_unit_test(test_search_ranking),
            cmocka_unit_test(test_threat_eras),      cmocka_unit_test(test_range_once),
            cmocka_unit_test(test_corrections),      cmocka_unit_test(test_akas),
            cmocka_unit_test(test_json_fields),      cmocka_unit_test(test_verify_rejects),
            cmocka_unit_test(test_keep_aliases),     cmocka_unit_test(test_reader_values),
            cmocka_unit_test(test_alias_reader),     cmocka_unit_test(test_build_checks),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}

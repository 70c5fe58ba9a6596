/* test_answer: the one value every face formats, built from the table embedded in portinfo.
 *
 * Checks tier, status, entries, the grouping of unofficial uses, the numbering of their sources,
 * the verdicts and the check commands.  The facts (ssh on 22, the Wikipedia and OpenVAS listings
 * on 2710, 4242, 8 and 15) are the vendored registry's and unofficial list's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "answer.h"
#include "portdb_embedded.h"
#include "registry_blob.h"
#include "registry_xml.h"
#include "unofficial_tsv.h"

#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must name tests/fixtures"
#endif

static struct portdb db;
static struct answer a; /* about 20 KiB: kept off the stack */

static int setup(void **state)
{
        (void)state;
        portdb_open_embedded(&db);
        return 0;
}

static void test_tier_and_status(void **state)
{
        (void)state;
        answer_build(&a, &db, 0, PROTO_MASK_ALL);
        assert_int_equal(a.tier, TIER_WELL_KNOWN);
        assert_int_equal(a.status, PORT_RESERVED);
        answer_build(&a, &db, 1024, PROTO_MASK_ALL);
        assert_int_equal(a.tier, TIER_REGISTERED);
        answer_build(&a, &db, 49152, PROTO_MASK_ALL);
        assert_int_equal(a.tier, TIER_DYNAMIC);
        assert_int_equal(a.status, PORT_UNASSIGNED);
        assert_int_equal(a.n_entries, 0);
        answer_build(&a, &db, 22, PROTO_BIT(PROTO_TCP));
        assert_int_equal(a.status, PORT_ASSIGNED);
        assert_int_equal(a.port, 22);
        assert_int_equal(a.protos, PROTO_BIT(PROTO_TCP));
        answer_build(&a, &db, 4, PROTO_MASK_ALL);
        assert_int_equal(a.status, PORT_UNASSIGNED);
}

static void test_entries(void **state)
{
        (void)state;
        /* ssh: one entry per protocol (TCP, UDP, SCTP); TCP and UDP say the same thing. */
        answer_build(&a, &db, 22, PROTO_MASK_ALL);
        assert_int_equal(a.n_entries, 3);
        assert_int_equal(a.n_rows, 2);
        assert_int_equal(a.rows[0].protos, PROTO_MASK_TCP_UDP);
        assert_int_equal(a.rows[1].protos, PROTO_BIT(PROTO_SCTP));
        assert_int_equal(a.n_services, 1);
        assert_string_equal(a.services[0], "ssh");
        assert_non_null(a.service_entry);
        assert_string_equal(portdb_str(&db, a.service_entry->service), "ssh");
        assert_ptr_equal(a.first_assigned, a.entries[0]);
        assert_null(a.range);

        /* One protocol: only its entry. */
        answer_build(&a, &db, 22, PROTO_BIT(PROTO_UDP));
        assert_int_equal(a.n_entries, 1);
        assert_int_equal(a.entries[0]->proto, PROTO_UDP);
        assert_int_equal(a.assigned_protos, PROTO_BIT(PROTO_UDP));

        /* 4242 lies in the range entry 4200-4299, which names no protocol. */
        answer_build(&a, &db, 4242, PROTO_MASK_ALL);
        assert_non_null(a.range);
        assert_int_equal(a.range->lo, 4200);
        assert_int_equal(a.range->hi, 4299);
        assert_int_equal(a.assigned_protos, 0);
        assert_int_equal(a.n_rows, 1);
        assert_int_equal(a.rows[0].protos, 0);
}

static void test_groups(void **state)
{
        (void)state;
        answer_build(&a, &db, 4242, PROTO_MASK_ALL);
        assert_int_equal(a.counts[UO_SOFTWARE], 5);
        assert_int_equal(a.counts[UO_MALWARE], 2);
        assert_int_equal(a.counts[UO_OTHER], 0);
        assert_int_equal(a.n_uses, 7);
        /* Claims come kind by kind in the order the faces show them: software, other, malware. */
        assert_int_equal(answer_kind_order[0], UO_SOFTWARE);
        assert_int_equal(answer_kind_order[1], UO_OTHER);
        assert_int_equal(answer_kind_order[2], UO_MALWARE);
        assert_int_equal(a.claims[0].kind, UO_SOFTWARE);
        assert_int_equal(a.claims[a.n_claims - 1].kind, UO_MALWARE);
        for (size_t i = 1; i < a.n_claims; i++)
                assert_true(a.claims[i - 1].kind == a.claims[i].kind ||
                            a.claims[i].kind == UO_MALWARE);

        /* 2710: "XBT Tracker" from 2021 (TCP+UDP; the 2013 copy's repeat of it is dropped at
         * import), and two other listings from 2013. */
        answer_build(&a, &db, 2710, PROTO_MASK_ALL);
        assert_int_equal(a.n_uses, 3);
        assert_int_equal(a.n_claims, 3);
        assert_int_equal(a.claim_counts[UO_SOFTWARE], 3);
        assert_string_equal(portdb_str(&db, a.claims[0].first->name), "XBT Tracker");
        assert_int_equal(a.claims[0].protos, PROTO_MASK_TCP_UDP);
        assert_int_equal(a.claims[0].n_nums, 1);
        assert_int_equal(a.claims[0].nums[0], 1);
        assert_string_equal(portdb_str(&db, a.claims[1].first->name), "Knuddels.de");
        assert_int_equal(a.claims[1].n_nums, 1);
        assert_int_equal(a.claims[1].nums[0], 2);

        /* Only the protocols asked: UDP drops Knuddels.de and the TCP-only XBT listing. */
        answer_build(&a, &db, 2710, PROTO_BIT(PROTO_UDP));
        assert_int_equal(a.n_uses, 2);
        assert_false(answer_has_use(&a, &a.uses[1]));
        assert_true(answer_has_use(&a, &a.uses[0]));
}

static void test_footnotes(void **state)
{
        (void)state;
        /* 2710: one 2021 listing, then two from 2013: two sources, in order of first use. */
        answer_build(&a, &db, 2710, PROTO_MASK_ALL);
        assert_int_equal(a.notes.n, 2);
        assert_string_equal(answer_source_name(&db, a.notes.first[0]),
                            "Wikipedia: List of TCP and UDP port numbers (2021)");
        assert_string_equal(answer_source_name(&db, a.notes.first[1]),
                            "Wikipedia: List of TCP and UDP port numbers (2013)");
        assert_int_equal(answer_note_number(&a, &a.notes, &a.uses[0]), 1);
        /* The same source twice (and thrice): one number. */
        assert_int_equal(answer_note_number(&a, &a.notes, &a.uses[1]), 2);
        assert_int_equal(answer_note_number(&a, &a.notes, &a.uses[2]), 2);

        /* 4242: software from three sources, then malware from a fourth, numbered in that
         * order although the table lists the malware first. */
        answer_build(&a, &db, 4242, PROTO_MASK_ALL);
        assert_int_equal(a.notes.n, 4);
        assert_int_equal(a.notes.first[0]->kind, UO_SOFTWARE);
        assert_int_equal(a.notes.first[1]->kind, UO_SOFTWARE);
        assert_int_equal(a.notes.first[2]->kind, UO_SOFTWARE);
        assert_int_equal(a.notes.first[3]->kind, UO_MALWARE);
        for (size_t i = 0; i < a.n_uses_all; i++) {
                size_t n = answer_note_number(&a, &a.notes, &a.uses[i]);

                assert_in_range(n, 1, 4);
                for (size_t j = 0; j < a.n_uses_all; j++)
                        if (a.uses[j].source == a.uses[i].source)
                                assert_int_equal(answer_note_number(&a, &a.notes, &a.uses[j]), n);
        }

        /* No uses, no sources. */
        answer_build(&a, &db, 4, PROTO_MASK_ALL);
        assert_int_equal(a.notes.n, 0);
        assert_int_equal(a.notes.n, 0);
        assert_int_equal(a.n_claims, 0);
}

static void test_verdicts(void **state)
{
        (void)state;
        /* ssh is assigned for TCP, UDP and SCTP, and old malware lists name 22. */
        answer_build(&a, &db, 22, PROTO_MASK_ALL);
        assert_int_equal(a.verdict, ANSWER_VERDICT_BOTH_TRUE);
        assert_int_equal(a.assigned_protos,
                         PROTO_BIT(PROTO_TCP) | PROTO_BIT(PROTO_UDP) | PROTO_BIT(PROTO_SCTP));
        assert_false(answer_malware_only(&a));
        /* Asked for SCTP only: assigned, and no malware listing is for SCTP. */
        answer_build(&a, &db, 22, PROTO_BIT(PROTO_SCTP));
        assert_int_equal(a.verdict, ANSWER_VERDICT_NONE);

        /* 4242 is assigned only through a range entry for no protocol in particular: still
         * both true, with no protocol to cite. */
        answer_build(&a, &db, 4242, PROTO_MASK_ALL);
        assert_int_equal(a.verdict, ANSWER_VERDICT_BOTH_TRUE);
        assert_int_equal(a.assigned_protos, 0);

        /* 8: unassigned, and only a malware list names it. */
        answer_build(&a, &db, 8, PROTO_MASK_ALL);
        assert_int_equal(a.verdict, ANSWER_VERDICT_MALWARE_ONLY);
        assert_true(answer_malware_only(&a));
        /* 15: unassigned, named by malware lists and by software: the verdict stands, but
         * malware is not the only thing the sources name there. */
        answer_build(&a, &db, 15, PROTO_MASK_ALL);
        assert_int_equal(a.verdict, ANSWER_VERDICT_MALWARE_ONLY);
        assert_false(answer_malware_only(&a));

        /* 4: nothing at all. */
        answer_build(&a, &db, 4, PROTO_MASK_ALL);
        assert_int_equal(a.verdict, ANSWER_VERDICT_NONE);
        assert_false(answer_malware_only(&a));
}

static void test_check_commands(void **state)
{
        (void)state;
        answer_build(&a, &db, 22, PROTO_MASK_ALL);
        assert_false(a.check.port_zero);
        assert_string_equal(a.check.ss, "ss -tulpn 'sport = :22'");
        assert_string_equal(a.check.ss_root, "sudo ss -tulpn 'sport = :22'");
        assert_string_equal(a.check.lsof, "sudo lsof -nP -i :22");
        assert_string_equal(a.check.netstat, "netstat -ano | findstr :22");
        assert_string_equal(a.check.tasklist, "tasklist /FI \"PID eq <PID>\"");

        answer_build(&a, &db, 443, PROTO_BIT(PROTO_TCP));
        assert_string_equal(a.check.ss, "ss -tlpn 'sport = :443'");
        answer_build(&a, &db, 53, PROTO_BIT(PROTO_UDP));
        assert_string_equal(a.check.ss, "ss -ulpn 'sport = :53'");
        answer_build(&a, &db, 53, PROTO_MASK_TCP_UDP);
        assert_string_equal(a.check.ss, "ss -tulpn 'sport = :53'");
        answer_build(&a, &db, 9, PROTO_BIT(PROTO_SCTP));
        assert_string_equal(a.check.ss_flags, "-tulpn");
        answer_build(&a, &db, 65535, PROTO_MASK_ALL);
        assert_string_equal(a.check.netstat, "netstat -ano | findstr :65535");

        /* Port 0: nothing listens there; the commands list one program's sockets. */
        answer_build(&a, &db, 0, PROTO_MASK_ALL);
        assert_true(a.check.port_zero);
        assert_string_equal(a.check.ss_all, "ss -tulpn");
        assert_string_equal(a.check.lsof_pid, "lsof -nP -i -a -p PID");
}

static void test_has_entries(void **state)
{
        (void)state;
        assert_true(answer_port_has_entries(&db, 22));
        assert_true(answer_port_has_entries(&db, 8)); /* a malware listing alone */
        assert_false(answer_port_has_entries(&db, 4));
        assert_false(answer_port_has_entries(&db, 60002));
}

/* A table built from valid.xml and the unofficial uses @tsv; the caller frees *ret_blob. */
static void small_table(struct portdb *ret_db, void **ret_blob, const char *tsv)
{
        struct registry reg;
        struct reg_error err = {0};
        size_t len;
        char *xml = unit_fixture("registry", "valid.xml", &len);

        registry_init(&reg);
        assert_int_equal(registry_read_xml(&reg, xml, len, &err), 0);
        if (unofficial_read_tsv(&reg, tsv, strlen(tsv), &err) < 0)
                fail_msg("unofficial uses: %s", err.msg);
        assert_int_equal(registry_build_blob(&reg, ret_blob, &len, &err), 0);
        registry_done(&reg);
        free(xml);
        assert_int_equal(portdb_open(ret_db, *ret_blob, len, true), 0);
}

/* One claim merged from three listings (the name's case differs in one) carries the earliest
 * year any of them gives, wherever that listing stands; the answer spans all three years.  The
 * vendored list has no claim whose listings disagree on the year, so a small table does. */
static void test_claim_year_is_earliest(void **state)
{
        static const char tsv[] =
            "port\tproto\tkind\tname\tfirst_seen_year\tnote\tsource\tsource_url\tsource_label\n"
            "1776\ttcp\tsoftware\tExample tool\t2015\t\tList A\t\t\n"
            "1776\ttcp\tsoftware\tExample tool\t2009\t\tList B\t\t\n"
            "1776\ttcp\tsoftware\texample TOOL\t2012\t\tList C\t\t\n";
        struct portdb small;
        void *blob = NULL;

        (void)state;
        small_table(&small, &blob, tsv);
        answer_build(&a, &small, 1776, PROTO_MASK_ALL);
        assert_int_equal(a.n_uses, 3);
        assert_int_equal(a.n_claims, 1);
        assert_int_equal(a.claims[0].year, 2009);
        assert_int_equal(a.claims[0].n_nums, 3);
        assert_int_equal(a.year_min, 2009);
        assert_int_equal(a.year_max, 2015);
        free(blob);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_tier_and_status), cmocka_unit_test(test_entries),
            cmocka_unit_test(test_groups),          cmocka_unit_test(test_footnotes),
            cmocka_unit_test(test_verdicts),        cmocka_unit_test(test_check_commands),
            cmocka_unit_test(test_has_entries),     cmocka_unit_test(test_claim_year_is_earliest),
        };

        return cmocka_run_group_tests(tests, setup, NULL);
}

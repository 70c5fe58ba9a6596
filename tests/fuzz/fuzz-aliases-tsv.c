/* fuzz-aliases-tsv: the everyday names (aliases_read_tsv) and the corrections
 * (corrections_read_tsv) as read from untrusted text, and whatever they accept through
 * registry_build_blob, the verifier and every lookup.
 *
 * The first byte chooses the reader (even: names, odd: corrections); the rest is the file.  The
 * rows are added to a small registry with unofficial uses, so that names and corrections can
 * bind to something.  A reader must refuse bad input with a message; the build must either
 * refuse (a name meaning no entry, a correction of no claim) with a message, or give a blob
 * that verifies.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aliases_tsv.h"
#include "corrections_tsv.h"
#include "fuzz.h"

static const char template_csv[] =
    "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
    "Registration Date,Modification Date,Reference,Service Code,"
    "Unauthorized Use Reported,Assignment Notes\n"
    "domain,53,tcp,Domain Name Server,,,,,,,,\n"
    "domain,53,udp,Domain Name Server,,,,,,,,\n"
    "microsoft-ds,445,tcp,Microsoft-DS,,,,,,,,\n"
    "ms-wbt-server,3389,tcp,MS WBT Server,,,,,,,,\n"
    "ms-wbt-server,3389,udp,MS WBT Server,,,,,,,,\n"
    "x11,6000-6063,tcp,X Window System,,,,,,,,\n"
    "rdp,,,Reliable Data Protocol,,,,,,,,\n";

static const char template_tsv[] =
    "port\tproto\tkind\tname\tfirst_seen_year\tnote\tsource\tsource_url\tsource_label\t"
    "port_hi\tref_id\tref_url\tera\n"
    "445\tboth\tmalware\tBlaster worm\t\t\tsrc-a\thttps://example.org/a\tA\t\t\t\thistorical\n"
    "445\ttcp\tmalware\tWannaCry\t2017\t\tsrc-b\t\tB\t\tS0366\t"
    "https://attack.mitre.org/software/S0366/\tmodern\n"
    "135\ttcp\tother\tRPC rule\t\t\tsrc-c\t\t\t139\t\t\t\n";

static void read_template(struct registry *reg)
{
        struct reg_error err = {0};

        if (registry_read_csv(reg, template_csv, sizeof(template_csv) - 1, &err) < 0 ||
            unofficial_read_tsv(reg, template_tsv, sizeof(template_tsv) - 1, &err) < 0) {
                fprintf(stderr, "fuzz-aliases-tsv: template: %s\n", err.msg);
                abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct registry reg;
        struct reg_error err = {0};
        struct portdb db;
        void *blob = NULL;
        size_t len;
        int r;

        if (size == 0)
                return 0;
        registry_init(&reg);
        read_template(&reg);
        if (data[0] % 2 == 0)
                r = aliases_read_tsv(&reg, (const char *)data + 1, size - 1, &err);
        else
                r = corrections_read_tsv(&reg, (const char *)data + 1, size - 1, &err);
        if (r < 0) {
                FUZZ_CHECK(r == -EINVAL || r == -E2BIG || r == -ENOMEM);
                FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL && err.msg[0] != '\0');
                registry_done(&reg);
                return 0;
        }
        for (size_t i = 0; i < reg.n_aliases; i++)
                FUZZ_CHECK(reg.aliases[i].name && reg.aliases[i].service &&
                           reg.aliases[i].meaning && reg.aliases[i].source);
        for (size_t i = 0; i < reg.n_corrections; i++)
                FUZZ_CHECK(reg.corrections[i].name && reg.corrections[i].text &&
                           reg.corrections[i].source);
        err.msg[0] = '\0';
        r = registry_build_blob(&reg, &blob, &len, &err);
        if (r == 0) {
                FUZZ_CHECK(portdb_open(&db, blob, len, true) == 0);
                FUZZ_CHECK(db.hdr->n_corrections == reg.n_corrections);
                fuzz_exercise_db(&db);
                free(blob);
        } else {
                FUZZ_CHECK(r == -EINVAL || r == -E2BIG || r == -ENOMEM);
                FUZZ_CHECK(err.msg[0] != '\0');
        }
        registry_done(&reg);
        return 0;
}

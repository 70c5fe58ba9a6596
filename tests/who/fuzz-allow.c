/* fuzz-allow: the audit allowlist parser on any text, then a match against what it kept.
 * Seeds: tests/fixtures/who/allow-*.
 */
#include <stdint.h>
#include <stdlib.h>

#include "allow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const rules[] = {"exe-deleted", "exe-temp-dir", "malware-port",
                                            "no-owner", NULL};
        static const char *const exes[] = {"/usr/sbin/sshd", "/tmp/x"};
        struct allowlist a = {0};
        struct allow_error err;

        if (allow_parse(&a, (const char *)data, size, "fuzz", rules, &err) >= 0) {
                allow_match(&a, 22, PROTO_TCP, exes, 2, "no-owner");
                allow_match(&a, 5353, PROTO_UDP, NULL, 0, "malware-port");
        }
        allow_done(&a);
        return 0;
}

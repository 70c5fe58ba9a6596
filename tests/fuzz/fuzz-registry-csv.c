/* fuzz-registry-csv: IANA's CSV registry as read by registry_read_csv (libcsv), and whatever it
 * accepts through registry_build_blob, the verifier and every lookup.
 *
 * The reader must refuse bad input with a message, never crash, leak or read out of bounds;
 * registry_read_any must give the same answer for input of this format.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct registry reg;
        struct reg_error err = {0};
        int r;

        registry_init(&reg);
        r = registry_read_csv(&reg, (const char *)data, size, &err);
        if (r == 0) {
                FUZZ_CHECK(reg.n_recs > 0);
                FUZZ_CHECK(strcmp(reg.format, "csv") == 0);
                fuzz_check_registry(&reg);
        } else {
                FUZZ_CHECK(r == -EINVAL || r == -E2BIG || r == -ENOMEM);
                FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL && err.msg[0] != '\0');
        }
        fuzz_check_read_any(data, size, false, r, reg.n_recs);
        registry_done(&reg);
        return 0;
}

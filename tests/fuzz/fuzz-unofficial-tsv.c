/* fuzz-unofficial-tsv: the unofficial-uses list as read by unofficial_read_tsv, and whatever it
 * accepts through registry_build_blob, the verifier and every lookup.
 *
 * The reader must refuse bad input with a message, never crash, leak or read out of bounds.
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
        r = unofficial_read_tsv(&reg, (const char *)data, size, &err);
        if (r == 0) {
                for (size_t i = 0; i < reg.n_uo; i++)
                        FUZZ_CHECK(reg.uo[i].name && reg.uo[i].source);
                fuzz_check_registry(&reg);
        } else {
                FUZZ_CHECK(r == -EINVAL || r == -E2BIG || r == -ENOMEM);
                FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL && err.msg[0] != '\0');
        }
        registry_done(&reg);
        return 0;
}

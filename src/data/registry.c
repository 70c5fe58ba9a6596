/* registry: chooses the reader for an IANA registry file by its first bytes.
 *
 * It parses nothing itself.
 */
#include "registry.h"

#include <ctype.h>
#include <string.h>

#include "registry_csv.h"
#include "registry_xml.h"

int registry_read_any(struct registry *reg, const char *buf, size_t len, struct reg_error *err)
{
        size_t i = 0;

        if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
                i = 3;
        while (i < len && isspace((unsigned char)buf[i]))
                i++;
        if (i < len && buf[i] == '<')
                return registry_read_xml(reg, buf, len, err);
        return registry_read_csv(reg, buf, len, err);
}

/* registry: reads an IANA registry file in whichever form it comes (XML or CSV), choosing the
 * reader from the first bytes.
 *
 * The readers themselves are registry_xml.h and registry_csv.h; this is the only file that
 * knows both.
 */
#ifndef PORTINFO_REGISTRY_H
#define PORTINFO_REGISTRY_H

#include <stddef.h>

#include "registry_records.h"

/* Reads whichever IANA format @buf holds (XML if it starts with '<' after a byte-order mark and
 * blanks, else CSV) into @reg.  Returns what that reader returns (registry_xml.h). */
int registry_read_any(struct registry *reg, const char *buf, size_t len, struct reg_error *err);

#endif

/* annotate_xml: the ports of an nmap -oX document (`portinfo annotate`), read with libxml2. */
#ifndef PORTINFO_ANNOTATE_XML_H
#define PORTINFO_ANNOTATE_XML_H

#include <stddef.h>

#include "annotate_parse.h"

/* nmap -oX: calls @fn(@ctx, rec) for each <port> of each <host> of the document @text (@len
 * bytes), parsed with libxml2 without network or entities.  Returns 0, -EINVAL for text that is
 * not an nmap XML document, -ENOMEM. */
int annotate_nmap_xml(const char *text, size_t len,
                      void (*fn)(void *ctx, const struct annotate_rec *r), void *ctx);

#endif

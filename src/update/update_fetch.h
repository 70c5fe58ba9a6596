/* update_fetch: `portinfo update --fetch [URL]`, the download before update_cmd's import. */
#ifndef PORTINFO_UPDATE_FETCH_H
#define PORTINFO_UPDATE_FETCH_H

#include "update_cmd.h"

/* Downloads @url (conditional on DIR/registry.fetch) and imports it as update_cmd_import does,
 * then keeps the download's validators in DIR/registry.fetch.  Returns an exit status: EXIT_OK
 * (installed, unchanged, or a dry run) or EXIT_TROUBLE (said why; nothing changed). */
int update_cmd_fetch(const char *dir, const char *url, const struct update_opts *o);

#endif

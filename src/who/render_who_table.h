/* render_who_table: `who` and `audit` as tsv or csv (render_table.h), one record a line.
 *
 * Made from the JSON face (render_who_json.c), so a table says nothing the JSON does not.
 */
#ifndef PORTINFO_RENDER_WHO_TABLE_H
#define PORTINFO_RENDER_WHO_TABLE_H

#include <jansson.h>

#include "render_table.h"

/* who: a header, then a record per socket of @sockets (render_who_json's array): protocol
 * family state local_address local_port remote_address remote_port user pids processes
 * service netns.  Borrows @sockets. */
void render_who_table(const struct table *t, const json_t *sockets);

/* audit: a header, then a record per finding of @audit (render_audit_json's object):
 * severity rule protocol local_address local_port user pids processes exe message.
 * Borrows @audit. */
void render_audit_table(const struct table *t, const json_t *audit);

#endif

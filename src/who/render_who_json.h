/* render_who_json: the JSON face of `who` and `audit` (jansson escapes every string).
 */
#ifndef PORTINFO_RENDER_WHO_JSON_H
#define PORTINFO_RENDER_WHO_JSON_H

#include <jansson.h>

#include "audit.h"
#include "inspect.h"
#include "portdb.h"

/* JSON: the contract's array of sockets (a new reference; NULL on ENOMEM). */
json_t *render_who_json(const struct portdb *db, const struct inspect_report *rep);

/* One socket object of that array. */
json_t *render_who_socket_json(const struct portdb *db, const struct inspect_report *rep,
                               const struct inspect_socket *s);

/* JSON: {"listeners": [...], "unreadable_processes": N, ...} (a new reference; NULL: ENOMEM). */
json_t *render_audit_json(const struct portdb *db, const struct inspect_report *rep,
                          const struct audit_report *a, enum severity min);

#endif

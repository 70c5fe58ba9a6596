/* update_cmd: the steps of `portinfo update` that FILE and --fetch share, each reporting its own
 * failure on stderr (the helper's top level: update_main.c and update_fetch.c use them).
 */
#ifndef PORTINFO_UPDATE_CMD_H
#define PORTINFO_UPDATE_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "registry_records.h"
#include "update_install.h"

/* The IANA registry in XML, where IANA publishes it (data/README.md). */
#define UPDATE_DEFAULT_URL                                                                         \
        "https://www.iana.org/assignments/service-names-port-numbers/"                             \
        "service-names-port-numbers.xml"
#define UPDATE_DEFAULT_TIMEOUT 60L

struct update_opts {
        bool force, dry_run, verbose;
        long timeout;     /* --fetch: seconds */
        size_t max_bytes; /* --fetch: the largest download accepted */
};

/* Says why the data directory @dir could not be locked (update_lock's @r). */
void update_cmd_lock_failed(const char *dir, int r);

/* Reads the registry in @buf (@len bytes, named @name in messages) into @reg.  Returns 0, or -1
 * after reporting. */
int update_cmd_parse(const char *name, struct registry *reg, const char *buf, size_t len);

/* Checks @reg against the table in use in @dir, builds the new table, prints what changed and,
 * unless a dry run or @lock is NULL, installs it under @lock (held by the caller).  Returns an
 * exit status: EXIT_OK (installed, or a dry run), EXIT_NOTHING (no entry changed) or
 * EXIT_TROUBLE (said why). */
int update_cmd_import(const char *dir, const char *name, struct registry *reg,
                      const struct update_lock *lock, const struct update_opts *o);

#endif

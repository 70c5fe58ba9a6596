/* update_cmd: the steps `portinfo update FILE` and `portinfo update --fetch` share: the registry
 * parsed, checked against the table in use, built into a new table, the changes reported and the
 * table installed.  Each step reports its own failure on stderr.
 *
 * Reading the file is update_main.c's, downloading update_fetch.c's.
 */
#include "update_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "diag.h"
#include "exitcodes.h"
#include "registry.h"
#include "registry_blob.h"
#include "update.h"

#define fail(...) diag("portinfo update", __VA_ARGS__)
/* Says why the data directory @dir could not be locked (update_lock's @r). */
void update_cmd_lock_failed(const char *dir, int r)
{
        if (r == -EBUSY)
                fail("another update of %s is running; nothing changed", dir);
        else if (r == -EPERM)
                fail("%s is writable by others, who could plant links or tables there; "
                     "refusing it (chmod go-w it, or make it sticky and yours); nothing changed",
                     dir);
        else if (r == -EINVAL)
                fail("%s/.lock is a symbolic link; refusing to follow it; nothing changed", dir);
        else
                fail("%s: %s; nothing changed", dir, strerror(-r));
}

int update_cmd_parse(const char *name, struct registry *reg, const char *buf, size_t len)
{
        struct reg_error err = {0};
        int r = registry_read_any(reg, buf, len, &err);

        if (r < 0) {
                if (err.line)
                        fail("%s:%lu: %s; nothing changed", name, err.line, err.msg);
                else
                        fail("%s: %s; nothing changed", name, err.msg[0] ? err.msg : strerror(-r));
                return -1;
        }
        return 0;
}

/* Builds the new table from @reg (keeping the unofficial uses of @cur) into *@ret_blob and
 * attaches @next to it.  Returns 0, or -1 after reporting. */
static int build_table(const char *file, struct registry *reg, const struct portdb *cur,
                       struct portdb *next, void **ret_blob, size_t *ret_len, size_t *ret_dropped)
{
        struct reg_error err = {0};
        int r = update_keep_unofficial(reg, cur, ret_dropped);

        if (r == 0)
                r = registry_build_blob(reg, ret_blob, ret_len, &err);
        if (r < 0) {
                fail("%s: %s; nothing changed", file, err.msg[0] ? err.msg : strerror(-r));
                return -1;
        }
        if (portdb_open(next, *ret_blob, *ret_len, true) < 0) {
                fail("%s: the built table fails verification; nothing changed", file);
                return -1;
        }
        return 0;
}

/* Writes the new table under @lock and says what happened.  Returns an exit status. */
static int install(const char *dir, const struct update_lock *lock, const void *blob, size_t len)
{
        int r = update_install(lock, blob, len);

        if (r < 0) {
                fail("%s: %s; the table in use is unchanged", dir, strerror(-r));
                return EXIT_TROUBLE;
        }
        if (r > 0)
                printf("Installed %s/%s (the previous table is kept as %s; undo with 'portinfo "
                       "update --rollback').\n",
                       dir, DATADIR_CURRENT, DATADIR_PREVIOUS);
        else
                printf("Installed %s/%s (the compiled-in table was in use; 'portinfo update "
                       "--rollback' returns to it).\n",
                       dir, DATADIR_CURRENT);
        return EXIT_OK;
}

/* Prints what changed from @cur to @next (and the names dropped, and a warning for an older
 * registry). */
static void report(const struct portdb *cur, const struct portdb *next,
                   const struct change_list *changes, size_t dropped, bool verbose)
{
        printf("Registry of %s (%s, %u records) -> %s (%s, %u records)\n",
               portdb_str(cur, cur->hdr->registry_updated),
               portdb_str(cur, cur->hdr->registry_format), cur->hdr->n_records,
               portdb_str(next, next->hdr->registry_updated),
               portdb_str(next, next->hdr->registry_format), next->hdr->n_records);
        update_print_changes(stdout, cur, next, changes, verbose ? 0 : 40);
        if (dropped > 0)
                printf("%zu everyday name%s dropped: %s IANA entr%s gone from this registry\n",
                       dropped, dropped == 1 ? "" : "s", dropped == 1 ? "its" : "their",
                       dropped == 1 ? "y is" : "ies are");
        if (strcmp(portdb_str(next, next->hdr->registry_updated),
                   portdb_str(cur, cur->hdr->registry_updated)) < 0)
                fprintf(stderr, "portinfo update: warning: this registry is older than the one "
                                "in use (accepted with --force)\n");
}

int update_cmd_import(const char *dir, const char *name, struct registry *reg,
                      const struct update_lock *lock, const struct update_opts *o)
{
        struct reg_error err = {0};
        struct portdb cur, next;
        struct change_list changes = {0};
        void *blob = NULL;
        size_t blob_len = 0, dropped = 0;
        int r, ret = EXIT_TROUBLE;

        r = lock ? datadir_open_at(&cur, lock->dirfd) : datadir_open(&cur, dir);
        if (r == -EINVAL)
                fprintf(stderr,
                        "portinfo update: warning: %s/%s is damaged; comparing with the "
                        "embedded table\n",
                        dir, DATADIR_CURRENT);
        r = update_validate(reg, &cur, o->force, &err);
        if (r < 0) {
                fail("%s: %s; nothing changed", name, err.msg[0] ? err.msg : strerror(-r));
                goto out;
        }
        if (build_table(name, reg, &cur, &next, &blob, &blob_len, &dropped) < 0)
                goto out;
        if (update_diff(&cur, &next, &changes) < 0) {
                fail("out of memory; nothing changed");
                goto out;
        }
        report(&cur, &next, &changes, dropped, o->verbose);
        if (changes.n == 0) {
                printf("Nothing changed; the table in use stays.\n");
                ret = EXIT_NOTHING;
        } else if (o->dry_run || !lock) {
                printf("Dry run: nothing written.\n");
                ret = EXIT_OK;
        } else {
                ret = install(dir, lock, blob, blob_len);
        }
out:
        update_changes_free(&changes);
        free(blob);
        return ret;
}

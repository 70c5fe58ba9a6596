/* portinfo-update: `portinfo update FILE` and `portinfo update --rollback`.
 *
 * A helper executable (libxml2 and libcsv stay off portinfo's own link line).  It validates the
 * whole file before touching the data directory and prints what changed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "datadir.h"
#include "diag.h"
#include "exitcodes.h"
#include "registry.h"
#include "registry_blob.h"
#include "update.h"
#include "update_install.h"

#define fail(...) diag("portinfo update", __VA_ARGS__)

static const char usage_text[] =
    "Usage: portinfo update [--force] [--dry-run] [--verbose] [--data-dir DIR] FILE\n"
    "       portinfo update --rollback [--data-dir DIR]\n"
    "\n"
    "Imports a newer IANA port registry (CSV or XML, as IANA publishes them) into the\n"
    "data directory, keeping the previous table for --rollback.  The file is checked\n"
    "whole before anything is written; the table in use changes in one rename.\n"
    "\n"
    "  --force      accept a registry outside the usual bounds: far fewer records\n"
    "               than the one in use, older than it, or beyond a bound on size\n"
    "  --dry-run    check the file and show the changes, write nothing\n"
    "  --verbose    list every changed entry (default: the first 40)\n"
    "  --rollback   go back to the previous table (the compiled-in one after a\n"
    "               first import)\n"
    "  --data-dir   the data directory (default: $PORTINFO_DATA_DIR, else the\n"
    "               built-in)\n"
    "\n"
    "Exit status: 0 installed, 1 nothing changed, 2 bad file or trouble.\n";

/* Says why the data directory @dir could not be locked (update_lock's @r). */
static void lock_failed(const char *dir, int r)
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

static int rollback(const char *dir)
{
        struct update_lock lock = {-1, -1};
        enum update_rollback_to to = ROLLBACK_TO_PREVIOUS;
        int r = update_lock(dir, false, &lock);

        if (r == -ENOENT) {
                fail("nothing imported in %s: the compiled-in table is in use already", dir);
                return EXIT_TROUBLE;
        } else if (r < 0) {
                lock_failed(dir, r);
                return EXIT_TROUBLE;
        }
        r = update_rollback(&lock, &to);
        update_unlock(&lock);
        if (r == -ENOENT)
                fail("nothing imported in %s: the compiled-in table is in use already", dir);
        else if (r == -EINVAL)
                fail("the previous table in %s is damaged; nothing changed", dir);
        else if (r < 0)
                fail("%s: %s; nothing changed", dir, strerror(-r));
        else if (to == ROLLBACK_TO_EMBEDDED)
                printf("Rolled back: %s/%s is removed and the compiled-in table is in use again "
                       "(the imported one is kept as %s; --rollback again goes forward).\n",
                       dir, DATADIR_CURRENT, DATADIR_PREVIOUS);
        else if (to == ROLLBACK_FORWARD)
                printf("Rolled forward: %s/%s, set aside by the last rollback, is in use again "
                       "(the compiled-in table is the previous one).\n",
                       dir, DATADIR_CURRENT);
        else
                printf("Rolled back: %s/%s is the previous table again (the newer one is kept as "
                       "%s).\n",
                       dir, DATADIR_CURRENT, DATADIR_PREVIOUS);
        return r < 0 ? EXIT_TROUBLE : EXIT_OK;
}

/* Reads registry file @file into @reg (its bytes in *@ret_buf, freed by the caller).  Returns 0,
 * or -1 after reporting. */
static int read_registry(const char *file, struct registry *reg, char **ret_buf)
{
        struct reg_error err = {0};
        size_t len = 0;
        int r;

        r = datadir_read_file(file, REGISTRY_MAX_BYTES, ret_buf, &len);
        if (r == -E2BIG) {
                fail("%s: larger than %u MiB, not a registry file; nothing changed", file,
                     REGISTRY_MAX_BYTES >> 20);
                return -1;
        } else if (r == -EINVAL) {
                fail("%s: not a regular file; nothing changed", file);
                return -1;
        } else if (r < 0) {
                fail("%s: %s; nothing changed", file, strerror(-r));
                return -1;
        }
        if (len == 0) {
                fail("%s: empty file; nothing changed", file);
                return -1;
        }
        r = registry_read_any(reg, *ret_buf, len, &err);
        if (r < 0) {
                if (err.line)
                        fail("%s:%lu: %s; nothing changed", file, err.line, err.msg);
                else
                        fail("%s: %s; nothing changed", file, err.msg[0] ? err.msg : strerror(-r));
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

/* Imports @file into @dir.  The file is read and parsed first; then the lock is taken, before
 * the table in use is read, and held until the new one is renamed into place (a dry run writes
 * nothing and takes none). */
static int import(const char *dir, const char *file, bool force, bool dry_run, bool verbose)
{
        struct registry reg;
        struct reg_error err = {0};
        struct update_lock lock = {-1, -1};
        struct portdb cur, next;
        struct change_list changes = {0};
        char *buf = NULL;
        void *blob = NULL;
        size_t blob_len = 0, dropped = 0;
        int r, ret = EXIT_TROUBLE;

        registry_init(&reg);
        /* A file that is no registry at all is refused before anything is written. */
        if (read_registry(file, &reg, &buf) < 0)
                goto out;
        if (!dry_run) {
                r = update_lock(dir, true, &lock);
                if (r < 0) {
                        lock_failed(dir, r);
                        goto out;
                }
                r = datadir_open_at(&cur, lock.dirfd);
        } else {
                r = datadir_open(&cur, dir);
        }
        if (r == -EINVAL)
                fprintf(stderr,
                        "portinfo update: warning: %s/%s is damaged; comparing with the "
                        "embedded table\n",
                        dir, DATADIR_CURRENT);
        r = update_validate(&reg, &cur, force, &err);
        if (r < 0) {
                fail("%s: %s; nothing changed", file, err.msg[0] ? err.msg : strerror(-r));
                goto out;
        }
        if (build_table(file, &reg, &cur, &next, &blob, &blob_len, &dropped) < 0)
                goto out;
        if (update_diff(&cur, &next, &changes) < 0) {
                fail("out of memory; nothing changed");
                goto out;
        }
        printf("Registry of %s (%s, %u records) -> %s (%s, %u records)\n",
               portdb_str(&cur, cur.hdr->registry_updated),
               portdb_str(&cur, cur.hdr->registry_format), cur.hdr->n_records,
               portdb_str(&next, next.hdr->registry_updated),
               portdb_str(&next, next.hdr->registry_format), next.hdr->n_records);
        update_print_changes(stdout, &cur, &next, &changes, verbose ? 0 : 40);
        if (dropped > 0)
                printf("%zu everyday name%s dropped: %s IANA entr%s gone from this registry\n",
                       dropped, dropped == 1 ? "" : "s", dropped == 1 ? "its" : "their",
                       dropped == 1 ? "y is" : "ies are");
        if (strcmp(portdb_str(&next, next.hdr->registry_updated),
                   portdb_str(&cur, cur.hdr->registry_updated)) < 0)
                fprintf(stderr, "portinfo update: warning: this registry is older than the one "
                                "in use (accepted with --force)\n");
        if (changes.n == 0) {
                printf("Nothing changed; the table in use stays.\n");
                ret = EXIT_NOTHING;
        } else if (dry_run) {
                printf("Dry run: nothing written.\n");
                ret = EXIT_OK;
        } else {
                ret = install(dir, &lock, blob, blob_len);
        }
out:
        update_unlock(&lock);
        update_changes_free(&changes);
        registry_done(&reg);
        free(blob);
        free(buf);
        return ret;
}

enum { OPT_FORCE = 256, OPT_ROLLBACK, OPT_DATA_DIR };

/* What the command line asked for. */
struct update_args {
        const char *dir, *file;
        bool force, dry_run, verbose, rollback;
};

static const struct option update_longs[] = {
    {"help", no_argument, NULL, 'h'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"dry-run", no_argument, NULL, 'n'},
    {"verbose", no_argument, NULL, 'v'},
    {"rollback", no_argument, NULL, OPT_ROLLBACK},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {NULL, 0, NULL, 0},
};

/* Reads the command line in order.  Returns 0, 1 when --help was answered, or -1 after
 * reporting. */
static int read_cmdline(int argc, char **argv, struct update_args *u)
{
        struct args a;
        int k;

        args_init(&a, argc, argv, "hnv", update_longs, 0);
        while ((k = args_next(&a)) != ARGS_END) {
                switch (k) {
                case 'h':
                        fputs(usage_text, stdout);
                        return 1;
                case OPT_FORCE:
                        u->force = true;
                        break;
                case 'n':
                        u->dry_run = true;
                        break;
                case 'v':
                        u->verbose = true;
                        break;
                case OPT_ROLLBACK:
                        u->rollback = true;
                        break;
                case OPT_DATA_DIR:
                        u->dir = a.arg;
                        break;
                case ARGS_OPERAND:
                        if (u->file) {
                                fail("give one FILE");
                                return -1;
                        }
                        u->file = a.arg;
                        break;
                default: /* unknown, "--", or --data-dir last */
                        fail("unknown option \"%s\"; try 'portinfo update --help'", argv[a.at]);
                        return -1;
                }
        }
        return 0;
}

int main(int argc, char **argv)
{
        struct update_args u = {0};
        int r = read_cmdline(argc, argv, &u);

        if (r != 0)
                return r > 0 ? EXIT_OK : EXIT_TROUBLE;
        if (u.rollback) {
                if (u.file) {
                        fail("--rollback takes no FILE");
                        return EXIT_TROUBLE;
                }
                return rollback(datadir_path(u.dir));
        }
        if (!u.file) {
                fail("no FILE given; try 'portinfo update --help'");
                return EXIT_TROUBLE;
        }
        return import(datadir_path(u.dir), u.file, u.force, u.dry_run, u.verbose);
}

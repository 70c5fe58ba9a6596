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

#include "datadir.h"
#include "registry.h"
#include "registry_blob.h"
#include "diag.h"
#include "update.h"

#define fail(...) diag("portinfo update", __VA_ARGS__)

enum { EXIT_DONE = 0, EXIT_NOTHING = 1, EXIT_TROUBLE = 2 };

static const char usage_text[] =
    "Usage: portinfo update [--force] [--dry-run] [--verbose] [--data-dir DIR] FILE\n"
    "       portinfo update --rollback [--data-dir DIR]\n"
    "\n"
    "Imports a newer IANA port registry (CSV or XML, as IANA publishes them) into the\n"
    "data directory, keeping the previous table for --rollback.  The file is checked\n"
    "whole before anything is written; the table in use changes in one rename.\n"
    "\n"
    "  --force      accept a registry with far fewer records than the one in use\n"
    "  --dry-run    check the file and show the changes, write nothing\n"
    "  --verbose    list every changed entry (default: the first 40)\n"
    "  --rollback   go back to the previous table\n"
    "  --data-dir   the data directory (default: $PORTINFO_DATA_DIR, else the built-in)\n"
    "\n"
    "Exit status: 0 installed, 1 nothing changed, 2 bad file or trouble.\n";

static int rollback(const char *dir)
{
        int r = update_rollback(dir);

        if (r == -ENOENT)
                fail("no previous table in %s to go back to", dir);
        else if (r == -EINVAL)
                fail("the previous table in %s is damaged; nothing changed", dir);
        else if (r == -EBUSY)
                fail("another update of %s is running; nothing changed", dir);
        else if (r < 0)
                fail("%s: %s; nothing changed", dir, strerror(-r));
        else
                printf("Rolled back: %s/%s is the previous table again (the newer one is kept as "
                       "%s).\n",
                       dir, DATADIR_CURRENT, DATADIR_PREVIOUS);
        return r < 0 ? EXIT_TROUBLE : EXIT_DONE;
}

static int import(const char *dir, const char *file, bool force, bool dry_run, bool verbose)
{
        struct registry reg;
        struct reg_error err = {0};
        struct portdb cur, next;
        struct change_list changes = {0};
        char *buf = NULL;
        void *blob = NULL;
        size_t len = 0, blob_len = 0;
        int r, ret = EXIT_TROUBLE;

        registry_init(&reg);
        r = datadir_open(&cur, dir);
        if (r == -EINVAL)
                fprintf(stderr,
                        "portinfo update: warning: %s/%s is damaged; comparing with the "
                        "embedded table\n",
                        dir, DATADIR_CURRENT);
        r = datadir_read_file(file, REGISTRY_MAX_BYTES, &buf, &len);
        if (r == -E2BIG) {
                fail("%s: larger than %u MiB, not a registry file; nothing changed", file,
                     REGISTRY_MAX_BYTES >> 20);
                goto out;
        } else if (r == -EINVAL) {
                fail("%s: not a regular file; nothing changed", file);
                goto out;
        } else if (r < 0) {
                fail("%s: %s; nothing changed", file, strerror(-r));
                goto out;
        }
        if (len == 0) {
                fail("%s: empty file; nothing changed", file);
                goto out;
        }
        r = registry_read_any(&reg, buf, len, &err);
        if (r < 0) {
                if (err.line)
                        fail("%s:%lu: %s; nothing changed", file, err.line, err.msg);
                else
                        fail("%s: %s; nothing changed", file, err.msg[0] ? err.msg : strerror(-r));
                goto out;
        }
        r = update_validate(&reg, &cur, force, &err);
        if (r < 0) {
                fail("%s: %s; nothing changed", file, err.msg);
                goto out;
        }
        r = update_keep_unofficial(&reg, &cur);
        if (r == 0)
                r = registry_build_blob(&reg, &blob, &blob_len, &err);
        if (r < 0) {
                fail("%s: %s; nothing changed", file, err.msg[0] ? err.msg : strerror(-r));
                goto out;
        }
        if (portdb_open(&next, blob, blob_len, true) < 0) {
                fail("%s: the built table fails verification; nothing changed", file);
                goto out;
        }
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
        if (strcmp(portdb_str(&next, next.hdr->registry_updated),
                   portdb_str(&cur, cur.hdr->registry_updated)) < 0)
                fprintf(stderr, "portinfo update: warning: this registry is older than the one "
                                "in use\n");
        if (changes.n == 0) {
                printf("Nothing changed; the table in use stays.\n");
                ret = EXIT_NOTHING;
                goto out;
        }
        if (dry_run) {
                printf("Dry run: nothing written.\n");
                ret = EXIT_DONE;
                goto out;
        }
        r = update_install(dir, blob, blob_len);
        if (r == -EBUSY) {
                fail("another update of %s is running; nothing changed", dir);
                goto out;
        } else if (r < 0) {
                fail("%s: %s; the table in use is unchanged", dir, strerror(-r));
                goto out;
        }
        printf("Installed %s/%s (the previous table is kept as %s; undo with 'portinfo update "
               "--rollback').\n",
               dir, DATADIR_CURRENT, DATADIR_PREVIOUS);
        ret = EXIT_DONE;
out:
        update_changes_free(&changes);
        registry_done(&reg);
        free(blob);
        free(buf);
        return ret;
}

int main(int argc, char **argv)
{
        const char *dir_opt = NULL, *file = NULL;
        bool force = false, dry_run = false, verbose = false, do_rollback = false;

        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];

                if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                        fputs(usage_text, stdout);
                        return EXIT_DONE;
                } else if (strcmp(a, "--force") == 0) {
                        force = true;
                } else if (strcmp(a, "--dry-run") == 0 || strcmp(a, "-n") == 0) {
                        dry_run = true;
                } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
                        verbose = true;
                } else if (strcmp(a, "--rollback") == 0) {
                        do_rollback = true;
                } else if (strcmp(a, "--data-dir") == 0 && i + 1 < argc) {
                        dir_opt = argv[++i];
                } else if (strncmp(a, "--data-dir=", 11) == 0) {
                        dir_opt = a + 11;
                } else if (a[0] == '-' && a[1] != '\0') {
                        fail("unknown option \"%s\"; try 'portinfo update --help'", a);
                        return EXIT_TROUBLE;
                } else if (!file) {
                        file = a;
                } else {
                        fail("give one FILE");
                        return EXIT_TROUBLE;
                }
        }
        if (do_rollback) {
                if (file) {
                        fail("--rollback takes no FILE");
                        return EXIT_TROUBLE;
                }
                return rollback(datadir_path(dir_opt));
        }
        if (!file) {
                fail("no FILE given; try 'portinfo update --help'");
                return EXIT_TROUBLE;
        }
        return import(datadir_path(dir_opt), file, force, dry_run, verbose);
}

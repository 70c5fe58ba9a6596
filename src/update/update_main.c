/* portinfo-update: `portinfo update FILE`, `portinfo update --fetch [URL]` (update_fetch.c) and
 * `portinfo update --rollback`.
 *
 * A helper executable (libxml2, libcsv and libcurl stay off portinfo's own link line).  It
 * validates the whole file before touching the data directory and prints what changed.
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
#include "update_cmd.h"
#include "update_fetch.h"
#include "update_install.h"

#define fail(...) diag("portinfo update", __VA_ARGS__)

static const char usage_text[] =
    "Usage: portinfo update [--force] [--dry-run] [--verbose] [--data-dir DIR] FILE\n"
    "       portinfo update --fetch [--timeout SECONDS] [--max-size BYTES] [URL]\n"
    "       portinfo update --rollback [--data-dir DIR]\n"
    "\n"
    "Imports a newer IANA port registry (CSV or XML, as IANA publishes them) into the\n"
    "data directory, keeping the previous table for --rollback.  The file is checked\n"
    "whole before anything is written; the table in use changes in one rename.\n"
    "\n"
    "  --fetch      download the registry from URL (default: IANA's XML, over https)\n"
    "               and import it; a registry unchanged since the last --fetch costs\n"
    "               one small conditional request\n"
    "  --timeout    seconds the whole download may take (default 60)\n"
    "  --max-size   refuse a larger download: bytes, or with K or M (default 64M)\n"
    "  --force      accept a registry outside the usual bounds: far fewer records\n"
    "               than the one in use, older than it, or beyond a bound on size\n"
    "  --dry-run    check the file and show the changes, write nothing\n"
    "  --verbose    list every changed entry (default: the first 40)\n"
    "  --rollback   go back to the previous table (the compiled-in one after a\n"
    "               first import)\n"
    "  --data-dir   the data directory (default: $PORTINFO_DATA_DIR, else the\n"
    "               built-in)\n"
    "\n"
    "Exit status: 0 installed (with --fetch: or up to date), 1 nothing changed,\n"
    "2 bad file or trouble (nothing changed).\n";

static int rollback(const char *dir)
{
        struct update_lock lock = {-1, -1};
        enum update_rollback_to to = ROLLBACK_TO_PREVIOUS;
        int r = update_lock(dir, false, &lock);

        if (r == -ENOENT) {
                fail("nothing imported in %s: the compiled-in table is in use already", dir);
                return EXIT_TROUBLE;
        } else if (r < 0) {
                update_cmd_lock_failed(dir, r);
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
        return update_cmd_parse(file, reg, *ret_buf, len);
}

/* Imports @file into @dir.  The file is read and parsed first; then the lock is taken, before
 * the table in use is read, and held until the new one is renamed into place (a dry run writes
 * nothing and takes none). */
static int import(const char *dir, const char *file, const struct update_opts *o)
{
        struct registry reg;
        struct update_lock lock = {-1, -1};
        char *buf = NULL;
        int r, ret = EXIT_TROUBLE;

        registry_init(&reg);
        /* A file that is no registry at all is refused before anything is written. */
        if (read_registry(file, &reg, &buf) < 0)
                goto out;
        if (!o->dry_run) {
                r = update_lock(dir, true, &lock);
                if (r < 0) {
                        update_cmd_lock_failed(dir, r);
                        goto out;
                }
        }
        ret = update_cmd_import(dir, file, &reg, o->dry_run ? NULL : &lock, o);
out:
        update_unlock(&lock);
        registry_done(&reg);
        free(buf);
        return ret;
}

enum { OPT_FORCE = 256, OPT_ROLLBACK, OPT_DATA_DIR, OPT_FETCH, OPT_TIMEOUT, OPT_MAX_SIZE };

/* What the command line asked for. */
struct update_args {
        const char *dir, *file; /* with --fetch, file is the URL */
        bool rollback, fetch;
        struct update_opts o;
};

static const struct option update_longs[] = {
    {"help", no_argument, NULL, 'h'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"dry-run", no_argument, NULL, 'n'},
    {"verbose", no_argument, NULL, 'v'},
    {"rollback", no_argument, NULL, OPT_ROLLBACK},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"fetch", no_argument, NULL, OPT_FETCH},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE},
    {NULL, 0, NULL, 0},
};

/* Reads --timeout (seconds, 1-3600) or --max-size (bytes, with K or M, up to the largest
 * registry file read) from @v into @o.  Returns 0, or -1 after reporting. */
static int read_number(int opt, const char *v, struct update_opts *o)
{
        char *end = NULL;
        unsigned long long n;

        errno = 0;
        n = v[0] >= '0' && v[0] <= '9' ? strtoull(v, &end, 10) : 0;
        if (opt == OPT_TIMEOUT) {
                if (!end || *end || errno || n < 1 || n > 3600) {
                        fail("--timeout takes a number of seconds, 1-3600, not \"%s\"", v);
                        return -1;
                }
                o->timeout = (long)n;
                return 0;
        }
        if (end && (*end == 'K' || *end == 'k') && end[1] == '\0' && n <= REGISTRY_MAX_BYTES)
                n <<= 10, end++;
        else if (end && (*end == 'M' || *end == 'm') && end[1] == '\0' && n <= REGISTRY_MAX_BYTES)
                n <<= 20, end++;
        if (!end || *end || errno || n < 1 || n > REGISTRY_MAX_BYTES) {
                fail("--max-size takes bytes (or K, M), at most %uM, not \"%s\"",
                     REGISTRY_MAX_BYTES >> 20, v);
                return -1;
        }
        o->max_bytes = (size_t)n;
        return 0;
}

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
                        u->o.force = true;
                        break;
                case 'n':
                        u->o.dry_run = true;
                        break;
                case 'v':
                        u->o.verbose = true;
                        break;
                case OPT_FETCH:
                        u->fetch = true;
                        break;
                case OPT_TIMEOUT:
                case OPT_MAX_SIZE:
                        if (read_number(k, a.arg, &u->o) < 0)
                                return -1;
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
                case ARGS_MISSING:
                        fail("%s needs a value; try 'portinfo update --help'", argv[a.at]);
                        return -1;
                default: /* unknown, or "--" */
                        fail("unknown option \"%s\"; try 'portinfo update --help'", argv[a.at]);
                        return -1;
                }
        }
        return 0;
}

int main(int argc, char **argv)
{
        struct update_args u = {
            .o = {.timeout = UPDATE_DEFAULT_TIMEOUT, .max_bytes = REGISTRY_MAX_BYTES},
        };
        int r = read_cmdline(argc, argv, &u);

        if (r != 0)
                return r > 0 ? EXIT_OK : EXIT_TROUBLE;
        if (u.rollback) {
                if (u.file || u.fetch) {
                        fail(u.fetch ? "--rollback and --fetch exclude each other"
                                     : "--rollback takes no FILE");
                        return EXIT_TROUBLE;
                }
                return rollback(datadir_path(u.dir));
        }
        if (u.fetch)
                return update_cmd_fetch(datadir_path(u.dir), u.file ? u.file : UPDATE_DEFAULT_URL,
                                        &u.o);
        if (!u.file) {
                fail("no FILE given; try 'portinfo update --help'");
                return EXIT_TROUBLE;
        }
        return import(datadir_path(u.dir), u.file, &u.o);
}

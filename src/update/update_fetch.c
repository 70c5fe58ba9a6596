/* update_fetch: `portinfo update --fetch [URL]`: the registry downloaded (fetch.c), conditional on
 * what the last download got (fetch_state.c), then checked and installed exactly as
 * `update FILE` does (update_cmd_import).
 *
 * The data directory's lock is held from before the fetch state is read until the state is
 * rewritten, so two fetches never interleave.  On any failure nothing is written: not the table,
 * not the fetch state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "datadir.h"
#include "diag.h"
#include "exitcodes.h"
#include "fetch.h"
#include "fetch_state.h"
#include "registry.h"
#include "update_fetch.h"

#define fail(...) diag("portinfo update", __VA_ARGS__)

/* Keeps what the download @res of @url gave, for the next conditional request.  The table it
 * produced has registry date @registry.  A failure here only costs the next run a full
 * download, so it is a warning. */
static void save_state(const struct update_lock *lock, const char *dir, const char *url,
                       const struct fetch_result *res, const char *registry)
{
        struct fetch_state s = {0};
        char text[FETCH_STATE_MAX];
        time_t now = time(NULL);
        struct tm tm;
        int n, r;

        snprintf(s.url, sizeof(s.url), "%s", url);
        snprintf(s.etag, sizeof(s.etag), "%s", res->etag);
        snprintf(s.last_modified, sizeof(s.last_modified), "%s", res->last_modified);
        snprintf(s.registry, sizeof(s.registry), "%s", registry);
        if (gmtime_r(&now, &tm))
                strftime(s.fetched, sizeof(s.fetched), "%Y-%m-%dT%H:%M:%SZ", &tm);
        n = fetch_state_format(&s, text, sizeof(text));
        r = n < 0 ? n : update_write_file(lock, FETCH_STATE_NAME, text, (size_t)n);
        if (r < 0)
                fprintf(stderr,
                        "portinfo update: warning: %s/%s: %s; the next --fetch downloads the "
                        "whole registry again\n",
                        dir, FETCH_STATE_NAME, strerror(-r));
}

/* The validators to send: those of the last download, if it was of @url and gave the table in
 * use (a rollback since then makes them wrong).  Returns whether there are any. */
static bool last_fetch(int dirfd, const char *url, struct fetch_state *ret)
{
        struct portdb cur;

        if (dirfd < 0 || fetch_state_read(dirfd, ret) < 0)
                return false;
        datadir_open_at(&cur, dirfd); /* the embedded table when none is imported */
        return strcmp(ret->url, url) == 0 &&
               strcmp(ret->registry, portdb_str(&cur, cur.hdr->registry_updated)) == 0 &&
               (ret->etag[0] || ret->last_modified[0]);
}

/* Takes the lock of @dir into @lock if it exists (with @create, making it first).  Goes on
 * without a lock when it does not exist and !@create: nothing is written before there is a
 * registry to install.  Returns 0, or -1 after reporting. */
static int lock_dir(const char *dir, bool create, struct update_lock *lock)
{
        int r = update_lock(dir, create, lock);

        if (r == -ENOENT && !create)
                return 0;
        if (r < 0) {
                update_cmd_lock_failed(dir, r);
                return -1;
        }
        return 0;
}

/* Parses and installs the downloaded registry; on success keeps the validators.  Returns an
 * exit status. */
static int import_download(const char *dir, const char *url, const struct update_lock *lock,
                           const struct fetch_result *res, const struct update_opts *o)
{
        struct registry reg;
        int ret = EXIT_TROUBLE;

        registry_init(&reg);
        if (update_cmd_parse(url, &reg, res->body, res->len) == 0)
                ret = update_cmd_import(dir, url, &reg, lock->dirfd >= 0 ? lock : NULL, o);
        if (ret == EXIT_NOTHING) /* up to date: what the timer hopes for */
                ret = EXIT_OK;
        /* The state names the table in use afterwards: when nothing changed, the old one. */
        if (ret == EXIT_OK && !o->dry_run && lock->dirfd >= 0) {
                struct portdb now;

                datadir_open_at(&now, lock->dirfd);
                save_state(lock, dir, url, res, portdb_str(&now, now.hdr->registry_updated));
        }
        registry_done(&reg);
        return ret;
}

int update_cmd_fetch(const char *dir, const char *url, const struct update_opts *o)
{
        struct update_lock lock = {-1, -1};
        struct fetch_state last = {0};
        struct fetch_result res = {0};
        struct fetch_request req = {
            .url = url,
            .timeout = o->timeout,
            .max_bytes = o->max_bytes,
            .user_agent = "portinfo/" PORTINFO_VERSION,
        };
        char why[512];
        int r, ret = EXIT_TROUBLE;

        if (fetch_url_allowed(url, why, sizeof(why)) < 0) {
                fail("%s; nothing changed", why);
                return EXIT_TROUBLE;
        }
        if (lock_dir(dir, false, &lock) < 0)
                return EXIT_TROUBLE;
        if (last_fetch(lock.dirfd, url, &last)) {
                req.etag = last.etag;
                req.last_modified = last.last_modified;
        }
        r = fetch_registry(&req, &res);
        if (r == 1 && !req.etag && !req.last_modified) {
                fail("%s answered 304 Not Modified to a request that was not conditional; "
                     "nothing changed",
                     url);
        } else if (r == 1) {
                printf("Registry unchanged since %s (the server answered 304 Not Modified); the "
                       "table in use stays.\n",
                       last.last_modified[0] ? last.last_modified : last.fetched);
                ret = EXIT_OK;
        } else if (r < 0) {
                fail("%s; nothing changed", res.error);
        } else {
                printf("Downloaded %zu bytes from %s\n", res.len, url);
                if (lock.dirfd >= 0 || o->dry_run || lock_dir(dir, true, &lock) == 0)
                        ret = import_download(dir, url, &lock, &res, o);
        }
        fetch_result_done(&res);
        update_unlock(&lock);
        return ret;
}

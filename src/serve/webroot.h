/* webroot: the static folder (CSS, the feedback script, icons), read into memory at start.
 *
 * Only regular files with plain names ([A-Za-z0-9._-], no leading dot) are taken; a symbolic
 * link is followed only when it resolves inside the folder.  Lookups are by exact name, so no
 * request can reach a file that was not in the folder when the server started.
 */
#ifndef PORTINFO_WEBROOT_H
#define PORTINFO_WEBROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "encoded.h"
#include "assets.h"

#define WEBROOT_MAX_FILES       512
#define WEBROOT_MAX_FILE_BYTES  (2u << 20)
#define WEBROOT_MAX_TOTAL_BYTES (16u << 20)
#define WEBROOT_MAX_DEPTH       4
#define WEBROOT_MAX_NAME        256

/* A file, with its gzip and brotli forms made at load (COMPRESS_BEST) when they shrink it. */
struct webroot_file {
        char *name;       /* relative path, e.g. "css/site.css" */
        char *hashed;     /* its content-hashed name, e.g. "css/site.3f2a9c1b7e04.css" */
        struct encoded a; /* the bytes, in each encoding kept */
        const char *type; /* Content-Type */
        time_t mtime;     /* Last-Modified */
};

struct webroot {
        struct webroot_file *files; /* sorted by name */
        size_t n;
        struct webroot_file **by_hash; /* the same files, sorted by hashed name */
        struct asset_name *assets;     /* name -> "/static/<hashed>", for the pages */
        size_t skipped; /* entries left out: links out of the folder, odd names, over a cap */
};

/* Reads the folder @dir into a new webroot (free with webroot_free).  Returns 0, or -errno
 * when @dir itself cannot be opened (*ret_root untouched). */
int webroot_load(const char *dir, struct webroot **ret_root);

void webroot_free(struct webroot *root);

/* The file named @name (already checked by httputil_static_path), by its own name or its
 * hashed name, or NULL.  *ret_hashed says which (for how long it may be cached). */
const struct webroot_file *webroot_find(const struct webroot *root, const char *name,
                                        bool *ret_hashed);

/* The Content-Type for a file name, from its extension. */
const char *webroot_type(const char *name);

#endif

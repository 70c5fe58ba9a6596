/* webroot: the static folder (CSS, the feedback script, icons), read into memory at start.
 *
 * Only regular files with plain names ([A-Za-z0-9._-], no leading dot) are taken; a symbolic
 * link is followed only when it resolves inside the folder.  Lookups are by exact name, so no
 * request can reach a file that was not in the folder when the server started.
 */
#ifndef PORTINFO_WEBROOT_H
#define PORTINFO_WEBROOT_H

#include <stddef.h>

#define WEBROOT_MAX_FILES       512
#define WEBROOT_MAX_FILE_BYTES  (2u << 20)
#define WEBROOT_MAX_TOTAL_BYTES (16u << 20)
#define WEBROOT_MAX_DEPTH       4
#define WEBROOT_MAX_NAME        256

struct webroot_file {
        char *name; /* relative path, e.g. "css/site.css" */
        char *data;
        size_t len;
        const char *type; /* Content-Type */
        char etag[24];    /* quoted, e.g. "\"1a2b3c4d-1f0\"" */
};

struct webroot {
        struct webroot_file *files; /* sorted by name */
        size_t n;
        size_t skipped; /* entries left out: links out of the folder, odd names, over a cap */
};

/* Reads the folder @dir into a new webroot (free with webroot_free).  Returns 0, or -errno
 * when @dir itself cannot be opened (*ret_root untouched). */
int webroot_load(const char *dir, struct webroot **ret_root);

void webroot_free(struct webroot *root);

/* The file named @name (already checked by httputil_static_path), or NULL. */
const struct webroot_file *webroot_find(const struct webroot *root, const char *name);

/* The Content-Type for a file name, from its extension. */
const char *webroot_type(const char *name);

#endif

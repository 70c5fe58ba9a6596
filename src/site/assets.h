/* assets: the static files' content-hashed names.
 *
 * A page links "/static/style.3f2a9c1b7e04.css", never "/static/style.css": the name changes when
 * the bytes do, so a server and a static host can let browsers keep the file for a year.  The
 * server (from the folder it serves) and the export (from the files it writes) make the names
 * with assets_hashed_name and hand them to the pages in html_ctx.assets.
 */
#ifndef PORTINFO_ASSETS_H
#define PORTINFO_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

struct html_ctx;

/* 12 hex digits of a 64-bit FNV-1a of the bytes: "style.css" -> "style.<hash>.css". */
#define ASSETS_HASH_DIGITS 12

struct asset_name {
        const char *name; /* the file's own name, e.g. "style.css" */
        const char *url;  /* what pages link, e.g. "/static/style.3f2a9c1b7e04.css" */
};

/* Writes the hashed form of @name for @len bytes at @data into @out (the hash goes before the
 * last dot, or at the end of a name without one).  0, or -ENAMETOOLONG if @size is too small. */
int assets_hashed_name(const char *name, const void *data, size_t len, char *out, size_t size);

/* Whether @name (of @len bytes) has the shape of a hashed name: a dot and ASSETS_HASH_DIGITS
 * lowercase hex digits before the extension. */
bool assets_is_hashed(const char *name, size_t len);

/* The URL a page links for the static file @name: its hashed URL from @ctx->assets, else
 * "/static/@name" (the pages of a server without the file still render). */
const char *assets_url(const struct html_ctx *ctx, const char *name, char *tmp, size_t size);

#endif

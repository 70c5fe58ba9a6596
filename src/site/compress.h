/* compress: gzip (zlib) and brotli encodings of a whole answer, made once and kept.
 *
 * The server compresses each page when it enters the page cache and the export writes the
 * .gz and .br siblings of each file; neither compresses per request.
 */
#ifndef PORTINFO_COMPRESS_H
#define PORTINFO_COMPRESS_H

#include <stddef.h>

struct buf;

/* The levels: FAST for what is made while a visitor waits (a cache miss), BEST for what is made
 * ahead of time (the export, static files). */
enum compress_effort { COMPRESS_FAST, COMPRESS_BEST };

/* Appends the gzip member (RFC 1952) of @n bytes at @in to @out.  0, or -ENOMEM / -E2BIG (the
 * buffer's cap) / -EIO (the encoder failed); on error @out's length is as before. */
int compress_gzip(const void *in, size_t n, enum compress_effort effort, struct buf *out);
/* The same, as a brotli stream (RFC 7932). */
int compress_brotli(const void *in, size_t n, enum compress_effort effort, struct buf *out);

#endif

/* sha256: the SHA-256 digest (FIPS 180-4) of a byte string, for Content-Security-Policy hash
 * sources ('sha256-<base64>') of the inline data blocks a page carries. */
#ifndef PORTINFO_SHA256_H
#define PORTINFO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32
/* "sha256-" and the base64 of a digest, with its NUL. */
#define SHA256_CSP_SOURCE_SIZE (7 + 44 + 1)

void sha256(const void *data, size_t len, uint8_t out[SHA256_BYTES]);

/* "sha256-<base64 of the digest of @data>" into @out. */
void sha256_csp_source(const void *data, size_t len, char out[SHA256_CSP_SOURCE_SIZE]);

#endif

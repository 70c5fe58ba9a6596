/* encoded: one answer's bytes in every encoding the server keeps of it (identity, gzip,
 * brotli) and the hash its ETags are made from.
 *
 * Made once per answer, when it enters the page cache or when the static folder is read, never
 * per request.  An encoding that does not shrink the bytes is not kept (tiny answers).
 * A cached page's forms are left to the first request that wants each (encoded_form), still
 * made once: a page nobody asks compressed is never compressed.
 */
#ifndef PORTINFO_ENCODED_H
#define PORTINFO_ENCODED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compress.h"
#include "negotiate.h"

/* Below this many bytes an answer is sent as it is: a compressed form would save a few bytes
 * at best, and cost a header. */
#define ENCODED_MIN_COMPRESS 256

struct encoded_form {
        char *data; /* malloc'ed; NULL: this encoding is not kept */
        size_t len;
};

struct encoded {
        struct encoded_form form[ENC_COUNT]; /* form[ENC_IDENTITY] always set */
        enum compress_effort effort;
        unsigned pending; /* ENC_BIT of the forms not made yet: encoded_form makes them on
                           * first use */
        char tag[17];     /* 16 hex digits of a 64-bit hash of the identity bytes */
};

/* Fills @a (caller-owned) around @data (@len bytes, malloc'ed; taken, and freed by
 * encoded_done even on failure): the tag (of the bytes and @seed, which names what they were
 * made from, such as the table), and the gzip and brotli forms at @effort, now or, with @lazy,
 * on first use.  With @compress false only identity is kept.  Returns 0, or -ENOMEM (then @a
 * holds identity only, which is still sendable). */
int encoded_init(struct encoded *a, char *data, size_t len, uint64_t seed,
                 enum compress_effort effort, bool compress, bool lazy);

/* The encodings a request may be offered (ENC_BIT mask): those kept, and brotli while it is
 * still to be made. */
unsigned encoded_encodings(const struct encoded *a);

/* The form for @e, making it now if pending; NULL when @e is not kept (or did not shrink the
 * bytes).  Not thread-safe while a form is pending. */
const struct encoded_form *encoded_form(struct encoded *a, enum encoding e);

/* The room a quoted ETag takes, with its suffix and the NUL. */
#define ENCODED_ETAG_MAX 24

/* Writes the quoted ETag of @a's form @e ("\"<tag>\"", "\"<tag>-gz\"", "\"<tag>-br\"") into
 * @out (ENCODED_ETAG_MAX bytes). */
void encoded_etag(const struct encoded *a, enum encoding e, char *out, size_t cap);

/* Writes into @out the 16 hex digits of the hash answers are tagged with, for @len bytes at
 * @data made from @seed. */
void encoded_hash(const void *data, size_t len, uint64_t seed, char out[17]);

/* Frees every form. */
void encoded_done(struct encoded *a);

#endif

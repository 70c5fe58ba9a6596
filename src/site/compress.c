/* compress: gzip with zlib's deflate in a gzip wrapper, brotli with libbrotlienc's one-shot
 * encoder.  Both write in place into room made for the worst case, so that a failure adds
 * nothing to the buffer. */
#include "compress.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>

#include <brotli/encode.h>
#include <zlib.h>

#include "buf.h"

int compress_gzip(const void *in, size_t n, enum compress_effort effort, struct buf *out)
{
        z_stream z = {0};
        size_t bound;
        char *dst;
        int r;

        if (n > UINT_MAX)
                return -E2BIG;
        /* windowBits 15 + 16: a gzip header and trailer around the deflate stream. */
        if (deflateInit2(&z, effort == COMPRESS_BEST ? 9 : 6, Z_DEFLATED, 15 + 16, 9,
                         Z_DEFAULT_STRATEGY) != Z_OK)
                return -ENOMEM;
        /* deflateBound counts a zlib wrapper; the gzip one is 12 bytes longer at most. */
        bound = deflateBound(&z, (uLong)n) + 18;
        dst = buf_space(out, bound);
        if (!dst) {
                deflateEnd(&z);
                return buf_error(out);
        }
        z.next_in = (Bytef *)(uintptr_t)in;
        z.avail_in = (uInt)n;
        z.next_out = (Bytef *)dst;
        z.avail_out = (uInt)bound;
        r = deflate(&z, Z_FINISH);
        deflateEnd(&z);
        if (r != Z_STREAM_END)
                return -EIO;
        buf_commit(out, bound - z.avail_out);
        return 0;
}

int compress_brotli(const void *in, size_t n, enum compress_effort effort, struct buf *out)
{
        size_t bound = BrotliEncoderMaxCompressedSize(n), len = bound;
        int quality = effort == COMPRESS_BEST ? BROTLI_MAX_QUALITY : 5;
        char *dst;

        if (bound == 0)
                return -E2BIG;
        dst = buf_space(out, bound);
        if (!dst)
                return buf_error(out);
        if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, n,
                                   (const uint8_t *)in, &len, (uint8_t *)dst))
                return -EIO;
        buf_commit(out, len);
        return 0;
}

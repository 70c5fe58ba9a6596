/* encoded: the encodings of one answer, made with site/compress.c and kept beside it. */
#include "encoded.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void encoded_hash(const void *data, size_t len, uint64_t seed, char out[17])
{
        const unsigned char *p = data;
        uint64_t h = UINT64_C(0xcbf29ce484222325); /* FNV-1a, 64 bits, over the seed first */

        for (int i = 0; i < 8; i++) {
                h ^= (seed >> (8 * i)) & 0xff;
                h *= UINT64_C(0x100000001b3);
        }
        for (size_t i = 0; i < len; i++) {
                h ^= p[i];
                h *= UINT64_C(0x100000001b3);
        }
        snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Makes form @e of the identity bytes; kept only when smaller.  0 or -ENOMEM. */
static int make_form(struct encoded *a, enum encoding e)
{
        const struct encoded_form *id = &a->form[ENC_IDENTITY];
        struct buf b;
        size_t len;
        char *data;
        int r;

        /* Room for the encoders' worst case; a form that is not smaller is dropped below. */
        buf_init(&b, id->len + id->len / 2 + 1024);
        r = e == ENC_GZIP ? compress_gzip(id->data, id->len, a->effort, &b)
                          : compress_brotli(id->data, id->len, a->effort, &b);
        if (r < 0 || b.len >= id->len) {
                buf_done(&b);
                return r == -ENOMEM ? r : 0;
        }
        data = buf_take(&b, &len);
        buf_done(&b);
        if (!data)
                return -ENOMEM;
        a->form[e].data = data;
        a->form[e].len = len;
        return 0;
}

int encoded_init(struct encoded *a, char *data, size_t len, uint64_t seed,
                 enum compress_effort effort, bool compress, bool lazy)
{
        int r = 0;

        *a = (struct encoded){.effort = effort};
        a->form[ENC_IDENTITY].data = data;
        a->form[ENC_IDENTITY].len = len;
        encoded_hash(data, len, seed, a->tag);
        if (!compress || len < ENCODED_MIN_COMPRESS)
                return 0;
        if (lazy) {
                a->pending = ENC_BIT(ENC_GZIP) | ENC_BIT(ENC_BR);
                return 0;
        }
        r = make_form(a, ENC_GZIP);
        if (r == 0)
                r = make_form(a, ENC_BR);
        return r;
}

unsigned encoded_encodings(const struct encoded *a)
{
        unsigned m = ENC_BIT(ENC_IDENTITY);

        if (a->form[ENC_GZIP].data)
                m |= ENC_BIT(ENC_GZIP);
        if (a->form[ENC_BR].data)
                m |= ENC_BIT(ENC_BR);
        return m | a->pending;
}

const struct encoded_form *encoded_form(struct encoded *a, enum encoding e)
{
        if (a->pending & ENC_BIT(e)) {
                a->pending &= ~ENC_BIT(e);
                make_form(a, e); /* out of memory: sent in another encoding */
        }
        return a->form[e].data ? &a->form[e] : NULL;
}

void encoded_etag(const struct encoded *a, enum encoding e, char *out, size_t cap)
{
        snprintf(out, cap, "\"%s%s\"", a->tag, negotiate_etag_suffix(e));
}

void encoded_done(struct encoded *a)
{
        for (int e = 0; e < ENC_COUNT; e++)
                free(a->form[e].data);
        *a = (struct encoded){0};
}

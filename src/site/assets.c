/* assets: hashed names of the static files, and the lookup the pages use. */
#include "assets.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "html_ctx.h"

static uint64_t fnv1a64(const void *data, size_t len)
{
        const unsigned char *p = data;
        uint64_t h = UINT64_C(0xcbf29ce484222325);

        for (size_t i = 0; i < len; i++) {
                h ^= p[i];
                h *= UINT64_C(0x100000001b3);
        }
        return h;
}

int assets_hashed_name(const char *name, const void *data, size_t len, char *out, size_t size)
{
        const char *dot = strrchr(name, '.');
        size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
        uint64_t h = fnv1a64(data, len);
        int n;

        /* 48 bits of the hash: ASSETS_HASH_DIGITS hex digits. */
        n = snprintf(out, size, "%.*s.%012llx%s", (int)stem, name, (unsigned long long)(h >> 16),
                     name + stem);
        if (n < 0 || (size_t)n >= size)
                return -ENAMETOOLONG;
        return 0;
}

bool assets_is_hashed(const char *name, size_t len)
{
        const char *ext = memrchr(name, '.', len);
        size_t end = ext ? (size_t)(ext - name) : len;
        const char *dot;

        /* "stem.<hash>.ext" or "stem.<hash>": the hash is the part before the last dot, unless
         * the name has no extension. */
        for (int pass = 0; pass < 2; pass++) {
                dot = end > ASSETS_HASH_DIGITS ? name + end - ASSETS_HASH_DIGITS - 1 : NULL;
                if (dot && *dot == '.') {
                        bool hex = true;

                        for (size_t i = 1; i <= ASSETS_HASH_DIGITS; i++)
                                if (!((dot[i] >= '0' && dot[i] <= '9') ||
                                      (dot[i] >= 'a' && dot[i] <= 'f')))
                                        hex = false;
                        if (hex)
                                return true;
                }
                end = len;
        }
        return false;
}

const char *assets_url(const struct html_ctx *ctx, const char *name, char *tmp, size_t size)
{
        for (size_t i = 0; ctx && i < ctx->n_assets; i++)
                if (strcmp(ctx->assets[i].name, name) == 0)
                        return ctx->assets[i].url;
        snprintf(tmp, size, "/static/%s", name);
        return tmp;
}

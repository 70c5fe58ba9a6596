/* The static files' hashed names, and the gzip and brotli forms decoded back to their bytes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <brotli/decode.h>
#include <cmocka.h>
#include <zlib.h>

#include "assets.h"
#include "buf.h"
#include "compress.h"
#include "html_ctx.h"

static void test_hashed_name_shape(void **state)
{
        char a[64], b[64], c[64];

        (void)state;
        assert_int_equal(assets_hashed_name("style.css", "body{}", 6, a, sizeof(a)), 0);
        assert_int_equal(strlen(a), strlen("style..css") + ASSETS_HASH_DIGITS);
        assert_memory_equal(a, "style.", 6);
        assert_string_equal(a + 6 + ASSETS_HASH_DIGITS, ".css");
        assert_true(assets_is_hashed(a, strlen(a)));
        assert_false(assets_is_hashed("style.css", 9));
        /* The same bytes give the same name; one byte more, another. */
        assert_int_equal(assets_hashed_name("style.css", "body{}", 6, b, sizeof(b)), 0);
        assert_string_equal(a, b);
        assert_int_equal(assets_hashed_name("style.css", "body{} ", 7, c, sizeof(c)), 0);
        assert_string_not_equal(a, c);
        /* A name without an extension takes the hash at its end. */
        assert_int_equal(assets_hashed_name("LICENSE", "x", 1, c, sizeof(c)), 0);
        assert_int_equal(strlen(c), strlen("LICENSE.") + ASSETS_HASH_DIGITS);
        assert_true(assets_is_hashed(c, strlen(c)));
        assert_int_equal(assets_hashed_name("style.css", "x", 1, c, 10), -ENAMETOOLONG);
        assert_false(assets_is_hashed("style.0123456789aG.css", 22));
}

static void test_assets_url(void **state)
{
        static const struct asset_name names[] = {{"style.css", "/static/style.0123456789ab.css"}};
        struct html_ctx ctx = {.assets = names, .n_assets = 1};
        char tmp[64];

        (void)state;
        assert_string_equal(assets_url(&ctx, "style.css", tmp, sizeof(tmp)),
                            "/static/style.0123456789ab.css");
        assert_string_equal(assets_url(&ctx, "search.js", tmp, sizeof(tmp)), "/static/search.js");
        assert_string_equal(assets_url(NULL, "style.css", tmp, sizeof(tmp)), "/static/style.css");
}

/* A text that compresses, with every byte value once. */
static size_t sample(unsigned char *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                p[i] = i < 256 ? (unsigned char)i : (unsigned char)"<p>port 1776</p>\n"[i % 17];
        return n;
}

static void test_gzip_round_trip(void **state)
{
        static unsigned char in[100000], back[100000];
        size_t n = sample(in, sizeof(in));
        struct buf out;
        z_stream z = {0};

        (void)state;
        for (int e = COMPRESS_FAST; e <= COMPRESS_BEST; e++) {
                buf_init(&out, 1 << 20);
                buf_adds(&out, "kept");
                assert_int_equal(compress_gzip(in, n, e, &out), 0);
                assert_memory_equal(out.data, "kept", 4);
                assert_true(out.len - 4 < n / 4);
                /* The gzip magic, then inflate with gzip decoding only (windowBits 15 + 16). */
                assert_int_equal((unsigned char)out.data[4], 0x1f);
                assert_int_equal((unsigned char)out.data[5], 0x8b);
                assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
                z.next_in = (Bytef *)out.data + 4;
                z.avail_in = (uInt)(out.len - 4);
                z.next_out = back;
                z.avail_out = sizeof(back);
                assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
                assert_int_equal(z.total_out, n);
                assert_memory_equal(back, in, n);
                inflateEnd(&z);
                buf_done(&out);
        }
}

static void test_brotli_round_trip(void **state)
{
        static unsigned char in[100000], back[100000];
        size_t n = sample(in, sizeof(in)), got;
        struct buf out;

        (void)state;
        for (int e = COMPRESS_FAST; e <= COMPRESS_BEST; e++) {
                buf_init(&out, 1 << 20);
                assert_int_equal(compress_brotli(in, n, e, &out), 0);
                assert_true(out.len < n / 4);
                got = sizeof(back);
                assert_int_equal(
                    BrotliDecoderDecompress(out.len, (const uint8_t *)out.data, &got, back),
                    BROTLI_DECODER_RESULT_SUCCESS);
                assert_int_equal(got, n);
                assert_memory_equal(back, in, n);
                buf_done(&out);
        }
}

static void test_cap_leaves_buffer(void **state)
{
        static unsigned char in[4096];
        struct buf out;

        (void)state;
        sample(in, sizeof(in));
        buf_init(&out, 64);
        buf_adds(&out, "head");
        assert_int_equal(compress_gzip(in, sizeof(in), COMPRESS_FAST, &out), -E2BIG);
        assert_int_equal(out.len, 4);
        buf_done(&out);
        buf_init(&out, 64);
        assert_int_equal(compress_brotli(in, sizeof(in), COMPRESS_FAST, &out), -E2BIG);
        assert_int_equal(out.len, 0);
        buf_done(&out);
}

static void test_empty_input(void **state)
{
        unsigned char back[8];
        size_t got = sizeof(back);
        struct buf out;

        (void)state;
        buf_init(&out, 1024);
        assert_int_equal(compress_brotli("", 0, COMPRESS_BEST, &out), 0);
        assert_int_equal(BrotliDecoderDecompress(out.len, (const uint8_t *)out.data, &got, back),
                         BROTLI_DECODER_RESULT_SUCCESS);
        assert_int_equal(got, 0);
        buf_done(&out);
        buf_init(&out, 1024);
        assert_int_equal(compress_gzip("", 0, COMPRESS_BEST, &out), 0);
        assert_true(out.len >= 18);
        buf_done(&out);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_hashed_name_shape), cmocka_unit_test(test_assets_url),
            cmocka_unit_test(test_gzip_round_trip),   cmocka_unit_test(test_brotli_round_trip),
            cmocka_unit_test(test_cap_leaves_buffer), cmocka_unit_test(test_empty_input),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_negotiate: Accept-Encoding weights, If-None-Match lists and HTTP dates, in-process. */
#include <errno.h>
#include <setjmp.h>
#include <time.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "negotiate.h"

#define ALL (ENC_BIT(ENC_IDENTITY) | ENC_BIT(ENC_GZIP) | ENC_BIT(ENC_BR))

static void test_encoding(void **state)
{
        static const struct {
                const char *ae;
                unsigned avail;
                enum encoding want;
        } cases[] = {
            {NULL, ALL, ENC_IDENTITY},
            {"", ALL, ENC_IDENTITY},
            {"gzip", ALL, ENC_GZIP},
            {"br", ALL, ENC_BR},
            {"gzip, deflate, br", ALL, ENC_BR},
            {"gzip, br", ENC_BIT(ENC_GZIP), ENC_GZIP}, /* brotli not kept */
            {"br", ENC_BIT(ENC_GZIP), ENC_IDENTITY},   /* nothing else asked for */
            {"gzip;q=0, br;q=0", ALL, ENC_IDENTITY},
            {"br;q=0.5, gzip", ALL, ENC_GZIP},
            {"gzip;q=0.8, br;q=0.9", ALL, ENC_BR},
            {"*", ALL, ENC_BR},
            {"br;q=0, *", ALL, ENC_GZIP},
            {"*;q=0", ALL, ENC_IDENTITY},
            {"identity", ALL, ENC_IDENTITY},
            {"identity;q=1, gzip;q=0.5", ALL, ENC_IDENTITY},
            {"identity;q=0.5, gzip;q=0.5", ALL, ENC_GZIP}, /* a tie goes to the coding */
            {"x-gzip", ALL, ENC_GZIP},
            {"GZIP;Q=1", ALL, ENC_GZIP},
            {"gzip;q=1.5", ALL, ENC_IDENTITY},    /* malformed: ignored */
            {"gzip;q=0.1234", ALL, ENC_IDENTITY}, /* four decimals */
            {"gzip;q=", ALL, ENC_IDENTITY},
            {"br;q=0.000", ALL, ENC_IDENTITY},
            {"br;q=0.001", ALL, ENC_BR},
            {" gzip ; q=0.3 , identity;q=0.2", ALL, ENC_GZIP},
            {"gzip, gzip;q=0", ALL, ENC_GZIP}, /* named twice: the higher weight */
            {",,gzip,,", ALL, ENC_GZIP},
            {"brotli, gzipx", ALL, ENC_IDENTITY},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                enum encoding got = negotiate_encoding(cases[i].ae, cases[i].avail);

                if (got != cases[i].want)
                        fail_msg("Accept-Encoding \"%s\": %d, want %d",
                                 cases[i].ae ? cases[i].ae : "(none)", got, cases[i].want);
        }
}

static void test_etag_match(void **state)
{
        const char *tag = "\"0123456789abcdef-gz\"";

        assert_true(negotiate_etag_match(tag, tag));
        assert_true(negotiate_etag_match("W/\"0123456789abcdef-gz\"", tag));
        assert_true(negotiate_etag_match("\"x\", \"0123456789abcdef-gz\"", tag));
        assert_true(negotiate_etag_match("\"x\",W/\"0123456789abcdef-gz\"", tag));
        assert_true(negotiate_etag_match("*", tag));
        assert_false(negotiate_etag_match(NULL, tag));
        assert_false(negotiate_etag_match("", tag));
        assert_false(negotiate_etag_match("\"0123456789abcdef\"", tag));
        assert_false(negotiate_etag_match("\"0123456789abcdef-gz", tag)); /* unclosed */
        assert_false(negotiate_etag_match("0123456789abcdef-gz", tag));   /* unquoted */
        assert_false(negotiate_etag_match("\"0123456789abcdef-gzz\"", tag));
}

static void test_dates(void **state)
{
        char out[40];
        time_t t;

        assert_int_equal(negotiate_http_date(784111777, out, sizeof(out)), 0);
        assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_int_equal(negotiate_parse_http_date(out, &t), 0);
        assert_int_equal(t, 784111777);
        assert_int_equal(negotiate_parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT", &t), 0);
        assert_int_equal(t, 0);
        assert_int_equal(negotiate_parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT", &t), 0);
        assert_int_equal(t, 1835481599);
        assert_int_equal(negotiate_http_date(1, out, 10), -ERANGE);
        static const char *const bad[] = {
            "Sunday, 06-Nov-94 08:49:37 GMT", /* RFC 850: not sent by current clients */
            "Sun Nov  6 08:49:37 1994",       /* asctime */
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            "Sun, 1: Nov 1994 08:49:37 GMT",
            "",
        };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (negotiate_parse_http_date(bad[i], &t) != -EINVAL)
                        fail_msg("\"%s\" was taken for a date", bad[i]);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_encoding),
            cmocka_unit_test(test_etag_match),
            cmocka_unit_test(test_dates),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

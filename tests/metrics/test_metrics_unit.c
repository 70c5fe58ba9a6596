/* Unit tests of metrics (route labels, counting across shards, the text it writes) and of
 * buf_add_prom_label (label escaping).  The format itself is checked strictly by
 * test_metrics.py's parser against a running server. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "metrics.h"
#include "routes.h"

static void test_routes(void **state)
{
        static const struct {
                const char *uri;
                enum metrics_route want;
        } cases[] = {
            {"/", ROUTE_HOME},
            {"/?x=1", ROUTE_HOME},
            {"/pl", ROUTE_HOME},
            {"/pl/", ROUTE_HOME},
            {"/ports", ROUTE_PORTS},
            {"/ports/", ROUTE_PORTS},
            {"/pl/ports", ROUTE_PORTS},
            {"/ports/22", ROUTE_PORT},
            {"/ports/22#top", ROUTE_PORT},
            {"/pl/ports/65535", ROUTE_PORT},
            {"/ports/abc", ROUTE_PORT},
            {"/ports/22/feedback", ROUTE_VOTE},
            {"/pl/ports/22/feedback", ROUTE_VOTE},
            {"/ports/22/feedback/x", ROUTE_OTHER},
            {"/ports/22/other", ROUTE_OTHER},
            {"/search?q=ssh", ROUTE_SEARCH},
            {"/api/ports/443", ROUTE_API_PORT},
            {"/api/ports/443/feedback", ROUTE_API_FEEDBACK},
            {"/api/search?q=x", ROUTE_API_SEARCH},
            {"/static/style.css", ROUTE_STATIC},
            {"/static/", ROUTE_OTHER},
            {"/healthz", ROUTE_HEALTHZ},
            {"/metrics", ROUTE_METRICS},
            {"/metrics/", ROUTE_OTHER},
            {"/plx/ports/1", ROUTE_OTHER},
            {"/no/such/page", ROUTE_OTHER},
            {"", ROUTE_OTHER},
            {"*", ROUTE_OTHER},
            {NULL, ROUTE_OTHER},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                if (route_label_of(cases[i].uri) != cases[i].want)
                        fail_msg("%s: %s, want %s", cases[i].uri ? cases[i].uri : "(null)",
                                 metrics_route_name(route_label_of(cases[i].uri)),
                                 metrics_route_name(cases[i].want));
        }
        assert_string_equal(metrics_route_name(ROUTE_API_FEEDBACK), "api_feedback");
        assert_string_equal(metrics_route_name(ROUTE_COUNT), "other");
}

static void label_is(const char *in, const char *want)
{
        struct buf b;

        buf_init(&b, 1024);
        buf_add_prom_label(&b, in);
        assert_int_equal(buf_error(&b), 0);
        assert_string_equal(b.data ? b.data : "", want);
        buf_done(&b);
}

static void test_label_escaping(void **state)
{
        label_is("", "");
        label_is("/usr/sbin/sshd", "/usr/sbin/sshd");
        label_is("a\"b", "a\\\"b");
        label_is("a\\b", "a\\\\b");
        label_is("a\nb", "a\\nb");
        label_is("\\\"\n", "\\\\\\\"\\n");
        label_is("/tmp/x\\n\"", "/tmp/x\\\\n\\\"");
        label_is("tab\tcr\r", "tab\tcr\r");
        label_is("zażółć €𝄞", "zażółć €𝄞");
        /* Not UTF-8: each bad byte becomes U+FFFD. */
        label_is("a\xff"
                 "b",
                 "a\xef\xbf\xbd"
                 "b");
        label_is("\xc3", "\xef\xbf\xbd");
        label_is("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");                 /* overlong "/" */
        label_is("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* a surrogate */
        label_is("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
        label_is("\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd");
}

/* The value of the line that starts with @series followed by a space, or -1. */
static long long sample(const char *text, const char *series)
{
        size_t n = strlen(series);

        for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
                if (strncmp(p, series, n) == 0 && p[n] == ' ') {
                        long long v = -1;

                        sscanf(p + n + 1, "%lld", &v);
                        return v;
                }
        return -1;
}

static void test_counting(void **state)
{
        struct metrics *m = metrics_new(3, "1.2.3\"x");
        struct buf b;

        assert_non_null(m);
        metrics_observe(metrics_shard(m, 0), ROUTE_PORT, 200, 50);
        metrics_observe(metrics_shard(m, 1), ROUTE_PORT, 200, 300);
        metrics_observe(metrics_shard(m, 2), ROUTE_PORT, 404, 2000000);
        metrics_observe(metrics_shard(m, 2), ROUTE_VOTE, 418, 10);
        metrics_observe(metrics_shard(m, 99), ROUTE_COUNT, 200, -5); /* clamped */
        metrics_vote(metrics_shard(m, 1), VOTE_HAPPY);
        metrics_vote(metrics_shard(m, 2), VOTE_HAPPY);
        metrics_vote(metrics_shard(m, 0), VOTE_SAD);
        buf_init(&b, 1 << 20);
        assert_int_equal(metrics_render(m, "2026-08-17", &b), 0);
        assert_int_equal(
            sample(b.data, "portinfo_http_requests_total{route=\"port\",status=\"200\"}"), 2);
        assert_int_equal(
            sample(b.data, "portinfo_http_requests_total{route=\"port\",status=\"404\"}"), 1);
        assert_int_equal(
            sample(b.data, "portinfo_http_requests_total{route=\"vote\",status=\"other\"}"), 1);
        assert_int_equal(
            sample(b.data, "portinfo_http_requests_total{route=\"other\",status=\"200\"}"), 1);
        assert_int_equal(
            sample(b.data, "portinfo_http_requests_total{route=\"home\",status=\"200\"}"), -1);
        assert_int_equal(
            sample(b.data,
                   "portinfo_http_request_duration_seconds_bucket{route=\"port\",le=\"0.0001\"}"),
            1);
        assert_int_equal(
            sample(b.data,
                   "portinfo_http_request_duration_seconds_bucket{route=\"port\",le=\"0.0005\"}"),
            2);
        assert_int_equal(
            sample(b.data,
                   "portinfo_http_request_duration_seconds_bucket{route=\"port\",le=\"1\"}"),
            2);
        assert_int_equal(
            sample(b.data,
                   "portinfo_http_request_duration_seconds_bucket{route=\"port\",le=\"+Inf\"}"),
            3);
        assert_int_equal(
            sample(b.data, "portinfo_http_request_duration_seconds_count{route=\"port\"}"), 3);
        assert_non_null(
            strstr(b.data, "portinfo_http_request_duration_seconds_sum{route=\"port\"} 2.00035\n"));
        assert_int_equal(sample(b.data, "portinfo_votes_total{vote=\"happy\"}"), 2);
        assert_int_equal(sample(b.data, "portinfo_votes_total{vote=\"sad\"}"), 1);
        assert_int_equal(sample(b.data, "portinfo_votes_total{vote=\"meh\"}"), 0);
        assert_int_equal(sample(b.data, "portinfo_registry_info{updated=\"2026-08-17\"}"), 1);
        assert_int_equal(sample(b.data, "portinfo_build_info{version=\"1.2.3\\\"x\"}"), 1);
        assert_true(sample(b.data, "process_start_time_seconds") > 1700000000);
        buf_done(&b);

        /* A buffer too small: the error, not a cut exposition. */
        buf_init(&b, 64);
        assert_int_equal(metrics_render(m, "2026-08-17", &b), -E2BIG);
        buf_done(&b);
        metrics_free(m);
        metrics_free(NULL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_routes),
            cmocka_unit_test(test_label_escaping),
            cmocka_unit_test(test_counting),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

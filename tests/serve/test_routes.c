/* Unit tests for the route table (routes.c): each path pattern matches what it should and not
 * its neighbours, the methods and Allow header of each row, the language prefix, and the
 * metrics label read from the same row that routing uses.  cmocka; no server is started. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "metrics.h"
#include "routes.h"

#define GET_HEAD (EVHTTP_REQ_GET | EVHTTP_REQ_HEAD)

static const struct route *match(const char *path, struct route_match *m)
{
        route_match(path, strlen(path), m);
        return m->route;
}

/* The label a path (after the language prefix) is counted under, by name. */
static const char *label(const char *path)
{
        struct route_match m;

        return match(path, &m) ? metrics_route_name(m.route->label) : NULL;
}

static void test_exact_rows(void **state)
{
        static const struct {
                const char *path;
                route_handler *handler;
                const char *label;
        } cases[] = {
            {"/", page_home, "home"},
            {"/ports", page_index, "ports"},
            {"/search", page_search, "search"},
            {"/api/search", page_search, "api_search"},
            {"/healthz", page_healthz, "healthz"},
            {"/metrics", page_metrics, "metrics"},
        };
        struct route_match m;

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const struct route *rt = match(cases[i].path, &m);

                assert_non_null(rt);
                assert_ptr_equal(rt->handler, cases[i].handler);
                assert_string_equal(metrics_route_name(rt->label), cases[i].label);
                assert_int_equal(rt->methods, GET_HEAD);
                assert_string_equal(rt->allow, "GET, HEAD");
        }
        /* Neighbours of exact rows are not them. */
        assert_null(match("/search/", &m));
        assert_null(match("/searchx", &m));
        assert_null(match("/Search", &m));
        assert_null(match("/healthz/", &m));
        assert_null(match("/metricsx", &m));
        assert_null(match("//", &m));
        assert_null(match("/port", &m));
        assert_null(match("/portsx", &m));
        assert_null(match("/api", &m));
        assert_null(match("/static", &m));
        assert_null(match("/no/such/page", &m));
        assert_string_equal(label("/api/searchx"), "other"); /* the /api/ scope's 404 */
        assert_true(match("/api/searchx", &m)->api);
}

static void test_port_rows(void **state)
{
        struct route_match m;
        const struct route *rt;

        rt = match("/ports/22", &m);
        assert_ptr_equal(rt->handler, page_port);
        assert_int_equal(m.port, 22);
        assert_true(m.canonical);
        assert_string_equal(metrics_route_name(rt->label), "port");
        assert_int_equal(rt->methods, GET_HEAD);

        rt = match("/ports/0022", &m);
        assert_ptr_equal(rt->handler, page_port); /* redirected by the handler */
        assert_int_equal(m.port, 22);
        assert_false(m.canonical);

        assert_ptr_equal(match("/ports/0", &m)->handler, page_port);
        assert_int_equal(m.port, 0);
        assert_ptr_equal(match("/ports/65535", &m)->handler, page_port);
        assert_int_equal(m.port, 65535);

        /* Not a port: its own row, still counted as "port". */
        static const char *const not_ports[] = {"/ports/65536", "/ports/abc", "/ports/-1",
                                                "/ports/+1",    "/ports/1a",  "/ports/99999999999"};
        for (size_t i = 0; i < sizeof(not_ports) / sizeof(not_ports[0]); i++) {
                rt = match(not_ports[i], &m);
                assert_non_null(rt);
                assert_ptr_not_equal(rt->handler, page_port);
                assert_string_equal(metrics_route_name(rt->label), "port");
                assert_int_equal(rt->methods, GET_HEAD);
        }

        /* "/ports/" itself redirects to /ports. */
        rt = match("/ports/", &m);
        assert_ptr_not_equal(rt->handler, page_port);
        assert_ptr_not_equal(rt->handler, page_index);
        assert_string_equal(metrics_route_name(rt->label), "ports");

        /* Anything deeper that is not a vote: answered as no such port, counted as other. */
        assert_string_equal(label("/ports/22/other"), "other");
        assert_string_equal(label("/ports/22/feedback/x"), "other");
        assert_string_equal(label("/ports/22/feedbackx"), "other");
        assert_string_equal(label("/ports/a/b/c"), "other");
        assert_ptr_not_equal(match("/ports/22/other", &m)->handler, page_port);
}

static void test_vote_rows(void **state)
{
        struct route_match m;
        const struct route *rt;

        rt = match("/ports/22/feedback", &m);
        assert_ptr_equal(rt->handler, votes_post);
        assert_int_equal(m.port, 22);
        assert_int_equal(rt->methods, EVHTTP_REQ_POST);
        assert_string_equal(rt->allow, "POST");
        assert_string_equal(metrics_route_name(rt->label), "vote");

        /* A vote on a port with leading zeros counts for the port. */
        assert_ptr_equal(match("/ports/022/feedback", &m)->handler, votes_post);
        assert_int_equal(m.port, 22);

        /* Not a port: no vote, GET and POST both get the 404, others a 405 naming GET. */
        rt = match("/ports/abc/feedback", &m);
        assert_ptr_not_equal(rt->handler, votes_post);
        assert_int_equal(rt->methods, GET_HEAD | EVHTTP_REQ_POST);
        assert_string_equal(rt->allow, "GET, HEAD");
        assert_string_equal(metrics_route_name(rt->label), "vote");
        assert_ptr_equal(match("/ports//feedback", &m), rt);
        assert_ptr_equal(match("/ports/70000/feedback", &m), rt);
}

static void test_api_rows(void **state)
{
        struct route_match m;
        const struct route *rt;

        rt = match("/api/ports/443", &m);
        assert_ptr_equal(rt->handler, page_api_port);
        assert_int_equal(m.port, 443);
        assert_true(rt->api);
        assert_int_equal(rt->methods, GET_HEAD);
        assert_string_equal(metrics_route_name(rt->label), "api_port");

        rt = match("/api/ports/443/feedback", &m);
        assert_ptr_equal(rt->handler, votes_get);
        assert_int_equal(m.port, 443);
        assert_int_equal(rt->methods, GET_HEAD);
        assert_string_equal(metrics_route_name(rt->label), "api_feedback");

        /* Not a port: a 404 whatever the method, under the port's labels. */
        rt = match("/api/ports/abc", &m);
        assert_ptr_not_equal(rt->handler, page_api_port);
        assert_true(rt->api);
        assert_int_equal(rt->methods, ~0u);
        assert_string_equal(metrics_route_name(rt->label), "api_port");
        assert_string_equal(label("/api/ports/abc/feedback"), "api_feedback");
        assert_ptr_not_equal(match("/api/ports/abc/feedback", &m)->handler, votes_get);
        assert_string_equal(label("/api/ports/"), "other");
        assert_string_equal(label("/api/ports/1/2"), "other");
        assert_true(match("/api/ports/", &m)->api);
}

static void test_static_rows(void **state)
{
        struct route_match m;
        const struct route *rt;

        rt = match("/static/css/site.css", &m);
        assert_ptr_equal(rt->handler, page_static);
        assert_true(rt->english_only);
        assert_false(rt->api);
        assert_string_equal(metrics_route_name(rt->label), "static");
        /* The bare folder has a row of its own (a 404, no listing), counted as other. */
        rt = match("/static/", &m);
        assert_ptr_not_equal(rt->handler, page_static);
        assert_string_equal(metrics_route_name(rt->label), "other");
        assert_ptr_equal(match("/favicon.ico", &m)->handler, page_favicon);
        assert_ptr_equal(match("/favicon.svg", &m)->handler, page_favicon);
        assert_null(match("/favicon.png", &m));
        assert_true(match("/healthz", &m)->english_only);
        assert_true(match("/metrics", &m)->english_only);
        assert_false(match("/ports/1", &m)->english_only);
}

static void test_lang(void **state)
{
        const char *p;
        size_t n;
        enum lang lang;
        struct route_match m;

        p = "/pl/ports/1";
        n = strlen(p);
        route_strip_lang(&p, &n, &lang);
        assert_int_equal(lang, LANG_PL);
        assert_int_equal(n, strlen("/ports/1"));
        assert_memory_equal(p, "/ports/1", n);

        p = "/pl";
        n = 3;
        route_strip_lang(&p, &n, &lang);
        assert_int_equal(lang, LANG_PL);
        assert_int_equal(n, 0);
        route_match(p, n, &m);
        assert_non_null(m.route); /* the redirect to /pl/ */
        assert_string_equal(metrics_route_name(m.route->label), "home");
        assert_int_equal(m.route->methods, ~0u);

        p = "/plx/ports/1";
        n = strlen(p);
        route_strip_lang(&p, &n, &lang);
        assert_int_equal(lang, LANG_EN);
        assert_int_equal(n, strlen("/plx/ports/1"));

        p = "/ports/1";
        n = strlen(p);
        route_strip_lang(&p, &n, &lang);
        assert_int_equal(lang, LANG_EN);
        assert_int_equal(n, strlen("/ports/1"));
}

/* route_label_of reads whole targets: query and fragment off, language prefix off. */
static void test_label_of(void **state)
{
        assert_int_equal(route_label_of("/pl/ports/65535?x=1"), ROUTE_PORT);
        assert_int_equal(route_label_of("/ports/22#top"), ROUTE_PORT);
        assert_int_equal(route_label_of("/pl#x"), ROUTE_HOME);
        assert_int_equal(route_label_of("/pl/api/ports/1"), ROUTE_API_PORT);
        assert_int_equal(route_label_of("/pl/healthz"), ROUTE_HEALTHZ);
        assert_int_equal(route_label_of("/search?q=a#b"), ROUTE_SEARCH);
        assert_int_equal(route_label_of("*"), ROUTE_OTHER);
        assert_int_equal(route_label_of(""), ROUTE_OTHER);
        assert_int_equal(route_label_of(NULL), ROUTE_OTHER);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_exact_rows),  cmocka_unit_test(test_port_rows),
            cmocka_unit_test(test_vote_rows),   cmocka_unit_test(test_api_rows),
            cmocka_unit_test(test_static_rows), cmocka_unit_test(test_lang),
            cmocka_unit_test(test_label_of),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

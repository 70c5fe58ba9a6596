/* Unit tests for httputil (the web server's parsers and checks), pagecache and feedback (the
 * vote store), failure paths included.  cmocka; the store tests use a temporary directory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "buf.h"
#include "feedback.h"
#include "httputil.h"
#include "pagecache.h"

static void test_parse_listen(void **state)
{
        struct sockaddr_storage ss;
        socklen_t len = 0;
        char out[64];

        assert_int_equal(httputil_parse_listen("127.0.0.1:1776", &ss, &len), 0);
        assert_string_equal(httputil_format_addr((struct sockaddr *)&ss, out, sizeof(out)),
                            "127.0.0.1:1776");
        assert_int_equal(httputil_parse_listen("[::1]:8080", &ss, &len), 0);
        assert_string_equal(httputil_format_addr((struct sockaddr *)&ss, out, sizeof(out)),
                            "[::1]:8080");
        assert_int_equal(httputil_parse_listen("0", &ss, &len), 0);
        assert_string_equal(httputil_format_addr((struct sockaddr *)&ss, out, sizeof(out)),
                            "127.0.0.1:0");
        /* Refused, and the outputs untouched. */
        len = 7;
        for (const char *const *s =
                 (const char *const[]){"", ":80", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:-1",
                                       "1.2.3.4:+80", "localhost:80", "::1:80", "[::1]80",
                                       "[::1]:", "[]:80", "[1.2.3.4]:80", "1.2.3:80", NULL};
             *s; s++)
                assert_int_equal(httputil_parse_listen(*s, &ss, &len), -EINVAL);
        assert_int_equal(len, 7);
}

static void test_decode(void **state)
{
        char out[8];
        size_t len = 99;

        assert_int_equal(httputil_decode("a%20b+c", 7, true, out, sizeof(out), &len), 0);
        assert_string_equal(out, "a b c");
        assert_int_equal(len, 5);
        assert_int_equal(httputil_decode("a+b", 3, false, out, sizeof(out), &len), 0);
        assert_string_equal(out, "a+b");
        assert_int_equal(httputil_decode("%4a%4A", 6, true, out, sizeof(out), &len), 0);
        assert_string_equal(out, "JJ");
        assert_int_equal(httputil_decode("%00", 3, true, out, sizeof(out), &len), -EINVAL);
        assert_int_equal(httputil_decode("%zz", 3, true, out, sizeof(out), &len), -EINVAL);
        assert_int_equal(httputil_decode("%4", 2, true, out, sizeof(out), &len), -EINVAL);
        assert_int_equal(httputil_decode("%", 1, true, out, sizeof(out), &len), -EINVAL);
        assert_int_equal(httputil_decode("12345678", 8, true, out, sizeof(out), &len), -E2BIG);
        assert_int_equal(httputil_decode("1234567", 7, true, out, sizeof(out), &len), 0);
        /* Only @n bytes are read: the rest of the buffer is not part of the value. */
        assert_int_equal(httputil_decode("ab%", 2, true, out, sizeof(out), &len), 0);
        assert_string_equal(out, "ab");
}

static void test_form_field(void **state)
{
        char v[16];
        const char *f = "lang=pl&vote=happy&x";

        assert_int_equal(httputil_form_field(f, strlen(f), "vote", v, sizeof(v)), 0);
        assert_string_equal(v, "happy");
        assert_int_equal(httputil_form_field(f, strlen(f), "lang", v, sizeof(v)), 0);
        assert_string_equal(v, "pl");
        assert_int_equal(httputil_form_field(f, strlen(f), "x", v, sizeof(v)), 0);
        assert_string_equal(v, "");
        assert_int_equal(httputil_form_field(f, strlen(f), "vot", v, sizeof(v)), -ENOENT);
        assert_int_equal(httputil_form_field(f, strlen(f), "votes", v, sizeof(v)), -ENOENT);
        assert_int_equal(httputil_form_field("vote=a&vote=b", 13, "vote", v, sizeof(v)), -EINVAL);
        assert_int_equal(httputil_form_field("vote=%GG", 8, "vote", v, sizeof(v)), -EINVAL);
        assert_int_equal(httputil_form_field("vote=0123456789abcdef", 21, "vote", v, sizeof(v)),
                         -E2BIG);
        /* A field cut off by the length is not seen past it. */
        assert_int_equal(httputil_form_field("a=1&vote=sad", 3, "vote", v, sizeof(v)), -ENOENT);
        assert_int_equal(httputil_form_field("", 0, "vote", v, sizeof(v)), -ENOENT);
}

static void test_parse_port(void **state)
{
        uint16_t port = 7;
        bool canonical = false;

        assert_int_equal(httputil_parse_port("1776", 4, &port, &canonical), 0);
        assert_int_equal(port, 1776);
        assert_true(canonical);
        assert_int_equal(httputil_parse_port("0", 1, &port, &canonical), 0);
        assert_int_equal(port, 0);
        assert_true(canonical);
        assert_int_equal(httputil_parse_port("01776", 5, &port, &canonical), 0);
        assert_int_equal(port, 1776);
        assert_false(canonical);
        assert_int_equal(httputil_parse_port("65535", 5, &port, &canonical), 0);
        port = 7;
        assert_int_equal(httputil_parse_port("65536", 5, &port, &canonical), -ERANGE);
        assert_int_equal(httputil_parse_port("99999999999999999999", 20, &port, &canonical),
                         -ERANGE);
        assert_int_equal(httputil_parse_port("", 0, &port, &canonical), -EINVAL);
        assert_int_equal(httputil_parse_port("-1", 2, &port, &canonical), -EINVAL);
        assert_int_equal(httputil_parse_port("1a", 2, &port, &canonical), -EINVAL);
        assert_int_equal(httputil_parse_port("+1", 2, &port, &canonical), -EINVAL);
        assert_int_equal(port, 7);
}

static void test_cookie_voter(void **state)
{
        char id[33] = "unchanged";
        const char *good = "0123456789abcdef0123456789abcdef";
        char text[128];

        snprintf(text, sizeof(text), "a=b; voter=%s; c=d", good);
        assert_true(httputil_cookie_voter(text, id));
        assert_string_equal(id, good);
        snprintf(text, sizeof(text), "voter=%s", good);
        assert_true(httputil_cookie_voter(text, id));
        memcpy(id, "unchanged", 10);
        assert_false(httputil_cookie_voter("voter=0123", id));
        assert_false(httputil_cookie_voter("voter=0123456789ABCDEF0123456789ABCDEF", id));
        assert_false(httputil_cookie_voter("voter=../../../../etc/passwd/../../../../x", id));
        assert_false(httputil_cookie_voter("xvoter=0123456789abcdef0123456789abcdef", id));
        assert_false(httputil_cookie_voter("voter=0123456789abcdef0123456789abcdef0", id));
        assert_false(httputil_cookie_voter("", id));
        assert_string_equal(id, "unchanged");
}

static void test_utf8_valid(void **state)
{
        static const char *good[] = {"",
                                     "ssh",
                                     "port \xc5\x82\xc3\xb3"
                                     "d\xc5\xba",
                                     "\xe2\x82\xac",
                                     "\xf0\x9f\x98\x83",
                                     "\xf4\x8f\xbf\xbf"};
        static const char *bad[] = {
            "\xff",         "\xc0\xaf",         "\xc1\xbf",         "\xe0\x80\xaf",
            "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\x80",
            "ab\xc5",       "\xe2\x82",         "\xf0\x9f\x98",     "\xc3\x28"};

        (void)state;
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
                assert_true(httputil_utf8_valid(good[i], strlen(good[i])));
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_false(httputil_utf8_valid(bad[i], strlen(bad[i])));
        /* the length is what counts, not a NUL */
        assert_true(httputil_utf8_valid("a\0b", 3));
        assert_false(httputil_utf8_valid("\xe2\x82\xac", 2));
}

static void test_same_origin(void **state)
{
        assert_true(httputil_same_origin(NULL, "127.0.0.1:1776", NULL));
        assert_true(httputil_same_origin("http://127.0.0.1:1776", "127.0.0.1:1776", NULL));
        assert_true(httputil_same_origin("http://Example.ORG", "example.org:80", "same-origin"));
        assert_true(httputil_same_origin("https://example.org:443", "example.org", NULL));
        assert_true(httputil_same_origin(NULL, NULL, "none"));
        assert_false(httputil_same_origin("http://evil.example", "127.0.0.1:1776", NULL));
        assert_false(httputil_same_origin("http://127.0.0.1:1777", "127.0.0.1:1776", NULL));
        assert_false(httputil_same_origin("http://127.0.0.1:17760", "127.0.0.1:1776", NULL));
        assert_false(httputil_same_origin("null", "127.0.0.1:1776", NULL));
        assert_false(httputil_same_origin("ftp://127.0.0.1:1776", "127.0.0.1:1776", NULL));
        assert_false(httputil_same_origin("http://127.0.0.1:1776", NULL, NULL));
        assert_false(httputil_same_origin(NULL, "127.0.0.1:1776", "cross-site"));
        assert_false(httputil_same_origin(NULL, "127.0.0.1:1776", "same-site"));
        assert_false(httputil_same_origin("http://127.0.0.1:1776", "127.0.0.1:1776", "cross-site"));
}

static void test_referer_accept(void **state)
{
        assert_true(httputil_referer_is_polish("http://h:1/pl/ports/4", "h:1"));
        assert_false(httputil_referer_is_polish("http://h:1/ports/4", "h:1"));
        assert_false(httputil_referer_is_polish("http://evil/pl/ports/4", "h:1"));
        assert_false(httputil_referer_is_polish("http://h:10/pl/", "h:1"));
        assert_false(httputil_referer_is_polish(NULL, "h:1"));
        assert_true(httputil_accepts_json("text/html, application/json;q=0.9"));
        assert_false(httputil_accepts_json("text/html"));
        assert_false(httputil_accepts_json(NULL));
}

static void test_log_uri(void **state)
{
        struct buf b;

        buf_init(&b, 1024);
        httputil_log_uri(&b, "/a b\"c\\d\x1b[31m\xc3\xa9", 100);
        assert_string_equal(b.data, "/a%20b%22c%5Cd%1B[31m%C3%A9");
        buf_done(&b);
        buf_init(&b, 1024);
        httputil_log_uri(&b, "/abcdef", 3);
        assert_string_equal(b.data, "/ab...");
        buf_done(&b);
}

static void test_static_path(void **state)
{
        char out[32];

        assert_int_equal(httputil_static_path("style.css", 9, out, sizeof(out)), 0);
        assert_string_equal(out, "style.css");
        assert_int_equal(httputil_static_path("js/a-b_c.1.js", 13, out, sizeof(out)), 0);
        for (const char *const *s =
                 (const char *const[]){"..", "../x", "a/../b", "a/..", ".hidden", "a/.b",
                                       "%2e%2e/x", "a%2fb", "a\\b", "/a", "a//b", "a/", "a b",
                                       "a%00b", "a?b", "a:b", NULL};
             *s; s++)
                assert_int_equal(httputil_static_path(*s, strlen(*s), out, sizeof(out)), -EINVAL);
        assert_int_equal(httputil_static_path("", 0, out, sizeof(out)), -EINVAL);
        assert_int_equal(httputil_static_path("a", 1, out, 1), -E2BIG);
        /* An embedded NUL inside the given length is refused too. */
        assert_int_equal(httputil_static_path("a\0b", 3, out, sizeof(out)), -EINVAL);
}

static void test_pagecache(void **state)
{
        struct pagecache *pc = pagecache_new();
        unsigned c1[3] = {1, 2, 3}, c2[3] = {1, 2, 4};
        uint32_t k = pagecache_key(3, 1, 1776);
        struct pagecache_body *b, *b2;

        assert_non_null(pc);
        assert_null(pagecache_get(pc, k, c1, 5));
        b = pagecache_put(pc, k, c1, 5, strdup("page"), 4);
        assert_non_null(b);
        assert_int_equal(b->refs, 2);
        b2 = pagecache_get(pc, k, c1, 6);
        assert_ptr_equal(b, b2);
        pagecache_unref(b2);
        assert_null(pagecache_get(pc, k, c2, 6)); /* other counts: stale */
        assert_null(pagecache_get(pc, k, NULL, 6));
        assert_null(pagecache_get_fresh(pc, k, 5)); /* the hit above moved the stamp on */
        b2 = pagecache_get_fresh(pc, k, 6);
        assert_ptr_equal(b, b2);
        pagecache_unref(b2);
        /* Replacing the slot keeps the old body alive while it is still being sent. */
        b2 = pagecache_put(pc, k, c2, 7, strdup("new"), 3);
        assert_int_equal(b->refs, 1);
        assert_memory_equal(b->a.form[ENC_IDENTITY].data, "page", 4);
        pagecache_unref(b);
        pagecache_unref(b2);
        /* Too large to keep: handed out, not stored. */
        b = pagecache_put(pc, k, NULL, 0, calloc(1, PAGECACHE_MAX_BODY + 1),
                          PAGECACHE_MAX_BODY + 1);
        assert_int_equal(b->refs, 1);
        pagecache_unref(b);
        assert_null(pagecache_get(pc, k, NULL, 0));
        pagecache_free(pc);
}

/* ---- the vote store ---- */

struct store {
        char dir[64];
        char path[96];
};

static int store_setup(void **state)
{
        struct store *s = calloc(1, sizeof(*s));

        snprintf(s->dir, sizeof(s->dir), "/tmp/portinfo-feedback-test.XXXXXX");
        if (!mkdtemp(s->dir))
                return -1;
        snprintf(s->path, sizeof(s->path), "%s/votes.sqlite", s->dir);
        *state = s;
        return 0;
}

static int store_teardown(void **state)
{
        struct store *s = *state;
        char p[128];

        for (const char *const *sfx = (const char *const[]){"", "-wal", "-shm", NULL}; *sfx;
             sfx++) {
                snprintf(p, sizeof(p), "%s%s", s->path, *sfx);
                unlink(p);
        }
        rmdir(s->dir);
        free(s);
        return 0;
}

static const char voter_a[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char voter_b[] = "0123456789abcdef0123456789abcdef";

static void test_feedback_votes(void **state)
{
        struct store *s = *state;
        struct feedback *fb = NULL, *fb2 = NULL;
        struct feedback_counts c;
        int v = 9;

        assert_int_equal(feedback_open(s->path, false, &fb), 0);
        assert_true(feedback_writable(fb));
        assert_int_equal(feedback_counts(fb, 1776, &c), 0);
        assert_int_equal(c.n[VOTE_SAD] + c.n[VOTE_MEH] + c.n[VOTE_HAPPY], 0);
        assert_int_equal(feedback_vote_of(fb, 1776, voter_a, &v), 0);
        assert_int_equal(v, -1);

        assert_int_equal(feedback_record(fb, 1776, voter_a, VOTE_HAPPY, NULL, &c), 0);
        assert_int_equal(c.n[VOTE_HAPPY], 1);
        assert_int_equal(feedback_record(fb, 1776, voter_b, VOTE_HAPPY, NULL, &c), 0);
        assert_int_equal(c.n[VOTE_HAPPY], 2);
        /* A revote replaces. */
        assert_int_equal(feedback_record(fb, 1776, voter_a, VOTE_SAD, NULL, &c), 0);
        assert_int_equal(c.n[VOTE_SAD], 1);
        assert_int_equal(c.n[VOTE_HAPPY], 1);
        assert_int_equal(feedback_record(fb, 1776, voter_a, VOTE_SAD, NULL, &c), 0);
        assert_int_equal(c.n[VOTE_SAD], 1);
        assert_int_equal(feedback_vote_of(fb, 1776, voter_a, &v), 0);
        assert_int_equal(v, VOTE_SAD);
        /* Other ports are apart. */
        assert_int_equal(feedback_record(fb, 0, voter_a, VOTE_MEH, NULL, &c), 0);
        assert_int_equal(feedback_record(fb, 65535, voter_a, VOTE_MEH, NULL, &c), 0);
        assert_int_equal(c.n[VOTE_MEH], 1);
        assert_int_equal(feedback_counts(fb, 1776, &c), 0);
        assert_int_equal(c.n[VOTE_MEH], 0);

        /* Refused, nothing stored. */
        assert_int_equal(feedback_record(fb, 1776, "short", VOTE_SAD, NULL, &c), -EINVAL);
        assert_int_equal(
            feedback_record(fb, 1776, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", VOTE_SAD, NULL, &c),
            -EINVAL);
        assert_int_equal(feedback_record(fb, 1776, voter_b, (enum vote)3, NULL, &c), -EINVAL);
        assert_int_equal(feedback_record(fb, 1776, voter_b, (enum vote) - 1, NULL, &c), -EINVAL);
        assert_int_equal(feedback_vote_of(fb, 1776, "x", &v), -EINVAL);
        assert_int_equal(feedback_counts(fb, 1776, &c), 0);
        assert_int_equal(c.n[VOTE_SAD], 1);
        assert_int_equal(c.n[VOTE_HAPPY], 1);

        /* A second handle (another thread) sees the same, and so does a reopen. */
        assert_int_equal(feedback_open(s->path, false, &fb2), 0);
        assert_int_equal(feedback_counts(fb2, 1776, &c), 0);
        assert_int_equal(c.n[VOTE_SAD], 1);
        feedback_free(fb2);
        feedback_free(fb);
        fb = NULL;
        assert_int_equal(feedback_open(s->path, false, &fb), 0);
        assert_int_equal(feedback_counts(fb, 1776, &c), 0);
        assert_int_equal(c.n[VOTE_SAD], 1);
        assert_int_equal(c.n[VOTE_HAPPY], 1);
        feedback_free(fb);

        /* Read-only: counts yes, votes no. */
        fb = NULL;
        assert_int_equal(feedback_open(s->path, true, &fb), -EROFS);
        assert_non_null(fb);
        assert_false(feedback_writable(fb));
        assert_int_equal(feedback_counts(fb, 1776, &c), 0);
        assert_int_equal(c.n[VOTE_SAD], 1);
        assert_int_equal(feedback_record(fb, 1776, voter_b, VOTE_SAD, NULL, &c), -EROFS);
        feedback_free(fb);
        feedback_free(NULL);
}

static void test_feedback_refuses(void **state)
{
        struct store *s = *state;
        struct feedback *fb = NULL;
        sqlite3 *db;
        char bad[128];
        FILE *f;

        /* A directory that does not exist. */
        snprintf(bad, sizeof(bad), "%s/no/such/dir/v.sqlite", s->dir);
        assert_true(feedback_open(bad, false, &fb) < 0);
        assert_null(fb);
        /* Not a database. */
        f = fopen(s->path, "w");
        assert_non_null(f);
        fputs("this is not a SQLite database, just some text that is long enough to matter\n", f);
        fclose(f);
        assert_true(feedback_open(s->path, false, &fb) < 0);
        assert_null(fb);
        unlink(s->path);
        /* Written by a newer portinfo. */
        assert_int_equal(sqlite3_open(s->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
        assert_int_equal(feedback_open(s->path, false, &fb), -EPROTO);
        assert_null(fb);
}

static void test_vote_names(void **state)
{
        enum vote v = VOTE_MEH;

        assert_int_equal(vote_parse("happy", &v), 0);
        assert_int_equal(v, VOTE_HAPPY);
        assert_int_equal(vote_parse("Happy", &v), -EINVAL);
        assert_int_equal(vote_parse("", &v), -EINVAL);
        assert_int_equal(vote_parse("sadd", &v), -EINVAL);
        assert_int_equal(v, VOTE_HAPPY);
        assert_string_equal(vote_name(VOTE_SAD), "sad");
        assert_null(vote_name(3));
        assert_null(vote_name(-1));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_listen),
            cmocka_unit_test(test_decode),
            cmocka_unit_test(test_form_field),
            cmocka_unit_test(test_utf8_valid),
            cmocka_unit_test(test_parse_port),
            cmocka_unit_test(test_cookie_voter),
            cmocka_unit_test(test_same_origin),
            cmocka_unit_test(test_referer_accept),
            cmocka_unit_test(test_log_uri),
            cmocka_unit_test(test_static_path),
            cmocka_unit_test(test_pagecache),
            cmocka_unit_test(test_vote_names),
            cmocka_unit_test_setup_teardown(test_feedback_votes, store_setup, store_teardown),
            cmocka_unit_test_setup_teardown(test_feedback_refuses, store_setup, store_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for framing (the strict reader of request framing) and peers (client addresses),
 * one rule at a time.  Every text is also fed byte by byte and cut in two at every place: the
 * verdict, the requests read whole and the bytes left pending must not depend on how the bytes
 * arrived.  cmocka. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "framing.h"
#include "peers.h"

#define HEAD_MAX 8192
#define BODY_MAX 65536

struct outcome {
        int status;
        unsigned long messages;
        uint32_t pending;
        size_t used;
};

static struct outcome feed_pieces(const char *s, size_t n, size_t cut, bool bytewise)
{
        struct framing f;
        struct outcome o = {0};

        framing_init(&f, HEAD_MAX, BODY_MAX);
        if (bytewise) {
                for (size_t i = 0; i < n && !f.status; i++)
                        o.used += framing_feed(&f, s + i, 1);
        } else {
                o.used = framing_feed(&f, s, cut);
                if (!f.status)
                        o.used += framing_feed(&f, s + cut, n - cut);
        }
        o.status = f.status;
        o.messages = f.messages;
        o.pending = f.pending;
        return o;
}

/* Feeds @n bytes of @s whole, byte by byte and cut at every place; all must agree.  Returns
 * the outcome. */
static struct outcome run_n(const char *s, size_t n)
{
        struct outcome whole = feed_pieces(s, n, n, false), o;

        o = feed_pieces(s, n, 0, true);
        assert_int_equal(o.status, whole.status);
        assert_int_equal(o.messages, whole.messages);
        assert_int_equal(o.pending, whole.pending);
        assert_int_equal(o.used, whole.used);
        for (size_t cut = 0; cut <= n; cut++) {
                o = feed_pieces(s, n, cut, false);
                assert_int_equal(o.status, whole.status);
                assert_int_equal(o.messages, whole.messages);
                assert_int_equal(o.pending, whole.pending);
        }
        return whole;
}

static struct outcome run(const char *s)
{
        return run_n(s, strlen(s));
}

static int status_of(const char *s)
{
        return run(s).status;
}

#define H11(fields)        "GET / HTTP/1.1\r\nHost: example.org\r\n" fields "\r\n"
#define POST(fields, body) "POST /ports/22/feedback HTTP/1.1\r\nHost: x\r\n" fields "\r\n" body
#define CHUNKED(body)      POST("Transfer-Encoding: chunked\r\n", body)

static void test_well_formed(void **state)
{
        struct outcome o;

        o = run(H11(""));
        assert_int_equal(o.status, 0);
        assert_int_equal(o.messages, 1);
        assert_int_equal(o.pending, 0);
        assert_int_equal(status_of("GET / HTTP/1.0\r\n\r\n"), 0); /* no Host needed in 1.0 */
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0); /* empty: allowed */
        assert_int_equal(status_of("GET / HTTP/1.1\r\nhOsT: [::1]:8080\r\n\r\n"), 0);
        assert_int_equal(status_of(H11("X-Any: a \"quoted\" value\t\xc3\xa9\r\n")), 0);
        assert_int_equal(status_of("HEAD / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 0);
        o = run(POST("Content-Length: 010\r\n", "vote=happy") H11(""));
        assert_int_equal(o.status, 0);
        assert_int_equal(o.messages, 2);
        o = run(CHUNKED("4\r\nvote\r\n6\r\n=happy\r\n0\r\n\r\n"));
        assert_int_equal(o.status, 0);
        assert_int_equal(o.messages, 1);
        assert_int_equal(o.pending, 0);
        assert_int_equal(status_of(POST("Transfer-Encoding: Chunked \r\n", "A\r\n0123456789\r\n"
                                                                           "0\r\n\r\n")),
                         0);
        /* Every method evhttp knows. */
        for (const char *const *m =
                 (const char *const[]){"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
                                       "CONNECT", "PATCH", NULL};
             *m; m++) {
                char text[96];

                snprintf(text, sizeof(text), "%s / HTTP/1.1\r\nHost: x\r\n\r\n", *m);
                assert_int_equal(status_of(text), 0);
        }
}

/* What is held back and what is final: a head is pending until its empty line; body bytes are
 * final as they come; a chunk line is pending until its LF. */
static void test_pending(void **state)
{
        struct framing f;
        const char *head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n";

        framing_init(&f, HEAD_MAX, BODY_MAX);
        assert_int_equal(framing_feed(&f, head, 10), 10);
        assert_int_equal(f.pending, 10);
        assert_int_equal(framing_feed(&f, head + 10, strlen(head) - 10), strlen(head) - 10);
        assert_int_equal(f.pending, 0);
        assert_int_equal(framing_feed(&f, "vot", 3), 3);
        assert_int_equal(f.pending, 0);
        assert_int_equal(f.messages, 0);
        assert_int_equal(framing_feed(&f, "e=GET /", 7), 7);
        assert_int_equal(f.messages, 1);
        assert_int_equal(f.pending, 5); /* "GET /" of the next head */

        framing_init(&f, HEAD_MAX, BODY_MAX);
        head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        framing_feed(&f, head, strlen(head));
        assert_int_equal(f.pending, 0);
        framing_feed(&f, "1", 1);
        assert_int_equal(f.pending, 1);
        framing_feed(&f, "0\r\n", 3);
        assert_int_equal(f.pending, 0);
        framing_feed(&f, "0123456789ABCDEF", 16);
        assert_int_equal(f.pending, 0);
        framing_feed(&f, "\r", 1);
        assert_int_equal(f.pending, 1);
}

/* RFC 9112 6.1 and 6.3: only "chunked", alone and last, frames a body; anything else leaves
 * the end of the body in doubt. */
static void test_transfer_encoding(void **state)
{
        assert_int_equal(status_of(POST("Transfer-Encoding: identity\r\n", "")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding: xchunked\r\n", "")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding: chunkedx\r\n", "")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding: chunked, gzip\r\n", "")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding: \"chunked\"\r\n", "")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding:\r\n", "")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding: gzip, chunked\r\n", "")), 501);
        assert_int_equal(status_of(POST("Transfer-Encoding: chunked\r\n"
                                        "Transfer-Encoding: chunked\r\n",
                                        "")),
                         400);
        assert_int_equal(
            status_of(POST("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "0\r\n\r\n")),
            400);
        assert_int_equal(status_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding: chunked;q=1\r\n", "")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding:\tchunked\r\n", "0\r\n\r\n")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding: chunked\t\r\n", "0\r\n\r\n")), 400);
        assert_int_equal(status_of(POST("Transfer-Encoding: " /* longer than the scratch */
                                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                        "aaaaaaaaaaaa, chunked\r\n",
                                        "")),
                         400);
}

static void test_content_length(void **state)
{
        assert_int_equal(status_of(POST("Content-Length: +10\r\n", "vote=happy")), 400);
        assert_int_equal(status_of(POST("Content-Length: -5\r\n", "")), 400);
        assert_int_equal(status_of(POST("Content-Length: 0x0a\r\n", "vote=happy")), 400);
        assert_int_equal(status_of(POST("Content-Length: 1 0\r\n", "vote=happy")), 400);
        assert_int_equal(status_of(POST("Content-Length: 10, 10\r\n", "vote=happy")), 400);
        assert_int_equal(status_of(POST("Content-Length: 1e1\r\n", "vote=happy")), 400);
        assert_int_equal(status_of(POST("Content-Length:\r\n", "")), 400);
        assert_int_equal(status_of(POST("Content-Length: 10\r\nContent-Length: 2\r\n", "")), 400);
        assert_int_equal(status_of(POST("Content-Length: 10\r\nContent-Length: 10\r\n", "")), 400);
        assert_int_equal(status_of(POST("Content-Length: 65537\r\n", "")), 413);
        assert_int_equal(status_of(POST("Content-Length: 99999999999999999999999999\r\n", "")),
                         413);
        assert_int_equal(status_of(POST("Content-Length: 65536 \r\n", "")), 0);
}

static void test_chunk_sizes(void **state)
{
        assert_int_equal(status_of(CHUNKED("0x0a\r\nvote=happy\r\n0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("+a\r\nvote=happy\r\n0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("-a\r\nvote=happy\r\n0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED(" a\r\nvote=happy\r\n0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("a \r\nvote=happy\r\n0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("a;ext=1\r\nvote=happy\r\n0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("zz\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("a\nvote=happy\r\n0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("00000000000000000a\r\n")), 400); /* 17 digits */
        assert_int_equal(status_of(CHUNKED("000000000000000a\r\nvote=happy\r\n0\r\n\r\n")), 0);
        assert_int_equal(status_of(CHUNKED("ffffffffffffffff\r\n")), 413); /* overflow */
        assert_int_equal(status_of(CHUNKED("10001\r\n")), 413);
        assert_int_equal(status_of(CHUNKED("8000\r\n")), 0);
        /* 32768 + 32769: the sum is over the cap. */
        {
                static char text[70000];
                size_t n = 0;
                struct framing f;

                n += (size_t)snprintf(text, sizeof(text), "%s", CHUNKED("8000\r\n"));
                memset(text + n, 'x', 0x8000);
                n += 0x8000;
                n += (size_t)snprintf(text + n, sizeof(text) - n, "\r\n8001\r\n");
                framing_init(&f, HEAD_MAX, BODY_MAX);
                framing_feed(&f, text, n);
                assert_int_equal(f.status, 413);
        }
        /* The CRLF after a chunk's data, and no trailer fields. */
        assert_int_equal(status_of(CHUNKED("a\r\nvote=happyXX0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("a\r\nvote=happy\r\n\r\n0\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("a\r\nvote=happy\r\n0\r\nHost: evil\r\n\r\n")), 400);
        assert_int_equal(status_of(CHUNKED("a\r\nvote=happy\r\n0\r\nX-Sum: 1\r\n\r\n")), 400);
}

static void test_fields(void **state)
{
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost\t: x\r\n\r\n"), 400);
        assert_int_equal(status_of(H11("Content-Length : 3\r\n")), 400);
        assert_int_equal(status_of(H11("X-A: b\r\n continued\r\n")), 400); /* obs-fold */
        assert_int_equal(status_of("GET / HTTP/1.1\r\n Host: x\r\n\r\n"), 400);
        assert_int_equal(status_of(H11(": empty name\r\n")), 400);
        assert_int_equal(status_of(H11("X(A): b\r\n")), 400);
        assert_int_equal(status_of(H11("X-A: b\nX-B: c\r\n")), 400);         /* bare LF */
        assert_int_equal(status_of(H11("X-A: b\rX-B: c\r\n")), 400);         /* bare CR */
        assert_int_equal(status_of("GET / HTTP/1.1\nHost: x\r\n\r\n"), 400); /* in the line */
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: x\r\n\n"), 400);
        assert_int_equal(status_of(H11("X-A: \x01\r\n")), 400);
        assert_int_equal(status_of(H11("X-A: \x7f\r\n")), 400);
        assert_int_equal(run_n(H11("X-A: b\0c\r\n"), sizeof(H11("X-A: b\0c\r\n")) - 1).status, 400);
}

static void test_host(void **state)
{
        assert_int_equal(status_of("GET / HTTP/1.1\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.1\r\nHost: a\xc3\xa9\r\n\r\n"), 400);
}

static void test_request_line(void **state)
{
        assert_int_equal(status_of("GET / HTTP/1.1000\r\nHost: x\r\n\r\n"), 505);
        assert_int_equal(status_of("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
        assert_int_equal(status_of("GET / HTTP/0.9\r\nHost: x\r\n\r\n"), 505);
        assert_int_equal(status_of("GET / HTTP/10.1\r\nHost: x\r\n\r\n"), 505);
        assert_int_equal(status_of("GET / HTTP/1.-24\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/-1.1\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / http/1.1\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET / HTTP/1.1 \r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET /\r\n\r\n"), 400);
        assert_int_equal(status_of("GET  / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assert_int_equal(status_of("FROB / HTTP/1.1\r\nHost: x\r\n\r\n"), 501);
        assert_int_equal(status_of("get / HTTP/1.1\r\nHost: x\r\n\r\n"), 501);
        assert_int_equal(status_of("GE(T / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        /* A body where evhttp reads none: it would take it for the next request. */
        assert_int_equal(status_of("HEAD / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"), 400);
        assert_int_equal(status_of("TRACE / HTTP/1.1\r\nHost: x\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n"),
                         400);
}

static void test_caps(void **state)
{
        static char text[HEAD_MAX + 64];
        struct framing f;
        size_t n;

        /* A request line over the cap: 414; the fields over it: 431; exactly at it: fine. */
        memset(text, 'a', sizeof(text));
        memcpy(text, "GET /", 5);
        framing_init(&f, HEAD_MAX, BODY_MAX);
        framing_feed(&f, text, sizeof(text));
        assert_int_equal(f.status, 414);

        n = (size_t)snprintf(text, sizeof(text), "GET / HTTP/1.1\r\nHost: x\r\nX: ");
        memset(text + n, 'b', HEAD_MAX - n - 4);
        memcpy(text + HEAD_MAX - 4, "\r\n\r\n", 4);
        framing_init(&f, HEAD_MAX, BODY_MAX);
        assert_int_equal(framing_feed(&f, text, HEAD_MAX), HEAD_MAX);
        assert_int_equal(f.status, 0);
        assert_int_equal(f.messages, 1);
        memcpy(text + HEAD_MAX - 4, "b\r\n\r\n", 5);
        framing_init(&f, HEAD_MAX, BODY_MAX);
        framing_feed(&f, text, HEAD_MAX + 1);
        assert_int_equal(f.status, 431);
}

/* After a refusal nothing more is read, and the refused piece stays pending: the requests
 * before it were whole and may be answered. */
static void test_refusal_is_final(void **state)
{
        const char *text = H11("") "GET / HTTP/9.9\r\nHost: x\r\n\r\n";
        struct framing f;
        size_t used;

        framing_init(&f, HEAD_MAX, BODY_MAX);
        used = framing_feed(&f, text, strlen(text));
        assert_int_equal(f.status, 505);
        assert_int_equal(f.messages, 1);
        assert_int_equal(used - f.pending, strlen(H11("")));
        assert_int_equal(framing_feed(&f, "GET / HTTP/1.1\r\n", 16), 0);
        assert_int_equal(f.messages, 1);
        assert_string_equal(framing_reason(505), "HTTP Version Not Supported");
        assert_string_equal(framing_reason(400), "Bad Request");
}

static void test_peers(void **state)
{
        struct sockaddr_in a4 = {.sin_family = AF_INET}, b4 = {.sin_family = AF_INET};
        struct sockaddr_in6 a6 = {.sin6_family = AF_INET6}, b6 = a6, c6 = a6, m6 = a6;
        struct sockaddr_storage other = {.ss_family = AF_UNIX};
        struct peers t;
        struct peer *p, *q;
        uint8_t fam = 0;
        uint64_t key = 7;

        inet_pton(AF_INET, "192.0.2.1", &a4.sin_addr);
        inet_pton(AF_INET, "192.0.2.2", &b4.sin_addr);
        inet_pton(AF_INET6, "2001:db8:1:2::1", &a6.sin6_addr);
        inet_pton(AF_INET6, "2001:db8:1:2:ffff:ffff:ffff:ffff", &b6.sin6_addr);
        inet_pton(AF_INET6, "2001:db8:1:3::1", &c6.sin6_addr);
        inet_pton(AF_INET6, "::ffff:192.0.2.1", &m6.sin6_addr);

        assert_int_equal(peers_key((struct sockaddr *)&a4, &fam, &key), 0);
        assert_int_equal(fam, AF_INET);
        assert_true(key == 0xc0000201u);
        assert_int_equal(peers_key((struct sockaddr *)&a6, &fam, &key), 0);
        assert_int_equal(fam, AF_INET6);
        assert_true(key == 0x20010db800010002u);
        assert_int_equal(peers_key((struct sockaddr *)&other, &fam, &key), -EAFNOSUPPORT);
        assert_true(key == 0x20010db800010002u); /* untouched */

        assert_int_equal(peers_init(&t, 10), 0);
        p = peers_get(&t, (struct sockaddr *)&a4);
        assert_non_null(p);
        assert_ptr_equal(peers_get(&t, (struct sockaddr *)&a4), p);
        assert_ptr_equal(peers_get(&t, (struct sockaddr *)&m6), p); /* IPv4-mapped: the same */
        assert_ptr_not_equal(peers_get(&t, (struct sockaddr *)&b4), p);
        q = peers_get(&t, (struct sockaddr *)&a6);
        assert_ptr_equal(peers_get(&t, (struct sockaddr *)&b6), q); /* the same /64 */
        assert_ptr_not_equal(peers_get(&t, (struct sockaddr *)&c6), q);
        assert_null(peers_get(&t, (struct sockaddr *)&other));
        assert_int_equal(t.n, 4);
        p->count = 1;
        peers_put(&t, p); /* still counted: stays */
        assert_int_equal(t.n, 4);
        p->count = 0;
        peers_put(&t, p);
        assert_int_equal(t.n, 3);
        /* Many addresses: each found again, all freed by peers_done (valgrind and ASan look). */
        for (unsigned i = 0; i < 5000; i++) {
                a4.sin_addr.s_addr = htonl(0x0a000000u + i);
                p = peers_get(&t, (struct sockaddr *)&a4);
                assert_non_null(p);
                p->count = i + 1;
        }
        for (unsigned i = 0; i < 5000; i++) {
                a4.sin_addr.s_addr = htonl(0x0a000000u + i);
                assert_int_equal(peers_get(&t, (struct sockaddr *)&a4)->count, i + 1);
        }
        assert_int_equal(t.n, 5003);
        peers_done(&t);
        peers_done(&t); /* twice is fine */
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_well_formed),
            cmocka_unit_test(test_pending),
            cmocka_unit_test(test_transfer_encoding),
            cmocka_unit_test(test_content_length),
            cmocka_unit_test(test_chunk_sizes),
            cmocka_unit_test(test_fields),
            cmocka_unit_test(test_host),
            cmocka_unit_test(test_request_line),
            cmocka_unit_test(test_caps),
            cmocka_unit_test(test_refusal_is_final),
            cmocka_unit_test(test_peers),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

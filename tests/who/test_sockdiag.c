/* test_sockdiag: the dump request (with its port filter) and the decoder, on replies recorded
 * from a real kernel (tests/fixtures/netlink/, made by record-fixtures.sh) and on hand-made
 * broken ones.
 *
 * The recording's namespace held: tcp4 127.0.0.1:5001 and 0.0.0.0:5002, tcp6 [::1]:5003
 * (IPv6 only) and [::]:5004 (dual stack), udp4 0.0.0.0:5005, udp6 [::1]:5006 (IPv6 only,
 * as any socket bound to one IPv6 address is), and one TCP
 * connection to 127.0.0.1:5001 from the same process.
 */
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sockdiag.h"

/* Reads a fixture into a buffer of exactly its size (ASan sees any read past it). */
static uint8_t *load(const char *name, size_t *ret_len)
{
        char path[4096];
        FILE *f;
        uint8_t *buf;
        long n;

        snprintf(path, sizeof(path), "%s/netlink/%s", FIXTURE_DIR, name);
        f = fopen(path, "rb");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        n = ftell(f);
        assert_true(n > 0);
        rewind(f);
        buf = malloc((size_t)n);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
        fclose(f);
        *ret_len = (size_t)n;
        return buf;
}

static void decode_fixture(const char *name, enum proto proto, struct sock_table *t)
{
        size_t len;
        uint8_t *buf = load(name, &len);

        assert_int_equal(sockdiag_decode(buf, len, proto, t), 1);
        free(buf);
}

static const struct sock_row *find_port(const struct sock_table *t, uint16_t lport)
{
        for (size_t i = 0; i < t->n; i++)
                if (t->rows[i].lport == lport)
                        return &t->rows[i];
        return NULL;
}

static void test_tcp4_listeners(void **state)
{
        struct sock_table t = {0};
        const struct sock_row *r;
        static const uint8_t loop[4] = {127, 0, 0, 1}, any[4] = {0};

        (void)state;
        decode_fixture("tcp4-listen.bin", PROTO_TCP, &t);
        assert_int_equal(t.n, 2);
        r = find_port(&t, 5001);
        assert_non_null(r);
        assert_int_equal(r->proto, PROTO_TCP);
        assert_int_equal(r->family, AF_INET);
        assert_int_equal(r->state, SOCK_LISTEN);
        assert_memory_equal(r->local, loop, 4);
        assert_int_equal(r->rport, 0);
        assert_true(r->inode > 0);
        assert_int_equal(r->v6only, -1);
        r = find_port(&t, 5002);
        assert_non_null(r);
        assert_memory_equal(r->local, any, 4);
        sock_table_done(&t);
}

static void test_tcp6_v6only(void **state)
{
        struct sock_table t = {0};
        const struct sock_row *r;
        static const uint8_t loop6[16] = {[15] = 1}, any6[16] = {0};

        (void)state;
        decode_fixture("tcp6-listen.bin", PROTO_TCP, &t);
        assert_int_equal(t.n, 2);
        r = find_port(&t, 5003);
        assert_non_null(r);
        assert_int_equal(r->family, AF_INET6);
        assert_memory_equal(r->local, loop6, 16);
        assert_int_equal(r->v6only, 1);
        r = find_port(&t, 5004);
        assert_non_null(r);
        assert_memory_equal(r->local, any6, 16);
        assert_int_equal(r->v6only, 0);
        sock_table_done(&t);
}

static void test_udp(void **state)
{
        struct sock_table t = {0};
        const struct sock_row *r;

        (void)state;
        decode_fixture("udp4-listen.bin", PROTO_UDP, &t);
        assert_int_equal(t.n, 1);
        assert_int_equal(t.rows[0].lport, 5005);
        assert_int_equal(t.rows[0].proto, PROTO_UDP);
        assert_int_equal(t.rows[0].state, SOCK_CLOSE);
        assert_string_equal(sock_state_name(PROTO_UDP, t.rows[0].state), "UNCONN");
        assert_true(sock_is_listener(PROTO_UDP, t.rows[0].state));
        decode_fixture("udp6-listen.bin", PROTO_UDP, &t);
        assert_int_equal(t.n, 2);
        r = find_port(&t, 5006);
        assert_non_null(r);
        assert_int_equal(r->family, AF_INET6);
        assert_int_equal(r->v6only, 1); /* binding a specific IPv6 address implies it */
        sock_table_done(&t);
}

/* The kernel ran our filter: only sockets with 5001 at one end, both ends of the connection. */
static void test_port_filter(void **state)
{
        struct sock_table t = {0};
        size_t listen = 0, local = 0, remote = 0;

        (void)state;
        decode_fixture("tcp4-port-5001.bin", PROTO_TCP, &t);
        assert_int_equal(t.n, 3);
        for (size_t i = 0; i < t.n; i++) {
                const struct sock_row *r = &t.rows[i];

                assert_true(r->lport == 5001 || r->rport == 5001);
                listen += r->state == SOCK_LISTEN;
                local += r->state == SOCK_ESTABLISHED && r->lport == 5001;
                remote += r->state == SOCK_ESTABLISHED && r->rport == 5001;
        }
        assert_int_equal(listen, 1);
        assert_int_equal(local, 1);
        assert_int_equal(remote, 1);
        sock_table_done(&t);
        /* A TCP dump for a port only UDP uses: DONE and nothing else. */
        decode_fixture("tcp4-port-5005.bin", PROTO_TCP, &t);
        assert_int_equal(t.n, 0);
        decode_fixture("udp4-ports.bin", PROTO_UDP, &t);
        assert_int_equal(t.n, 1);
        assert_int_equal(t.rows[0].lport, 5005);
        sock_table_done(&t);
}

/* The older request for both families of TCP in one walk: the same records, another type. */
static void test_both_families(void **state)
{
        struct sock_table t = {0};
        size_t v4 = 0, v6 = 0;

        (void)state;
        decode_fixture("tcp-both-listen.bin", PROTO_TCP, &t);
        assert_int_equal(t.n, 4);
        for (size_t i = 0; i < t.n; i++) {
                v4 += t.rows[i].family == AF_INET;
                v6 += t.rows[i].family == AF_INET6;
        }
        assert_int_equal(v4, 2);
        assert_int_equal(v6, 2);
        assert_int_equal(find_port(&t, 5003)->v6only, 1);
        assert_int_equal(find_port(&t, 5004)->v6only, 0);
        sock_table_done(&t);
        /* Filtered: 5001 (listener and both ends of the connection) and 5004. */
        decode_fixture("tcp-both-ports.bin", PROTO_TCP, &t);
        assert_int_equal(t.n, 4);
        for (size_t i = 0; i < t.n; i++)
                assert_true(t.rows[i].lport == 5001 || t.rows[i].rport == 5001 ||
                            t.rows[i].lport == 5004);
        sock_table_done(&t);
}

static void test_all_states(void **state)
{
        struct sock_table t = {0};

        (void)state;
        decode_fixture("tcp4-all.bin", PROTO_TCP, &t);
        assert_int_equal(t.n, 4);
        sock_table_done(&t);
}

/* Replies come in several recv() chunks: each chunk decodes alone, DONE ends it. */
static void test_chunks(void **state)
{
        struct sock_table t = {0};
        size_t len, first;
        uint8_t *buf = load("tcp4-all.bin", &len);
        struct nlmsghdr h;

        (void)state;
        memcpy(&h, buf, sizeof(h));
        first = NLMSG_ALIGN(h.nlmsg_len);
        assert_int_equal(sockdiag_decode(buf, first, PROTO_TCP, &t), 0);
        assert_int_equal(t.n, 1);
        assert_int_equal(sockdiag_decode(buf + first, len - first, PROTO_TCP, &t), 1);
        assert_int_equal(t.n, 4);
        sock_table_done(&t);
        free(buf);
}

/* Every truncation is refused or waits for more; none reads past the end (ASan). */
static void test_truncated(void **state)
{
        size_t len;
        uint8_t *buf = load("tcp6-listen.bin", &len);

        (void)state;
        for (size_t cut = 0; cut < len; cut++) {
                struct sock_table t = {0};
                uint8_t *part = malloc(cut ? cut : 1);
                int r;

                memcpy(part, buf, cut);
                r = sockdiag_decode(part, cut, PROTO_TCP, &t);
                assert_true(r == 0 || r == -EBADMSG);
                assert_true(t.n <= 2);
                sock_table_done(&t);
                free(part);
        }
        free(buf);
}

/* A netlink message: header then @len bytes of @payload, padded. */
static size_t put_msg(uint8_t *buf, uint16_t type, const void *payload, size_t len)
{
        struct nlmsghdr h = {.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + len), .nlmsg_type = type};

        memset(buf, 0, NLMSG_ALIGN(h.nlmsg_len));
        memcpy(buf, &h, sizeof(h));
        memcpy(buf + NLMSG_HDRLEN, payload, len);
        return NLMSG_ALIGN(h.nlmsg_len);
}

static void test_errors(void **state)
{
        uint32_t buf[256];
        uint8_t *b = (uint8_t *)buf;
        struct sock_table t = {0};
        struct nlmsgerr e = {.error = -EPERM};
        struct inet_diag_msg m = {.idiag_family = AF_INET};
        int done_err = -EINTR, zero = 0;
        size_t n;

        (void)state;
        n = put_msg(b, NLMSG_ERROR, &e, sizeof(e));
        assert_int_equal(sockdiag_decode(buf, n, PROTO_TCP, &t), -EPERM);
        /* An acknowledgement (error 0) is not an error; then a socket, then DONE. */
        e.error = 0;
        n = put_msg(b, NLMSG_ERROR, &e, sizeof(e));
        m.id.idiag_sport = htons(80);
        m.idiag_inode = 42;
        n += put_msg(b + n, SOCK_DIAG_BY_FAMILY, &m, sizeof(m));
        n += put_msg(b + n, NLMSG_NOOP, "", 0);
        n += put_msg(b + n, NLMSG_DONE, &zero, sizeof(zero));
        assert_int_equal(sockdiag_decode(buf, n, PROTO_TCP, &t), 1);
        assert_int_equal(t.n, 1);
        assert_int_equal(t.rows[0].lport, 80);
        assert_int_equal(t.rows[0].inode, 42);
        /* A dump that failed says so in its DONE. */
        n = put_msg(b, NLMSG_DONE, &done_err, sizeof(done_err));
        assert_int_equal(sockdiag_decode(buf, n, PROTO_TCP, &t), -EINTR);
        /* A socket record too short for its struct, an error too short for its struct. */
        n = put_msg(b, SOCK_DIAG_BY_FAMILY, &m, sizeof(m) - 1);
        assert_int_equal(sockdiag_decode(buf, n, PROTO_TCP, &t), -EBADMSG);
        n = put_msg(b, NLMSG_ERROR, &e, 4);
        assert_int_equal(sockdiag_decode(buf, n, PROTO_TCP, &t), -EBADMSG);
        /* A record of another family is skipped. */
        m.idiag_family = AF_UNIX;
        n = put_msg(b, SOCK_DIAG_BY_FAMILY, &m, sizeof(m));
        assert_int_equal(sockdiag_decode(buf, n, PROTO_TCP, &t), 0);
        assert_int_equal(t.n, 1);
        /* Trailing bytes that are not a message. */
        memset(b + n, 0xff, 7);
        assert_int_equal(sockdiag_decode(buf, n + 7, PROTO_TCP, &t), -EBADMSG);
        sock_table_done(&t);
}

/* The kernel's bytecode interpreter, as net/ipv4/inet_diag.c runs it, for the ops we emit. */
static bool run_bytecode(const uint8_t *bc, int len, uint16_t sport, uint16_t dport)
{
        while (len > 0) {
                struct inet_diag_bc_op op, arg;
                bool yes = true;

                memcpy(&op, bc, sizeof(op));
                switch (op.code) {
                case INET_DIAG_BC_JMP:
                        yes = false;
                        break;
                case INET_DIAG_BC_S_EQ:
                        memcpy(&arg, bc + sizeof(op), sizeof(arg));
                        yes = sport == arg.no;
                        break;
                case INET_DIAG_BC_D_EQ:
                        memcpy(&arg, bc + sizeof(op), sizeof(arg));
                        yes = dport == arg.no;
                        break;
                default:
                        fail_msg("unexpected op %u", op.code);
                }
                if (yes) {
                        len -= op.yes;
                        bc += op.yes;
                } else {
                        len -= op.no;
                        bc += op.no;
                }
        }
        return len == 0;
}

static void test_request(void **state)
{
        static const uint16_t ports[] = {22, 443, 65535};
        uint32_t buf[2048];
        struct nlmsghdr h;
        struct inet_diag_req_v2 req;
        struct nlattr a;
        int len;

        (void)state;
        len = sockdiag_build_request(buf, sizeof(buf), AF_INET6, PROTO_UDP,
                                     SOCK_STATE_BIT(SOCK_CLOSE), NULL, 0, 7);
        assert_int_equal(len, NLMSG_HDRLEN + sizeof(req));
        memcpy(&h, buf, sizeof(h));
        memcpy(&req, (uint8_t *)buf + NLMSG_HDRLEN, sizeof(req));
        assert_int_equal(h.nlmsg_type, SOCK_DIAG_BY_FAMILY);
        assert_int_equal(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
        assert_int_equal(h.nlmsg_seq, 7);
        assert_int_equal(req.sdiag_family, AF_INET6);
        assert_int_equal(req.sdiag_protocol, IPPROTO_UDP);
        assert_int_equal(req.idiag_states, SOCK_STATE_BIT(SOCK_CLOSE));

        /* Both families of TCP: the older request type and its own struct. */
        len = sockdiag_build_request(buf, sizeof(buf), AF_UNSPEC, PROTO_TCP,
                                     SOCK_STATE_BIT(SOCK_LISTEN), NULL, 0, 9);
        assert_int_equal(len, NLMSG_HDRLEN + sizeof(struct inet_diag_req));
        memcpy(&h, buf, sizeof(h));
        assert_int_equal(h.nlmsg_type, TCPDIAG_GETSOCK);
        {
                struct inet_diag_req old;

                memcpy(&old, (uint8_t *)buf + NLMSG_HDRLEN, sizeof(old));
                assert_int_equal(old.idiag_states, SOCK_STATE_BIT(SOCK_LISTEN));
        }
        assert_int_equal(
            sockdiag_build_request(buf, sizeof(buf), AF_UNSPEC, PROTO_UDP, 0, NULL, 0, 1), -EINVAL);

        len = sockdiag_build_request(buf, sizeof(buf), AF_INET, PROTO_TCP, SOCK_STATES_ALL, ports,
                                     3, 8);
        assert_true(len > 0);
        memcpy(&h, buf, sizeof(h));
        assert_int_equal(h.nlmsg_len, (uint32_t)len);
        memcpy(&a, (uint8_t *)buf + NLMSG_HDRLEN + sizeof(req), sizeof(a));
        assert_int_equal(a.nla_type, INET_DIAG_REQ_BYTECODE);
        assert_int_equal(NLMSG_HDRLEN + sizeof(req) + NLA_ALIGN(a.nla_len), (size_t)len);
        {
                const uint8_t *bc = (uint8_t *)buf + NLMSG_HDRLEN + sizeof(req) + NLA_HDRLEN;
                int bclen = a.nla_len - NLA_HDRLEN;

                for (uint32_t p = 0; p < 65536; p += 1 + p / 7) {
                        bool want = p == 22 || p == 443 || p == 65535;

                        assert_int_equal(run_bytecode(bc, bclen, (uint16_t)p, 1), want);
                        assert_int_equal(run_bytecode(bc, bclen, 1, (uint16_t)p), want);
                }
                assert_true(run_bytecode(bc, bclen, 443, 22));
                assert_true(run_bytecode(bc, bclen, 65535, 65535));
                assert_false(run_bytecode(bc, bclen, 0, 0));
                assert_false(run_bytecode(bc, bclen, 21, 23));
        }
        /* Refusals leave nothing half-written that matters, and say why. */
        assert_int_equal(
            sockdiag_build_request(buf, sizeof(buf), AF_UNIX, PROTO_TCP, 0, NULL, 0, 1), -EINVAL);
        assert_int_equal(
            sockdiag_build_request(buf, sizeof(buf), AF_INET, PROTO_SCTP, 0, NULL, 0, 1), -EINVAL);
        assert_int_equal(sockdiag_build_request(buf, 16, AF_INET, PROTO_TCP, 0, NULL, 0, 1),
                         -ENOBUFS);
        assert_int_equal(sockdiag_build_request(buf, sizeof(buf), AF_INET, PROTO_TCP, 0, ports,
                                                SOCKDIAG_MAX_PORTS + 1, 1),
                         -E2BIG);
}

/* The largest filter still fits 16-bit jumps and still matches its last port. */
static void test_request_max(void **state)
{
        uint16_t *ports = malloc(SOCKDIAG_MAX_PORTS * sizeof(*ports));
        size_t size = 65536 + 4096;
        uint8_t *buf = malloc(size);
        struct nlattr a;
        int len;

        (void)state;
        for (size_t i = 0; i < SOCKDIAG_MAX_PORTS; i++)
                ports[i] = (uint16_t)(1000 + i);
        len = sockdiag_build_request(buf, size, AF_INET, PROTO_TCP, SOCK_STATES_ALL, ports,
                                     SOCKDIAG_MAX_PORTS, 1);
        assert_true(len > 0);
        memcpy(&a, buf + NLMSG_HDRLEN + sizeof(struct inet_diag_req_v2), sizeof(a));
        {
                const uint8_t *bc =
                    buf + NLMSG_HDRLEN + sizeof(struct inet_diag_req_v2) + NLA_HDRLEN;
                int bclen = a.nla_len - NLA_HDRLEN;

                assert_true(run_bytecode(bc, bclen, 1000, 0));
                assert_true(run_bytecode(bc, bclen, 0, 1000 + SOCKDIAG_MAX_PORTS - 1));
                assert_false(run_bytecode(bc, bclen, 999, 1000 + SOCKDIAG_MAX_PORTS));
        }
        free(ports);
        free(buf);
}

static void test_state_names(void **state)
{
        (void)state;
        assert_string_equal(sock_state_name(PROTO_TCP, SOCK_LISTEN), "LISTEN");
        assert_string_equal(sock_state_name(PROTO_TCP, SOCK_ESTABLISHED), "ESTABLISHED");
        assert_string_equal(sock_state_name(PROTO_TCP, SOCK_TIME_WAIT), "TIME_WAIT");
        assert_string_equal(sock_state_name(PROTO_TCP, SOCK_CLOSE), "CLOSE");
        assert_string_equal(sock_state_name(PROTO_UDP, SOCK_ESTABLISHED), "ESTABLISHED");
        assert_string_equal(sock_state_name(PROTO_TCP, 0), "UNKNOWN");
        assert_string_equal(sock_state_name(PROTO_TCP, 200), "UNKNOWN");
        assert_true(sock_is_listener(PROTO_TCP, SOCK_LISTEN));
        assert_false(sock_is_listener(PROTO_TCP, SOCK_CLOSE));
        assert_false(sock_is_listener(PROTO_UDP, SOCK_ESTABLISHED));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_tcp4_listeners),
            cmocka_unit_test(test_tcp6_v6only),
            cmocka_unit_test(test_udp),
            cmocka_unit_test(test_port_filter),
            cmocka_unit_test(test_all_states),
            cmocka_unit_test(test_both_families),
            cmocka_unit_test(test_chunks),
            cmocka_unit_test(test_truncated),
            cmocka_unit_test(test_errors),
            cmocka_unit_test(test_request),
            cmocka_unit_test(test_request_max),
            cmocka_unit_test(test_state_names),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}

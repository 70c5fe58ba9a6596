/* sockdiag: sock_diag dump requests (with a kernel-side port filter) and the decoder of replies.
 *
 * Messages are built, walked and sent with libmnl.  The decoder takes any bytes at all: libmnl
 * checks each message and attribute length against what is left before it is used, and socket
 * records are copied out before they are read.
 */
#include "sockdiag.h"

#include "cleanup.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* One recv; the kernel fills dump replies up to 32 KiB (or a page, whichever is larger). */
#define SOCKDIAG_RECV_SIZE 32768

const char *sock_state_name(enum proto proto, unsigned state)
{
        static const char *const names[SOCK_STATE_MAX] = {
            [SOCK_ESTABLISHED] = "ESTABLISHED",
            [SOCK_SYN_SENT] = "SYN_SENT",
            [SOCK_SYN_RECV] = "SYN_RECV",
            [SOCK_FIN_WAIT1] = "FIN_WAIT1",
            [SOCK_FIN_WAIT2] = "FIN_WAIT2",
            [SOCK_TIME_WAIT] = "TIME_WAIT",
            [SOCK_CLOSE] = "CLOSE",
            [SOCK_CLOSE_WAIT] = "CLOSE_WAIT",
            [SOCK_LAST_ACK] = "LAST_ACK",
            [SOCK_LISTEN] = "LISTEN",
            [SOCK_CLOSING] = "CLOSING",
            [SOCK_NEW_SYN_RECV] = "SYN_RECV",
            [SOCK_BOUND_INACTIVE] = "BOUND",
        };

        if (proto == PROTO_UDP && state == SOCK_CLOSE)
                return "UNCONN";
        return state < SOCK_STATE_MAX && names[state] ? names[state] : "UNKNOWN";
}

bool sock_is_listener(enum proto proto, unsigned state)
{
        return proto == PROTO_TCP ? state == SOCK_LISTEN : state == SOCK_CLOSE;
}

int sock_table_add(struct sock_table *t, const struct sock_row *row)
{
        if (t->n == t->cap) {
                size_t cap = t->cap ? t->cap * 2 : 64;
                struct sock_row *r;

                if (t->n >= SOCK_TABLE_MAX)
                        return -E2BIG;
                if (cap > SOCK_TABLE_MAX)
                        cap = SOCK_TABLE_MAX;
                r = realloc(t->rows, cap * sizeof(*r));
                if (!r)
                        return -ENOMEM;
                t->rows = r;
                t->cap = cap;
        }
        t->rows[t->n++] = *row;
        return 0;
}

void sock_table_done(struct sock_table *t)
{
        free(t->rows);
        *t = (struct sock_table){0};
}

/* The filter, for each port p: "sport == p: accept", "dport == p: accept"; after the last test,
 * reject.  Every test is a comparison (two ops: the second carries the port in host order) that
 * falls through to an unconditional jump to the end (accept) when true, and skips that jump when
 * false.  A jump to exactly the end accepts, to 4 bytes past it rejects (net/ipv4/inet_diag.c,
 * inet_diag_bc_run); every "yes" offset lands on the next op, as the kernel's audit wants. */
#define BC_TEST_LEN (3 * sizeof(struct inet_diag_bc_op))

static size_t bytecode_len(size_t n_ports)
{
        return 2 * n_ports * BC_TEST_LEN;
}

static void bytecode_write(struct inet_diag_bc_op *op, const uint16_t *ports, size_t n_ports)
{
        size_t total = bytecode_len(n_ports), at = 0;

        for (size_t i = 0; i < 2 * n_ports; i++) {
                bool last = i + 1 == 2 * n_ports;
                unsigned char code = i % 2 == 0 ? INET_DIAG_BC_S_EQ : INET_DIAG_BC_D_EQ;

                op[0] = (struct inet_diag_bc_op){
                    .code = code,
                    .yes = 2 * sizeof(*op),
                    .no = (unsigned short)(last ? BC_TEST_LEN + 4 : BC_TEST_LEN)};
                op[1] = (struct inet_diag_bc_op){.no = ports[i / 2]};
                op[2] = (struct inet_diag_bc_op){
                    .code = INET_DIAG_BC_JMP,
                    .yes = sizeof(*op),
                    .no = (unsigned short)(total - at - 2 * sizeof(*op)),
                };
                op += 3;
                at += BC_TEST_LEN;
        }
}

int sockdiag_build_request(void *buf, size_t size, int family, enum proto proto, uint32_t states,
                           const uint16_t *ports, size_t n_ports, uint32_t seq)
{
        /* Both families of TCP in one walk of the kernel's tables: the older request
         * (TCPDIAG_GETSOCK, struct inet_diag_req) is answered for AF_UNSPEC, as ss uses it. */
        bool both = family == AF_UNSPEC && proto == PROTO_TCP;
        size_t body = both ? sizeof(struct inet_diag_req) : sizeof(struct inet_diag_req_v2);
        size_t need = MNL_NLMSG_HDRLEN + MNL_ALIGN(body);
        struct nlmsghdr *nlh;

        if ((family != AF_INET && family != AF_INET6 && !both) ||
            (proto != PROTO_TCP && proto != PROTO_UDP))
                return -EINVAL;
        if (n_ports > SOCKDIAG_MAX_PORTS)
                return -E2BIG;
        if (n_ports)
                need += MNL_ATTR_HDRLEN + MNL_ALIGN(bytecode_len(n_ports));
        if (size < need || ((uintptr_t)buf % 4) != 0)
                return -ENOBUFS;
        /* libmnl's put functions trust the buffer: its size was checked above. */
        memset(buf, 0, need);
        nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = both ? TCPDIAG_GETSOCK : SOCK_DIAG_BY_FAMILY;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
        nlh->nlmsg_seq = seq;
        if (both) {
                struct inet_diag_req *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));

                req->idiag_family = AF_INET; /* not consulted for a dump of this kind */
                req->idiag_states = states;
                req->id.idiag_cookie[0] = req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
        } else {
                struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));

                req->sdiag_family = (uint8_t)family;
                req->sdiag_protocol = proto == PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
                req->idiag_states = states;
                /* Cookies are not compared in a dump, but "no cookie" is the honest value. */
                req->id.idiag_cookie[0] = req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
        }
        if (n_ports) {
                /* The filter is written in place as the attribute's payload. */
                struct nlattr *attr = mnl_nlmsg_get_payload_tail(nlh);

                attr->nla_type = INET_DIAG_REQ_BYTECODE;
                attr->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + bytecode_len(n_ports));
                bytecode_write(mnl_attr_get_payload(attr), ports, n_ports);
                nlh->nlmsg_len += MNL_ALIGN(attr->nla_len);
        }
        return (int)nlh->nlmsg_len;
}

/* The attributes after the record: only the IPv6-only flag is read. */
static int attr_cb(const struct nlattr *attr, void *data)
{
        struct sock_row *row = data;

        if (mnl_attr_get_type(attr) == INET_DIAG_SKV6ONLY && row->family == AF_INET6 &&
            mnl_attr_validate(attr, MNL_TYPE_U8) >= 0)
                row->v6only = mnl_attr_get_u8(attr) ? 1 : 0;
        return MNL_CB_OK;
}

/* One socket record (message @nlh) into @t.  Records of other families are skipped. */
static int decode_socket(const struct nlmsghdr *nlh, enum proto proto, struct sock_table *t)
{
        struct inet_diag_msg msg;
        struct sock_row row = {.proto = (uint8_t)proto, .v6only = -1};

        if (mnl_nlmsg_get_payload_len(nlh) < sizeof(msg))
                return -EBADMSG;
        memcpy(&msg, mnl_nlmsg_get_payload(nlh), sizeof(msg));
        if (msg.idiag_family != AF_INET && msg.idiag_family != AF_INET6)
                return 0;
        row.family = msg.idiag_family;
        row.state = msg.idiag_state;
        /* Ports are big-endian in struct inet_diag_sockid; addresses stay in network order. */
        row.lport = ntohs(msg.id.idiag_sport);
        row.rport = ntohs(msg.id.idiag_dport);
        memcpy(row.local, msg.id.idiag_src, row.family == AF_INET ? 4 : 16);
        memcpy(row.remote, msg.id.idiag_dst, row.family == AF_INET ? 4 : 16);
        row.ifindex = msg.id.idiag_if;
        row.uid = msg.idiag_uid;
        row.inode = msg.idiag_inode;
        row.rqueue = msg.idiag_rqueue;
        row.wqueue = msg.idiag_wqueue;
        /* A malformed attribute ends the walk; the record itself is still good. */
        mnl_attr_parse(nlh, sizeof(msg), attr_cb, &row);
        return sock_table_add(t, &row);
}

/* mnl_nlmsg_ok compares the length as a signed int, so a length above 2 GiB would pass it and
 * send mnl_nlmsg_next far away: compare it unsigned first.  The padding must be there too:
 * libmnl's attribute walk ends at the padded end of a message, so a last message without its
 * padding would have it read up to three bytes past the buffer (the kernel always pads). */
static bool msg_ok(const struct nlmsghdr *nlh, int left)
{
        return left >= (int)sizeof(*nlh) && nlh->nlmsg_len <= (uint32_t)left &&
               MNL_ALIGN((size_t)nlh->nlmsg_len) <= (size_t)left && mnl_nlmsg_ok(nlh, left);
}

int sockdiag_decode(const void *buf, size_t len, enum proto proto, struct sock_table *t)
{
        const struct nlmsghdr *nlh = buf;
        int left;

        if (len > INT_MAX || ((uintptr_t)buf % 4) != 0)
                return -EBADMSG;
        left = (int)len;
        /* Each length is checked against what is left before it is used. */
        for (; msg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
                int r = 0;

                switch (nlh->nlmsg_type) {
                case NLMSG_DONE: {
                        int err = 0;

                        /* Since Linux 4.x a dump's DONE carries its error, if any. */
                        if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err))
                                memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
                        return err < 0 && err > -4096 ? err : 1;
                }
                case NLMSG_ERROR: {
                        struct nlmsgerr e;

                        if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e))
                                return -EBADMSG;
                        memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
                        if (e.error < 0 && e.error > -4096)
                                return e.error;
                        if (e.error != 0)
                                return -EBADMSG;
                        break; /* an acknowledgement */
                }
                case SOCK_DIAG_BY_FAMILY:
                case TCPDIAG_GETSOCK: /* the records of the older request for both families */
                        r = decode_socket(nlh, proto, t);
                        break;
                default:
                        break; /* NLMSG_NOOP and anything newer */
                }
                if (r < 0)
                        return r;
        }
        return left == 0 ? 0 : -EBADMSG;
}

static void nl_closep(struct mnl_socket **nl)
{
        if (*nl)
                mnl_socket_close(*nl);
}

static int nl_open(struct mnl_socket **ret_nl)
{
        _cleanup_(nl_closep) struct mnl_socket *nl =
            mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);

        if (!nl)
                return -errno;
        if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
                return -errno;
        *ret_nl = TAKE_PTR(nl);
        return 0;
}

/* Sends @req on @nl and hands each reply datagram to @on_reply until it returns nonzero.
 * mnl_socket_recvfrom refuses truncated datagrams and any not sent by the kernel. */
static int nl_dump(struct mnl_socket *nl, const void *req, size_t len,
                   int (*on_reply)(const void *buf, size_t n, void *data), void *data)
{
        uint32_t buf[SOCKDIAG_RECV_SIZE / sizeof(uint32_t)];
        int r;

        if (mnl_socket_sendto(nl, req, len) < 0)
                return -errno;
        do {
                ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return errno == ENOSPC ? -EMSGSIZE : -errno;
                if (n == 0)
                        return -EBADMSG;
                r = on_reply(buf, (size_t)n, data);
        } while (r == 0);
        return r < 0 ? r : 0;
}

int sockdiag_exchange(const void *req, size_t len,
                      int (*on_reply)(const void *buf, size_t n, void *data), void *data)
{
        _cleanup_(nl_closep) struct mnl_socket *nl = NULL;
        int r = nl_open(&nl);

        if (r < 0)
                return r;
        return nl_dump(nl, req, len, on_reply, data);
}

/* Whether @row's local or remote port is among @ports. */
static bool port_matches(const struct sock_row *row, const uint16_t *ports, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (row->lport == ports[i] || row->rport == ports[i])
                        return true;
        return false;
}

struct decode_ctx {
        enum proto proto;
        struct sock_table *t;
};

static int on_reply(const void *buf, size_t n, void *data)
{
        struct decode_ctx *c = data;

        return sockdiag_decode(buf, n, c->proto, c->t);
}

/* One dump: sends the request and decodes replies until done.  With @filter false the ports
 * are matched here instead of in the kernel. */
static int dump_one(struct mnl_socket *nl, int family, enum proto proto, uint32_t states,
                    const struct sockdiag_query *q, bool filter, struct sock_table *t)
{
        static uint32_t seq;
        uint32_t req[(NLMSG_HDRLEN + sizeof(struct inet_diag_req_v2) + NLA_HDRLEN +
                      SOCKDIAG_MAX_PORTS * 6 * sizeof(struct inet_diag_bc_op)) /
                         sizeof(uint32_t) +
                     4];
        struct decode_ctx c = {proto, t};
        size_t first = t->n;
        int len, r;

        len = sockdiag_build_request(req, sizeof(req), family, proto, states, q->ports,
                                     filter ? q->n_ports : 0, ++seq);
        if (len < 0)
                return len;
        r = nl_dump(nl, req, (size_t)len, on_reply, &c);
        if (r < 0)
                return r;
        if (!filter && q->n_ports) {
                size_t u = first;

                for (size_t i = first; i < t->n; i++)
                        if (port_matches(&t->rows[i], q->ports, q->n_ports))
                                t->rows[u++] = t->rows[i];
                t->n = u;
        }
        return 0;
}

int sockdiag_query(const struct sockdiag_query *q, struct sock_table *t)
{
        static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};
        static const int families[] = {AF_INET, AF_INET6};
        bool filter = q->n_ports > 0 && q->n_ports <= SOCKDIAG_MAX_PORTS;
        _cleanup_(nl_closep) struct mnl_socket *nl = NULL;
        int r = nl_open(&nl);

        if (r < 0)
                return r;
        for (size_t p = 0; p < 2 && r == 0; p++) {
                uint32_t states = protos[p] == PROTO_TCP ? q->tcp_states : q->udp_states;

                if (!(q->protos & PROTO_BIT(protos[p])) || states == 0)
                        continue;
                for (size_t f = 0; f < 2 && r == 0; f++) {
                        size_t before = t->n;
                        int family = families[f];

                        if (!(q->families & (1u << f)))
                                continue;
                        /* TCP's tables hold both families: walk them once, not twice. */
                        if (protos[p] == PROTO_TCP && (q->families & SOCKDIAG_V4) &&
                            (q->families & SOCKDIAG_V6)) {
                                family = AF_UNSPEC;
                                f = 2;
                        }
                        r = dump_one(nl, family, protos[p], states, q, filter, t);
                        /* A kernel too old for equality tests refuses the filter: match here. */
                        if (r == -EINVAL && filter) {
                                t->n = before;
                                filter = false;
                                r = dump_one(nl, family, protos[p], states, q, false, t);
                        }
                }
        }
        return r;
}

/* inspect: the who-is-using join: kernel sockets -> holders -> users -> namespace notes.
 *
 * The kernel is asked only for what was asked (ports filtered in the kernel, listeners only when
 * no port is given), and the process scan looks only for the inodes of those sockets.
 */
#include "inspect.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netns.h"
#include "parse.h"
#include "procnet.h"

enum exposure inspect_exposure(const struct sock_row *row)
{
        static const uint8_t any[16], loop6[16] = {[15] = 1};
        static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};

        if (row->family == AF_INET) {
                if (memcmp(row->local, any, 4) == 0)
                        return EXPOSURE_ALL;
                return row->local[0] == 127 ? EXPOSURE_LOOPBACK : EXPOSURE_ADDRESS;
        }
        if (memcmp(row->local, any, 16) == 0)
                return EXPOSURE_ALL;
        if (memcmp(row->local, loop6, 16) == 0 ||
            (memcmp(row->local, mapped, 12) == 0 && row->local[12] == 127))
                return EXPOSURE_LOOPBACK;
        return EXPOSURE_ADDRESS;
}

/* A decimal 0-65535 at *p, advancing it. */
static bool take_port(const char **p, uint16_t *ret)
{
        return parse_port_prefix(p, ret) == 0;
}

int inspect_parse_port_range(const char *text, uint16_t *ret_lo, uint16_t *ret_hi)
{
        const char *p = text;
        uint16_t lo, hi;

        p += strspn(p, " \t");
        if (!take_port(&p, &lo))
                return -EINVAL;
        p += strspn(p, " \t");
        if (!take_port(&p, &hi) || lo > hi)
                return -EINVAL;
        p += strspn(p, " \t\n");
        if (*p)
                return -EINVAL;
        *ret_lo = lo;
        *ret_hi = hi;
        return 0;
}

bool inspect_port_reserved(const char *text, uint16_t port)
{
        const char *p = text;

        while (*p) {
                uint16_t lo, hi;

                p += strspn(p, " \t\n,");
                if (!*p || !take_port(&p, &lo))
                        return false;
                hi = lo;
                if (*p == '-') {
                        p++;
                        if (!take_port(&p, &hi))
                                return false;
                }
                if (port >= lo && port <= hi)
                        return true;
        }
        return false;
}

/* Reads a small file under the proc root into @buf (NUL-terminated). */
static int read_proc_text(const char *root, const char *rel, char *buf, size_t size)
{
        char path[4096];
        ssize_t n;
        int fd;

        if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, rel) >= sizeof(path))
                return -ENAMETOOLONG;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, buf, size - 1);
        close(fd);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        return 0;
}

/* The ephemeral range of the namespace we are in, and the ports reserved from it. */
static void read_ephemeral(const char *root, struct inspect_netns *ns, char *reserved, size_t size)
{
        char text[64];

        ns->eph_lo = ns->eph_hi = 0;
        if (read_proc_text(root, "sys/net/ipv4/ip_local_port_range", text, sizeof(text)) == 0 &&
            inspect_parse_port_range(text, &ns->eph_lo, &ns->eph_hi) < 0)
                ns->eph_lo = ns->eph_hi = 0;
        if (read_proc_text(root, "sys/net/ipv4/ip_local_reserved_ports", reserved, size) < 0)
                reserved[0] = '\0';
}

/* Adds @port to the list @v (of @n, capacity INSPECT_MAX_SPECS) unless there. */
static void add_port(uint16_t *v, size_t *n, uint16_t port)
{
        for (size_t i = 0; i < *n; i++)
                if (v[i] == port)
                        return;
        v[(*n)++] = port;
}

/* Asks the namespace we are in for its sockets, then tags the new rows. */
static int query_here(const struct inspect_request *req, struct inspect_report *rep,
                      struct inspect_netns *ns, struct sock_table *t)
{
        const char *root = req->proc_root ? req->proc_root : PROCMAP_ROOT;
        static uint16_t tcp_ports[INSPECT_MAX_SPECS], udp_ports[INSPECT_MAX_SPECS];
        size_t n_tcp = 0, n_udp = 0, first = t->n;
        uint32_t all = req->listeners_only || req->n_specs == 0 ? 0 : SOCK_STATES_ALL;
        char reserved[4096];
        int r = 0;

        for (size_t i = 0; i < req->n_specs; i++) {
                if (req->specs[i].protos & PROTO_BIT(PROTO_TCP))
                        add_port(tcp_ports, &n_tcp, req->specs[i].port);
                if (req->specs[i].protos & PROTO_BIT(PROTO_UDP))
                        add_port(udp_ports, &n_udp, req->specs[i].port);
        }
        for (int p = 0; p < 2 && r == 0; p++) {
                enum proto proto = p == 0 ? PROTO_TCP : PROTO_UDP;
                struct sockdiag_query q = {
                    .protos = PROTO_BIT(proto),
                    .families = SOCKDIAG_V4 | SOCKDIAG_V6,
                    .tcp_states = all ? all : SOCK_STATE_BIT(SOCK_LISTEN),
                    .udp_states = all ? all : SOCK_STATE_BIT(SOCK_CLOSE),
                    .ports = proto == PROTO_TCP ? tcp_ports : udp_ports,
                    .n_ports = proto == PROTO_TCP ? n_tcp : n_udp,
                };
                size_t before = t->n;

                if (req->n_specs > 0 && q.n_ports == 0)
                        continue;
                r = req->use_procnet || rep->used_procnet ? -ENOENT : sockdiag_query(&q, t);
                if (r == -EPROTONOSUPPORT || r == -ENOENT || r == -EACCES || r == -EPERM ||
                    r == -EAFNOSUPPORT || r == -EOPNOTSUPP) {
                        t->n = before;
                        rep->used_procnet = true;
                        r = procnet_query(root, &q, t);
                }
        }
        if (r < 0)
                return r;
        read_ephemeral(root, ns, reserved, sizeof(reserved));
        free(ns->reserved);
        ns->reserved = reserved[0] ? strdup(reserved) : NULL;
        for (size_t i = first; i < t->n; i++)
                t->rows[i].netns = ns->ino;
        return 0;
}

/* Whether @row answers one of the specs (the kernel filter matched ports on both protocols;
 * here the protocol of each spec is honoured too). */
static bool row_answers(const struct inspect_request *req, const struct sock_row *row,
                        uint16_t *ret_port, bool *ret_remote)
{
        if (req->listeners_only || req->n_specs == 0)
                if (!sock_is_listener(row->proto, row->state))
                        return false;
        if (req->n_specs == 0) {
                *ret_port = row->lport;
                *ret_remote = false;
                return true;
        }
        for (size_t i = 0; i < req->n_specs; i++) {
                if (!(req->specs[i].protos & PROTO_BIT(row->proto)))
                        continue;
                if (row->lport == req->specs[i].port) {
                        *ret_port = row->lport;
                        *ret_remote = false;
                        return true;
                }
        }
        for (size_t i = 0; i < req->n_specs; i++) {
                if (!(req->specs[i].protos & PROTO_BIT(row->proto)))
                        continue;
                if (row->rport == req->specs[i].port && !sock_is_listener(row->proto, row->state)) {
                        *ret_port = row->rport;
                        *ret_remote = true;
                        return true;
                }
        }
        return false;
}

static int cmp_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
        int c = memcmp(a, b, n);

        return (c > 0) - (c < 0);
}

/* Port asked about, protocol, listeners first, family, local address, then the rest. */
static int cmp_socket(const void *pa, const void *pb)
{
        const struct inspect_socket *a = pa, *b = pb;
        int c;

        if (a->port != b->port)
                return a->port < b->port ? -1 : 1;
        if (a->row.proto != b->row.proto)
                return a->row.proto < b->row.proto ? -1 : 1;
        if (a->listener != b->listener)
                return a->listener ? -1 : 1;
        if (a->remote_match != b->remote_match)
                return a->remote_match ? 1 : -1;
        if (a->row.family != b->row.family)
                return a->row.family < b->row.family ? -1 : 1;
        if (a->row.netns != b->row.netns)
                return a->row.netns < b->row.netns ? -1 : 1;
        c = cmp_bytes(a->row.local, b->row.local, 16);
        if (c)
                return c;
        if (a->row.lport != b->row.lport)
                return a->row.lport < b->row.lport ? -1 : 1;
        c = cmp_bytes(a->row.remote, b->row.remote, 16);
        if (c)
                return c;
        if (a->row.rport != b->row.rport)
                return a->row.rport < b->row.rport ? -1 : 1;
        return (a->row.inode > b->row.inode) - (a->row.inode < b->row.inode);
}

static int add_netns(struct inspect_report *rep, uint64_t ino, int pid)
{
        struct inspect_netns *v = realloc(rep->netns, (rep->n_netns + 1) * sizeof(*v));

        if (!v)
                return -ENOMEM;
        rep->netns = v;
        v[rep->n_netns++] = (struct inspect_netns){.ino = ino, .pid = pid};
        return 0;
}

/* Visits every other namespace in turn, always coming back to ours. */
static int query_all_netns(const struct inspect_request *req, struct inspect_report *rep,
                           struct sock_table *t)
{
        struct netns_list l;
        int r = netns_list_scan(req->proc_root, &l);

        for (size_t i = 0; r == 0 && i < l.n; i++)
                if (l.v[i].ino != rep->netns[0].ino)
                        r = add_netns(rep, l.v[i].ino, l.v[i].pid);
        netns_list_done(&l);
        if (r < 0)
                return r;
        for (size_t i = 1; i < rep->n_netns; i++) {
                struct inspect_netns *ns = &rep->netns[i];
                int back;

                if (netns_enter(req->proc_root, ns->pid, &back) < 0) {
                        rep->netns_failed++;
                        continue;
                }
                ns->entered = true;
                r = query_here(req, rep, ns, t);
                /* Staying in a foreign namespace would make every later answer wrong. */
                if (netns_leave(back) < 0)
                        return -ENOTRECOVERABLE;
                if (r < 0)
                        return r;
                netns_container_hint(req->proc_root, ns->pid, ns->hint, sizeof(ns->hint));
        }
        return 0;
}

static const struct inspect_netns *netns_of_row(const struct inspect_report *rep,
                                                const struct sock_row *row)
{
        for (size_t i = 0; i < rep->n_netns; i++)
                if (rep->netns[i].ino == row->netns)
                        return &rep->netns[i];
        return NULL;
}

/* Fills rep->socks from the rows that answer the request. */
static int build_sockets(const struct inspect_request *req, struct inspect_report *rep,
                         const struct sock_table *t, bool *ret_listeners)
{
        bool listeners = true;

        rep->socks = calloc(t->n ? t->n : 1, sizeof(*rep->socks));
        if (!rep->socks)
                return -ENOMEM;
        for (size_t i = 0; i < t->n; i++) {
                const struct sock_row *row = &t->rows[i];
                struct inspect_socket *s = &rep->socks[rep->n];
                const struct inspect_netns *ns;
                uint16_t port;
                bool remote;

                if (!row_answers(req, row, &port, &remote))
                        continue;
                *s = (struct inspect_socket){.row = *row, .port = port, .remote_match = remote};
                s->listener = sock_is_listener(row->proto, row->state);
                s->exposure = inspect_exposure(row);
                ns = netns_of_row(rep, row);
                if (s->listener && ns && ns->eph_hi && row->lport >= ns->eph_lo &&
                    row->lport <= ns->eph_hi &&
                    !(ns->reserved && inspect_port_reserved(ns->reserved, row->lport)))
                        s->ephemeral = true;
                if (!s->listener)
                        listeners = false;
                rep->n++;
        }
        if (rep->n > 1)
                qsort(rep->socks, rep->n, sizeof(*rep->socks), cmp_socket);
        *ret_listeners = listeners;
        return 0;
}

/* The holders, users and hints of every socket. */
static int join(const struct inspect_request *req, struct inspect_report *rep, bool listeners)
{
        uint64_t *inodes = malloc((rep->n ? rep->n : 1) * sizeof(*inodes));
        size_t n = 0;
        int r;

        if (!inodes)
                return -ENOMEM;
        for (size_t i = 0; i < rep->n; i++)
                if (rep->socks[i].row.inode)
                        inodes[n++] = rep->socks[i].row.inode;
        r = procmap_scan(&rep->map, req->proc_root, inodes, n,
                         PROCMAP_DETAILS | (listeners ? PROCMAP_LISTENERS : 0));
        free(inodes);
        if (r < 0)
                return r;
        if (rep->map.n_procs) {
                rep->proc_users = calloc(rep->map.n_procs, sizeof(*rep->proc_users));
                if (!rep->proc_users)
                        return -ENOMEM;
                for (size_t i = 0; i < rep->map.n_procs; i++)
                        if (rep->map.procs[i].has_uid)
                                rep->proc_users[i] = users_name(&rep->users, rep->map.procs[i].uid);
        }
        if (req->all_netns && rep->map.n_procs) {
                rep->hints = calloc(rep->map.n_procs, sizeof(*rep->hints));
                if (!rep->hints)
                        return -ENOMEM;
                for (size_t i = 0; i < rep->map.n_procs; i++)
                        netns_container_hint(req->proc_root, rep->map.procs[i].pid, rep->hints[i],
                                             sizeof(rep->hints[i]));
        }
        for (size_t i = 0; i < rep->n; i++) {
                struct inspect_socket *s = &rep->socks[i];

                s->user = users_name(&rep->users, s->row.uid);
                if (s->row.inode)
                        s->n_holds = procmap_find(&rep->map, s->row.inode, &s->holds);
                if (!req->all_netns)
                        continue;
                for (size_t h = 0; h < s->n_holds && !s->container; h++)
                        if (rep->hints[s->holds[h].proc][0])
                                s->container = rep->hints[s->holds[h].proc];
                if (!s->container) {
                        const struct inspect_netns *ns = netns_of_row(rep, &s->row);

                        if (ns && ns->hint[0])
                                s->container = ns->hint;
                }
        }
        return 0;
}

/* Whether every process's descriptors are ours to read: root, or the two capabilities that
 * reading them takes (CAP_DAC_READ_SEARCH to list another user's fd directory, CAP_SYS_PTRACE
 * to read its links and its exe). */
static bool sees_every_process(void)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};
        uint32_t want = (1u << CAP_SYS_PTRACE) | (1u << CAP_DAC_READ_SEARCH);

        if (geteuid() == 0)
                return true;
        if (syscall(SYS_capget, &hdr, data) < 0)
                return false;
        return (data[0].effective & want) == want;
}

bool inspect_owner_differs(const struct inspect_report *r, const struct inspect_socket *s)
{
        for (size_t i = 0; i < s->n_holds; i++) {
                const struct procmap_proc *p = inspect_proc(r, s, i);

                if (p->has_uid && p->uid != s->row.uid)
                        return true;
        }
        return false;
}

int inspect_run(const struct inspect_request *req, struct inspect_report *rep)
{
        struct sock_table t = {0};
        uint64_t self = 0;
        bool listeners = true;
        int r;

        *rep = (struct inspect_report){.root = sees_every_process()};
        users_init(&rep->users, req->passwd);
        if (req->n_specs > INSPECT_MAX_SPECS)
                return -E2BIG;
        for (size_t i = 0; i < req->n_specs; i++)
                if (!(req->specs[i].protos & PROTO_MASK_TCP_UDP))
                        return -EINVAL;
        netns_of(NULL, 0, &self);
        r = add_netns(rep, self, 0);
        if (r < 0)
                return r;
        rep->netns[0].entered = true;
        r = query_here(req, rep, &rep->netns[0], &t);
        if (r == 0 && req->all_netns)
                r = query_all_netns(req, rep, &t);
        if (r == 0)
                r = build_sockets(req, rep, &t, &listeners);
        sock_table_done(&t);
        if (r == 0 && rep->n > 0)
                r = join(req, rep, listeners);
        return r;
}

void inspect_done(struct inspect_report *r)
{
        procmap_done(&r->map);
        users_done(&r->users);
        for (size_t i = 0; i < r->n_netns; i++)
                free(r->netns[i].reserved);
        free(r->socks);
        free(r->netns);
        free(r->hints);
        free(r->proc_users);
        *r = (struct inspect_report){0};
}

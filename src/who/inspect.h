/* inspect: who is using a port.  Sockets from the kernel (sockdiag, or procnet as a fallback)
 * joined with the processes holding them (procmap), their users, their namespaces and how far
 * they reach.
 *
 * Decides nothing about what is suspicious (that is audit's job) and prints nothing.
 */
#ifndef PORTINFO_INSPECT_H
#define PORTINFO_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns.h"
#include "procmap.h"
#include "sockdiag.h"
#include "users.h"

#define INSPECT_MAX_SPECS 1024

/* How far a socket can be reached from, judged by its local address. */
enum exposure {
        EXPOSURE_LOOPBACK, /* 127.0.0.0/8, ::1 (or ::ffff:127.x) */
        EXPOSURE_ADDRESS,  /* one address of this machine */
        EXPOSURE_ALL,      /* 0.0.0.0 or ::, every interface */
};

/* One operand of `who`: a port and the protocols asked for (PROTO_BIT of TCP and/or UDP). */
struct inspect_spec {
        uint16_t port;
        unsigned protos;
};

struct inspect_request {
        const struct inspect_spec *specs; /* none: every listener */
        size_t n_specs;
        bool listeners_only;   /* -l; implied when no spec is given */
        bool all_netns;        /* visit every network namespace a process uses (root) */
        const char *proc_root; /* NULL: /proc.  Tests point it at a fixture tree. */
        const char *passwd;    /* NULL: /etc/passwd */
        bool use_procnet;      /* read /proc/net even where sock_diag works (tests) */
};

struct inspect_socket {
        struct sock_row row;
        uint16_t port;     /* the port asked about (the local one when none was asked) */
        bool remote_match; /* that port is the remote end's */
        bool listener;     /* TCP LISTEN, or UDP not connected */
        enum exposure exposure;
        bool ephemeral;   /* a listener inside its namespace's ephemeral port range */
        const char *user; /* NULL when the uid has no name; owned by the report */
        const struct procmap_hold *holds; /* into report->map; n_holds of them */
        size_t n_holds;
        const char *container; /* --all-netns: a hint such as "docker 3f2a9c1b7d4e", or NULL */
};

struct inspect_netns {
        uint64_t ino;
        int pid; /* a process in it (0: ours) */
        bool entered;
        uint16_t eph_lo, eph_hi; /* its ephemeral range; 0-0 when unknown */
        char *reserved;          /* its ip_local_reserved_ports, or NULL */
        char hint[NETNS_MAX_HINT];
};

struct inspect_report {
        struct inspect_socket *socks;
        size_t n;
        struct procmap map;
        struct users users;
        bool root;         /* run as root (or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH): every
                            * process's descriptors were ours to read */
        bool used_procnet; /* sock_diag was missing; /proc/net was read instead */
        struct inspect_netns *netns; /* the namespaces looked at, ours first */
        size_t n_netns;
        size_t netns_failed;           /* namespaces that could not be entered */
        char (*hints)[NETNS_MAX_HINT]; /* --all-netns: per process of map.procs, or "" */
        const char **proc_users;       /* per process of map.procs: its user's name, or NULL
                                        * (no name, or its uid unread); owned by users */
};

/* Runs the query in @req and fills @ret (released with inspect_done, also after a failure).
 * Returns 0 (even when no socket matched), -EINVAL (a bad request), -E2BIG, -ENOMEM, or -errno
 * when neither sock_diag nor /proc/net could be read. */
int inspect_run(const struct inspect_request *req, struct inspect_report *ret);
void inspect_done(struct inspect_report *r);

/* How far @row is reachable, from its local address. */
enum exposure inspect_exposure(const struct sock_row *row);

/* Parses the text of ip_local_port_range ("32768\t60999\n").  Returns 0 or -EINVAL. */
int inspect_parse_port_range(const char *text, uint16_t *ret_lo, uint16_t *ret_hi);

/* Whether @port is in the ip_local_reserved_ports list @text ("8080,9000-9010"); the kernel
 * never hands those out as ephemeral ports. */
bool inspect_port_reserved(const char *text, uint16_t port);

/* The processes holding @s, as procmap_proc pointers into @r: the i-th one. */
static inline const struct procmap_proc *inspect_proc(const struct inspect_report *r,
                                                      const struct inspect_socket *s, size_t i)
{
        return &r->map.procs[s->holds[i].proc];
}

/* The name of the user the i-th holder of @s runs as (its real uid), or NULL. */
static inline const char *inspect_proc_user(const struct inspect_report *r,
                                            const struct inspect_socket *s, size_t i)
{
        return r->proc_users ? r->proc_users[s->holds[i].proc] : NULL;
}

/* Whether some holder of @s runs as another user than the socket's owner (the socket was
 * made before a privilege drop, or handed over). */
bool inspect_owner_differs(const struct inspect_report *r, const struct inspect_socket *s);

#endif

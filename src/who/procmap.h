/* procmap: which processes hold which sockets, found by scanning <root>/<pid>/fd.
 *
 * Reads no more than it must: the scan stops as soon as every wanted socket inode has been seen,
 * then visits only the children of the processes found, so a socket shared after fork is still
 * shown with every holder.  It knows nothing of addresses or ports (that is sockdiag's job).
 */
#ifndef PORTINFO_PROCMAP_H
#define PORTINFO_PROCMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmap_proc.h"

/* A cap on the processes and holds one scan keeps, far above any real machine's. */
#define PROCMAP_MAX_PROCS (1u << 22)

struct procmap_hold {
        uint64_t inode;
        uint32_t proc; /* index into procs */
};

struct procmap {
        struct procmap_proc *procs; /* the holders only, in the order found */
        size_t n_procs;
        struct procmap_hold *holds; /* sorted by inode, then by pid */
        size_t n_holds;
        size_t visited;    /* processes whose fd table was read */
        size_t unreadable; /* processes whose fd table was hidden from us (EACCES, EPERM) */
        size_t vanished;   /* processes that exited while we looked */
        bool complete;     /* every process present at the start was visited */
};

#define PROCMAP_ALL       0x1u /* read every process whole, even after every inode is found */
#define PROCMAP_DETAILS   0x2u /* read name, exe and cmdline of every holder */
#define PROCMAP_LISTENERS 0x4u /* the wanted sockets are listeners: look low first (below) */

/* Listeners are opened when a program starts and keep their descriptor number across fork, so
 * for PROCMAP_LISTENERS the lowest descriptors of every process are read first: as many as the
 * first PROCMAP_LOW_DENTS bytes of its fd listing hold (about 19). */
#define PROCMAP_LOW_DENTS 512

/* Fd tables are read by up to PROCMAP_MAX_LANES threads at once (one per CPU, and one per
 * PROCMAP_PIDS_PER_LANE processes), each taking the next unread process from the list. */
#define PROCMAP_MAX_LANES     4
#define PROCMAP_PIDS_PER_LANE 32

/* Sets the number of lanes for the scans that follow (tests); 0 restores the default. */
void procmap_set_lanes(unsigned n);

/* Scans the processes under @root (PROCMAP_ROOT, or a fixture tree) for the socket inodes in
 * @inodes (@n of them, any order, duplicates allowed).  Fills @m, which the caller releases with
 * procmap_done() (also after a failure).  Returns 0, -ENOMEM, -E2BIG (PROCMAP_MAX_PROCS hit) or
 * -errno when @root itself cannot be read.  Processes that vanish or hide their fds are counted,
 * not errors. */
int procmap_scan(struct procmap *m, const char *root, const uint64_t *inodes, size_t n,
                 unsigned flags);

/* Frees everything @m holds; @m may be reused after. */
void procmap_done(struct procmap *m);

/* Stores in *ret_first the first hold of @inode in @m; returns how many follow (0: none seen). */
size_t procmap_find(const struct procmap *m, uint64_t inode, const struct procmap_hold **ret_first);

/* Parses "socket:[12345]" (a /proc/PID/fd link) into *ret_inode.  Returns 0 or -EINVAL. */
int procmap_parse_socket_link(const char *link, size_t len, uint64_t *ret_inode);

#endif

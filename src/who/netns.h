/* netns: the network namespaces that processes use, how to step into one, and what container
 * (if any) a process belongs to, guessed from its cgroup path.
 *
 * Entering a namespace needs CAP_SYS_ADMIN (root); listing them needs to read other users'
 * /proc/PID/ns links (root too).  Failures are counted, never fatal.
 */
#ifndef PORTINFO_NETNS_H
#define PORTINFO_NETNS_H

#include <stddef.h>
#include <stdint.h>

#define NETNS_MAX_HINT 96

struct netns_entry {
        uint64_t ino; /* from "net:[4026531840]" */
        int pid;      /* the first process seen in it */
};

struct netns_list {
        struct netns_entry *v;
        size_t n, cap;
        size_t unreadable; /* processes whose namespace link could not be read */
};

/* Lists the distinct network namespaces of the processes under @root (NULL: /proc).  Fills @l
 * (released with netns_list_done, also on failure).  Returns 0, -ENOMEM or -errno for @root. */
int netns_list_scan(const char *root, struct netns_list *l);
void netns_list_done(struct netns_list *l);

/* The namespace inode of @pid under @root (pid 0: this thread).  Returns 0 or -errno. */
int netns_of(const char *root, int pid, uint64_t *ret_ino);

/* Moves the calling thread into the network namespace of @pid.  *ret_back receives an fd of the
 * namespace it was in, for netns_leave().  Returns 0 or -errno (-EPERM: not root). */
int netns_enter(const char *root, int pid, int *ret_back);
/* Returns to the namespace saved by netns_enter and closes @back.  Returns 0 or -errno. */
int netns_leave(int back);

/* Writes into @buf a short hint such as "docker 3f2a9c1b7d4e", "podman 8c1d2e3f4a5b",
 * "kubernetes pod", "lxc web1" or "systemd unit nginx.service" from the text of a
 * /proc/PID/cgroup file (@len bytes).  Returns 0, or -ENOENT when the path says nothing useful
 * (the root cgroup, init.scope, a user session). */
int netns_cgroup_hint(const char *text, size_t len, char *buf, size_t size);

/* Reads <root>/<pid>/cgroup and applies netns_cgroup_hint.  Returns 0 or -errno/-ENOENT. */
int netns_container_hint(const char *root, int pid, char *buf, size_t size);

#endif

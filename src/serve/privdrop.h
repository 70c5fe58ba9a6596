/* privdrop: giving up what `portinfo serve` no longer needs once its sockets and stores are open:
 * root, by switching to an unprivileged user, and the rest of the file system, with Landlock.
 *
 * Not a sandbox of system calls (no seccomp): Landlock limits only where files may be opened.
 */
#ifndef PORTINFO_PRIVDROP_H
#define PORTINFO_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

/* The user and primary group of account @name.  Returns 0, -ENOENT (no such user) or -errno. */
int privdrop_lookup(const char *name, uid_t *ret_uid, gid_t *ret_gid);

/* Leaves every supplementary group, then takes @gid and @uid for real, effective and saved ids,
 * and checks that root cannot be taken back.  Returns 0, -EPERM (root still within reach) or
 * -errno; the process must not go on after a failure. */
int privdrop_switch(uid_t uid, gid_t gid);

/* Restricts this thread and the threads and processes it creates from now on to reading
 * (and listing) beneath each of the @n_ro paths in @ro and reading and writing beneath each of
 * the @n_rw in @rw; paths that do not exist are left out.  Sets no_new_privs.  Returns the
 * Landlock ABI version in force (> 0), -EOPNOTSUPP when the kernel has no Landlock, or -errno.
 * Call before creating threads: Landlock binds only the calling thread. */
int privdrop_landlock(const char *const *ro, size_t n_ro, const char *const *rw, size_t n_rw);

#endif

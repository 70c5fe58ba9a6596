/* procdir: the numbered entries of /proc-like directories (pids, thread ids) and whole small
 * files in them.
 *
 * It knows nothing of descriptors, sockets or what a scan is looking for (procmap.c).
 */
#ifndef PORTINFO_PROCDIR_H
#define PORTINFO_PROCDIR_H

#include <stddef.h>

/* The size of the getdents64 buffer the listings below take. */
#define PROCDIR_DENTS_BUF 32768

/* Parses a decimal pid (a /proc directory name).  Returns it, or -1 for anything else. */
int procdir_parse_pid(const char *name);

/* Lists the pids in directory @dfd (a /proc root) ascending into a malloc'ed array (the caller
 * frees it; NULL when there are none), reading with @dents, a PROCDIR_DENTS_BUF-byte buffer.
 * The array grows from 512 by doubling and may not grow once it holds @max or more.  Returns 0,
 * -E2BIG (that cap), -ENOMEM or -errno. */
int procdir_list_pids(int dfd, char *dents, size_t max, int **ret_pids, size_t *ret_n);

/* Lists the thread ids in the task directory @tfd, in the order listed, into a malloc'ed array
 * (the caller frees it).  A listing that fails midway ends the list.  Returns 0 or -ENOMEM. */
int procdir_list_tids(int tfd, char *dents, int **ret_tids, size_t *ret_n);

/* Reads all of @dirfd/@name (at most 4 MiB) into a malloc'ed NUL-terminated buffer (the caller
 * frees it).  Returns 0, -ENOMEM, -E2BIG or -errno. */
int procdir_read_whole(int dirfd, const char *name, char **ret_buf, size_t *ret_len);

#endif

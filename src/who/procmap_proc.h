/* procmap_proc: one process as shown beside a socket: its name, user, executable (and whether
 * that file was deleted or replaced) and command line, from its /proc directory.
 *
 * It reads no descriptors and finds no processes; procmap.h does.
 */
#ifndef PORTINFO_PROCMAP_PROC_H
#define PORTINFO_PROCMAP_PROC_H

#include <stdbool.h>
#include <stdint.h>

#define PROCMAP_ROOT        "/proc"
#define PROCMAP_MAX_CMDLINE 4096

struct procmap_proc {
        int pid;
        char *name;        /* comm; NULL when unreadable */
        char *exe;         /* the executable's path without " (deleted)"; NULL when unreadable */
        char *cmdline;     /* arguments joined by spaces; NULL when unreadable or empty */
        bool exe_deleted;  /* the file it runs is gone ("(deleted)" on the exe link) */
        bool exe_replaced; /* ... and a file is at that path again (an upgrade, usually) */
        bool has_uid;      /* uid was read */
        uint32_t uid;      /* the real uid ("Uid:" in status), as ps and lsof show it */
        bool details;      /* name, exe and cmdline were looked up */
};

/* Reads name, real uid, exe and cmdline of process @pid under @root into @p (which must be zeroed
 * or already filled: fields set before are kept).  Returns 0, or -ENOENT when the process is gone.
 * Strings are malloc'ed and freed by procmap_proc_done(). */
int procmap_proc_details(const char *root, int pid, struct procmap_proc *p);
/* Frees the strings of @p and sets them to NULL; @p itself stays the caller's. */
void procmap_proc_done(struct procmap_proc *p);

/* Reads name, real uid, exe and cmdline of a process into @p, as procmap_proc_details() does, from
 * the directory reached from @dfd by @prefix ("" when @dfd is the process directory, "../" when it
 * is its fd directory); @procfs: @dfd is on a real /proc.  What cannot be read stays NULL. */
void procmap_proc_read_at(int dfd, const char *prefix, bool procfs, struct procmap_proc *p);

/* Reads the real uid from the text of /proc/PID/status (the first number of its "Uid:" line).
 * Returns 0 or -EINVAL. */
int procmap_proc_parse_uid(const char *status, uint32_t *ret_uid);

#endif

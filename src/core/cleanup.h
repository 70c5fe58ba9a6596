/* cleanup: scope-bound release of heap memory, files and descriptors (gcc and clang's
 * `cleanup` attribute), so that an early return cannot leak.
 *
 *         _cleanup_free_ char *line = NULL;
 *         _cleanup_close_ int fd = -1;
 *         _cleanup_closedir_ DIR *d = NULL;
 *
 * A variable handed on is taken out first with TAKE_PTR()/TAKE_FD().  Nothing here allocates.
 */
#ifndef PORTINFO_CLEANUP_H
#define PORTINFO_CLEANUP_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
        free(*(void **)p);
}

static inline void cleanup_fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

static inline void cleanup_closep(const int *fd)
{
        if (*fd >= 0)
                close(*fd);
}

static inline void cleanup_closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

#define _cleanup_(f)     __attribute__((cleanup(f)))
#define _cleanup_free_   _cleanup_(cleanup_freep)
#define _cleanup_fclose_ _cleanup_(cleanup_fclosep)
#define _cleanup_close_  _cleanup_(cleanup_closep)
/* A directory stream, with the descriptor fdopendir() took over. */
#define _cleanup_closedir_ _cleanup_(cleanup_closedirp)

/* Defines cleanup_NAMEp for a type whose release function is NAME_free(T *) (NULL-safe). */
#define DEFINE_CLEANUP_FREE(type, func)                                                            \
        static inline void func##p(type **p)                                                       \
        {                                                                                          \
                func(*p);                                                                          \
        }

/* The value of the pointer @p, leaving NULL behind: ownership moves to the caller. */
#define TAKE_PTR(p)                                                                                \
        __extension__({                                                                            \
                __typeof__(p) taken_ = (p);                                                        \
                (p) = NULL;                                                                        \
                taken_;                                                                            \
        })

/* The descriptor @fd, leaving -1 behind. */
#define TAKE_FD(fd)                                                                                \
        __extension__({                                                                            \
                int taken_fd_ = (fd);                                                              \
                (fd) = -1;                                                                         \
                taken_fd_;                                                                         \
        })

#endif

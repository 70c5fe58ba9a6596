/* privdrop: switching to an unprivileged user, and Landlock rules made by hand against
 * <linux/landlock.h> (no library: three system calls).
 *
 * Prints nothing; serve_main says what happened.
 */
#include "privdrop.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int privdrop_lookup(const char *name, uid_t *ret_uid, gid_t *ret_gid)
{
        struct passwd pw, *found = NULL;
        char buf[4096];
        int r;

        r = getpwnam_r(name, &pw, buf, sizeof(buf), &found);
        if (r != 0)
                return -r;
        if (!found)
                return -ENOENT;
        *ret_uid = found->pw_uid;
        *ret_gid = found->pw_gid;
        return 0;
}

int privdrop_switch(uid_t uid, gid_t gid)
{
        /* Groups first: once the uid is not root, neither can be changed any more. */
        if (setgroups(0, NULL) < 0)
                return -errno;
        if (setresgid(gid, gid, gid) < 0)
                return -errno;
        if (setresuid(uid, uid, uid) < 0)
                return -errno;
        if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
                return -EPERM;
        return 0;
}

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule       445
#define SYS_landlock_restrict_self  446
#endif

/* The file-system rights Landlock knows at ABI @abi (each version adds some; a right the
 * kernel does not know makes landlock_create_ruleset fail). */
static uint64_t fs_rights(int abi)
{
        uint64_t all = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                       LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
                       LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                       LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
                       LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
                       LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                       LANDLOCK_ACCESS_FS_MAKE_SYM;

#ifdef LANDLOCK_ACCESS_FS_REFER
        if (abi >= 2)
                all |= LANDLOCK_ACCESS_FS_REFER;
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
        if (abi >= 3)
                all |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
#ifdef LANDLOCK_ACCESS_FS_IOCTL_DEV
        if (abi >= 5)
                all |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
#endif
        return all;
}

/* Adds a rule granting @access beneath @path; a path that does not exist is skipped. */
static int add_path(int ruleset, const char *path, uint64_t access)
{
        struct landlock_path_beneath_attr attr = {.allowed_access = access};
        int fd, r = 0;

        fd = open(path, O_PATH | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        attr.parent_fd = fd;
        if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0) {
                r = -errno;
                /* A file rather than a directory takes only the rights that apply to files. */
                if (r == -EINVAL) {
                        attr.allowed_access &= LANDLOCK_ACCESS_FS_EXECUTE |
                                               LANDLOCK_ACCESS_FS_WRITE_FILE |
                                               LANDLOCK_ACCESS_FS_READ_FILE
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
                                               | LANDLOCK_ACCESS_FS_TRUNCATE
#endif
                            ;
                        r = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH,
                                    &attr, 0) < 0
                                ? -errno
                                : 0;
                }
        }
        close(fd);
        return r;
}

int privdrop_landlock(const char *const *ro, size_t n_ro, const char *const *rw, size_t n_rw)
{
        struct landlock_ruleset_attr rs = {0};
        uint64_t read =
            LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_EXECUTE;
        int abi, fd, r = 0;

        abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
        if (abi < 0)
                return errno == ENOSYS || errno == EOPNOTSUPP ? -EOPNOTSUPP : -errno;
        rs.handled_access_fs = fs_rights(abi);
        fd = (int)syscall(SYS_landlock_create_ruleset, &rs, sizeof(rs), 0);
        if (fd < 0)
                return -errno;
        for (size_t i = 0; r == 0 && i < n_ro; i++)
                r = add_path(fd, ro[i], read);
        for (size_t i = 0; r == 0 && i < n_rw; i++)
                r = add_path(fd, rw[i], rs.handled_access_fs);
        if (r == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                r = -errno;
        if (r == 0 && syscall(SYS_landlock_restrict_self, fd, 0) < 0)
                r = -errno;
        close(fd);
        return r < 0 ? r : abi;
}

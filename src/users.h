/* users: user names for uids, from the passwd file first and the C library's lookup second.
 *
 * Reading /etc/passwd directly costs one open and one read; the C library is asked only for
 * uids that file does not name (LDAP, systemd dynamic users), once each.
 */
#ifndef PORTINFO_USERS_H
#define PORTINFO_USERS_H

#include <stddef.h>
#include <stdint.h>

#define USERS_PASSWD   "/etc/passwd"
#define USERS_MAX_FILE (8u << 20) /* a passwd file larger than this is not read */

struct users_entry {
        uint32_t uid;
        char *name; /* NULL: no name known */
};

struct users {
        const char *passwd; /* the file to read; NULL for USERS_PASSWD */
        int use_libc;       /* ask getpwuid_r for uids the file does not name */
        int loaded;
        struct users_entry *v;
        size_t n, cap;
};

/* Starts an empty cache reading @passwd (NULL: /etc/passwd), asking the C library too when
 * @use_libc is set.  Nothing is read until the first lookup. */
void users_init(struct users *u, const char *passwd, int use_libc);
void users_done(struct users *u);

/* The name of @uid, or NULL when nothing names it (or memory ran out).  The string belongs to
 * @u and lives until users_done(). */
const char *users_name(struct users *u, uint32_t uid);

/* Parses passwd-format text into @u's cache (lines "name:x:uid:..."); malformed lines are
 * skipped.  Returns the number of entries added or -ENOMEM. */
int users_parse(struct users *u, const char *buf, size_t len);

#endif

/* users: user names for uids, read from the passwd file.
 *
 * One open and one read, and no C library lookup: getpwuid() in a statically linked program
 * loads NSS modules at run time, which portinfo (a static PIE) does not do.  So users known only
 * to LDAP or systemd's dynamic users have no name here, and are shown by uid.
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
        int loaded;
        struct users_entry *v;
        size_t n, cap;
};

/* Starts an empty cache reading @passwd (NULL: /etc/passwd).  Nothing is read until the first
 * lookup. */
void users_init(struct users *u, const char *passwd);
void users_done(struct users *u);

/* The name of @uid, or NULL when nothing names it (or memory ran out).  The string belongs to
 * @u and lives until users_done(). */
const char *users_name(struct users *u, uint32_t uid);

/* Parses passwd-format text into @u's cache (lines "name:x:uid:..."); malformed lines are
 * skipped.  Returns the number of entries added or -ENOMEM. */
int users_parse(struct users *u, const char *buf, size_t len);

#endif

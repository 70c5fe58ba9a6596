/* users: user names for uids, from the passwd file first and the C library's lookup second.
 *
 * Reading /etc/passwd directly costs one open and one read; the C library (NSS: LDAP, systemd's
 * dynamic users) is asked only for uids that file does not name, once each, and only when the
 * file is the system's own (a test's passwd file stands alone).
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

/* Starts an empty cache reading @passwd (NULL: /etc/passwd, then the C library).  Nothing is
 * read until the first lookup. */
void users_init(struct users *u, const char *passwd);
void users_done(struct users *u);

/* The name of @uid, or NULL when nothing names it (or memory ran out).  The string belongs to
 * @u and lives until users_done(). */
const char *users_name(struct users *u, uint32_t uid);

/* Parses passwd-format text into @u's cache (lines "name:x:uid:..."); malformed lines are
 * skipped.  Returns the number of entries added or -ENOMEM. */
int users_parse(struct users *u, const char *buf, size_t len);

#endif

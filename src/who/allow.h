/* allow: the audit allowlist, listeners an administrator has vouched for.
 *
 * One entry a line: PORT[/PROTO] EXECUTABLE [RULE,...], where PORT is a port, LO-HI or "*",
 * PROTO tcp or udp, EXECUTABLE an absolute path or a glob ("*" for any), RULE a rule id; "#"
 * starts a comment.  Documented for users in docs/who-audit.md.
 */
#ifndef PORTINFO_ALLOW_H
#define PORTINFO_ALLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portdb.h"

#define ALLOW_SYSTEM    "/etc/portinfo/allow"
#define ALLOW_USER      "portinfo/allow" /* under $XDG_CONFIG_HOME, else ~/.config */
#define ALLOW_MAX_FILE  (1u << 20)
#define ALLOW_MAX_LINE  1024
#define ALLOW_MAX_RULES 16

struct allow_entry {
        uint16_t lo, hi;    /* ports covered */
        unsigned protos;    /* PROTO_BIT of TCP and/or UDP */
        char *exe;          /* glob; "*" matches any executable and listeners with none */
        char *rules;        /* "rule\0rule\0\0", or NULL for every rule */
        const char *source; /* the file it came from (owned by the list) */
        unsigned line;
};

struct allowlist {
        struct allow_entry *v;
        size_t n, cap;
        char **sources;
        size_t n_sources;
};

/* Where a parse failed, for the one-line error. */
struct allow_error {
        const char *source;
        unsigned line;
        const char *why; /* a static phrase */
};

/* Parses @len bytes of allowlist text from @source (a name for messages), checking rule ids
 * against the NULL-terminated @known, and appends the entries to @a.  Returns the number added,
 * -EINVAL with *err filled for a line that is not an entry, or -ENOMEM/-E2BIG.  On error @a
 * keeps what it had before the call. */
int allow_parse(struct allowlist *a, const char *text, size_t len, const char *source,
                const char *const *known, struct allow_error *err);

/* Reads and parses the file at @path.  Returns the number of entries added, -ENOENT when there
 * is no such file (normal), -EINVAL (see allow_parse), -E2BIG (over ALLOW_MAX_FILE) or -errno. */
int allow_load(struct allowlist *a, const char *path, const char *const *known,
               struct allow_error *err);

/* Whether a finding of @rule on a listener on @port/@proto whose holders run @exes (@n_exes of
 * them; 0 when no holder is visible) is silenced: some entry covers the port and protocol, names
 * the rule (or none), and its pattern matches every holder's executable. */
bool allow_match(const struct allowlist *a, uint16_t port, enum proto proto,
                 const char *const *exes, size_t n_exes, const char *rule);

void allow_done(struct allowlist *a);

#endif

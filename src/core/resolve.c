/* resolve: arguments to ports through parse.c and the table's service names.
 *
 * The decisions every command shares (numbers before names, names with a slash, what a name
 * without a port means) are made here once; the wording of errors is each command's own.
 */
#include "resolve.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

/* The protocols entry @e stands for: a protocol-less row stands for all of them. */
static unsigned entry_protos(const struct portdb_iana *e)
{
        return e->proto == PROTO_NONE ? PROTO_MASK_ALL : PROTO_BIT(e->proto);
}

static size_t find_row(const struct resolve_port *v, size_t n, uint16_t port)
{
        size_t j;

        for (j = 0; j < n && v[j].port != port; j++)
                ;
        return j;
}

static bool applies(const struct portdb_iana *e, unsigned want)
{
        return !(e->flags & PORTDB_F_NOPORT) && (entry_protos(e) & want);
}

/* How many rows the @count entries @idx[] that apply to @want would add to the @n of @v: ports
 * neither listed nor named by an earlier entry. */
static size_t new_rows(const struct portdb *db, const uint16_t *idx, size_t count, unsigned want,
                       const struct resolve_port *v, size_t n)
{
        size_t fresh = 0;

        for (size_t i = 0; i < count; i++) {
                const struct portdb_iana *e = &db->iana[idx[i]];
                bool seen = false;

                if (!applies(e, want) || find_row(v, n, e->lo) < n)
                        continue;
                for (size_t k = 0; k < i && !seen; k++) {
                        const struct portdb_iana *o = &db->iana[idx[k]];

                        seen = applies(o, want) && o->lo == e->lo;
                }
                fresh += !seen;
        }
        return fresh;
}

/* Adds the ports of the @count entries @idx[] that apply to @want.  Returns how many entries
 * applied, or -E2BIG (nothing added) when @v has no room for the new ports. */
static int add_entries(const struct portdb *db, const uint16_t *idx, size_t count, unsigned want,
                       struct resolve_port *v, size_t *n, size_t cap)
{
        size_t matched = 0;

        if (new_rows(db, idx, count, want, v, *n) > cap - *n)
                return -E2BIG;
        for (size_t i = 0; i < count; i++) {
                const struct portdb_iana *e = &db->iana[idx[i]];
                size_t j;

                if (!applies(e, want))
                        continue;
                j = find_row(v, *n, e->lo);
                if (j == *n)
                        v[(*n)++] = (struct resolve_port){e->lo, 0};
                v[j].protos |= entry_protos(e) & want;
                matched++;
        }
        return (int)matched;
}

static int add_name(const struct portdb *db, uint32_t first, size_t count, unsigned want,
                    struct resolve_port *v, size_t *n, size_t cap)
{
        return add_entries(db, db->names + first, count, want, v, n, cap);
}

/* The entries the everyday name @name means, into @idx (RESOLVE_MAX_ALIAS_ENTRIES); returns
 * how many (0: not an everyday name). */
static size_t alias_entries(const struct portdb *db, const char *name, uint16_t *idx)
{
        uint32_t first;
        size_t count = portdb_find_alias(db, name, &first);

        if (count > RESOLVE_MAX_ALIAS_ENTRIES)
                count = RESOLVE_MAX_ALIAS_ENTRIES;
        for (size_t i = 0; i < count; i++)
                idx[i] = db->aliases[first + i].iana;
        return count;
}

/* Whether everyday name @name (whose @count entries are @idx[]) means other entries than IANA's
 * service name @name: none of them carries that service name. */
static bool alias_differs(const struct portdb *db, const char *name, const uint16_t *idx,
                          size_t count)
{
        for (size_t i = 0; i < count; i++)
                if (strcasecmp(portdb_str(db, db->iana[idx[i]].service), name) == 0)
                        return false;
        return true;
}

/* Adds the ports everyday name @name means for @want, then those of IANA's service name @name
 * (@count entries from @first): the rest of that service ("ntp" is NTP on udp, and IANA's ntp
 * on tcp too), or something else that IANA calls so (resolve_name_clash).  Returns how many
 * entries applied, or -E2BIG. */
static int add_alias(const struct portdb *db, const char *name, const uint16_t *idx, size_t n_idx,
                     uint32_t first, size_t count, unsigned want, struct resolve_port *v, size_t *n,
                     size_t cap)
{
        size_t n0 = *n;
        int r = add_entries(db, idx, n_idx, want, v, n, cap), r2;

        if (r < 0 || count == 0)
                return r;
        r2 = add_name(db, first, count, want, v, n, cap);
        if (r2 < 0)
                *n = n0; /* nothing added on failure */
        return r2 < 0 ? r2 : r + r2;
}

size_t resolve_name_clash(const struct portdb *db, const char *arg, uint32_t *ret_first)
{
        uint16_t idx[RESOLVE_MAX_ALIAS_ENTRIES];
        char name[RESOLVE_MAX_ARG + 1];
        size_t len = strlen(arg), n_idx, count;
        const char *slash = strrchr(arg, '/');
        uint32_t first;

        if (len > RESOLVE_MAX_ARG)
                return 0;
        memcpy(name, arg, len + 1);
        n_idx = alias_entries(db, name, idx);
        if (n_idx == 0 && slash) { /* "rdp/tcp" */
                name[slash - arg] = '\0';
                n_idx = alias_entries(db, name, idx);
        }
        if (n_idx == 0)
                return 0;
        count = portdb_find_name(db, name, &first);
        if (count == 0 || !alias_differs(db, name, idx, n_idx))
                return 0;
        *ret_first = first;
        return count;
}

static int resolve_number(const char *arg, unsigned allowed, struct resolve_port *v, size_t *n,
                          size_t cap, struct resolve_why *why)
{
        uint16_t port;
        unsigned protos;
        int r = parse_port_spec(arg, &port, &protos);

        *why = (struct resolve_why){.proto = PROTO_NONE};
        if (r < 0)
                return r;
        if (!(protos & allowed))
                return -EOPNOTSUPP;
        if (*n == cap)
                return -E2BIG;
        v[(*n)++] = (struct resolve_port){port, protos & allowed};
        return 0;
}

/* "NAME/PROTO" once the whole text is known not to be a name. */
static int resolve_name_proto(const struct portdb *db, const char *arg, unsigned allowed,
                              struct resolve_port *v, size_t *n, size_t cap,
                              struct resolve_why *why)
{
        const char *slash = strrchr(arg, '/');
        char name[RESOLVE_MAX_ARG + 1];
        uint16_t idx[RESOLVE_MAX_ALIAS_ENTRIES];
        uint32_t first = 0;
        size_t count, n_idx;
        enum proto p;
        int r;

        *why = (struct resolve_why){.named = true, .name_len = strlen(arg), .proto = PROTO_NONE};
        if (!slash || slash == arg)
                return -ENOENT;
        why->name_len = (size_t)(slash - arg);
        memcpy(name, arg, why->name_len);
        name[why->name_len] = '\0';
        if (parse_proto(slash + 1, &p) < 0)
                return -EPROTONOSUPPORT;
        if (!(PROTO_BIT(p) & allowed))
                return -EOPNOTSUPP;
        why->proto = p;
        count = portdb_find_name(db, name, &first);
        n_idx = alias_entries(db, name, idx);
        if (count == 0 && n_idx == 0)
                return -ENOENT;
        if (n_idx > 0)
                r = add_alias(db, name, idx, n_idx, first, count, PROTO_BIT(p), v, n, cap);
        else
                r = add_name(db, first, count, PROTO_BIT(p), v, n, cap);
        if (r < 0)
                return r;
        return r > 0 ? 0 : -ENOPROTOOPT;
}

int resolve_arg(const struct portdb *db, const char *arg, unsigned allowed, struct resolve_port *v,
                size_t *n, size_t cap, struct resolve_why *why)
{
        uint16_t idx[RESOLVE_MAX_ALIAS_ENTRIES];
        uint32_t first = 0;
        size_t count, n_idx;
        int r;

        if (strlen(arg) > RESOLVE_MAX_ARG) {
                *why = (struct resolve_why){.proto = PROTO_NONE};
                return -ENAMETOOLONG;
        }
        /* A few IANA names start with a digit or contain a slash ("3com-tsmux", "914c/g"), so
         * the whole text is looked up first; but no name is digits alone (RFC 6335 wants a
         * letter), and a number skips the look-up, which would read pages of the table. */
        if (arg[0] >= '0' && arg[0] <= '9' &&
            (arg[strspn(arg, "0123456789")] == '\0' || arg[strspn(arg, "0123456789")] == '/'))
                return resolve_number(arg, allowed, v, n, cap, why);
        count = portdb_find_name(db, arg, &first);
        n_idx = alias_entries(db, arg, idx);
        if (count == 0 && n_idx == 0 && parse_looks_numeric(arg))
                return resolve_number(arg, allowed, v, n, cap, why);
        if (count == 0 && n_idx == 0)
                return resolve_name_proto(db, arg, allowed, v, n, cap, why);
        *why = (struct resolve_why){
            .named = true, .name_len = strlen(arg), .proto = PROTO_NONE, .first = first};
        /* An everyday name first ("rdp": the ports people mean), then IANA's own. */
        r = n_idx > 0 ? add_alias(db, arg, idx, n_idx, first, count, allowed, v, n, cap)
                      : add_name(db, first, count, allowed, v, n, cap);
        if (r < 0)
                return r;
        if (r > 0)
                return 0;
        /* Nothing applied: the name has no port at all, or none for these protocols. */
        if (count == 0)
                return -ENOPROTOOPT;
        for (size_t i = 0; i < count; i++)
                if (!(db->iana[db->names[first + i]].flags & PORTDB_F_NOPORT))
                        return -ENOPROTOOPT;
        return -ENODATA;
}

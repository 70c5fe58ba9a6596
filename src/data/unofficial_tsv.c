/* unofficial_tsv: reads the sourced list of unofficial port uses (data/unofficial).
 *
 * Thirteen columns (a range's last port, an external catalogue's ID and link, the era of a
 * threat), or the nine of the older form.  Every row must carry a source; a claim without one
 * is refused, not shown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tsv.h"
#include "unofficial_tsv.h"

enum {
        T_PORT,
        T_PROTO,
        T_KIND,
        T_NAME,
        T_YEAR,
        T_NOTE,
        T_SOURCE,
        T_URL,
        T_LABEL,
        T_PORT_HI,
        T_REF_ID,
        T_REF_URL,
        T_ERA,
        T_COUNT,
};

static const char *const tsv_header[T_COUNT] = {
    "port",       "proto",        "kind",    "name",   "first_seen_year", "note", "source",
    "source_url", "source_label", "port_hi", "ref_id", "ref_url",         "era",
};

/* The current form first, then the older one (its first nine columns). */
static const struct tsv_layout layouts[] = {
    {tsv_header, T_COUNT},
    {tsv_header, T_PORT_HI},
};

int unofficial_parse_protos(const char *s, uint8_t *ret_protos)
{
        if (strcmp(s, "tcp") == 0)
                *ret_protos = PROTO_BIT(PROTO_TCP);
        else if (strcmp(s, "udp") == 0)
                *ret_protos = PROTO_BIT(PROTO_UDP);
        else if (strcmp(s, "both") == 0)
                *ret_protos = PROTO_MASK_TCP_UDP;
        else
                return -EINVAL;
        return 0;
}

static int parse_kind(const char *s, uint8_t *ret_kind)
{
        for (enum uo_kind k = 0; k < UO_KIND_COUNT; k++)
                if (strcmp(s, portdb_kind_name(k)) == 0) {
                        *ret_kind = (uint8_t)k;
                        return 0;
                }
        return -EINVAL;
}

bool unofficial_ref_id_ok(const char *s)
{
        size_t n = strlen(s);

        return n <= 32 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789.-_") == n;
}

/* The first nine columns into @u (caller-zeroed).  Returns 0 or -EINVAL with @err filled. */
static int parse_base(struct reg_unofficial *u, char **f, unsigned long line, struct reg_error *err)
{
        if (parse_port(f[T_PORT], &u->port) < 0) {
                reg_error_set(err, line, "port \"%.20s\" is not a port (0-65535)", f[T_PORT]);
                return -EINVAL;
        }
        u->port_hi = u->port;
        if (unofficial_parse_protos(f[T_PROTO], &u->protos) < 0) {
                reg_error_set(err, line, "protocol \"%.20s\" is not tcp, udp or both", f[T_PROTO]);
                return -EINVAL;
        }
        if (parse_kind(f[T_KIND], &u->kind) < 0) {
                reg_error_set(err, line, "kind \"%.20s\" is not malware, software or other",
                              f[T_KIND]);
                return -EINVAL;
        }
        if (f[T_YEAR][0] != '\0') {
                if (strlen(f[T_YEAR]) != 4 || strspn(f[T_YEAR], "0123456789") != 4) {
                        reg_error_set(err, line, "year \"%.20s\" is not a year", f[T_YEAR]);
                        return -EINVAL;
                }
                u->year = (uint16_t)strtoul(f[T_YEAR], NULL, 10);
        }
        if (f[T_NAME][0] == '\0' || f[T_SOURCE][0] == '\0') {
                reg_error_set(err, line, "a row without a name or a source");
                return -EINVAL;
        }
        return 0;
}

/* The four newer columns into @u.  Returns 0 or -EINVAL with @err filled. */
static int parse_more(struct reg_unofficial *u, char **f, unsigned long line, struct reg_error *err)
{
        if (f[T_PORT_HI][0] != '\0') {
                if (parse_port(f[T_PORT_HI], &u->port_hi) < 0 || u->port_hi <= u->port) {
                        reg_error_set(err, line,
                                      "port_hi \"%.20s\" is not a port above %u (or empty)",
                                      f[T_PORT_HI], u->port);
                        return -EINVAL;
                }
        }
        if (!unofficial_ref_id_ok(f[T_REF_ID]) || !tsv_url_ok(f[T_REF_URL]) ||
            (f[T_REF_URL][0] != '\0' && f[T_REF_ID][0] == '\0')) {
                reg_error_set(err, line, "ref_id \"%.40s\" or ref_url \"%.60s\" is malformed",
                              f[T_REF_ID], f[T_REF_URL]);
                return -EINVAL;
        }
        if (strcmp(f[T_ERA], "modern") == 0)
                u->era = UO_ERA_MODERN;
        else if (strcmp(f[T_ERA], "historical") == 0)
                u->era = UO_ERA_HISTORICAL;
        else if (f[T_ERA][0] != '\0') {
                reg_error_set(err, line, "era \"%.20s\" is not modern, historical or empty",
                              f[T_ERA]);
                return -EINVAL;
        }
        if ((u->era != UO_ERA_NONE) != (u->kind == UO_MALWARE)) {
                reg_error_set(err, line,
                              u->era ? "an era on a %s row (only malware rows have one)"
                                     : "a %s row without an era (modern or historical)",
                              portdb_kind_name(u->kind));
                return -EINVAL;
        }
        return 0;
}

static int parse_row(void *ctx, char **f, size_t layout, unsigned long line, struct reg_error *err)
{
        struct registry *reg = ctx;
        struct reg_unofficial v = {0}, *u;
        int oom = 0, r;

        r = parse_base(&v, f, line, err);
        if (r == 0 && layouts[layout].n == T_COUNT)
                r = parse_more(&v, f, line, err);
        if (r < 0)
                return r;
        u = registry_add_unofficial(reg);
        if (!u) {
                reg_error_set(err, line, "more than %u rows", REGISTRY_MAX_RECORDS);
                return -E2BIG;
        }
        *u = v;
        u->name = registry_strndup_trim(f[T_NAME], strlen(f[T_NAME]), &oom);
        u->note = registry_strndup_trim(f[T_NOTE], strlen(f[T_NOTE]), &oom);
        u->source = registry_strndup_trim(f[T_SOURCE], strlen(f[T_SOURCE]), &oom);
        u->source_url = registry_strndup_trim(f[T_URL], strlen(f[T_URL]), &oom);
        u->source_label = registry_strndup_trim(f[T_LABEL], strlen(f[T_LABEL]), &oom);
        if (layouts[layout].n == T_COUNT) {
                u->ref_id = registry_strndup_trim(f[T_REF_ID], strlen(f[T_REF_ID]), &oom);
                u->ref_url = registry_strndup_trim(f[T_REF_URL], strlen(f[T_REF_URL]), &oom);
        }
        if (oom) {
                reg_error_set(err, line, "out of memory");
                return -ENOMEM;
        }
        if (!u->name || !u->source) {
                reg_error_set(err, line, "a row without a name or a source");
                return -EINVAL;
        }
        return 0;
}

int unofficial_read_tsv(struct registry *reg, const char *buf, size_t len, struct reg_error *err)
{
        return tsv_read(buf, len, layouts, sizeof(layouts) / sizeof(layouts[0]), parse_row, reg,
                        err);
}

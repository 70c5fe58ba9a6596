/* aliases_tsv: the everyday names ("RDP", "SMB", "TACACS+") and the IANA entries they mean.
 *
 * A name is [A-Za-z0-9.+_-], at most 32 bytes; its protocol is tcp, udp, sctp, dccp or both
 * (tcp and udp).  Every row carries its meaning and a source.
 */
#include <errno.h>
#include <string.h>

#include "aliases_tsv.h"
#include "parse.h"
#include "tsv.h"

enum { A_ALIAS, A_SERVICE, A_PORT, A_PROTO, A_MEANING, A_SOURCE, A_URL, A_LABEL, A_COUNT };

static const char *const header[A_COUNT] = {
    "alias", "service", "port", "proto", "meaning", "source", "source_url", "source_label",
};

static const struct tsv_layout layout = {header, A_COUNT};

static bool name_ok(const char *s)
{
        size_t n = strlen(s);

        return n > 0 && n <= ALIAS_MAX_NAME &&
               strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+_-") == n;
}

static int parse_protos(const char *s, uint8_t *ret_protos)
{
        enum proto p;

        if (strcmp(s, "both") == 0) {
                *ret_protos = PROTO_MASK_TCP_UDP;
                return 0;
        }
        if (parse_proto(s, &p) < 0 || strcmp(s, portdb_proto_name(p)) != 0)
                return -EINVAL;
        *ret_protos = (uint8_t)PROTO_BIT(p);
        return 0;
}

static int check_row(char **f, struct reg_alias *a, unsigned long line, struct reg_error *err)
{
        if (!name_ok(f[A_ALIAS])) {
                reg_error_set(err, line, "alias \"%.40s\" is not 1-%d of A-Z a-z 0-9 . + _ -",
                              f[A_ALIAS], ALIAS_MAX_NAME);
                return -EINVAL;
        }
        if (f[A_SERVICE][0] == '\0' || parse_port(f[A_PORT], &a->port) < 0) {
                reg_error_set(err, line,
                              "alias \"%s\": service \"%.40s\" port \"%.20s\" is not "
                              "an IANA service name and a port",
                              f[A_ALIAS], f[A_SERVICE], f[A_PORT]);
                return -EINVAL;
        }
        if (parse_protos(f[A_PROTO], &a->protos) < 0) {
                reg_error_set(err, line, "protocol \"%.20s\" is not tcp, udp, sctp, dccp or both",
                              f[A_PROTO]);
                return -EINVAL;
        }
        if (f[A_MEANING][0] == '\0' || strlen(f[A_MEANING]) > ALIAS_MAX_MEANING) {
                reg_error_set(err, line, "alias \"%s\": a meaning of 1-%d bytes is required",
                              f[A_ALIAS], ALIAS_MAX_MEANING);
                return -EINVAL;
        }
        if (f[A_SOURCE][0] == '\0' || f[A_URL][0] == '\0' || !tsv_url_ok(f[A_URL])) {
                reg_error_set(err, line,
                              "alias \"%s\": a source and an http(s) source_url are "
                              "required",
                              f[A_ALIAS]);
                return -EINVAL;
        }
        return 0;
}

static int parse_row(void *ctx, char **f, size_t layout_index, unsigned long line,
                     struct reg_error *err)
{
        struct registry *reg = ctx;
        struct reg_alias v = {0}, *a;
        int oom = 0, r;

        (void)layout_index;
        r = check_row(f, &v, line, err);
        if (r < 0)
                return r;
        a = registry_add_alias(reg);
        if (!a) {
                reg_error_set(err, line, "more than %u rows", REGISTRY_MAX_RECORDS);
                return -E2BIG;
        }
        *a = v;
        a->name = registry_strndup_trim(f[A_ALIAS], strlen(f[A_ALIAS]), &oom);
        a->service = registry_strndup_trim(f[A_SERVICE], strlen(f[A_SERVICE]), &oom);
        a->meaning = registry_strndup_trim(f[A_MEANING], strlen(f[A_MEANING]), &oom);
        a->source = registry_strndup_trim(f[A_SOURCE], strlen(f[A_SOURCE]), &oom);
        a->source_url = registry_strndup_trim(f[A_URL], strlen(f[A_URL]), &oom);
        a->source_label = registry_strndup_trim(f[A_LABEL], strlen(f[A_LABEL]), &oom);
        if (oom) {
                reg_error_set(err, line, "out of memory");
                return -ENOMEM;
        }
        if (!a->service || !a->meaning || !a->source) {
                reg_error_set(err, line, "alias \"%s\": a blank service, meaning or source",
                              f[A_ALIAS]);
                return -EINVAL;
        }
        return 0;
}

int aliases_read_tsv(struct registry *reg, const char *buf, size_t len, struct reg_error *err)
{
        return tsv_read(buf, len, &layout, 1, parse_row, reg, err);
}

/* unofficial_tsv: reads the sourced list of unofficial port uses (data/unofficial).
 *
 * Tab-separated, one header row, no quoting: a tab or newline never occurs inside a field.
 * Every row must carry a source; a claim without one is refused, not shown.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "unofficial_tsv.h"

enum { T_PORT, T_PROTO, T_KIND, T_NAME, T_YEAR, T_NOTE, T_SOURCE, T_URL, T_LABEL, T_COUNT };

static const char *const tsv_header[T_COUNT] = {
    "port", "proto",  "kind",       "name",         "first_seen_year",
    "note", "source", "source_url", "source_label",
};

static int parse_row(struct registry *reg, char **f, unsigned long line, struct reg_error *err)
{
        struct reg_unofficial *u;
        uint16_t port;
        unsigned year = 0;
        uint8_t protos, kind;
        int oom = 0;

        if (parse_port(f[T_PORT], &port) < 0) {
                reg_error_set(err, line, "port \"%.20s\" is not a port (0-65535)", f[T_PORT]);
                return -EINVAL;
        }
        if (strcmp(f[T_PROTO], "tcp") == 0)
                protos = PROTO_BIT(PROTO_TCP);
        else if (strcmp(f[T_PROTO], "udp") == 0)
                protos = PROTO_BIT(PROTO_UDP);
        else if (strcmp(f[T_PROTO], "both") == 0)
                protos = PROTO_MASK_TCP_UDP;
        else {
                reg_error_set(err, line, "protocol \"%.20s\" is not tcp, udp or both", f[T_PROTO]);
                return -EINVAL;
        }
        if (strcmp(f[T_KIND], "malware") == 0)
                kind = UO_MALWARE;
        else if (strcmp(f[T_KIND], "software") == 0)
                kind = UO_SOFTWARE;
        else if (strcmp(f[T_KIND], "other") == 0)
                kind = UO_OTHER;
        else {
                reg_error_set(err, line, "kind \"%.20s\" is not malware, software or other",
                              f[T_KIND]);
                return -EINVAL;
        }
        if (f[T_YEAR][0] != '\0') {
                if (strlen(f[T_YEAR]) != 4 || strspn(f[T_YEAR], "0123456789") != 4) {
                        reg_error_set(err, line, "year \"%.20s\" is not a year", f[T_YEAR]);
                        return -EINVAL;
                }
                year = (unsigned)strtoul(f[T_YEAR], NULL, 10);
        }
        if (f[T_NAME][0] == '\0' || f[T_SOURCE][0] == '\0') {
                reg_error_set(err, line, "a row without a name or a source");
                return -EINVAL;
        }
        u = registry_add_unofficial(reg);
        if (!u) {
                reg_error_set(err, line, "more than %u rows", REGISTRY_MAX_RECORDS);
                return -E2BIG;
        }
        u->port = port;
        u->protos = protos;
        u->kind = kind;
        u->year = (uint16_t)year;
        u->name = registry_strndup_trim(f[T_NAME], strlen(f[T_NAME]), &oom);
        u->note = registry_strndup_trim(f[T_NOTE], strlen(f[T_NOTE]), &oom);
        u->source = registry_strndup_trim(f[T_SOURCE], strlen(f[T_SOURCE]), &oom);
        u->source_url = registry_strndup_trim(f[T_URL], strlen(f[T_URL]), &oom);
        u->source_label = registry_strndup_trim(f[T_LABEL], strlen(f[T_LABEL]), &oom);
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
        const char *p = buf, *end = buf + len;
        unsigned long line = 0;
        char row[REGISTRY_MAX_FIELD];
        int ret = 0;

        if (len > REGISTRY_MAX_BYTES) {
                reg_error_set(err, 0, "file larger than %u MiB", REGISTRY_MAX_BYTES >> 20);
                return -E2BIG;
        }
        if (memchr(buf, '\0', len)) {
                reg_error_set(err, 0, "a NUL byte: not a text file");
                return -EINVAL;
        }
        while (p < end && ret == 0) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = (size_t)((nl ? nl : end) - p);
                char *f[T_COUNT], *s;
                size_t nf = 0;

                line++;
                if (n > 0 && p[n - 1] == '\r')
                        n--;
                if (n >= sizeof(row)) {
                        reg_error_set(err, line, "a line longer than %zu bytes", sizeof(row) - 1);
                        return -E2BIG;
                }
                memcpy(row, p, n);
                row[n] = '\0';
                p = nl ? nl + 1 : end;
                if (n == 0)
                        continue;
                for (s = row; nf < T_COUNT;) {
                        f[nf++] = s;
                        s = strchr(s, '\t');
                        if (!s)
                                break;
                        *s++ = '\0';
                }
                if (nf != T_COUNT || s) {
                        reg_error_set(err, line, "expected %d tab-separated fields", T_COUNT);
                        return -EINVAL;
                }
                if (line == 1) {
                        for (size_t i = 0; i < T_COUNT; i++)
                                if (strcmp(f[i], tsv_header[i]) != 0) {
                                        reg_error_set(err, 1, "header column %zu should be \"%s\"",
                                                      i + 1, tsv_header[i]);
                                        return -EINVAL;
                                }
                        continue;
                }
                ret = parse_row(reg, f, line, err);
        }
        if (ret == 0 && line == 0) {
                reg_error_set(err, 0, "empty file");
                ret = -EINVAL;
        }
        return ret;
}

/* corrections_tsv: a claim of the unofficial uses that another source contradicts.
 *
 * The claim is named as the uses name it (port, tcp/udp/both, name); the correction is one
 * sentence with its own source, shown under the claim, which stays.
 */
#include <errno.h>
#include <string.h>

#include "corrections_tsv.h"
#include "parse.h"
#include "tsv.h"
#include "unofficial_tsv.h"

enum { C_PORT, C_PROTO, C_NAME, C_TEXT, C_SOURCE, C_URL, C_LABEL, C_COUNT };

static const char *const header[C_COUNT] = {
    "port", "proto", "name", "correction", "source", "source_url", "source_label",
};

static const struct tsv_layout layout = {header, C_COUNT};

static int parse_row(void *ctx, char **f, size_t layout_index, unsigned long line,
                     struct reg_error *err)
{
        struct registry *reg = ctx;
        struct reg_correction v = {0}, *c;
        int oom = 0;

        (void)layout_index;
        if (parse_port(f[C_PORT], &v.port) < 0) {
                reg_error_set(err, line, "port \"%.20s\" is not a port (0-65535)", f[C_PORT]);
                return -EINVAL;
        }
        if (unofficial_parse_protos(f[C_PROTO], &v.protos) < 0) {
                reg_error_set(err, line, "protocol \"%.20s\" is not tcp, udp or both", f[C_PROTO]);
                return -EINVAL;
        }
        if (!tsv_url_ok(f[C_URL])) {
                reg_error_set(err, line, "source_url \"%.60s\" is not an http(s) URL", f[C_URL]);
                return -EINVAL;
        }
        c = registry_add_correction(reg);
        if (!c) {
                reg_error_set(err, line, "more than %u rows", REGISTRY_MAX_RECORDS);
                return -E2BIG;
        }
        *c = v;
        c->name = registry_strndup_trim(f[C_NAME], strlen(f[C_NAME]), &oom);
        c->text = registry_strndup_trim(f[C_TEXT], strlen(f[C_TEXT]), &oom);
        c->source = registry_strndup_trim(f[C_SOURCE], strlen(f[C_SOURCE]), &oom);
        c->source_url = registry_strndup_trim(f[C_URL], strlen(f[C_URL]), &oom);
        c->source_label = registry_strndup_trim(f[C_LABEL], strlen(f[C_LABEL]), &oom);
        if (oom) {
                reg_error_set(err, line, "out of memory");
                return -ENOMEM;
        }
        if (!c->name || !c->text || !c->source) {
                reg_error_set(err, line, "a correction without a name, text or source");
                return -EINVAL;
        }
        return 0;
}

int corrections_read_tsv(struct registry *reg, const char *buf, size_t len, struct reg_error *err)
{
        return tsv_read(buf, len, &layout, 1, parse_row, reg, err);
}

/* tsv: splits the data files into rows of fields and checks their header.
 *
 * Caps come from registry_records.h, so that no data file can ask for more than a registry may.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "tsv.h"

/* The layout whose columns are @f[0..nf), or n_layouts when none is. */
static size_t match_header(char **f, size_t nf, const struct tsv_layout *layouts, size_t n_layouts)
{
        for (size_t l = 0; l < n_layouts; l++) {
                size_t i = 0;

                if (layouts[l].n != nf)
                        continue;
                while (i < nf && strcmp(f[i], layouts[l].columns[i]) == 0)
                        i++;
                if (i == nf)
                        return l;
        }
        return n_layouts;
}

/* Splits @row at tabs into @f (at most TSV_MAX_FIELDS); returns the number of fields, or
 * TSV_MAX_FIELDS + 1 when there are more. */
static size_t split(char *row, char **f)
{
        size_t nf = 0;
        char *s = row;

        for (;;) {
                if (nf == TSV_MAX_FIELDS)
                        return TSV_MAX_FIELDS + 1;
                f[nf++] = s;
                s = strchr(s, '\t');
                if (!s)
                        return nf;
                *s++ = '\0';
        }
}

/* Says how header @f (@nf fields) differs from the layout of that many columns, else from the
 * first (newest) layout. */
static int header_error(char **f, size_t nf, const struct tsv_layout *layouts, size_t n_layouts,
                        unsigned long line, struct reg_error *err)
{
        for (size_t l = 0; l < n_layouts; l++) {
                if (layouts[l].n != nf)
                        continue;
                for (size_t i = 0; i < nf; i++)
                        if (strcmp(f[i], layouts[l].columns[i]) != 0) {
                                reg_error_set(err, line, "header column %zu should be \"%s\"",
                                              i + 1, layouts[l].columns[i]);
                                return -EINVAL;
                        }
        }
        if (n_layouts > 1)
                reg_error_set(err, line,
                              "expected %zu tab-separated fields (or %zu, the older form)",
                              layouts[0].n, layouts[n_layouts - 1].n);
        else
                reg_error_set(err, line, "expected %zu tab-separated fields", layouts[0].n);
        return -EINVAL;
}

int tsv_read(const char *buf, size_t len, const struct tsv_layout *layouts, size_t n_layouts,
             tsv_row_fn row_fn, void *ctx, struct reg_error *err)
{
        const char *p = buf, *end = buf + len;
        unsigned long line = 0;
        size_t layout = n_layouts;
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
                size_t n = (size_t)((nl ? nl : end) - p), nf;
                char *f[TSV_MAX_FIELDS];

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
                nf = split(row, f);
                if (layout == n_layouts) { /* the first line that is not empty */
                        layout = match_header(f, nf, layouts, n_layouts);
                        if (layout == n_layouts)
                                return header_error(f, nf, layouts, n_layouts, line, err);
                        continue;
                }
                if (nf != layouts[layout].n) {
                        reg_error_set(err, line, "expected %zu tab-separated fields",
                                      layouts[layout].n);
                        return -EINVAL;
                }
                ret = row_fn(ctx, f, layout, line, err);
        }
        if (ret == 0 && line == 0) {
                reg_error_set(err, 0, "empty file");
                ret = -EINVAL;
        }
        return ret;
}

bool tsv_url_ok(const char *s)
{
        if (s[0] == '\0')
                return true;
        if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
                return false;
        return strpbrk(s, " \"<>\\") == NULL;
}

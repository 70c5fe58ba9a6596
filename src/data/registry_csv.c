/* registry_csv: reads IANA's CSV form of the port registry with libcsv.
 *
 * RFC 4180 quoting (commas, doubled quotes and newlines inside fields), CRLF or LF records.
 * The CSV names people by id only ("[Mark_Lottor]"); they are shown as "Mark Lottor".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "registry_csv.h"

enum {
        COL_SERVICE,
        COL_PORT,
        COL_PROTO,
        COL_DESCRIPTION,
        COL_ASSIGNEE,
        COL_CONTACT,
        COL_REGISTERED,
        COL_MODIFIED,
        COL_REFERENCE,
        COL_SERVICE_CODE,
        COL_UNAUTHORIZED,
        COL_NOTES,
        COL_COUNT,
};

static const char *const header[COL_COUNT] = {
    "Service Name", "Port Number",  "Transport Protocol",        "Description",
    "Assignee",     "Contact",      "Registration Date",         "Modification Date",
    "Reference",    "Service Code", "Unauthorized Use Reported", "Assignment Notes",
};

struct state {
        struct registry *reg;
        struct reg_error *err;
        char *field[COL_COUNT];
        size_t col;
        unsigned long row; /* records seen, header included */
        int ret;
};

/* "[Mark_Lottor][Heiko_Schlichting]" -> "Mark Lottor, Heiko Schlichting"; other text unchanged. */
static char *people(char *s)
{
        char *w = s;
        bool bracketed = s && s[0] == '[';

        if (!bracketed)
                return s;
        for (const char *r = s; *r; r++) {
                if (*r == '[')
                        continue;
                if (*r == ']') {
                        if (r[1] == '[') {
                                *w++ = ',';
                                *w++ = ' ';
                        }
                        continue;
                }
                *w++ = *r == '_' ? ' ' : *r;
        }
        *w = '\0';
        return s;
}

static void on_field(void *data, size_t len, void *arg)
{
        struct state *st = arg;
        int oom = 0;

        if (st->ret < 0)
                return;
        if (st->col >= COL_COUNT) {
                st->col++;
                return;
        }
        if (len > REGISTRY_MAX_FIELD) {
                reg_error_set(st->err, st->row + 1, "a field longer than %u bytes",
                              REGISTRY_MAX_FIELD);
                st->ret = -E2BIG;
                return;
        }
        if (data && memchr(data, '\0', len)) {
                reg_error_set(st->err, st->row + 1, "a NUL byte inside a field");
                st->ret = -EINVAL;
                return;
        }
        st->field[st->col] = data ? registry_strndup_trim(data, len, &oom) : NULL;
        if (oom) {
                reg_error_set(st->err, st->row + 1, "out of memory");
                st->ret = -ENOMEM;
        }
        st->col++;
}

static void clear_fields(struct state *st)
{
        for (size_t i = 0; i < COL_COUNT; i++) {
                free(st->field[i]);
                st->field[i] = NULL;
        }
        st->col = 0;
}

/* Checks the header row, or turns a record row into a registry record (which takes over its
 * fields).  Returns 0, -EINVAL or -E2BIG with st->err filled. */
static int take_row(struct state *st)
{
        struct reg_record *r;
        int ret;

        if (st->row == 1) {
                for (size_t i = 0; i < COL_COUNT; i++)
                        if (!st->field[i] || strcmp(st->field[i], header[i]) != 0) {
                                reg_error_set(
                                    st->err, 1,
                                    "not IANA's registry CSV: column %zu should be \"%s\"", i + 1,
                                    header[i]);
                                return -EINVAL;
                        }
                return 0;
        }
        if (st->col != COL_COUNT) {
                reg_error_set(st->err, st->row, "record has %zu fields, expected %d", st->col,
                              COL_COUNT);
                return -EINVAL;
        }
        r = registry_add_record(st->reg);
        if (!r) {
                reg_error_set(st->err, st->row, "more than %u records", REGISTRY_MAX_RECORDS);
                return -E2BIG;
        }
        r->service = st->field[COL_SERVICE];
        r->description = st->field[COL_DESCRIPTION];
        r->assignee = people(st->field[COL_ASSIGNEE]);
        r->contact = people(st->field[COL_CONTACT]);
        r->registered = st->field[COL_REGISTERED];
        r->modified = st->field[COL_MODIFIED];
        r->reference = st->field[COL_REFERENCE];
        r->service_code = st->field[COL_SERVICE_CODE];
        r->unauthorized = st->field[COL_UNAUTHORIZED];
        r->note = st->field[COL_NOTES];
        st->field[COL_SERVICE] = st->field[COL_DESCRIPTION] = st->field[COL_ASSIGNEE] = NULL;
        st->field[COL_CONTACT] = st->field[COL_REGISTERED] = st->field[COL_MODIFIED] = NULL;
        st->field[COL_REFERENCE] = st->field[COL_SERVICE_CODE] = NULL;
        st->field[COL_UNAUTHORIZED] = st->field[COL_NOTES] = NULL;
        ret = registry_classify(r, st->field[COL_PORT], st->field[COL_PROTO], st->err);
        if (ret < 0) {
                if (st->err)
                        st->err->line = st->row;
                return ret;
        }
        registry_note_date(st->reg, r->registered);
        registry_note_date(st->reg, r->modified);
        return 0;
}

static void on_row(int c, void *arg)
{
        struct state *st = arg;

        (void)c;
        st->row++;
        if (st->ret == 0)
                st->ret = take_row(st);
        clear_fields(st);
}

int registry_read_csv(struct registry *reg, const char *buf, size_t len, struct reg_error *err)
{
        struct csv_parser p;
        struct state st = {.reg = reg, .err = err};
        size_t before = reg->n_recs;

        if (len > REGISTRY_MAX_BYTES) {
                reg_error_set(err, 0, "file larger than %u MiB", REGISTRY_MAX_BYTES >> 20);
                return -E2BIG;
        }
        if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
                buf += 3;
                len -= 3;
        }
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
                return -ENOMEM;
        if (csv_parse(&p, buf, len, on_field, on_row, &st) != len && st.ret == 0) {
                reg_error_set(err, st.row + 1, "malformed CSV: %s", csv_strerror(csv_error(&p)));
                st.ret = -EINVAL;
        }
        if (st.ret == 0 && csv_fini(&p, on_field, on_row, &st) != 0 && st.ret == 0) {
                reg_error_set(err, st.row + 1, "malformed CSV: %s", csv_strerror(csv_error(&p)));
                st.ret = -EINVAL;
        }
        clear_fields(&st);
        csv_free(&p);
        if (st.ret == 0 && st.row == 0) {
                reg_error_set(err, 0, "empty file");
                st.ret = -EINVAL;
        }
        if (st.ret == 0 && reg->n_recs == before) {
                reg_error_set(err, 0, "the registry holds no records");
                st.ret = -EINVAL;
        }
        if (st.ret == 0)
                memcpy(reg->format, "csv", 4);
        return st.ret;
}

/* render_table: tab- and comma-separated records of the listings and of an answer.
 *
 * Formats only: which entries are listed is listing.c's and answer.c's decision.
 */
#include "render_table.h"

#include <errno.h>
#include <string.h>

#include "answer.h"

int table_parse_format(const char *s, enum table_format *ret)
{
        if (strcmp(s, "tsv") == 0)
                *ret = TABLE_TSV;
        else if (strcmp(s, "csv") == 0)
                *ret = TABLE_CSV;
        else
                return -EINVAL;
        return 0;
}

/* @c as written inside a field: line breaks and tabs as spaces, other controls as '?'. */
static int field_char(unsigned char c, enum table_format f)
{
        if (c == '\r' || c == '\n' || (c == '\t' && f == TABLE_TSV))
                return ' ';
        if (c < 0x20 || c == 0x7f)
                return '?';
        return c;
}

static bool csv_needs_quotes(const char *s)
{
        size_t n = strlen(s);

        if (n == 0)
                return false;
        return strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[n - 1] == ' ';
}

static void put_field(const struct table *t, const char *s)
{
        bool quote = t->format == TABLE_CSV && csv_needs_quotes(s);

        if (quote)
                fputc('"', t->out);
        for (; *s; s++) {
                if (*s == '"' && quote)
                        fputc('"', t->out);
                fputc(field_char((unsigned char)*s, t->format), t->out);
        }
        if (quote)
                fputc('"', t->out);
}

void table_row(const struct table *t, const char *const *fields, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        fputc(t->format == TABLE_CSV ? ',' : '\t', t->out);
                put_field(t, fields[i] ? fields[i] : "");
        }
        fputc('\n', t->out);
}

enum {
        COL_PORT,
        COL_PROTO,
        COL_SOURCE,
        COL_KIND,
        COL_NAME,
        COL_SERVICE,
        COL_DESC,
        COL_YEAR,
        COL_RANGE,
        N_COLS
};

void render_table_header(const struct table *t)
{
        static const char *const header[N_COLS] = {
            "port", "protocol", "source", "kind", "name", "service", "description", "year", "range",
        };

        table_row(t, header, N_COLS);
}

/* Writes IANA entry @e as a record for @port; @alias: as that everyday name of it. */
static void iana_record(const struct table *t, const struct portdb *db, uint16_t port,
                        const struct portdb_iana *e, const struct portdb_alias *alias)
{
        const char *f[N_COLS] = {NULL};
        char num[8], range[16] = "";
        const char *proto = portdb_proto_name(e->proto);

        snprintf(num, sizeof(num), "%u", port);
        if (e->lo != e->hi)
                snprintf(range, sizeof(range), "%u-%u", e->lo, e->hi);
        f[COL_PORT] = num;
        f[COL_PROTO] = proto;
        f[COL_SERVICE] = portdb_str(db, e->service);
        f[COL_RANGE] = range;
        if (alias) {
                f[COL_SOURCE] = "alias";
                f[COL_KIND] = "everyday-name";
                f[COL_NAME] = portdb_str(db, alias->name);
                f[COL_DESC] = portdb_str(db, alias->meaning);
        } else {
                f[COL_SOURCE] = "iana";
                f[COL_KIND] = e->status == IANA_ASSIGNED   ? "assigned"
                              : e->status == IANA_RESERVED ? "reserved"
                                                           : "unassigned";
                f[COL_NAME] = f[COL_SERVICE];
                f[COL_DESC] = portdb_str(db, e->description);
        }
        table_row(t, f, N_COLS);
}

/* Writes unofficial use @u as a record for @port. */
static void use_record(const struct table *t, const struct portdb *db, uint16_t port,
                       const struct portdb_unofficial *u)
{
        const char *f[N_COLS] = {NULL};
        char num[8], year[8] = "", range[16] = "";

        snprintf(num, sizeof(num), "%u", port);
        if (u->year)
                snprintf(year, sizeof(year), "%u", u->year);
        if (u->port_hi > u->port)
                snprintf(range, sizeof(range), "%u-%u", u->port, u->port_hi);
        f[COL_PORT] = num;
        f[COL_PROTO] = u->protos == PROTO_MASK_TCP_UDP     ? "both"
                       : u->protos == PROTO_BIT(PROTO_TCP) ? "tcp"
                                                           : "udp";
        f[COL_SOURCE] = "unofficial";
        f[COL_KIND] = portdb_kind_name(u->kind);
        f[COL_NAME] = portdb_str(db, u->name);
        f[COL_DESC] = portdb_str(db, u->note);
        f[COL_YEAR] = year;
        f[COL_RANGE] = range;
        table_row(t, f, N_COLS);
}

/* A record saying what a cap or the dynamic range leaves out of a listing. */
static void note_record(const struct table *t, uint16_t port, const char *kind, const char *text,
                        const char *range)
{
        const char *f[N_COLS] = {NULL};
        char num[8];

        snprintf(num, sizeof(num), "%u", port);
        f[COL_PORT] = num;
        f[COL_SOURCE] = "iana";
        f[COL_KIND] = kind;
        f[COL_DESC] = text;
        f[COL_RANGE] = range;
        table_row(t, f, N_COLS);
}

void render_table_item(void *ctx, const struct listing_item *it)
{
        const struct table *t = ctx;
        char text[64], range[16];

        switch (it->kind) {
        case LISTING_IANA:
                iana_record(t, it->db, it->entry->lo, it->entry, NULL);
                break;
        case LISTING_ALIAS:
                iana_record(t, it->db, it->entry->lo, it->entry, it->alias);
                break;
        case LISTING_USE:
                use_record(t, it->db, it->port, it->use);
                break;
        case LISTING_MORE:
                snprintf(text, sizeof(text), "%zu more not shown (at most %u a port)", it->more,
                         ANSWER_MAX_ENTRIES);
                note_record(t, it->port, "truncated", text, NULL);
                break;
        case LISTING_DYNAMIC:
                snprintf(range, sizeof(range), "%u-%u", it->port, it->port_hi);
                note_record(t, it->port, "dynamic", "dynamic range: never assigned by IANA", range);
                break;
        }
}

size_t render_table_port(const struct table *t, const struct portdb *db, uint16_t port,
                         unsigned protos)
{
        struct answer a;
        size_t n = 0;

        answer_build(&a, db, port, protos);
        for (size_t i = 0; i < a.n_entries; i++, n++)
                iana_record(t, db, port, a.entries[i], NULL);
        for (size_t k = 0; k < a.n_akas; k++, n++)
                iana_record(t, db, port, a.akas[k].entry, a.akas[k].alias);
        for (size_t i = 0, shown = 0; i < a.n_uses_all && shown < ANSWER_MAX_USES; i++)
                if (answer_has_use(&a, &a.uses[i])) {
                        use_record(t, db, port, &a.uses[i]);
                        shown++;
                        n++;
                }
        if (answer_entries_omitted(&a) || answer_uses_omitted(&a)) {
                char text[80];

                snprintf(text, sizeof(text), "%zu IANA entries and %zu uses more not shown",
                         (size_t)answer_entries_omitted(&a), (size_t)answer_uses_omitted(&a));
                note_record(t, port, "truncated", text, NULL);
        }
        return n;
}

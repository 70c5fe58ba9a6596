/* answer: builds the one value every face formats, from the portdb alone.
 *
 * Here, and only here: which entries and uses apply, how sources are numbered, the verdict when
 * IANA and the unofficial lists disagree, and the check commands.  No wording, no I/O, no
 * allocation.
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "answer.h"

const enum uo_kind answer_kind_order[UO_KIND_COUNT] = {UO_SOFTWARE, UO_OTHER, UO_MALWARE};

const char *answer_source_name(const struct portdb *db, const struct portdb_unofficial *u)
{
        return portdb_str(db, u->source_label)[0] ? portdb_str(db, u->source_label)
                                                  : portdb_str(db, u->source);
}

static struct answer_source make_source(const struct portdb *db, uint32_t source, uint32_t label,
                                        uint32_t url)
{
        return (struct answer_source){
            .source = source,
            .name = portdb_str(db, label)[0] ? portdb_str(db, label) : portdb_str(db, source),
            .url = portdb_str(db, url),
        };
}

static struct answer_source use_source(const struct portdb *db, const struct portdb_unofficial *u)
{
        return make_source(db, u->source, u->source_label, u->source_url);
}

/* The number of source @s in @notes: the same string, or the same name and link for it;
 * 0: absent. */
static size_t find_note(const struct answer_notes *notes, const struct answer_source *s)
{
        for (size_t i = 0; i < notes->n; i++)
                if (notes->src[i].source == s->source ||
                    (strcmp(notes->src[i].name, s->name) == 0 &&
                     strcmp(notes->src[i].url, s->url) == 0))
                        return i + 1;
        return 0;
}

size_t answer_note_number(const struct answer *a, const struct answer_notes *notes,
                          const struct portdb_unofficial *u)
{
        struct answer_source s = use_source(a->db, u);

        return find_note(notes, &s);
}

/* The number of source @s (cited by use @u, or NULL) in @notes, adding it if new; 0 when the
 * table is full. */
static size_t note_for(struct answer_notes *notes, const struct answer_source *s,
                       const struct portdb_unofficial *u)
{
        size_t n = find_note(notes, s);

        if (n) {
                if (u && !notes->first[n - 1])
                        notes->first[n - 1] = u;
                return n;
        }
        if (notes->n == ANSWER_MAX_NOTES)
                return 0;
        notes->first[notes->n] = u;
        notes->src[notes->n++] = *s;
        return notes->n;
}

bool answer_has_use(const struct answer *a, const struct portdb_unofficial *u)
{
        return portdb_unofficial_matches(u, a->protos);
}

/* Whether two registry entries say the same thing apart from their protocol. */
static bool same_but_proto(const struct portdb_iana *a, const struct portdb_iana *b)
{
        return a->lo == b->lo && a->hi == b->hi && a->status == b->status &&
               a->service == b->service && a->description == b->description &&
               a->assignee == b->assignee && a->contact == b->contact &&
               a->registered == b->registered && a->modified == b->modified &&
               a->reference == b->reference && a->service_code == b->service_code &&
               a->unauthorized == b->unauthorized && a->note == b->note;
}

static void add_row(struct answer *a, const struct portdb_iana *e)
{
        unsigned bit = e->proto == PROTO_NONE ? 0 : PROTO_BIT(e->proto);
        size_t r = 0;

        while (r < a->n_rows && !same_but_proto(a->rows[r].entry, e))
                r++;
        if (r == a->n_rows) {
                if (a->n_rows == ANSWER_MAX_ENTRIES)
                        return;
                a->rows[a->n_rows++] = (struct answer_row){.entry = e, .protos = 0};
        }
        a->rows[r].protos |= bit;
}

static void add_assigned(struct answer *a, const struct portdb_iana *e)
{
        const char *svc = portdb_str(a->db, e->service);
        bool seen = false;

        if (!a->first_assigned)
                a->first_assigned = e;
        if (e->proto != PROTO_NONE)
                a->assigned_protos |= PROTO_BIT(e->proto);
        if (e->lo != e->hi && !a->range)
                a->range = e;
        if (!svc[0])
                return;
        if (!a->service_entry)
                a->service_entry = e;
        for (size_t k = 0; k < a->n_services; k++)
                seen = seen || strcasecmp(a->services[k], svc) == 0;
        if (!seen && a->n_services < ANSWER_MAX_SERVICES)
                a->services[a->n_services++] = svc;
}

static void gather_entries(struct answer *a)
{
        const uint16_t *refs;
        size_t n = portdb_port_refs(a->db, a->port, &refs);

        for (size_t i = 0; i < n; i++) {
                const struct portdb_iana *e = &a->db->iana[refs[i]];

                if (!portdb_iana_matches(e, a->protos))
                        continue;
                a->n_entries_all++;
                if (a->n_entries < ANSWER_MAX_ENTRIES)
                        a->entries[a->n_entries++] = e;
                add_row(a, e);
                if (e->status == IANA_ASSIGNED)
                        add_assigned(a, e);
        }
}

static void gather_uses(struct answer *a)
{
        a->n_uses_all = portdb_unofficial_at(a->db, a->port, &a->uses);
        for (size_t i = 0; i < a->n_uses_all; i++) {
                const struct portdb_unofficial *u = &a->uses[i];

                if (!answer_has_use(a, u))
                        continue;
                a->counts[u->kind]++;
                a->n_uses++;
                if (u->year && (!a->year_min || u->year < a->year_min))
                        a->year_min = u->year;
                if (u->year > a->year_max)
                        a->year_max = u->year;
        }
}

/* The part of a source's note worth showing: the text before "; IANA …" (which repeats the
 * official entry), unless it merely restates where the claim was listed. */
static bool useful_note(const char *note, const char **ret_note, int *ret_len)
{
        static const char *const restating[] = {
            "Listed as a trojan/backdoor port",
            "Unofficial use per",
            "Unofficial default use per",
            "Dropped as a malware port",
            "IANA registry records",
        };
        const char *end = strstr(note, "; IANA ");
        size_t len = end ? (size_t)(end - note) : strlen(note);

        if (len == 0)
                return false;
        for (size_t i = 0; i < sizeof(restating) / sizeof(restating[0]); i++)
                if (strncmp(note, restating[i], strlen(restating[i])) == 0)
                        return false;
        *ret_note = note;
        *ret_len = (int)len;
        return true;
}

static bool same_claim(const struct answer *a, const struct portdb_unofficial *u,
                       const struct portdb_unofficial *v)
{
        return u->kind == v->kind && answer_has_use(a, v) &&
               strcasecmp(portdb_str(a->db, u->name), portdb_str(a->db, v->name)) == 0;
}

/* A correction of claim @c on the answer's port and protocols; NULL: none. */
static const struct portdb_correction *find_correction(const struct answer *a,
                                                       const struct answer_claim *c)
{
        const struct portdb_correction *v;
        size_t n = portdb_corrections_at(a->db, a->port, &v);

        for (size_t i = 0; i < n; i++)
                if ((v[i].protos & c->protos) && strcasecmp(portdb_str(a->db, v[i].name),
                                                            portdb_str(a->db, c->first->name)) == 0)
                        return &v[i];
        return NULL;
}

/* Merges into @c every use from @from on that has @c's kind and name. */
static void fill_claim(struct answer *a, struct answer_claim *c, size_t from)
{
        c->port_hi = a->port;
        for (size_t j = from; j < a->n_uses_all; j++) {
                const struct portdb_unofficial *v = &a->uses[j];

                if (!same_claim(a, c->first, v))
                        continue;
                c->protos |= v->protos;
                if (v->year && (!c->year || v->year < c->year))
                        c->year = v->year;
                if (!c->note)
                        useful_note(portdb_str(a->db, v->note), &c->note, &c->note_len);
                if (v->port_hi > c->port_hi)
                        c->port_hi = v->port_hi;
                if (!c->ref && v->ref_id)
                        c->ref = v;
                if (v->era == UO_ERA_MODERN || (v->era && !c->era))
                        c->era = (enum uo_era)v->era;
        }
        if (c->kind == UO_MALWARE && c->era == UO_ERA_NONE)
                c->era = UO_ERA_HISTORICAL; /* the older form of the list knew no eras */
        c->correction = find_correction(a, c);
}

/* Numbers the sources of claim @c: its uses', then its correction's. */
static void number_claim(struct answer *a, struct answer_claim *c)
{
        for (size_t j = (size_t)(c->first - a->uses); j < a->n_uses_all; j++) {
                const struct portdb_unofficial *v = &a->uses[j];
                struct answer_source src;
                size_t num;
                bool have = false;

                if (!same_claim(a, c->first, v))
                        continue;
                src = use_source(a->db, v);
                num = note_for(&a->notes, &src, v);
                for (size_t k = 0; k < c->n_nums; k++)
                        have = have || c->nums[k] == num;
                if (num && !have && c->n_nums < ANSWER_CLAIM_NOTES)
                        c->nums[c->n_nums++] = num;
        }
        if (c->correction) {
                const struct portdb_correction *k = c->correction;
                struct answer_source src =
                    make_source(a->db, k->source, k->source_label, k->source_url);

                c->correction_num = note_for(&a->notes, &src, NULL);
        }
}

/* Whether malware claim @x is listed after @y: modern before historical; modern ones newest
 * year first (none last), then by name; historical ones keep the table's order. */
static bool listed_after(const struct portdb *db, const struct answer_claim *x,
                         const struct answer_claim *y)
{
        int c;

        if (x->era != y->era)
                return x->era != UO_ERA_MODERN;
        if (x->era != UO_ERA_MODERN)
                return false;
        if (x->year != y->year)
                return y->year && (!x->year || x->year < y->year);
        c = strcasecmp(portdb_str(db, x->first->name), portdb_str(db, y->first->name));
        return c > 0;
}

/* Puts the malware claims (the last kind) in the order listed_after gives, stably. */
static void order_malware(struct answer *a)
{
        size_t from = a->n_claims - a->claim_counts[UO_MALWARE];

        for (size_t i = from + 1; i < a->n_claims; i++) {
                struct answer_claim t = a->claims[i];
                size_t j = i;

                for (; j > from && listed_after(a->db, &a->claims[j - 1], &t); j--)
                        a->claims[j] = a->claims[j - 1];
                a->claims[j] = t;
        }
        for (size_t i = from; i < a->n_claims; i++)
                a->era_counts[a->claims[i].era]++;
}

static void gather_claims(struct answer *a)
{
        for (size_t k = 0; k < UO_KIND_COUNT; k++) {
                for (size_t i = 0; i < a->n_uses_all; i++) {
                        const struct portdb_unofficial *u = &a->uses[i];
                        struct answer_claim *c;
                        bool dup = false;

                        if (u->kind != answer_kind_order[k] || !answer_has_use(a, u))
                                continue;
                        for (size_t j = 0; j < i && !dup; j++)
                                dup = same_claim(a, u, &a->uses[j]);
                        if (dup || a->n_claims == ANSWER_MAX_CLAIMS)
                                continue;
                        c = &a->claims[a->n_claims++];
                        *c = (struct answer_claim){.kind = u->kind, .first = u};
                        a->claim_counts[u->kind]++;
                        fill_claim(a, c, i);
                }
        }
        order_malware(a);
        for (size_t i = 0; i < a->n_claims; i++)
                number_claim(a, &a->claims[i]);
}

/* The everyday names of entry @e, merged into a->akas by name and service. */
static void add_akas(struct answer *a, const struct portdb_iana *e)
{
        const struct portdb *db = a->db;
        uint32_t first;
        size_t n = portdb_aliases_of(db, (uint16_t)(e - db->iana), &first);

        for (size_t i = 0; i < n; i++) {
                const struct portdb_alias *al = &db->aliases[db->alias_by_iana[first + i]];
                size_t k = 0;

                while (k < a->n_akas && !(a->akas[k].entry->service == e->service &&
                                          strcasecmp(portdb_str(db, a->akas[k].alias->name),
                                                     portdb_str(db, al->name)) == 0))
                        k++;
                if (k == a->n_akas) {
                        if (a->n_akas == ANSWER_MAX_AKAS)
                                continue;
                        a->akas[a->n_akas++] = (struct answer_aka){.alias = al, .entry = e};
                }
                a->akas[k].protos |= PROTO_BIT(e->proto);
        }
}

static void gather_akas(struct answer *a)
{
        for (size_t i = 0; i < a->n_entries; i++)
                if (a->entries[i]->flags & PORTDB_F_ALIAS)
                        add_akas(a, a->entries[i]);
        for (size_t k = 0; k < a->n_akas; k++) {
                const struct portdb_alias *al = a->akas[k].alias;
                struct answer_source src =
                    make_source(a->db, al->source, al->source_label, al->source_url);

                a->akas[k].num = note_for(&a->notes, &src, NULL);
        }
}

static enum answer_verdict verdict(const struct answer *a)
{
        if (a->counts[UO_MALWARE] == 0)
                return ANSWER_VERDICT_NONE;
        if (a->status != PORT_ASSIGNED)
                return ANSWER_VERDICT_MALWARE_ONLY;
        return ANSWER_VERDICT_BOTH_TRUE;
}

/* Appends @a to @e to @buf (@size bytes, NUL-terminated), cutting at the end. */
static void join(char *buf, size_t size, const char *a, const char *b, const char *c, const char *d,
                 const char *e)
{
        const char *parts[] = {a, b, c, d, e};
        size_t len = strlen(buf);

        for (size_t i = 0; i < 5; i++)
                for (const char *p = parts[i]; *p && len + 1 < size; p++)
                        buf[len++] = *p;
        buf[len] = '\0';
}

static void check_commands(struct answer_check *c, uint16_t port, unsigned protos)
{
        char buf[8], *num = buf + sizeof(buf);
        unsigned v = port;

        *--num = '\0';
        do
                *--num = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        c->port_zero = port == 0;
        c->ss_all = "ss -tulpn";
        c->lsof_pid = "lsof -nP -i -a -p PID";
        c->ss_flags = protos == PROTO_BIT(PROTO_TCP)   ? "-tlpn"
                      : protos == PROTO_BIT(PROTO_UDP) ? "-ulpn"
                                                       : "-tulpn";
        /* Joined by hand: `who` builds an answer per listener, and four snprintf calls were
         * most of that (docs/benchmarks.md, issue 14). */
        c->ss[0] = c->ss_root[0] = c->lsof[0] = c->netstat[0] = '\0';
        join(c->ss, sizeof(c->ss), "ss ", c->ss_flags, " 'sport = :", num, "'");
        join(c->ss_root, sizeof(c->ss_root), "sudo ", c->ss, "", "", "");
        join(c->lsof, sizeof(c->lsof), "sudo lsof -nP -i :", num, "", "", "");
        join(c->netstat, sizeof(c->netstat), "netstat -ano | findstr :", num, "", "", "");
        c->tasklist = "tasklist /FI \"PID eq <PID>\"";
}

void answer_build(struct answer *ret, const struct portdb *db, uint16_t port, unsigned protos)
{
        memset(ret, 0, offsetof(struct answer, entries));
        ret->db = db;
        ret->port = port;
        ret->protos = protos;
        ret->tier = portdb_tier(port);
        ret->status = portdb_status(db, port, protos);
        gather_entries(ret);
        gather_akas(ret);
        gather_uses(ret);
        gather_claims(ret);
        ret->verdict = verdict(ret);
        check_commands(&ret->check, port, protos);
}

bool answer_claim_has(const struct answer *a, const struct answer_claim *c,
                      const struct portdb_unofficial *u)
{
        return same_claim(a, c->first, u);
}

const struct answer_claim *answer_claim_of(const struct answer *a,
                                           const struct portdb_unofficial *u)
{
        for (size_t i = 0; i < a->n_claims; i++)
                if (u->kind == a->claims[i].kind && same_claim(a, a->claims[i].first, u))
                        return &a->claims[i];
        return NULL;
}

bool answer_malware_only(const struct answer *a)
{
        return a->counts[UO_MALWARE] > 0 && a->counts[UO_SOFTWARE] == 0 &&
               a->counts[UO_OTHER] == 0 && a->status != PORT_ASSIGNED;
}

bool answer_port_has_entries(const struct portdb *db, uint16_t port)
{
        const uint16_t *refs;
        const struct portdb_unofficial *uo;
        size_t nrefs = portdb_port_refs(db, port, &refs);

        if (portdb_unofficial_at(db, port, &uo) > 0)
                return true;
        for (size_t i = 0; i < nrefs; i++)
                if (db->iana[refs[i]].status != IANA_UNASSIGNED)
                        return true;
        return false;
}

/* registry_records: the in-memory records the registry readers fill, and the rules that give
 * each record its port range, protocol and status.
 *
 * Reading the file formats is left to the readers; choosing one is left to registry.c.
 */
#include "registry_records.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "dataage.h"

void registry_init(struct registry *reg)
{
        memset(reg, 0, sizeof(*reg));
}

static void record_free(struct reg_record *r)
{
        free(r->service);
        free(r->description);
        free(r->assignee);
        free(r->contact);
        free(r->registered);
        free(r->modified);
        free(r->reference);
        free(r->service_code);
        free(r->unauthorized);
        free(r->note);
}

static void unofficial_free(struct reg_unofficial *u)
{
        free(u->name);
        free(u->note);
        free(u->source);
        free(u->source_url);
        free(u->source_label);
        free(u->ref_id);
        free(u->ref_url);
}

static void alias_free(struct reg_alias *a)
{
        free(a->name);
        free(a->service);
        free(a->meaning);
        free(a->source);
        free(a->source_url);
        free(a->source_label);
}

static void correction_free(struct reg_correction *c)
{
        free(c->name);
        free(c->text);
        free(c->source);
        free(c->source_url);
        free(c->source_label);
}

void registry_done(struct registry *reg)
{
        for (size_t i = 0; i < reg->n_recs; i++)
                record_free(&reg->recs[i]);
        for (size_t i = 0; i < reg->n_uo; i++)
                unofficial_free(&reg->uo[i]);
        for (size_t i = 0; i < reg->n_aliases; i++)
                alias_free(&reg->aliases[i]);
        for (size_t i = 0; i < reg->n_corrections; i++)
                correction_free(&reg->corrections[i]);
        free(reg->recs);
        free(reg->uo);
        free(reg->aliases);
        free(reg->corrections);
        registry_init(reg);
}

void reg_error_set(struct reg_error *err, unsigned long line, const char *fmt, ...)
{
        va_list ap;

        if (!err)
                return;
        err->line = line;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
}

/* Grows an array of @size-byte items to hold one more; returns the new item, zeroed. */
static void *grow(void **items, size_t *n, size_t *cap, size_t size, size_t max)
{
        char *p;

        if (*n >= max)
                return NULL;
        if (*n == *cap) {
                size_t ncap = *cap ? *cap * 2 : 1024;
                void *np = realloc(*items, ncap * size);

                if (!np)
                        return NULL;
                *items = np;
                *cap = ncap;
        }
        p = (char *)*items + (*n)++ * size;
        memset(p, 0, size);
        return p;
}

struct reg_record *registry_add_record(struct registry *reg)
{
        return grow((void **)&reg->recs, &reg->n_recs, &reg->cap_recs, sizeof(*reg->recs),
                    REGISTRY_MAX_RECORDS);
}

struct reg_unofficial *registry_add_unofficial(struct registry *reg)
{
        return grow((void **)&reg->uo, &reg->n_uo, &reg->cap_uo, sizeof(*reg->uo),
                    REGISTRY_MAX_RECORDS);
}

struct reg_alias *registry_add_alias(struct registry *reg)
{
        return grow((void **)&reg->aliases, &reg->n_aliases, &reg->cap_aliases,
                    sizeof(*reg->aliases), REGISTRY_MAX_RECORDS);
}

struct reg_correction *registry_add_correction(struct registry *reg)
{
        return grow((void **)&reg->corrections, &reg->n_corrections, &reg->cap_corrections,
                    sizeof(*reg->corrections), REGISTRY_MAX_RECORDS);
}

char *registry_strndup_trim(const char *s, size_t len, int *oom)
{
        char *d;

        while (len > 0 && isspace((unsigned char)s[0])) {
                s++;
                len--;
        }
        while (len > 0 && isspace((unsigned char)s[len - 1]))
                len--;
        if (len == 0)
                return NULL;
        d = strndup(s, len);
        if (!d)
                *oom = 1;
        return d;
}

static bool starts_with_word(const char *s, const char *word)
{
        size_t n = strlen(word);

        return s && strncasecmp(s, word, n) == 0 && !isalpha((unsigned char)s[n]);
}

/* A row names a service, or says in its description what became of the port.  IANA itself
 * turns removed entries into "Reserved" rows, so withdrawn ports count as reserved.  A row with
 * neither a name nor an assignee is a remark, not an assignment (1008/udp "Possibly used by Sun
 * Solaris????"). */
static uint8_t status_of(const char *service, const char *description, const char *assignee)
{
        static const char *const withdrawn[] = {
            "reserved",   "de-registered",   "deregistered",   "removed",
            "deprecated", "de-commissioned", "decommissioned", "decomissioned",
        };
        const char *d = description;

        if (service)
                return IANA_ASSIGNED;
        if (!d)
                return IANA_UNASSIGNED;
        while (*d == '(' || *d == '"' || *d == ' ')
                d++;
        if (starts_with_word(d, "unassigned"))
                return IANA_UNASSIGNED;
        for (size_t i = 0; i < sizeof(withdrawn) / sizeof(withdrawn[0]); i++)
                if (starts_with_word(d, withdrawn[i]))
                        return IANA_RESERVED;
        return assignee ? IANA_ASSIGNED : IANA_UNASSIGNED; /* e.g. 24 "any private mail system" */
}

int registry_classify(struct reg_record *rec, const char *number, const char *protocol,
                      struct reg_error *err)
{
        enum proto proto = PROTO_NONE;

        if (protocol && protocol[0] != '\0' && parse_proto(protocol, &proto) < 0) {
                reg_error_set(err, 0, "unknown transport protocol \"%.40s\"", protocol);
                return -EINVAL;
        }
        rec->proto = (uint8_t)proto;

        if (!number || number[0] == '\0') {
                if (!rec->service) {
                        reg_error_set(err, 0, "record with neither a port nor a service name");
                        return -EINVAL;
                }
                rec->flags |= PORTDB_F_NOPORT;
                rec->lo = rec->hi = 0;
        } else {
                uint16_t lo, hi;
                int r = parse_range(number, &lo, &hi);

                if (r < 0) {
                        reg_error_set(
                            err, 0, "port \"%.40s\" is not a port or range within 0-65535", number);
                        return -EINVAL;
                }
                rec->lo = lo;
                rec->hi = hi;
        }

        rec->status = status_of(rec->service, rec->description, rec->assignee);
        return 0;
}

void registry_note_date(struct registry *reg, const char *date)
{
        if (dataage_is_iso_date(date) && strcmp(date, reg->updated) > 0)
                memcpy(reg->updated, date, sizeof(reg->updated));
}

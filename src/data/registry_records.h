/* registry_records: the IANA registry and the unofficial-uses list as read from their files, in
 * memory, and the helpers every reader shares to fill them.
 *
 * The readers (registry_xml.h, registry_csv.h, unofficial_tsv.h) fill a struct registry and
 * registry_blob.h turns it into the compact portdb blob.  Nothing here reads a file format.
 */
#ifndef PORTINFO_REGISTRY_RECORDS_H
#define PORTINFO_REGISTRY_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "portdb.h"

/* Caps on what a reader accepts: far above the real registry, far below what could hurt. */
#define REGISTRY_MAX_BYTES   (64u * 1024 * 1024)
#define REGISTRY_MAX_FIELD   8192u
#define REGISTRY_MAX_RECORDS 65535u
/* Port slots covered by all entries together (range rows count every port they span): the real
 * registry covers about 56,000; overlapping full-range rows could ask for billions. */
#define REGISTRY_MAX_COVERAGE (1u << 20)

/* One registry record.  Every string is owned by the registry; NULL means "no value". */
struct reg_record {
        char *service;
        char *description;
        char *assignee;
        char *contact;
        char *registered;
        char *modified;
        char *reference;
        char *service_code;
        char *unauthorized;
        char *note;
        uint16_t lo, hi;
        uint8_t proto;  /* enum proto */
        uint8_t status; /* enum iana_status */
        uint8_t flags;  /* PORTDB_F_NOPORT */
};

struct reg_unofficial {
        char *name;
        char *note;
        char *source;
        char *source_url;
        char *source_label;
        char *ref_id;
        char *ref_url;
        uint16_t port;
        uint16_t port_hi; /* == port: one port */
        uint8_t protos;
        uint8_t kind;
        uint8_t era; /* enum uo_era */
        uint16_t year;
};

/* An everyday name for the IANA entries of @service on @port for @protos (PROTO_BIT mask). */
struct reg_alias {
        char *name;
        char *service;
        char *meaning;
        char *source;
        char *source_url;
        char *source_label;
        uint16_t port;
        uint8_t protos;
};

/* A source contradicting the unofficial claim @name on @port for @protos. */
struct reg_correction {
        char *name;
        char *text;
        char *source;
        char *source_url;
        char *source_label;
        uint16_t port;
        uint8_t protos;
};

struct registry {
        struct reg_record *recs;
        size_t n_recs, cap_recs;
        struct reg_unofficial *uo;
        size_t n_uo, cap_uo;
        struct reg_alias *aliases;
        size_t n_aliases, cap_aliases;
        struct reg_correction *corrections;
        size_t n_corrections, cap_corrections;
        char updated[11]; /* YYYY-MM-DD; for CSV, the newest date found in the file */
        char format[4];   /* "xml" or "csv" */
};

/* Where a reader gave up, for one clear line to the user. */
struct reg_error {
        unsigned long line; /* 1-based; 0 when unknown */
        char msg[200];
};

/* Empties @reg (caller-owned) for the readers to fill. */
void registry_init(struct registry *reg);
/* Frees everything @reg holds and leaves it empty, as registry_init() does. */
void registry_done(struct registry *reg);

/* Helpers shared by the readers. */
/* A new zeroed slot at the end of reg->recs (or reg->uo), owned by @reg; NULL when out of memory
 * or at REGISTRY_MAX_RECORDS. */
struct reg_record *registry_add_record(struct registry *reg);
struct reg_unofficial *registry_add_unofficial(struct registry *reg);
struct reg_alias *registry_add_alias(struct registry *reg);
struct reg_correction *registry_add_correction(struct registry *reg);
/* Fills lo/hi/proto/status/flags of @rec from the textual port, protocol and description.
 * Returns 0 or -EINVAL with @err filled. */
int registry_classify(struct reg_record *rec, const char *number, const char *protocol,
                      struct reg_error *err);
/* Keeps the newest YYYY-MM-DD date seen in reg->updated. */
void registry_note_date(struct registry *reg, const char *date);
/* Duplicates @len bytes of @s, trimmed of surrounding white space; NULL if empty or on ENOMEM
 * (the latter sets *oom). */
char *registry_strndup_trim(const char *s, size_t len, int *oom);
/* Fills @err (if not NULL) with @line and a formatted message, cut to fit. */
void reg_error_set(struct reg_error *err, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

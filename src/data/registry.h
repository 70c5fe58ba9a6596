/* registry: the IANA registry and the unofficial-uses list as read from their files, in memory.
 *
 * The readers (registry_xml.c, registry_csv.c, unofficial_tsv.c) fill a struct registry and
 * registry_blob.c turns it into the compact portdb blob.  Used at build time by tools/gen-portdb
 * and at run time by the update helper; never by the lookup path.
 */
#ifndef PORTINFO_REGISTRY_H
#define PORTINFO_REGISTRY_H

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
        uint16_t port;
        uint8_t protos;
        uint8_t kind;
        uint16_t year;
};

struct registry {
        struct reg_record *recs;
        size_t n_recs, cap_recs;
        struct reg_unofficial *uo;
        size_t n_uo, cap_uo;
        char updated[11]; /* YYYY-MM-DD; for CSV, the newest date found in the file */
        char format[4];   /* "xml" or "csv" */
};

/* Where a reader gave up, for one clear line to the user. */
struct reg_error {
        unsigned long line; /* 1-based; 0 when unknown */
        char msg[200];
};

void registry_init(struct registry *reg);
void registry_done(struct registry *reg);

/* Readers.  Each parses @len bytes at @buf (not NUL-terminated) and appends to @reg.  Return 0,
 * or -EINVAL (malformed; @err says where and why), -E2BIG (a cap hit), -ENOMEM.  On failure @reg
 * may hold part of the file: the caller discards it with registry_done(). */
int registry_read_xml(struct registry *reg, const char *buf, size_t len, struct reg_error *err);
int registry_read_csv(struct registry *reg, const char *buf, size_t len, struct reg_error *err);
int unofficial_read_tsv(struct registry *reg, const char *buf, size_t len, struct reg_error *err);

/* Reads whichever IANA format @buf holds (XML if it starts with '<' after blanks, else CSV). */
int registry_read_any(struct registry *reg, const char *buf, size_t len, struct reg_error *err);

/* Helpers shared by the readers. */
struct reg_record *registry_add_record(struct registry *reg);
struct reg_unofficial *registry_add_unofficial(struct registry *reg);
/* Fills lo/hi/proto/status/flags of @rec from the textual port, protocol and description.
 * Returns 0 or -EINVAL with @err filled. */
int registry_classify(struct reg_record *rec, const char *number, const char *protocol,
                      struct reg_error *err);
/* Keeps the newest YYYY-MM-DD date seen in reg->updated. */
void registry_note_date(struct registry *reg, const char *date);
/* Duplicates @len bytes of @s, trimmed of surrounding white space; NULL if empty or on ENOMEM
 * (the latter sets *oom). */
char *registry_strndup_trim(const char *s, size_t len, int *oom);
void reg_error_set(struct reg_error *err, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Builds the portdb blob from @reg.  On success stores a malloc'ed blob (8-byte aligned, the
 * caller frees it) in *ret_blob and its size in *ret_len and returns 0; else -E2BIG (too many
 * entries), -ENOMEM. */
int registry_build_blob(const struct registry *reg, void **ret_blob, size_t *ret_len,
                        struct reg_error *err);

#endif

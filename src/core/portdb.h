/* portdb: the port knowledge base, read-only lookups over one compact blob.
 *
 * The blob is produced by tools/gen-portdb (or `portinfo update`) and is either linked into the
 * binary or mapped from the data directory.  This module does no I/O and never allocates: every
 * string it hands out points into the blob and lives as long as the blob does.
 */
#ifndef PORTINFO_PORTDB_H
#define PORTINFO_PORTDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum proto {
        PROTO_TCP,
        PROTO_UDP,
        PROTO_SCTP,
        PROTO_DCCP,
        PROTO_NONE, /* registry rows that name no transport protocol */
        PROTO_COUNT,
};

#define PROTO_BIT(p)       (1u << (p))
#define PROTO_MASK_TCP_UDP (PROTO_BIT(PROTO_TCP) | PROTO_BIT(PROTO_UDP))
#define PROTO_MASK_ALL     0x1fu /* the four protocols and "none" */

enum iana_status {
        IANA_ASSIGNED,   /* names a service */
        IANA_RESERVED,   /* "Reserved" rows, including de-assigned and removed entries */
        IANA_UNASSIGNED, /* "Unassigned" rows */
};

enum port_status {
        PORT_ASSIGNED,
        PORT_RESERVED,
        PORT_UNASSIGNED,
};

enum tier {
        TIER_WELL_KNOWN, /* 0-1023 */
        TIER_REGISTERED, /* 1024-49151 */
        TIER_DYNAMIC,    /* 49152-65535 */
};

enum uo_kind {
        UO_MALWARE,
        UO_SOFTWARE,
        UO_OTHER,
        UO_KIND_COUNT,
};

enum uo_era {
        UO_ERA_NONE,       /* software and other uses carry none */
        UO_ERA_MODERN,     /* a threat reported in 2010 or later, or by a current catalogue */
        UO_ERA_HISTORICAL, /* a threat from the old trojan-port lists and their kin */
        UO_ERA_COUNT,
};

#define PORTDB_F_NOPORT 0x01u /* a service name registered without a port */
#define PORTDB_F_ALIAS  0x02u /* an everyday name (struct portdb_alias) means this entry */

/* Strings are offsets into the blob's string pool; offset 0 is the empty string ("no value"). */
struct portdb_iana {
        uint16_t lo, hi; /* lo == hi for single ports */
        uint8_t proto;   /* enum proto */
        uint8_t status;  /* enum iana_status */
        uint8_t flags;   /* PORTDB_F_* */
        uint8_t reserved;
        uint32_t service;
        uint32_t description;
        uint32_t assignee;
        uint32_t contact;
        uint32_t registered; /* YYYY-MM-DD */
        uint32_t modified;   /* YYYY-MM-DD */
        uint32_t reference;
        uint32_t service_code;
        uint32_t unauthorized;
        uint32_t note;
};

struct portdb_unofficial {
        uint16_t port;
        uint8_t protos;   /* PROTO_BIT(PROTO_TCP) and/or PROTO_BIT(PROTO_UDP) */
        uint8_t kind;     /* enum uo_kind */
        uint16_t year;    /* 0 when no source gave one */
        uint16_t port_hi; /* the last port of the range the source gave; == port: one port */
        uint32_t name;
        uint32_t note;
        uint32_t source;
        uint32_t source_url;
        uint32_t source_label;
        uint32_t ref_id;  /* an external catalogue's ID ("S0154"); 0: none */
        uint32_t ref_url; /* its link */
        uint8_t era;      /* enum uo_era */
        uint8_t pad[3];
};

/* An everyday name ("RDP") for one IANA entry; a name meaning several entries has a record for
 * each.  Sorted by name (ASCII case-insensitive), then by entry. */
struct portdb_alias {
        uint32_t name;    /* as usually written */
        uint32_t meaning; /* its expansion ("Remote Desktop Protocol") */
        uint32_t source;
        uint32_t source_url;
        uint32_t source_label;
        uint16_t iana; /* the entry it means, an index into iana (never a port-less one) */
        uint16_t pad;
};

/* A source contradicting an unofficial claim (port, protocols, name as in the uses).  Sorted by
 * port. */
struct portdb_correction {
        uint16_t port;
        uint8_t protos; /* PROTO_BIT(PROTO_TCP) and/or PROTO_BIT(PROTO_UDP) */
        uint8_t pad;
        uint32_t name; /* the claim's name */
        uint32_t text; /* what the other source says */
        uint32_t source;
        uint32_t source_url;
        uint32_t source_label;
};

#define PORTDB_MAGIC   "PORTDB\0\1"
#define PORTDB_VERSION 3u /* 2: the word-wise checksum; 3: aliases, corrections, ranges, eras */
#define PORTDB_PORTS   65536u

/* The blob's header.  All offsets are from the start of the blob; all integers little-endian
 * (the blob is only ever read on the machine kind that wrote it, and the header says so). */
struct portdb_header {
        char magic[8];
        uint32_t version;
        uint32_t size;     /* whole blob, header included */
        uint32_t checksum; /* portdb_checksum of every byte after the header */
        uint32_t endian;   /* 0x01020304 as written */
        uint32_t n_iana, off_iana;
        uint32_t n_unofficial, off_unofficial;
        uint32_t off_port_index;   /* PORTDB_PORTS + 1 uint32: refs[index[p]..index[p+1]) cover p */
        uint32_t n_refs, off_refs; /* uint16 indices into iana */
        uint32_t n_names, off_names; /* uint16 indices into iana, sorted by service name */
        uint32_t strings_size, off_strings;
        uint32_t search_size, off_search; /* lower-cased text, one line per searchable record */
        uint32_t n_search_map, off_search_map; /* struct portdb_search_line, sorted by offset */
        uint32_t registry_updated;             /* string: the registry's own date, YYYY-MM-DD */
        uint32_t registry_format;              /* string: "xml" or "csv" */
        uint32_t n_records;                    /* registry records read, port-less ones included */
        uint32_t n_aliases, off_aliases;       /* struct portdb_alias, by name */
        uint32_t off_alias_by_iana;            /* n_aliases uint16 indices into aliases, by iana */
        uint32_t n_corrections, off_corrections; /* struct portdb_correction, by port */
};

struct portdb_search_line {
        uint32_t offset; /* start of the line in the search text */
        uint16_t index;  /* into iana or unofficial */
        uint8_t table;   /* 0 iana, 1 unofficial, 2 alias */
        uint8_t split;   /* iana, alias: length of the name part; the description follows a tab */
};

struct portdb {
        const uint8_t *base;
        const struct portdb_header *hdr;
        const struct portdb_iana *iana;
        const struct portdb_unofficial *unofficial;
        const uint32_t *port_index;
        const uint16_t *refs;
        const uint16_t *names;
        const char *strings;
        const char *search;
        const struct portdb_search_line *search_map;
        const struct portdb_alias *aliases;
        const uint16_t *alias_by_iana;
        const struct portdb_correction *corrections;
};

/* Attaches @db to the blob at @blob of @len bytes.  With @verify, checks the magic, size,
 * checksum and every offset and index so that no later lookup can read outside the blob.
 * Returns 0, or -EINVAL for a blob that is not a valid portdb.  The blob stays the caller's. */
int portdb_open(struct portdb *db, const void *blob, size_t len, bool verify);

/* Attaches @db to a blob already known to be valid. */
void portdb_attach(struct portdb *db, const uint8_t *base);

/* The string at pool offset @off; "" for 0. */
static inline const char *portdb_str(const struct portdb *db, uint32_t off)
{
        return db->strings + off;
}

/* Stores in *ret_refs the iana indices of every entry covering @port (single and range entries,
 * port-less rows excluded), ordered by protocol.  Returns their number. */
size_t portdb_port_refs(const struct portdb *db, uint16_t port, const uint16_t **ret_refs);

/* Stores in *ret_first the first unofficial entry for @port; returns how many follow. */
size_t portdb_unofficial_at(const struct portdb *db, uint16_t port,
                            const struct portdb_unofficial **ret_first);

/* The IANA status of @port for the protocols in @protos (PROTO_BIT mask). */
enum port_status portdb_status(const struct portdb *db, uint16_t port, unsigned protos);

enum tier portdb_tier(uint16_t port);
const char *portdb_tier_name(enum tier t);          /* "well-known", ... */
const char *portdb_status_name(enum port_status s); /* "assigned", ... */
const char *portdb_proto_name(enum proto p);        /* "tcp", ...; NULL for PROTO_NONE */
const char *portdb_kind_name(enum uo_kind k);       /* "malware", ... */
const char *portdb_era_name(enum uo_era e);         /* NULL, "modern", "historical" */

/* Whether unofficial entry @u applies to some protocol in @protos. */
static inline bool portdb_unofficial_matches(const struct portdb_unofficial *u, unsigned protos)
{
        return (u->protos & protos) != 0;
}

/* Whether iana entry @e applies to some protocol in @protos; port-less-protocol rows apply to all.
 */
static inline bool portdb_iana_matches(const struct portdb_iana *e, unsigned protos)
{
        return e->proto == PROTO_NONE || (protos & PROTO_BIT(e->proto)) != 0;
}

/* Finds the entries whose service name equals @name (ASCII case-insensitive).  Stores the
 * position of the first in the name index in *ret_first; returns how many there are (0: none).
 * Entry i of the match is db->iana[db->names[*ret_first + i]]. */
size_t portdb_find_name(const struct portdb *db, const char *name, uint32_t *ret_first);

/* Finds the everyday names equal to @name (ASCII case-insensitive).  Stores the index of the
 * first in db->aliases in *ret_first; returns how many there are (0: none). */
size_t portdb_find_alias(const struct portdb *db, const char *name, uint32_t *ret_first);

/* Stores in *ret_first the position in db->alias_by_iana of the first everyday name of iana
 * entry @iana; returns how many there are. */
size_t portdb_aliases_of(const struct portdb *db, uint16_t iana, uint32_t *ret_first);

/* Stores in *ret_first the first correction for @port; returns how many follow. */
size_t portdb_corrections_at(const struct portdb *db, uint16_t port,
                             const struct portdb_correction **ret_first);

#define PORTDB_MAX_QUERY 256

struct portdb_hit {
        uint16_t port;
        uint8_t score; /* higher is better */
        uint8_t protos;
};

/* Scratch space for portdb_search, owned by the caller (about 330 KiB: allocate it). */
struct portdb_search_ctx {
        uint8_t best[PORTDB_PORTS];
        uint8_t protos[PORTDB_PORTS];
        struct portdb_hit hits[PORTDB_PORTS];
};

/* Search scores: an everyday name typed in full ranks above every IANA hit, a service name typed
 * in full next; a name's prefix ranks below the full name. */
#define PORTDB_SCORE_ALIAS_EXACT  110
#define PORTDB_SCORE_NAME_EXACT   100
#define PORTDB_SCORE_ALIAS_PREFIX 85
#define PORTDB_SCORE_NAME_PREFIX  80

/* Case-insensitive substring search over service names, descriptions, everyday names with their
 * meanings and unofficial names.
 * Fills ctx->hits with one hit per port, best first (ties by port number) and returns their
 * number, or -EINVAL for an empty query, -E2BIG for one longer than PORTDB_MAX_QUERY. */
int portdb_search(const struct portdb *db, const char *query, struct portdb_search_ctx *ctx);

/* A 32-bit hash of @len bytes (not cryptographic): the blob checksum, also used for ETags. */
uint32_t portdb_checksum(const void *p, size_t len);

#endif

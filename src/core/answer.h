/* answer: everything portinfo says about one port, decided once, as one value.
 *
 * Tier, status, the IANA entries that apply, the unofficial uses in the order the faces show
 * them with their numbered sources, the verdict when IANA and the folklore disagree, and the
 * commands that check a machine.  It holds decisions and data only (enums, counts, pointers into
 * the table, command lines); the wording belongs to the faces (text, HTML, JSON, who, audit).
 */
#ifndef PORTINFO_ANSWER_H
#define PORTINFO_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portdb.h"

#define ANSWER_MAX_ENTRIES 64  /* IANA entries covering one port (the table has at most 7) */
#define ANSWER_MAX_NOTES   64  /* distinct sources numbered; later ones go unnumbered */
#define ANSWER_MAX_CLAIMS  128 /* merged claims (the table has at most 56 uses on a port) */
#define ANSWER_CLAIM_NOTES 8   /* source numbers one claim shows */
/* Caps on the size of every answer, whatever table it comes from (a registry imported with
 * --force may hold thousands of entries on one port): entries beyond ANSWER_MAX_ENTRIES and
 * uses beyond ANSWER_MAX_USES are counted, not shown, and every face says how many it left
 * out; a search shows its best ANSWER_MAX_HITS ports (the page and the API alike). */
#define ANSWER_MAX_USES 256 /* unofficial uses listed one by one (the table has at most 110) */
#define ANSWER_MAX_HITS 100 /* ports in a search answer */
#define ANSWER_MAX_AKAS 16  /* everyday names of one port */

/* The kinds of unofficial use in the order every face lists them. */
extern const enum uo_kind answer_kind_order[UO_KIND_COUNT];

/* What to make of a port that malware lists name. */
enum answer_verdict {
        ANSWER_VERDICT_NONE, /* no malware list names the port */
        /* IANA assigns it (for assigned_protos, or through entries that name no protocol when
         * that is 0) and malware lists name it */
        ANSWER_VERDICT_BOTH_TRUE,
        ANSWER_VERDICT_MALWARE_ONLY, /* malware lists name it and IANA assigns it to nothing */
};

/* A source as the faces show it. */
struct answer_source {
        uint32_t source;  /* the raw source text (a string offset): identity */
        const char *name; /* its label, else its raw text */
        const char *url;  /* "" when none */
};

/* Each distinct source once, numbered (from 1) in the order of first use: the everyday names'
 * sources, then the claims', each claim's correction after it. */
struct answer_notes {
        /* A use citing source i + 1; NULL when only an everyday name or a correction does. */
        const struct portdb_unofficial *first[ANSWER_MAX_NOTES];
        struct answer_source src[ANSWER_MAX_NOTES];
        size_t n;
};

/* An everyday name of the port ("RDP"), merged across the protocols asked. */
struct answer_aka {
        const struct portdb_alias *alias; /* its first record: name, meaning, source */
        const struct portdb_iana *entry;  /* the IANA entry it means (the first one) */
        unsigned protos;                  /* PROTO_BIT mask of the entries it means here */
        size_t num;                       /* its source's number in notes; 0: none */
};

/* IANA entries that say the same thing for several protocols, as one. */
struct answer_row {
        const struct portdb_iana *entry; /* the first of them */
        unsigned protos;                 /* PROTO_BIT mask; 0 when they name no protocol */
};

/* Uses of one kind with the same name (ASCII case-insensitive), merged. */
struct answer_claim {
        enum uo_kind kind;
        const struct portdb_unofficial *first;
        unsigned protos;  /* every protocol they name */
        unsigned year;    /* the earliest year given; 0: none */
        const char *note; /* the first note worth showing, @note_len bytes; NULL: none */
        int note_len;     /* (a source's note up to "; IANA ...", unless it only restates) */
        size_t nums[ANSWER_CLAIM_NOTES]; /* their sources' numbers in notes, distinct */
        size_t n_nums;
        enum uo_era era;  /* malware: modern when any use is, else historical; software: none */
        uint16_t port_hi; /* the widest range a source gave from this port; == port: none */
        const struct portdb_unofficial *ref;        /* the use naming an ATT&CK ID; NULL */
        const struct portdb_correction *correction; /* a source contradicting it; NULL */
        size_t correction_num;                      /* that source's number; 0: none */
};

/* The commands that show what uses the port, built for its number and protocols. */
struct answer_check {
        /* Port 0: nothing listens on it (binding 0 asks for any free port); the commands below
         * list one program's sockets instead of a port's. */
        bool port_zero;
        const char *ss_all;   /* "ss -tulpn" */
        const char *lsof_pid; /* "lsof -nP -i -a -p PID" */
        /* Other ports. */
        const char *ss_flags; /* "-tulpn", "-tlpn" (TCP only) or "-ulpn" (UDP only) */
        char ss[48];          /* "ss -tulpn 'sport = :22'" */
        char ss_root[56];     /* "sudo ss -tulpn 'sport = :22'" */
        char lsof[40];        /* "sudo lsof -nP -i :22", for Linux and macOS */
        char netstat[40];     /* "netstat -ano | findstr :22" (findstr matches text) */
        const char *tasklist; /* "tasklist /FI \"PID eq <PID>\"" */
};

#define ANSWER_MAX_SERVICES 4

/* One answer.  Every pointer points into the portdb it was built from and lives as long as the
 * portdb does; the value itself owns nothing, so it needs no _done. */
struct answer {
        const struct portdb *db;
        uint16_t port;
        unsigned protos; /* the protocols asked about (PROTO_BIT mask) */
        enum tier tier;
        enum port_status status;

        /* IANA entries covering the port for those protocols, by protocol (entries[]), and the
         * same merged across protocols (rows[]). */
        size_t n_entries;
        size_t n_entries_all; /* all that apply: more than n_entries when capped */
        size_t n_rows;
        unsigned assigned_protos; /* protocols with an assigned entry that names one */
        const struct portdb_iana *first_assigned; /* NULL: none */
        const struct portdb_iana *service_entry;  /* the first assigned one naming a service */
        const struct portdb_iana *range; /* the first assigned range entry covering it, if any */
        const char *services[ANSWER_MAX_SERVICES]; /* distinct assigned service names */
        size_t n_services;

        /* Unofficial uses for those protocols, in the table's order. */
        const struct portdb_unofficial *uses;
        size_t n_uses_all; /* uses[0..n_uses_all) includes ones for other protocols */
        size_t counts[UO_KIND_COUNT];
        size_t n_uses;
        unsigned year_min, year_max; /* the years the uses give; 0: none */
        /* Uses merged into claims (claims[]), kind by kind; their sources are numbered in claim
         * order, one numbering for every face (the terminal lists each use under its claim's
         * numbers). */
        size_t n_claims;
        size_t claim_counts[UO_KIND_COUNT];
        /* Malware claims by era, in claims[] modern first (newest year first, then by name),
         * then historical ones (the table's order). */
        size_t era_counts[UO_ERA_COUNT];
        struct answer_notes notes;

        /* Everyday names of the IANA entries above ("also known as"), sources numbered first. */
        size_t n_akas;
        struct answer_aka akas[ANSWER_MAX_AKAS];

        enum answer_verdict verdict;
        struct answer_check check;

        /* The arrays last: answer_build fills them in order and nothing reads past their
         * counts, so they are not cleared first (16 KiB a port). */
        const struct portdb_iana *entries[ANSWER_MAX_ENTRIES];
        struct answer_row rows[ANSWER_MAX_ENTRIES];
        struct answer_claim claims[ANSWER_MAX_CLAIMS];
};

/* Fills *ret with the answer about @port for the protocols in @protos (a PROTO_BIT mask; an
 * empty one matches no entry and no use) from @db.  Cannot fail. */
void answer_build(struct answer *ret, const struct portdb *db, uint16_t port, unsigned protos);

/* Whether unofficial use @u is one of the answer's (it applies to the protocols asked). */
bool answer_has_use(const struct answer *a, const struct portdb_unofficial *u);

/* The number of @u's source in @notes (from 1); 0 when it has none there. */
size_t answer_note_number(const struct answer *a, const struct answer_notes *notes,
                          const struct portdb_unofficial *u);

/* The claim use @u belongs to; NULL when it is not one of the answer's. */
const struct answer_claim *answer_claim_of(const struct answer *a,
                                           const struct portdb_unofficial *u);

/* The name of the source a use cites: its label, else its raw source text (a table string). */
const char *answer_source_name(const struct portdb *db, const struct portdb_unofficial *u);

/* Whether use @u is one of the uses merged into claim @c: the same kind and name, for a
 * protocol asked about. */
bool answer_claim_has(const struct answer *a, const struct answer_claim *c,
                      const struct portdb_unofficial *u);

/* Whether malware is the only thing the answer's sources name on the port and IANA assigns it
 * to nothing (the audit's malware-port rule). */
bool answer_malware_only(const struct answer *a);

/* How many IANA entries and unofficial uses the faces leave out (the caps above). */
static inline size_t answer_entries_omitted(const struct answer *a)
{
        return a->n_entries_all - a->n_entries;
}

static inline size_t answer_uses_omitted(const struct answer *a)
{
        return a->n_uses > ANSWER_MAX_USES ? a->n_uses - ANSWER_MAX_USES : 0;
}

/* Whether @port has something to say in a range listing: an IANA entry that is not
 * "Unassigned", or an unofficial use (for any protocol). */
bool answer_port_has_entries(const struct portdb *db, uint16_t port);

#endif

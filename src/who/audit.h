/* audit: every listener judged by rules, each a pure function from what was found (the socket,
 * its holders, the knowledge base) to at most one finding with a severity, one sentence and the
 * evidence.
 *
 * Rules read nothing themselves and print nothing; audit_run applies them all, the allowlist
 * and the severity threshold.
 */
#ifndef PORTINFO_AUDIT_H
#define PORTINFO_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "allow.h"
#include "inspect.h"
#include "portdb.h"

enum severity { SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_COUNT };

/* "low", "medium", "high". */
const char *audit_severity_name(enum severity s);
/* Parses a severity name (any case).  Returns 0 or -EINVAL. */
int audit_parse_severity(const char *s, enum severity *ret);

#define AUDIT_MAX_TEXT 384

struct audit_finding {
        const char *rule; /* a rule id (static) */
        enum severity severity;
        char message[AUDIT_MAX_TEXT];  /* one sentence */
        char evidence[AUDIT_MAX_TEXT]; /* what it rests on: paths, pids, names */
};

/* Everything a rule may look at for one listener. */
struct audit_input {
        const struct inspect_socket *sock;
        const struct procmap_proc *const *procs; /* its holders */
        size_t n_procs;
        const struct portdb *db;
        bool root;               /* every process could be read */
        uint16_t eph_lo, eph_hi; /* the ephemeral range of its namespace (0-0: unknown) */
};

/* A rule: fills *ret and returns true when it has something to say. */
typedef bool (*audit_rule_fn)(const struct audit_input *in, struct audit_finding *ret);

struct audit_rule {
        const char *id;
        enum severity severity;
        audit_rule_fn fn;
        const char *summary; /* for docs and --help: what it flags */
};

extern const struct audit_rule audit_rules[];
extern const size_t audit_n_rules;
/* The rule ids, NULL-terminated (for the allowlist parser). */
extern const char *const audit_rule_ids[];

/* high: a holder's executable was deleted (and nothing replaced it), or is a memfd. */
bool audit_rule_exe_deleted(const struct audit_input *in, struct audit_finding *ret);
/* low: a holder's executable was replaced on disk since it started (an upgrade). */
bool audit_rule_exe_replaced(const struct audit_input *in, struct audit_finding *ret);
/* high: a holder's executable lives under /tmp, /var/tmp or /dev/shm. */
bool audit_rule_exe_temp_dir(const struct audit_input *in, struct audit_finding *ret);
/* high: a holder's executable lives in a hidden directory (well-known tool homes excepted). */
bool audit_rule_exe_hidden_dir(const struct audit_input *in, struct audit_finding *ret);
/* medium: the port's only known uses are malware associations. */
bool audit_rule_malware_port(const struct audit_input *in, struct audit_finding *ret);
/* low: every interface, on a port IANA has not assigned (outside the ephemeral range). */
bool audit_rule_unassigned_exposed(const struct audit_input *in, struct audit_finding *ret);
/* low: run as root, and no process holds the listener. */
bool audit_rule_no_owner(const struct audit_input *in, struct audit_finding *ret);
/* low: a TCP listener inside the ephemeral range. */
bool audit_rule_ephemeral_port(const struct audit_input *in, struct audit_finding *ret);

/* The verdict on one listener: findings at or above the threshold that no allowlist entry
 * silenced, most severe first. */
struct audit_listener {
        const struct inspect_socket *sock;
        struct audit_finding *findings;
        size_t n_findings;
};

struct audit_report {
        struct audit_listener *listeners; /* every listener of the inspect report, in order */
        size_t n;
        size_t counts[SEV_COUNT]; /* findings shown, by severity */
        size_t below;             /* findings under the threshold (not shown) */
        size_t silenced;          /* findings the allowlist silenced */
        /* What could not be seen.  Any of it makes the audit incomplete: a listener whose
         * holder is hidden cannot be judged, so "nothing found" would not mean clean. */
        size_t unreadable_processes; /* processes whose descriptors were refused to us */
        size_t unentered_netns;      /* network namespaces that could not be entered */
        size_t unowned;              /* listeners no visible process holds */
        bool complete; /* nothing hidden: every process read, every namespace entered, and
                        * (not root) every listener's holder seen */
};

/* Judges every listener of @rep.  Returns 0 or -ENOMEM; @ret is released with audit_done. */
int audit_run(const struct inspect_report *rep, const struct portdb *db,
              const struct allowlist *allow, enum severity min, struct audit_report *ret);
void audit_done(struct audit_report *a);

#endif

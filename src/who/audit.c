/* audit: the rules, and the loop that applies them with the allowlist and the threshold.
 *
 * Each rule says one thing a careful administrator would act on.  Rules about the port read the
 * knowledge base only; an old trojan list naming a port that IANA assigned (80, 8080) or that
 * real software uses is never enough on its own.
 */
#include "audit.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer.h"

const char *audit_severity_name(enum severity s)
{
        static const char *const names[] = {"low", "medium", "high"};

        return s < SEV_COUNT ? names[s] : "unknown";
}

int audit_parse_severity(const char *s, enum severity *ret)
{
        for (enum severity v = SEV_LOW; v < SEV_COUNT; v++)
                if (strcasecmp(s, audit_severity_name(v)) == 0) {
                        *ret = v;
                        return 0;
                }
        return -EINVAL;
}

static const char *proc_name(const struct procmap_proc *p)
{
        return p->name ? p->name : "?";
}

/* "pid 42 (name): /path" for the first of @n holders flagged in @hit, with "and N more". */
static void holders_evidence(struct audit_finding *f, const struct audit_input *in, const bool *hit,
                             const char *suffix)
{
        size_t first = SIZE_MAX, more = 0;

        for (size_t i = 0; i < in->n_procs; i++)
                if (hit[i]) {
                        if (first == SIZE_MAX)
                                first = i;
                        else
                                more++;
                }
        if (first == SIZE_MAX)
                return;
        snprintf(f->evidence, sizeof(f->evidence), "pid %d (%s): %s%s", in->procs[first]->pid,
                 proc_name(in->procs[first]), in->procs[first]->exe, suffix);
        if (more) {
                size_t len = strlen(f->evidence);

                snprintf(f->evidence + len, sizeof(f->evidence) - len, "; and %zu more process%s",
                         more, more == 1 ? "" : "es");
        }
}

/* Applies @test to every holder with a known executable; fills the evidence. */
static size_t flag_holders(const struct audit_input *in, bool (*test)(const struct procmap_proc *),
                           bool *hit)
{
        size_t n = 0;

        for (size_t i = 0; i < in->n_procs; i++) {
                hit[i] = in->procs[i]->exe && test(in->procs[i]);
                n += hit[i];
        }
        return n;
}

#define MAX_HOLDERS_JUDGED 64 /* a listener shared by more processes is judged by the first */

static size_t judged(const struct audit_input *in)
{
        return in->n_procs < MAX_HOLDERS_JUDGED ? in->n_procs : MAX_HOLDERS_JUDGED;
}

static void set(struct audit_finding *f, const char *rule, enum severity s)
{
        memset(f, 0, sizeof(*f));
        f->rule = rule;
        f->severity = s;
}

static bool is_memfd(const struct procmap_proc *p)
{
        return strncmp(p->exe, "/memfd:", 7) == 0;
}

static bool gone(const struct procmap_proc *p)
{
        return (p->exe_deleted && !p->exe_replaced) || is_memfd(p);
}

bool audit_rule_exe_deleted(const struct audit_input *in, struct audit_finding *ret)
{
        bool hit[MAX_HOLDERS_JUDGED];
        struct audit_input sub = *in;
        size_t first = 0;

        sub.n_procs = judged(in);
        if (!flag_holders(&sub, gone, hit))
                return false;
        while (!hit[first])
                first++;
        set(ret, "exe-deleted", SEV_HIGH);
        if (is_memfd(sub.procs[first]))
                snprintf(ret->message, sizeof(ret->message),
                         "The program listening here runs from an anonymous memory file and "
                         "was never on disk, a trick of fileless malware.");
        else
                snprintf(ret->message, sizeof(ret->message),
                         "The program listening here was deleted after it started and nothing "
                         "replaced it, so no file on disk shows what it is.");
        holders_evidence(ret, &sub, hit, " (deleted)");
        return true;
}

static bool replaced(const struct procmap_proc *p)
{
        return p->exe_deleted && p->exe_replaced && !is_memfd(p);
}

bool audit_rule_exe_replaced(const struct audit_input *in, struct audit_finding *ret)
{
        bool hit[MAX_HOLDERS_JUDGED];
        struct audit_input sub = *in;

        sub.n_procs = judged(in);
        if (!flag_holders(&sub, replaced, hit))
                return false;
        set(ret, "exe-replaced", SEV_LOW);
        snprintf(ret->message, sizeof(ret->message),
                 "The program listening here was replaced on disk since it started (usually an "
                 "upgrade); restart it to run the new version.");
        holders_evidence(ret, &sub, hit, " (deleted; a new file is at that path)");
        return true;
}

static const char *const temp_dirs[] = {"/tmp/", "/var/tmp/", "/dev/shm/"};

static const char *temp_dir_of(const char *exe)
{
        for (size_t i = 0; i < sizeof(temp_dirs) / sizeof(temp_dirs[0]); i++)
                if (strncmp(exe, temp_dirs[i], strlen(temp_dirs[i])) == 0)
                        return temp_dirs[i];
        return NULL;
}

static bool in_temp_dir(const struct procmap_proc *p)
{
        return temp_dir_of(p->exe) != NULL;
}

bool audit_rule_exe_temp_dir(const struct audit_input *in, struct audit_finding *ret)
{
        bool hit[MAX_HOLDERS_JUDGED];
        struct audit_input sub = *in;
        size_t first = 0;
        const char *dir;

        sub.n_procs = judged(in);
        if (!flag_holders(&sub, in_temp_dir, hit))
                return false;
        while (!hit[first])
                first++;
        dir = temp_dir_of(sub.procs[first]->exe);
        set(ret, "exe-temp-dir", SEV_HIGH);
        snprintf(ret->message, sizeof(ret->message),
                 "The program listening here runs from %.*s, a world-writable temporary "
                 "directory where installed software never lives.",
                 (int)strlen(dir) - 1, dir);
        holders_evidence(ret, &sub, hit, "");
        return true;
}

/* Hidden directories that hold installed tools by convention, directly in a home directory
 * (/root/.X or /home/USER/.X): language version managers, user-level installs, editors'
 * remote servers. */
static const char *const tool_homes[] = {
    ".local",         ".cargo",     ".rustup",
    ".nvm",           ".pyenv",     ".rbenv",
    ".sdkman",        ".bun",       ".deno",
    ".volta",         ".asdf",      ".dotnet",
    ".ghcup",         ".opam",      ".vscode-server",
    ".cursor-server", ".juliaup",   ".nix-profile",
    ".npm-global",    ".linuxbrew", ".vscode-server-insiders",
};

static bool is_tool_home(const char *c, size_t n)
{
        for (size_t i = 0; i < sizeof(tool_homes) / sizeof(tool_homes[0]); i++)
                if (strlen(tool_homes[i]) == n && memcmp(tool_homes[i], c, n) == 0)
                        return true;
        return false;
}

/* The first hidden directory component of @exe that is not a tool home; its length in *n. */
static const char *hidden_dir_of(const char *exe, size_t *n)
{
        const char *last = strrchr(exe, '/'), *c = exe;
        size_t depth = 0, home = strncmp(exe, "/root/", 6) == 0   ? 1
                                 : strncmp(exe, "/home/", 6) == 0 ? 2
                                                                  : 0;

        if (exe[0] != '/')
                return NULL;
        while (c < last) {
                const char *start = c + 1, *slash = strchr(start, '/');
                size_t len = (size_t)(slash - start);

                if (len > 1 && start[0] == '.' && !(len == 2 && start[1] == '.') &&
                    !(home && depth == home && is_tool_home(start, len))) {
                        *n = len;
                        return start;
                }
                depth++;
                c = slash;
        }
        return NULL;
}

static bool in_hidden_dir(const struct procmap_proc *p)
{
        size_t n;

        return hidden_dir_of(p->exe, &n) != NULL;
}

bool audit_rule_exe_hidden_dir(const struct audit_input *in, struct audit_finding *ret)
{
        bool hit[MAX_HOLDERS_JUDGED];
        struct audit_input sub = *in;
        size_t first = 0, n = 0;
        const char *dir;

        sub.n_procs = judged(in);
        if (!flag_holders(&sub, in_hidden_dir, hit))
                return false;
        while (!hit[first])
                first++;
        dir = hidden_dir_of(sub.procs[first]->exe, &n);
        set(ret, "exe-hidden-dir", SEV_HIGH);
        snprintf(ret->message, sizeof(ret->message),
                 "The program listening here runs from a hidden directory (%.*s), a common "
                 "hiding place for malware.",
                 (int)n, dir);
        holders_evidence(ret, &sub, hit, "");
        return true;
}

bool audit_rule_malware_port(const struct audit_input *in, struct audit_finding *ret)
{
        const struct inspect_socket *s = in->sock;
        struct answer a;
        size_t named = 0, len;
        const char *names[3];

        answer_build(&a, in->db, s->row.lport, PROTO_BIT(s->row.proto));
        if (!answer_malware_only(&a))
                return false; /* real software, another known use or an assignment */
        for (size_t i = 0; i < a.n_uses_all; i++) {
                const char *name = portdb_str(in->db, a.uses[i].name);
                bool dup = false;

                if (!answer_has_use(&a, &a.uses[i]))
                        continue;
                for (size_t j = 0; j < named; j++)
                        dup = dup || strcmp(names[j], name) == 0;
                if (!dup && named < 3)
                        names[named++] = name;
        }
        set(ret, "malware-port", SEV_MEDIUM);
        snprintf(ret->message, sizeof(ret->message),
                 "Port %u/%s is known only from malware and no service is registered for it; "
                 "check what this program is.",
                 s->row.lport, portdb_proto_name((enum proto)s->row.proto));
        len = (size_t)snprintf(ret->evidence, sizeof(ret->evidence), "listed for ");
        for (size_t j = 0; j < named && len < sizeof(ret->evidence); j++)
                len += (size_t)snprintf(ret->evidence + len, sizeof(ret->evidence) - len, "%s%s",
                                        j ? ", " : "", names[j]);
        if (a.counts[UO_MALWARE] > named && len < sizeof(ret->evidence))
                len += (size_t)snprintf(ret->evidence + len, sizeof(ret->evidence) - len,
                                        " (%zu listings in all)", a.counts[UO_MALWARE]);
        if (len < sizeof(ret->evidence))
                snprintf(ret->evidence + len, sizeof(ret->evidence) - len, "; IANA: %s",
                         portdb_status_name(a.status));
        return true;
}

static bool in_ephemeral(const struct audit_input *in)
{
        return in->eph_hi && in->sock->row.lport >= in->eph_lo && in->sock->row.lport <= in->eph_hi;
}

bool audit_rule_unassigned_exposed(const struct audit_input *in, struct audit_finding *ret)
{
        const struct inspect_socket *s = in->sock;
        struct answer a;

        /* Ephemeral ports are never assigned; a listener there has its own rule. */
        if (s->exposure != EXPOSURE_ALL || in_ephemeral(in))
                return false;
        answer_build(&a, in->db, s->row.lport, PROTO_BIT(s->row.proto));
        if (a.status != PORT_UNASSIGNED)
                return false;
        set(ret, "unassigned-exposed", SEV_LOW);
        snprintf(ret->message, sizeof(ret->message),
                 "It accepts %s on every interface on port %u, which IANA has not assigned; "
                 "make sure it is meant to be reachable from the network.",
                 s->row.proto == PROTO_TCP ? "connections" : "datagrams", s->row.lport);
        snprintf(ret->evidence, sizeof(ret->evidence), "%s address, port %u/%s unassigned",
                 s->row.family == AF_INET ? "0.0.0.0" : "::", s->row.lport,
                 portdb_proto_name((enum proto)s->row.proto));
        return true;
}

bool audit_rule_no_owner(const struct audit_input *in, struct audit_finding *ret)
{
        const struct inspect_socket *s = in->sock;

        if (!in->root || in->n_procs > 0 || s->row.inode == 0)
                return false;
        set(ret, "no-owner", SEV_LOW);
        snprintf(ret->message, sizeof(ret->message),
                 "No visible process holds this listener: it belongs to the kernel (NFS, a "
                 "tunnel), to a process in another PID namespace, or to one whose descriptors "
                 "even root may not read.");
        snprintf(ret->evidence, sizeof(ret->evidence), "socket inode %llu, uid %u",
                 (unsigned long long)s->row.inode, s->row.uid);
        return true;
}

bool audit_rule_ephemeral_port(const struct audit_input *in, struct audit_finding *ret)
{
        const struct inspect_socket *s = in->sock;

        if (s->row.proto != PROTO_TCP || !s->ephemeral || !in_ephemeral(in))
                return false;
        set(ret, "ephemeral-port", SEV_LOW);
        snprintf(ret->message, sizeof(ret->message),
                 "It listens inside this machine's ephemeral range, so an outgoing connection "
                 "can take port %u while the service restarts; move it or reserve the port "
                 "(net.ipv4.ip_local_reserved_ports).",
                 s->row.lport);
        snprintf(ret->evidence, sizeof(ret->evidence), "port %u in %u-%u", s->row.lport, in->eph_lo,
                 in->eph_hi);
        return true;
}

const struct audit_rule audit_rules[] = {
    {"exe-deleted", SEV_HIGH, audit_rule_exe_deleted,
     "the listening program was deleted from disk (or is a memfd)"},
    {"exe-temp-dir", SEV_HIGH, audit_rule_exe_temp_dir,
     "the listening program runs from /tmp, /var/tmp or /dev/shm"},
    {"exe-hidden-dir", SEV_HIGH, audit_rule_exe_hidden_dir,
     "the listening program runs from a hidden directory"},
    {"malware-port", SEV_MEDIUM, audit_rule_malware_port, "the port's only known uses are malware"},
    {"unassigned-exposed", SEV_LOW, audit_rule_unassigned_exposed,
     "every interface, on a port IANA has not assigned"},
    {"no-owner", SEV_LOW, audit_rule_no_owner, "no process holds the listener (as root)"},
    {"ephemeral-port", SEV_LOW, audit_rule_ephemeral_port,
     "a TCP listener inside the ephemeral port range"},
    {"exe-replaced", SEV_LOW, audit_rule_exe_replaced,
     "the listening program was replaced on disk since it started"},
};

const size_t audit_n_rules = sizeof(audit_rules) / sizeof(audit_rules[0]);

const char *const audit_rule_ids[] = {
    "exe-deleted", "exe-temp-dir",   "exe-hidden-dir", "malware-port", "unassigned-exposed",
    "no-owner",    "ephemeral-port", "exe-replaced",   NULL,
};

/* Most severe first; rules of one severity keep the table's order (a stable sort). */
static void sort_findings(struct audit_finding *v, size_t n)
{
        for (size_t i = 1; i < n; i++) {
                struct audit_finding f = v[i];
                size_t j = i;

                for (; j > 0 && v[j - 1].severity < f.severity; j--)
                        v[j] = v[j - 1];
                v[j] = f;
        }
}

/* The verdict on one listener into @l. */
static int judge(const struct inspect_report *rep, const struct inspect_socket *s,
                 const struct portdb *db, const struct allowlist *allow, enum severity min,
                 struct audit_report *a, struct audit_listener *l)
{
        const struct procmap_proc *procs[MAX_HOLDERS_JUDGED];
        const char *exes[MAX_HOLDERS_JUDGED];
        struct audit_input in = {.sock = s, .procs = procs, .db = db, .root = rep->root};
        struct audit_finding f;

        for (size_t i = 0; i < rep->n_netns; i++)
                if (rep->netns[i].ino == s->row.netns) {
                        in.eph_lo = rep->netns[i].eph_lo;
                        in.eph_hi = rep->netns[i].eph_hi;
                }
        for (size_t i = 0; i < s->n_holds && in.n_procs < MAX_HOLDERS_JUDGED; i++) {
                procs[in.n_procs] = inspect_proc(rep, s, i);
                exes[in.n_procs] = procs[in.n_procs]->exe;
                in.n_procs++;
        }
        *l = (struct audit_listener){.sock = s};
        for (size_t r = 0; r < audit_n_rules; r++) {
                struct audit_finding *v;

                if (!audit_rules[r].fn(&in, &f))
                        continue;
                if (allow && allow_match(allow, s->row.lport, (enum proto)s->row.proto, exes,
                                         in.n_procs, f.rule)) {
                        a->silenced++;
                        continue;
                }
                if (f.severity < min) {
                        a->below++;
                        continue;
                }
                v = realloc(l->findings, (l->n_findings + 1) * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                l->findings = v;
                v[l->n_findings++] = f;
                a->counts[f.severity]++;
        }
        sort_findings(l->findings, l->n_findings);
        return 0;
}

int audit_run(const struct inspect_report *rep, const struct portdb *db,
              const struct allowlist *allow, enum severity min, struct audit_report *ret)
{
        struct audit_report a = {0};

        a.listeners = calloc(rep->n ? rep->n : 1, sizeof(*a.listeners));
        if (!a.listeners)
                return -ENOMEM;
        for (size_t i = 0; i < rep->n; i++) {
                if (!rep->socks[i].listener)
                        continue;
                if (judge(rep, &rep->socks[i], db, allow, min, &a, &a.listeners[a.n]) < 0) {
                        a.n++;
                        audit_done(&a);
                        return -ENOMEM;
                }
                a.n++;
                if (rep->socks[i].row.inode && rep->socks[i].n_holds == 0)
                        a.unowned++;
        }
        a.unreadable_processes = rep->map.unreadable;
        a.unentered_netns = rep->netns_failed;
        /* As root an ownerless listener is the kernel's or another PID namespace's (the
         * no-owner rule says so); otherwise it may be another user's, out of our sight. */
        a.complete =
            a.unreadable_processes == 0 && a.unentered_netns == 0 && (rep->root || a.unowned == 0);
        *ret = a;
        return 0;
}

void audit_done(struct audit_report *a)
{
        for (size_t i = 0; i < a->n; i++)
                free(a->listeners[i].findings);
        free(a->listeners);
        *a = (struct audit_report){0};
}

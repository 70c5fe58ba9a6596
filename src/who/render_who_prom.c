/* render_who_prom: `audit --format prometheus`, listeners and findings as gauges for
 * node_exporter's textfile collector.
 *
 * One series per distinct label set (the collector drops a whole file that repeats a series:
 * two holders running one executable, or SO_REUSEPORT twins, make one series), every label
 * value escaped by buf_add_prom_label.  Decides nothing: the findings are audit_run's, the exit
 * status cli_who's.  No timestamps on samples: the collector stamps them at scrape.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_who_prom.h"
#include "render_who_text.h"

/* Lines of one family, sorted and made unique before they are written. */
struct lines {
        char **v;
        size_t n, cap;
        int err;
};

static void lines_add(struct lines *l, struct buf *line)
{
        size_t len;
        char *s;

        if (buf_error(line) && !l->err)
                l->err = buf_error(line);
        s = buf_take(line, &len);
        if (!s || l->err) {
                free(s);
                return;
        }
        if (l->n == l->cap) {
                size_t cap = l->cap ? 2 * l->cap : 16;
                char **v = realloc(l->v, cap * sizeof(*v));

                if (!v) {
                        free(s);
                        l->err = -ENOMEM;
                        return;
                }
                l->v = v;
                l->cap = cap;
        }
        l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes the family's header and its lines, each once; frees them. */
static void lines_flush(struct buf *b, struct lines *l, const char *name, const char *help)
{
        buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
        if (l->n > 1) /* qsort on no array at all is undefined */
                qsort(l->v, l->n, sizeof(*l->v), cmp_str);
        for (size_t i = 0; i < l->n; i++)
                if (i == 0 || strcmp(l->v[i], l->v[i - 1]) != 0)
                        buf_adds(b, l->v[i]);
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i]);
        free(l->v);
        *l = (struct lines){.err = l->err};
}

/* Appends ,@key="@value" (or @key="@value" first, when @first). */
static void label(struct buf *line, const char *key, const char *value, bool first)
{
        buf_printf(line, "%s%s=\"", first ? "" : ",", key);
        buf_add_prom_label(line, value ? value : "");
        buf_adds(line, "\"");
}

/* The labels every series of a socket carries: proto, address, port. */
static void socket_labels(struct buf *line, const struct inspect_socket *s)
{
        char addr[INET6_ADDRSTRLEN], port[8];

        render_who_addr(&s->row, true, addr, sizeof(addr));
        snprintf(port, sizeof(port), "%u", s->row.lport);
        label(line, "proto", portdb_proto_name((enum proto)s->row.proto), true);
        label(line, "address", addr, false);
        label(line, "port", port, false);
}

/* The executables holding @s, each once in the order found; "" when none can be seen. */
static size_t exes_of(const struct inspect_report *rep, const struct inspect_socket *s,
                      const char **out, size_t max)
{
        size_t n = 0;

        for (size_t i = 0; i < s->n_holds && n < max; i++) {
                const char *exe = inspect_proc(rep, s, i)->exe;
                bool seen = false;

                exe = exe ? exe : "";
                for (size_t k = 0; k < n && !seen; k++)
                        seen = strcmp(out[k], exe) == 0;
                if (!seen)
                        out[n++] = exe;
        }
        if (n == 0)
                out[n++] = "";
        return n;
}

#define MAX_EXES 16 /* distinct executables named per socket */

static int cmp_key(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Counts the findings of @a by severity into @ret (SEV_COUNT of them) once per rule and listener
 * (protocol, address, port), as the finding series count them: SO_REUSEPORT twins and the
 * executables holding a socket do not count twice.  Uses @l's error slot for a failure. */
static void count_findings(const struct audit_report *a, size_t *ret, struct lines *l)
{
        struct lines keys = {0};

        memset(ret, 0, SEV_COUNT * sizeof(*ret));
        for (size_t i = 0; i < a->n; i++)
                for (size_t f = 0; f < a->listeners[i].n_findings; f++) {
                        const struct audit_finding *fi = &a->listeners[i].findings[f];
                        struct buf key;

                        buf_init(&key, 8192);
                        buf_printf(&key, "%d\t%s\t", (int)fi->severity, fi->rule);
                        socket_labels(&key, a->listeners[i].sock);
                        lines_add(&keys, &key);
                }
        if (keys.n > 1)
                qsort(keys.v, keys.n, sizeof(*keys.v), cmp_key);
        for (size_t i = 0; i < keys.n; i++) {
                int sev = keys.v[i][0] - '0';

                if ((i == 0 || strcmp(keys.v[i], keys.v[i - 1]) != 0) && sev >= 0 &&
                    sev < SEV_COUNT)
                        ret[sev]++;
        }
        for (size_t i = 0; i < keys.n; i++)
                free(keys.v[i]);
        free(keys.v);
        if (keys.err && !l->err)
                l->err = keys.err;
}

int render_audit_prom(struct buf *b, const struct inspect_report *rep, const struct audit_report *a,
                      enum severity min, long long now)
{
        struct lines l = {0};
        const char *exes[MAX_EXES];
        size_t per_listener[SEV_COUNT];
        char uid[16];

        for (size_t i = 0; i < a->n; i++) {
                const struct inspect_socket *s = a->listeners[i].sock;
                size_t n = exes_of(rep, s, exes, MAX_EXES);

                snprintf(uid, sizeof(uid), "%u", (unsigned)s->row.uid);
                for (size_t k = 0; k < n; k++) {
                        struct buf line;

                        buf_init(&line, 8192);
                        buf_adds(&line, "portinfo_listener{");
                        socket_labels(&line, s);
                        label(&line, "exe", exes[k], false);
                        label(&line, "user", s->user ? s->user : uid, false);
                        buf_adds(&line, "} 1\n");
                        lines_add(&l, &line);
                }
        }
        lines_flush(b, &l, "portinfo_listener",
                    "A listening socket and an executable holding it (always 1).");

        for (size_t i = 0; i < a->n; i++) {
                const struct audit_listener *al = &a->listeners[i];
                size_t n = exes_of(rep, al->sock, exes, MAX_EXES);

                for (size_t f = 0; f < al->n_findings; f++)
                        for (size_t k = 0; k < n; k++) {
                                struct buf line;

                                buf_init(&line, 8192);
                                buf_adds(&line, "portinfo_audit_finding{");
                                label(&line, "rule", al->findings[f].rule, true);
                                label(&line, "severity",
                                      audit_severity_name(al->findings[f].severity), false);
                                buf_adds(&line, ",");
                                socket_labels(&line, al->sock);
                                label(&line, "exe", exes[k], false);
                                buf_adds(&line, "} 1\n");
                                lines_add(&l, &line);
                        }
        }
        lines_flush(b, &l, "portinfo_audit_finding",
                    "A finding of portinfo audit on a listener (always 1).");

        count_findings(a, per_listener, &l);
        buf_printf(b, "# HELP portinfo_audit_findings Findings of portinfo audit at or above "
                      "min_severity, by severity: one per rule and listening address, as the "
                      "portinfo_audit_finding series count them.\n"
                      "# TYPE portinfo_audit_findings gauge\n");
        for (int sev = SEV_LOW; sev < SEV_COUNT; sev++)
                buf_printf(b, "portinfo_audit_findings{severity=\"%s\"} %zu\n",
                           audit_severity_name((enum severity)sev), per_listener[sev]);
        buf_printf(b,
                   "# HELP portinfo_audit_min_severity The threshold of this run (always 1).\n"
                   "# TYPE portinfo_audit_min_severity gauge\n"
                   "portinfo_audit_min_severity{severity=\"%s\"} 1\n",
                   audit_severity_name(min));
        buf_printf(b,
                   "# HELP portinfo_audit_unreadable_processes Processes whose sockets could "
                   "not be read (run as root to see them).\n"
                   "# TYPE portinfo_audit_unreadable_processes gauge\n"
                   "portinfo_audit_unreadable_processes %zu\n",
                   a->unreadable_processes);
        buf_printf(b,
                   "# HELP portinfo_audit_complete 1 when nothing was hidden from this audit; 0 "
                   "when processes, namespaces or listeners' owners could not be seen.\n"
                   "# TYPE portinfo_audit_complete gauge\n"
                   "portinfo_audit_complete %d\n"
                   "# HELP portinfo_audit_unentered_namespaces Network namespaces this audit "
                   "could not enter.\n"
                   "# TYPE portinfo_audit_unentered_namespaces gauge\n"
                   "portinfo_audit_unentered_namespaces %zu\n"
                   "# HELP portinfo_audit_unowned_listeners Listeners no visible process holds.\n"
                   "# TYPE portinfo_audit_unowned_listeners gauge\n"
                   "portinfo_audit_unowned_listeners %zu\n",
                   a->complete ? 1 : 0, a->unentered_netns, a->unowned);
        buf_printf(b,
                   "# HELP portinfo_audit_last_run_timestamp_seconds When this audit ran.\n"
                   "# TYPE portinfo_audit_last_run_timestamp_seconds gauge\n"
                   "portinfo_audit_last_run_timestamp_seconds %lld\n",
                   now);
        return l.err ? l.err : buf_error(b);
}

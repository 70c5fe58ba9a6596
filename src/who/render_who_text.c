/* render_who_text: `who` and `audit` for a person at a terminal, readable at 80 columns.
 *
 * Sockets are grouped by the port asked about, each group opened by what the knowledge base
 * says of that port.  Notes on what could not be seen come last, in words.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "render_who_text.h"

#define EPHEMERAL_TAG "[ephemeral range]"

void render_who_addr(const struct sock_row *row, bool local, char *buf, size_t size)
{
        const uint8_t *a = local ? row->local : row->remote;

        if ((row->family != AF_INET && row->family != AF_INET6) ||
            !inet_ntop(row->family, a, buf, (socklen_t)size))
                snprintf(buf, size, "?");
}

/* "1.2.3.4:22", "[::1]:22", with "%dev" after a local address bound to a device (as ss). */
static void endpoint(const struct inspect_report *rep, const struct sock_row *row, bool local,
                     char *buf, size_t size)
{
        char addr[INET6_ADDRSTRLEN], dev[IF_NAMESIZE + 2] = "";

        render_who_addr(row, local, addr, sizeof(addr));
        /* Device names are per namespace; only ours can be looked up from here. */
        if (local && row->ifindex && rep->n_netns && row->netns == rep->netns[0].ino) {
                char name[IF_NAMESIZE];

                if (if_indextoname(row->ifindex, name))
                        snprintf(dev, sizeof(dev), "%%%s", name);
        }
        snprintf(buf, size, row->family == AF_INET6 ? "[%s%s]:%u" : "%s%s:%u", addr, dev,
                 local ? row->lport : row->rport);
}

const char *render_who_exposure(const struct sock_row *row, enum exposure e)
{
        switch (e) {
        case EXPOSURE_LOOPBACK:
                return "loopback only";
        case EXPOSURE_ADDRESS:
                return row->ifindex ? "one address, one interface" : "one address";
        case EXPOSURE_ALL:
                if (row->ifindex)
                        return "every address of one interface";
                if (row->family == AF_INET)
                        return "all interfaces (IPv4)";
                return row->v6only == 0   ? "all interfaces (IPv4 and IPv6)"
                       : row->v6only == 1 ? "all interfaces (IPv6 only)"
                                          : "all interfaces (IPv6)";
        }
        return "";
}

/* "  also: A, B and 3 more; named in 12 malware lists" for the unofficial uses in @a. */
static void unofficial_line(const struct term *t, const struct answer *a)
{
        size_t shown = 0, others = 0, malware = a->counts[UO_MALWARE];
        char line[512];
        size_t len = 0;

        line[0] = '\0';
        for (size_t i = 0; i < a->n_uses_all; i++) {
                const struct portdb_unofficial *u = &a->uses[i];

                if (!answer_has_use(a, u) || u->kind == UO_MALWARE)
                        continue;
                if (shown < 3 && len < sizeof(line)) {
                        len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
                                                shown ? ", " : "also used by ",
                                                portdb_str(a->db, u->name));
                        shown++;
                } else {
                        others++;
                }
        }
        if (others && len < sizeof(line))
                len += (size_t)snprintf(line + len, sizeof(line) - len, " and %zu more", others);
        if (malware && len < sizeof(line))
                len += (size_t)snprintf(line + len, sizeof(line) - len,
                                        "%snamed in %zu old malware list%s", len ? "; " : "",
                                        malware, malware == 1 ? "" : "s");
        if (len == 0)
                return;
        fputs("  ", t->out);
        term_style(t, STYLE_DIM);
        term_wrap(t, 2, 4, line);
        term_reset(t);
}

static void group_header(const struct term *t, const struct portdb *db,
                         const struct inspect_socket *s, bool ephemeral)
{
        const struct portdb_iana *e;
        struct answer a;
        char head[32];
        int col;

        answer_build(&a, db, s->port, PROTO_BIT((enum proto)s->row.proto));
        e = a.service_entry;
        col = snprintf(head, sizeof(head), "%u/%s", s->port,
                       portdb_proto_name((enum proto)s->row.proto));
        term_style(t, STYLE_BOLD);
        fputs(head, t->out);
        term_reset(t);
        if (ephemeral) {
                /* Explained once, in a note at the end. */
                fputs(" ", t->out);
                term_style(t, STYLE_YELLOW);
                fputs(EPHEMERAL_TAG, t->out);
                term_reset(t);
                col += 1 + (int)strlen(EPHEMERAL_TAG);
        }
        if (e) {
                const char *service = portdb_str(db, e->service);
                const char *desc = portdb_str(db, e->description);

                fputs("  ", t->out);
                term_puts(t, service, false);
                col += 2 + term_width_of(service);
                if (desc[0]) {
                        fputs(": ", t->out);
                        term_wrap(t, col + 2, 4, desc);
                } else {
                        fputc('\n', t->out);
                }
        } else {
                fprintf(t->out, "  (%s by IANA)\n", portdb_status_name(a.status));
        }
        unofficial_line(t, &a);
}

#define MAX_CMDLINE_SHOWN 200 /* --json has it whole */

/* "nginx (pid 42, user nobody): CMDLINE  [EXE]"; @user names p->uid (NULL: no name). */
static void holder_line(const struct term *t, const struct procmap_proc *p, const char *user)
{
        size_t size = 160 + MAX_CMDLINE_SHOWN + (p->exe ? strlen(p->exe) : 0) +
                      (p->name ? strlen(p->name) : 0) + (user ? strlen(user) : 0);
        char *line = malloc(size);
        size_t len;

        if (!line)
                return;
        len = (size_t)snprintf(line, size, "%s (pid %d", p->name ? p->name : "?", p->pid);
        if (user)
                len += (size_t)snprintf(line + len, size - len, ", user %s)", user);
        else if (p->has_uid)
                len += (size_t)snprintf(line + len, size - len, ", uid %u)", p->uid);
        else
                len += (size_t)snprintf(line + len, size - len, ")");
        if (p->cmdline) {
                size_t n = strlen(p->cmdline);

                len += (size_t)snprintf(line + len, size - len, ": %.*s%s",
                                        (int)(n > MAX_CMDLINE_SHOWN ? MAX_CMDLINE_SHOWN : n),
                                        p->cmdline, n > MAX_CMDLINE_SHOWN ? "..." : "");
        }
        /* The executable, when the command line does not already start with it. */
        if (p->exe &&
            (!p->cmdline || strncmp(p->cmdline, p->exe, strlen(p->exe)) != 0 || p->exe_deleted))
                snprintf(line + len, size - len, "  [%s%s]", p->exe,
                         p->exe_deleted ? (p->exe_replaced ? ", replaced on disk since it started"
                                                           : ", deleted")
                                        : "");
        fputs("      ", t->out);
        term_wrap(t, 6, 10, line);
        free(line);
}

static void no_holder_line(const struct term *t, const struct inspect_report *rep,
                           const struct inspect_socket *s)
{
        const char *why;

        if (s->row.inode == 0)
                why = s->row.state == SOCK_TIME_WAIT
                          ? "no process: a closed connection the kernel keeps for a while"
                          : "no process yet: a connection still being set up";
        else if (!rep->root)
                why = "owner not visible: run as root to see it";
        else
                why = rep->map.unreadable
                          ? "no visible process holds it (see the note below)"
                          : "no process holds it: a kernel socket, or one in another PID "
                            "namespace";
        fputs("      ", t->out);
        term_style(t, STYLE_DIM);
        fputs(why, t->out);
        term_reset(t);
        fputc('\n', t->out);
}

static void socket_lines(const struct term *t, const struct inspect_report *rep,
                         const struct inspect_socket *s)
{
        char local[INET6_ADDRSTRLEN + IF_NAMESIZE + 16], remote[INET6_ADDRSTRLEN + 16];
        char line[512], user[80];
        const char *prefix;
        size_t len;

        endpoint(rep, &s->row, true, local, sizeof(local));
        /* The socket's owner is who created it; when a holder runs as someone else (a server
         * that dropped privileges), say which user is the socket's. */
        prefix = inspect_owner_differs(rep, s) ? "socket owner " : "user ";
        if (s->user)
                snprintf(user, sizeof(user), "%s%s", prefix, s->user);
        else
                snprintf(user, sizeof(user), "%suid %u", prefix, s->row.uid);
        if (s->listener) {
                len = (size_t)snprintf(line, sizeof(line), "%s, %s, %s", local,
                                       render_who_exposure(&s->row, s->exposure), user);
        } else {
                endpoint(rep, &s->row, false, remote, sizeof(remote));
                len = (size_t)snprintf(line, sizeof(line), "%s, peer %s, %s", local, remote, user);
        }
        /* With --all-netns, sockets of other namespaces say which. */
        if (rep->n_netns > 1 && s->row.netns != rep->netns[0].ino && len < sizeof(line))
                len += (size_t)snprintf(line + len, sizeof(line) - len, ", netns net:[%llu]",
                                        (unsigned long long)s->row.netns);
        if (s->container && len < sizeof(line))
                snprintf(line + len, sizeof(line) - len, ", %s", s->container);
        fprintf(t->out, "  %-11s ", sock_state_name((enum proto)s->row.proto, s->row.state));
        term_wrap(t, 14, 16, line);
        if (s->n_holds == 0)
                no_holder_line(t, rep, s);
        for (size_t i = 0; i < s->n_holds; i++)
                holder_line(t, inspect_proc(rep, s, i), inspect_proc_user(rep, s, i));
}

/* Sockets with a known inode but no visible holder. */
static size_t hidden_owners(const struct inspect_report *rep)
{
        size_t n = 0;

        for (size_t i = 0; i < rep->n; i++)
                n += rep->socks[i].row.inode && rep->socks[i].n_holds == 0;
        return n;
}

/* What could not be seen, and why; shared by who and audit. */
static void footer_notes(const struct term *t, const struct inspect_report *rep, bool blank,
                         bool ephemeral_tag)
{
        char note[256];
        size_t hidden = hidden_owners(rep);

        if (ephemeral_tag) {
                const struct inspect_netns *ns = &rep->netns[0];

                snprintf(note, sizeof(note),
                         "%s: inside this machine's ephemeral port range (%u-%u), which the "
                         "kernel also hands to outgoing connections; a restarting service can "
                         "find its port taken.",
                         EPHEMERAL_TAG, ns->eph_lo, ns->eph_hi);
                if (blank)
                        fputc('\n', t->out);
                blank = false;
                term_wrap(t, 0, 2, note);
        }
        if (rep->used_procnet) {
                if (blank)
                        fputc('\n', t->out);
                blank = false;
                term_wrap(t, 0, 0, "Read from /proc/net: sock_diag is not available here.");
        }
        if (!rep->root && hidden) {
                if (rep->map.unreadable)
                        snprintf(note, sizeof(note),
                                 "%zu process%s not readable; run as root to see their owners.",
                                 rep->map.unreadable, rep->map.unreadable == 1 ? "" : "es");
                else
                        snprintf(note, sizeof(note),
                                 "%zu socket%s without a visible owner; run as root to see "
                                 "them.",
                                 hidden, hidden == 1 ? "" : "s");
                if (blank)
                        fputc('\n', t->out);
                blank = false;
                term_wrap(t, 0, 0, note);
        }
        if (rep->root && hidden && rep->map.unreadable) {
                snprintf(note, sizeof(note),
                         "%zu process%s would not show %s descriptors, even to root; a socket "
                         "held there shows no owner.",
                         rep->map.unreadable, rep->map.unreadable == 1 ? "" : "es",
                         rep->map.unreadable == 1 ? "its" : "their");
                if (blank)
                        fputc('\n', t->out);
                blank = false;
                term_wrap(t, 0, 0, note);
        }
        if (rep->netns_failed) {
                snprintf(note, sizeof(note),
                         "%zu network namespace%s could not be entered; run as root to see "
                         "%s sockets.",
                         rep->netns_failed, rep->netns_failed == 1 ? "" : "s",
                         rep->netns_failed == 1 ? "its" : "their");
                if (blank)
                        fputc('\n', t->out);
                term_wrap(t, 0, 0, note);
        }
}

void render_who_text(const struct term *t, const struct portdb *db,
                     const struct inspect_report *rep)
{
        bool any_ephemeral = false;

        for (size_t i = 0; i < rep->n; i++)
                any_ephemeral = any_ephemeral || rep->socks[i].ephemeral;
        for (size_t i = 0; i < rep->n;) {
                const struct inspect_socket *g = &rep->socks[i];
                size_t end = i;
                bool ephemeral = false;

                while (end < rep->n && rep->socks[end].port == g->port &&
                       rep->socks[end].row.proto == g->row.proto) {
                        ephemeral = ephemeral || rep->socks[end].ephemeral;
                        end++;
                }
                if (i > 0)
                        fputc('\n', t->out);
                group_header(t, db, g, ephemeral);
                for (; i < end; i++)
                        socket_lines(t, rep, &rep->socks[i]);
        }
        if (rep->n_netns > 1) {
                char note[128];

                snprintf(note, sizeof(note), "Looked in %zu network namespaces.",
                         rep->n_netns - rep->netns_failed);
                fputc('\n', t->out);
                term_wrap(t, 0, 0, note);
                footer_notes(t, rep, false, any_ephemeral);
        } else {
                footer_notes(t, rep, rep->n > 0, any_ephemeral);
        }
}

/* "  8000/tcp  0.0.0.0:8000, all interfaces (IPv4): python3 (pid 42)" */
static void audit_listener_line(const struct term *t, const struct inspect_report *rep,
                                const struct inspect_socket *s)
{
        char local[INET6_ADDRSTRLEN + IF_NAMESIZE + 16], line[512], head[32];
        size_t len;
        int col;

        endpoint(rep, &s->row, true, local, sizeof(local));
        col = snprintf(head, sizeof(head), "  %u/%s", s->row.lport,
                       portdb_proto_name((enum proto)s->row.proto));
        term_style(t, STYLE_BOLD);
        fputs(head, t->out);
        term_reset(t);
        len = (size_t)snprintf(line, sizeof(line), "%s, %s", local,
                               render_who_exposure(&s->row, s->exposure));
        if (s->n_holds == 0 && len < sizeof(line))
                len += (size_t)snprintf(line + len, sizeof(line) - len, ": no visible owner");
        for (size_t i = 0; i < s->n_holds && i < 3 && len < sizeof(line); i++) {
                const struct procmap_proc *p = inspect_proc(rep, s, i);

                len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s (pid %d)",
                                        i ? ", " : ": ", p->name ? p->name : "?", p->pid);
        }
        if (s->n_holds > 3 && len < sizeof(line))
                len += (size_t)snprintf(line + len, sizeof(line) - len, " and %zu more",
                                        s->n_holds - 3);
        if (rep->n_netns > 1 && s->row.netns != rep->netns[0].ino && len < sizeof(line))
                len += (size_t)snprintf(line + len, sizeof(line) - len, "; netns net:[%llu]",
                                        (unsigned long long)s->row.netns);
        if (s->container && len < sizeof(line))
                snprintf(line + len, sizeof(line) - len, "; %s", s->container);
        fputs("  ", t->out);
        term_wrap(t, col + 2, 6, line);
}

static void finding_lines(const struct term *t, const struct audit_finding *f)
{
        int col = 4 + (int)strlen(f->rule) + 2;

        fputs("    ", t->out);
        term_style(t, STYLE_BOLD);
        fputs(f->rule, t->out);
        term_reset(t);
        fputs(": ", t->out);
        term_wrap(t, col, 6, f->message);
        if (f->evidence[0]) {
                fputs("      ", t->out);
                term_style(t, STYLE_DIM);
                fputs("evidence: ", t->out);
                term_wrap(t, 16, 8, f->evidence);
                term_reset(t);
        }
}

void render_audit_unseen(const struct audit_report *a, char *buf, size_t size)
{
        size_t len = 0;

        buf[0] = '\0';
        if (a->unreadable_processes)
                len += (size_t)snprintf(buf + len, size - len, "%zu process%s not readable",
                                        a->unreadable_processes,
                                        a->unreadable_processes == 1 ? "" : "es");
        if (a->unentered_netns && len < size)
                len += (size_t)snprintf(buf + len, size - len,
                                        "%s%zu network namespace%s not "
                                        "entered",
                                        len ? ", " : "", a->unentered_netns,
                                        a->unentered_netns == 1 ? "" : "s");
        if (a->unowned && len < size)
                snprintf(buf + len, size - len, "%s%zu listener%s without a visible owner",
                         len ? ", " : "", a->unowned, a->unowned == 1 ? "" : "s");
}

/* The first line of an incomplete audit, before any finding: it cannot pass for a clean one. */
static void incomplete_banner(const struct term *t, const struct audit_report *a)
{
        char unseen[256], line[512];

        render_audit_unseen(a, unseen, sizeof(unseen));
        term_style(t, STYLE_BOLD);
        term_style(t, STYLE_YELLOW);
        fputs("INCOMPLETE", t->out);
        term_reset(t);
        snprintf(line, sizeof(line),
                 ": %s.  Only what could be seen was judged; run as root to audit "
                 "everything.",
                 unseen);
        term_wrap(t, 10, 2, line);
        fputc('\n', t->out);
}

/* "Checked 17 listeners: 2 high, 1 medium. ..." (led by "Incomplete audit:" when it is). */
static void audit_summary(const struct term *t, const struct audit_report *a, enum severity min,
                          size_t shown)
{
        char summary[768], unseen[256];
        size_t len = 0;

        if (!a->complete) {
                render_audit_unseen(a, unseen, sizeof(unseen));
                len = (size_t)snprintf(summary, sizeof(summary), "Incomplete audit (%s): ", unseen);
        }
        len += (size_t)snprintf(summary + len, sizeof(summary) - len,
                                "%s %zu listener%s: ", len ? "checked" : "Checked", a->n,
                                a->n == 1 ? "" : "s");
        if (shown == 0) {
                len += (size_t)snprintf(
                    summary + len, sizeof(summary) - len, "nothing at %s severity or above%s.",
                    audit_severity_name(min), a->complete ? "" : " among what could be seen");
        } else {
                bool comma = false;

                for (int sev = SEV_HIGH; sev >= (int)min && len < sizeof(summary); sev--) {
                        if (!a->counts[sev])
                                continue;
                        len += (size_t)snprintf(summary + len, sizeof(summary) - len, "%s%zu %s",
                                                comma ? ", " : "", a->counts[sev],
                                                audit_severity_name((enum severity)sev));
                        comma = true;
                }
                if (len < sizeof(summary))
                        len += (size_t)snprintf(summary + len, sizeof(summary) - len, ".");
        }
        if (a->below && len < sizeof(summary))
                len += (size_t)snprintf(summary + len, sizeof(summary) - len,
                                        " %zu lesser finding%s not shown (--min-severity low).",
                                        a->below, a->below == 1 ? "" : "s");
        if (a->silenced && len < sizeof(summary))
                snprintf(summary + len, sizeof(summary) - len,
                         " %zu finding%s silenced by the allowlist.", a->silenced,
                         a->silenced == 1 ? "" : "s");
        term_wrap(t, 0, 0, summary);
}

void render_audit_text(const struct term *t, const struct inspect_report *rep,
                       const struct audit_report *a, enum severity min)
{
        static const enum term_style colours[] = {STYLE_CYAN, STYLE_YELLOW, STYLE_RED};
        static const char *const titles[] = {"LOW", "MEDIUM", "HIGH"};
        size_t shown = 0;
        bool first = true;

        if (!a->complete)
                incomplete_banner(t, a);
        for (int sev = SEV_HIGH; sev >= (int)min; sev--) {
                if (a->counts[sev] == 0)
                        continue;
                if (!first)
                        fputc('\n', t->out);
                first = false;
                term_style(t, STYLE_BOLD);
                term_style(t, colours[sev]);
                fputs(titles[sev], t->out);
                term_reset(t);
                fputc('\n', t->out);
                for (size_t i = 0; i < a->n; i++) {
                        const struct audit_listener *l = &a->listeners[i];
                        bool any = false;

                        for (size_t k = 0; k < l->n_findings; k++)
                                any = any || l->findings[k].severity == (enum severity)sev;
                        if (!any)
                                continue;
                        audit_listener_line(t, rep, l->sock);
                        for (size_t k = 0; k < l->n_findings; k++)
                                if (l->findings[k].severity == (enum severity)sev)
                                        finding_lines(t, &l->findings[k]);
                }
                shown += a->counts[sev];
        }
        if (!first)
                fputc('\n', t->out);
        audit_summary(t, a, min, shown);
        footer_notes(t, rep, false, false);
}

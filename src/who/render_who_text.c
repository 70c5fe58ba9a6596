/* render_who_text: `who` and `audit` for a person at a terminal, readable at 80 columns.
 *
 * Sockets are grouped by the port asked about, each group opened by what the knowledge base
 * says of that port.  Notes on what could not be seen come last, in words.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "render_who_text.h"

#define EPHEMERAL_TAG "[ephemeral range]"

/* term_wrap(@t, @col, @indent, @text), done in one write when that is what it would print:
 * printable ASCII, single spaces between words, and room for all of it on the line.  A table
 * of ten thousand listeners is mostly such lines. */
static void wrap(const struct term *t, int col, int indent, const char *text)
{
        const unsigned char *p = (const unsigned char *)text;
        size_t len;

        /* Printable ASCII, no space first, last or twice: a byte outside 0x21-0x7e is a space
         * or stops the fast way. */
        if (*p == ' ')
                goto slow;
        for (; *p; p++)
                if ((unsigned char)(*p - 0x21) > 0x7e - 0x21 &&
                    (*p != ' ' || p[1] == ' ' || p[1] == '\0'))
                        goto slow;
        len = (size_t)(p - (const unsigned char *)text);
        if (col >= 0 && len <= (size_t)(t->width > col ? t->width - col : 0)) {
                fwrite(text, 1, len, t->out);
                fputc('\n', t->out);
                return;
        }
slow:
        term_wrap(t, col, indent, text);
}

/* Appends the decimal @v to @p; returns the end. */
static char *put_uint(char *p, unsigned v)
{
        char tmp[10];
        size_t n = 0;

        do
                tmp[n++] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        while (n > 0)
                *p++ = tmp[--n];
        return p;
}

/* Appends the strings up to NULL to @buf (@size bytes, holding @len), cutting at the end. */
static size_t append(char *buf, size_t size, size_t len, ...)
{
        va_list ap;
        const char *s;

        va_start(ap, len);
        while ((s = va_arg(ap, const char *)) != NULL)
                for (; *s && len + 1 < size; s++)
                        buf[len++] = *s;
        va_end(ap);
        buf[len] = '\0';
        return len;
}

void render_who_addr(const struct sock_row *row, bool local, char *buf, size_t size)
{
        const uint8_t *a = local ? row->local : row->remote;

        /* IPv4 by hand: inet_ntop is a good part of a line's cost when there are thousands. */
        if (row->family == AF_INET && size >= INET_ADDRSTRLEN) {
                char *p = buf;

                for (int i = 0; i < 4; i++) {
                        if (i)
                                *p++ = '.';
                        p = put_uint(p, a[i]);
                }
                *p = '\0';
                return;
        }
        if ((row->family != AF_INET && row->family != AF_INET6) ||
            !inet_ntop(row->family, a, buf, (socklen_t)size))
                snprintf(buf, size, "?");
}

void render_who_endpoint(const struct inspect_report *rep, const struct sock_row *row, bool local,
                         char *buf, size_t size)
{
        char addr[INET6_ADDRSTRLEN], dev[IF_NAMESIZE + 2] = "";
        size_t len = 0;

        render_who_addr(row, local, addr, sizeof(addr));
        /* Device names are per namespace; only ours can be looked up from here. */
        if (local && row->ifindex && rep->n_netns && row->netns == rep->netns[0].ino) {
                char name[IF_NAMESIZE];

                if (if_indextoname(row->ifindex, name))
                        snprintf(dev, sizeof(dev), "%%%s", name);
        }
        if (size < RENDER_WHO_ENDPOINT_MAX) {
                snprintf(buf, size, row->family == AF_INET6 ? "[%s%s]:%u" : "%s%s:%u", addr, dev,
                         local ? row->lport : row->rport);
                return;
        }
        if (row->family == AF_INET6)
                buf[len++] = '[';
        for (const char *s = addr; *s;)
                buf[len++] = *s++;
        for (const char *s = dev; *s;)
                buf[len++] = *s++;
        if (row->family == AF_INET6)
                buf[len++] = ']';
        buf[len++] = ':';
        *put_uint(buf + len, local ? row->lport : row->rport) = '\0';
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
        wrap(t, 2, 4, line);
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
        *put_uint(head, s->port) = '\0';
        col = (int)append(head, sizeof(head), strlen(head), "/",
                          portdb_proto_name((enum proto)s->row.proto), NULL);
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
                        wrap(t, col + 2, 4, desc);
                } else {
                        fputc('\n', t->out);
                }
        } else {
                fputs("  (", t->out);
                fputs(portdb_status_name(a.status), t->out);
                fputs(" by IANA)\n", t->out);
        }
        unofficial_line(t, &a);
}

#define MAX_CMDLINE_SHOWN 200 /* --json has it whole */

/* "nginx (pid 42, user nobody): CMDLINE  [EXE]"; @user names p->uid (NULL: no name).  Returns
 * the line, which the caller frees, or NULL without memory. */
static char *holder_text(const struct procmap_proc *p, const char *user)
{
        size_t size = 160 + MAX_CMDLINE_SHOWN + (p->exe ? strlen(p->exe) : 0) +
                      (p->name ? strlen(p->name) : 0) + (user ? strlen(user) : 0);
        char *line = malloc(size);
        size_t len;

        if (!line)
                return NULL;
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
        return line;
}

/* The i-th holder of @s.  A process holding many sockets has its line made once: @cache has a
 * slot per process of rep->map (or is NULL). */
static void holder_line(const struct term *t, const struct inspect_report *rep,
                        const struct inspect_socket *s, size_t i, char **cache)
{
        uint32_t k = s->holds[i].proc;
        char *line = cache ? cache[k] : NULL;

        if (!line)
                line = holder_text(inspect_proc(rep, s, i), inspect_proc_user(rep, s, i));
        if (!line)
                return;
        fputs("      ", t->out);
        wrap(t, 6, 10, line);
        if (cache)
                cache[k] = line;
        else
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
                         const struct inspect_socket *s, char **cache)
{
        static const char pad[] = "            ";
        char local[RENDER_WHO_ENDPOINT_MAX], remote[RENDER_WHO_ENDPOINT_MAX];
        char line[512], uid[16];
        const char *prefix, *state;
        size_t len, slen;

        render_who_endpoint(rep, &s->row, true, local, sizeof(local));
        /* The socket's owner is who created it; when a holder runs as someone else (a server
         * that dropped privileges), say which user is the socket's. */
        prefix = inspect_owner_differs(rep, s) ? "socket owner " : "user ";
        *put_uint(uid, s->row.uid) = '\0';
        if (s->listener) {
                len = append(line, sizeof(line), 0, local, ", ",
                             render_who_exposure(&s->row, s->exposure), ", ", NULL);
        } else {
                render_who_endpoint(rep, &s->row, false, remote, sizeof(remote));
                len = append(line, sizeof(line), 0, local, ", peer ", remote, ", ", NULL);
        }
        len = s->user ? append(line, sizeof(line), len, prefix, s->user, NULL)
                      : append(line, sizeof(line), len, prefix, "uid ", uid, NULL);
        /* With --all-netns, sockets of other namespaces say which. */
        if (rep->n_netns > 1 && s->row.netns != rep->netns[0].ino && len < sizeof(line))
                len += (size_t)snprintf(line + len, sizeof(line) - len, ", netns net:[%llu]",
                                        (unsigned long long)s->row.netns);
        if (s->container && len < sizeof(line))
                snprintf(line + len, sizeof(line) - len, ", %s", s->container);
        /* "  %-11s " */
        state = sock_state_name((enum proto)s->row.proto, s->row.state);
        slen = strlen(state);
        fputs("  ", t->out);
        fputs(state, t->out);
        fwrite(pad, 1, slen < 11 ? 12 - slen : 1, t->out);
        wrap(t, 14, 16, line);
        if (s->n_holds == 0)
                no_holder_line(t, rep, s);
        for (size_t i = 0; i < s->n_holds; i++)
                holder_line(t, rep, s, i, cache);
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
                wrap(t, 0, 2, note);
        }
        if (rep->used_procnet) {
                if (blank)
                        fputc('\n', t->out);
                blank = false;
                wrap(t, 0, 0, "Read from /proc/net: sock_diag is not available here.");
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
                wrap(t, 0, 0, note);
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
                wrap(t, 0, 0, note);
        }
        if (rep->netns_failed) {
                snprintf(note, sizeof(note),
                         "%zu network namespace%s could not be entered; run as root to see "
                         "%s sockets.",
                         rep->netns_failed, rep->netns_failed == 1 ? "" : "s",
                         rep->netns_failed == 1 ? "its" : "their");
                if (blank)
                        fputc('\n', t->out);
                wrap(t, 0, 0, note);
        }
}

void render_who_text(const struct term *t, const struct portdb *db,
                     const struct inspect_report *rep)
{
        char **cache = rep->map.n_procs ? calloc(rep->map.n_procs, sizeof(*cache)) : NULL;
        bool any_ephemeral = false;

        /* One lock for the whole table: the scan's threads made stdio lock every call. */
        flockfile(t->out);
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
                        socket_lines(t, rep, &rep->socks[i], cache);
        }
        for (size_t k = 0; cache && k < rep->map.n_procs; k++)
                free(cache[k]);
        free(cache);
        if (rep->n_netns > 1) {
                char note[128];

                snprintf(note, sizeof(note), "Looked in %zu network namespaces.",
                         rep->n_netns - rep->netns_failed);
                fputc('\n', t->out);
                wrap(t, 0, 0, note);
                footer_notes(t, rep, false, any_ephemeral);
        } else {
                footer_notes(t, rep, rep->n > 0, any_ephemeral);
        }
        funlockfile(t->out);
}

/* "  8000/tcp  0.0.0.0:8000, all interfaces (IPv4): python3 (pid 42)" */
static void audit_listener_line(const struct term *t, const struct inspect_report *rep,
                                const struct inspect_socket *s)
{
        char local[RENDER_WHO_ENDPOINT_MAX], line[512], head[32];
        size_t len;
        int col;

        render_who_endpoint(rep, &s->row, true, local, sizeof(local));
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
        wrap(t, col + 2, 6, line);
}

static void finding_lines(const struct term *t, const struct audit_finding *f)
{
        int col = 4 + (int)strlen(f->rule) + 2;

        fputs("    ", t->out);
        term_style(t, STYLE_BOLD);
        fputs(f->rule, t->out);
        term_reset(t);
        fputs(": ", t->out);
        wrap(t, col, 6, f->message);
        if (f->evidence[0]) {
                fputs("      ", t->out);
                term_style(t, STYLE_DIM);
                fputs("evidence: ", t->out);
                wrap(t, 16, 8, f->evidence);
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
        wrap(t, 10, 2, line);
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
        wrap(t, 0, 0, summary);
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

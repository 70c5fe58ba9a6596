/* render_who_json: the contract's `who --json` and `audit --json` shapes, built with jansson.
 *
 * Fields the contract names keep its names and types; the extras (exposure, knowledge-base
 * join, evidence, counts) are added alongside, never instead.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "render_who_json.h"
#include "render_who_text.h"

/* A string, or null; invalid UTF-8 (a process can name itself anything) keeps its ASCII and
 * turns every other byte into U+FFFD rather than failing the whole answer. */
static json_t *jstr_or_null(const char *s)
{
        size_t n;
        char *clean, *o;
        json_t *j;

        if (!s)
                return json_null();
        j = json_string(s);
        if (j)
                return j;
        n = strlen(s);
        clean = malloc(n * 3 + 1);
        if (!clean)
                return json_null();
        for (o = clean; *s; s++) {
                if ((unsigned char)*s < 0x80) {
                        *o++ = *s;
                } else {
                        memcpy(o, "\xef\xbf\xbd", 3);
                        o += 3;
                }
        }
        *o = '\0';
        j = json_string(clean);
        free(clean);
        return j ? j : json_null();
}

/* A holder; @user: the name of its real uid, or NULL. */
static json_t *process_json(const struct procmap_proc *p, const char *user)
{
        json_t *o = json_object();

        if (!o)
                return NULL;
        json_object_set_new(o, "pid", json_integer(p->pid));
        json_object_set_new(o, "name", jstr_or_null(p->name));
        json_object_set_new(o, "uid", p->has_uid ? json_integer(p->uid) : json_null());
        json_object_set_new(o, "user", jstr_or_null(user));
        json_object_set_new(o, "exe", jstr_or_null(p->exe));
        json_object_set_new(o, "cmdline", jstr_or_null(p->cmdline));
        json_object_set_new(o, "exe_deleted", json_boolean(p->exe_deleted));
        return o;
}

static const char *exposure_key(enum exposure e)
{
        return e == EXPOSURE_LOOPBACK ? "loopback" : e == EXPOSURE_ADDRESS ? "address" : "all";
}

/* The knowledge base on the socket's port: IANA service and unofficial uses. */
static void knowledge(json_t *o, const struct portdb *db, const struct inspect_socket *s)
{
        const struct portdb_iana *e;
        struct answer a;
        json_t *uo = json_array();

        answer_build(&a, db, s->port, PROTO_BIT((enum proto)s->row.proto));
        e = a.service_entry;
        json_object_set_new(o, "service",
                            e ? jstr_or_null(portdb_str(db, e->service)) : json_null());
        json_object_set_new(o, "service_description",
                            e && portdb_str(db, e->description)[0]
                                ? jstr_or_null(portdb_str(db, e->description))
                                : json_null());
        json_object_set_new(o, "iana_status", json_string(portdb_status_name(a.status)));
        for (size_t i = 0; uo && i < a.n_uses_all; i++) {
                const struct portdb_unofficial *u = &a.uses[i];

                if (!answer_has_use(&a, u))
                        continue;
                json_array_append_new(uo, json_pack("{s:o,s:s}", "name",
                                                    jstr_or_null(portdb_str(db, u->name)), "kind",
                                                    portdb_kind_name(u->kind)));
        }
        json_object_set_new(o, "unofficial", uo ? uo : json_null());
}

json_t *render_who_socket_json(const struct portdb *db, const struct inspect_report *rep,
                               const struct inspect_socket *s)
{
        const struct sock_row *row = &s->row;
        char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN], ns[48];
        json_t *o = json_object(), *procs = json_array();

        if (!o || !procs) {
                json_decref(o);
                json_decref(procs);
                return NULL;
        }
        render_who_addr(row, true, local, sizeof(local));
        render_who_addr(row, false, remote, sizeof(remote));
        snprintf(ns, sizeof(ns), "net:[%llu]", (unsigned long long)row->netns);
        json_object_set_new(o, "protocol", json_string(portdb_proto_name((enum proto)row->proto)));
        json_object_set_new(o, "family", json_string(row->family == AF_INET ? "ipv4" : "ipv6"));
        json_object_set_new(o, "state",
                            json_string(sock_state_name((enum proto)row->proto, row->state)));
        json_object_set_new(o, "local_address", json_string(local));
        json_object_set_new(o, "local_port", json_integer(row->lport));
        json_object_set_new(o, "remote_address", json_string(remote));
        json_object_set_new(o, "remote_port", json_integer(row->rport));
        json_object_set_new(o, "inode", json_integer((json_int_t)row->inode));
        json_object_set_new(o, "uid", json_integer(row->uid));
        json_object_set_new(o, "user", jstr_or_null(s->user));
        json_object_set_new(o, "netns", row->netns ? json_string(ns) : json_null());
        for (size_t i = 0; i < s->n_holds; i++)
                json_array_append_new(
                    procs, process_json(inspect_proc(rep, s, i), inspect_proc_user(rep, s, i)));
        json_object_set_new(o, "processes", procs);
        json_object_set_new(o, "listening", json_boolean(s->listener));
        json_object_set_new(o, "exposure",
                            s->listener ? json_string(exposure_key(s->exposure)) : json_null());
        json_object_set_new(o, "ipv6_only",
                            row->family == AF_INET6 && row->v6only >= 0 ? json_boolean(row->v6only)
                                                                        : json_null());
        json_object_set_new(o, "ephemeral_range", json_boolean(s->ephemeral));
        json_object_set_new(o, "port", json_integer(s->port));
        json_object_set_new(o, "matched", json_string(s->remote_match ? "remote" : "local"));
        json_object_set_new(o, "container", jstr_or_null(s->container));
        knowledge(o, db, s);
        return o;
}

json_t *render_who_json(const struct portdb *db, const struct inspect_report *rep)
{
        json_t *a = json_array();

        for (size_t i = 0; a && i < rep->n; i++) {
                json_t *o = render_who_socket_json(db, rep, &rep->socks[i]);

                if (!o || json_array_append_new(a, o) < 0) {
                        json_decref(a);
                        return NULL;
                }
        }
        return a;
}

json_t *render_audit_json(const struct portdb *db, const struct inspect_report *rep,
                          const struct audit_report *a, enum severity min)
{
        json_t *o = json_object(), *ls = json_array(), *counts = json_object();

        if (!o || !ls || !counts) {
                json_decref(o);
                json_decref(ls);
                json_decref(counts);
                return NULL;
        }
        for (size_t i = 0; i < a->n; i++) {
                const struct audit_listener *l = &a->listeners[i];
                json_t *s = render_who_socket_json(db, rep, l->sock), *fs = json_array();

                if (!s || !fs) {
                        json_decref(s);
                        json_decref(fs);
                        json_decref(o);
                        json_decref(ls);
                        json_decref(counts);
                        return NULL;
                }
                for (size_t k = 0; k < l->n_findings; k++) {
                        const struct audit_finding *f = &l->findings[k];

                        json_array_append_new(fs, json_pack("{s:s,s:s,s:o,s:o}", "rule", f->rule,
                                                            "severity",
                                                            audit_severity_name(f->severity),
                                                            "message", jstr_or_null(f->message),
                                                            "evidence", jstr_or_null(f->evidence)));
                }
                json_object_set_new(s, "findings", fs);
                json_array_append_new(ls, s);
        }
        for (int sev = SEV_LOW; sev < SEV_COUNT; sev++)
                json_object_set_new(counts, audit_severity_name((enum severity)sev),
                                    json_integer((json_int_t)a->counts[sev]));
        json_object_set_new(o, "listeners", ls);
        json_object_set_new(o, "complete", json_boolean(a->complete));
        json_object_set_new(o, "unreadable_processes",
                            json_integer((json_int_t)a->unreadable_processes));
        json_object_set_new(o, "unentered_namespaces",
                            json_integer((json_int_t)a->unentered_netns));
        json_object_set_new(o, "unowned_listeners", json_integer((json_int_t)a->unowned));
        json_object_set_new(o, "min_severity", json_string(audit_severity_name(min)));
        json_object_set_new(o, "findings", counts);
        json_object_set_new(o, "below_threshold", json_integer((json_int_t)a->below));
        json_object_set_new(o, "silenced", json_integer((json_int_t)a->silenced));
        json_object_set_new(o, "root", json_boolean(rep->root));
        return o;
}

/* registry_xml: reads IANA's XML form of the port registry with libxml2.
 *
 * People references (<xref type="person" data="id"/>) are resolved against the registry's own
 * <people> list.  Network access and entity expansion are off: the file is untrusted input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "registry_xml.h"

#include "cleanup.h"

/* A growable string, enough for joining a few xrefs. */
struct sbuf {
        char *p;
        size_t len, cap;
        int oom;
};

static void sbuf_done(struct sbuf *b)
{
        free(b->p);
}

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
        if (b->oom || b->len + n + 1 > REGISTRY_MAX_FIELD) {
                b->oom = b->oom ? b->oom : 2;
                return;
        }
        if (b->len + n + 1 > b->cap) {
                size_t ncap = (b->len + n + 1) * 2;
                char *np = realloc(b->p, ncap);

                if (!np) {
                        b->oom = 1;
                        return;
                }
                b->p = np;
                b->cap = ncap;
        }
        memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = '\0';
}

static void sb_adds(struct sbuf *b, const char *s)
{
        sb_add(b, s, strlen(s));
}

static bool is(const xmlNode *n, const char *name)
{
        return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
        for (const xmlAttr *a = n->properties; a; a = a->next)
                if (strcmp((const char *)a->name, name) == 0 && a->children &&
                    a->children->type == XML_TEXT_NODE)
                        return (const char *)a->children->content;
        return NULL;
}

/* The people list: id -> display name, in document order (a few thousand; searched linearly
 * only while reading, which is build or update time). */
struct person {
        const char *id;
        const char *display;
};

struct people {
        struct person *v;
        size_t n;
};

static void people_done(struct people *pp)
{
        free(pp->v);
}

DEFINE_CLEANUP_FREE(xmlDoc, xmlFreeDoc)

static const char *child_text(const xmlNode *n, const char *name)
{
        for (const xmlNode *c = n->children; c; c = c->next)
                if (is(c, name) && c->children && c->children->type == XML_TEXT_NODE)
                        return (const char *)c->children->content;
        return NULL;
}

static int person_cmp(const void *a, const void *b)
{
        return strcmp(((const struct person *)a)->id, ((const struct person *)b)->id);
}

static int load_people(const xmlNode *root, struct people *pp)
{
        size_t cap = 0;

        for (const xmlNode *n = root->children; n; n = n->next) {
                if (!is(n, "people"))
                        continue;
                for (const xmlNode *p = n->children; p; p = p->next) {
                        const char *id = attr(p, "id"), *name;

                        if (!is(p, "person") || !id)
                                continue;
                        name = child_text(p, "name");
                        if (!name)
                                name = child_text(p, "org");
                        if (pp->n == cap) {
                                size_t ncap = cap ? cap * 2 : 1024;
                                struct person *nv = realloc(pp->v, ncap * sizeof(*nv));

                                if (!nv)
                                        return -ENOMEM;
                                pp->v = nv;
                                cap = ncap;
                        }
                        pp->v[pp->n++] = (struct person){id, name};
                }
        }
        if (pp->n > 1) /* with no people pp->v is NULL, which qsort may not take */
                qsort(pp->v, pp->n, sizeof(*pp->v), person_cmp);
        return 0;
}

/* Appends the display form of person @id: the name the registry gives, else the id with its
 * underscores read as spaces. */
static void add_person(struct sbuf *b, const struct people *pp, const char *id)
{
        struct person key = {id, NULL};
        const struct person *p =
            pp->n ? bsearch(&key, pp->v, pp->n, sizeof(key), person_cmp) : NULL;

        if (b->len > 0)
                sb_adds(b, ", ");
        if (p && p->display) {
                sb_adds(b, p->display);
                return;
        }
        for (const char *s = id; *s; s++)
                sb_add(b, *s == '_' ? " " : s, 1);
}

/* Appends a reference xref as the CSV form writes it: [RFC6335], [draft-...], [https://...]. */
static void add_reference(struct sbuf *b, const xmlNode *x)
{
        const char *type = attr(x, "type"), *data = attr(x, "data");

        if (type && strcmp(type, "text") == 0) {
                for (const xmlNode *c = x->children; c; c = c->next)
                        if (c->type == XML_TEXT_NODE)
                                sb_adds(b, (const char *)c->content);
                return;
        }
        if (!data)
                return;
        sb_adds(b, "[");
        if (type && strcmp(type, "rfc") == 0) {
                for (const char *s = data; *s; s++) {
                        char c = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;

                        sb_add(b, &c, 1);
                }
        } else {
                sb_adds(b, data);
        }
        sb_adds(b, "]");
}

/* Mixed content (text with inline xrefs) flattened to text; xrefs become [data]. */
static void add_mixed(struct sbuf *b, const xmlNode *n, const struct people *pp)
{
        for (const xmlNode *c = n->children; c; c = c->next) {
                if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
                        sb_adds(b, (const char *)c->content);
                } else if (is(c, "xref")) {
                        const char *type = attr(c, "type"), *data = attr(c, "data");

                        if (type && strcmp(type, "person") == 0 && data) {
                                _cleanup_(sbuf_done) struct sbuf tmp = {0};

                                add_person(&tmp, pp, data);
                                if (tmp.p)
                                        sb_adds(b, tmp.p);
                                b->oom = b->oom ? b->oom : tmp.oom;
                        } else {
                                add_reference(b, c);
                        }
                } else if (c->type == XML_ELEMENT_NODE) {
                        add_mixed(b, c, pp);
                }
        }
}

/* Moves the trimmed contents of @b into *field (freeing any earlier value). */
static int take(struct sbuf *b, char **field)
{
        int oom = 0;
        char *s = b->len ? registry_strndup_trim(b->p, b->len, &oom) : NULL;
        int bad = b->oom;

        free(b->p);
        *b = (struct sbuf){0};
        if (bad || oom) {
                free(s); /* what fitted before the cap was hit */
                return bad == 2 ? -E2BIG : -ENOMEM;
        }
        free(*field);
        *field = s;
        return 0;
}

static int read_record(struct registry *reg, const xmlNode *rec, const struct people *pp,
                       struct reg_error *err)
{
        struct reg_record *r = registry_add_record(reg);
        _cleanup_(sbuf_done) struct sbuf number = {0}, protocol = {0}, assignee = {0},
                                         contact = {0}, reference = {0}, tmp = {0};
        const char *date = attr(rec, "date"), *updated = attr(rec, "updated");
        _cleanup_free_ char *num = NULL, *proto = NULL;
        int ret = 0;
        unsigned long line = (unsigned long)xmlGetLineNo(rec);

        if (!r) {
                reg_error_set(err, line, "more than %u records", REGISTRY_MAX_RECORDS);
                return -E2BIG;
        }
        for (const xmlNode *c = rec->children; c && ret == 0; c = c->next) {
                if (is(c, "name")) {
                        add_mixed(&tmp, c, pp);
                        ret = take(&tmp, &r->service);
                } else if (is(c, "description")) {
                        add_mixed(&tmp, c, pp);
                        ret = take(&tmp, &r->description);
                } else if (is(c, "number")) {
                        add_mixed(&number, c, pp);
                } else if (is(c, "protocol")) {
                        add_mixed(&protocol, c, pp);
                } else if (is(c, "assignee") || is(c, "contact")) {
                        struct sbuf *who = is(c, "assignee") ? &assignee : &contact;

                        for (const xmlNode *x = c->children; x; x = x->next)
                                if (is(x, "xref") && attr(x, "data"))
                                        add_person(who, pp, attr(x, "data"));
                } else if (is(c, "xref")) {
                        const char *type = attr(c, "type");

                        if (type && strcmp(type, "person") == 0 && attr(c, "data"))
                                add_person(&contact, pp, attr(c, "data"));
                        else
                                add_reference(&reference, c);
                } else if (is(c, "note")) {
                        add_mixed(&tmp, c, pp);
                        ret = take(&tmp, &r->note);
                } else if (is(c, "sc")) {
                        add_mixed(&tmp, c, pp);
                        ret = take(&tmp, &r->service_code);
                } else if (is(c, "unauthorized")) {
                        add_mixed(&tmp, c, pp);
                        ret = take(&tmp, &r->unauthorized);
                }
        }
        /* Older records name one person outside <assignee>; the CSV form lists that person as
         * both assignee and contact, and so do we. */
        if (ret == 0 && assignee.len == 0 && contact.len > 0)
                sb_add(&assignee, contact.p, contact.len);
        if (ret == 0)
                ret = take(&assignee, &r->assignee);
        if (ret == 0)
                ret = take(&contact, &r->contact);
        if (ret == 0)
                ret = take(&reference, &r->reference);
        if (ret == 0)
                ret = take(&number, &num);
        if (ret == 0)
                ret = take(&protocol, &proto);
        if (ret == 0 && date) {
                r->registered = strdup(date);
                ret = r->registered ? 0 : -ENOMEM;
        }
        if (ret == 0 && updated) {
                r->modified = strdup(updated);
                ret = r->modified ? 0 : -ENOMEM;
        }
        if (ret == -E2BIG)
                reg_error_set(err, line, "a field longer than %u bytes", REGISTRY_MAX_FIELD);
        else if (ret == -ENOMEM)
                reg_error_set(err, line, "out of memory");
        if (ret == 0) {
                ret = registry_classify(r, num, proto, err);
                if (ret < 0 && err)
                        err->line = line;
        }
        if (ret == 0) {
                registry_note_date(reg, r->registered);
                registry_note_date(reg, r->modified);
        }
        return ret;
}

static void silence(void *ctx, const char *msg, ...)
{
        (void)ctx;
        (void)msg;
}

int registry_read_xml(struct registry *reg, const char *buf, size_t len, struct reg_error *err)
{
        _cleanup_(people_done) struct people pp = {0};
        _cleanup_(xmlFreeDocp) xmlDoc *doc = NULL;
        xmlNode *root;
        const char *updated;
        int ret = 0;
        size_t before = reg->n_recs;

        if (len > REGISTRY_MAX_BYTES) {
                reg_error_set(err, 0, "file larger than %u MiB", REGISTRY_MAX_BYTES >> 20);
                return -E2BIG;
        }
        if (len > INT32_MAX)
                return -E2BIG;
        xmlSetGenericErrorFunc(NULL, silence);
        doc = xmlReadMemory(buf, (int)len, "registry.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc) {
                const xmlError *e = xmlGetLastError();

                reg_error_set(err, e ? (unsigned long)e->line : 0, "not well-formed XML%s%.120s",
                              e && e->message ? ": " : "", e && e->message ? e->message : "");
                if (err) /* libxml2's messages end in a newline */
                        err->msg[strcspn(err->msg, "\n")] = '\0';
                return -EINVAL;
        }
        root = xmlDocGetRootElement(doc);
        if (!root || !is(root, "registry") || !attr(root, "id") ||
            strcmp(attr(root, "id"), "service-names-port-numbers") != 0) {
                reg_error_set(err, root ? (unsigned long)xmlGetLineNo(root) : 0,
                              "not IANA's service-names-port-numbers registry");
                return -EINVAL;
        }
        ret = load_people(root, &pp);
        if (ret < 0) {
                reg_error_set(err, 0, "out of memory");
                return ret;
        }
        for (const xmlNode *n = root->children; n && ret == 0; n = n->next)
                if (is(n, "record"))
                        ret = read_record(reg, n, &pp, err);
        if (ret < 0)
                return ret;
        if (reg->n_recs == before) {
                reg_error_set(err, 0, "the registry holds no records");
                return -EINVAL;
        }
        updated = child_text(root, "updated");
        if (updated) {
                char date[11];

                snprintf(date, sizeof(date), "%s", updated);
                memset(reg->updated, 0, sizeof(reg->updated));
                registry_note_date(reg, date);
        }
        memcpy(reg->format, "xml", 4);
        return 0;
}

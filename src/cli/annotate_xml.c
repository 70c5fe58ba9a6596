/* annotate_xml: the ports of an nmap -oX document, read with libxml2.
 *
 * The document is parsed without network access and without entity substitution, as every XML
 * reader of portinfo is (docs/security.md).  Reads <host>/<address>, <ports>/<port> with its
 * <state> and <service>; everything else is ignored.
 */
#include "annotate_xml.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static bool named(const xmlNode *n, const char *name)
{
        return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Copies attribute @attr of @n into @dst (@size bytes); "" when absent. */
static void attr(const xmlNode *n, const char *attr, char *dst, size_t size)
{
        xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);

        snprintf(dst, size, "%s", v ? (const char *)v : "");
        xmlFree(v);
}

/* One <port> element into @r (the host's address already there).  Returns 0 or -EINVAL. */
static int read_port(const xmlNode *p, struct annotate_rec *r)
{
        char id[8], proto[8];
        long v;
        char *end;

        attr(p, "portid", id, sizeof(id));
        attr(p, "protocol", proto, sizeof(proto));
        v = strtol(id, &end, 10);
        if (!id[0] || *end || v < 0 || v > 65535 ||
            (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0))
                return -EINVAL;
        r->local_port = (int)v;
        snprintf(r->proto, sizeof(r->proto), "%s", proto);
        for (const xmlNode *c = p->children; c; c = c->next) {
                if (named(c, "state"))
                        attr(c, "state", r->state, sizeof(r->state));
                else if (named(c, "service"))
                        attr(c, "name", r->service, sizeof(r->service));
        }
        return 0;
}

static void read_host(const xmlNode *h, void (*fn)(void *, const struct annotate_rec *), void *ctx)
{
        struct annotate_rec host = {.local_port = -1, .remote_port = -1};

        for (const xmlNode *c = h->children; c; c = c->next)
                if (named(c, "address") && !host.local_addr[0]) {
                        char type[16];

                        attr(c, "addrtype", type, sizeof(type));
                        if (strcmp(type, "mac") != 0)
                                attr(c, "addr", host.local_addr, sizeof(host.local_addr));
                }
        for (const xmlNode *c = h->children; c; c = c->next) {
                if (!named(c, "ports"))
                        continue;
                for (const xmlNode *p = c->children; p; p = p->next) {
                        struct annotate_rec r = host;

                        if (named(p, "port") && read_port(p, &r) == 0)
                                fn(ctx, &r);
                }
        }
}

int annotate_nmap_xml(const char *text, size_t len,
                      void (*fn)(void *ctx, const struct annotate_rec *r), void *ctx)
{
        xmlDoc *doc;
        const xmlNode *root;

        if (len > INT_MAX)
                return -EINVAL;
        doc = xmlReadMemory(text, (int)len, "nmap.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc)
                return -EINVAL;
        root = xmlDocGetRootElement(doc);
        if (!root || !named(root, "nmaprun")) {
                xmlFreeDoc(doc);
                return -EINVAL;
        }
        for (const xmlNode *h = root->children; h; h = h->next)
                if (named(h, "host"))
                        read_host(h, fn, ctx);
        xmlFreeDoc(doc);
        return 0;
}

/* annotate_parse: the text listings of ss, netstat, lsof and nmap -oG, one line at a time.
 *
 * Columns are found by the tools' own headers and by position; a line that does not fit is
 * -EINVAL (the caller passes it through), never a guess.  Allocates nothing.
 */
#include "annotate_parse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_TOKENS 16

/* Splits a copy of @line (in @buf, @size bytes) at blanks into at most MAX_TOKENS tokens; the
 * last token keeps the rest of the line.  Returns their number (-EINVAL: line too long). */
static int tokens(const char *line, char *buf, size_t size, char **tok)
{
        size_t len = strlen(line);
        int n = 0;
        char *p = buf;

        if (len >= size)
                return -EINVAL;
        memcpy(buf, line, len + 1);
        while (*p && n < MAX_TOKENS) {
                while (*p == ' ' || *p == '\t' || *p == '\r')
                        p++;
                if (!*p)
                        break;
                tok[n++] = p;
                if (n == MAX_TOKENS)
                        break;
                while (*p && *p != ' ' && *p != '\t' && *p != '\r')
                        p++;
                if (*p)
                        *p++ = '\0';
        }
        return n;
}

/* A decimal port (0-65535) in @s (all of it), or -1 for "*"; -EINVAL otherwise. */
static int port_of(const char *s)
{
        long v = 0;

        if (strcmp(s, "*") == 0)
                return -1;
        if (!*s || strlen(s) > 5)
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                v = v * 10 + (*s - '0');
        }
        return v <= 65535 ? (int)v : -EINVAL;
}

/* Splits "ADDR:PORT" ("[::]:135", ":::22", "*:*", "10.0.0.1%eth0:53") at its last colon into
 * @addr (brackets removed) and *@port.  Returns 0 or -EINVAL. */
static int endpoint(const char *s, char *addr, size_t size, int *port)
{
        const char *colon = strrchr(s, ':');
        size_t alen;
        int p;

        if (!colon || colon == s)
                return -EINVAL;
        p = port_of(colon + 1);
        if (p == -EINVAL)
                return -EINVAL;
        alen = (size_t)(colon - s);
        if (s[0] == '[' && alen >= 2 && s[alen - 1] == ']') {
                s++;
                alen -= 2;
        }
        if (alen >= size)
                return -EINVAL;
        memcpy(addr, s, alen);
        addr[alen] = '\0';
        *port = p;
        return 0;
}

/* Copies @src into @dst (@size bytes), cut short if need be. */
static void copy(char *dst, size_t size, const char *src)
{
        size_t n = src ? strnlen(src, size - 1) : 0;

        if (n)
                memcpy(dst, src, n);
        dst[n] = '\0';
}

/* "tcp", "tcp6", "TCP" -> "tcp"; "udp"... -> "udp"; else NULL. */
static const char *proto_of(const char *s)
{
        if (strncasecmp(s, "tcp", 3) == 0)
                return "tcp";
        if (strncasecmp(s, "udp", 3) == 0)
                return "udp";
        return NULL;
}

static bool is_number(const char *s)
{
        return *s && strspn(s, "0123456789") == strlen(s);
}

/* Fills @r's addresses from the local and peer columns @l and @p.  Returns 0 or -EINVAL. */
static int endpoints(struct annotate_rec *r, const char *l, const char *p)
{
        if (endpoint(l, r->local_addr, sizeof(r->local_addr), &r->local_port) < 0 ||
            endpoint(p, r->remote_addr, sizeof(r->remote_addr), &r->remote_port) < 0)
                return -EINVAL;
        return 0;
}

/* ss, any column set: [Netid] State Recv-Q Send-Q Local Peer [Process]. */
static int parse_ss(struct annotate_ctx *ctx, char **t, int n, struct annotate_rec *r)
{
        int at = ctx->ss_netid ? 1 : 0;
        const char *proto = "tcp";

        if (!ctx->have_header && n > 0)
                at = proto_of(t[0]) || strcmp(t[0], "u_str") == 0 ? 1 : 0;
        if (at == 1) {
                proto = proto_of(t[0]);
                if (!proto)
                        return 0; /* a unix, raw or netlink socket: no port */
        } else if (n > 0 && strcmp(t[0], "UNCONN") == 0) {
                proto = "udp";
        }
        if (n < at + 5 || !is_number(t[at + 1]) || !is_number(t[at + 2]))
                return -EINVAL;
        copy(r->proto, sizeof(r->proto), proto);
        copy(r->state, sizeof(r->state), t[at]);
        copy(r->process, sizeof(r->process), n > at + 5 ? t[at + 5] : "");
        return endpoints(r, t[at + 3], t[at + 4]);
}

/* netstat on Linux: Proto Recv-Q Send-Q Local Foreign [State] [PID/Program]. */
static int parse_netstat(char **t, int n, struct annotate_rec *r)
{
        const char *proto = n > 0 ? proto_of(t[0]) : NULL;
        int at = 5;

        if (!proto)
                return 0; /* headers, unix sockets, raw sockets */
        if (n < 5 || !is_number(t[1]) || !is_number(t[2]))
                return -EINVAL;
        copy(r->proto, sizeof(r->proto), proto);
        r->state[0] = r->process[0] = '\0';
        if (n > at && !strchr(t[at], '/') && strcmp(t[at], "-") != 0)
                copy(r->state, sizeof(r->state), t[at++]);
        if (n > at)
                copy(r->process, sizeof(r->process), t[at]);
        return endpoints(r, t[3], t[4]);
}

/* netstat -ano on Windows: Proto Local Foreign [State] PID. */
static int parse_netstat_windows(char **t, int n, struct annotate_rec *r)
{
        const char *proto = n > 0 ? proto_of(t[0]) : NULL;
        bool tcp;

        if (!proto || strcmp(t[0], "Proto") == 0)
                return 0;
        tcp = strcmp(proto, "tcp") == 0;
        if (n < (tcp ? 5 : 4) || !is_number(t[tcp ? 4 : 3]))
                return -EINVAL;
        copy(r->proto, sizeof(r->proto), proto);
        copy(r->state, sizeof(r->state), tcp ? t[3] : "");
        snprintf(r->process, sizeof(r->process), "pid %s", t[tcp ? 4 : 3]);
        return endpoints(r, t[1], t[2]);
}

/* lsof -nP -i: COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME [(STATE)]. */
static int parse_lsof(char **t, int n, struct annotate_rec *r)
{
        const char *proto = NULL, *name, *arrow;
        char local[160];
        int node = -1;

        if (n > 0 && strcmp(t[0], "COMMAND") == 0)
                return 0;
        for (int i = 4; i + 1 < n && node < 0; i++)
                if ((proto = proto_of(t[i])) && strlen(t[i]) == 3)
                        node = i;
        if (node < 0 || n < 3 || !is_number(t[1]))
                return -EINVAL;
        name = t[node + 1];
        copy(r->proto, sizeof(r->proto), proto);
        snprintf(r->process, sizeof(r->process), "%s pid=%s user=%s", t[0], t[1], t[2]);
        r->state[0] = '\0';
        if (node + 2 < n && t[node + 2][0] == '(') {
                size_t len = strcspn(t[node + 2] + 1, ")");

                snprintf(r->state, sizeof(r->state), "%.*s", (int)len, t[node + 2] + 1);
        }
        arrow = strstr(name, "->");
        if (!arrow) {
                r->remote_addr[0] = '\0';
                r->remote_port = -1;
                return endpoint(name, r->local_addr, sizeof(r->local_addr), &r->local_port);
        }
        if ((size_t)(arrow - name) >= sizeof(local))
                return -EINVAL;
        snprintf(local, sizeof(local), "%.*s", (int)(arrow - name), name);
        return endpoints(r, local, arrow + 2);
}

int annotate_parse_line(struct annotate_ctx *ctx, const char *line, struct annotate_rec *ret)
{
        char buf[ANNOTATE_MAX_LINE + 1], *t[MAX_TOKENS];
        struct annotate_rec r = {.local_port = -1, .remote_port = -1};
        int n, k;

        if (strstr(line, "Local Address")) { /* a header: learn the columns */
                ctx->have_header = true;
                ctx->ss_netid = strncmp(line, "Netid", 5) == 0;
                return 0;
        }
        n = tokens(line, buf, sizeof(buf), t);
        if (n < 0)
                return -EINVAL;
        if (n == 0 || t[0][0] == '#' || strncmp(line, "Active ", 7) == 0)
                return 0;
        switch (ctx->from) {
        case FROM_SS:
                k = parse_ss(ctx, t, n, &r);
                break;
        case FROM_NETSTAT:
                k = parse_netstat(t, n, &r);
                break;
        case FROM_NETSTAT_WINDOWS:
                k = parse_netstat_windows(t, n, &r);
                break;
        case FROM_LSOF:
                k = parse_lsof(t, n, &r);
                break;
        default:
                return -EINVAL;
        }
        if (k == 0 && r.proto[0])
                *ret = r;
        return k < 0 ? k : r.proto[0] ? 1 : 0;
}

/* One "22/open/tcp//ssh///" entry of an nmap -oG Ports field into @r. */
static int nmap_port(const char *s, size_t len, struct annotate_rec *r)
{
        char f[7][48] = {{0}};
        size_t i = 0, k = 0, at = 0;

        for (; at < len && i < 7; at++) {
                if (s[at] == '/') {
                        f[i++][k] = '\0';
                        k = 0;
                } else if (k < sizeof(f[0]) - 1) {
                        f[i][k++] = s[at];
                }
        }
        if (i < 3 || !proto_of(f[2]))
                return -EINVAL;
        r->local_port = port_of(f[0]);
        if (r->local_port < 0)
                return -EINVAL;
        copy(r->state, sizeof(r->state), f[1]);
        copy(r->proto, sizeof(r->proto), proto_of(f[2]));
        copy(r->service, sizeof(r->service), f[4]);
        return 0;
}

int annotate_parse_nmap_grep(const char *line, struct annotate_rec *v, size_t cap)
{
        const char *ports = strstr(line, "\tPorts: "), *end;
        struct annotate_rec host = {.local_port = -1, .remote_port = -1};
        size_t n = 0, hlen;

        if (strncmp(line, "Host: ", 6) != 0 || !ports)
                return 0;
        hlen = strcspn(line + 6, " \t");
        if (hlen >= sizeof(host.local_addr))
                return -EINVAL;
        snprintf(host.local_addr, sizeof(host.local_addr), "%.*s", (int)hlen, line + 6);
        ports += 8;
        end = ports + strcspn(ports, "\t");
        while (ports < end) {
                size_t len = strcspn(ports, ",\t");

                if (n == cap)
                        return -E2BIG;
                v[n] = host;
                if (nmap_port(ports, len, &v[n]) < 0)
                        return -EINVAL;
                n++;
                ports += len;
                while (ports < end && (*ports == ',' || *ports == ' '))
                        ports++;
        }
        return (int)n;
}

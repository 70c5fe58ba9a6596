/* annotate: other tools' socket and scan listings read into records (`portinfo annotate`).
 *
 * Recognises ss, netstat (Linux and Windows), lsof and nmap's grepable and XML output, and reads
 * one record from each line.  Explains nothing and prints nothing: annotate_main.c does.
 */
#ifndef PORTINFO_ANNOTATE_H
#define PORTINFO_ANNOTATE_H

#include <stdbool.h>
#include <stddef.h>

#define ANNOTATE_MAX_LINE  (64u * 1024)        /* a longer line is passed through unread */
#define ANNOTATE_MAX_INPUT (64u * 1024 * 1024) /* one input (a file or standard input) */
#define ANNOTATE_MAX_PORTS 4096                /* ports of one nmap -oG host line */

enum annotate_from {
        FROM_UNKNOWN,
        FROM_SS,
        FROM_NETSTAT,         /* Linux netstat -tulpn, -tan */
        FROM_NETSTAT_WINDOWS, /* netstat -ano */
        FROM_LSOF,            /* lsof -nP -i */
        FROM_NMAP_GREP,       /* nmap -oG */
        FROM_NMAP_XML,        /* nmap -oX */
};

/* One socket or one scanned port. */
struct annotate_rec {
        char proto[8];        /* "tcp" or "udp" */
        char local_addr[64];  /* the scanned host for nmap */
        int local_port;       /* -1: none ("*") */
        char remote_addr[64]; /* "" when the tool gives none */
        int remote_port;      /* -1: none */
        char state[32];       /* "LISTEN", "ESTABLISHED", "open" ...; "" when not given */
        char process[160];    /* as the tool writes it; "" when not given */
        char service[48];     /* nmap's service name; "" */
};

/* What the column layout of the input is, learnt from its header. */
struct annotate_ctx {
        enum annotate_from from;
        bool have_header;
        bool ss_netid; /* ss: the first column is Netid */
};

/* The tool that wrote @text (its first lines), or FROM_UNKNOWN. */
enum annotate_from annotate_detect(const char *text, size_t len);

/* The --from word of @f ("ss", ...), and the reverse (-EINVAL for an unknown word). */
const char *annotate_from_name(enum annotate_from f);
int annotate_parse_from(const char *s, enum annotate_from *ret);

/* Reads text line @line (NUL-terminated, no newline) of a @ctx->from listing.  Returns 1 with
 * *ret filled, 0 for a line that holds no socket (a header, a comment: *ret untouched), or
 * -EINVAL for a line that should hold one but does not parse. */
int annotate_parse_line(struct annotate_ctx *ctx, const char *line, struct annotate_rec *ret);

/* nmap -oG: the records of one "Host: ... Ports: ..." line, at most @cap, into @v.  Returns
 * their number, 0 for another line, -EINVAL for a Ports field that does not parse. */
int annotate_parse_nmap_grep(const char *line, struct annotate_rec *v, size_t cap);

/* nmap -oX: calls @fn(@ctx, rec) for each <port> of each <host> of the document @text (@len
 * bytes), parsed with libxml2 without network or entities.  Returns 0, -EINVAL for text that is
 * not an nmap XML document, -ENOMEM. */
int annotate_nmap_xml(const char *text, size_t len,
                      void (*fn)(void *ctx, const struct annotate_rec *r), void *ctx);

#endif

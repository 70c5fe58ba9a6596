/* annotate_parse: other tools' socket and scan listings read into records (`portinfo annotate`).
 *
 * Reads one record from each line of ss, netstat (Linux and Windows) and lsof output, and the
 * ports of nmap's grepable lines.  Explains nothing and prints nothing: annotate_main.c does.
 */
#ifndef PORTINFO_ANNOTATE_PARSE_H
#define PORTINFO_ANNOTATE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "annotate_detect.h"

#define ANNOTATE_MAX_LINE  (64u * 1024)        /* a longer line is passed through unread */
#define ANNOTATE_MAX_INPUT (64u * 1024 * 1024) /* one input (a file or standard input) */
#define ANNOTATE_MAX_PORTS 4096                /* ports of one nmap -oG host line */

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

/* Reads text line @line (NUL-terminated, no newline) of a @ctx->from listing.  Returns 1 with
 * *ret filled, 0 for a line that holds no socket (a header, a comment: *ret untouched), or
 * -EINVAL for a line that should hold one but does not parse. */
int annotate_parse_line(struct annotate_ctx *ctx, const char *line, struct annotate_rec *ret);

/* nmap -oG: the records of one "Host: ... Ports: ..." line, at most @cap, into @v.  Returns
 * their number, 0 for another line, -EINVAL for a Ports field that does not parse. */
int annotate_parse_nmap_grep(const char *line, struct annotate_rec *v, size_t cap);

#endif

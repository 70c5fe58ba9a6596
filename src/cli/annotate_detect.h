/* annotate_detect: which tool wrote a listing (`portinfo annotate`), and the --from words. */
#ifndef PORTINFO_ANNOTATE_DETECT_H
#define PORTINFO_ANNOTATE_DETECT_H

#include <stddef.h>

enum annotate_from {
        FROM_UNKNOWN,
        FROM_SS,
        FROM_NETSTAT,         /* Linux netstat -tulpn, -tan */
        FROM_NETSTAT_WINDOWS, /* netstat -ano */
        FROM_LSOF,            /* lsof -nP -i */
        FROM_NMAP_GREP,       /* nmap -oG */
        FROM_NMAP_XML,        /* nmap -oX */
};

/* The tool that wrote @text (its first lines), or FROM_UNKNOWN. */
enum annotate_from annotate_detect(const char *text, size_t len);

/* The --from word of @f ("ss", ...), and the reverse (-EINVAL for an unknown word). */
const char *annotate_from_name(enum annotate_from f);
int annotate_parse_from(const char *s, enum annotate_from *ret);

#endif

/* annotate_detect: which tool wrote a listing, from its first lines, and the --from words.
 *
 * Looks only at headers the tools print themselves; a listing without one (ss -H, a grep of
 * netstat's output) needs --from.
 */
#include "annotate_detect.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define DETECT_LINES 32           /* non-empty lines looked at */
#define DETECT_LINE  (64u * 1024) /* bytes of each looked at */

static const char *const from_names[] = {
    [FROM_UNKNOWN] = "unknown",   [FROM_SS] = "ss",
    [FROM_NETSTAT] = "netstat",   [FROM_NETSTAT_WINDOWS] = "netstat-windows",
    [FROM_LSOF] = "lsof",         [FROM_NMAP_GREP] = "nmap-grep",
    [FROM_NMAP_XML] = "nmap-xml",
};

const char *annotate_from_name(enum annotate_from f)
{
        return from_names[f];
}

int annotate_parse_from(const char *s, enum annotate_from *ret)
{
        for (size_t i = FROM_SS; i < sizeof(from_names) / sizeof(from_names[0]); i++)
                if (strcmp(s, from_names[i]) == 0) {
                        *ret = (enum annotate_from)i;
                        return 0;
                }
        return -EINVAL;
}

/* Whether the @n bytes at @s hold @what.  The NULL test is for GCC: with UBSan's pointer checks
 * it otherwise invents a null @s on a path that cannot run, and -Werror=nonnull fails the build. */
static bool has(const char *s, size_t n, const char *what)
{
        return s != NULL && memmem(s, n, what, strlen(what)) != NULL;
}

/* The tool whose header line @s (@n bytes) is, or FROM_UNKNOWN. */
static enum annotate_from header_of(const char *s, size_t n)
{
        if ((n >= 6 && memcmp(s, "# Nmap", 6) == 0) || (n >= 6 && memcmp(s, "Host: ", 6) == 0))
                return FROM_NMAP_GREP;
        if (has(s, n, "Local Address:Port") && has(s, n, "Peer Address:Port"))
                return FROM_SS;
        if (n >= 7 && memcmp(s, "COMMAND", 7) == 0 && has(s, n, " NODE") && has(s, n, " NAME"))
                return FROM_LSOF;
        if (has(s, n, "Active Connections"))
                return FROM_NETSTAT_WINDOWS;
        if (has(s, n, "Active Internet connections"))
                return FROM_NETSTAT;
        if (has(s, n, "Proto") && has(s, n, "Local Address") && has(s, n, "Foreign Address"))
                return has(s, n, "Recv-Q") ? FROM_NETSTAT : FROM_NETSTAT_WINDOWS;
        return FROM_UNKNOWN;
}

enum annotate_from annotate_detect(const char *text, size_t len)
{
        size_t head = len < 4096 ? len : 4096, at = 0;

        if (has(text, head, "<nmaprun") || (head >= 5 && memcmp(text, "<?xml", 5) == 0))
                return FROM_NMAP_XML;
        for (int lines = 0; at < len && lines < DETECT_LINES;) {
                const char *nl = memchr(text + at, '\n', len - at);
                size_t n = (nl ? (size_t)(nl - text) : len) - at;
                const char *s = text + at;
                enum annotate_from f;

                while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r')) {
                        s++;
                        n--;
                }
                if (n > 0) {
                        lines++;
                        f = header_of(s, n > DETECT_LINE ? DETECT_LINE : n);
                        if (f != FROM_UNKNOWN)
                                return f;
                }
                at += (size_t)(s - (text + at)) + n + 1;
        }
        return FROM_UNKNOWN;
}

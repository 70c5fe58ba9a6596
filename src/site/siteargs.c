/* siteargs: the pieces of the command lines of portinfo-serve and portinfo-export: their
 * refusals of unknown options, whole numbers and URLs.
 *
 * The options themselves are read with args.h (getopt_long); this file only checks values and
 * words the errors the same way for both helpers.
 */
#include "siteargs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Longer option names than this were never options: the whole argument is quoted back. */
#define MAX_OPTION_NAME 32

void siteargs_refuse(const char *who, const struct args *a, int k)
{
        const char *s = a->argv[a->at];
        size_t n = strcspn(s, "=");

        if (strncmp(s, "--", 2) != 0 || n >= MAX_OPTION_NAME)
                diag(who, "unexpected argument \"%s\"; try '%s --help'", s, who);
        else if (k == ARGS_MISSING)
                diag(who, "%.*s needs a value; try '%s --help'", (int)n, s, who);
        else
                diag(who, "unknown option \"%.*s\"; try '%s --help'", (int)n, s, who);
}

int siteargs_site_name(const char *who, const char *s)
{
        if (!s[0] || strlen(s) > 64) {
                diag(who, "--site-name takes 1 to 64 characters");
                return -EINVAL;
        }
        return 0;
}

int siteargs_number(const char *who, const char *opt, const char *s, unsigned max, unsigned *ret)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = s[0] >= '0' && s[0] <= '9' ? strtoul(s, &end, 10) : 0;
        if (v == 0 || errno || *end || v > max) {
                diag(who, "%s takes a number from 1 to %u, not \"%s\"", opt, max, s);
                return -EINVAL;
        }
        *ret = (unsigned)v;
        return 0;
}

int siteargs_url(const char *s, char *out, size_t max, bool origin_only)
{
        const char *host = strncmp(s, "https://", 8) == 0  ? s + 8
                           : strncmp(s, "http://", 7) == 0 ? s + 7
                                                           : NULL;
        size_t n = strlen(s);

        if (!host || !host[0] || host[0] == '/' || n > max)
                return -EINVAL;
        for (const char *p = s; *p; p++)
                if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
                    strchr(";,'\"\\<>*?#", *p))
                        return -EINVAL;
        while (n > (size_t)(host - s) && s[n - 1] == '/')
                n--;
        if (origin_only && memchr(host, '/', n - (size_t)(host - s)))
                return -EINVAL;
        memcpy(out, s, n);
        out[n] = '\0';
        return 0;
}

/* sitepaths: the default static folder of the website's helpers, and the pieces of their
 * command lines.
 *
 * The folders are given by meson (site_paths_args); nothing here reads a configuration file.
 */
#include "sitepaths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

#ifndef PORTINFO_BUILD_ROOT
#define PORTINFO_BUILD_ROOT ""
#endif
#ifndef PORTINFO_SOURCE_WEB
#define PORTINFO_SOURCE_WEB ""
#endif
#ifndef PORTINFO_WEBDIR
#define PORTINFO_WEBDIR "/usr/local/share/portinfo/web"
#endif

const char *sitepaths_static_dir(void)
{
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        char *slash;

        if (n > 0 && PORTINFO_BUILD_ROOT[0]) {
                self[n] = '\0';
                slash = strrchr(self, '/');
                if (slash) {
                        *slash = '\0';
                        if (strcmp(self, PORTINFO_BUILD_ROOT) == 0)
                                return PORTINFO_SOURCE_WEB;
                }
        }
        return PORTINFO_WEBDIR;
}

int sitepaths_option(const char *who, int argc, char **argv, int *i, const char *known, char *name,
                     size_t cap, const char **ret_val)
{
        const char *a = argv[*i], *eq = strchr(a, '=');
        size_t n = eq ? (size_t)(eq - a) : strlen(a);
        char padded[64];

        if (strncmp(a, "--", 2) != 0 || n >= cap || n + 3 > sizeof(padded)) {
                diag(who, "unexpected argument \"%s\"; try '%s --help'", a, who);
                return -EINVAL;
        }
        memcpy(name, a, n);
        name[n] = '\0';
        snprintf(padded, sizeof(padded), " %s ", name);
        if (!strstr(known, padded)) {
                diag(who, "unknown option \"%s\"; try '%s --help'", name, who);
                return -EINVAL;
        }
        if (eq)
                *ret_val = eq + 1;
        else if (*i + 1 < argc)
                *ret_val = argv[++*i];
        else {
                diag(who, "%s needs a value; try '%s --help'", name, who);
                return -EINVAL;
        }
        return 0;
}

int sitepaths_number(const char *who, const char *opt, const char *s, unsigned max, unsigned *ret)
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

int sitepaths_url(const char *s, char *out, size_t max, bool origin_only)
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

/* sitepaths: where the website's helpers (portinfo-serve, portinfo-export) find the static
 * folder by default: the source tree's web/ from a build tree, else the installed one.
 *
 * The folders are given by meson (site_lib's c_args); nothing here reads a configuration file.
 */
#include "sitepaths.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

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

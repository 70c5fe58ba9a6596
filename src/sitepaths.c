/* sitepaths: default thread count and static folder for the website's helpers.
 *
 * The folders are given by meson (site_paths_args); nothing here reads a configuration file.
 */
#include "sitepaths.h"

#include <limits.h>
#include <sched.h>
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

unsigned sitepaths_cpu_count(void)
{
        cpu_set_t set;
        long n;

        if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
                return (unsigned)CPU_COUNT(&set);
        n = sysconf(_SC_NPROCESSORS_ONLN);
        return n > 0 ? (unsigned)n : 1;
}

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

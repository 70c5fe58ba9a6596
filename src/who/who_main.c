/* portinfo-who: `portinfo who` and `portinfo audit`, run by portinfo as a helper executable.
 *
 * A helper so that libmnl (sock_diag over netlink) stays off portinfo's own link line, which is
 * static and answers `portinfo PORT` without loading a shared library.  portinfo passes the
 * command word, then its own --json and --color choices, then the user's arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_who.h"
#include "datadir.h"
#include "diag.h"
#include "exitcodes.h"

int main(int argc, char **argv)
{
        const char *dir = datadir_path(NULL);
        enum color_mode color = COLOR_AUTO;
        bool json = false;
        struct portdb db;
        int i = 2, r;

        if (argc < 2 || (strcmp(argv[1], "who") != 0 && strcmp(argv[1], "audit") != 0)) {
                fputs("portinfo who: run it as 'portinfo who' or 'portinfo audit'\n", stderr);
                return EXIT_TROUBLE;
        }
        diag_set_command(argv[1]);
        for (; i < argc; i++) {
                if (strcmp(argv[i], "--json") == 0)
                        json = true;
                else if (strcmp(argv[i], "--color=always") == 0)
                        color = COLOR_ALWAYS;
                else if (strcmp(argv[i], "--color=never") == 0)
                        color = COLOR_NEVER;
                else if (strcmp(argv[i], "--") == 0) {
                        i++;
                        break;
                } else
                        break;
        }
        r = datadir_open(&db, dir);
        if (r == -EINVAL)
                diag_warn("%s/%s is damaged or not a portinfo table; using the embedded data", dir,
                          DATADIR_CURRENT);
        else if (r < 0 && r != -ENOENT)
                diag_warn("%s/%s: %s; using the embedded data", dir, DATADIR_CURRENT, strerror(-r));
        r = cli_who_main(&db, argv[1], json, color, argc - i, argv + i);
        if (fflush(stdout) != 0)
                return EXIT_TROUBLE;
        return r;
}

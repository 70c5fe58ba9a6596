/* diag: one line on stderr, prefixed with the program's name and command: "portinfo who: ...".
 *
 * Every program of portinfo (the helpers included) speaks as "portinfo CMD", the way the user
 * typed it, never as the helper executable's own name.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

static char who_buf[64] = "portinfo";

void diag_set_command(const char *cmd)
{
        if (cmd && cmd[0])
                snprintf(who_buf, sizeof(who_buf), "portinfo %.40s", cmd);
        else
                snprintf(who_buf, sizeof(who_buf), "portinfo");
}

const char *diag_who(void)
{
        return who_buf;
}

static void vline(const char *who, const char *what, const char *fmt, va_list ap)
{
        fprintf(stderr, "%s: %s", who, what);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
}

void diag(const char *who, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vline(who, "", fmt, ap);
        va_end(ap);
}

void diag_err(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vline(who_buf, "", fmt, ap);
        va_end(ap);
}

void diag_warn(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vline(who_buf, "warning: ", fmt, ap);
        va_end(ap);
}

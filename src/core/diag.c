/* diag: one line on stderr, prefixed with the program's name. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag(const char *who, const char *fmt, ...)
{
        va_list ap;

        fprintf(stderr, "%s: ", who);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

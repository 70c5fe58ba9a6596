/* siteargs: what the command lines of the website's helpers (portinfo-serve, portinfo-export)
 * share: the words for a refused argument, whole numbers and URLs given to options.
 */
#ifndef PORTINFO_SITEARGS_H
#define PORTINFO_SITEARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "args.h"

/* Reports the argument args_next stopped at with @k (ARGS_UNKNOWN, ARGS_MISSING, ARGS_OPERAND or
 * ARGS_DASHDASH) as one line from @who ("portinfo serve"): an unexpected argument, an unknown
 * option or a missing value. */
void siteargs_refuse(const char *who, const struct args *a, int k);

/* Checks --site-name's value (1 to 64 characters); reports and returns -EINVAL otherwise. */
int siteargs_site_name(const char *who, const char *s);

/* Reads a whole number 1..@max given to option @opt; reports and returns -EINVAL otherwise. */
int siteargs_number(const char *who, const char *opt, const char *s, unsigned max, unsigned *ret);

/* Checks an http:// or https:// URL of at most @max bytes with a host, and nothing that could
 * end or extend a header, an HTML attribute or a Content-Security-Policy it is written into, and
 * with @origin_only no path; copies it without trailing slashes into @out (@max + 1 bytes).
 * Returns 0 or -EINVAL. */
int siteargs_url(const char *s, char *out, size_t max, bool origin_only);

#endif

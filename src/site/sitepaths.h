/* sitepaths: what the website's helpers (portinfo-serve, portinfo-export) share: how many
 * threads to run (cpu_count(), cpus.h) and where the static folder is by default, and the
 * pieces of their command lines (options, numbers, URLs).
 */
#ifndef PORTINFO_SITEPATHS_H
#define PORTINFO_SITEPATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The static folder: the source tree's web/ when the program runs from the build tree, else the
 * installed one.  A static string, never freed. */
const char *sitepaths_static_dir(void);

/* Takes the long option at argv[*i], "--name=value" or "--name value" (then *i moves past the
 * value), when its name is one of @known (" --a --b ", each between spaces).  Stores the name in
 * @name (@cap bytes) and the value in *ret_val.  Returns 0, or -EINVAL after reporting an
 * unknown option or a missing value. */
int sitepaths_option(const char *who, int argc, char **argv, int *i, const char *known, char *name,
                     size_t cap, const char **ret_val);

/* Reads a whole number 1..@max given to option @opt; reports and returns -EINVAL otherwise. */
int sitepaths_number(const char *who, const char *opt, const char *s, unsigned max, unsigned *ret);

/* Checks an http:// or https:// URL of at most @max bytes with a host, and nothing that could
 * end or extend a header, an HTML attribute or a Content-Security-Policy it is written into, and
 * with @origin_only no path; copies it without trailing slashes into @out (@max + 1 bytes).
 * Returns 0 or -EINVAL. */
int sitepaths_url(const char *s, char *out, size_t max, bool origin_only);

#endif

/* sitepaths: what the website's helpers (portinfo-serve, portinfo-export) choose by default:
 * how many threads to run and where the static folder is.
 */
#ifndef PORTINFO_SITEPATHS_H
#define PORTINFO_SITEPATHS_H

/* The CPUs this process may run on (at least 1). */
unsigned sitepaths_cpu_count(void);

/* The static folder: the source tree's web/ when the program runs from the build tree, else the
 * installed one.  A static string, never freed. */
const char *sitepaths_static_dir(void);

#endif

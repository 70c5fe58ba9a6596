/* sitepaths: the default static folder (CSS and scripts) of the website's helpers,
 * portinfo-serve and portinfo-export.  Their thread counts come from cpu_count() (cpus.h).
 */
#ifndef PORTINFO_SITEPATHS_H
#define PORTINFO_SITEPATHS_H

/* The static folder: the source tree's web/ when the program runs from the build tree, else the
 * installed one.  A static string, never freed. */
const char *sitepaths_static_dir(void);

#endif

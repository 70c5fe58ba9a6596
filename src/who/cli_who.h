/* cli_who: the command lines of `portinfo who` and `portinfo audit`: their options, their
 * operands, their errors and exit statuses.  cli.c hands over everything after the command word.
 */
#ifndef PORTINFO_CLI_WHO_H
#define PORTINFO_CLI_WHO_H

#include <stdbool.h>

#include "portdb.h"
#include "term.h"

/* Runs @cmd ("who" or "audit") with the arguments that followed it (@argc of @argv), answering
 * from @db; @json and @color are what options before the command word asked for.  Prints the
 * answer, or one line on stderr on trouble.  Returns 0 (found / clean), 1 (nothing found /
 * findings at or above the threshold) or 2 (bad usage, bad input or runtime trouble). */
int cli_who_main(const struct portdb *db, const char *cmd, bool json, enum color_mode color,
                 int argc, char **argv);

#endif

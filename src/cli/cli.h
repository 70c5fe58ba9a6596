/* cli: parses portinfo's command line and runs the command; returns the exit status. */
#ifndef PORTINFO_CLI_H
#define PORTINFO_CLI_H

/* Runs portinfo with @argc/@argv; returns 0 (found), 1 (nothing found) or 2 (trouble). */
int cli_main(int argc, char **argv);

#endif

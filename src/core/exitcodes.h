/* exitcodes: the exit statuses of every portinfo program, as grep has them.
 *
 * Only the command layer (main, cli, cli_who and the helpers' main) exits; nothing below it
 * decides a status.
 */
#ifndef PORTINFO_EXITCODES_H
#define PORTINFO_EXITCODES_H

enum {
        EXIT_FOUND = 0,   /* found, clean, written, installed, a clean stop */
        EXIT_NOTHING = 1, /* nothing found, findings at or above the threshold, nothing changed */
        EXIT_TROUBLE = 2, /* bad usage, bad input or trouble */
        EXIT_OK = EXIT_FOUND, /* the helpers that find nothing: done, written, stopped cleanly */
};

#endif
